/**
 * A cached, merge-aware view of one sheet for the reader: label keys, display text, numbers and amounts.
 */
import { SheetGrid } from '../grid';
import { NumAt, Pos, TextAt } from '../model';
import { isCellError } from '../grid';
import { cellText, chineseNumber, isDateFormat, norm, readNumber } from '../text';
import { labelKey, LabelInfo, Lexicon } from '../vocabulary';

export interface Entry {
  r: number;
  c: number;
  /** Label key (normalised, RULES §1). */
  k: string;
  /** What the vocabulary says of the key (`lex.label(k)`). */
  l: LabelInfo;
}

/** A cell the checker needs a number from and cannot use (an error, a date, a currency sign): S05. */
export interface Unusable {
  pos: Pos;
  /** The field, as the form names it (分值, 全年执行数 …). */
  field: string;
  /** The cell as shown. */
  value: string;
  /** Why it cannot be used (Chinese). */
  why: string;
  /** The number it was read as, when it is unambiguous though not written as a number (`十六分` → 16). */
  readAs?: number;
}

/** Text that tries to be a number and is none a host computes with: `1e309`, `NaN`, `Infinity`, `0x1A`, `（空的数值）`. */
const NOT_A_NUMBER = /^(?:[-+]?\d[\d.]*e[-+]?\d+|[-+]?(?:nan|infinity|inf)|0x[0-9a-f]+|\(空的数值\))$/i;

/** Text in a score cell that says there is no value rather than giving a wrong one (no S05). */
const NOT_A_VALUE = /^(无|不适用|不涉及|空|[/／—\-…·.]+)$/;

/** Rows without labels share one empty list (not frozen: a frozen array would make the row loops polymorphic). */
const NO_ENTRIES: readonly Entry[] = [];

export class SheetView {
  /** Unusable values met while reading, by cell (each table takes those inside its range). */
  readonly unusable = new Map<string, Unusable>();

  /** Entries by row. */
  private rows: (readonly Entry[] | undefined)[] = [];
  private scratch: Entry[] = [];
  constructor(
    readonly g: SheetGrid,
    readonly lex: Lexicon,
  ) {}

  get rowCount(): number {
    return this.g.rowCount;
  }
  get colCount(): number {
    return this.g.colCount;
  }

  /**
   * The merged area holding (r, c), if it is a sound one: in a damaged file merges overlap, and an area whose
   * own top-left cell belongs to another area is ignored (Excel drops such merges when it repairs the file).
   */
  mergeAt(r: number, c: number) {
    const m = this.g.mergeAt(r, c);
    return m && this.g.mergeAt(m.r0, m.c0) === m ? m : undefined;
  }

  /** The top-left cell of the merged area holding (r, c), or (r, c) itself. */
  anchor(r: number, c: number): Pos {
    const m = this.mergeAt(r, c);
    return m ? { r: m.r0, c: m.c0 } : { r, c };
  }

  isAnchor(r: number, c: number): boolean {
    const m = this.mergeAt(r, c);
    return !m || (m.r0 === r && m.c0 === c);
  }

  /** Last column of the merged area holding (r, c) (c itself when not merged). */
  spanEnd(r: number, c: number): number {
    const m = this.mergeAt(r, c);
    return m ? Math.max(m.c1, c) : c;
  }

  /**
   * Display text (trimmed) at (r, c), merge-aware. Not cached: a text cell's is its value (trim allocates
   * nothing when there is nothing to trim), and a per-row cache cost more allocation than it saved.
   */
  text(r: number, c: number): string {
    const m = this.mergeAt(r, c);
    const cell = m ? this.g.raw(m.r0, m.c0) : this.g.raw(r, c);
    if (cell === undefined) return '';
    const v = cell.value;
    return typeof v === 'string' ? v.trim() : cellText(cell).trim();
  }

  /**
   * Label key at (r, c), merge-aware. Not cached per cell: each row's keys are kept in its entries, and
   * labelKey's normalisation is memoised per text.
   */
  key(r: number, c: number): string {
    return labelKey(this.text(r, c));
  }

  /** Normalised text (white space removed, half-width) at (r, c), merge-aware. */
  norm(r: number, c: number): string {
    return norm(this.text(r, c));
  }

  /** The non-empty text cells whose merged area starts in row r (each row is scanned once). */
  row(r: number): readonly Entry[] {
    let e = this.rows[r];
    if (e === undefined) {
      // Collected in a scratch list and copied at its exact size (most rows hold a few labels). The scratch
      // list is never truncated (setting its length to 0 would drop its storage): n counts what is in use.
      const out = this.scratch;
      let n = 0;
      const cells = this.g.rowCells(r);
      for (let c = 0; c < cells.length; c++) {
        const cell = cells[c];
        if (!cell || typeof cell.value !== 'string' || !this.isAnchor(r, c)) continue;
        const text = this.text(r, c);
        const l = this.lex.label(text);
        const k = l.key;
        if (k === '') continue;
        const entry: Entry = { r, c, k, l };
        if (n < out.length) out[n] = entry;
        else out.push(entry);
        n++;
      }
      e = n === 0 ? NO_ENTRIES : out.slice(0, n);
      this.rows[r] = e;
    }
    return e;
  }

  /** Whether row r holds any value of its own (numbers included) in columns c0..c1. */
  hasValues(r: number, c0 = 0, c1 = this.colCount - 1): boolean {
    const cells = this.g.rowCells(r);
    for (let c = Math.max(c0, 0); c <= Math.min(c1, cells.length - 1); c++) {
      if (cells[c] && this.isAnchor(r, c) && this.text(r, c) !== '') return true;
    }
    return false;
  }

  textAt(p: Pos | null): TextAt | null {
    return p ? this.textAtAnchor(this.anchor(p.r, p.c)) : null;
  }

  /** The same at a position that is already its area's anchor (the position object is kept, not copied). */
  textAtAnchor(a: Pos): TextAt | null {
    const text = this.text(a.r, a.c);
    return text === '' ? null : { text, pos: a };
  }

  /**
   * A number a field needs (分值, 得分, 执行率, an amount): null when the cell is empty or holds a placeholder;
   * a value that cannot be used — an error literal, a date, a currency sign — is recorded, never replaced by
   * another number. A score may carry its unit (`20分`).
   */
  need(p: Pos | null, field: string, kind: 'score' | 'rate' | 'money', scale = 1): NumAt | null {
    if (!p) return null;
    const a = this.anchor(p.r, p.c);
    const cell = this.g.raw(a.r, a.c);
    if (!cell || cell.value === null) return null;
    if (isCellError(cell.value)) return this.record(a, field, `是错误值 ${cell.value.error}`);
    if (typeof cell.value === 'number' && isDateFormat(cell.numFmt))
      return this.record(a, field, '设置成了日期格式，显示为日期而不是数字');
    if (typeof cell.value === 'string') {
      const t = norm(cell.value);
      if (/[¥￥$]/.test(t) && /\d/.test(t)) return this.record(a, field, '带有货币符号，无法确定金额单位（万元或元）');
      if (kind === 'score') {
        const m = /^(\d+(?:\.\d+)?)分$/.exec(t);
        if (m) {
          const dot = m[1].indexOf('.');
          return { value: Number(m[1]), percent: false, decimals: dot < 0 ? 0 : m[1].length - dot - 1, pos: a };
        }
        // Reading rule 9: a score in Chinese numerals is read, and S05 says so; other words are S05 and no score.
        const cn = chineseNumber(t.endsWith('分') ? t.slice(0, -1) : t);
        if (cn !== null) {
          this.unusable.set(`${a.r},${a.c}`, {
            pos: a,
            field,
            value: this.text(a.r, a.c),
            why: '是中文数字',
            readAs: cn,
          });
          const dot = String(cn).indexOf('.');
          return { value: cn, percent: false, decimals: dot < 0 ? 0 : String(cn).length - dot - 1, pos: a };
        }
        if (/[\u4e00-\u9fff]/.test(t) && !NOT_A_VALUE.test(t) && readNumber(cell) === null)
          return this.record(a, field, '不是数字');
      }
    }
    const out = kind === 'money' ? this.amount(a, scale) : this.num(a);
    // A number the file holds in a form no host computes with (`1e309`, `NaN`, `0x1A`, an empty stored number):
    // S05 at the cell, never a blank and never another number (the xlsx reader hands such cells over as text).
    if (out === null && typeof cell.value === 'string' && NOT_A_NUMBER.test(norm(cell.value)))
      return this.record(a, field, '不是有效的数字');
    return out;
  }

  private record(a: Pos, field: string, why: string): null {
    this.unusable.set(`${a.r},${a.c}`, { pos: a, field, value: this.text(a.r, a.c), why });
    return null;
  }

  /** A plain number (or percentage) at p, merge-aware. */
  num(p: Pos | null): NumAt | null {
    if (!p) return null;
    const a = this.anchor(p.r, p.c);
    const n = readNumber(this.g.raw(a.r, a.c));
    return n ? { value: n.value, percent: n.percent, decimals: n.decimals, pos: a } : null;
  }

  /**
   * An amount in 万元 at p: a number (in the block's unit: `scale` 1 for 万元, 0.0001 for 元), or text with
   * its own unit (`4753.66万元`, `250万`, `854万（其中…）`, `20万元`, `3309840元`).
   */
  amount(p: Pos | null, scale: number): NumAt | null {
    if (!p) return null;
    const a = this.anchor(p.r, p.c);
    const cell = this.g.raw(a.r, a.c);
    if (!cell) return null;
    if (typeof cell.value === 'number') {
      const n = readNumber(cell);
      if (!n) return null;
      if (n.percent || scale === 1) return { value: n.value, percent: n.percent, decimals: n.decimals, pos: a };
      return { value: n.value * scale, percent: false, decimals: n.decimals + 4, pos: a };
    }
    if (typeof cell.value !== 'string') return null;
    const t = norm(cell.value).replace(/,/g, '');
    const m = /^([-+]?\d+(?:\.\d+)?)(万元|万|亿元|亿|元)?(.*)$/.exec(t);
    if (!m) return null;
    // Text after the number only with a unit that makes it an amount (`854万（其中…）`).
    if (m[3] !== '' && !m[2]) return null;
    const n = Number(m[1]);
    const dot = m[1].indexOf('.');
    const dec = dot < 0 ? 0 : m[1].length - dot - 1;
    switch (m[2]) {
      case '万元':
      case '万':
        return { value: n, percent: false, decimals: dec, pos: a };
      case '亿元':
      case '亿':
        return { value: n * 10000, percent: false, decimals: Math.max(dec - 4, 0), pos: a };
      case '元':
        return { value: n / 10000, percent: false, decimals: dec + 4, pos: a };
      default:
        return scale === 1
          ? { value: n, percent: false, decimals: dec, pos: a }
          : { value: n * scale, percent: false, decimals: dec + 4, pos: a };
    }
  }
}
