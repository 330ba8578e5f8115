/**
 * Cell-level reading and writing for the in-memory WPS host, over the shared WorkbookModel (src/excel-sim):
 * what one cell holds as WPS's object model shows it (Value2, Formula, Text), iteration over the cells that
 * exist, merged-area lookups, and area parsing/formatting in WPS's `$A$1` style.
 */
import ExcelJS from 'exceljs';
import { Area, colName, containsArea, intersection, isCellError, parseA1 } from '../domain/grid';
import { isDateFormat } from '../domain/text';
import { formatCell } from '../preview/format';
import type { SheetModel, WorkbookModel } from '../excel-sim/model';
import { convertValue } from '../xlsx/read';

export const MAX_ROWS = 1_048_576;
export const MAX_COLS = 16_384;

/** Excel's (and WPS's) error codes, as `Value2` returns them for an error cell (CVErr values). */
export const ERROR_CODES: Record<string, number> = {
  '#NULL!': 2000,
  '#DIV/0!': 2007,
  '#VALUE!': 2015,
  '#REF!': 2023,
  '#NAME?': 2029,
  '#NUM!': 2036,
  '#N/A': 2042,
};

export interface CellInfo {
  /** The value: undefined when empty (or a hidden cell of a merged area). */
  value: number | string | boolean | undefined;
  /** The error text (`#REF!`) when the cell (or its formula's cached result) is an error. */
  error?: string;
  /** The formula with its `=`. */
  formula?: string;
  numFmt: string;
}

const EMPTY: CellInfo = { value: undefined, numFmt: 'General' };

export function cellInfo(model: WorkbookModel, sheet: SheetModel, r: number, c: number): CellInfo {
  return infoAt(model, sheet, sheet.ws.findCell(r + 1, c + 1), r, c);
}

/** What one stored cell holds (no array-formula lookup: see infoAt). */
export function infoOf(cell: ExcelJS.Cell | undefined): CellInfo {
  if (!cell) return EMPTY;
  const numFmt = cell.numFmt && cell.numFmt !== '' ? cell.numFmt : 'General';
  if (cell.type === ExcelJS.ValueType.Merge) return { value: undefined, numFmt };
  const { value } = convertValue(cell.value);
  const out: CellInfo = { value: undefined, numFmt };
  if (cell.type === ExcelJS.ValueType.Formula && cell.formula) {
    out.formula = `=${cell.formula}`;
    // ExcelJS drops a cached result of 0 (and a formula may have none): it reads as 0, as in SimExcel.
    if (value === null) out.value = 0;
  }
  if (isCellError(value)) out.error = value.error;
  else if (value !== null) out.value = value;
  return out;
}

/** What the cell at (r, c) holds; a cell inside an array formula's range carries that formula too. */
export function infoAt(
  model: WorkbookModel,
  sheet: SheetModel,
  cell: ExcelJS.Cell | undefined,
  r: number,
  c: number,
): CellInfo {
  const info = infoOf(cell);
  if (info.formula === undefined) {
    const arr = arrayFormulaAt(model, sheet, r, c);
    if (arr) return { ...info, formula: arr.formula };
  }
  return info;
}

export interface ArrayFormula {
  area: Area;
  formula: string;
}

/**
 * Array formulas by sheet, cached while the model's used-range cache of the sheet is the same object (the
 * model drops that cache on every write to the sheet, and so does this host).
 */
const arrayCache = new WeakMap<SheetModel, { stamp: object; list: ArrayFormula[] }>();

/** The array formulas of a sheet (`<f t="array" ref="H13:H18">`). */
export function arrayFormulas(model: WorkbookModel, sheet: SheetModel): ArrayFormula[] {
  model.usedArea(sheet, false); // fills sheet.usedCache
  const stamp = sheet.usedCache as object;
  const hit = arrayCache.get(sheet);
  if (hit && hit.stamp === stamp) return hit.list;
  const list: ArrayFormula[] = [];
  sheet.ws.eachRow({ includeEmpty: false }, (row, rn) => {
    row.eachCell({ includeEmpty: false }, (cell, cn) => {
      const v = cell.value as { shareType?: string; ref?: string; formula?: string } | null;
      if (v && typeof v === 'object' && v.shareType === 'array' && v.ref && v.formula) {
        const a = parseArea(v.ref) ?? { r0: rn - 1, c0: cn - 1, r1: rn - 1, c1: cn - 1 };
        list.push({ area: a, formula: `=${v.formula}` });
      }
    });
  });
  arrayCache.set(sheet, { stamp, list });
  return list;
}

export function arrayFormulaAt(
  model: WorkbookModel,
  sheet: SheetModel,
  r: number,
  c: number,
): ArrayFormula | undefined {
  return arrayFormulas(model, sheet).find((x) => r >= x.area.r0 && r <= x.area.r1 && c >= x.area.c0 && c <= x.area.c1);
}

/** `Value2` of one cell: errors as their code numbers. */
export function value2Of(info: CellInfo): number | string | boolean | undefined {
  if (info.error !== undefined) return ERROR_CODES[info.error] ?? 2015;
  return info.value;
}

/** `Formula` of one cell: the formula, or the constant as text ('' when empty). */
export function formulaOf(info: CellInfo): string {
  if (info.formula) return info.formula;
  if (info.error !== undefined) return info.error;
  if (info.value === undefined) return '';
  if (typeof info.value === 'boolean') return info.value ? 'TRUE' : 'FALSE';
  return String(info.value);
}

function dateText(serial: number, fmt: string): string {
  const ms = Math.round((serial - 25569 + (serial < 60 ? 1 : 0)) * 86_400_000);
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return fmt.includes('年') ? `${y}年${m}月${day}日` : `${y}/${m}/${day}`;
}

/** `Text` of one cell: what it shows (errors as `#REF!`, percentages with `%`, dates as `2024/1/31`). */
export function textOf(info: CellInfo): string {
  if (info.error !== undefined) return info.error;
  const v = info.value;
  if (v === undefined) return '';
  if (typeof v === 'number' && isDateFormat(info.numFmt)) return dateText(v, info.numFmt);
  return formatCell(v, info.numFmt);
}

/** The cell's value category for SpecialCells: xlNumbers 1, xlTextValues 2, xlLogical 4, xlErrors 16. */
export function valueCategory(info: CellInfo): number {
  if (info.error !== undefined) return 16;
  if (typeof info.value === 'boolean') return 4;
  if (typeof info.value === 'string') return 2;
  return 1;
}

/** Calls `fn` for every cell ExcelJS holds inside `area` (row-major). Returns false when `fn` stopped it. */
export function eachExisting(
  sheet: SheetModel,
  area: Area,
  fn: (cell: ExcelJS.Cell, r: number, c: number) => boolean | void,
): boolean {
  const ws = sheet.ws;
  const lastRow = Math.min(area.r1, ws.rowCount - 1);
  for (let r = area.r0; r <= lastRow; r++) {
    const row = ws.findRow(r + 1);
    if (!row) continue;
    const lastCol = Math.min(area.c1, row.cellCount - 1);
    for (let c = area.c0; c <= lastCol; c++) {
      const cell = row.findCell(c + 1);
      if (cell && fn(cell, r, c) === false) return false;
    }
  }
  return true;
}

export function areaSize(a: Area): number {
  return (a.r1 - a.r0 + 1) * (a.c1 - a.c0 + 1);
}

export { containsArea, intersection };

/** Merged areas of a sheet (0-based), read from ExcelJS's merge dictionary. */
export function mergesOf(sheet: SheetModel): Area[] {
  const dict = (
    sheet.ws as unknown as { _merges?: Record<string, { top: number; left: number; bottom: number; right: number }> }
  )._merges;
  return Object.values(dict ?? {}).map((m) => ({ r0: m.top - 1, c0: m.left - 1, r1: m.bottom - 1, c1: m.right - 1 }));
}

/** Merged areas by row, for repeated "which merge holds (r, c)" lookups inside `bounds`. */
export class MergeIndex {
  private readonly byRow = new Map<number, Area[]>();
  constructor(merges: readonly Area[], bounds: Area) {
    for (const m of merges) {
      const x = intersection(m, bounds);
      if (!x) continue;
      for (let r = x.r0; r <= x.r1; r++) {
        const list = this.byRow.get(r);
        if (list) list.push(m);
        else this.byRow.set(r, [m]);
      }
    }
  }
  at(r: number, c: number): Area | undefined {
    return this.byRow.get(r)?.find((m) => c >= m.c0 && c <= m.c1);
  }
}

/** `$A$1` / `A1` / `$A$1:$B$2`, as WPS's `Range.Address(rowAbsolute, columnAbsolute)` gives it. */
export function addressOf(a: Area, rowAbs = true, colAbs = true): string {
  const cell = (r: number, c: number) => `${colAbs ? '$' : ''}${colName(c)}${rowAbs ? '$' : ''}${r + 1}`;
  if (a.c0 === 0 && a.c1 === MAX_COLS - 1) return `${rowAbs ? '$' : ''}${a.r0 + 1}:${rowAbs ? '$' : ''}${a.r1 + 1}`;
  if (a.r0 === 0 && a.r1 === MAX_ROWS - 1)
    return `${colAbs ? '$' : ''}${colName(a.c0)}:${colAbs ? '$' : ''}${colName(a.c1)}`;
  const s = cell(a.r0, a.c0);
  return a.r0 === a.r1 && a.c0 === a.c1 ? s : `${s}:${cell(a.r1, a.c1)}`;
}

function colIndex(letters: string): number | null {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) return null;
  let c = 0;
  for (const ch of letters.toUpperCase()) c = c * 26 + (ch.charCodeAt(0) - 64);
  return c - 1 < MAX_COLS ? c - 1 : null;
}

/** One area of an A1 reference: `B7`, `A1:J19`, `$A$1`, whole columns `A:C`, whole rows `2:5`. */
export function parseArea(ref: string): Area | null {
  const text = ref.trim().replace(/\$/g, '');
  const [p, q = p] = text.split(':');
  if (text.split(':').length > 2) return null;
  const s = parseA1(p);
  const e = parseA1(q);
  if (s && e) {
    if (s.r >= MAX_ROWS || e.r >= MAX_ROWS || s.c >= MAX_COLS || e.c >= MAX_COLS) return null;
    return { r0: Math.min(s.r, e.r), c0: Math.min(s.c, e.c), r1: Math.max(s.r, e.r), c1: Math.max(s.c, e.c) };
  }
  if (!text.includes(':')) return null;
  const c0 = colIndex(p);
  const c1 = colIndex(q);
  if (c0 !== null && c1 !== null) return { r0: 0, c0: Math.min(c0, c1), r1: MAX_ROWS - 1, c1: Math.max(c0, c1) };
  if (/^\d+$/.test(p) && /^\d+$/.test(q)) {
    const r0 = Number(p) - 1;
    const r1 = Number(q) - 1;
    if (r0 < 0 || r1 < 0 || r0 >= MAX_ROWS || r1 >= MAX_ROWS) return null;
    return { r0: Math.min(r0, r1), c0: 0, r1: Math.max(r0, r1), c1: MAX_COLS - 1 };
  }
  return null;
}

/** Comma-joined areas (`A1,C3:D4`); null when any part is not an address. */
export function parseAreas(address: string): Area[] | null {
  const parts = address.split(',');
  const out: Area[] = [];
  for (const part of parts) {
    const a = parseArea(part);
    if (!a) return null;
    out.push(a);
  }
  return out.length ? out : null;
}

/**
 * Cells (0-based, row-major) gathered into rectangles, as SpecialCells reports them: runs of adjacent cells
 * in a row, then runs of identical column spans on consecutive rows.
 */
export function compactCells(cells: readonly { r: number; c: number }[]): Area[] {
  const runs: Area[] = [];
  for (const { r, c } of cells) {
    const last = runs[runs.length - 1];
    if (last && last.r0 === r && last.c1 === c - 1) last.c1 = c;
    else runs.push({ r0: r, c0: c, r1: r, c1: c });
  }
  const out: Area[] = [];
  const open = new Map<string, Area>();
  for (const run of runs) {
    const key = `${run.c0}:${run.c1}`;
    const prev = open.get(key);
    if (prev && prev.r1 === run.r0 - 1) prev.r1 = run.r0;
    else {
      const a = { ...run };
      open.set(key, a);
      out.push(a);
    }
  }
  return out.sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0);
}

/** ExcelJS's ARGB (`FFC00000`) as a WPS colour long (BGR), or `fallback` when the colour is not an RGB. */
export function bgrOfArgb(argb: unknown, fallback: number): number {
  if (typeof argb !== 'string' || !/^[0-9A-Fa-f]{6,8}$/.test(argb)) return fallback;
  const hex = argb.length === 8 ? argb.slice(2) : argb;
  const r = parseInt(hex.slice(0, 2), 16);
  const g = parseInt(hex.slice(2, 4), 16);
  const b = parseInt(hex.slice(4, 6), 16);
  return r + g * 256 + b * 65536;
}

/** A WPS colour long as ExcelJS's ARGB. */
export function argbOfBgr(n: number): string {
  const v = Number(n) & 0xffffff;
  const hex = [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `FF${hex.toUpperCase()}`;
}

const usedCache = new WeakMap<SheetModel, { stamp: object; area: Area | null }>();

/**
 * WPS's used range: the smallest range holding every cell with content or format. The shared model's used
 * area covers values and merged areas; cells that hold only a format (a fill, a border) widen it here.
 */
export function usedAreaOf(model: WorkbookModel, sheet: SheetModel): Area | null {
  const base = model.usedArea(sheet, false);
  const stamp = sheet.usedCache as object;
  const hit = usedCache.get(sheet);
  if (hit && hit.stamp === stamp) return hit.area;
  let area = base ? { ...base } : null;
  const ws = sheet.ws;
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.findRow(r);
    if (!row) continue;
    for (let c = 1; c <= row.cellCount; c++) {
      const cell = row.findCell(c);
      if (!cell || cell.type !== ExcelJS.ValueType.Null) continue;
      const style = cell.style as object | undefined;
      if (!style || Object.keys(style).length === 0) continue;
      area = area
        ? {
            r0: Math.min(area.r0, r - 1),
            c0: Math.min(area.c0, c - 1),
            r1: Math.max(area.r1, r - 1),
            c1: Math.max(area.c1, c - 1),
          }
        : { r0: r - 1, c0: c - 1, r1: r - 1, c1: c - 1 };
    }
  }
  usedCache.set(sheet, { stamp, area });
  return area;
}
