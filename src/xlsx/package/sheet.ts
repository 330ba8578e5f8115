/**
 * A worksheet part, indexed for writing values into single cells: rows and cells with their positions in
 * the text, merged areas, array-formula ranges, sheet protection and column styles. Writes are splices of
 * single `<c>` elements (or new `<c>` / `<row>` elements inserted in order); the rest of the text is kept.
 */
import { Area, colName, parseA1, parseAreaA1 } from '../../domain/grid';
import {
  applySplices,
  attr,
  Element,
  elementText,
  escapeXml,
  parseAttrs,
  rewriteStartTag,
  rootPrefix,
  scanTags,
  Splice,
  Tag,
} from './xml';

interface CellInfo {
  /** 0-based. */
  row: number;
  col: number;
  tag: Tag;
  /** Offset after the element. */
  end: number;
  hasFormula: boolean;
  hasRef: boolean;
  style: number;
  /** Child elements other than v/is/f (e.g. extLst), kept on rewrite. */
  keep: string;
  /** The cached value element `<v>` (offsets), when present. */
  v?: { start: number; end: number };
}

/** A formula cell: its formula text and, for shared formulas, the group. */
export interface FormulaCell {
  row: number;
  col: number;
  /** Decoded formula text; empty for a member of a shared formula. */
  text: string;
  type?: string;
  si?: string;
  /** The range of an array or shared formula (on its anchor). */
  ref?: string;
}

interface RowInfo {
  row: number;
  tag: Tag;
  /** Offset of `</row>` (== tag.end for an empty row). */
  closeStart: number;
  end: number;
  hasRef: boolean;
  cells: CellInfo[];
}

export type CellValueToWrite = number | string;

/** What the writer needs from styles.xml. */
export interface StyleLookup {
  isLocked(xf: number): boolean;
  /** The xf to give the cell for `numFmt` (a new one appended when needed), or the cell's own. */
  styleFor(xf: number, numFmt: string | undefined): number;
}

const contains = (a: Area, r: number, c: number) => r >= a.r0 && r <= a.r1 && c >= a.c0 && c <= a.c1;
const areaText = (a: Area) => `${colName(a.c0)}${a.r0 + 1}:${colName(a.c1)}${a.r1 + 1}`;

export class SheetXml {
  readonly prefix: string;
  private readonly rows = new Map<number, RowInfo>();
  private readonly rowList: RowInfo[] = [];
  private readonly cells = new Map<string, CellInfo>();
  readonly merges: Area[] = [];
  readonly arrays: Area[] = [];
  readonly protectedSheet: boolean;
  private readonly colStyles: { min: number; max: number; style: number }[] = [];
  private readonly sheetData: Element | null;
  private readonly dimension: Tag | null;
  private readonly splices: Splice[] = [];
  private readonly inserted = new Map<number, { col: number; text: string }[]>();
  private readonly newRows = new Map<number, { col: number; text: string }[]>();
  hasFormula = false;
  readonly formulas: FormulaCell[] = [];

  constructor(readonly xml: string) {
    this.prefix = rootPrefix(xml);
    this.sheetData = findSheetData(xml);
    let prot = false;
    let dim: Tag | null = null;
    for (const t of scanTags(xml, 0, this.sheetData ? this.sheetData.tag.start : xml.length)) {
      if (t.local === 'dimension' && t.kind !== 'close') dim = t;
      if (t.local === 'col' && t.kind !== 'close') {
        const a = parseAttrs(t.attrText);
        const style = Number(attr(a, 'style') ?? 0);
        if (style) this.colStyles.push({ min: Number(attr(a, 'min')) - 1, max: Number(attr(a, 'max')) - 1, style });
      }
    }
    this.dimension = dim;
    const tailFrom = this.sheetData ? this.sheetData.end : 0;
    for (const t of scanTags(xml, tailFrom)) {
      if (t.kind === 'close') continue;
      if (t.local === 'sheetProtection') {
        const v = attr(parseAttrs(t.attrText), 'sheet');
        prot = v === '1' || v === 'true';
      } else if (t.local === 'mergeCell') {
        const ref = attr(parseAttrs(t.attrText), 'ref');
        const a = ref ? parseAreaA1(ref) : null;
        if (a && (a.r1 > a.r0 || a.c1 > a.c0)) this.merges.push(a);
      }
    }
    this.protectedSheet = prot;
    if (this.sheetData && this.sheetData.tag.kind !== 'empty') this.indexSheetData(this.sheetData);
  }

  private indexSheetData(sd: Element): void {
    const xml = this.xml;
    let row: RowInfo | null = null;
    let cell: CellInfo | null = null;
    let lastRow = -1;
    let lastCol = -1;
    // Inside a cell: its direct children (depth 0), tracked inline (no second scan per cell).
    let depth = 0;
    let child: Tag | null = null;
    for (const t of scanTags(xml, sd.tag.end, sd.closeStart)) {
      if (cell) {
        if (t.kind === 'close' && depth === 0) {
          cell.end = t.end;
          this.cells.set(`${cell.row},${cell.col}`, cell);
          row?.cells.push(cell);
          cell = null;
        } else if (t.kind === 'open') {
          if (depth === 0) child = t;
          depth++;
        } else if (t.kind === 'close') {
          depth--;
          if (depth === 0 && child) {
            this.cellChild(cell, child, t.start, t.end);
            child = null;
          }
        } else if (depth === 0) this.cellChild(cell, t, t.end, t.end);
        continue;
      }
      if (t.local === 'row') {
        if (t.kind === 'close') {
          if (row) {
            row.closeStart = t.start;
            row.end = t.end;
          }
          row = null;
          continue;
        }
        const a = parseAttrs(t.attrText);
        const r = attr(a, 'r');
        const n = r !== undefined ? Number(r) - 1 : lastRow + 1;
        lastRow = n;
        lastCol = -1;
        const info: RowInfo = { row: n, tag: t, closeStart: t.end, end: t.end, hasRef: r !== undefined, cells: [] };
        this.rows.set(n, info);
        this.rowList.push(info);
        row = t.kind === 'open' ? info : null;
        continue;
      }
      if (t.local === 'c' && t.kind !== 'close') {
        const a = parseAttrs(t.attrText);
        const r = attr(a, 'r');
        const p = r ? parseA1(r) : null;
        const col = p ? p.c : lastCol + 1;
        lastCol = col;
        const info: CellInfo = {
          row: p ? p.r : lastRow,
          col,
          tag: t,
          end: t.end,
          hasFormula: false,
          hasRef: r !== undefined,
          style: Number(attr(a, 's') ?? 0),
          keep: '',
        };
        if (t.kind === 'empty') {
          this.cells.set(`${info.row},${info.col}`, info);
          row?.cells.push(info);
        } else {
          cell = info;
          depth = 0;
        }
      }
    }
  }

  /** Notes a cell's child: its formula (and array range), its cached value, or a child a rewrite keeps. */
  private cellChild(cell: CellInfo, tag: Tag, closeStart: number, end: number): void {
    if (tag.local === 'f') {
      cell.hasFormula = true;
      this.hasFormula = true;
      const a = parseAttrs(tag.attrText);
      const type = attr(a, 't');
      const ref = attr(a, 'ref');
      if ((type === 'array' || type === 'dataTable') && ref) {
        const area = parseAreaA1(ref);
        if (area) this.arrays.push(area);
      }
      const text = tag.kind === 'empty' ? '' : elementText(this.xml.slice(tag.end, closeStart));
      this.formulas.push({ row: cell.row, col: cell.col, text, type, si: attr(a, 'si'), ref });
    } else if (tag.local === 'v') cell.v = { start: tag.start, end };
    else if (tag.local !== 'is') cell.keep += this.xml.slice(tag.start, end);
  }

  /** The style a cell shows: its own, else its row's (customFormat), else its column's. */
  private effectiveStyle(r: number, c: number): number {
    const cell = this.cells.get(`${r},${c}`);
    if (cell) return cell.style;
    const row = this.rows.get(r);
    if (row) {
      const a = parseAttrs(row.tag.attrText);
      const cf = attr(a, 'customFormat');
      if ((cf === '1' || cf === 'true') && attr(a, 's') !== undefined) return Number(attr(a, 's'));
    }
    for (const cs of this.colStyles) if (c >= cs.min && c <= cs.max) return cs.style;
    return 0;
  }

  private valueXml(value: CellValueToWrite): { type: string | null; inner: string } {
    const p = this.prefix;
    if (typeof value === 'number') return { type: null, inner: `<${p}v>${String(value)}</${p}v>` };
    const space = /^\s|\s$/.test(value) ? ' xml:space="preserve"' : '';
    return { type: 'inlineStr', inner: `<${p}is><${p}t${space}>${escapeXml(value)}</${p}t></${p}is>` };
  }

  /**
   * Writes one value, or says why not (a Chinese reason). Never writes a formula cell, a member of an
   * array formula, a cell that shares a merged area with other cells, or a locked cell of a protected sheet.
   */
  write(address: string, value: CellValueToWrite, numFmt: string | undefined, styles: StyleLookup): string | null {
    const p = parseA1(address);
    if (!p) return `单元格地址“${address}”无效`;
    if (typeof value === 'number' && !Number.isFinite(value)) return '计算结果不是有效数字，不写入';
    const { r, c } = p;
    const key = `${r},${c}`;
    const cell = this.cells.get(key);
    if (cell?.hasFormula) return '单元格含公式，不覆盖';
    const arr = this.arrays.find((a) => contains(a, r, c));
    if (arr) return `单元格属于数组公式区域 ${areaText(arr)}，不覆盖`;
    const merge = this.merges.find((a) => contains(a, r, c));
    if (merge) return `单元格位于合并单元格 ${areaText(merge)} 中，与其他单元格共用，不写入`;
    const style = this.effectiveStyle(r, c);
    if (this.protectedSheet && styles.isLocked(style)) return '工作表受保护且该单元格已锁定，不强行写入';
    if (this.touched.has(key)) return '同一单元格重复写入，已跳过';
    const s = styles.styleFor(style, numFmt);
    const { type, inner } = this.valueXml(value);
    const pre = this.prefix;
    if (cell) {
      const set: Record<string, string> = {};
      if (s !== cell.style) set.s = String(s);
      if (type) set.t = type;
      const remove = ['vm', 'cm', ...(type ? [] : ['t'])];
      const open = rewriteStartTag({ ...cell.tag, kind: 'open' }, set, remove);
      this.splices.push({ start: cell.tag.start, end: cell.end, text: `${open}${inner}${cell.keep}</${cell.tag.name}>` });
      this.touched.add(key);
      return null;
    }
    const text = `<${pre}c r="${colName(c)}${r + 1}"${s ? ` s="${s}"` : ''}${type ? ` t="${type}"` : ''}>${inner}</${pre}c>`;
    const row = this.rows.get(r);
    if (row) {
      const later = row.cells.find((x) => x.col > c);
      if (later && row.cells.some((x) => x.col > c && !x.hasRef)) return '该行的单元格没有地址，无法安全插入，不写入';
      const list = this.inserted.get(r) ?? [];
      list.push({ col: c, text });
      this.inserted.set(r, list);
    } else {
      if (!this.sheetData) return '工作表没有数据区，不写入';
      if (this.rowList.some((x) => x.row > r && !x.hasRef)) return '工作表的行没有地址，无法安全插入，不写入';
      const list = this.newRows.get(r) ?? [];
      list.push({ col: c, text });
      this.newRows.set(r, list);
    }
    this.touched.add(key);
    this.extend(r, c);
    return null;
  }

  private readonly touched = new Set<string>();
  private bounds: Area | null = null;

  private extend(r: number, c: number): void {
    const b = this.bounds;
    this.bounds = b ? { r0: Math.min(b.r0, r), c0: Math.min(b.c0, c), r1: Math.max(b.r1, r), c1: Math.max(b.c1, c) } : { r0: r, c0: c, r1: r, c1: c };
  }

  get changed(): boolean {
    return this.touched.size > 0;
  }

  /**
   * Drops a formula cell's cached value (`<v>` and the value type `t`), so that applications that do not
   * honour fullCalcOnLoad (LibreOffice) compute it on open instead of showing a stale result. The formula
   * and every other attribute and child stay. Returns whether anything was dropped.
   */
  dropCachedValue(r: number, c: number): boolean {
    const cell = this.cells.get(`${r},${c}`);
    if (!cell || !cell.hasFormula || !cell.v || this.dropped.has(`${r},${c}`)) return false;
    this.dropped.add(`${r},${c}`);
    const open = rewriteStartTag(cell.tag, {}, ['t']);
    this.splices.push({ start: cell.tag.start, end: cell.tag.end, text: open });
    this.splices.push({ start: cell.v.start, end: cell.v.end, text: '' });
    return true;
  }

  private readonly dropped = new Set<string>();

  get changedAny(): boolean {
    return this.touched.size > 0 || this.dropped.size > 0;
  }

  /** The part's new text. */
  result(): string {
    const splices = [...this.splices];
    const pre = this.prefix;
    for (const [r, list] of this.inserted) {
      const row = this.rows.get(r)!;
      list.sort((a, b) => a.col - b.col);
      if (row.tag.kind === 'empty') {
        splices.push({ start: row.tag.start, end: row.tag.end, text: `${this.rowOpen(row, list)}${list.map((x) => x.text).join('')}</${row.tag.name}>` });
        continue;
      }
      const spans = this.spansUpdate(row, list);
      if (spans) splices.push(spans);
      for (const x of list) {
        const next = row.cells.find((k) => k.col > x.col);
        const at = next ? next.tag.start : row.closeStart;
        splices.push({ start: at, end: at, text: x.text, key: x.col });
      }
    }
    if (this.newRows.size) {
      const sd = this.sheetData!;
      const rowsSorted = [...this.newRows.keys()].sort((a, b) => a - b);
      const inserts: Splice[] = [];
      for (const r of rowsSorted) {
        const cells = this.newRows.get(r)!.sort((a, b) => a.col - b.col);
        const text = `<${pre}row r="${r + 1}">${cells.map((x) => x.text).join('')}</${pre}row>`;
        const next = this.rowList.find((x) => x.row > r);
        if (sd.tag.kind === 'empty') inserts.push({ start: 0, end: 0, text, key: r });
        else {
          const at = next ? next.tag.start : sd.closeStart;
          splices.push({ start: at, end: at, text, key: r });
        }
      }
      if (sd.tag.kind === 'empty') {
        const open = rewriteStartTag({ ...sd.tag, kind: 'open' }, {});
        splices.push({ start: sd.tag.start, end: sd.tag.end, text: `${open}${inserts.map((x) => x.text).join('')}</${sd.tag.name}>` });
      }
    }
    const dim = this.dimensionUpdate();
    if (dim) splices.push(dim);
    return applySplices(this.xml, splices);
  }

  private rowOpen(row: RowInfo, list: { col: number }[]): string {
    const set: Record<string, string> = {};
    const spans = this.newSpans(row, list);
    if (spans) set.spans = spans;
    return rewriteStartTag({ ...row.tag, kind: 'open' }, set);
  }

  /** A row's `spans` (an optional hint) widened to cover new cells, or null when unchanged. */
  private newSpans(row: RowInfo, list: { col: number }[]): string | null {
    const spans = attr(parseAttrs(row.tag.attrText), 'spans');
    const m = spans ? /^(\d+):(\d+)$/.exec(spans) : null;
    if (!m) return null;
    let lo = Number(m[1]);
    let hi = Number(m[2]);
    for (const x of list) {
      lo = Math.min(lo, x.col + 1);
      hi = Math.max(hi, x.col + 1);
    }
    const next = `${lo}:${hi}`;
    return next === spans ? null : next;
  }

  private spansUpdate(row: RowInfo, list: { col: number }[]): Splice | null {
    const spans = this.newSpans(row, list);
    if (!spans) return null;
    return { start: row.tag.start, end: row.tag.end, text: rewriteStartTag(row.tag, { spans }) };
  }

  /** `<dimension ref>` widened to cover new cells, or null when unchanged. */
  private dimensionUpdate(): Splice | null {
    const d = this.dimension;
    const b = this.bounds;
    if (!d || !b) return null;
    const ref = attr(parseAttrs(d.attrText), 'ref');
    const a = ref ? parseAreaA1(ref) : null;
    if (!a) return null;
    const n = { r0: Math.min(a.r0, b.r0), c0: Math.min(a.c0, b.c0), r1: Math.max(a.r1, b.r1), c1: Math.max(a.c1, b.c1) };
    if (n.r0 === a.r0 && n.c0 === a.c0 && n.r1 === a.r1 && n.c1 === a.c1) return null;
    const text = n.r0 === n.r1 && n.c0 === n.c1 ? `${colName(n.c0)}${n.r0 + 1}` : areaText(n);
    return { start: d.start, end: d.end, text: rewriteStartTag(d, { ref: text }) };
  }
}

/** A quick test whether a worksheet's text may hold a cell formula (`<f>`, any prefix); false means none. */
export function hasAnyFormula(xml: string): boolean {
  return /<(?:[A-Za-z_][\w.-]*:)?f[\s>/]/.test(xml);
}

/**
 * True when offset `i` lies inside a comment, a CDATA section or a processing instruction (whose text may look
 * like markup: a comment holding `<sheetData/>` is no element).
 */
function insideNonMarkup(xml: string, i: number): boolean {
  for (const [open, close] of [
    ['<!--', '-->'],
    ['<![CDATA[', ']]>'],
    ['<?', '?>'],
  ]) {
    const at = xml.lastIndexOf(open, i - 1);
    if (at < 0) continue;
    const end = xml.indexOf(close, at + open.length);
    if (end < 0 || end + close.length > i) return true;
  }
  return false;
}

/** The sheetData element, found without scanning the (possibly huge) part tag by tag. */
function findSheetData(xml: string): Element | null {
  const re = /<((?:[A-Za-z_][\w.-]*:)?)sheetData(?=[\s/>])/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml)) && insideNonMarkup(xml, m.index));
  if (!m) return null;
  const start = m.index;
  const gt = xml.indexOf('>', start);
  if (gt < 0) return null;
  const selfClosing = xml[gt - 1] === '/';
  const tag: Tag = {
    start,
    end: gt + 1,
    name: `${m[1]}sheetData`,
    local: 'sheetData',
    kind: selfClosing ? 'empty' : 'open',
    attrText: xml.slice(start + 1 + m[1].length + 'sheetData'.length, selfClosing ? gt - 1 : gt),
  };
  if (selfClosing) return { tag, end: tag.end, closeStart: tag.end };
  const closeText = `</${m[1]}sheetData>`;
  let close = xml.indexOf(closeText, gt);
  while (close >= 0 && insideNonMarkup(xml, close)) close = xml.indexOf(closeText, close + 1);
  if (close < 0) return null;
  return { tag, end: close + closeText.length, closeStart: close };
}
