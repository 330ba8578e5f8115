/**
 * A package differ for the surgical-write tests: compares two .xlsx/.xlsm zips part by part and, for
 * worksheet parts, cell by cell. Written independently of src/xlsx/package (plain regular expressions over
 * the XML) so that the writer is not checked by its own parser.
 */
// jszip ships with ExcelJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const JSZip = require('jszip');

export type Parts = Map<string, Buffer>;

export async function partsOf(bytes: Uint8Array | Buffer): Promise<Parts> {
  const zip = await JSZip.loadAsync(bytes);
  const out: Parts = new Map();
  for (const name of Object.keys(zip.files)) {
    const f = zip.files[name];
    if (!f.dir) out.set(name, Buffer.from(await f.async('uint8array')));
  }
  return out;
}

export interface PartDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

export function diffParts(a: Parts, b: Parts): PartDiff {
  const added = [...b.keys()].filter((k) => !a.has(k));
  const removed = [...a.keys()].filter((k) => !b.has(k));
  const changed = [...a.keys()].filter((k) => b.has(k) && !a.get(k)!.equals(b.get(k)!));
  return { added, removed, changed };
}

const P = '(?:[A-Za-z_][\\w.-]*:)?';

/** A worksheet's cells (ref → element text), row start tags (r → text), and the XML outside sheetData. */
export function sheetCells(xml: string): { cells: Map<string, string>; rows: Map<string, string>; outside: string } {
  const sd = new RegExp(`<(${P})sheetData\\b[^>]*?(?:/>|>([\\s\\S]*?)</\\1sheetData>)`).exec(xml);
  const inner = sd?.[2] ?? '';
  const outside = sd ? xml.slice(0, sd.index) + '<sheetData/>' + xml.slice(sd.index + sd[0].length) : xml;
  const cells = new Map<string, string>();
  for (const m of inner.matchAll(new RegExp(`<(${P})c\\s[^>]*?(?:/>|>[\\s\\S]*?</\\1c>)`, 'g'))) {
    const r = /\sr="([A-Z]+\d+)"/.exec(m[0]);
    if (!r) throw new Error(`cell without r: ${m[0]}`);
    cells.set(r[1], m[0]);
  }
  const rows = new Map<string, string>();
  for (const m of inner.matchAll(new RegExp(`<${P}row\\b[^>]*>`, 'g'))) {
    const r = /\sr="(\d+)"/.exec(m[0]);
    if (r) rows.set(r[1], m[0]);
  }
  return { cells, rows, outside };
}

export interface CellChange {
  ref: string;
  before?: string;
  after?: string;
}

export function diffCells(a: string, b: string): { cells: CellChange[]; outsideEqual: boolean; rowsChanged: string[]; rowsAdded: string[] } {
  const x = sheetCells(a);
  const y = sheetCells(b);
  const cells: CellChange[] = [];
  for (const [ref, t] of x.cells) if (y.cells.get(ref) !== t) cells.push({ ref, before: t, after: y.cells.get(ref) });
  for (const [ref, t] of y.cells) if (!x.cells.has(ref)) cells.push({ ref, after: t });
  const rowsChanged = [...x.rows.keys()].filter((r) => y.rows.get(r) !== x.rows.get(r));
  const rowsAdded = [...y.rows.keys()].filter((r) => !x.rows.has(r));
  return { cells, outsideEqual: x.outside === y.outside, rowsChanged, rowsAdded };
}

/** The value a cell element holds: a number, an inline string, or null. */
export function cellValue(cell: string | undefined): number | string | null {
  if (!cell) return null;
  const is = new RegExp(`<${P}is>[\\s\\S]*?<${P}t[^>]*>([\\s\\S]*?)</${P}t>`).exec(cell);
  if (is) return is[1];
  const v = new RegExp(`<${P}v>([^<]*)</${P}v>`).exec(cell);
  if (!v) return null;
  return /\st="(s|str|inlineStr|e)"/.test(cell) ? v[1] : Number(v[1]);
}

export function attrOf(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

const COLLECTIONS: [string, string][] = [
  ['numFmts', 'numFmt'],
  ['fonts', 'font'],
  ['fills', 'fill'],
  ['borders', 'border'],
  ['cellStyleXfs', 'xf'],
  ['cellXfs', 'xf'],
  ['cellStyles', 'cellStyle'],
  ['dxfs', 'dxf'],
];

export function styleItems(xml: string, coll: string): string[] {
  const item = COLLECTIONS.find((c) => c[0] === coll)![1];
  const m = new RegExp(`<(${P})${coll}\\b[^>]*?(?:/>|>([\\s\\S]*?)</\\1${coll}>)`).exec(xml);
  if (!m || !m[2]) return [];
  return [...m[2].matchAll(new RegExp(`<(${P})${item}\\b[^>]*?(?:/>|>[\\s\\S]*?</\\1${item}>)`, 'g'))].map((x) => x[0]);
}

/**
 * Checks that `b` is `a` with items appended to its style collections only: every existing item keeps its
 * index and text, and the rest of the part is the same (collection counts aside). Returns problems.
 */
export function stylesOnlyAppended(a: string, b: string): string[] {
  const problems: string[] = [];
  let na = a;
  let nb = b;
  for (const [coll] of COLLECTIONS) {
    const ia = styleItems(a, coll);
    const ib = styleItems(b, coll);
    for (let i = 0; i < ia.length; i++) if (ib[i] !== ia[i]) problems.push(`${coll}[${i}] changed`);
    const re = new RegExp(`<(${P})${coll}\\b[^>]*?(?:/>|>[\\s\\S]*?</\\1${coll}>)`);
    const hadA = re.test(na);
    na = na.replace(re, `<${coll}/>`);
    nb = hadA ? nb.replace(re, `<${coll}/>`) : nb.replace(re, '');
    const count = new RegExp(`<${P}${coll}\\b[^>]*\\scount="(\\d+)"`).exec(b);
    if (count && Number(count[1]) !== ib.length) problems.push(`${coll} count ${count[1]} ≠ ${ib.length} items`);
  }
  if (na !== nb) problems.push('styles.xml changed outside its collections');
  return problems;
}

/** Removes every match of `re` from the text. */
export const strip = (s: string, re: RegExp) => s.replace(re, '');

/** Sheet name → worksheet zip entry, from workbook.xml and its relationships (regex, independent). */
export function sheetEntries(parts: Parts): Map<string, string> {
  const rootRels = parts.get('_rels/.rels')!.toString('utf8');
  const wbTarget = /Type="[^"]*\/officeDocument"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Type="[^"]*\/officeDocument"/.exec(rootRels)!;
  const wbPart = (wbTarget[1] ?? wbTarget[2]).replace(/^\//, '');
  const wbDir = wbPart.slice(0, wbPart.lastIndexOf('/') + 1);
  const wb = parts.get(wbPart)!.toString('utf8');
  const relsName = `${wbDir}_rels/${wbPart.slice(wbDir.length)}.rels`;
  const rels = parts.get(relsName)!.toString('utf8');
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attrOf(m[0], 'Id')!;
    const t = attrOf(m[0], 'Target')!;
    targets.set(id, t.startsWith('/') ? t.slice(1) : wbDir + t);
  }
  const out = new Map<string, string>();
  for (const m of wb.matchAll(/<(?:\w+:)?sheet\s[^>]*>/g)) {
    const name = attrOf(m[0], 'name')!
      .replace(/&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    const id = /\s\w+:id="([^"]+)"/.exec(m[0])![1];
    out.set(name, targets.get(id)!);
  }
  return out;
}

export function workbookEntry(parts: Parts): string {
  const rootRels = parts.get('_rels/.rels')!.toString('utf8');
  const m = /<Relationship\b[^>]*officeDocument"[^>]*>|<Relationship\b[^>]*Type="[^"]*officeDocument[^>]*>/.exec(rootRels)!;
  return attrOf(m[0], 'Target')!.replace(/^\//, '');
}

/**
 * Problems that make a part not well-formed, namespace-aware XML (unbound prefixes, bad nesting,
 * duplicate attributes), as saxes (ExcelJS's own XML parser) reports them; [] when the part is fine.
 */
export function xmlProblems(xml: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SaxesParser } = require('saxes');
  const problems: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (e: Error) => problems.push(e.message));
  parser.write(xml.replace(/^\uFEFF/, '')).close();
  return problems;
}
