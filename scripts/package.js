#!/usr/bin/env node
/**
 * `npm run package`: zips a deployment build for the IT department.
 *
 *   npm run build -- --env origin=https://perfsheet.example.gov.cn/addin/ [--env officejs=local]
 *   npm run package            -> release/perfsheet-addin-<version>.zip
 *   node scripts/package.js --dist DIR --out DIR   (another build directory / destination)
 *
 * The zip holds what the web server serves (taskpane.html, the hashed bundle, assets/, office-js/ when built
 * with it), manifest.xml for the desks, DEPLOY.md, and 说明.txt: what this package is, where it must be served
 * and how to install it. The browser preview and the sample workbooks stay out (they are for developers).
 * Refuses a dist/ built for the dev server (its manifest points at localhost).
 */
const fs = require('fs');
const path = require('path');
const JSZip = require('jszip');

const ROOT = path.resolve(__dirname, '..');

/** `--dist DIR` (default dist/) and `--out DIR` (default release/). */
function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]) : fallback;
}
const DIST = option('--dist', path.join(ROOT, 'dist'));
const OUT_DIR = option('--out', path.join(ROOT, 'release'));

/** Files of dist/ that are not deployed (office-js-preview/: the Office.js the browser preview runs on). */
const LEFT_OUT = [/^preview[.]/, /^office-js-preview\//, /^samples\//, /^\.build-stamp$/, /\.map$/];

function files(dir, prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...files(path.join(dir, e.name), `${rel}/`));
    else out.push(rel);
  }
  return out.sort();
}

function fail(msg) {
  console.error(`打包失败：${msg}`);
  process.exit(1);
}

async function main() {
  const manifestFile = path.join(DIST, 'manifest.xml');
  if (!fs.existsSync(manifestFile) || !fs.existsSync(path.join(DIST, 'taskpane.html'))) {
    fail('dist/ 中没有构建结果。请先运行：npm run build -- --env origin=https://服务器/路径/');
  }
  const manifest = fs.readFileSync(manifestFile, 'utf8');
  if (/localhost/.test(manifest)) {
    fail(
      'dist/manifest.xml 指向开发服务器 localhost。请先为部署地址构建：npm run build -- --env origin=https://服务器/路径/',
    );
  }
  const pick = (re) => (re.exec(manifest) || [])[1];
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const sourceLocation = pick(/<SourceLocation DefaultValue="([^"]+)"/);
  const base = sourceLocation.replace(/taskpane\.html$/, '');
  const id = pick(/<Id>([^<]+)<\/Id>/);
  const version = pick(/<Version>([^<]+)<\/Version>/);
  const localOfficeJs = fs.existsSync(path.join(DIST, 'office-js', 'office.js'));

  const deployed = files(DIST).filter((f) => !LEFT_OUT.some((re) => re.test(f)));
  const zip = new JSZip();
  const top = `perfsheet-addin-${pkg.version}`;
  for (const f of deployed) zip.file(`${top}/${f}`, fs.readFileSync(path.join(DIST, f)));
  zip.file(`${top}/DEPLOY.md`, fs.readFileSync(path.join(ROOT, 'docs', 'DEPLOY.md')));
  const readme = [
    `PerfSheet 绩效表格助手 ${pkg.version} — Excel 加载项部署包`,
    '',
    `部署地址（构建时指定）：${base}`,
    `加载项 Id：${id}`,
    `清单版本（Version）：${version}`,
    `Office.js：${localOfficeJs ? '随包提供（office-js/ 文件夹，内网无需访问 Microsoft CDN）' : '从 Microsoft CDN 加载（每台电脑需能访问 https://appsforoffice.microsoft.com）'}`,
    '',
    '1. 把本文件夹中除 manifest.xml、DEPLOY.md、说明.txt 以外的全部文件，原样放到 Web 服务器上，',
    `   使 ${base}taskpane.html 可以通过 HTTPS 打开（证书须被各台电脑信任）。`,
    '2. 用 manifest.xml 把加载项分发到各台电脑：共享文件夹目录（组策略）、Microsoft 365 管理中心集中部署，',
    '   或在 Excel 网页版中上传。',
    '3. 详细步骤（IIS / nginx 配置、缓存、更新与回滚、如何确认已安装）：见 DEPLOY.md。',
    '',
    '注意：manifest.xml 中的地址已经写死为上面的部署地址；要换地址，请重新构建，不要手工修改。',
    '',
    '文件清单：',
    ...deployed.map((f) => `  ${f}`),
    '',
  ].join('\r\n');
  zip.file(`${top}/说明.txt`, `\ufeff${readme}`);

  fs.mkdirSync(OUT_DIR, { recursive: true });
  const out = path.join(OUT_DIR, `${top}.zip`);
  const buf = await zip.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
    platform: 'DOS',
  });
  fs.writeFileSync(out, buf);
  console.log(
    `已生成 ${path.relative(process.cwd(), out) || out}（${(buf.length / 1024 / 1024).toFixed(1)} MB，${deployed.length} 个文件；部署地址 ${base}）`,
  );
}

main().catch((e) => fail(e.message));
