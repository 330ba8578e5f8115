/**
 * The crafted workbooks of issue #22, made from the 2025 fixture (five 自评表, one per sheet; sheet2.xml is
 * 劳模体检, whose E6:G6 hold 年初预算数 / 全年预算数 / 全年执行数 and G13:G18 the 分值): each changes the
 * package the way one writer or one attacker does, and nothing else.
 */
import { readFileSync } from 'fs';
import JSZip from 'jszip';
import path from 'path';

export const SELF_2025 = path.join(__dirname, '..', 'fixtures', '石家庄市总工会_2025_绩效自评表.xlsx');
/** The part of the 劳模体检 sheet in the fixture. */
export const SHEET_劳模体检 = 'xl/worksheets/sheet2.xml';

type Parts = Map<string, Uint8Array>;

async function partsOf(bytes: Uint8Array): Promise<Parts> {
  const zip = await JSZip.loadAsync(bytes);
  const out: Parts = new Map();
  for (const f of Object.values(zip.files)) if (!f.dir) out.set(f.name, await f.async('uint8array'));
  return out;
}

async function zipOf(parts: Parts, rename: (name: string) => string = (n) => n): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, data] of parts) zip.file(rename(name), data, { createFolders: false });
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

/** The fixture with some parts' text changed. */
async function edited(edit: Record<string, (xml: string) => string | Uint8Array>): Promise<Uint8Array> {
  const parts = await partsOf(new Uint8Array(readFileSync(SELF_2025)));
  for (const [name, f] of Object.entries(edit)) {
    const out = f(text(parts.get(name)!));
    parts.set(name, typeof out === 'string' ? utf8(out) : out);
  }
  return zipOf(parts);
}

function utf16(xml: string, le: boolean, bom: boolean): Uint8Array {
  const body = xml.replace(/encoding="UTF-8"/i, 'encoding="UTF-16"');
  const out = new Uint8Array((bom ? 2 : 0) + body.length * 2);
  let o = 0;
  if (bom) {
    out[o++] = le ? 0xff : 0xfe;
    out[o++] = le ? 0xfe : 0xff;
  }
  for (let i = 0; i < body.length; i++) {
    const u = body.charCodeAt(i);
    out[o++] = le ? u & 0xff : u >> 8;
    out[o++] = le ? u >> 8 : u & 0xff;
  }
  return out;
}

/** A cell's `<v>` in the 劳模体检 sheet replaced by `v` (the element's text as written). */
function withValue(xml: string, cell: string, v: string): string {
  const re = new RegExp(`<c r="${cell}"([^>]*?)(?:/>|>.*?</c>)`);
  if (!re.test(xml)) throw new Error(`no cell ${cell}`);
  return xml.replace(re, (_m, attrs: string) => `<c r="${cell}"${attrs.replace(/\st="[^"]*"/, '')}>${v}</c>`);
}

export const crafted = {
  /** 劳模体检 stored as UTF-16LE with a byte-order mark, sharedStrings as UTF-16BE without one. */
  utf16: () =>
    edited({
      [SHEET_劳模体检]: (x) => utf16(x, true, true),
      'xl/sharedStrings.xml': (x) => utf16(x, false, false),
    }),
  /** sharedStrings declared in an encoding no decoder knows. */
  unknownEncoding: () =>
    edited({ 'xl/sharedStrings.xml': (x) => x.replace('encoding="UTF-8"', 'encoding="x-mac-klingon"') }),
  /** 劳模体检 stored as UTF-32 (allowed by no XML processor we know of). */
  utf32: () =>
    edited({
      [SHEET_劳模体检]: (x) => {
        const out = new Uint8Array(4 + x.length * 4);
        out.set([0xff, 0xfe, 0, 0]);
        for (let i = 0; i < x.length; i++) out[4 + 4 * i] = x.charCodeAt(i) & 0xff;
        return out;
      },
    }),
  /** sharedStrings in GB18030, as declared (a legacy writer). */
  gb18030: async () => {
    const iconv = (await import('iconv-lite')).default;
    return edited({
      'xl/sharedStrings.xml': (x) =>
        new Uint8Array(iconv.encode(x.replace('encoding="UTF-8"', 'encoding="GB18030"'), 'gb18030')),
    });
  },
  /** An .xlsb package (binary workbook part) named .xlsx. */
  xlsb: async () => {
    const zip = new JSZip();
    zip.file(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>',
    );
    zip.file(
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>',
    );
    zip.file('xl/workbook.bin', new Uint8Array([0x83, 0x01, 0x00, 0x80, 0x01, 0x00]));
    zip.file('xl/worksheets/sheet1.bin', new Uint8Array([0x81, 0x01, 0x00]));
    return zip.generateAsync({ type: 'uint8array' });
  },
  /** Every zip entry named with backslashes (`xl\worksheets\sheet2.xml`), as some Windows tools write them. */
  backslashes: async () => zipOf(await partsOf(new Uint8Array(readFileSync(SELF_2025))), (n) => n.replace(/\//g, '\\')),
  /** styles.xml empty. */
  emptyStyles: () => edited({ 'xl/styles.xml': () => '' }),
  /** styles.xml whose root is not styleSheet. */
  wrongRootStyles: () =>
    edited({ 'xl/styles.xml': () => '<?xml version="1.0" encoding="UTF-8"?><foo xmlns="urn:x"><cellXfs/></foo>' }),
  /** 劳模体检 with a comment holding `<sheetData/>` before the real sheetData, and CDATA in a cell's value. */
  commentSheetData: () =>
    edited({
      [SHEET_劳模体检]: (x) =>
        withValue(x.replace('<sheetData>', '<!-- <sheetData/> --><sheetData>'), 'G6', '<v><![CDATA[6.64]]></v>'),
    }),
  /** styles.xml with 60,000 more cell formats (as a file that went through many copy-pastes). */
  manyStyles: () =>
    edited({
      'xl/styles.xml': (x) =>
        x.replace(/<cellXfs count="(\d+)">([\s\S]*?)<\/cellXfs>/, (_m, n: string, body: string) => {
          const extra = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'.repeat(60_000);
          return `<cellXfs count="${Number(n) + 60_000}">${body}${extra}</cellXfs>`;
        }),
    }),
  /** Numbers no writer should store: 1e309 (全年预算数), NaN (全年执行数), an empty `<v>` and 0x1A (分值). */
  badNumbers: () =>
    edited({
      [SHEET_劳模体检]: (x) =>
        withValue(
          withValue(withValue(withValue(x, 'F6', '<v>1e309</v>'), 'G6', '<v>NaN</v>'), 'G13', '<v></v>'),
          'G14',
          '<v>0x1A</v>',
        ),
    }),
  /** A user's own sheet named 绩效自评报告, with a marker name left behind by a tool that deleted the add-in's. */
  userReportSheet: async () => {
    const parts = await partsOf(new Uint8Array(readFileSync(SELF_2025)));
    const wb = text(parts.get('xl/workbook.xml')!)
      .replace('name="党组织活动经费"', 'name="绩效自评报告"')
      .replace(
        '<calcPr',
        '<definedNames><definedName name="PerfSheet_SelfEvalReport">\'绩效自评报告\'!$A$1</definedName></definedNames><calcPr',
      );
    parts.set('xl/workbook.xml', utf8(wb));
    return zipOf(parts);
  },
};

export type CraftedName = keyof typeof crafted;
