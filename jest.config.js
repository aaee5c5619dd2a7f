/** Jest configuration: TypeScript tests under test/ mirror src/. Type checking is done by `pretest` (tsc), so ts-jest only transpiles. */
const fs = require('node:fs');

// The webgpu tests run on SwiftShader's software Vulkan (Debian `chromium`; `.ci/run` installs it) unless a Vulkan
// driver is already named. Set here, in jest's own process, because Dawn reads the real environment and the test
// files only see a copy of it; workers and the CLI runs the tests spawn inherit it.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && fs.existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {'^.+\\.ts$': ['ts-jest', {tsconfig: 'test/tsconfig.json'}]},
  testTimeout: 120000,
  maxWorkers: 2,
};
