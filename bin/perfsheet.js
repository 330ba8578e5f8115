#!/usr/bin/env node
// The headless command. Runs the TypeScript sources through ts-node (installed by `npm install`), so it works
// right after set-up with no build step.
const path = require('path');
require('ts-node').register({
  transpileOnly: true,
  project: path.join(__dirname, '..', 'tsconfig.json'),
  compilerOptions: { module: 'commonjs' },
});
require('../src/cli/main').main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    // No English stack trace reaches a user: the message only, the stack with PERFSHEET_DEBUG=1.
    const msg = err && err.message ? err.message : String(err);
    const stack = process.env.PERFSHEET_DEBUG === '1' && err && err.stack ? `\n${err.stack}` : '';
    process.stderr.write(`perfsheet：内部错误：${msg}${stack}\n`);
    process.exit(2);
  },
);
