/**
 * Deployment builds in real Chromium.
 *
 * - A build with `--env officejs=local --env origin=…/addin/`, served under /addin/ from 127.0.0.1: the task pane
 *   page loads Office.js and the files it needs for Excel on Windows, Mac and the web from its own origin, and
 *   requests nothing anywhere else.
 * - The ordinary build (Office.js from Microsoft's CDN, dist/ from global-setup) where the CDN is unreachable:
 *   the pane says so in Chinese, at once when the request fails, after a few seconds when it hangs.
 * - The bundles parse as ES2019 (old web views: Safari 15, early WebView2).
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import * as acorn from 'acorn';
import { spawn, spawnSync } from 'child_process';
import JSZip from 'jszip';
import type { Browser, Page } from 'playwright-core';
import { launch, previewUrl, shot } from './browser';

const ROOT = path.resolve(__dirname, '..', '..');
const BASE = 'https://perfsheet.example.gov.cn/addin/';
const CDN = 'https://appsforoffice.microsoft.com/';

let browser: Browser;
let outDir: string;
let server: http.Server;
let origin: string;

/**
 * Builds the task pane only (the preview is not deployed) into `dir` with the given --env values, in a child
 * Node process as `npm run build` would: the manifest step loads office-addin-manifest, which pulls in an ES
 * module that jest's module runtime cannot require.
 */
function build(dir: string, env: Record<string, string>): Promise<void> {
  const script = `
    const webpack = require('webpack');
    const env = JSON.parse(process.argv[1]);
    require('./webpack.config.js')(env, { mode: 'production' }).then((config) => {
      config.entry = { taskpane: config.entry.taskpane };
      config.plugins = config.plugins.filter((p) => !(p.userOptions && p.userOptions.filename === 'preview.html'));
      webpack(config, (err, stats) => {
        if (err) { console.error(err); process.exit(1); }
        if (stats.hasErrors()) { console.error(stats.toString({ all: false, errors: true })); process.exit(1); }
      });
    }, (e) => { console.error(e); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, JSON.stringify({ ...env, out: dir })], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`build failed (${code}):\n${stderr}`))));
  });
}

/** Serves `dir` under /addin/ on 127.0.0.1, as an intranet server would. */
function serve(dir: string): Promise<{ server: http.Server; origin: string }> {
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.png': 'image/png',
    '.xml': 'application/xml',
  };
  const s = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const file = path.normalize(path.join(dir, p.replace(/^\/addin\//, '')));
    if (!p.startsWith('/addin/') || !file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    s.listen(0, '127.0.0.1', () =>
      resolve({ server: s, origin: `http://127.0.0.1:${(s.address() as { port: number }).port}` }),
    ),
  );
}

/** Opens a page and records every request, and every response that is not a success. */
async function open(url: string, prepare?: (page: Page) => Promise<unknown>) {
  const page = await browser.newPage();
  const requests: string[] = [];
  const bad: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => bad.push(`failed ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) bad.push(`${r.status()} ${r.url()}`);
  });
  if (prepare) await prepare(page);
  await page.goto(url, { waitUntil: 'commit' });
  return { page, requests, bad };
}

beforeAll(async () => {
  browser = await launch();
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-local-officejs-'));
  await build(outDir, { officejs: 'local', origin: BASE });
  ({ server, origin } = await serve(outDir));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

describe('a build with Office.js on the intranet (--env officejs=local)', () => {
  test('ships office.js, the Excel host files and the zh-CN/en-US strings, and the page points at them', () => {
    for (const f of [
      'office.js',
      'excel-win32-16.01.js',
      'excel-mac-16.00.js',
      'excel-web-16.00.js',
      'zh-cn/office_strings.js',
      'en-us/office_strings.js',
    ]) {
      expect({ f, there: fs.existsSync(path.join(outDir, 'office-js', f)) }).toEqual({ f, there: true });
    }
    // Only what Excel needs: no Word/Outlook hosts, no other languages.
    const all = fs.readdirSync(path.join(outDir, 'office-js'));
    expect(all.filter((f) => /^(word|outlook|powerpoint|onenote)/.test(f))).toEqual([]);
    expect(all.filter((f) => /^[a-z]{2}-[a-z]{2}$/.test(f)).sort()).toEqual(['en-us', 'zh-cn']);
    // Copied as Microsoft ships them, not re-minified.
    const shipped = path.join(path.dirname(require.resolve('@microsoft/office-js/package.json')), 'dist', 'office.js');
    expect(fs.readFileSync(path.join(outDir, 'office-js', 'office.js')).equals(fs.readFileSync(shipped))).toBe(true);
    const html = fs.readFileSync(path.join(outDir, 'taskpane.html'), 'utf8');
    expect(html).toMatch(/<script[^>]*src="?office-js\/office\.js"?[^>]*>/);
    expect(html).not.toContain('appsforoffice.microsoft.com/lib');
    const manifest = fs.readFileSync(path.join(outDir, 'manifest.xml'), 'utf8');
    expect(manifest).toContain(`<SourceLocation DefaultValue="${BASE}taskpane.html"/>`);
    expect(manifest).not.toContain('localhost');
  });

  test.each([
    ['Excel on Windows', 'Excel$Win32$16.01$zh-CN$$$$0', 'excel-win32-16.01.js', 'zh-cn'],
    ['Excel on the web', 'Excel$Web$16.00$zh-CN$$$$0', 'excel-web-16.00.js', 'zh-cn'],
    ['Excel on Mac', 'Excel$Mac$16.00$en-US$$$$0', 'excel-mac-16.00.js', 'en-us'],
  ])(
    'as %s would open it, the page loads Office.js and its host file from its own origin and nothing else',
    async (_name, hostInfo, hostFile, locale) => {
      const { page, requests, bad } = await open(
        `${origin}/addin/taskpane.html?_host_Info=${encodeURIComponent(hostInfo)}`,
      );
      await page.waitForRequest((r) => r.url().endsWith(`/office-js/${hostFile}`));
      await page.waitForLoadState('load');
      await page.waitForTimeout(1000);
      expect(requests).toContain(`${origin}/addin/office-js/office.js`);
      expect(requests).toContain(`${origin}/addin/office-js/${hostFile}`);
      expect(requests).toContain(`${origin}/addin/office-js/${locale}/office_strings.js`);
      expect(requests.filter((u) => !u.startsWith(`${origin}/`))).toEqual([]);
      expect(bad).toEqual([]);
      await page.close();
    },
  );

  test('opened outside Office it requests nothing outside its origin either, and the pane explains itself', async () => {
    const { page, requests } = await open(`${origin}/addin/taskpane.html`);
    await page.getByRole('alert').waitFor({ timeout: 15_000 });
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/PerfSheet 无法启动/);
    await page.waitForTimeout(3500); // office.js's own delayed loads (telemetry after 3 s) would show up here
    expect(requests.filter((u) => !u.startsWith(`${origin}/`))).toEqual([]);
    await page.close();
  });
});

describe('npm run package', () => {
  const run = (dist: string, out: string) =>
    spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'package.js'), '--dist', dist, '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });

  test('zips what the server needs, the manifest, DEPLOY.md and a Chinese note for IT', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-release-'));
    try {
      const r = run(outDir, out);
      expect(r.status).toBe(0);
      const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
      const zipFile = path.join(out, `perfsheet-addin-${version}.zip`);
      const zip = await JSZip.loadAsync(fs.readFileSync(zipFile));
      const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
      const top = `perfsheet-addin-${version}/`;
      expect(names.every((n) => n.startsWith(top))).toBe(true);
      const rel = names.map((n) => n.slice(top.length));
      for (const f of [
        'taskpane.html',
        'manifest.xml',
        'DEPLOY.md',
        '说明.txt',
        'assets/icon-32.png',
        'assets/support.html',
        'office-js/office.js',
        'office-js/zh-cn/office_strings.js',
      ]) {
        expect(rel).toContain(f);
      }
      expect(rel.filter((f) => /^taskpane\.[0-9a-f]{8}\.js$/.test(f))).toHaveLength(1);
      expect(rel.filter((f) => f.startsWith('preview') || f.startsWith('office-js-preview/') || f.startsWith('samples/'))).toEqual([]);
      const note = await zip.file(`${top}说明.txt`)!.async('string');
      expect(note).toContain(`部署地址（构建时指定）：${BASE}`);
      expect(note).toContain('随包提供');
      const manifest = await zip.file(`${top}manifest.xml`)!.async('string');
      expect(manifest).toBe(fs.readFileSync(path.join(outDir, 'manifest.xml'), 'utf8'));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('refuses a build for the dev server, in Chinese', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-release-'));
    try {
      const r = run(path.join(ROOT, 'dist'), out); // global-setup's build: manifest.xml on localhost
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/打包失败：dist\/manifest\.xml 指向开发服务器 localhost/);
      expect(fs.readdirSync(out)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('Office.js from the CDN, on a network that cannot reach it', () => {
  const taskpaneUrl = () => previewUrl().replace(/preview\.html.*$/, 'taskpane.html');

  test('a refused CDN request: the pane says at once, in Chinese, that Office.js did not load and why', async () => {
    const { page } = await open(taskpaneUrl(), (p) =>
      p.route(`${CDN}**`, (route) => route.abort('internetdisconnected')),
    );
    const alert = page.locator('#ps-boot-error');
    await alert.waitFor({ timeout: 15_000 });
    // Shown before the watchdog's 8 s timer could fire (page time since navigation): the script's error event did it.
    expect(await page.evaluate(() => performance.now())).toBeLessThan(8000);
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('PerfSheet 无法启动：Office.js 没有加载');
    expect(text).toContain('appsforoffice.microsoft.com');
    expect(text).toMatch(/代理服务器/);
    // The bundle ran too (the script is not blocked any more) and left the message in place, inside #root.
    await page.locator('#root #ps-boot-error').waitFor();
    await expect(page.locator('#root').textContent()).resolves.not.toContain('正在加载');
    await shot(page, 'deploy-01-cdn-refused');
    await page.close();
  });

  test('a CDN request that hangs: the message appears after a few seconds, not a blank pane', async () => {
    let pending = 0;
    const { page } = await open(taskpaneUrl(), (p) =>
      p.route(`${CDN}**`, () => {
        pending++; // never answered, as behind a proxy that swallows the connection
      }),
    );
    const alert = page.locator('#ps-boot-error');
    await alert.waitFor({ timeout: 15_000 });
    expect(pending).toBe(1);
    await expect(alert.getAttribute('data-kind')).resolves.toBe('missing');
    await expect(alert.textContent()).resolves.toMatch(/appsforoffice\.microsoft\.com[\s\S]*代理服务器/);
    // No screenshot here: Chromium waits for the page to finish loading, which the hanging script prevents.
    await page.close();
  });
});

describe('syntax level of the bundle', () => {
  test('every script of the task pane parses as ES2019', () => {
    const scripts = fs.readdirSync(outDir).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const f of scripts) {
      expect(() =>
        acorn.parse(fs.readFileSync(path.join(outDir, f), 'utf8'), { ecmaVersion: 2019, sourceType: 'script' }),
      ).not.toThrow();
    }
  });

  test('the check can fail: a dependency as published (tabster, ES2022) does not parse as ES2019', () => {
    // The CommonJS build of tabster, which webpack would otherwise bundle as is (it uses `??=`).
    const src = fs.readFileSync(path.join(path.dirname(require.resolve('tabster')), 'Utils.cjs'), 'utf8');
    expect(src).toContain('??=');
    expect(() => acorn.parse(src, { ecmaVersion: 2022, sourceType: 'script' })).not.toThrow();
    expect(() => acorn.parse(src, { ecmaVersion: 2019, sourceType: 'script' })).toThrow();
  });
});
