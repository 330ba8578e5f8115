/**
 * Pure helpers the renderers share (ExcelJS, Office.js, WPS), so that they draw the spec identically.
 */
import type { Area } from '../grid';
import type { ReportSpec, ReportValue, StyleName } from './spec';
import type { ExistingSheet } from './naming';

/**
 * Excel's column width in points for a width in character units (Calibri 11, maximum digit width 7 px,
 * 5 px padding): 8.43 characters → 48 pt. Office.js sets `columnWidth` in points; ExcelJS in characters.
 */
export function columnWidthPoints(chars: number): number {
  return Math.round((chars * 7 + 5) * 0.75 * 100) / 100;
}

/** The inverse of columnWidthPoints. */
export function columnWidthChars(points: number): number {
  return Math.round(((points / 0.75 - 5) / 7) * 100) / 100;
}

/**
 * Text that Excel would not keep as text when written through `Range.values`: a leading `=`, `+`, `-` or
 * `@` makes a formula; numbers, percentages, dates, times, currency and TRUE/FALSE are converted; a leading
 * apostrophe is swallowed as the text prefix.
 */
export function needsTextEscape(s: string): boolean {
  if (s === '') return false;
  if (/^[=+\-@']/.test(s)) return true;
  const t = s.trim();
  if (t !== s && t === '') return false;
  if (/^(true|false)$/i.test(t)) return true;
  // Anything that starts like a number (digits, sign, decimal point, currency, parentheses, %) may be
  // converted (`1/2` and `3-4` become dates, `1,000` a number, `10%` a percentage).
  if (/^[\s]*[(（]?[$¥￥€£]?[\s]*[.\d]/.test(s)) return true;
  // English month names (`May 2025`, `Jan-24`) become dates.
  if (/^\s*(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[\s\-/.,]*\d/i.test(s)) return true;
  return false;
}

/**
 * The value to put into `Range.values` so that Excel stores exactly this text: an apostrophe prefix where
 * Excel would otherwise turn the text into a formula, number or date (the apostrophe is not part of the
 * cell's value).
 */
export function excelTextValue(s: string): string {
  return needsTextEscape(s) ? `'${s}` : s;
}

/** What a renderer refuses to do with a report spec, in Chinese, or null when the spec may be written. */
export function reportTargetProblem(
  spec: ReportSpec,
  sheets: readonly string[],
  existing: readonly ExistingSheet[],
): string | null {
  const lower = (s: string) => s.toLocaleLowerCase();
  if (spec.replaces) {
    const ok = existing.some((s) => s.name === spec.replaces && s.createdByAddin);
    if (!ok) return `工作表“${spec.replaces}”不是本插件生成的报告，不能替换。`;
    if (lower(spec.replaces) !== lower(spec.sheetName)) {
      return `报告规格有误：替换的工作表“${spec.replaces}”与报告名称“${spec.sheetName}”不一致。`;
    }
  }
  const clash = sheets.find((s) => lower(s) === lower(spec.sheetName) && s !== spec.replaces);
  if (clash) return `工作表“${clash}”已存在且不是本插件生成的，报告未写入。请重新生成报告。`;
  return null;
}

/**
 * The values (text escaped so that it stays text, '' for empty) and number formats of every cell of a
 * spec's rows × cols block, for hosts that write a block in one call.
 */
export function cellMatrices(spec: {
  rowCount: number;
  colCount: number;
  cells: readonly { row: number; col: number; rowSpan: number; colSpan: number; value: ReportValue; style: string }[];
  styles: Record<string, { numFmt: string }>;
}): { values: (string | number)[][]; formats: string[][] } {
  const values: (string | number)[][] = Array.from({ length: spec.rowCount }, () =>
    Array<string | number>(spec.colCount).fill(''),
  );
  const formats: string[][] = Array.from({ length: spec.rowCount }, () => Array<string>(spec.colCount).fill('General'));
  for (const c of spec.cells) {
    const v = c.value;
    values[c.row][c.col] = v === null ? '' : typeof v === 'string' ? excelTextValue(v) : v;
    const fmt = spec.styles[c.style].numFmt;
    for (let r = c.row; r < c.row + c.rowSpan; r++) for (let k = c.col; k < c.col + c.colSpan; k++) formats[r][k] = fmt;
  }
  return { values, formats };
}

/** Runs of rows of equal height: [first row, last row, height] (0-based). */
export function rowHeightRuns(heights: readonly number[]): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let r = 0; r < heights.length;) {
    let e = r;
    while (e + 1 < heights.length && heights[e + 1] === heights[r]) e++;
    out.push([r, e, heights[r]]);
    r = e + 1;
  }
  return out;
}

export interface StyleGroup<S extends string = StyleName> {
  style: S;
  /** Whether the group's rectangles span several rows / several columns (for inside borders). */
  rows: boolean;
  cols: boolean;
  rects: Area[];
}

/**
 * Rectangles of equal style: each spec cell covers its merged area; vertically adjacent cells with the
 * same columns and style are joined, so a table column is one rectangle. Grouped by style and shape.
 */
export function styleRectangles<S extends string>(
  cells: readonly { row: number; col: number; rowSpan: number; colSpan: number; style: S }[],
): StyleGroup<S>[] {
  type Rect = Area & { style: S };
  const open = new Map<string, Rect>();
  const done: Rect[] = [];
  const sorted = [...cells].sort((a, b) => a.row - b.row || a.col - b.col);
  for (const c of sorted) {
    const key = `${c.col}:${c.colSpan}:${c.style}`;
    const r1 = c.row + c.rowSpan - 1;
    const prev = open.get(key);
    if (prev && prev.r1 === c.row - 1) {
      prev.r1 = r1;
      continue;
    }
    if (prev) done.push(prev);
    open.set(key, { r0: c.row, c0: c.col, r1, c1: c.col + c.colSpan - 1, style: c.style });
  }
  done.push(...open.values());
  const out = new Map<string, StyleGroup<S>>();
  for (const r of done) {
    const rows = r.r1 > r.r0;
    const cols = r.c1 > r.c0;
    const key = `${r.style}|${rows}|${cols}`;
    const group = out.get(key) ?? { style: r.style, rows, cols, rects: [] };
    group.rects.push({ r0: r.r0, c0: r.c0, r1: r.r1, c1: r.c1 });
    out.set(key, group);
  }
  return [...out.values()];
}
