/**
 * ExcelJS adapter, write direction: applies the engine's computed cell edits to a loaded workbook.
 * Only the computed cells change; a formula cell is never overwritten, whatever the engine thought.
 */
import ExcelJS from 'exceljs';
import { CellEdit } from '../domain/types';

export interface FillOutcome {
  applied: CellEdit[];
  skipped: { edit: CellEdit; reason: string }[];
}

function hasFormula(cell: ExcelJS.Cell): boolean {
  const v = cell.value as unknown;
  return typeof v === 'object' && v !== null && ('formula' in v || 'sharedFormula' in v);
}

export function applyEditsToExcelJS(wb: ExcelJS.Workbook, edits: readonly CellEdit[]): FillOutcome {
  const out: FillOutcome = { applied: [], skipped: [] };
  for (const e of edits) {
    if (e.status === 'same') continue;
    const ws = wb.getWorksheet(e.sheet);
    if (!ws) {
      out.skipped.push({ edit: e, reason: `找不到工作表“${e.sheet}”` });
      continue;
    }
    const cell = ws.getCell(e.cell);
    if (e.status === 'merged') {
      out.skipped.push({ edit: e, reason: e.reason ?? '合并单元格，不写入' });
      continue;
    }
    if (e.status === 'formula' || hasFormula(cell)) {
      out.skipped.push({ edit: e, reason: '单元格含公式，不覆盖' });
      continue;
    }
    cell.value = e.value;
    if (e.numFmt && (!cell.numFmt || cell.numFmt === 'General')) {
      // ExcelJS shares one style object between cells: assigning cell.numFmt would change them all.
      cell.style = { ...cell.style, numFmt: e.numFmt };
    }
    out.applied.push(e);
  }
  return out;
}
