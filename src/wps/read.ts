/**
 * Reading a workbook through WPS 表格's object model into the engine's grid.
 *
 * WPS calls cross into the WPS process one by one, so nothing here is read cell by cell:
 *
 *   per sheet    UsedRange: position and size, `Value2` (every value, one call) and, when the sheet has
 *                formulas, `Formula` (one call); where the formulas and the error values are
 *                (`SpecialCells`, one call each)
 *   number formats   only for the cells holding numbers (the only cells whose format the engine reads):
 *                `NumberFormat` of a rectangle is its format when the cells share one, else null; a mixed
 *                rectangle is halved until each part has one format — a sheet in one format costs one call
 *   merged areas `Range.Find` by format (`Application.FindFormat.MergeCells = true`) finds each merged area
 *                once, at its top-left cell: four calls per merged area (FindNext, its address, MergeArea and
 *                its address), none per cell; a part of the sheet without merges (`MergeCells` false) costs
 *                one call. Where the host's search by format does not work, halving by `MergeCells` takes over
 *   names        the workbook's defined names (PerfSheet's stored choices are among them): two calls each
 *
 * Which cells are read is decided by the same plan as in Excel (src/domain/readplan.ts: a large sheet is read
 * around its 「一级」 headers, all sheets together within a cell budget), so both hosts give the engine the same
 * grid and the user the same results.
 */
import { Area, CellData, CellValue, containsArea, intersection, SheetGrid, WorkbookGrid } from '../domain/grid';
import { ANCHOR, planSheetRead, READ_CELL_BUDGET } from '../domain/readplan';
import { draftSheetsFromNames, unreadSheetsFromNames } from '../domain/report/naming';
import { isDraftTitle, isReportMetaLine, type Progress, type ReadNotice, type SheetInfo } from '../domain/session';
import {
  xlByRows,
  xlCellTypeConstants,
  xlCellTypeFormulas,
  xlErrors,
  xlFormulas,
  xlNext,
  xlPart,
  WpsApplication,
  WpsRange,
  WpsWorkbook,
  WpsWorksheet,
} from './api';
import { areaOfAddress, areasOfAddress, rangeA1 } from './address';

/** Excel's error codes as `Value2` reports them, and the error each stands for. */
const ERROR_CODES: Record<number, string> = {
  2000: '#NULL!',
  2007: '#DIV/0!',
  2015: '#VALUE!',
  2023: '#REF!',
  2029: '#NAME?',
  2036: '#NUM!',
  2042: '#N/A',
};
/** The same codes as negative HRESULTs (0x800A07D7 …), as some COM bridges hand them over. */
for (const [code, text] of Object.entries(ERROR_CODES)) ERROR_CODES[Number(code) - 2146828288] = text;

const ERROR_TEXT = /^#(NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|SPILL!|CALC!)$/;

/** Above this many error cells on a sheet, their texts are taken from the error codes alone (no call each). */
export const MAX_ERROR_TEXT_CALLS = 200;
/** A rectangle of number formats is not halved below one cell; above this many format calls a sheet stops. */
export const MAX_FORMAT_CALLS = 2_000;

export interface WpsWorkbookRead {
  grid: WorkbookGrid;
  sheets: SheetInfo[];
  names: { name: string; ref: string }[];
  /** The sheet the user is on. */
  activeSheet: string | null;
  notices: ReadNotice[];
}

/** The workbook's defined names (name and what it refers to, with its `=`). */
export function readNames(wb: WpsWorkbook): { name: string; ref: string }[] {
  const names = wb.Names;
  const n = names.Count;
  const out: { name: string; ref: string }[] = [];
  for (let i = 1; i <= n; i++) {
    const item = names.Item(i);
    out.push({ name: String(item.Name), ref: String(item.RefersTo ?? '') });
  }
  return out;
}

/** The names of the workbook's sheets, in order. */
/**
 * The add-in's own report sheets: a marker name points at them and their second row is the report's line
 * (two calls per marked sheet). A user's sheet a stale marker points at is not among them. With `drafts`, also
 * its 自评报告 drafts: a draft marker points at them and A1 holds the draft's title (what it may replace).
 */
export function ownReportSheets(wb: WpsWorkbook, names: readonly { name: string; ref: string }[], drafts = false): Set<string> {
  const out = new Set<string>();
  const check = (list: string[], cell: string, ok: (v: string) => boolean) => {
    for (const name of list) {
      try {
        const v: unknown = wb.Worksheets.Item(name).Range(cell).Value2;
        if (typeof v === 'string' && ok(v)) out.add(name);
      } catch {
        // No such sheet (a marker of a deleted one): not a report to skip or replace.
      }
    }
  };
  check(unreadSheetsFromNames(names), 'A2', isReportMetaLine);
  if (drafts) check(draftSheetsFromNames(names), 'A1', isDraftTitle);
  return out;
}

export function sheetNames(wb: WpsWorkbook): string[] {
  return sheetsOf(wb).map((s) => s.info.name);
}

/** The sheets of the workbook, in order (one handle each). */
export function sheetsOf(wb: WpsWorkbook): { ws: WpsWorksheet; info: SheetInfo }[] {
  const sheets = wb.Worksheets;
  const n = sheets.Count;
  const out: { ws: WpsWorksheet; info: SheetInfo }[] = [];
  for (let i = 1; i <= n; i++) {
    const ws = sheets.Item(i);
    const name = String(ws.Name);
    out.push({ ws, info: { id: name, name } });
  }
  return out;
}

interface UsedRead {
  used: Area | null;
  /** Value2 of the used range, as rows of cells. */
  values: unknown[][];
  range: WpsRange | null;
  /** Where WPS's UsedRange (the range `range`, whose Formula is read) starts, 0-based, and its size. */
  origin: { r: number; c: number; rows: number; cols: number };
}

/**
 * The used range's position and every value in it (rows of cells, whatever its size). WPS's UsedRange also
 * covers cells that hold only a format; the area read is trimmed to the cells holding values (no call), as
 * Excel's adapter asks for the values-only used range, so that both hosts plan the same read.
 */
function readUsed(ws: WpsWorksheet): UsedRead {
  const range = ws.UsedRange;
  const row = Number(range.Row);
  const col = Number(range.Column);
  const rows = Number(range.Rows.Count);
  const cols = Number(range.Columns.Count);
  const all = cellRows(range.Value2, rows, cols);
  let r0 = Infinity;
  let r1 = -1;
  let c0 = Infinity;
  let c1 = -1;
  all.forEach((cells, i) => {
    for (let j = 0; j < cells.length; j++) {
      if (isEmpty(cells[j])) continue;
      if (i < r0) r0 = i;
      r1 = i;
      if (j < c0) c0 = j;
      if (j > c1) c1 = j;
    }
  });
  const origin = { r: row - 1, c: col - 1, rows, cols };
  if (r1 < 0) return { used: null, values: [], range: null, origin };
  const values = r0 === 0 && c0 === 0 && r1 === all.length - 1 && c1 === cols - 1 ? all : all.slice(r0, r1 + 1).map((cells) => cells.slice(c0, c1 + 1));
  return { used: { r0: row - 1 + r0, c0: col - 1 + c0, r1: row - 1 + r1, c1: col - 1 + c1 }, values, range, origin };
}

/**
 * A range's `Value2` / `Formula` as rows of cells: a scalar for one cell; for several, rows of cells — as
 * JavaScript arrays, or as array-likes (`length` and indexes) should a host hand its COM arrays over that way.
 */
export function cellRows(v: unknown, rows: number, cols: number): unknown[][] {
  if (rows === 1 && cols === 1 && !isArrayLike(v)) return [[v]];
  if (!isArrayLike(v)) return [[v]];
  return Array.from(v as ArrayLike<unknown>, (row) => (isArrayLike(row) ? Array.from(row as ArrayLike<unknown>) : [row]));
}

function isArrayLike(v: unknown): boolean {
  return Array.isArray(v) || (v !== null && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number');
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

/** Cells of `SpecialCells(type, value)` on the range, or none (WPS throws when no cell qualifies). */
function special(range: WpsRange, type: number, value?: number): Area[] {
  try {
    const r = value === undefined ? range.SpecialCells(type) : range.SpecialCells(type, value);
    return areasOfAddress(String(r.Address()));
  } catch {
    return [];
  }
}

/**
 * Number formats of the numeric cells of `area`: its format when they share one, else its halves' (the
 * longer side halved), down to single cells. Rectangles without a numeric cell are never asked about.
 */
function readFormats(ws: WpsWorksheet, area: Area, isNumeric: (r: number, c: number) => boolean, out: Map<number, string>, budget: { calls: number }): void {
  let r0 = Infinity;
  let r1 = -Infinity;
  let c0 = Infinity;
  let c1 = -Infinity;
  for (let r = area.r0; r <= area.r1; r++) {
    for (let c = area.c0; c <= area.c1; c++) {
      if (!isNumeric(r, c)) continue;
      if (r < r0) r0 = r;
      if (r > r1) r1 = r;
      if (c < c0) c0 = c;
      if (c > c1) c1 = c;
    }
  }
  if (r0 === Infinity) return;
  const box = { r0, c0, r1, c1 };
  if (budget.calls <= 0) return;
  budget.calls--;
  const fmt = ws.Range(rangeA1(box)).NumberFormat;
  if (typeof fmt === 'string') {
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) if (isNumeric(r, c)) out.set(r * 16384 + c, fmt);
    return;
  }
  if (r0 === r1 && c0 === c1) return;
  if (r1 - r0 >= c1 - c0) {
    const mid = (r0 + r1) >> 1;
    readFormats(ws, { r0, c0, r1: mid, c1 }, isNumeric, out, budget);
    readFormats(ws, { r0: mid + 1, c0, r1, c1 }, isNumeric, out, budget);
  } else {
    const mid = (c0 + c1) >> 1;
    readFormats(ws, { r0, c0, r1, c1: mid }, isNumeric, out, budget);
    readFormats(ws, { r0, c0: mid + 1, r1, c1 }, isNumeric, out, budget);
  }
}

/**
 * The merged areas whose top-left cell lies in `area`: Find by format, each merged area found once at its
 * top-left cell, until the search wraps around to the first. Should the host's search by format find
 * nothing where `MergeCells` says there are merged cells (a host without it), the area is halved instead
 * (`MergeCells` of each half) down to the merged cells — slower, never wrong.
 */
function readMerges(ws: WpsWorksheet, area: Area): Area[] {
  const range = ws.Range(rangeA1(area));
  const any = range.MergeCells;
  if (any === false) return [];
  const found: Area[] = [];
  const seen = new Set<string>();
  let cell = range.Find('', undefined, xlFormulas, xlPart, xlByRows, xlNext, false, false, true);
  let first: string | null = null;
  // The loop ends when the search comes back to the cell it started with (a host may match every cell of
  // a merged area rather than its top-left one: the areas are then found more than once, and kept once).
  const most = (area.r1 - area.r0 + 1) * (area.c1 - area.c0 + 1);
  for (let guard = 0; cell && guard <= most; guard++) {
    const here = String(cell.Address());
    if (first === null) first = here;
    else if (here === first) break;
    const at = String(cell.MergeArea.Address());
    if (!seen.has(at)) {
      seen.add(at);
      const m = areaOfAddress(at);
      if (m && (m.r1 > m.r0 || m.c1 > m.c0)) found.push(m);
    }
    cell = range.FindNext(cell);
  }
  if (first === null) mergesByHalving(ws, area, area, found);
  return found;
}

/** The merged areas with their top-left cell in `part` of `area`, by `MergeCells` of halves. */
function mergesByHalving(ws: WpsWorksheet, area: Area, part: Area, found: Area[]): void {
  // Parts inside a merged area already found hold nothing new.
  if (found.some((m) => containsArea(m, part))) return;
  const v = ws.Range(rangeA1(part)).MergeCells;
  if (v === false) return;
  if (part.r0 === part.r1 && part.c0 === part.c1) {
    const m = areaOfAddress(String(ws.Range(rangeA1(part)).MergeArea.Address()));
    if (m && (m.r1 > m.r0 || m.c1 > m.c0) && m.r0 === part.r0 && m.c0 === part.c0 && m.r0 >= area.r0 && m.c0 >= area.c0) found.push(m);
    return;
  }
  if (part.r1 - part.r0 >= part.c1 - part.c0) {
    const mid = (part.r0 + part.r1) >> 1;
    mergesByHalving(ws, area, { ...part, r1: mid }, found);
    mergesByHalving(ws, area, { ...part, r0: mid + 1 }, found);
  } else {
    const mid = (part.c0 + part.c1) >> 1;
    mergesByHalving(ws, area, { ...part, c1: mid }, found);
    mergesByHalving(ws, area, { ...part, c0: mid + 1 }, found);
  }
}

function toValue(v: unknown): CellValue {
  if (isEmpty(v)) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return v;
  return String(v);
}

export interface SheetRead {
  grid: SheetGrid;
  notice: string | null;
}

interface Probe {
  ws: WpsWorksheet;
  info: SheetInfo;
  used: UsedRead;
}

function probe(ws: WpsWorksheet, info: SheetInfo): Probe {
  return { ws, info, used: readUsed(ws) };
}

/** The anchor's rows, found in the values already read (no call). */
function anchorHits(p: Probe): Area[] {
  const u = p.used.used;
  if (!u) return [];
  const hits: Area[] = [];
  p.used.values.forEach((row, i) => {
    if (row.some((v) => typeof v === 'string' && v.includes(ANCHOR))) hits.push({ r0: u.r0 + i, c0: u.c0, r1: u.r0 + i, c1: u.c0 });
  });
  return hits;
}

/** Builds one sheet's grid from the values read and the calls the plan needs. */
function loadSheet(app: WpsApplication, p: Probe, budget: { cells: number; total?: number }): SheetRead {
  const { ws, info } = p;
  const u = p.used.used;
  const plan = planSheetRead(info.name, u, () => anchorHits(p), budget);
  if (!u || !p.used.range || plan.kept.length === 0) return { grid: new SheetGrid(info.name, [], []), notice: plan.notice };
  const range = p.used.range;
  const o = p.used.origin;
  const values = p.used.values;
  const at = (r: number, c: number): unknown => values[r - u.r0]?.[c - u.c0];

  const formulaAreas = special(range, xlCellTypeFormulas);
  const formulas = formulaAreas.length ? cellRows(range.Formula, o.rows, o.cols) : null;
  const formulaAt = (r: number, c: number): unknown => (formulas === null ? undefined : formulas[r - o.r]?.[c - o.c]);
  const formulaCells = new Set<number>();
  for (const a of formulaAreas) {
    for (const w of plan.kept) {
      const x = intersection(a, w);
      if (x) for (let r = x.r0; r <= x.r1; r++) for (let c = x.c0; c <= x.c1; c++) formulaCells.add(r * 16384 + c);
    }
  }
  const isFormulaCell = (r: number, c: number) => formulaCells.has(r * 16384 + c);

  // Error values: where they are (both constants and formula results), and what they are.
  const errorAreas = [...special(range, xlCellTypeFormulas, xlErrors), ...special(range, xlCellTypeConstants, xlErrors)];
  const errors = new Map<number, string>();
  let textCalls = MAX_ERROR_TEXT_CALLS;
  for (const a of errorAreas) {
    for (const w of plan.kept) {
      const x = intersection(a, w);
      if (!x) continue;
      for (let r = x.r0; r <= x.r1; r++) {
        for (let c = x.c0; c <= x.c1; c++) {
          const v = at(r, c);
          let text = typeof v === 'number' ? ERROR_CODES[v] : typeof v === 'string' && ERROR_TEXT.test(v) ? v : undefined;
          if (!text && textCalls-- > 0) {
            const shown = String(ws.Range(rangeA1({ r0: r, c0: c, r1: r, c1: c })).Text);
            if (ERROR_TEXT.test(shown)) text = shown;
          }
          errors.set(r * 16384 + c, text ?? '#VALUE!');
        }
      }
    }
  }

  const isNumeric = (r: number, c: number) => typeof at(r, c) === 'number' && !errors.has(r * 16384 + c);
  const formats = new Map<number, string>();
  const formatBudget = { calls: MAX_FORMAT_CALLS };
  for (const w of plan.kept) readFormats(ws, w, isNumeric, formats, formatBudget);

  const rows: (CellData | undefined)[][] = [];
  for (const w of plan.kept) {
    for (let r = w.r0; r <= w.r1; r++) {
      for (let c = w.c0; c <= w.c1; c++) {
        const key = r * 16384 + c;
        const err = errors.get(key);
        const value: CellValue = err ? { error: err } : toValue(at(r, c));
        const f = isFormulaCell(r, c) ? formulaAt(r, c) : undefined;
        const formula = typeof f === 'string' && f.startsWith('=') && f.length > 1 ? f.slice(1) : undefined;
        if (value === null && !formula) continue;
        const cell: CellData = { value };
        const fmt = formats.get(key);
        if (fmt && fmt !== 'General' && fmt !== 'G/通用格式') cell.numFmt = fmt;
        if (formula) cell.formula = formula;
        (rows[r] ??= [])[c] = cell;
      }
    }
  }

  const merges: Area[] = [];
  const hasMerges = app.FindFormat;
  hasMerges.Clear();
  hasMerges.MergeCells = true;
  for (const w of plan.kept) merges.push(...readMerges(ws, w));
  // Leave the user's Find dialog as it was (no format to look for).
  hasMerges.Clear();
  return { grid: new SheetGrid(info.name, rows, merges), notice: plan.notice };
}

/** Reads one sheet (for the live re-check after an edit). */
export function readOneSheet(app: WpsApplication, ws: WpsWorksheet, info: SheetInfo): SheetRead {
  return loadSheet(app, probe(ws, info), { cells: READ_CELL_BUDGET, total: READ_CELL_BUDGET });
}

/** Reads every sheet the add-in did not write itself, with the workbook's names. */
export function readWorkbook(app: WpsApplication, fileName: string | undefined, progress?: Progress): WpsWorkbookRead {
  const wb = app.ActiveWorkbook;
  if (!wb) throw new NoWorkbookError();
  progress?.(0.05, '读取工作表列表…');
  const names = readNames(wb);
  // The add-in's report sheets are not read; its 自评报告 draft is (its prompts are D01).
  const reports = ownReportSheets(wb, names);
  const all = sheetsOf(wb).filter((s) => !reports.has(s.info.name));
  const active = app.ActiveSheet;
  const activeSheet = active ? String(active.Name) : null;
  progress?.(0.2, '读取单元格…');
  const probes = all.map((s) => probe(s.ws, s.info));
  // Small sheets first, so that one huge sheet cannot starve the forms on the others.
  const order = [...probes].sort((a, b) => sizeOf(a) - sizeOf(b));
  const budget = { cells: READ_CELL_BUDGET, total: READ_CELL_BUDGET };
  const loaded = new Map<string, SheetRead>();
  order.forEach((p, i) => {
    progress?.(0.2 + (0.6 * i) / Math.max(1, order.length), `读取「${p.info.name}」…`);
    loaded.set(p.info.name, loadSheet(app, p, budget));
  });
  const notices: ReadNotice[] = [];
  const sheets: SheetGrid[] = [];
  for (const p of probes) {
    const s = loaded.get(p.info.name)!;
    sheets.push(s.grid);
    if (s.notice) notices.push({ sheet: p.info.name, message: s.notice });
  }
  return { grid: { fileName, sheets, draftSheets: draftSheetsFromNames(names) }, sheets: probes.map((p) => p.info), names, activeSheet, notices };
}

function sizeOf(p: Probe): number {
  const u = p.used.used;
  return u ? (u.r1 - u.r0 + 1) * (u.c1 - u.c0 + 1) : 0;
}

/** No workbook is open in WPS. */
export class NoWorkbookError extends Error {
  constructor() {
    super('WPS 表格中没有打开的工作簿：请先打开或新建一个工作簿，再点击「检查」。');
    this.name = 'NoWorkbookError';
  }
}
