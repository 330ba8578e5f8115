/**
 * `npm run build:wps -- --env origin=…`: the WPS 加载项 as WPS and the IT department get it.
 *
 * The build runs once (a child Node process, as npm would run it) for an intranet origin; the tests read its
 * output: ribbon.xml is CustomUI whose every callback is a global of the entry bundle (evaluated in a vm with a
 * fake window and Application), jsplugins.xml and jsplugins-online.xml name the add-in at the origin with
 * package.json's version, every file the pages reference exists, nothing points at a local address, the bundles
 * parse as ES2019 (the inline scripts and publish.html as ES5), and the offline .7z holds the add-in folder.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { spawn, spawnSync } from 'child_process';
import * as acorn from 'acorn';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { chromium } from 'playwright-core';
import { RIBBON_ICONS, TASKPANE_ID_KEY } from '../../src/wps/addin';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium';
import { SimWps } from '../../src/wps-sim';

const ROOT = path.resolve(__dirname, '..', '..');
const ORIGIN = 'https://intranet.example.gov.cn/wps/';
const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
const CUSTOMUI_NS = 'http://schemas.microsoft.com/office/2006/01/customui';
/** CustomUI attributes that name a callback of the entry page. */
const CALLBACK_ATTRS =
  /^(onLoad|onAction|onChange|getImage|getEnabled|getVisible|getLabel|getScreentip|getSupertip|getPressed|getKeytip|getShowLabel|getShowImage|getSize|getDescription|getContent|getItemCount|getItemLabel|getItemID|getItemImage|getSelectedItemID|getSelectedItemIndex|getText|loadImage)$/;

let out: string;
let addin: string;

function runBuild(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'build-wps.js'), ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-wps-'));
  const r = await runBuild(['--env', `origin=${ORIGIN}`, '--env', `out=${out}`]);
  if (r.code !== 0) throw new Error(`build:wps failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  addin = path.join(out, 'perfsheet');
}, 300_000);

afterAll(() => {
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

const read = (...p: string[]) => fs.readFileSync(path.join(out, ...p), 'utf8');
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: () => false });

/** Every attribute of every element of a parsed XML tree, with its element's name. */
function attributes(node: unknown, tag = '', acc: Array<{ tag: string; name: string; value: string }> = []) {
  if (Array.isArray(node)) for (const n of node) attributes(n, tag, acc);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('@_')) acc.push({ tag, name: k.slice(2), value: String(v) });
      else attributes(v, k, acc);
    }
  }
  return acc;
}

/** The bundle that index.html loads, evaluated in a fresh context whose window is `win`. */
function loadEntryBundle(win: Record<string, unknown>): Record<string, unknown> {
  const html = fs.readFileSync(path.join(addin, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*\ssrc="?([^"\s>]+)"?/g)].map((m) => m[1]);
  expect(scripts).toHaveLength(1);
  const context = vm.createContext({ window: win, URL, console });
  win.window = win;
  vm.runInContext(fs.readFileSync(path.join(addin, scripts[0]), 'utf8'), context, { filename: scripts[0] });
  return win;
}

describe('ribbon.xml', () => {
  test('is well-formed CustomUI (2006 namespace) with onLoad, a 「绩效」 tab and the large 「绩效表格助手」 button', () => {
    const xml = read('perfsheet', 'ribbon.xml');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    expect(Object.keys(doc)).toEqual(['customUI']);
    expect(doc.customUI['@_xmlns']).toBe(CUSTOMUI_NS);
    expect(doc.customUI['@_onLoad']).toBe('OnAddinLoad');
    const tab = doc.customUI.ribbon.tabs.tab;
    expect(tab['@_label']).toBe('绩效');
    const b = tab.group.button;
    expect(b).toMatchObject({ '@_label': '绩效表格助手', '@_size': 'large', '@_onAction': 'OnAction' });
  });

  test('every callback it names is a global function defined by the entry bundle', () => {
    const names = attributes(parser.parse(read('perfsheet', 'ribbon.xml')))
      .filter((a) => CALLBACK_ATTRS.test(a.name))
      .map((a) => a.value);
    expect(new Set(names)).toEqual(new Set(['OnAddinLoad', 'OnAction', 'GetImage', 'OnGetEnabled']));
    const win = loadEntryBundle({ location: { href: `${ORIGIN}perfsheet/index.html` } });
    for (const n of names) expect(typeof win[n]).toBe('function');
  });

  test('the check can fail: a callback name the bundle does not define is not a function there', () => {
    const win = loadEntryBundle({ location: { href: `${ORIGIN}perfsheet/index.html` } });
    expect(typeof win.OnGetLabel).toBe('undefined');
  });

  test('the built callbacks open the pane from the server folder and give icons that exist', () => {
    const created: string[] = [];
    const stored = new Map<string, unknown>();
    const app = {
      ActiveWorkbook: { Name: 'a.xlsx' },
      ApiEvent: { AddApiEventListener() {}, RemoveApiEventListener() {} },
      CreateTaskPane: (url: string) => (created.push(url), { ID: 7, Visible: false, DockPosition: 0 }),
      GetTaskPane: () => null,
      PluginStorage: { getItem: (k: string) => stored.get(k), setItem: (k: string, v: unknown) => stored.set(k, v) },
    };
    const win = loadEntryBundle({ location: { href: `${ORIGIN}perfsheet/index.html` }, Application: app });
    const call = (n: string, ...a: unknown[]) => (win[n] as (...x: unknown[]) => unknown)(...a);
    expect(call('OnAddinLoad', { Invalidate() {}, InvalidateControl() {} })).toBe(true);
    const button = { Id: 'btnPerfSheet' };
    expect(call('OnGetEnabled', button)).toBe(true);
    expect(call('OnAction', button)).toBe(true);
    expect(created).toEqual([`${ORIGIN}perfsheet/taskpane.html`]);
    expect(stored.get(TASKPANE_ID_KEY)).toBe(7);
    const icon = call('GetImage', button) as string;
    expect(fs.existsSync(path.join(addin, icon))).toBe(true);
    for (const f of Object.values(RIBBON_ICONS)) expect(fs.existsSync(path.join(addin, f))).toBe(true);
  });
});

(fs.existsSync(CHROMIUM_PATH) ? describe : describe.skip)('taskpane.html in Chromium', () => {
  test('opened outside WPS (no window.Application) it says in Chinese where to open it, without a script error', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`file://${path.join(addin, 'taskpane.html')}`);
      const notice = page.locator('#ps-boot-error');
      await notice.waitFor({ timeout: 15_000 });
      expect(await notice.locator('h3').textContent()).toBe('请在 WPS 表格中通过加载项打开此页面');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  test('with a window.Application the React pane starts over WpsSession (no notice, no script error)', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      // A bare host (no workbook): enough for the pane to start; the session explains what is missing.
      await page.addInitScript(() => {
        (window as unknown as { Application: unknown }).Application = {
          Build: '12.1.0.16250',
          ActiveWorkbook: null,
          ActiveSheet: null,
          EnableEvents: true,
          ScreenUpdating: true,
          ApiEvent: { AddApiEventListener() {}, RemoveApiEventListener() {} },
        };
      });
      await page.goto(`file://${path.join(addin, 'taskpane.html')}`);
      await page.getByRole('button', { name: '检查', exact: true }).waitFor({ timeout: 15_000 });
      expect(await page.locator('#ps-boot-error').count()).toBe(0);
      expect(await page.textContent('body')).toContain('PerfSheet 绩效表格助手');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('the built entry bundle over the in-memory WPS host (src/wps-sim)', () => {
  test('the first click makes one pane at taskpane.html on the server, the next ones hide and show it', () => {
    const sim = SimWps.fromValues({ Sheet1: [['项目名称', '绩效目标表']] });
    const win = loadEntryBundle({ location: { href: `${ORIGIN}perfsheet/index.html` }, Application: sim.app });
    const call = (n: string, ...a: unknown[]) => (win[n] as (...x: unknown[]) => unknown)(...a);
    expect(call('OnAddinLoad', { Invalidate() {}, InvalidateControl() {} })).toBe(true);
    const button = { Id: 'btnPerfSheet' };
    expect(call('OnGetEnabled', button)).toBe(true);
    expect(call('OnAction', button)).toBe(true);
    expect(sim.taskPanes.map((p) => ({ url: p.url, title: p.title, visible: p.Visible }))).toEqual([
      { url: `${ORIGIN}perfsheet/taskpane.html`, title: 'PerfSheet 绩效表格助手', visible: true },
    ]);
    expect(call('OnAction', button)).toBe(true);
    expect(call('OnAction', button)).toBe(true);
    expect(sim.taskPanes).toHaveLength(1);
    expect(sim.taskPanes[0].Visible).toBe(true);
    expect(call('OnAction', button)).toBe(true);
    expect(sim.taskPanes[0].Visible).toBe(false);
  });
});

/** Bundles test/wps-pack/sim-host.ts (the in-memory WPS host for the browser) with the WPS build's settings. */
function buildHarness(dir: string): Promise<void> {
  const script = `
    const webpack = require('webpack');
    require('./webpack.wps.config.js')({ out: process.argv[1] }, { mode: 'production' }).then((config) => {
      config.entry = { harness: './test/wps-pack/sim-host.ts' };
      config.output.filename = '[name].js';
      config.plugins = config.plugins.filter((p) => p instanceof webpack.IgnorePlugin);
      webpack(config, (err, stats) => {
        if (err) { console.error(err); process.exit(1); }
        if (stats.hasErrors()) { console.error(stats.toString({ all: false, errors: true })); process.exit(1); }
      });
    }, (e) => { console.error(e); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`harness build failed (${code}):\n${stderr}`)),
    );
  });
}

(fs.existsSync(CHROMIUM_PATH) ? describe : describe.skip)(
  'the built pane over a workbook in the in-memory WPS host',
  () => {
    const FIXTURE = '石家庄市总工会_2025_绩效自评表.xlsx';
    let harness: string;

    beforeAll(async () => {
      harness = path.join(out, 'harness');
      await buildHarness(harness);
    }, 300_000);

    test('checks the workbook through WpsSession: every table’s total is the fixture’s truth', async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        // The intranet server: the built add-in folder, with taskpane.html handing its bundle to the harness, which
        // loads it once window.Application is there (as WPS provides it before a page's scripts run).
        await page.route(`${ORIGIN}**`, async (route) => {
          const rel = decodeURIComponent(
            new URL(route.request().url()).pathname.slice(new URL(ORIGIN).pathname.length),
          );
          if (rel === 'perfsheet/taskpane.html') {
            const html = fs.readFileSync(path.join(addin, 'taskpane.html'), 'utf8');
            const m = /<script defer(?:="")? src="?(taskpane\.[0-9a-f]{8}\.js)"?><\/script>/.exec(html);
            if (!m) throw new Error('taskpane.html: no deferred pane bundle');
            const config = JSON.stringify({ fixture: `${ORIGIN}fixture.xlsx`, fileName: FIXTURE, paneScript: m[1] });
            const body = html.replace(
              m[0],
              `<script>window.perfsheetHarness = ${config};</script><script src="../harness/harness.js"></script>`,
            );
            return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
          }
          const file =
            rel === 'fixture.xlsx'
              ? path.join(ROOT, 'test', 'fixtures', FIXTURE)
              : rel.startsWith('harness/')
                ? path.join(harness, rel.slice('harness/'.length))
                : path.join(out, rel);
          if (!fs.existsSync(file)) return route.fulfill({ status: 404, body: '' });
          return route.fulfill({ status: 200, body: fs.readFileSync(file) });
        });
        await page.goto(`${ORIGIN}perfsheet/taskpane.html`);
        // The totals the fixture's truth file gives (the same the Excel pane shows).
        const truth: { tables: { sheet: string; expected?: { total?: number } }[] } = JSON.parse(
          fs.readFileSync(path.join(ROOT, 'test', 'fixtures', FIXTURE.replace(/\.xlsx$/, '.truth.json')), 'utf8'),
        );
        const expected = truth.tables
          .filter((t) => typeof t.expected?.total === 'number')
          .map((t) => ({ sheet: t.sheet, total: t.expected!.total!.toFixed(2) }));
        expect(expected.length).toBeGreaterThan(1);
        await page.getByTestId('table-card').first().waitFor({ timeout: 60_000 });
        await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 60_000 });
        const shown = await page.evaluate(
          (sheets) =>
            sheets.map((sheet) => ({
              sheet,
              total:
                document.querySelector(`[data-testid="table-card"][data-sheet="${sheet}"] [data-testid="total"]`)
                  ?.textContent ?? null,
            })),
          expected.map((e) => e.sheet),
        );
        expect(shown).toEqual(expected);
        const calls = await page.evaluate(() => (window as unknown as { perfsheetSim: SimWps }).perfsheetSim.callCount);
        expect(calls).toBeGreaterThan(0);
        expect(await page.locator('#ps-boot-error').count()).toBe(0);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 120_000);
  },
);

describe('jsplugins.xml and jsplugins-online.xml', () => {
  test('offline: one <jsplugin> named PerfSheet, type et, the .7z on the origin, package.json version', () => {
    const xml = read('jsplugins.xml');
    expect(XMLValidator.validate(xml)).toBe(true);
    const p = parser.parse(xml).jsplugins.jsplugin;
    expect(p).toEqual({
      '@_name': 'PerfSheet',
      '@_type': 'et',
      '@_url': `${ORIGIN}perfsheet_${VERSION}.7z`,
      '@_version': VERSION,
      '@_enable': 'true',
    });
    expect(fs.existsSync(path.join(out, `perfsheet_${VERSION}.7z`))).toBe(true);
  });

  test('online: one <jspluginonline> whose url is the add-in folder on the origin, holding ribbon.xml', () => {
    const xml = read('jsplugins-online.xml');
    expect(XMLValidator.validate(xml)).toBe(true);
    const p = parser.parse(xml).jsplugins.jspluginonline;
    expect(p).toMatchObject({ '@_name': 'PerfSheet', '@_type': 'et', '@_url': `${ORIGIN}perfsheet/` });
    const rel = (p['@_url'] as string).slice(ORIGIN.length);
    expect(fs.existsSync(path.join(out, rel, 'ribbon.xml'))).toBe(true);
    expect(fs.existsSync(path.join(out, rel, 'index.html'))).toBe(true);
  });
});

describe('the output as deployed', () => {
  const allFiles = (dir: string, prefix = ''): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? allFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
      );

  test('the files the build promises are there', () => {
    const files = allFiles(out);
    for (const f of [
      'perfsheet/ribbon.xml',
      'perfsheet/index.html',
      'perfsheet/taskpane.html',
      'perfsheet/images/icon-32.png',
      'perfsheet/help/support.html', // the rule help the pane links (scripts/rules-help.ts)
      `perfsheet_${VERSION}.7z`,
      'jsplugins.xml',
      'jsplugins-online.xml',
      'publish.html',
      '说明.txt',
      'WPS.md',
    ]) {
      expect(files).toContain(f);
    }
  });

  test('every file index.html and taskpane.html reference exists in the add-in folder', () => {
    for (const page of ['index.html', 'taskpane.html']) {
      const html = fs.readFileSync(path.join(addin, page), 'utf8');
      const refs = [...html.matchAll(/\s(?:src|href)=(?:"([^"]+)"|([^\s>]+))/g)].map((m) => m[1] ?? m[2]);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        expect(ref).not.toMatch(/^(https?:)?\/\//); // no absolute URL: the folder works online and unpacked offline
        expect(fs.existsSync(path.join(addin, ref))).toBe(true);
      }
    }
  });

  test('no local address is left when an origin is given (only WPS’s own local service in publish.html)', () => {
    for (const f of allFiles(out).filter((x) => /\.(html|xml|js|txt)$/.test(x))) {
      const text = read(f).replace(/https?:\/\/127\.0\.0\.1:5889[01]/g, '');
      expect({ f, local: /https?:\/\/(localhost|127\.0\.0\.1)/.test(text) }).toEqual({ f, local: false });
    }
    for (const f of ['jsplugins.xml', 'jsplugins-online.xml', 'publish.html']) {
      const urls = [...read(f).matchAll(/https?:\/\/[^"'\s<)]+/g)].map((m) => m[0]);
      expect(urls.length).toBeGreaterThan(0);
      for (const u of urls) expect(u.startsWith(ORIGIN) || /^https?:\/\/127\.0\.0\.1:5889[01]$/.test(u)).toBe(true);
    }
  });

  test('the bundles parse as ES2019 and the inline scripts (pane watchdog, publish.html) as ES5', () => {
    const bundles = fs.readdirSync(addin).filter((f) => f.endsWith('.js'));
    expect(bundles.map((f) => f.replace(/\.[0-9a-f]{8}\.js$/, ''))).toEqual(['addin', 'taskpane']);
    for (const f of bundles) {
      expect(() => acorn.parse(fs.readFileSync(path.join(addin, f), 'utf8'), { ecmaVersion: 2019 })).not.toThrow();
    }
    const inline = (html: string) => [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    const es5 = [...inline(read('perfsheet', 'taskpane.html')), ...inline(read('publish.html'))];
    expect(es5).toHaveLength(2);
    for (const s of es5) expect(() => acorn.parse(s, { ecmaVersion: 5 })).not.toThrow();
    // The check can fail: an arrow function is not ES5.
    expect(() => acorn.parse('var f = () => 1;', { ecmaVersion: 5 })).toThrow();
  });

  test('the pane bundle carries the Chinese notice for a page opened outside WPS', () => {
    const bundle = fs.readdirSync(addin).find((f) => /^taskpane\..*\.js$/.test(f))!;
    expect(fs.readFileSync(path.join(addin, bundle), 'utf8')).toContain('请在 WPS 表格中通过加载项打开此页面');
  });

  test('publish.html offers the online folder and the offline archive of this version', () => {
    const html = read('publish.html');
    expect(html).toContain(`"url":"${ORIGIN}perfsheet/"`);
    expect(html).toContain(`"url":"${ORIGIN}perfsheet_${VERSION}.7z"`);
    expect(html).toContain(`"version":"${VERSION}"`);
    expect(html).toContain('"addonType":"et"');
  });
});

describe('the offline archive', () => {
  const archive = () => fs.readFileSync(path.join(out, `perfsheet_${VERSION}.7z`));

  test('is a 7z file whose start header and header CRCs are right', () => {
    const a = archive();
    expect([...a.subarray(0, 6)]).toEqual([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);
    const crc = (b: Buffer) => zlibCrc32(b);
    expect(a.readUInt32LE(8)).toBe(crc(a.subarray(12, 32)));
    const nextOffset = Number(a.readBigUInt64LE(12));
    const nextSize = Number(a.readBigUInt64LE(20));
    expect(32 + nextOffset + nextSize).toBe(a.length);
    expect(a.readUInt32LE(28)).toBe(crc(a.subarray(32 + nextOffset)));
  });

  const sevenZip = spawnSync('7z', ['i'], { encoding: 'utf8' }).status === 0;
  (sevenZip ? test : test.skip)(
    '7-Zip tests it and unpacks PerfSheet_<version>/ identical to the add-in folder',
    () => {
      const file = path.join(out, `perfsheet_${VERSION}.7z`);
      const t = spawnSync('7z', ['t', file], { encoding: 'utf8' });
      expect(t.status).toBe(0);
      expect(t.stdout).toContain('Everything is Ok');
      const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-7z-'));
      try {
        expect(spawnSync('7z', ['x', `-o${dest}`, file], { encoding: 'utf8' }).status).toBe(0);
        expect(fs.readdirSync(dest)).toEqual([`PerfSheet_${VERSION}`]);
        const unpacked = path.join(dest, `PerfSheet_${VERSION}`);
        const list = (d: string, p = ''): string[] =>
          fs
            .readdirSync(d, { withFileTypes: true })
            .flatMap((e) => (e.isDirectory() ? list(path.join(d, e.name), `${p}${e.name}/`) : [`${p}${e.name}`]))
            .sort();
        expect(list(unpacked)).toEqual(list(addin));
        for (const f of list(addin))
          expect(fs.readFileSync(path.join(unpacked, f)).equals(fs.readFileSync(path.join(addin, f)))).toBe(true);
      } finally {
        fs.rmSync(dest, { recursive: true, force: true });
      }
    },
  );
});

describe('build arguments', () => {
  test('a bad origin is refused in Chinese, without a stack trace', async () => {
    const r = await runBuild(['--env', 'origin=ftp://intranet/wps/', '--env', `out=${path.join(out, 'bad')}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^构建 WPS 加载项失败：--env origin 必须是 http 或 https 地址/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(out, 'bad'))).toBe(false);
  });
});

/** CRC-32 (IEEE), written out here so that the archive's CRCs are checked against an independent implementation. */
function zlibCrc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
