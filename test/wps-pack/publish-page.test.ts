/**
 * publish.html in real Chromium, with WPS's local install service (127.0.0.1:58890) played by Playwright routes:
 * 「安装」 sends WPS the add-in (name, type et, url on the origin, version) as base64 JSON, the page reports the
 * outcome in Chinese, and it shows what WPS says is installed. Skipped where Debian's Chromium is missing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page, Route } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const build = require('../../scripts/build-wps') as { publishHtml(o: { origin: string; version: string }): string };

const ORIGIN = 'http://10.20.30.40/wps/';
const SERVICE = 'http://127.0.0.1:58890';
const haveChromium = fs.existsSync(CHROMIUM_PATH);

let browser: Browser;
let dir: string;
let file: string;

beforeAll(async () => {
  if (!haveChromium) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-publish-'));
  file = path.join(dir, 'publish.html');
  fs.writeFileSync(file, build.publishHtml({ origin: ORIGIN, version: '2.3.4' }));
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fake WPS service: records the commands it gets, answers /publishlist with `installed`. */
async function openWithService(
  installed: unknown[],
): Promise<{ page: Page; commands: Record<string, string>[]; errors: string[] }> {
  const page = await browser.newPage();
  const commands: Record<string, string>[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route(`${SERVICE}/**`, async (route: Route) => {
    const url = new URL(route.request().url());
    const cors = { 'Access-Control-Allow-Origin': '*' };
    if (url.pathname === '/publishlist') {
      return route.fulfill({ status: 200, headers: cors, body: JSON.stringify(installed) });
    }
    if (url.pathname === '/deployaddons/runParams') {
      commands.push(JSON.parse(Buffer.from(route.request().postData() ?? '', 'base64').toString('utf8')));
      return route.fulfill({ status: 200, headers: cors, body: 'OK' });
    }
    return route.fulfill({ status: 404, headers: cors, body: '' });
  });
  await page.goto(`file://${file}`);
  return { page, commands, errors };
}

(haveChromium ? describe : describe.skip)('publish.html', () => {
  test('「安装」 (online) sends WPS the add-in folder on the origin and says what to do next', async () => {
    const { page, commands, errors } = await openWithService([]);
    await page.locator('button', { hasText: '安装' }).first().click();
    await page.locator('#message', { hasText: '安装成功' }).waitFor({ timeout: 10_000 });
    expect(commands).toEqual([
      {
        cmd: 'enable',
        name: 'PerfSheet',
        addonType: 'et',
        online: 'true',
        url: `${ORIGIN}perfsheet/`,
        version: '2.3.4',
        customDomain: '',
      },
    ]);
    expect(await page.textContent('#message')).toContain('重新打开 WPS 表格');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('offline 「安装」 sends the .7z of this version', async () => {
    const { page, commands } = await openWithService([]);
    await page.locator('button', { hasText: '安装' }).nth(1).click();
    await page.locator('#message', { hasText: '安装成功' }).waitFor({ timeout: 10_000 });
    expect(commands[0]).toMatchObject({
      cmd: 'enable',
      online: 'false',
      url: `${ORIGIN}perfsheet_2.3.4.7z`,
      version: '2.3.4',
    });
    await page.close();
  });

  test('what WPS lists as installed is shown, and 「卸载」 sends disable', async () => {
    const { page, commands } = await openWithService([
      { name: 'PerfSheet', addonType: 'et', online: 'true', url: `${ORIGIN}perfsheet/`, enable: 'true' },
      { name: 'Other', addonType: 'wps', online: 'false', url: 'x', enable: 'true' },
    ]);
    await page.locator('text=（本机已安装）').waitFor({ timeout: 10_000 });
    expect(await page.locator('text=（本机已安装）').count()).toBe(1);
    await page.locator('button', { hasText: '卸载' }).first().click();
    await page.locator('#message', { hasText: '已卸载' }).waitFor({ timeout: 10_000 });
    expect(commands[0]).toMatchObject({ cmd: 'disable', name: 'PerfSheet', online: 'true' });
    await page.close();
  });

  test('a refusal from WPS is reported in Chinese', async () => {
    const page = await browser.newPage();
    await page.route(`${SERVICE}/**`, (route) =>
      route.fulfill({ status: 500, headers: { 'Access-Control-Allow-Origin': '*' }, body: 'denied' }),
    );
    await page.goto(`file://${file}`);
    await page.locator('button', { hasText: '安装' }).first().click();
    await page.locator('#message.error').waitFor({ timeout: 10_000 });
    expect(await page.textContent('#message')).toMatch(/^WPS 没有完成操作（500：denied）/);
    await page.close();
  });
});

(haveChromium ? describe : describe.skip)('publish.html when WPS is not running', () => {
  test('「Subserver not available」 makes the page start WPS (ksoWPSCloudSvr://) and try again', async () => {
    const page = await browser.newPage();
    const launched: string[] = [];
    let calls = 0;
    page.on('request', (r) => {
      if (/^ksowpscloudsvr:/i.test(r.url())) launched.push(r.url());
    });
    await page.route(`${SERVICE}/deployaddons/runParams`, (route) => {
      calls++;
      const cors = { 'Access-Control-Allow-Origin': '*' };
      return calls === 1
        ? route.fulfill({ status: 503, headers: cors, body: JSON.stringify({ data: 'Subserver not available.' }) })
        : route.fulfill({ status: 200, headers: cors, body: 'OK' });
    });
    await page.route(`${SERVICE}/publishlist`, (route) =>
      route.fulfill({ status: 200, headers: { 'Access-Control-Allow-Origin': '*' }, body: '[]' }),
    );
    await page.goto(`file://${file}`);
    await page.locator('button', { hasText: '安装' }).first().click();
    await page.locator('#message', { hasText: '安装成功' }).waitFor({ timeout: 15_000 });
    expect(calls).toBe(2);
    expect(launched).toEqual(['ksowpscloudsvr://start=RelayHttpServer']);
    await page.close();
  });
});
