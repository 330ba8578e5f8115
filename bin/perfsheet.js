#!/usr/bin/env node
// The headless command. Runs the JavaScript that `npm install` compiles into dist-cli/ (scripts/build-cli.js,
// the `prepare` script). Where that output is missing or older than a file in src/ (a developer editing the
// sources), it runs the TypeScript sources through ts-node instead, so it always runs the current code.
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const COMPILED = path.join(ROOT, 'dist-cli', 'cli', 'main.js');
const STAMP = path.join(ROOT, 'dist-cli', '.stamp');

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function compiledIsCurrent() {
  try {
    const built = fs.statSync(STAMP).mtimeMs;
    if (!fs.existsSync(COMPILED)) return false;
    const src = path.join(ROOT, 'src');
    return !fs.existsSync(src) || newestSource(src) <= built;
  } catch {
    return false;
  }
}

let entry;
if (compiledIsCurrent()) {
  entry = COMPILED;
} else {
  require('ts-node').register({
    transpileOnly: true,
    project: path.join(ROOT, 'tsconfig.json'),
    compilerOptions: { module: 'commonjs' },
  });
  entry = path.join(ROOT, 'src', 'cli', 'main');
}

require(entry).main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    // No English stack trace reaches a user: the message only, the stack with PERFSHEET_DEBUG=1.
    const msg = err && err.message ? err.message : String(err);
    const stack = process.env.PERFSHEET_DEBUG === '1' && err && err.stack ? `\n${err.stack}` : '';
    process.stderr.write(`perfsheet：内部错误：${msg}${stack}\n`);
    process.exit(2);
  },
);
