#!/usr/bin/env node
// `npm run bench -- NAME [args]`: runs the compiled benchmark dist/bench/NAME.js (built by `npm run build`).
const fs = require('node:fs');
const path = require('node:path');

const [name, ...rest] = process.argv.slice(2);
const dir = path.join(__dirname, '..', 'dist', 'bench');
const available = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)) : [];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME [args]\n${name ? `unknown benchmark "${name}". ` : ''}available: ${available.join(', ') || '(none: run npm run build)'}`);
  process.exit(2);
}
process.argv = [process.argv[0], path.join(dir, `${name}.js`), ...rest];
require(path.join(dir, `${name}.js`));
