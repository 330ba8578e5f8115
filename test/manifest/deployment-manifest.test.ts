/**
 * The deployment manifest written by `npm run build -- --env origin=…` (scripts/manifest-build.js): every URL on
 * the deployment base, the AppDomain its origin, Version from package.json, the production Id; read back by
 * office-addin-manifest and passed through the offline validator against the built assets/.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { validateManifestFile, validateManifestXml, formatReport } from '../../scripts/validate-manifest';

interface ManifestInfo {
  id?: string;
  version?: string;
  appDomains?: string[];
  iconUrl?: string;
  highResolutionIconUrl?: string;
  supportUrl?: string;
  defaultSettings?: { sourceLocation?: string };
}
// Plain CommonJS module (webpack.config.js requires it): typed here for the test.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mb = require('../../scripts/manifest-build') as {
  DEV_ORIGIN: string;
  PRODUCTION_ID: string;
  normalizeBase(origin: string): string;
  manifestVersion(v: string): string;
  rewriteManifestXml(xml: string, o: { base: string; version: string }): string;
};

interface WriteResult {
  file: string;
  info: ManifestInfo;
  problems: string[];
}
/**
 * Runs writeDeploymentManifest as the build does, in a plain Node process: office-addin-manifest loads an ES
 * module that jest's module runtime cannot require.
 */
function writeDeploymentManifest(o: { outDir: string; base: string; id?: string; validate?: boolean }): WriteResult {
  const script =
    "require('./scripts/manifest-build').writeDeploymentManifest(Object.assign({ root: process.cwd() }, JSON.parse(process.argv[1])))" +
    '.then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stdout.write(JSON.stringify({ error: e.message })); })';
  const r = spawnSync(process.execPath, ['-e', script, JSON.stringify(o)], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const out = JSON.parse(r.stdout) as WriteResult & { error?: string };
  if (out.error) throw new Error(out.error);
  return out;
}

/** `npx office-addin-manifest info` — what IT runs to read a manifest. */
function officeAddinManifestInfo(file: string): string {
  const cli = spawnSync(process.execPath, [require.resolve('office-addin-manifest/cli.js'), 'info', file], {
    encoding: 'utf8',
  });
  expect(cli.status).toBe(0);
  return cli.stdout;
}

const ROOT = path.resolve(__dirname, '..', '..');
const DEV = fs.readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8');
const BASE = 'https://perfsheet.example.gov.cn/addin/';
const PKG_VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

function tmpDir(withAssets: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-deploy-'));
  if (withAssets) fs.cpSync(path.join(ROOT, 'assets'), path.join(dir, 'assets'), { recursive: true });
  return dir;
}

/** Every absolute URL in attribute values and AppDomain elements. */
function urls(xml: string): string[] {
  return [...xml.matchAll(/"(https?:\/\/[^"]+)"|<AppDomain>([^<]+)<\/AppDomain>/g)]
    .map((m) => m[1] ?? m[2])
    .filter((u) => !u.startsWith('http://schemas.') && !u.startsWith('http://www.w3.org'));
}

describe('deployment base URL and version', () => {
  test('the base is https, without query or fragment, and ends with a slash', () => {
    expect(mb.normalizeBase('https://perfsheet.example.gov.cn/addin')).toBe(BASE);
    expect(mb.normalizeBase('https://perfsheet.example.gov.cn')).toBe('https://perfsheet.example.gov.cn/');
    expect(() => mb.normalizeBase('http://perfsheet.example.gov.cn/addin/')).toThrow(/https/);
    expect(() => mb.normalizeBase('https://perfsheet.example.gov.cn/addin/?x=1')).toThrow(/查询参数/);
    expect(() => mb.normalizeBase('perfsheet.example.gov.cn/addin/')).toThrow(/完整的网址/);
  });

  test('package.json semver becomes the four-part manifest Version', () => {
    expect(mb.manifestVersion('1.2.3')).toBe('1.2.3.0');
    expect(mb.manifestVersion('0.10.0-rc.1')).toBe('0.10.0.0');
    expect(() => mb.manifestVersion('1.2')).toThrow(/x\.y\.z/);
  });
});

describe('rewriting the development manifest', () => {
  const xml = mb.rewriteManifestXml(DEV, { base: BASE, version: '2.3.4.0' });

  test('moves every URL of the development manifest onto the base, none left on localhost', () => {
    const before = urls(DEV);
    const after = urls(xml);
    expect(before).toHaveLength(15); // 14 URL attributes (4 top-level, 6 images, 4 urls) + the AppDomain
    expect(after).toHaveLength(before.length);
    expect(xml).not.toMatch(/localhost|127\.0\.0\.1/);
    for (const u of after) {
      if (u === 'https://perfsheet.example.gov.cn') continue; // the AppDomain
      expect(u.startsWith(BASE)).toBe(true);
    }
    // Each URL keeps its path: the dev URL with the dev origin swapped.
    expect(after).toEqual(
      before.map((u) =>
        u === mb.DEV_ORIGIN ? 'https://perfsheet.example.gov.cn' : u.replace(`${mb.DEV_ORIGIN}/`, BASE),
      ),
    );
    expect(xml).toContain(`<SourceLocation DefaultValue="${BASE}taskpane.html"/>`);
    expect(xml).toContain(`<bt:Override Locale="en-US" Value="${BASE}assets/icon-80.png"/>`);
    expect(xml).toContain('<AppDomain>https://perfsheet.example.gov.cn</AppDomain>');
    expect(xml).toContain('<Version>2.3.4.0</Version>');
  });

  test('a URL the rewrite cannot place (another localhost port) stops the build', () => {
    const odd = DEV.replace(
      '<SupportUrl DefaultValue="https://localhost:3000/',
      '<SupportUrl DefaultValue="https://localhost:3001/',
    );
    expect(() => mb.rewriteManifestXml(odd, { base: BASE, version: '1.0.0.0' })).toThrow(/localhost:3001/);
  });
});

describe('writeDeploymentManifest (what the build does after emitting dist/)', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('writes a manifest that office-addin-manifest reads and the offline validator passes against the built assets', () => {
    dir = tmpDir(true);
    const r = writeDeploymentManifest({ outDir: dir, base: BASE });
    expect(r.problems).toEqual([]);
    const info = r.info;
    expect(info.id).toBe(mb.PRODUCTION_ID);
    expect(info.id).not.toBe(/<Id>([^<]+)<\/Id>/.exec(DEV)![1]);
    expect(info.version).toBe(mb.manifestVersion(PKG_VERSION));
    expect(info.appDomains).toEqual(['https://perfsheet.example.gov.cn']);
    expect(info.defaultSettings?.sourceLocation).toBe(`${BASE}taskpane.html`);
    expect(info.iconUrl).toBe(`${BASE}assets/icon-32.png`);
    const v = validateManifestFile(r.file);
    if (!v.ok || v.warnings.length) throw new Error(formatReport(v, r.file));
    // The icons under /addin/assets/ were mapped to the built assets/ and their sizes checked.
    expect(v.stats.iconsChecked).toBe(8);
    const text = officeAddinManifestInfo(r.file);
    expect(text).toContain(`Id: ${mb.PRODUCTION_ID}`);
    expect(text).toContain(`Source Location: ${BASE}taskpane.html`);
    expect(text).not.toContain('localhost');
  });

  test('--env id gives a second installation its own Id; a bad one is refused', () => {
    dir = tmpDir(true);
    const id = '0f3c6c2e-6a0b-4c59-9d8e-2b1f0c7a5e11';
    const r = writeDeploymentManifest({ outDir: dir, base: BASE, id, validate: false });
    expect(r.problems).toEqual([]);
    expect(r.info.id).toBe(id);
    expect(() => writeDeploymentManifest({ outDir: dir, base: BASE, id: 'not-a-guid', validate: false })).toThrow(
      /GUID/,
    );
  });

  test('a build output without the icons fails the offline validation step', () => {
    dir = tmpDir(false);
    const r = writeDeploymentManifest({ outDir: dir, base: BASE });
    expect(r.problems.join('\n')).toMatch(/offline validation failed[\s\S]*asset-missing/);
  });
});

describe('the offline validator on a deployment manifest', () => {
  const xml = mb.rewriteManifestXml(DEV, { base: BASE, version: '1.0.0.0' });

  test('checks the icons under <base>assets/ against the output directory', () => {
    const wrong = xml.replace(
      `<bt:Image id="PerfSheet.Icon.16" DefaultValue="${BASE}assets/icon-16.png">`,
      `<bt:Image id="PerfSheet.Icon.16" DefaultValue="${BASE}assets/icon-32.png">`,
    );
    expect(wrong).not.toBe(xml);
    const r = validateManifestXml(wrong, { rootDir: ROOT });
    expect(r.errors.map((p) => p.code)).toEqual(['icon-size']);
    expect(validateManifestXml(xml, { rootDir: ROOT }).problems).toEqual([]);
  });
});
