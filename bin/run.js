#!/usr/bin/env node
// Production entry point: runs the compiled commands in dist/ (built by `npm ci` through the `prepare` script).
process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL || '2';
const {execute} = require('@oclif/core');

execute({dir: __dirname}).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
