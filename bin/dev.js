#!/usr/bin/env node
// Development entry point: rebuilds TypeScript (tsc, incremental) then runs the commands, so edits show up without a manual build.
const {execFileSync} = require('node:child_process');
const path = require('node:path');

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(__dirname, '..', 'tsconfig.json')], {stdio: 'inherit'});
execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'oclif-manifest.js')], {stdio: 'ignore'});
const {execute} = require('@oclif/core');

execute({development: false, dir: __dirname}).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
