import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  formatReport,
  readPngSize,
  SCHEMA,
  validateManifestFile,
  validateManifestXml,
  type ProblemCode,
  type ValidationResult,
} from '../../scripts/validate-manifest';

const ROOT = path.resolve(__dirname, '..', '..');
const MANIFEST = path.join(ROOT, 'manifest.xml');
const REAL = fs.readFileSync(MANIFEST, 'utf8');

/** Applies text replacements to the real manifest; each `find` must occur exactly once. */
function mutate(...edits: [find: string | RegExp, replace: string][]): string {
  let xml = REAL;
  for (const [find, replace] of edits) {
    if (typeof find === 'string') {
      const first = xml.indexOf(find);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(xml.indexOf(find, first + 1)).toBe(-1);
      xml = xml.replace(find, () => replace);
    } else {
      const matches = xml.match(new RegExp(find.source, find.flags.includes('g') ? find.flags : find.flags + 'g'));
      expect(matches?.length).toBe(1);
      xml = xml.replace(find, () => replace);
    }
  }
  expect(xml).not.toBe(REAL);
  return xml;
}

function validate(xml: string, rootDir = ROOT): ValidationResult {
  return validateManifestXml(xml, { rootDir });
}

function codes(r: ValidationResult): ProblemCode[] {
  return r.errors.map((p) => p.code);
}

/** The result has errors, all of the given code, and one of them mentions every fragment (zh or en). */
function expectOnly(r: ValidationResult, code: ProblemCode, ...fragments: string[]): void {
  expect(r.ok).toBe(false);
  expect(codes(r).length).toBeGreaterThan(0);
  expect(new Set(codes(r))).toEqual(new Set([code]));
  const hit = r.errors.find((p) => fragments.every((f) => p.zh.includes(f) || p.en.includes(f)));
  if (!hit) throw new Error(`no ${code} problem mentions ${JSON.stringify(fragments)}:\n${formatReport(r, 'manifest.xml')}`);
}

const OPEN_PANE_LABEL = '<Label resid="PerfSheet.OpenPane.Label"/>';
const SUPPORT_URL = '<SupportUrl DefaultValue="https://localhost:3000/assets/support.html"/>';

describe('the real manifest', () => {
  const result = validateManifestFile(MANIFEST);

  test('passes offline validation with no error and no warning', () => {
    if (!result.ok || result.warnings.length) throw new Error(formatReport(result, 'manifest.xml'));
    expect(result.problems).toEqual([]);
  });

  test('every reference and icon was actually checked', () => {
    // 3 group icons + 3 button icons + 2 supertip + 2 labels + taskpane url/title + get-started title/desc/url
    expect(result.stats.resids).toBe(15);
    expect(result.stats.resources).toBe(11);
    // IconUrl, HighResolutionIconUrl, and 3 bt:Image resources with an en-US override each
    expect(result.stats.iconsChecked).toBe(8);
    expect(result.stats.elements).toBeGreaterThan(60);
  });

  test('declares what the add-in needs', () => {
    expect(REAL).toMatch(/<OfficeApp[^>]*xsi:type="TaskPaneApp"/);
    expect(REAL).toMatch(/<Id>[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}<\/Id>/);
    expect(REAL).toContain('<Version>1.0.0.0</Version>');
    expect(REAL).toContain('<DefaultLocale>zh-CN</DefaultLocale>');
    expect(REAL).toContain('<DisplayName DefaultValue="PerfSheet 绩效表格助手">');
    expect(REAL).toMatch(/<DisplayName[^>]*>\s*<Override Locale="en-us"/);
    expect(REAL).toMatch(/<Description[^>]*>\s*<Override Locale="en-us"/);
    expect(REAL).toContain('<Host Name="Workbook"/>');
    expect(REAL).toContain('<Set Name="ExcelApi" MinVersion="1.14"/>');
    expect(REAL).toContain('<SourceLocation DefaultValue="https://localhost:3000/taskpane.html"/>');
    expect(REAL).toContain('<Permissions>ReadWriteDocument</Permissions>');
    expect(REAL).toMatch(/<OfficeTab id="TabHome">\s*<Group id="PerfSheet.Group">\s*<Label resid="PerfSheet.Group.Label"\/>/);
    expect(REAL).toMatch(/<bt:String id="PerfSheet.Group.Label" DefaultValue="绩效">/);
    expect(REAL).toMatch(/<Action xsi:type="ShowTaskpane">\s*<TaskpaneId>[^<]+<\/TaskpaneId>\s*<SourceLocation resid="PerfSheet.Taskpane.Url"\/>/);
    expect(REAL).toMatch(/<bt:Url id="PerfSheet.Taskpane.Url" DefaultValue="https:\/\/localhost:3000\/taskpane.html">/);
    for (const s of [16, 32, 80]) expect(REAL).toContain(`<bt:Image size="${s}" resid="PerfSheet.Icon.${s}"/>`);
    expect(REAL).toContain('<IconUrl DefaultValue="https://localhost:3000/assets/icon-32.png"/>');
    expect(REAL).toContain('<HighResolutionIconUrl DefaultValue="https://localhost:3000/assets/icon-64.png"/>');
  });

  test('the schema model has no dangling type names', () => {
    for (const [name, t] of Object.entries(SCHEMA)) {
      for (const e of t.seq) expect({ in: name, type: e.type, known: e.type in SCHEMA }).toEqual({ in: name, type: e.type, known: true });
      for (const v of Object.values(t.xsiTypes ?? {})) expect({ in: name, type: v, known: v in SCHEMA }).toEqual({ in: name, type: v, known: true });
    }
  });
});

describe('element order of the official schema', () => {
  test('<Permissions> before <DefaultSettings> fails', () => {
    const xml = mutate(
      ['  <Permissions>ReadWriteDocument</Permissions>\n', ''],
      ['  <DefaultSettings>', '  <Permissions>ReadWriteDocument</Permissions>\n  <DefaultSettings>'],
    );
    expectOnly(validate(xml), 'order', '<Permissions> 应位于 <DefaultSettings> 之后', 'Wrong element order: <Permissions> must come after <DefaultSettings>');
  });

  test('one element moved far up gives exactly one error, naming where it belongs', () => {
    const xml = mutate(
      ['  <Permissions>ReadWriteDocument</Permissions>\n', ''],
      ['  <Id>', '  <Permissions>ReadWriteDocument</Permissions>\n  <Id>'],
    );
    const r = validate(xml);
    expectOnly(r, 'order', '<Permissions> must come after <DefaultSettings> and before <VersionOverrides>');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].line).toBe(REAL.split('\n').findIndex((l) => l.includes('<Id>')) + 1);
  });

  test('<Version> before <Id> fails', () => {
    const xml = mutate(
      ['  <Version>1.0.0.0</Version>\n', ''],
      ['  <Id>', '  <Version>1.0.0.0</Version>\n  <Id>'],
    );
    expectOnly(validate(xml), 'order', '<Version> must come after <Id> and before <ProviderName>');
  });

  test('<Resources> before <Hosts> inside VersionOverrides fails', () => {
    const start = REAL.indexOf('    <Resources>');
    const end = REAL.indexOf('    </Resources>\n') + '    </Resources>\n'.length;
    const resources = REAL.slice(start, end);
    const xml = mutate([resources, ''], ['    <Hosts>\n      <Host xsi:type="Workbook">', `${resources}    <Hosts>\n      <Host xsi:type="Workbook">`]);
    expectOnly(validate(xml), 'order', '<Resources> 应位于 <Hosts> 之后', 'children of <VersionOverrides>');
  });

  test('<Supertip> before <Label> in the button fails', () => {
    const xml = mutate(
      [`                  ${OPEN_PANE_LABEL}\n                  <Supertip>`, '                  <Supertip>'],
      ['                  </Supertip>\n', `                  </Supertip>\n                  ${OPEN_PANE_LABEL}\n`],
    );
    expectOnly(validate(xml), 'order', '<Supertip> must come after <Label> and before <Icon>');
  });

  test('a missing required element, an unknown element and a duplicate element are reported', () => {
    expectOnly(validate(mutate(['  <Permissions>ReadWriteDocument</Permissions>\n', ''])), 'missing-element', '缺少必需的子元素 <Permissions>');
    expectOnly(validate(mutate(['  <AppDomains>', '  <Foo/>\n  <AppDomains>'])), 'unexpected-element', '<Foo> is not a valid child of <OfficeApp>');
    expectOnly(validate(mutate(['  <ProviderName>', '  <Version>1.0.0.1</Version>\n  <ProviderName>'])), 'too-many', '<Version> may appear at most 1 time');
  });

  test('VersionOverrides/Requirements takes bt:Sets only', () => {
    const hosts = '    <Hosts>\n      <Host xsi:type="Workbook">';
    const sets = '<bt:Sets DefaultMinVersion="1.1">\n        <bt:Set Name="ExcelApi" MinVersion="1.14"/>\n      </bt:Sets>';
    expect(validate(mutate([hosts, `    <Requirements>\n      ${sets}\n    </Requirements>\n${hosts}`])).problems).toEqual([]);
    const withMethods = mutate([hosts, `    <Requirements>\n      ${sets}\n      <bt:Methods><bt:Method Name="x"/></bt:Methods>\n    </Requirements>\n${hosts}`]);
    expectOnly(validate(withMethods), 'unexpected-element', '<Methods> is not a valid child of <Requirements>');
    const unprefixed = mutate([hosts, `    <Requirements>\n      ${sets.replace(/bt:/g, '')}\n    </Requirements>\n${hosts}`]);
    expectOnly(validate(unprefixed), 'namespace', '<Sets>');
  });

  test('a custom tab mixes Group and OfficeGroup (an xs:choice) before its Label', () => {
    const tab = '<OfficeTab id="TabHome">';
    const custom = (inner: string) =>
      mutate([tab, '<CustomTab id="PerfSheet.Tab">'], ['            </OfficeTab>', `${inner}\n            </CustomTab>`]);
    const label = '<Label resid="PerfSheet.Group.Label"/>';
    expect(validate(custom(`              <OfficeGroup id="FontGroup"/>\n              ${label}\n              <InsertAfter>TabHome</InsertAfter>`)).problems).toEqual([]);
    expectOnly(validate(custom('')), 'missing-element', '<Label>');
    const r = validate(custom(`              ${label}\n              <OfficeGroup id="FontGroup"/>`));
    expectOnly(r, 'order', '<Label> must come after <OfficeGroup>', '(Group | OfficeGroup) → Label → (InsertBefore | InsertAfter)');
  });

  test('namespaces and xsi:type are checked', () => {
    const noPrefix = mutate(['<bt:Image size="80" resid="PerfSheet.Icon.80"/>\n                </Icon>\n                <Control', '<Image size="80" resid="PerfSheet.Icon.80"/>\n                </Icon>\n                <Control']);
    expectOnly(validate(noPrefix), 'namespace', 'http://schemas.microsoft.com/office/officeappbasictypes/1.0', 'bt:');
    expectOnly(validate(mutate(['<Action xsi:type="ShowTaskpane">', '<Action xsi:type="OpenPane">'])), 'xsi-type', 'xsi:type="OpenPane"');
    expectOnly(validate(mutate(['xsi:type="VersionOverridesV1_0"', 'xsi:type="VersionOverridesV1_1"'])), 'xsi-type', 'VersionOverridesV1_0');
  });
});

describe('resource references', () => {
  test('a resid without a resource fails', () => {
    const xml = mutate([OPEN_PANE_LABEL, '<Label resid="PerfSheet.NoSuchLabel"/>']);
    expectOnly(validate(xml), 'resid-missing', 'PerfSheet.NoSuchLabel', 'bt:ShortStrings');
  });

  test('a resid pointing to the wrong kind of resource fails', () => {
    const xml = mutate(['<Description resid="PerfSheet.OpenPane.Tip"/>', '<Description resid="PerfSheet.OpenPane.Label"/>']);
    expectOnly(validate(xml), 'resid-kind', 'PerfSheet.OpenPane.Label', '长字符串资源');
  });

  test('a removed resource breaks every reference to it', () => {
    const xml = mutate([/ {8}<bt:String id="PerfSheet.OpenPane.Tip"[\s\S]*?<\/bt:String>\n/, '']);
    const r = validate(xml);
    expectOnly(r, 'resid-missing', 'PerfSheet.OpenPane.Tip');
  });

  test('a duplicate resource id fails; an unused resource only warns', () => {
    const dup = mutate(['<bt:String id="PerfSheet.GetStarted.Title" DefaultValue="PerfSheet 已加载">', '<bt:String id="PerfSheet.Group.Label" DefaultValue="PerfSheet 已加载">']);
    const r = validate(dup);
    expect(codes(r)).toContain('duplicate-id');
    const unused = mutate(['      </bt:ShortStrings>', '        <bt:String id="PerfSheet.Unused" DefaultValue="未使用">\n          <bt:Override Locale="en-US" Value="Unused"/>\n        </bt:String>\n      </bt:ShortStrings>']);
    const u = validate(unused);
    expect(u.ok).toBe(true);
    expect(u.warnings.map((w) => w.code)).toEqual(['unused-resource']);
    expect(u.warnings[0].zh).toContain('PerfSheet.Unused');
  });

  test('a resource id longer than 32 characters fails', () => {
    const longId = 'PerfSheet.Taskpane.Url.ABCDEFGHIJ'; // 33
    expect(longId.length).toBe(33);
    const xml = REAL.split('PerfSheet.Taskpane.Url"').join(`${longId}"`);
    expectOnly(validate(xml), 'length', '33 个字符', '32');
  });
});

describe('URLs', () => {
  test('an http SourceLocation fails', () => {
    const xml = mutate(['<SourceLocation DefaultValue="https://localhost:3000/taskpane.html"/>', '<SourceLocation DefaultValue="http://localhost:3000/taskpane.html"/>']);
    expectOnly(validate(xml), 'https', '必须使用 https', 'http://localhost:3000/taskpane.html');
  });

  test('an http URL in a localised override fails', () => {
    const xml = mutate(['<bt:Override Locale="en-US" Value="https://localhost:3000/taskpane.html"/>', '<bt:Override Locale="en-US" Value="http://localhost:3000/taskpane.html"/>']);
    expectOnly(validate(xml), 'https', '<Override>');
  });

  test('a relative URL and a second dev-server origin fail', () => {
    expectOnly(validate(mutate([SUPPORT_URL, '<SupportUrl DefaultValue="assets/support.html"/>'])), 'https', 'not an absolute URL');
    expectOnly(validate(mutate([SUPPORT_URL, '<SupportUrl DefaultValue="https://localhost:3001/assets/support.html"/>'])), 'origin', 'https://localhost:3000');
  });

  test('an assets URL whose file does not exist fails', () => {
    expectOnly(validate(mutate([SUPPORT_URL, '<SupportUrl DefaultValue="https://localhost:3000/assets/help.html"/>'])), 'asset-missing', 'assets/help.html');
  });
});

describe('icons', () => {
  test('an icon resource of the wrong pixel size fails', () => {
    const xml = mutate(['<bt:Image id="PerfSheet.Icon.16" DefaultValue="https://localhost:3000/assets/icon-16.png">', '<bt:Image id="PerfSheet.Icon.16" DefaultValue="https://localhost:3000/assets/icon-32.png">']);
    expectOnly(validate(xml), 'icon-size', 'assets/icon-32.png 是 32×32 像素', '16×16');
  });

  test('IconUrl must be 32 px and HighResolutionIconUrl 64 px', () => {
    const xml = mutate(['<HighResolutionIconUrl DefaultValue="https://localhost:3000/assets/icon-64.png"/>', '<HighResolutionIconUrl DefaultValue="https://localhost:3000/assets/icon-80.png"/>']);
    expectOnly(validate(xml), 'icon-size', '80×80', '64×64', 'HighResolutionIconUrl');
  });

  test('a localised IconUrl override is size-checked too', () => {
    const icon = '<IconUrl DefaultValue="https://localhost:3000/assets/icon-32.png"/>';
    const good = mutate([icon, '<IconUrl DefaultValue="https://localhost:3000/assets/icon-32.png">\n    <Override Locale="en-us" Value="https://localhost:3000/assets/icon-32.png"/>\n  </IconUrl>']);
    const r = validate(good);
    expect(r.ok).toBe(true);
    expect(r.stats.iconsChecked).toBe(9);
    const bad = mutate([icon, '<IconUrl DefaultValue="https://localhost:3000/assets/icon-32.png">\n    <Override Locale="en-us" Value="https://localhost:3000/assets/icon-16.png"/>\n  </IconUrl>']);
    expectOnly(validate(bad), 'icon-size', 'assets/icon-16.png', '32×32');
  });

  test('a file on disk with the wrong size is caught (copied assets with a replaced icon)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-manifest-'));
    try {
      fs.cpSync(path.join(ROOT, 'assets'), path.join(tmp, 'assets'), { recursive: true });
      const ok = validate(REAL, tmp);
      expect(ok.ok).toBe(true);
      fs.copyFileSync(path.join(ROOT, 'assets', 'icon-16.png'), path.join(tmp, 'assets', 'icon-80.png'));
      const r = validate(REAL, tmp);
      expectOnly(r, 'icon-size', 'assets/icon-80.png', '16×16', '80×80');
      // default value and en-US override both point to the broken file
      expect(r.errors).toHaveLength(2);
      // a correct 80 px PNG padded past 100 KB is valid but warned about
      const icon80 = fs.readFileSync(path.join(ROOT, 'assets', 'icon-80.png'));
      fs.writeFileSync(path.join(tmp, 'assets', 'icon-80.png'), Buffer.concat([icon80, Buffer.alloc(101 * 1024)]));
      const big = validate(REAL, tmp);
      expect(big.ok).toBe(true);
      expect(big.warnings.map((w) => w.code)).toEqual(['icon-file-size', 'icon-file-size']);
      fs.writeFileSync(path.join(tmp, 'assets', 'icon-80.png'), 'GIF89a not a png');
      expectOnly(validate(REAL, tmp), 'icon-format', 'assets/icon-80.png');
      fs.rmSync(path.join(tmp, 'assets', 'icon-80.png'));
      expectOnly(validate(REAL, tmp), 'asset-missing', 'assets/icon-80.png');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('an icon list without the mandatory 80 px image fails, and an invalid size is rejected', () => {
    const xml = mutate(['                    <bt:Image size="80" resid="PerfSheet.Icon.80"/>\n                  </Icon>', '                  </Icon>']);
    expectOnly(validate(xml), 'icon-sizes-incomplete', '80');
    const bad = mutate(['                    <bt:Image size="80" resid="PerfSheet.Icon.80"/>\n                  </Icon>', '                    <bt:Image size="81" resid="PerfSheet.Icon.80"/>\n                  </Icon>']);
    expectOnly(validate(bad), 'format', '"81"', '16, 20, 24, 32, 40, 48, 64, 80');
  });

  test('one image resource used at two sizes fails', () => {
    const xml = mutate(['                    <bt:Image size="80" resid="PerfSheet.Icon.80"/>\n                  </Icon>', '                    <bt:Image size="80" resid="PerfSheet.Icon.32"/>\n                  </Icon>']);
    const r = validate(xml);
    expect(codes(r)).toContain('image-size-conflict');
  });
});

describe('string limits and formats', () => {
  const name = (n: number): string => 'P'.repeat(n);

  test('DisplayName of 126 characters fails, 125 passes', () => {
    const at = (n: number) => mutate(['<DisplayName DefaultValue="PerfSheet 绩效表格助手">', `<DisplayName DefaultValue="${name(n)}">`]);
    expect(validate(at(125)).ok).toBe(true);
    expectOnly(validate(at(126)), 'length', '126 个字符', 'at most 125');
  });

  test('a short string resource over 125 characters fails (Chinese characters count as one each)', () => {
    const label = '绩'.repeat(126);
    const xml = mutate(['<bt:String id="PerfSheet.Group.Label" DefaultValue="绩效">', `<bt:String id="PerfSheet.Group.Label" DefaultValue="${label}">`]);
    expectOnly(validate(xml), 'length', '126 个字符', '125');
    const ok = mutate(['<bt:String id="PerfSheet.Group.Label" DefaultValue="绩效">', `<bt:String id="PerfSheet.Group.Label" DefaultValue="${'绩'.repeat(125)}">`]);
    expect(validate(ok).ok).toBe(true);
  });

  test('a long string over 250 characters and a Description over 250 fail', () => {
    const tip = mutate([/<bt:String id="PerfSheet.OpenPane.Tip" DefaultValue="[^"]*">/, `<bt:String id="PerfSheet.OpenPane.Tip" DefaultValue="${'检'.repeat(251)}">`]);
    expectOnly(validate(tip), 'length', '251 个字符', '250');
    const desc = mutate([/<Description DefaultValue="[^"]*">/, `<Description DefaultValue="${'x'.repeat(251)}">`]);
    expectOnly(validate(desc), 'length', '<Description> 的 DefaultValue', '251');
  });

  test('Id must be a GUID and Version n.n.n.n', () => {
    expectOnly(validate(mutate([/<Id>[^<]+<\/Id>/, '<Id>perfsheet</Id>'])), 'format', '不是 GUID', 'perfsheet');
    expectOnly(validate(mutate(['<Version>1.0.0.0</Version>', '<Version>1.0.0</Version>'])), 'format', 'n.n.n.n', '"1.0.0"');
    expectOnly(validate(mutate(['<Permissions>ReadWriteDocument</Permissions>', '<Permissions>ReadWrite</Permissions>'])), 'format', 'ReadWrite');
    expectOnly(validate(mutate(['<DefaultLocale>zh-CN</DefaultLocale>', '<DefaultLocale>chinese!</DefaultLocale>'])), 'format', 'chinese!');
  });

  test('a required attribute missing and an unknown attribute are reported', () => {
    const buttonIcon = '</Supertip>\n                  <Icon>\n                    <bt:Image size="16" resid="PerfSheet.Icon.16"/>';
    expectOnly(validate(mutate([buttonIcon, buttonIcon.replace(' size="16"', '')])), 'attribute-missing', '缺少必需属性 size');
    expectOnly(validate(mutate(['<Host Name="Workbook"/>', '<Host Name="Workbook" Version="2"/>'])), 'attribute-unexpected', 'Version');
  });
});

describe('localisation and hosts', () => {
  test('a resource without the en-US override fails', () => {
    const xml = mutate(['          <bt:Override Locale="en-US" Value="Performance"/>\n', '']);
    expectOnly(validate(xml), 'locale-missing', 'PerfSheet.Group.Label', 'en-US');
  });

  test('a VersionOverrides host that the base manifest does not declare fails', () => {
    const xml = mutate(['<Host xsi:type="Workbook">', '<Host xsi:type="Document">']);
    expectOnly(validate(xml), 'host-mismatch', 'Document', 'Workbook');
  });

  test('duplicate control ids fail', () => {
    const xml = mutate(['<Control xsi:type="Button" id="PerfSheet.OpenPane">', '<Control xsi:type="Button" id="PerfSheet.Group">']);
    expectOnly(validate(xml), 'duplicate-id', 'PerfSheet.Group');
  });
});

describe('broken XML', () => {
  test('a missing closing tag fails with its line number', () => {
    const xml = mutate(['</DefaultSettings>', '']);
    const r = validate(xml);
    expectOnly(r, 'xml', 'XML 格式错误', 'Malformed XML');
    expect(r.errors[0].line).toBeGreaterThan(1);
  });

  test('empty input, a foreign root and a non-task-pane app fail cleanly', () => {
    expectOnly(validate(''), 'xml', '空');
    expectOnly(validate('<?xml version="1.0"?><Manifest/>'), 'root', '<OfficeApp>');
    expectOnly(validate(mutate(['xsi:type="TaskPaneApp"', 'xsi:type="ContentApp"'])), 'root', 'TaskPaneApp');
  });

  test('CRLF line ends and a byte-order mark are accepted, and line numbers stay right', () => {
    const crlf = '\uFEFF' + REAL.replace(/\n/g, '\r\n');
    expect(validate(crlf).problems).toEqual([]);
    const http = mutate(['<SourceLocation DefaultValue="https://localhost:3000/taskpane.html"/>', '<SourceLocation DefaultValue="http://localhost:3000/taskpane.html"/>']);
    const lf = validate(http);
    const cr = validate(http.replace(/\n/g, '\r\n'));
    expect(lf.errors).toHaveLength(1);
    expect(cr.errors.map((e) => e.line)).toEqual(lf.errors.map((e) => e.line));
    expect(lf.errors[0].line).toBe(REAL.split('\n').findIndex((l) => l.includes('<SourceLocation DefaultValue=')) + 1);
  });

  test('an unreadable file is an error, not a crash', () => {
    const r = validateManifestFile(path.join(os.tmpdir(), 'perfsheet-no-such-manifest.xml'));
    expect(r.ok).toBe(false);
    expect(r.errors[0].zh).toContain('无法读取清单文件');
  });
});

describe('PNG reader', () => {
  test('reads IHDR width and height; rejects non-PNG bytes', () => {
    for (const s of [16, 32, 64, 80]) {
      expect(readPngSize(fs.readFileSync(path.join(ROOT, 'assets', `icon-${s}.png`)))).toEqual({ width: s, height: s });
    }
    const hdr = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(hdr, 0);
    hdr.writeUInt32BE(13, 8);
    hdr.write('IHDR', 12, 'latin1');
    hdr.writeUInt32BE(300, 16);
    hdr.writeUInt32BE(7, 20);
    expect(readPngSize(hdr)).toEqual({ width: 300, height: 7 });
    expect(readPngSize(Buffer.from('GIF89a................'))).toBeNull();
    expect(readPngSize(Buffer.alloc(4))).toBeNull();
  });
});

describe('command line', () => {
  const tsNode = path.join(ROOT, 'node_modules', '.bin', 'ts-node');
  const script = path.join(ROOT, 'scripts', 'validate-manifest.ts');
  const run = (...args: string[]) => spawnSync(tsNode, ['--transpile-only', script, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  test('exits 0 on the real manifest and 1 on a broken one, printing Chinese and English', () => {
    const good = run();
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('通过离线检查');
    expect(good.stdout).toContain('passed offline validation');

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-manifest-cli-'));
    try {
      const file = path.join(tmp, 'manifest.xml');
      fs.writeFileSync(file, mutate(['<SourceLocation DefaultValue="https://localhost:3000/taskpane.html"/>', '<SourceLocation DefaultValue="http://localhost:3000/taskpane.html"/>']));
      const bad = run(file, '--root', ROOT);
      expect(bad.status).toBe(1);
      expect(bad.stdout).toMatch(/✗ 错误 ERROR \[https\] .*manifest\.xml:\d+/);
      expect(bad.stdout).toContain('必须使用 https');
      expect(bad.stdout).toContain('must use https');
      expect(bad.stdout).toContain('1 个错误');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
