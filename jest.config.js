/** Jest configuration: TypeScript tests under test/ mirror src/. Type checking is done by `pretest` (tsc), so ts-jest only transpiles. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {'^.+\\.ts$': ['ts-jest', {tsconfig: 'test/tsconfig.json'}]},
  testTimeout: 120000,
  maxWorkers: 2,
};
