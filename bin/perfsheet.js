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

// A reader that goes away (`perfsheet check … | head`) is not an error of ours: stop writing, say nothing. Any
// other failure to write the result (a full disk under `> out.json`) is said in Chinese and fails the run.
let writeFailed = false;
function onWriteError(stream, e) {
  if (!e || e.code === 'EPIPE' || writeFailed) return;
  writeFailed = true;
  process.exitCode = 2;
  if (stream !== process.stderr && !process.stderr.destroyed) {
    process.stderr.write(`perfsheet：无法写出结果（${e.code || e.message || e}）。\n`);
  }
}
for (const stream of [process.stdout, process.stderr]) stream.on('error', (e) => onWriteError(stream, e));

/**
 * Ends the process with `code` once stdout and stderr have handed every byte to the OS. process.exit right after
 * a write drops what a pipe has not yet taken (a pipe holds 64 KiB: `check --json | program` got 65,536 bytes of
 * a 137 KB document). An empty write's callback runs after every earlier write on that stream has been flushed.
 * Files (--fill, --report, --summary) are written synchronously and fsynced before main returns.
 */
function finish(code) {
  process.exitCode = code;
  const streams = [process.stdout, process.stderr];
  let pending = streams.length;
  const done = (stream, e) => {
    onWriteError(stream, e);
    if (--pending > 0) return;
    // stderr last: its message about stdout must be out before the exit.
    process.stderr.write('', () => process.exit(writeFailed ? 2 : code));
  };
  for (const stream of streams) {
    if (stream.destroyed || stream.writableEnded) done(stream);
    else stream.write('', (e) => done(stream, e));
  }
}

require(entry)
  .main(process.argv.slice(2))
  .then(finish, (err) => {
    // No English stack trace reaches a user: the message only, the stack with PERFSHEET_DEBUG=1.
    const msg = err && err.message ? err.message : String(err);
    const stack = process.env.PERFSHEET_DEBUG === '1' && err && err.stack ? `\n${err.stack}` : '';
    process.stderr.write(`perfsheet：内部错误：${msg}${stack}\n`);
    finish(2);
  });
