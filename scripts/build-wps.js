#!/usr/bin/env node
/**
 * `npm run build:wps [-- --env origin=https://host/path/] [--env out=DIR] [--serve]`: the WPS 加载项 (docs/WPS.md).
 * `--serve` (local origin only) then serves the output at the origin, for a test with WPS on this computer.
 *
 * Writes, to dist-wps/ (or DIR), for the deployment base URL `origin` (default DEFAULT_ORIGIN, for a test on
 * this computer):
 *
 *   perfsheet/                  the add-in folder (webpack.wps.config.js): ribbon.xml, index.html, taskpane.html,
 *                               their bundles, images/. Online deployment serves it at <origin>perfsheet/.
 *   perfsheet_<version>.7z      the same folder as PerfSheet_<version>/ in a .7z, for offline deployment
 *   jsplugins.xml               offline list: <jsplugin name="PerfSheet" type="et" url="<origin>perfsheet_<version>.7z" …/>
 *   jsplugins-online.xml        online list: <jspluginonline name="PerfSheet" type="et" url="<origin>perfsheet/"/>
 *   publish.html                the intranet page from which a user installs (or removes) the add-in
 *   说明.txt, WPS.md              what each file is and where it goes; docs/WPS.md
 *
 * The version is package.json's. Every URL written is under `origin`; a build for another origin is refused if
 * anything in its output still names the default local origin.
 */
const fs = require('fs');
const path = require('path');
const { create7z } = require('./build-wps-7z');

const ROOT = path.resolve(__dirname, '..');
/** The default origin: a local web server on the port Kingsoft's wpsjs debug server uses. */
const DEFAULT_ORIGIN = 'http://127.0.0.1:3889/';
/** The add-in's name in jsplugins.xml and in WPS; the offline archive unpacks to <ADDIN_NAME>_<version>/. */
const ADDIN_NAME = 'PerfSheet';
/** The add-in folder in the output (and on the server). */
const ADDIN_DIR = 'perfsheet';
/** WPS 表格 (ET): the add-in type in jsplugins.xml and publish.html. */
const ADDIN_TYPE = 'et';

function fail(message) {
  const err = new Error(message);
  err.userFacing = true;
  return err;
}

/** Checks and normalises the deployment base URL: http(s), no query, fragment or credentials, ends with '/'. */
function normalizeOrigin(origin) {
  let url;
  try {
    url = new URL(String(origin));
  } catch {
    throw fail(`--env origin 不是完整的网址：“${origin}”（应为 http(s)://主机/路径/）。`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw fail(`--env origin 必须是 http 或 https 地址：“${origin}”。`);
  if (url.search || url.hash) throw fail(`--env origin 不能带查询参数或 #：“${origin}”。`);
  if (url.username || url.password) throw fail('--env origin 不能包含用户名或密码。');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** package.json's version, x.y.z (a pre-release or build tag is kept: WPS compares the string). */
function packageVersion(root = ROOT) {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(String(version))) {
    throw fail(`package.json 的 version “${version}” 不是 x.y.z。`);
  }
  return String(version);
}

function xmlAttr(s) {
  return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Every URL of a deployment, from the normalised origin. */
function deploymentUrls(origin, version) {
  return {
    folder: `${origin}${ADDIN_DIR}/`,
    ribbon: `${origin}${ADDIN_DIR}/ribbon.xml`,
    archive: `${origin}${archiveName(version)}`,
    jsplugins: `${origin}jsplugins.xml`,
    jspluginsOnline: `${origin}jsplugins-online.xml`,
    publish: `${origin}publish.html`,
  };
}

function archiveName(version) {
  return `${ADDIN_DIR}_${version}.7z`;
}

/** The offline list: WPS downloads the .7z, unpacks it under jsaddons/ and loads PerfSheet_<version>/. */
function jspluginsXml({ origin, version }) {
  const u = deploymentUrls(origin, version);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<jsplugins>\n' +
    `  <jsplugin name="${ADDIN_NAME}" type="${ADDIN_TYPE}" url="${xmlAttr(u.archive)}" version="${xmlAttr(version)}" enable="true"/>\n` +
    '</jsplugins>\n'
  );
}

/** The online list: WPS loads ribbon.xml and index.html from the server each time it starts. */
function jspluginsOnlineXml({ origin, version }) {
  const u = deploymentUrls(origin, version);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<jsplugins>\n' +
    `  <jspluginonline name="${ADDIN_NAME}" type="${ADDIN_TYPE}" url="${xmlAttr(u.folder)}"/>\n` +
    '</jsplugins>\n'
  );
}

/**
 * The install page. WPS (from 2019) runs a local service on 127.0.0.1 (port 58890 for http pages, 58891 for https
 * pages) that installs, updates and removes add-ins: a POST of the base64 of a JSON command to
 * /deployaddons/runParams; /publishlist lists what is installed. When the service does not answer, the page asks
 * the browser to start it through WPS's ksoWPSCloudSvr:// protocol and tries again. ES5 only: the page must run
 * in old browsers (IE 11, the browsers of Kylin and UOS).
 */
function publishHtml({ origin, version }) {
  const u = deploymentUrls(origin, version);
  const addons = [
    {
      key: 'online',
      title: '在线模式（推荐）',
      note: '每次启动 WPS 时从本单位服务器加载，服务器更新后各台电脑立即使用新版本；需要能访问服务器。',
      data: { name: ADDIN_NAME, addonType: ADDIN_TYPE, online: 'true', url: u.folder, version, customDomain: '' },
    },
    {
      key: 'offline',
      title: '离线模式',
      note: '把加载项下载到本机，断开内网后仍可使用；服务器发布新版本后需在本页重新安装。',
      data: { name: ADDIN_NAME, addonType: ADDIN_TYPE, online: 'false', url: u.archive, version, customDomain: '' },
    },
  ];
  const json = JSON.stringify(addons).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=Edge">
<title>安装 PerfSheet 绩效表格助手（WPS 加载项）</title>
<style>
  body { margin: 32px; font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; font-size: 15px; line-height: 1.7; color: #1b1b1b; max-width: 860px; }
  h1 { font-size: 24px; margin: 0 0 4px; }
  .sub { color: #605e5c; margin: 0 0 24px; }
  .addon { border: 1px solid #c8c6c4; border-radius: 4px; padding: 12px 16px; margin-bottom: 12px; }
  .addon h2 { font-size: 17px; margin: 0 0 4px; }
  .addon p { margin: 0 0 8px; color: #323130; }
  .url { font-family: Consolas, monospace; font-size: 13px; color: #605e5c; word-break: break-all; }
  button { font: inherit; padding: 4px 16px; margin-right: 8px; border-radius: 3px; border: 1px solid #0f6cbd; background: #0f6cbd; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #0f6cbd; }
  button[disabled] { opacity: .5; cursor: default; }
  .status { display: inline-block; margin-left: 8px; color: #605e5c; }
  #message { margin: 16px 0; padding: 8px 12px; border-left: 4px solid #0f6cbd; background: #f3f2f1; display: none; }
  #message.error { border-color: #a4262c; }
  ol { padding-left: 20px; }
</style>
</head>
<body>
<h1>PerfSheet 绩效表格助手</h1>
<p class="sub">WPS 表格加载项 · 版本 ${xmlAttr(version)} · 用于检查预算绩效目标表、绩效自评表并计算得分</p>
<ol>
  <li>请先打开 WPS Office（任意文档或首页均可）。</li>
  <li>在下面选择一种安装方式，点击「安装」。浏览器询问是否打开 WPS Office 时，请选择「打开」或「允许」。</li>
  <li>看到「安装成功」后，<b>关闭并重新打开 WPS 表格</b>：功能区出现「绩效」选项卡，点击其中的「绩效表格助手」即可使用。</li>
</ol>
<div id="message" role="status"></div>
<div id="addons"></div>
<p class="sub">如果点击后没有反应或提示失败，请联系本单位信息技术部门。</p>
<script>
(function () {
  var ADDONS = ${json};
  var PORT = location.protocol === 'https:' ? 'https://127.0.0.1:58891' : 'http://127.0.0.1:58890';
  var installed = {};

  function utf8Base64(s) { return window.btoa(unescape(encodeURIComponent(s))); }

  function say(text, isError) {
    var box = document.getElementById('message');
    box.className = isError ? 'error' : '';
    box.style.display = 'block';
    box.innerHTML = '';
    box.appendChild(document.createTextNode(text));
  }

  // POST to WPS's local service; when it does not answer, start it once (ksoWPSCloudSvr://) and retry.
  function call(pathname, body, done, attempt) {
    attempt = attempt || 0;
    var xhr = new XMLHttpRequest();
    var settled = false;
    function retry() {
      if (settled) return;
      settled = true;
      if (attempt === 0) window.location.href = 'ksoWPSCloudSvr://start=RelayHttpServer';
      if (attempt < 3) setTimeout(function () { call(pathname, body, done, attempt + 1); }, 2000);
      else done(new Error('没有连接到本机的 WPS Office。请确认这台电脑已安装 WPS Office 并已打开，然后刷新本页重试。'));
    }
    xhr.open('POST', PORT + pathname);
    xhr.timeout = 3000;
    xhr.onload = function () {
      if (settled) return;
      // The service answers but WPS itself is not running behind it: start WPS and try again.
      if (xhr.status !== 200 && /Subserver not available/.test(xhr.responseText)) return retry();
      settled = true;
      done(null, xhr.status, xhr.responseText);
    };
    xhr.onerror = retry;
    xhr.ontimeout = retry;
    xhr.send(body);
  }

  function render() {
    var root = document.getElementById('addons');
    root.innerHTML = '';
    for (var i = 0; i < ADDONS.length; i++) {
      (function (a) {
        var div = document.createElement('div');
        div.className = 'addon';
        var h = document.createElement('h2');
        h.appendChild(document.createTextNode(a.title));
        var st = document.createElement('span');
        st.className = 'status';
        st.appendChild(document.createTextNode(installed[a.key] ? '（本机已安装）' : ''));
        h.appendChild(st);
        var p = document.createElement('p');
        p.appendChild(document.createTextNode(a.note));
        var url = document.createElement('p');
        url.className = 'url';
        url.appendChild(document.createTextNode(a.data.url));
        var install = document.createElement('button');
        install.appendChild(document.createTextNode(installed[a.key] ? '重新安装' : '安装'));
        install.onclick = function () { run(a, 'enable'); };
        var remove = document.createElement('button');
        remove.className = 'secondary';
        remove.appendChild(document.createTextNode('卸载'));
        remove.disabled = !installed[a.key];
        remove.onclick = function () { run(a, 'disable'); };
        div.appendChild(h);
        div.appendChild(p);
        div.appendChild(url);
        div.appendChild(install);
        div.appendChild(remove);
        root.appendChild(div);
      })(ADDONS[i]);
    }
  }

  function run(a, cmd) {
    var data = { cmd: cmd };
    for (var k in a.data) if (a.data.hasOwnProperty(k)) data[k] = a.data[k];
    say(cmd === 'enable' ? '正在安装，请稍候……' : '正在卸载，请稍候……');
    call('/deployaddons/runParams', utf8Base64(JSON.stringify(data)), function (err, status, text) {
      if (err) return say(err.message, true);
      if (status === 200 && (text === 'OK' || text === '')) {
        say(cmd === 'enable'
          ? '安装成功。请关闭并重新打开 WPS 表格，在「绩效」选项卡中点击「绩效表格助手」。'
          : '已卸载。重新打开 WPS 表格后「绩效」选项卡不再出现。');
        refresh();
      } else {
        say('WPS 没有完成操作（' + status + (text ? '：' + text : '') + '）。请确认 WPS Office 已打开后重试；仍失败请联系本单位信息技术部门。', true);
      }
    });
  }

  // What this computer has installed (WPS's list of add-ins).
  function refresh() {
    call('/publishlist', '', function (err, status, text) {
      installed = {};
      if (!err && status === 200) {
        var list = [];
        try { list = JSON.parse(text) || []; } catch (e) { list = []; }
        for (var i = 0; i < list.length; i++) {
          var item = list[i];
          if (item.name !== '${ADDIN_NAME}' || item.enable === 'false') continue;
          installed[item.online === 'false' ? 'offline' : 'online'] = true;
        }
      }
      render();
    }, 3);
  }

  render();
  refresh();
})();
</script>
</body>
</html>
`;
}

/** 说明.txt beside the files: what each one is and where it goes. CRLF and a BOM, for Notepad. */
function readmeText({ origin, version, files }) {
  const u = deploymentUrls(origin, version);
  const row = (name, text) => `${name.padEnd(28)}${text}`;
  return `\ufeff${[
    `PerfSheet 绩效表格助手 ${version} — WPS 加载项`,
    '',
    `部署地址（构建时指定）：${origin}`,
    '',
    row(`${ADDIN_DIR}/`, `加载项文件夹（在线模式）：放到服务器上，使 ${u.ribbon} 可以访问`),
    row(archiveName(version), `离线安装包（7z），jsplugins.xml 指向它：${u.archive}`),
    row('jsplugins.xml', '离线模式的加载项列表（oem.ini 的 JSPluginsServer 指向它）'),
    row('jsplugins-online.xml', '在线模式的加载项列表（oem.ini 的 JSPluginsServer 指向它）'),
    row('publish.html', `安装页面：${u.publish}`),
    row('WPS.md', '部署说明（在线/离线部署、oem.ini、nginx/IIS 设置、确认安装、更新与回滚）'),
    '',
    '注意：以上文件中的网址已写死为部署地址；要换地址，请重新构建，不要手工修改。',
    '',
    '文件清单：',
    ...files.map((f) => `  ${f}`),
    '',
  ].join('\r\n')}`;
}

function listFiles(dir, prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), `${rel}/`));
    else out.push(rel);
  }
  return out;
}

/** Runs webpack.wps.config.js into `addinDir`. */
async function bundle(addinDir, mode = 'production') {
  const webpack = require('webpack');
  const config = await require(path.join(ROOT, 'webpack.wps.config.js'))({ out: addinDir }, { mode });
  await new Promise((resolve, reject) => {
    webpack(config, (err, stats) => {
      if (err) return reject(err);
      if (stats.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      resolve();
    });
  });
}

/** Local references (src/href) of an HTML page, for the completeness check. */
function localRefs(html) {
  const refs = [];
  for (const m of html.matchAll(/\b(?:src|href)="([^"]+)"/g)) {
    if (!/^[a-z][a-z0-9+.-]*:|^#|^\/\//i.test(m[1])) refs.push(m[1]);
  }
  return refs;
}

/** Problems of a built output: missing referenced files, development URLs left in a build for another origin. */
function checkOutput(out, origin) {
  const problems = [];
  const addin = path.join(out, ADDIN_DIR);
  for (const page of ['index.html', 'taskpane.html']) {
    const html = fs.readFileSync(path.join(addin, page), 'utf8');
    for (const ref of localRefs(html)) {
      if (!fs.existsSync(path.join(addin, ref))) problems.push(`${page} 引用的 ${ref} 不存在`);
    }
  }
  if (origin !== DEFAULT_ORIGIN) {
    for (const f of listFiles(out)) {
      if (!/\.(html|xml|js|txt)$/.test(f)) continue; // not WPS.md: its examples name the local test address
      const text = fs.readFileSync(path.join(out, f), 'utf8');
      // WPS's own local service (publish.html talks to it) is the one local address allowed.
      if (/https?:\/\/(localhost|127\.0\.0\.1)\b/.test(text.replace(/https?:\/\/127\.0\.0\.1:5889[01]\b/g, ''))) {
        problems.push(`${f} 仍包含本机地址`);
      }
    }
  }
  return problems;
}

/** The whole build. Returns what was written. */
async function buildWps({ origin = DEFAULT_ORIGIN, out = path.join(ROOT, 'dist-wps'), mode = 'production' } = {}) {
  origin = normalizeOrigin(origin);
  const version = packageVersion();
  out = path.resolve(out);
  const addinDir = path.join(out, ADDIN_DIR);
  fs.mkdirSync(out, { recursive: true });
  // Only what this build writes is removed (an older version's archive included).
  for (const f of fs.readdirSync(out)) {
    if (
      f === ADDIN_DIR ||
      /^perfsheet_.*\.7z$/.test(f) ||
      ['jsplugins.xml', 'jsplugins-online.xml', 'publish.html', '说明.txt', 'WPS.md'].includes(f)
    ) {
      fs.rmSync(path.join(out, f), { recursive: true, force: true });
    }
  }
  await bundle(addinDir, mode);

  const addinFiles = listFiles(addinDir);
  const archive = create7z(
    addinFiles.map((f) => ({ path: `${ADDIN_NAME}_${version}/${f}`, data: fs.readFileSync(path.join(addinDir, f)) })),
  );
  fs.writeFileSync(path.join(out, archiveName(version)), archive);
  fs.writeFileSync(path.join(out, 'jsplugins.xml'), jspluginsXml({ origin, version }));
  fs.writeFileSync(path.join(out, 'jsplugins-online.xml'), jspluginsOnlineXml({ origin, version }));
  fs.writeFileSync(path.join(out, 'publish.html'), publishHtml({ origin, version }));
  fs.copyFileSync(path.join(ROOT, 'docs', 'WPS.md'), path.join(out, 'WPS.md'));
  fs.writeFileSync(
    path.join(out, '说明.txt'),
    readmeText({ origin, version, files: addinFiles.map((f) => `${ADDIN_DIR}/${f}`) }),
  );

  const problems = checkOutput(out, origin);
  if (problems.length) throw fail(`构建结果有问题：\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return { out, origin, version, files: listFiles(out), urls: deploymentUrls(origin, version) };
}

/** MIME types of what the output holds, as a web server should send them (docs/WPS.md, section 4). */
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.png': 'image/png',
  '.7z': 'application/x-7z-compressed',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

/**
 * Serves a built output for a test on this computer (`--serve`, only for a local origin): `<origin>` maps to
 * `out`, with the MIME types and no-cache headers docs/WPS.md asks of a real server. Resolves with the server.
 */
function serveOutput(out, origin, port = Number(new URL(origin).port || 80)) {
  const http = require('http');
  const prefix = new URL(origin).pathname;
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url || '/', 'http://x').pathname);
    } catch {
      pathname = '';
    }
    const file = pathname.startsWith(prefix) ? path.join(out, pathname.slice(prefix.length)) : '';
    const inside = file && path.resolve(file).startsWith(path.resolve(out) + path.sep);
    if (!inside || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('404');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file).toLowerCase()] || 'application/octet-stream',
      'Cache-Control': 'no-cache',
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, new URL(origin).hostname === 'localhost' ? '127.0.0.1' : new URL(origin).hostname, () =>
      resolve(server),
    );
  });
}

function isLocalOrigin(origin) {
  return ['127.0.0.1', 'localhost'].includes(new URL(origin).hostname);
}

/** `--env origin=URL --env out=DIR` (webpack's syntax, as the Excel build takes it). */
function parseArgs(argv) {
  const env = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let kv = null;
    if (a === '--env') kv = argv[++i];
    else if (a.startsWith('--env=')) kv = a.slice('--env='.length);
    else if (a === '--mode') env.mode = argv[++i];
    else if (a === '--serve') env.serve = true;
    else throw fail(`不认识的参数：${a}（用法：npm run build:wps -- --env origin=https://服务器/路径/）`);
    if (kv === null || kv === undefined) continue;
    const eq = kv.indexOf('=');
    if (eq < 1) throw fail(`--env 应为 名称=值：“${kv}”`);
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  for (const k of Object.keys(env)) {
    if (!['origin', 'out', 'mode', 'serve'].includes(k)) throw fail(`不认识的 --env ${k}（可用：origin、out）`);
  }
  return env;
}

if (require.main === module) {
  (async () => {
    const env = parseArgs(process.argv.slice(2));
    const result = await buildWps({ origin: env.origin, out: env.out, mode: env.mode });
    const size = (f) => fs.statSync(path.join(result.out, f)).size;
    console.log(
      `已构建 PerfSheet WPS 加载项 ${result.version} → ${path.relative(process.cwd(), result.out) || result.out}`,
    );
    console.log(
      `部署地址：${result.origin}${result.origin === DEFAULT_ORIGIN ? '（本机测试地址；部署请加 -- --env origin=https://服务器/路径/）' : ''}`,
    );
    for (const f of result.files) console.log(`  ${f}  ${(size(f) / 1024).toFixed(1)} KB`);
    if (env.serve) {
      if (!isLocalOrigin(result.origin)) throw fail('--serve 只用于本机测试地址（不写 --env origin 时的默认地址）。');
      await serveOutput(result.out, result.origin);
      console.log(`\n正在提供 ${result.out}：${result.origin}（按 Ctrl+C 停止）`);
      console.log(
        `在线测试：oem.ini 的 [Server] JSPluginsServer=${result.origin}jsplugins-online.xml（见 docs/WPS.md 第 6 节）`,
      );
      console.log(`或在浏览器中打开 ${result.origin}publish.html 安装。`);
    }
  })().catch((e) => {
    console.error(`构建 WPS 加载项失败：${e.userFacing ? e.message : e.stack || e}`);
    process.exit(1);
  });
}

module.exports = {
  ADDIN_DIR,
  ADDIN_NAME,
  ADDIN_TYPE,
  DEFAULT_ORIGIN,
  archiveName,
  buildWps,
  checkOutput,
  deploymentUrls,
  jspluginsOnlineXml,
  jspluginsXml,
  localRefs,
  normalizeOrigin,
  packageVersion,
  parseArgs,
  publishHtml,
  serveOutput,
};
