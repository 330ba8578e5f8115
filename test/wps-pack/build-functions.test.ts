/**
 * The pure parts of scripts/build-wps.js and scripts/build-wps-7z.js: the origin and arguments, the lists WPS
 * reads, and the 7z number encoding.
 */
// Plain CommonJS modules (the build scripts): typed here for the test.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AddressInfo } from 'net';
/* eslint-disable @typescript-eslint/no-require-imports */
const build = require('../../scripts/build-wps') as {
  DEFAULT_ORIGIN: string;
  normalizeOrigin(o: string): string;
  parseArgs(argv: string[]): Record<string, string>;
  jspluginsXml(o: { origin: string; version: string }): string;
  jspluginsOnlineXml(o: { origin: string; version: string }): string;
  deploymentUrls(origin: string, version: string): Record<string, string>;
  serveOutput(out: string, origin: string, port?: number): Promise<import('http').Server>;
};
const sevenZip = require('../../scripts/build-wps-7z') as { number(n: number | bigint): Buffer };
/* eslint-enable @typescript-eslint/no-require-imports */

describe('origin', () => {
  test('http and https are accepted; the path gets its trailing slash', () => {
    expect(build.normalizeOrigin('https://oa.example.gov.cn/wps')).toBe('https://oa.example.gov.cn/wps/');
    expect(build.normalizeOrigin('http://10.1.2.3:8080/addins/')).toBe('http://10.1.2.3:8080/addins/');
    expect(build.normalizeOrigin(build.DEFAULT_ORIGIN)).toBe(build.DEFAULT_ORIGIN);
  });

  test.each([
    ['ftp://host/wps/', /http 或 https/],
    ['host/wps/', /不是完整的网址/],
    ['https://host/wps/?v=1', /查询参数/],
    ['https://user:pw@host/wps/', /用户名或密码/],
  ])('%s is refused in Chinese', (origin, message) => {
    expect(() => build.normalizeOrigin(origin)).toThrow(message);
  });

  test('every deployment URL is under the origin', () => {
    const u = build.deploymentUrls('https://h/p/', '1.2.3');
    expect(u).toEqual({
      folder: 'https://h/p/perfsheet/',
      ribbon: 'https://h/p/perfsheet/ribbon.xml',
      archive: 'https://h/p/perfsheet_1.2.3.7z',
      jsplugins: 'https://h/p/jsplugins.xml',
      jspluginsOnline: 'https://h/p/jsplugins-online.xml',
      publish: 'https://h/p/publish.html',
    });
  });
});

describe('arguments', () => {
  test('--env name=value, as webpack takes it', () => {
    expect(build.parseArgs(['--env', 'origin=https://h/p/', '--env=out=/tmp/x'])).toEqual({
      origin: 'https://h/p/',
      out: '/tmp/x',
    });
  });

  test('unknown arguments are refused', () => {
    expect(() => build.parseArgs(['--origin', 'x'])).toThrow(/不认识的参数/);
    expect(() => build.parseArgs(['--env', 'orign=x'])).toThrow(/不认识的 --env orign/);
  });
});

describe('jsplugins lists', () => {
  test('attribute values are escaped', () => {
    const xml = build.jspluginsXml({ origin: 'https://h/a&b/', version: '1.0.0' });
    expect(xml).toContain('url="https://h/a&amp;b/perfsheet_1.0.0.7z"');
    expect(build.jspluginsOnlineXml({ origin: 'https://h/"x/', version: '1.0.0' })).toContain(
      'url="https://h/&quot;x/perfsheet/"',
    );
  });
});

describe('7z NUMBER', () => {
  test.each([
    [0, [0x00]],
    [0x7f, [0x7f]],
    [0x80, [0x80, 0x80]],
    [0x3fff, [0xbf, 0xff]],
    [0x4000, [0xc0, 0x00, 0x40]],
    [0x0ad07a, [0xca, 0x7a, 0xd0]],
  ])('%i', (n, bytes) => {
    expect([...sevenZip.number(n)]).toEqual(bytes);
  });

  test('a full 64-bit value takes the 0xFF prefix and eight bytes', () => {
    expect([...sevenZip.number(2n ** 56n)]).toEqual([0xff, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('--serve', () => {
  test('serves the output under the origin path with the MIME types a server should send, nothing outside it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-serve-'));
    fs.mkdirSync(path.join(dir, 'perfsheet'));
    fs.writeFileSync(path.join(dir, 'perfsheet', 'ribbon.xml'), '<customUI/>');
    fs.writeFileSync(path.join(dir, 'perfsheet_1.0.0.7z'), Buffer.from([0x37, 0x7a]));
    const server = await build.serveOutput(dir, 'http://127.0.0.1:3889/wps/', 0);
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ribbon = await fetch(`${base}/wps/perfsheet/ribbon.xml`);
      expect(ribbon.status).toBe(200);
      expect(ribbon.headers.get('content-type')).toBe('application/xml; charset=utf-8');
      expect(ribbon.headers.get('cache-control')).toBe('no-cache');
      expect(await ribbon.text()).toBe('<customUI/>');
      const archive = await fetch(`${base}/wps/perfsheet_1.0.0.7z`);
      expect(archive.headers.get('content-type')).toBe('application/x-7z-compressed');
      expect((await fetch(`${base}/perfsheet/ribbon.xml`)).status).toBe(404); // outside the origin path
      expect((await fetch(`${base}/wps/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
      expect((await fetch(`${base}/wps/perfsheet`)).status).toBe(404); // a directory
    } finally {
      await new Promise((r) => server.close(r));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
