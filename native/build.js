#!/usr/bin/env node
/**
 * Install-time build of the optional `native` tfjs backend (oneDNN addon). Run by `npm ci` / `npm install` through
 * package.json's "install" script, and by hand with `npm run build:native`.
 *
 * It never fails the install: without oneDNN's headers (Debian `libdnnl-dev`) it prints one line and exits 0; if the
 * compiler fails it prints one line (plus the log path) and exits 0. The outcome is written to
 * native/build/status.json, which src/backend/native reads to explain why the backend is unavailable.
 * An addon newer than its sources is kept (every `npm install PKG` re-runs this script); `--force` rebuilds.
 * MIXUP_NATIVE=skip skips the build (e.g. to test the fallback path on a machine that has oneDNN).
 */
'use strict';
const {spawnSync} = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

process.on('uncaughtException', (err) => {
  console.log(`mixup native backend: not built: build script failed: ${err.message}`);
  process.exit(0);
});

const here = __dirname;
const buildDir = path.join(here, 'build');
const FIX = 'apt-get install -y libdnnl-dev && npm run build:native';

function finish(ok, reason) {
  fs.mkdirSync(buildDir, {recursive: true});
  fs.writeFileSync(path.join(buildDir, 'status.json'), JSON.stringify({ok, reason}) + '\n');
  console.log(`mixup native backend: ${ok ? 'built' : 'not built'}: ${reason}`);
  process.exit(0);
}

if (process.env.MIXUP_NATIVE === 'skip') finish(false, `skipped (MIXUP_NATIVE=skip); to build it: ${FIX}`);

const headerDirs = ['/usr/include', '/usr/local/include', ...(process.env.CPATH || '').split(':').filter(Boolean)];
if (!headerDirs.some((d) => fs.existsSync(path.join(d, 'oneapi/dnnl/dnnl.hpp')) || fs.existsSync(path.join(d, 'dnnl.hpp')))) {
  finish(false, `oneDNN headers not found (Debian package libdnnl-dev); to enable it: ${FIX}`);
}

function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a local dependency: npm's bundled copy is used
  }
  return candidates.find((c) => c && fs.existsSync(c));
}

/** Newest modification time (ms) of the addon's sources, binding.gyp and this script. */
function sourcesMtime() {
  const walk = (d) => fs.readdirSync(d, {withFileTypes: true})
    .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [fs.statSync(path.join(d, e.name)).mtimeMs]));
  return Math.max(...walk(path.join(here, 'src')), fs.statSync(path.join(here, 'binding.gyp')).mtimeMs,
    fs.statSync(__filename).mtimeMs);
}

// Every `npm install PKG` re-runs this script: keep an up-to-date addon instead of rebuilding it (1-2 min).
const addonFile = path.join(buildDir, 'Release', 'mixup_native.node');
if (!process.argv.includes('--force') && fs.existsSync(addonFile) && fs.statSync(addonFile).mtimeMs > sourcesMtime()) {
  finish(true, `oneDNN addon up to date at ${path.relative(process.cwd(), addonFile)} (--force rebuilds)`);
}

const gyp = findNodeGyp();
if (!gyp) finish(false, 'node-gyp not found (it ships with npm); reinstall npm, then: npm run build:native');

// Build against the installed Node headers (never download them): npm passes nodedir from npmrc; a direct run
// uses the headers next to the node binary (Debian/NodeSource install them under <prefix>/include/node).
const gypArgs = [gyp, 'rebuild', '--release'];
const prefix = path.resolve(path.dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include/node/common.gypi'))) {
  gypArgs.push(`--nodedir=${prefix}`);
}
const logFile = path.join(buildDir, 'build.log');
const result = spawnSync(process.execPath, gypArgs, {cwd: here, encoding: 'utf8', env: process.env});
fs.mkdirSync(buildDir, {recursive: true}); // node-gyp rebuild recreates build/
fs.writeFileSync(logFile, `${result.stdout || ''}\n${result.stderr || ''}`);
if (result.status !== 0) {
  finish(false, `compiling the addon failed (log: ${path.relative(process.cwd(), logFile)}); fix, then: npm run build:native`);
}
finish(true, `oneDNN addon built at ${path.relative(process.cwd(), addonFile)}`);
