/**
 * WPS renderer of the report spec (src/domain/report): the 「绩效自评报告」 / 「绩效目标审核」 sheet, drawn from the
 * same spec as in Excel (src/excel/report.ts) and in files (src/xlsx/report.ts). It deletes only a sheet the
 * add-in wrote itself (marked by its defined name) and refuses any other clash.
 */
import { colName } from '../domain/grid';
import { buildReportSpec, ReportConditionalFormat, ReportOptions, ReportSpec, reportTargetProblem } from '../domain/report';
import type { WorkbookResult } from '../domain/types';
import { bgr, WpsApplication, WpsWorksheet, xlExpression, xlLandscape, xlPortrait } from './api';
import { rangeA1 } from './address';
import { ownReportSheets, readNames, sheetNames } from './read';
import { addSheetAtEnd, applyPageSetup, drawCells, quietly } from './render';

/** Thrown with a Chinese message when the report cannot be written where the spec says. */
export class WpsReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WpsReportError';
  }
}

/** The report's tab colour, as in Excel. */
const REPORT_TAB_COLOR = '2F5597';

/** XlConditionValueTypes: a number. */
const xlConditionValueNumber = 0;

function addConditionalFormat(ws: WpsWorksheet, cf: ReportConditionalFormat): void {
  const fcs = ws.Range(rangeA1(cf.range)).FormatConditions;
  if (cf.type === 'dataBar') {
    const bar = fcs.AddDatabar();
    bar.MinPoint.Modify(xlConditionValueNumber, cf.min);
    bar.MaxPoint.Modify(xlConditionValueNumber, cf.max);
    bar.BarColor.Color = bgr(cf.color);
    return;
  }
  const fc = fcs.Add(xlExpression, undefined, `=${cf.formula}`);
  if (cf.font) {
    fc.Font.Color = bgr(cf.font.color);
    if (cf.font.bold !== undefined) fc.Font.Bold = cf.font.bold;
  }
  if (cf.fill) fc.Interior.Color = bgr(cf.fill);
}

/** Writes a ready spec into the active workbook. */
export function writeReportToWps(app: WpsApplication, spec: ReportSpec): { sheetName: string; replaced: string | null } {
  const wb = app.ActiveWorkbook;
  if (!wb) throw new WpsReportError('WPS 表格中没有打开的工作簿，报告未写入。');
  const names = readNames(wb);
  const sheets = sheetNames(wb);
  const ours = ownReportSheets(wb, names, true);
  const problem = reportTargetProblem(
    spec,
    sheets,
    sheets.map((name) => ({ name, createdByAddin: ours.has(name) })),
  );
  if (problem) throw new WpsReportError(problem);
  if (wb.ProtectStructure) throw new WpsReportError('工作簿结构受保护，无法添加报告工作表。请在「审阅 → 保护工作簿」中取消保护后重试。');
  quietly(app, () => {
    if (spec.replaces) wb.Worksheets.Item(spec.replaces).Delete();
    if (names.some((n) => n.name === spec.marker.name)) wb.Names.Item(spec.marker.name).Delete();
    const ws = addSheetAtEnd(wb, spec.sheetName);
    ws.Tab.Color = bgr(REPORT_TAB_COLOR);
    drawCells(ws, spec);
    for (const c of spec.cells) {
      if (!c.link || typeof c.value !== 'string') continue;
      const cell = ws.Range(`${colName(c.col)}${c.row + 1}`);
      cell.Hyperlinks.Add(cell, '', c.link.ref, `转到 ${c.value}`, c.value);
    }
    // New rules go on top of the earlier ones: add them last-first to keep the spec's order.
    for (let i = spec.conditionalFormats.length - 1; i >= 0; i--) addConditionalFormat(ws, spec.conditionalFormats[i]);
    applyPageSetup(ws, { ...spec.print, orientation: spec.print.orientation === 'portrait' ? xlPortrait : xlLandscape });
    for (const r of spec.print.rowBreaks) ws.HPageBreaks.Add(ws.Range(`A${r + 1}`));
    wb.Names.Add(spec.marker.name, `=${spec.marker.ref}`, true);
    ws.Activate();
    const win = app.ActiveWindow;
    if (spec.freeze.rows > 0) {
      win.SplitColumn = 0;
      win.SplitRow = spec.freeze.rows;
      win.FreezePanes = true;
    }
    win.DisplayGridlines = false;
  });
  return { sheetName: spec.sheetName, replaced: spec.replaces };
}

/** The pane's 「生成报告」: builds the spec from the engine's result for this workbook and writes it. */
export function generateReportInWps(
  app: WpsApplication,
  result: WorkbookResult,
  opts: Omit<ReportOptions, 'existingSheets'>,
): { sheetName: string; replaced: string | null; spec: ReportSpec } {
  const wb = app.ActiveWorkbook;
  if (!wb) throw new WpsReportError('WPS 表格中没有打开的工作簿，报告未写入。');
  const ours = ownReportSheets(wb, readNames(wb), true);
  const existing = sheetNames(wb).map((name) => ({ name, createdByAddin: ours.has(name) }));
  const spec = buildReportSpec(result, { ...opts, existingSheets: existing });
  return { ...writeReportToWps(app, spec), spec };
}
