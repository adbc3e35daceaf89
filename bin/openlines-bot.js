#!/usr/bin/env node
'use strict';
// Launcher: runs the CLI from the TypeScript sources when they are present (a clone of the
// repository), else from the compiled `dist/` (an installed package). Bots written in TypeScript
// load without a build step either way.
//
// One copy of the framework per process: when the CLI runs from the sources, a bot that imports
// the package (`openlines-bot`, which resolves to this clone's `dist/` through a link) gets the
// sources too, so that the runtime and the bot share their modules (invoked REST calls, errors).
const path = require('node:path');
const fs = require('node:fs');
const Module = require('node:module');

const root = path.join(__dirname, '..');
const source = path.join(root, 'src', 'cli', 'main.ts');
let cli;
if (fs.existsSync(source)) {
  require('tsx/cjs/api').register({ tsconfig: path.join(root, 'tsconfig.json') });
  const dist = fs.realpathSync(root) + path.sep + 'dist' + path.sep;
  const src = path.join(fs.realpathSync(root), 'src');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function resolveToSources(request, parent, ...rest) {
    const found = resolve.call(this, request, parent, ...rest);
    if (typeof found !== 'string' || !found.startsWith(dist)) return found;
    const ts = path.join(src, found.slice(dist.length)).replace(/\.js$/, '.ts');
    return fs.existsSync(ts) ? ts : found;
  };
  cli = require(source);
} else {
  require('tsx/cjs/api').register();
  cli = require(path.join(root, 'dist', 'cli', 'main.js'));
}
// The CLI waits on timers that do not hold the process (retry backoff): this one keeps it alive
// until the command has finished, so that it always ends with its own exit code and message.
const keepAlive = setInterval(() => undefined, 1 << 30);
cli.main(process.argv.slice(2)).then(
  (code) => {
    clearInterval(keepAlive);
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    clearInterval(keepAlive);
    process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
