/**
 * Text helpers: label normalisation (RULES §1) and the displayed text of a cell.
 */
import { CellData, CellValue, isCellError } from './grid';

/** Folds full-width ASCII forms (！-～) and the ideographic space into half-width. */
const NEEDS_FOLD = /[\uff01-\uff5e\u3000]/;

export function foldWidth(s: string): string {
  if (!NEEDS_FOLD.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += s[i];
  }
  return out;
}

/** Label comparison form: no white space at all (incl. U+3000 and line breaks), half-width. */
const normed = new Map<string, string>();

export function norm(s: string): string {
  let n = normed.get(s);
  if (n === undefined) {
    n = foldWidth(s).replace(/[\s\u00a0\u200b\ufeff]+/g, '');
    if (normed.size >= 50_000) normed.clear();
    normed.set(s, n);
  }
  return n;
}

/** Removes a trailing weight such as `（20分）` / `(20 分)` from a label and returns it. */
const weights = new Map<string, { label: string; weight: number | null }>();

export function splitWeight(label: string): { label: string; weight: number | null } {
  let w = weights.get(label);
  if (w === undefined) {
    w = Object.freeze(splitWeightUncached(label));
    if (weights.size >= 10_000) weights.clear();
    weights.set(label, w);
  }
  return w;
}

function splitWeightUncached(label: string): { label: string; weight: number | null } {
  const t = norm(label);
  // `产出指标（20分）`, `产出指标（20）分`: the weight.
  const m = /^(.+?)\((\d+(?:\.\d+)?)分?\)分?$/.exec(t);
  if (m) return { label: m[1], weight: Number(m[2]) };
  // `产出指标（0-20）分`, `效益指标（40-50分）`: a range states no weight (issue #16 rule 3).
  const r = /^(.+?)\(\d+(?:\.\d+)?分?[-~～至—]\d+(?:\.\d+)?分?\)分?$/.exec(t);
  if (r) return { label: r[1], weight: null };
  return { label: stripGloss(t), weight: null };
}

/** A template's gloss in brackets after a level label: `（必填）`, `（或建筑规模指标）`, `（如有）`. */
const GLOSS = /^(.+?)\((?:必填|选填|可选|非必填|如有|可不填|或[^()]+|如[^()]+|含[^()]+|包括[^()]+)\)$/;

/** A level label without its template gloss (reading rule 1): `数量指标（必填）` is 数量指标. Takes normalised text. */
export function stripGloss(t: string): string {
  const m = GLOSS.exec(t);
  return m ? m[1] : t;
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v) || (Number.isInteger(v) && Math.abs(v) < 1e21)) return String(v);
  // 15 significant digits removes binary noise (0.1 + 0.2) the way Excel shows numbers.
  const s = Number(v.toPrecision(15)).toString();
  return s.includes('e') ? v.toFixed(10).replace(/\.?0+$/, '') : s;
}

const percentFormats = new Map<string, boolean>();
function isPercentFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  let p = percentFormats.get(fmt);
  if (p === undefined) {
    p = isPercentFormatUncached(fmt);
    if (percentFormats.size < 1000) percentFormats.set(fmt, p);
  }
  return p;
}

function isPercentFormatUncached(fmt: string): boolean {
  // Ignore percent signs inside quotes or escaped.
  return /%/.test(fmt.replace(/"[^"]*"/g, '').replace(/\\%/g, ''));
}

const DATE_FMT = /(^|[^"\\])[ymd]{1,4}/i;

const dateFormats = new Map<string, boolean>();
export function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  let d = dateFormats.get(fmt);
  if (d === undefined) {
    const f = fmt.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '');
    d = DATE_FMT.test(f) && !/0/.test(f);
    if (dateFormats.size < 1000) dateFormats.set(fmt, d);
  }
  return d;
}

function serialToDateText(serial: number): string {
  // Excel counts a 29 February 1900 that never was: serials below 60 are one day later than the calendar says.
  const ms = Math.round((serial - 25569 + (serial < 60 ? 1 : 0)) * 86_400_000);
  const d = new Date(ms);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** Text of a bare value (no format). */
export function valueText(v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (isCellError(v)) return v.error;
  return v;
}

/**
 * The text a user reads in the cell, as far as the engine needs it: percentages carry their `%`,
 * dates read as `2024年10月31日`, other numbers as plain decimals (display rounding is not applied:
 * the engine compares values, not their formatting).
 */
export function cellText(cell: CellData | undefined): string {
  if (!cell) return '';
  const v = cell.value;
  if (typeof v === 'number') {
    if (isPercentFormat(cell.numFmt)) return `${formatNumber(v * 100)}%`;
    if (isDateFormat(cell.numFmt)) return serialToDateText(v);
    return formatNumber(v);
  }
  return valueText(v).trim();
}

const formatDecimals = new Map<string, number | null>();
/** Decimals a number format shows (`0.00` → 2, `0` → 0), or null for a format without digits (General). */
function decimalsOfFormat(fmt: string): number | null {
  let d = formatDecimals.get(fmt);
  if (d === undefined) {
    const f = fmt.replace(/"[^"]*"/g, '');
    const m = /0\.(0+)/.exec(f);
    d = m ? m[1].length : /0/.test(f) ? 0 : null;
    if (formatDecimals.size < 1000) formatDecimals.set(fmt, d);
  }
  return d;
}

/** Decimals of a number as written in text (`9.76` → 2, `10` → 0). */
function decimalsOfText(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

export interface NumberRead {
  value: number;
  /** True when the source was a percentage (`56.67%`, or a number with a % format): value is then a fraction. */
  percent: boolean;
  /** Decimals as written (of the fraction for percentages: `56.67%` → 4). */
  decimals: number;
}

/**
 * Reads a number from a cell that may hold a number, or text such as `' 6'`, `'56.67%'`, `'0.63万元'`,
 * `'1,234.5'`. Returns null when there is no number to read.
 */
export function readNumber(cell: CellData | undefined): NumberRead | null {
  if (!cell) return null;
  const v = cell.value;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    const percent = isPercentFormat(cell.numFmt);
    let decimals = cell.numFmt ? decimalsOfFormat(cell.numFmt) : null;
    if (decimals === null) decimals = Number.isInteger(v) ? 0 : decimalsOfText(formatNumber(percent ? v * 100 : v));
    return { value: v, percent, decimals: decimals + (percent ? 2 : 0) };
  }
  if (typeof v !== 'string') return null;
  const t = norm(v).replace(/,/g, '');
  const m = /^([-+]?\d+(?:\.\d+)?)(%|万元|元)?$/.exec(t);
  if (!m) return null;
  const n = Number(m[1]);
  const dec = decimalsOfText(m[1]);
  if (m[2] === '%') return { value: n / 100, percent: true, decimals: dec + 2 };
  if (m[2] === '元') return { value: n / 10000, percent: false, decimals: dec + 4 };
  return { value: n, percent: false, decimals: dec };
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_NUMBER = /^(?:([一二两三四五六七八九])百)?(零)?(?:([一二三四五六七八九])?(十))?([零〇一二三四五六七八九])?(?:点([零〇一二三四五六七八九]+))?$/;

/**
 * A number written in Chinese numerals (`十六`, `二十`, `一百`, `一百零五`, `九十五`, `七点五`), or null when the text
 * is anything else. Only the unambiguous forms below 1000 are read (`一百二` and `一二` are not): what a score
 * cell of a performance form may hold.
 */
export function chineseNumber(text: string): number | null {
  const m = CN_NUMBER.exec(text.trim());
  if (!m || m[0] === '') return null;
  const [, h, zero, t, ten, u, frac] = m;
  if (!h && !ten && !u) return null; // `零` alone is u; `点五` alone is no number
  if (zero && (!h || ten || !u)) return null; // 零 only between 百 and a unit digit: 一百零五
  if (u && CN_DIGITS[u] === 0 && (h || ten)) return null; // 二十零
  if (h && ten && !t) return null; // 一百十: written 一百一十
  if (h && u && !ten && !zero) return null; // 一百二 is 120 in speech, 102 by the digits
  const n = (h ? CN_DIGITS[h] * 100 : 0) + (ten ? (t ? CN_DIGITS[t] : 1) * 10 : 0) + (u ? CN_DIGITS[u] : 0);
  if (frac === undefined) return n;
  return Number(`${n}.${[...frac].map((ch) => CN_DIGITS[ch]).join('')}`);
}
