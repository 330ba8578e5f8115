/**
 * ExcelJS renderer of the template spec (src/domain/templates): draws new forms — cells, merges, styles, data
 * validations, print setup — plus the hidden list sheet and the defined names their dropdowns use. Used by
 * `perfsheet new` and `perfsheet convert`.
 */
import ExcelJS from 'exceljs';
import { a1, Area } from '../domain/grid';
import { LIST_MARKER, LEVEL1_NAME, ListSheetSpec, TemplateSpec, TemplateValidation } from '../domain/templates';
import { sheetOfReference } from '../domain/report';
import { applyPrintSetup, excelJsStyle, mergeAll } from './report';

type DefinedNameModel = { name: string; ranges: string[] };

function areaRef(a: Area): string {
  const s = a1(a.r0, a.c0);
  const e = a1(a.r1, a.c1);
  return s === e ? s : `${s}:${e}`;
}

/** The add-in's list sheet in this workbook (its marker name refers to an existing sheet), if any. */
export function ownListSheetOf(wb: ExcelJS.Workbook): string | null {
  for (const dn of wb.definedNames.model as DefinedNameModel[]) {
    if (dn.name !== LIST_MARKER || dn.ranges.length === 0) continue;
    const sheet = sheetOfReference(dn.ranges[0]);
    if (sheet !== null && wb.getWorksheet(sheet)) return sheet;
  }
  return null;
}

function excelJsValidation(v: TemplateValidation): ExcelJS.DataValidation {
  const prompt =
    v.type === 'any' || v.prompt
      ? { showInputMessage: true, promptTitle: v.promptTitle, prompt: v.prompt }
      : {};
  if (v.type === 'any') return { type: 'any', formulae: [], ...prompt } as unknown as ExcelJS.DataValidation;
  if (v.type === 'list') {
    return {
      type: 'list',
      formulae: [v.source],
      allowBlank: true,
      showErrorMessage: true,
      errorStyle: v.errorStyle,
      errorTitle: v.errorTitle,
      error: v.error,
      ...prompt,
    };
  }
  return {
    type: 'decimal',
    operator: v.max === null ? 'greaterThanOrEqual' : 'between',
    formulae: v.max === null ? [v.min] : [v.min, v.max],
    allowBlank: true,
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: v.errorTitle,
    error: v.error,
    ...prompt,
  };
}

/** Draws one form on a new sheet (the spec's name must be free). */
export function renderTemplateSheet(wb: ExcelJS.Workbook, spec: TemplateSpec): ExcelJS.Worksheet {
  if (wb.worksheets.some((w) => w.name.toLocaleLowerCase() === spec.sheetName.toLocaleLowerCase())) {
    throw new Error(`工作表“${spec.sheetName}”已存在，新表格不会覆盖它。`);
  }
  const ws = wb.addWorksheet(spec.sheetName, { views: [{ showGridLines: false }] });
  spec.columnWidths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  spec.rowHeights.forEach((h, i) => (ws.getRow(i + 1).height = h));
  const styles = new Map<string, Partial<ExcelJS.Style>>();
  for (const c of spec.cells) {
    let style = styles.get(c.style);
    if (!style) styles.set(c.style, (style = excelJsStyle(spec.styles[c.style])));
    for (let r = c.row; r < c.row + c.rowSpan; r++) {
      for (let k = c.col; k < c.col + c.colSpan; k++) ws.getCell(r + 1, k + 1).style = style;
    }
    const cell = ws.getCell(c.row + 1, c.col + 1);
    if (c.formula) cell.value = { formula: c.formula, result: c.value ?? undefined } as ExcelJS.CellFormulaValue;
    else cell.value = c.value;
  }
  mergeAll(ws, spec.merges);
  for (const v of spec.validations) {
    (ws as unknown as { dataValidations: { add(ref: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(
      areaRef(v.range),
      excelJsValidation(v),
    );
  }
  applyPrintSetup(ws, spec.print);
  return ws;
}

/** Creates (or, when it is the add-in's own, rewrites) the hidden list sheet and its defined names. */
export function renderListSheet(wb: ExcelJS.Workbook, lists: ListSheetSpec): ExcelJS.Worksheet {
  let ws = wb.getWorksheet(lists.sheetName);
  if (ws && ownListSheetOf(wb) !== ws.name) {
    throw new Error(`工作表“${lists.sheetName}”已存在且不是本插件生成的，不能写入下拉列表。`);
  }
  if (ws) {
    ws.eachRow((row) => row.eachCell((cell) => (cell.value = null)));
  } else {
    ws = wb.addWorksheet(lists.sheetName);
  }
  ws.state = 'hidden';
  lists.columns.forEach((values, c) => {
    ws!.getColumn(c + 1).width = 20;
    values.forEach((v, r) => (ws!.getCell(r + 1, c + 1).value = v));
  });
  const ours = new Set([lists.marker.name, ...lists.names.map((n) => n.name)]);
  const isOurs = (n: string) => ours.has(n) || /^PerfSheet_L2_\d+$/.test(n) || n === LEVEL1_NAME;
  wb.definedNames.model = (wb.definedNames.model as DefinedNameModel[]).filter((dn) => !isOurs(dn.name));
  for (const n of [lists.marker, ...lists.names]) wb.definedNames.add(n.ref, n.name);
  return ws;
}

/** Draws the forms and their list sheet into the workbook. */
export function renderTemplatesToExcelJS(wb: ExcelJS.Workbook, specs: readonly TemplateSpec[]): ExcelJS.Worksheet[] {
  if (specs.length === 0) return [];
  const sheets = specs.map((s) => renderTemplateSheet(wb, s));
  renderListSheet(wb, specs[specs.length - 1].lists);
  return sheets;
}

/** A new workbook holding the forms, as xlsx bytes. */
export async function templatesToXlsx(specs: readonly TemplateSpec[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'PerfSheet 绩效表格助手';
  renderTemplatesToExcelJS(wb, specs);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

