/**
 * Which cells of a sheet a host adapter reads, whatever the host (Office.js or WPS): the same plan gives
 * the same grid, so the engine's results are the same in every host.
 *
 * A sheet whose used range holds at most FULL_SHEET_CELLS cells is read whole. A larger sheet (a data dump
 * of 50,000 rows) is read only in windows around the rows where 「一级」 occurs — the header of every form
 * kind has 一级指标 (also when written 一级\n指标) — from WINDOW_ABOVE rows above a hit to WINDOW_BELOW rows
 * below it. The cells of all sheets together are capped at READ_CELL_BUDGET (small sheets first, so one
 * huge sheet cannot starve the forms on the others); whatever is left out is said in a notice, never silently.
 */
import type { Area } from './grid';

export const FULL_SHEET_CELLS = 20_000;
export const READ_CELL_BUDGET = 60_000;
export const WINDOW_ABOVE = 40;
/** Rows below a header: room for a long indicator list, the 总分 row and the notes. */
export const WINDOW_BELOW = 300;
/** The anchor searched on large sheets: every form's header has 一级指标. */
export const ANCHOR = '一级';

export function areaCells(a: Area): number {
  return (a.r1 - a.r0 + 1) * (a.c1 - a.c0 + 1);
}

/**
 * Row windows around the anchor hits. A host may report neighbouring hits as one area (`B12:B18`), so each
 * hit area spans from its first to its last row.
 */
export function rowWindows(used: Area, hits: Area[]): Area[] {
  const sorted = [...hits].sort((a, b) => a.r0 - b.r0);
  const out: Area[] = [];
  for (const h of sorted) {
    const r0 = Math.max(used.r0, h.r0 - WINDOW_ABOVE);
    const r1 = Math.min(used.r1, h.r1 + WINDOW_BELOW);
    if (r1 < r0) continue;
    const last = out[out.length - 1];
    if (last && r0 <= last.r1 + 1) last.r1 = Math.max(last.r1, r1);
    else out.push({ r0, c0: used.c0, r1, c1: used.c1 });
  }
  return out;
}

export interface SheetReadPlan {
  /** The areas to read, in row order. */
  kept: Area[];
  /** What was left out, in Chinese, or null. */
  notice: string | null;
}

/**
 * Decides which areas of a sheet to read. `hits` (the anchor's cells) are asked for only when the sheet is
 * larger than FULL_SHEET_CELLS. `budget.cells` is decremented by what is kept.
 */
export function planSheetRead(
  sheetName: string,
  used: Area | null,
  hits: () => Area[],
  budget: { cells: number; total?: number },
): SheetReadPlan {
  if (!used) return { kept: [], notice: null };
  const rowCount = used.r1 - used.r0 + 1;
  let windows: Area[];
  let notice: string | null = null;
  if (areaCells(used) <= FULL_SHEET_CELLS) windows = [used];
  else {
    windows = rowWindows(used, hits());
    const read = windows.reduce((s, w) => s + (w.r1 - w.r0 + 1), 0);
    notice = windows.length
      ? `工作表「${sheetName}」共 ${rowCount} 行，数据量较大：只读取了「一级指标」表头附近的表格区域` +
        `（${read} 行：第 ${windows
          .map((w) => `${w.r0 + 1}–${w.r1 + 1}`)
          .slice(0, 5)
          .join('、')}${windows.length > 5 ? '…' : ''} 行）。`
      : `工作表「${sheetName}」共 ${rowCount} 行，数据量较大，且没有「一级指标」表头（不含绩效表格），未逐格读取。`;
  }
  // Apply the workbook-wide budget.
  const kept: Area[] = [];
  for (const w of windows) {
    if (budget.cells <= 0) break;
    const cols = w.c1 - w.c0 + 1;
    const maxRows = Math.max(1, Math.floor(budget.cells / cols));
    const r1 = Math.min(w.r1, w.r0 + maxRows - 1);
    kept.push({ ...w, r1 });
    budget.cells -= (r1 - w.r0 + 1) * cols;
  }
  const keptRows = kept.reduce((s, w) => s + (w.r1 - w.r0 + 1), 0);
  const wantedRows = windows.reduce((s, w) => s + (w.r1 - w.r0 + 1), 0);
  if (keptRows < wantedRows) {
    notice =
      `工作表「${sheetName}」内容过多，超出一次读取的上限（约 ${(budget.total ?? READ_CELL_BUDGET).toLocaleString('en-US')} 个单元格），` +
      `只检查了其中 ${keptRows} 行。请把表格拆分到多个工作簿后分别检查。`;
  }
  return { kept, notice };
}
