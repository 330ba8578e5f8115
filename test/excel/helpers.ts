import * as fs from 'fs';
import * as path from 'path';
import ExcelJS from 'exceljs';
import { SimExcel, SimOptions } from '../../src/excel-sim';

export const FIXTURE_2025 = path.join(__dirname, '..', 'fixtures', '石家庄市总工会_2025_绩效自评表.xlsx');
export const FIXTURE_2024 = path.join(__dirname, '..', 'fixtures', '石家庄市总工会_2024_项目绩效目标表.xlsx');

export async function openFixture(file = FIXTURE_2025, opts: SimOptions = {}): Promise<SimExcel> {
  return SimExcel.open(fs.readFileSync(file), { fileName: path.basename(file), ...opts });
}

export async function loadExcelJs(file = FIXTURE_2025): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
  return wb;
}

/** Copies a sheet's cells and merges into `to`, shifted down by `rowOffset`. */
export function copySheet(from: ExcelJS.Worksheet, to: ExcelJS.Worksheet, rowOffset = 0): void {
  from.eachRow({ includeEmpty: false }, (row, rn) => {
    row.eachCell({ includeEmpty: false }, (cell, cn) => {
      if (cell.type === ExcelJS.ValueType.Merge) return;
      const t = to.getCell(rn + rowOffset, cn);
      t.value = cell.value;
      if (cell.numFmt) t.numFmt = cell.numFmt;
    });
  });
  const merges = (from as unknown as { _merges: Record<string, { top: number; left: number; bottom: number; right: number }> })._merges;
  for (const m of Object.values(merges)) to.mergeCells(m.top + rowOffset, m.left, m.bottom + rowOffset, m.right);
}

/** Waits until `pred` holds (polling), or fails after `ms`. */
export async function waitFor(pred: () => boolean, ms = 3000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
