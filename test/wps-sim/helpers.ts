/** Helpers for the in-memory WPS host's tests: small workbooks built with ExcelJS and opened as .xlsx bytes. */
import ExcelJS from 'exceljs';
import { readFileSync } from 'fs';
import { join } from 'path';
import { SimWps } from '../../src/wps-sim';
import type { WpsWorksheet } from '../../src/wps/api';

/** Builds a workbook with ExcelJS, writes it to bytes and opens it in the host (the real open path). */
export async function build(fill: (wb: ExcelJS.Workbook) => void, fileName = '测试.xlsx'): Promise<SimWps> {
  const wb = new ExcelJS.Workbook();
  fill(wb);
  const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  return SimWps.open(bytes, { fileName });
}

export function fixture(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', rel)));
}

export async function openFixture(rel: string): Promise<SimWps> {
  return SimWps.open(fixture(rel), { fileName: rel.split('/').pop() });
}

/** Reads saved bytes back with ExcelJS (to see formats, validations, links the grid reader does not carry). */
export async function reload(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

export function sheet(sim: SimWps, key: number | string): WpsWorksheet {
  return sim.app.ActiveWorkbook!.Worksheets.Item(key);
}

/** A small form: a title merged over A1:C1, values, a formula, a percentage, a date, an error, and a merge. */
export function smallForm(wb: ExcelJS.Workbook): void {
  const ws = wb.addWorksheet('表一');
  ws.getCell('A1').value = '项目支出绩效自评表';
  ws.mergeCells('A1:C1');
  ws.getCell('A2').value = '指标';
  ws.getCell('B2').value = '分值';
  ws.getCell('C2').value = '得分';
  ws.getCell('A3').value = '数量指标';
  ws.getCell('B3').value = 10;
  ws.getCell('C3').value = 9.5;
  ws.getCell('A4').value = '质量指标';
  ws.getCell('B4').value = 20;
  ws.getCell('C4').value = { error: '#DIV/0!' } as ExcelJS.CellValue;
  ws.getCell('A5').value = '合计';
  ws.getCell('B5').value = { formula: 'SUM(B3:B4)', result: 30 } as ExcelJS.CellValue;
  ws.getCell('C5').value = { formula: 'SUM(C3:C4)', result: { error: '#DIV/0!' } } as ExcelJS.CellValue;
  ws.getCell('A6').value = '执行率';
  ws.getCell('B6').value = 0.95;
  ws.getCell('B6').numFmt = '0.00%';
  ws.getCell('A7').value = '完成时间';
  ws.getCell('B7').value = new Date(Date.UTC(2025, 0, 6));
  ws.getCell('B7').numFmt = 'yyyy/m/d';
  ws.getCell('A8').value = '备注';
  ws.mergeCells('B8:C9');
  ws.getCell('B8').value = '说明文字';
  wb.addWorksheet('表二').getCell('A1').value = '第二张';
}
