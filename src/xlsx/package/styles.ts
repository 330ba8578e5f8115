/**
 * styles.xml, edited only by appending: new number formats, fonts, fills, borders, cell formats (xf) and
 * differential formats (dxf) go after the existing ones, whose indexes and text never change.
 */
import {
  applySplices,
  attr,
  childElements,
  Element,
  escapeXml,
  findElement,
  insertChildSplice,
  parseAttrs,
  rewriteStartTag,
  rootPrefix,
  rootTag,
  scanTags,
  Splice,
  Tag,
} from './xml';
import { after } from './workbook';
import { InputError } from '../errors';

/** CT_Stylesheet children in schema order. */
const STYLESHEET_ORDER = ['numFmts', 'fonts', 'fills', 'borders', 'cellStyleXfs', 'cellXfs', 'cellStyles', 'dxfs', 'tableStyles', 'colors', 'extLst'];

const ITEM_OF: Record<string, string> = {
  numFmts: 'numFmt',
  fonts: 'font',
  fills: 'fill',
  borders: 'border',
  cellStyleXfs: 'xf',
  cellXfs: 'xf',
  cellStyles: 'cellStyle',
  dxfs: 'dxf',
};

/** Excel's built-in number formats (ECMA-376 §18.8.30) that the engine may ask for, by format code. */
const BUILTIN_FORMATS: Record<number, string> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  49: '@',
};

export interface XfInfo {
  numFmtId: number;
  /** False only when the xf says `<protection locked="0"/>`: cells are locked by default. */
  locked: boolean;
}

/** A cell format's number format and protection, from its element in `xml`. */
function xfInfoOf(xml: string, xf: Element): XfInfo {
  const numFmtId = Number(attr(parseAttrs(xf.tag.attrText), 'numFmtId') ?? 0);
  let locked = true;
  for (const c of childElements(xml, xf)) {
    if (c.tag.local !== 'protection') continue;
    const v = attr(parseAttrs(c.tag.attrText), 'locked');
    if (v === '0' || v === 'false') locked = false;
  }
  return { numFmtId: Number.isFinite(numFmtId) ? numFmtId : 0, locked };
}

/** Adds `prefix` to every unprefixed tag of a snippet (for a target part that uses a prefixed namespace). */
export function reprefix(text: string, prefix: string): string {
  if (!prefix) return text;
  const splices: Splice[] = [];
  for (const t of scanTags(text)) {
    if (t.name.includes(':')) continue;
    const at = t.kind === 'close' ? t.start + 2 : t.start + 1;
    splices.push({ start: at, end: at, text: prefix });
  }
  return applySplices(text, splices);
}

export class StylesXml {
  constructor(public xml: string) {}

  /**
   * A styles part to edit, or an InputError in Chinese when it is empty or its root is not `styleSheet`
   * (Excel repairs such a file on open; writing into it would make that worse).
   */
  static open(xml: string, part: string, fileName = '工作簿'): StylesXml {
    if (rootTag(xml)?.local !== 'styleSheet') {
      const what = xml.trim() === '' ? '是空的' : '不是有效的样式表（根元素不是 styleSheet）';
      throw new InputError(`${fileName}：样式部件 ${part.replace(/^\//, '')} ${what}，无法写入。请在 WPS/Excel 中打开并另存为 .xlsx 后重试。`);
    }
    return new StylesXml(xml);
  }

  changed = false;

  /**
   * The cell formats and number formats, indexed in one scan and kept up to date by this class's own appends
   * (existing items never change): a file with 60,000 cell formats costs one scan, not one per cell written.
   */
  private index: { xfText: string[]; info: XfInfo[]; formats: Map<number, string> } | null = null;

  private indexed(): NonNullable<StylesXml['index']> {
    if (!this.index) {
      const formats = new Map<number, string>();
      for (const e of this.items('numFmts')) {
        const a = parseAttrs(e.tag.attrText);
        const id = Number(attr(a, 'numFmtId'));
        const code = attr(a, 'formatCode');
        if (Number.isFinite(id) && code !== undefined && !formats.has(id)) formats.set(id, code);
      }
      const xfText: string[] = [];
      const info: XfInfo[] = [];
      for (const xf of this.items('cellXfs')) {
        xfText.push(this.xml.slice(xf.tag.start, xf.end));
        info.push(xfInfoOf(this.xml, xf));
      }
      this.index = { xfText, info, formats };
    }
    return this.index;
  }

  private root(): Element {
    const r = findElement(this.xml, 'styleSheet');
    if (!r) throw new Error('styles.xml has no styleSheet element');
    return r;
  }

  private collection(local: string): Element | null {
    return childElements(this.xml, this.root()).find((c) => c.tag.local === local) ?? null;
  }

  items(local: string): Element[] {
    const c = this.collection(local);
    if (!c) return [];
    return childElements(this.xml, c).filter((e) => e.tag.local === ITEM_OF[local]);
  }

  itemText(local: string, i: number): string | null {
    const e = this.items(local)[i];
    return e ? this.xml.slice(e.tag.start, e.end) : null;
  }

  xfInfo(index: number): XfInfo {
    return this.indexed().info[index] ?? { numFmtId: 0, locked: true };
  }

  /** The format code of a number format id (built-in or custom), or undefined. */
  formatCode(id: number): string | undefined {
    return this.indexed().formats.get(id) ?? BUILTIN_FORMATS[id];
  }

  isGeneral(numFmtId: number): boolean {
    const code = this.formatCode(numFmtId);
    return numFmtId === 0 || (code !== undefined && code.toLowerCase() === 'general');
  }

  /**
   * Appends `items` (XML text of `<numFmt>`, `<font>`, …, unprefixed) to a collection, creating it in schema
   * position when absent, and updates its count. Returns the index of the first appended item.
   */
  append(local: string, items: readonly string[]): number {
    const prefix = rootPrefix(this.xml);
    const text = reprefix(items.join(''), prefix);
    const first = this.items(local).length;
    this.noteAppended(local, items);
    const coll = this.collection(local);
    if (!coll) {
      const el = `<${prefix}${local} count="${items.length}">${text}</${prefix}${local}>`;
      this.xml = applySplices(this.xml, [insertChildSplice(this.xml, this.root(), el, after(STYLESHEET_ORDER, local))]);
    } else {
      const splices: Splice[] = [insertChildSplice(this.xml, coll, text, [])];
      if (coll.tag.kind !== 'empty' && attr(parseAttrs(coll.tag.attrText), 'count') !== undefined) {
        splices.push({ start: coll.tag.start, end: coll.tag.end, text: rewriteStartTag(coll.tag, { count: String(first + items.length) }) });
      } else if (coll.tag.kind === 'empty') {
        // insertChildSplice rewrote the empty tag; the count follows.
        const s = splices[0];
        s.text = s.text.replace(/count="\d+"/, `count="${first + items.length}"`);
      }
      this.xml = applySplices(this.xml, splices);
    }
    this.changed = true;
    return first;
  }

  /** Keeps the index in step with items appended (unprefixed text, as `append` takes it). */
  private noteAppended(local: string, items: readonly string[]): void {
    const ix = this.index;
    if (!ix) return;
    for (const text of items) {
      const el = findElement(text, ITEM_OF[local]);
      if (!el) continue;
      if (local === 'cellXfs') {
        ix.xfText.push(text);
        ix.info.push(xfInfoOf(text, el));
      } else if (local === 'numFmts') {
        const a = parseAttrs(el.tag.attrText);
        const id = Number(attr(a, 'numFmtId'));
        const code = attr(a, 'formatCode');
        if (Number.isFinite(id) && code !== undefined && !ix.formats.has(id)) ix.formats.set(id, code);
      }
    }
  }

  /** The id of a number format with this code: built-in, existing custom, or a newly appended one. */
  numFmtId(code: string): number {
    for (const [id, c] of Object.entries(BUILTIN_FORMATS)) if (c === code) return Number(id);
    const { formats } = this.indexed();
    let max = 163;
    for (const [id, c] of formats) {
      if (c === code) return id;
      if (id > max) max = id;
    }
    const id = max + 1;
    this.append('numFmts', [`<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`]);
    return id;
  }

  private readonly clones = new Map<string, number>();

  /** A new xf cloned from `xf` with another number format (appended once per pair); returns its index. */
  withNumFmt(xf: number, code: string): number {
    const key = `${xf}\u0000${code}`;
    const done = this.clones.get(key);
    if (done !== undefined) return done;
    const id = this.numFmtId(code);
    const ix = this.indexed();
    const original = ix.xfText[xf];
    let text: string;
    if (original !== undefined) {
      const tag = scanTags(original).next().value as Tag;
      const open = rewriteStartTag(tag, { numFmtId: String(id), applyNumberFormat: '1' });
      text = open + original.slice(tag.end);
      // The clone is unprefixed only if the original was: strip the prefix before append() re-adds it.
      const prefix = rootPrefix(this.xml);
      if (prefix) text = text.split(`<${prefix}`).join('<').split(`</${prefix}`).join('</');
    } else {
      text = `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`;
    }
    const index = this.append('cellXfs', [text]);
    this.clones.set(key, index);
    return index;
  }
}

/** The items of a collection in another styles.xml, as text (for grafting). */
export function foreignItems(xml: string, local: string): string[] {
  const root = findElement(xml, 'styleSheet');
  if (!root) return [];
  const coll = childElements(xml, root).find((c) => c.tag.local === local);
  if (!coll) return [];
  return childElements(xml, coll)
    .filter((e) => e.tag.local === ITEM_OF[local])
    .map((e) => xml.slice(e.tag.start, e.end));
}

