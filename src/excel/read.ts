/**
 * Reading the workbook through the Excel JS API into the engine's grid, with a fixed number of syncs:
 *
 *   sync 1  worksheet names/ids + PerfSheet's workbook settings (profile, marked sheets)
 *   sync 2  per sheet: the used range (values only), where the formula cells are, and where 「一级」 occurs
 *   sync 3  per sheet: formulas + numberFormat of the cells to read in row chunks (`formulas` holds each
 *           constant's value, so `values` is loaded only for the formula cells), and the merged areas
 *           queried in row bands — everything in this one sync
 *
 * Merged areas: `getMergedAreasOrNullObject` returns only areas whose top-left cell is inside the queried
 * range and fails above 512 areas, so each sheet is queried in bands of at most 512 cells (a band of
 * `floor(512 / columns)` rows): every merge has exactly one top-left cell, so bands partition the merges
 * and no band can hold more than 512 of them.
 *
 * Payload (Excel on the web rejects a request or response above 5 MB, and one sync is one request, so
 * splitting a load into several ranges within a sync does not make it smaller): a sheet whose used range
 * holds at most FULL_SHEET_CELLS cells is read whole. A larger sheet (a data dump of 50,000 rows) is read
 * only in windows around the rows where 「一级」 occurs — the header of every form kind has 一级指标 (also
 * when written 一级\n指标) — from WINDOW_ABOVE rows above a hit to WINDOW_BELOW rows below it. The cells of
 * all sheets together are capped at READ_CELL_BUDGET; whatever is left out is reported as a notice (never
 * silently). Should a sync still fail for its size (cells with very long texts), readWorkbookIn reads again
 * with a quarter of the budget in one more sync and says so.
 */
import { Area, areaA1, CellData, intersection, SheetGrid, WorkbookGrid } from '../domain/grid';
import { parseAddressList } from './address';
import type { XlContext, XlRange, XlRangeAreas, XlSetting, XlWorksheet } from './api';
import { isFormula, toCellData } from './cells';
import { draftSheetsFromNames, unreadSheetsFromNames } from '../domain/report/naming';
import { isReportMetaLine } from '../domain/session';
import type { Progress, ReadNotice, SheetInfo } from '../domain/session';
import { ANCHOR, planSheetRead, READ_CELL_BUDGET } from '../domain/readplan';

export { ANCHOR, FULL_SHEET_CELLS, READ_CELL_BUDGET, rowWindows, WINDOW_ABOVE, WINDOW_BELOW } from '../domain/readplan';

export type { Progress, ReadNotice, SheetInfo };

const KEY_COLS = 1 << 14;

/**
 * When cells hold very long texts, 60,000 of them can still exceed 5 MB: the read then retries with a
 * quarter of the budget, at most this many times (one more sync each), and the notices say what was left out.
 */
export const PAYLOAD_RETRIES = 3;
export const CHUNK_CELLS = 10_000;
export const MERGE_BAND_CELLS = 512;

/** The profile's old place (keyed to the add-in's Id by Office): read once when the workbook holds none. */
export const SETTING_PROFILE = 'PerfSheet.profile';
export const SETTING_MARKS = 'PerfSheet.marks';


/** Handles queued in sync 2 for one sheet. */
export interface SheetProbe {
  info: SheetInfo;
  ws: XlWorksheet;
  used: XlRange;
  hits: XlRangeAreas;
  /** Where the formula cells are (so that values are loaded only for them). */
  formulaCells: XlRangeAreas;
}

/** Handles queued in sync 3 for one sheet. */
export interface SheetLoad {
  info: SheetInfo;
  /** `formulas` + `numberFormat` of the areas read (`formulas` holds the constants' values too). */
  chunks: XlRange[];
  /** `values` (the results) of the formula cells inside the areas read. */
  results: XlRange[];
  bands: XlRangeAreas[];
  notice: string | null;
}

/** Above this many formula areas in the cells read, values are loaded for the whole area instead. */
export const MAX_FORMULA_AREAS = 2_000;


export function queueProbe(ws: XlWorksheet, info: SheetInfo): SheetProbe {
  const used = ws.getUsedRangeOrNullObject(true);
  used.load(['rowIndex', 'columnIndex', 'rowCount', 'columnCount']);
  const hits = ws.findAllOrNullObject(ANCHOR, { completeMatch: false, matchCase: false });
  hits.load('address');
  const formulaCells = ws.getRange().getSpecialCellsOrNullObject('Formulas');
  formulaCells.load('address');
  return { info, ws, used, hits, formulaCells };
}

/** Decides which areas of a sheet to read (after sync 2) and queues their loads (for sync 3). */
export function queueLoad(probe: SheetProbe, budget: { cells: number; total?: number }): SheetLoad {
  const { info, ws, used, hits } = probe;
  if (used.isNullObject) return { info, chunks: [], results: [], bands: [], notice: null };
  const area: Area = {
    r0: used.rowIndex,
    c0: used.columnIndex,
    r1: used.rowIndex + used.rowCount - 1,
    c1: used.columnIndex + used.columnCount - 1,
  };
  const { kept, notice } = planSheetRead(info.name, area, () => (hits.isNullObject ? [] : parseAddressList(hits.address)), budget);
  const chunks: XlRange[] = [];
  const results: XlRange[] = [];
  const bands: XlRangeAreas[] = [];
  const formulaAreas = probe.formulaCells.isNullObject ? [] : parseAddressList(probe.formulaCells.address);
  const inKept = formulaAreas.flatMap((f) => kept.map((w) => intersection(f, w)).filter((a): a is Area => a !== null));
  const resultsPerChunk = inKept.length > MAX_FORMULA_AREAS;
  for (const a of resultsPerChunk ? [] : inKept) {
    const r = ws.getRange(areaA1(a));
    r.load(['rowIndex', 'columnIndex', 'values']);
    results.push(r);
  }
  for (const w of kept) {
    const cols = w.c1 - w.c0 + 1;
    const chunkRows = Math.max(1, Math.floor(CHUNK_CELLS / cols));
    for (let r = w.r0; r <= w.r1; r += chunkRows) {
      const ch = ws.getRange(areaA1({ r0: r, c0: w.c0, r1: Math.min(w.r1, r + chunkRows - 1), c1: w.c1 }));
      ch.load(['rowIndex', 'columnIndex', 'numberFormat', 'formulas']);
      chunks.push(ch);
      if (resultsPerChunk) {
        // Very many scattered formulas: load the chunk's values too rather than thousands of ranges.
        ch.load('values');
        results.push(ch);
      }
    }
    const bandRows = Math.max(1, Math.floor(MERGE_BAND_CELLS / cols));
    for (let r = w.r0; r <= w.r1; r += bandRows) {
      const band = ws.getRange(areaA1({ r0: r, c0: w.c0, r1: Math.min(w.r1, r + bandRows - 1), c1: w.c1 })).getMergedAreasOrNullObject();
      band.load('address');
      bands.push(band);
    }
  }
  return { info, chunks, results, bands, notice };
}

/** Builds the grid from a sync-3 load. */
export function buildSheet(load: SheetLoad): SheetGrid {
  const rows: (CellData | undefined)[][] = [];
  // Results of formula cells, by position.
  const result = new Map<number, unknown>();
  for (const r of load.results) {
    const values = r.values;
    for (let i = 0; i < values.length; i++) {
      for (let j = 0; j < values[i].length; j++) result.set((r.rowIndex + i) * KEY_COLS + r.columnIndex + j, values[i][j]);
    }
  }
  for (const ch of load.chunks) {
    const formulas = ch.formulas;
    const fmts = ch.numberFormat;
    const r0 = ch.rowIndex;
    const c0 = ch.columnIndex;
    for (let i = 0; i < formulas.length; i++) {
      const fr = formulas[i];
      let out: (CellData | undefined)[] | undefined;
      for (let j = 0; j < fr.length; j++) {
        const key = (r0 + i) * KEY_COLS + c0 + j;
        // `formulas` holds a constant's value as `values` would; a formula cell's result comes from `values`.
        const isF = isFormula(fr[j]) && result.has(key);
        const cell = toCellData(isF ? result.get(key) : fr[j], isF ? fr[j] : null, fmts[i][j]);
        if (!cell) continue;
        out ??= rows[r0 + i] ??= [];
        out[c0 + j] = cell;
      }
    }
  }
  const merges: Area[] = [];
  for (const b of load.bands) if (!b.isNullObject) for (const a of parseAddressList(b.address)) merges.push(a);
  return new SheetGrid(load.info.name, rows, merges);
}

export interface WorkbookRead {
  grid: WorkbookGrid;
  sheets: SheetInfo[];
  /** The profile id stored in the workbook's settings, if any (not validated here). */
  storedProfile: unknown;
  /** Ids of sheets PerfSheet has put highlights on (from the workbook's settings). */
  marked: string[];
  /** The workbook-scoped defined names (PerfSheet's stored choices are among them). */
  names: { name: string; ref: string }[];
  /** Sheets a marker name points at that do not read as a report (a user's sheet: checked, never replaced). */
  notReports: string[];
  /** The sheet the user is on. */
  activeSheetId: string;
  notices: ReadNotice[];
}


/** Reads every sheet: exactly three syncs, whatever the number of sheets and tables. */
export async function readWorkbookIn(ctx: XlContext, fileName: string | undefined, progress?: Progress): Promise<WorkbookRead> {
  progress?.(0.05, '读取工作表列表…');
  const wss = ctx.workbook.worksheets;
  wss.load('items/name,items/id');
  const profile: XlSetting = ctx.workbook.settings.getItemOrNullObject(SETTING_PROFILE);
  profile.load('value');
  const marks: XlSetting = ctx.workbook.settings.getItemOrNullObject(SETTING_MARKS);
  marks.load('value');
  const names = ctx.workbook.names;
  names.load('items/name,items/formula');
  const active = wss.getActiveWorksheet();
  active.load('id');
  await ctx.sync(); // 1

  progress?.(0.2, '确定各工作表的数据范围…');
  // The add-in's own report sheets (marked by a defined name, and reading as a report: a stale marker on a
  // user's sheet does not count) are not forms to check. Their second row is read in the same sync.
  const nameList = names.items.map((n) => ({ name: n.name, ref: String(n.formula ?? '') }));
  // Report markers only: the 自评报告 draft is read (its prompts are D01), and known by its own marker.
  const marked = new Set(unreadSheetsFromNames(nameList));
  const metaLines = wss.items
    .filter((ws) => marked.has(ws.name))
    .map((ws) => {
      const r = ws.getRange('A2');
      r.load('values');
      return { name: ws.name, r };
    });
  const allProbes = wss.items.map((ws) => queueProbe(ws, { id: ws.id, name: ws.name }));
  await ctx.sync(); // 2
  const reports = new Set(metaLines.filter((m) => isReportMetaLine(String(m.r.values[0][0] ?? ''))).map((m) => m.name));
  const probes = allProbes.filter((p) => !reports.has(p.info.name));

  progress?.(0.4, '读取单元格…');
  // Small sheets first, so that one huge sheet cannot starve the forms on the others.
  const order = [...probes].sort((a, b) => sizeOf(a) - sizeOf(b));
  const queueAll = (total: number) => {
    const budget = { cells: total, total };
    const loads = new Map<string, SheetLoad>();
    for (const p of order) loads.set(p.info.id, queueLoad(p, budget));
    return loads;
  };
  const notices: ReadNotice[] = [];
  let loads = queueAll(READ_CELL_BUDGET);
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.sync(); // 3 (4, 5, 6 only when cells with very long texts overflow 5 MB)
      if (attempt > 0) {
        notices.push({
          sheet: '',
          message: '单元格中的文字过多，按常规读取量会超出 Excel 的 5 MB 传输上限：已减少读取量，部分内容未检查（见各工作表的说明）。',
        });
      }
      break;
    } catch (e) {
      if (!isPayloadError(e) || attempt === PAYLOAD_RETRIES) throw e;
      loads = queueAll(Math.floor(READ_CELL_BUDGET / 4 ** (attempt + 1)));
    }
  }

  progress?.(0.8, '整理表格…');
  const sheets: SheetGrid[] = [];
  for (const p of probes) {
    const load = loads.get(p.info.id)!;
    sheets.push(buildSheet(load));
    if (load.notice) notices.push({ sheet: p.info.name, message: load.notice });
  }
  const markedValue: unknown = marks.isNullObject ? [] : marks.value;
  return {
    grid: { fileName, sheets, draftSheets: draftSheetsFromNames(nameList) },
    sheets: probes.map((p) => p.info),
    storedProfile: profile.isNullObject ? null : profile.value,
    marked: Array.isArray(markedValue) ? markedValue.filter((x): x is string => typeof x === 'string') : [],
    names: nameList,
    notReports: [...marked].filter((n) => !reports.has(n)),
    activeSheetId: active.id,
    notices,
  };
}

/** True for Office's "payload too large" failures (request or response, any UI language). */
export function isPayloadError(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  // By code first: Office localises the message (Excel on the web in Chinese: 「响应有效负载大小已超出限制」).
  return (
    err?.code === 'RequestPayloadSizeLimitExceeded' ||
    err?.code === 'ResponsePayloadSizeLimitExceeded' ||
    err?.code === 'PayloadTooLarge' ||
    /payload size|payload.*exceed|exceed.*payload|有效负载/i.test(err?.message ?? '')
  );
}

function sizeOf(p: SheetProbe): number {
  return p.used.isNullObject ? 0 : p.used.rowCount * p.used.columnCount;
}
