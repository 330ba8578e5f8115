/* Builds the bundle when needed and starts the preview server on a free localhost port. */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ensureBuild, startServer } = require('../../scripts/preview.js');

module.exports = async () => {
  const built = await ensureBuild({ log: (m) => process.stdout.write(`\n${m}\n`) });
  const { server, url } = await startServer(0);
  globalThis.__PERFSHEET_SERVER__ = server;
  process.env.PERFSHEET_URL = url;
  fs.writeFileSync(path.join(os.tmpdir(), 'perfsheet-e2e-url'), url);
  process.stdout.write(`\nPerfSheet preview for e2e: ${url}${built ? ' (freshly built)' : ''}\n`);
};
