#!/usr/bin/env node
/**
 * `npm run preview`: builds the bundle if it is missing or older than the sources, then serves dist/ over
 * plain http on localhost and prints the preview's URL. The page shows a sample workbook in the in-memory
 * Excel host beside the real task pane; it loads nothing from the network.
 *
 * Also used by the e2e tests (ensureBuild, startServer).
 */
const fs = require('fs');
const http = require('http');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.build-stamp');
const WATCHED = ['src', 'webpack.config.js', 'test/fixtures', 'assets', 'manifest.xml', 'package-lock.json'];

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

function buildIsFresh() {
  if (!fs.existsSync(STAMP) || !fs.existsSync(path.join(DIST, 'preview.html'))) return false;
  const built = fs.statSync(STAMP).mtimeMs;
  return WATCHED.every((w) => newestMtime(path.join(ROOT, w)) <= built);
}

/** Builds dist/ with webpack (production mode) unless it is up to date. */
async function ensureBuild({ force = false, log = console.log } = {}) {
  if (!force && buildIsFresh()) return false;
  log('正在构建 PerfSheet（webpack，约 20 秒）…');
  const webpack = require('webpack');
  const makeConfig = require(path.join(ROOT, 'webpack.config.js'));
  const config = await makeConfig({}, { mode: 'production' });
  await new Promise((resolve, reject) => {
    webpack(config, (err, stats) => {
      if (err) return reject(err);
      if (stats.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      resolve();
    });
  });
  fs.writeFileSync(STAMP, new Date().toISOString());
  return true;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.xml': 'application/xml; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/** Serves dist/ on 127.0.0.1:`port` (0 = any free port). Resolves to { server, port, url }. */
function startServer(port = 0) {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    if (rel === '/') rel = '/preview.html';
    if (rel === '/favicon.ico') rel = '/assets/icon-32.png';
    const file = path.normalize(path.join(DIST, rel));
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('未找到');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const p = server.address().port;
      resolve({ server, port: p, url: `http://localhost:${p}/preview.html` });
    });
  });
}

async function main() {
  await ensureBuild();
  const wanted = Number(process.env.PORT || 3001);
  let started;
  try {
    started = await startServer(wanted);
  } catch (e) {
    if (e.code !== 'EADDRINUSE') throw e;
    started = await startServer(0);
    console.log(`端口 ${wanted} 已被占用，改用 ${started.port}。`);
  }
  console.log(`PerfSheet 预览已启动：${started.url}`);
  console.log('（在浏览器中打开上面的地址；按 Ctrl+C 停止。）');
}

module.exports = { ensureBuild, startServer, main, DIST };

if (require.main === module) {
  main().catch((e) => {
    console.error(`预览启动失败：${e.message}`);
    process.exit(1);
  });
}
