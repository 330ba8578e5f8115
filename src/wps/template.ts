/**
 * WPS renderer of the template spec (src/domain/templates): 「新建表格」 and 「转为自评表」 write new forms on new
 * sheets the add-in names — never on top of a user's sheet — with the same cells, merges, styles, data
 * validation (dropdowns from the hidden list sheet), formulas and print setup as in Excel.
 */
import { a1 } from '../domain/grid';
import {
  buildTemplateSpec,
  isListName,
  ListSheetSpec,
  listSheetBlock,
  newSheetsProblem,
  ownListSheetOf,
  selfEvalsFromTargets,
  TemplateOptions,
  TemplateSpec,
  TemplateValidation,
} from '../domain/templates';
import type { ConvertOptions } from '../domain/templates';
import type { TableResult } from '../domain/types';
import {
  WpsApplication,
  WpsWorkbook,
  WpsWorksheet,
  xlBetween,
  xlGreaterEqual,
  xlPortrait,
  xlSheetHidden,
  xlValidAlertStop,
  xlValidAlertWarning,
  xlValidateDecimal,
  xlValidateInputOnly,
  xlValidateList,
} from './api';
import { rangeA1 } from './address';
import { readNames, sheetNames } from './read';
import { addSheetAtEnd, applyPageSetup, drawCells, quietly } from './render';

/** Thrown with a Chinese message when a new form cannot be written. */
export class WpsTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WpsTemplateError';
  }
}

interface State {
  sheets: string[];
  names: { name: string; ref: string }[];
  ownListSheet: string | null;
}

function readState(wb: WpsWorkbook): State {
  const sheets = sheetNames(wb);
  const names = readNames(wb);
  return { sheets, names, ownListSheet: ownListSheetOf(sheets, names) };
}

function applyValidation(ws: WpsWorksheet, v: TemplateValidation): void {
  const dv = ws.Range(rangeA1(v.range)).Validation;
  dv.Delete();
  if (v.type === 'any') dv.Add(xlValidateInputOnly);
  else if (v.type === 'list') dv.Add(xlValidateList, v.errorStyle === 'warning' ? xlValidAlertWarning : xlValidAlertStop, xlBetween, `=${v.source}`);
  else if (v.max === null) dv.Add(xlValidateDecimal, xlValidAlertStop, xlGreaterEqual, String(v.min));
  else dv.Add(xlValidateDecimal, xlValidAlertStop, xlBetween, String(v.min), String(v.max));
  dv.IgnoreBlank = true;
  if (v.type === 'list') dv.InCellDropdown = true;
  if (v.type !== 'any') {
    dv.ErrorTitle = v.errorTitle;
    dv.ErrorMessage = v.error;
    dv.ShowError = true;
  }
  if (v.prompt) {
    dv.InputTitle = v.promptTitle ?? '';
    dv.InputMessage = v.prompt;
    dv.ShowInput = true;
  }
}

function drawForm(wb: WpsWorkbook, spec: TemplateSpec): WpsWorksheet {
  const ws = addSheetAtEnd(wb, spec.sheetName);
  drawCells(ws, spec);
  for (const c of spec.cells) if (c.formula) ws.Range(a1(c.row, c.col)).Formula = `=${c.formula}`;
  for (const v of spec.validations) applyValidation(ws, v);
  applyPageSetup(ws, { ...spec.print, orientation: xlPortrait });
  return ws;
}

/** The list sheet: created hidden, or rewritten when it is the add-in's own; its names are (re)defined. */
function writeLists(wb: WpsWorkbook, lists: ListSheetSpec, state: State): void {
  const exists = state.sheets.some((s) => s.toLocaleLowerCase() === lists.sheetName.toLocaleLowerCase());
  if (exists && state.ownListSheet !== lists.sheetName) {
    throw new WpsTemplateError(`工作表“${lists.sheetName}”已存在且不是本插件生成的，不能写入下拉列表。`);
  }
  const ws = exists ? wb.Worksheets.Item(lists.sheetName) : addSheetAtEnd(wb, lists.sheetName);
  const grid = listSheetBlock(lists);
  ws.Range(rangeA1({ r0: 0, c0: 0, r1: grid.length - 1, c1: grid[0].length - 1 })).Value2 = grid;
  for (const n of state.names) if (isListName(n.name)) wb.Names.Item(n.name).Delete();
  wb.Names.Add(lists.marker.name, `=${lists.marker.ref}`, true);
  for (const n of lists.names) wb.Names.Add(n.name, `=${n.ref}`, true);
  if (!exists) ws.Visible = xlSheetHidden;
}

function writeAll(app: WpsApplication, wb: WpsWorkbook, specs: readonly TemplateSpec[], state: State): void {
  if (specs.length === 0) return;
  if (wb.ProtectStructure) throw new WpsTemplateError('工作簿结构受保护，无法添加工作表。请在「审阅 → 保护工作簿」中取消保护后重试。');
  const clash = newSheetsProblem(specs, state.sheets);
  if (clash) throw new WpsTemplateError(clash);
  quietly(app, () => {
    // The lists first: the dropdowns refer to their names, which must exist when a validation is added.
    writeLists(wb, specs[specs.length - 1].lists, state);
    const sheets = specs.map((s) => drawForm(wb, s));
    sheets[0].Activate();
  });
}

/** 「新建表格」: a new blank form on a new sheet. */
export function insertTemplateInWps(app: WpsApplication, opts: Omit<TemplateOptions, 'existingSheets' | 'ownListSheet'>): { sheetNames: string[]; spec: TemplateSpec } {
  const wb = app.ActiveWorkbook;
  if (!wb) throw new WpsTemplateError('WPS 表格中没有打开的工作簿：请先打开或新建一个工作簿。');
  const state = readState(wb);
  const spec = buildTemplateSpec({ ...opts, existingSheets: state.sheets, ownListSheet: state.ownListSheet });
  writeAll(app, wb, [spec], state);
  return { sheetNames: [spec.sheetName], spec };
}

/** 目标表 → 自评表: one new 自评表 sheet per target table given. */
export function insertSelfEvalsInWps(
  app: WpsApplication,
  targets: readonly TableResult[],
  opts: Omit<ConvertOptions, 'existingSheets' | 'ownListSheet'> = {},
): { sheetNames: string[]; specs: TemplateSpec[] } {
  const wb = app.ActiveWorkbook;
  if (!wb) throw new WpsTemplateError('WPS 表格中没有打开的工作簿：请先打开或新建一个工作簿。');
  const state = readState(wb);
  const specs = selfEvalsFromTargets(targets, { ...opts, existingSheets: state.sheets, ownListSheet: state.ownListSheet });
  if (specs.length === 0) throw new WpsTemplateError('所选内容中没有绩效目标表，无法生成自评表。');
  writeAll(app, wb, specs, state);
  return { sheetNames: specs.map((s) => s.sheetName), specs };
}
