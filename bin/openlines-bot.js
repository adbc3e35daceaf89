#!/usr/bin/env node
'use strict';
// Launcher: runs the CLI from the TypeScript sources when they are present (a clone of the
// repository), else from the compiled `dist/` (an installed package). Bots written in TypeScript
// load without a build step either way.
const path = require('node:path');
const fs = require('node:fs');

const root = path.join(__dirname, '..');
const source = path.join(root, 'src', 'cli', 'main.ts');
let cli;
if (fs.existsSync(source)) {
  require('tsx/cjs/api').register({ tsconfig: path.join(root, 'tsconfig.json') });
  cli = require(source);
} else {
  require('tsx/cjs/api').register();
  cli = require(path.join(root, 'dist', 'cli', 'main.js'));
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
