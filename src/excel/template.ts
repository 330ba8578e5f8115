/**
 * Office.js renderer of the template spec (src/domain/templates): draws new forms on new sheets the add-in
 * names (never on top of a user's sheet), with Excel's own data validation (一级/二级 dropdowns, 0–100 on
 * 分值/得分, amounts ≥ 0, input messages), the hidden list sheet and defined names the dropdowns use, and A4
 * print setup. Two `context.sync()` calls whatever the number of forms: one to read the sheet and name lists,
 * one to write.
 *
 * For the task pane:
 *   await insertTemplateInExcel(context, { kind: 'self-eval', rows: 8, year: 2025 })
 *   await insertSelfEvalsInExcel(context, targetTables)          // 目标表 → 自评表, one sheet each
 *
 * Written against the structural types below, which `Excel.RequestContext` satisfies (checked at compile time
 * at the end of this file); the in-memory host of the tests answers them (src/excel-sim/types-report.ts).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { a1, Area, colName } from '../domain/grid';
import { cellMatrices, columnWidthPoints, rowHeightRuns } from '../domain/report';
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
import { applyStyle, queuePageLayout, queueSheetsAndNames, RpPageLayout, RpRangeFormat, XlBookContext } from './report';

export type TpRangeFormat = RpRangeFormat;

export interface TpDataValidation {
  rule: any;
  prompt: any;
  errorAlert: any;
  ignoreBlanks: boolean;
}

export interface TpRange {
  values: any[][];
  formulas: any[][];
  numberFormat: any[][];
  readonly format: TpRangeFormat;
  readonly dataValidation: TpDataValidation;
  merge(across?: boolean): void;
}

export interface TpWorksheet {
  readonly name: string;
  showGridlines: boolean;
  visibility: any;
  readonly pageLayout: RpPageLayout;
  getRange(address?: string): TpRange;
  activate(): void;
}

export type TpContext = XlBookContext<TpWorksheet>;

export class TemplateWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateWriteError';
  }
}

export interface TemplateState {
  sheets: string[];
  names: { name: string; ref: string }[];
  /** The add-in's list sheet, when its marker refers to an existing sheet. */
  ownListSheet: string | null;
}

export interface TemplateWriteResult {
  sheetNames: string[];
  listSheet: string;
  syncs: number;
}

function areaA1(a: Area): string {
  const s = a1(a.r0, a.c0);
  const e = a1(a.r1, a.c1);
  return s === e ? s : `${s}:${e}`;
}

function queueState(context: TpContext): () => TemplateState {
  const read = queueSheetsAndNames(context);
  return () => {
    const { sheets, names } = read();
    return { sheets, names, ownListSheet: ownListSheetOf(sheets, names) };
  };
}

/** Office's data-validation objects for a spec validation. */
export function officeValidation(v: TemplateValidation): { rule: any | null; prompt: any | null; errorAlert: any | null } {
  const prompt = v.type === 'any' || v.prompt ? { showPrompt: true, title: v.promptTitle ?? '', message: v.prompt ?? '' } : null;
  if (v.type === 'any') return { rule: null, prompt, errorAlert: null };
  const errorAlert = {
    showAlert: true,
    style: v.type === 'list' && v.errorStyle === 'warning' ? 'Warning' : 'Stop',
    title: v.errorTitle,
    message: v.error,
  };
  if (v.type === 'list') return { rule: { list: { inCellDropDown: true, source: `=${v.source}` } }, prompt, errorAlert };
  const decimal =
    v.max === null
      ? { formula1: v.min, operator: 'GreaterThanOrEqualTo' }
      : { formula1: v.min, formula2: v.max, operator: 'Between' };
  return { rule: { decimal }, prompt, errorAlert };
}

/**
 * Range statements (a formula, a merge, a cell's style, a validation) one request may carry. Measured
 * through Microsoft's client library a form's request is about 2.3 KB per statement — a 200-row 自评表 is
 * 6.5 MB in one request, six converted targets 2.8 MB — and Excel on the web refuses more than 5 MB: the
 * forms are written in further syncs of this many statements.
 */
export const FORM_OPS_PER_SYNC = 1000;

/** Counts queued statements and syncs after every FORM_OPS_PER_SYNC of them; `extra` is how often it did. */
function syncEvery(context: TpContext, n: number): { tick: () => Promise<void>; readonly extra: number } {
  let ops = 0;
  let extra = 0;
  return {
    tick: async () => {
      if (++ops % n === 0) {
        await context.sync();
        extra++;
      }
    },
    get extra() {
      return extra;
    },
  };
}

async function queueForm(context: TpContext, spec: TemplateSpec, tick: () => Promise<void>): Promise<TpWorksheet> {
  const ws = context.workbook.worksheets.add(spec.sheetName);
  ws.showGridlines = false;
  spec.columnWidths.forEach((w, c) => {
    ws.getRange(`${colName(c)}1`).format.columnWidth = columnWidthPoints(w);
  });
  for (const [r0, r1, h] of rowHeightRuns(spec.rowHeights)) ws.getRange(`A${r0 + 1}:A${r1 + 1}`).format.rowHeight = h;
  const { values, formats } = cellMatrices(spec);
  const all = ws.getRange(areaA1({ r0: 0, c0: 0, r1: spec.rowCount - 1, c1: spec.colCount - 1 }));
  all.numberFormat = formats;
  all.values = values;
  for (const c of spec.cells) {
    if (!c.formula) continue;
    ws.getRange(a1(c.row, c.col)).formulas = [[`=${c.formula}`]];
    await tick();
  }
  for (const m of spec.merges) {
    ws.getRange(areaA1(m)).merge(false);
    await tick();
  }
  for (const c of spec.cells) {
    const area = { r0: c.row, c0: c.col, r1: c.row + c.rowSpan - 1, c1: c.col + c.colSpan - 1 };
    applyStyle(ws.getRange(areaA1(area)).format, spec.styles[c.style], { rows: c.rowSpan > 1, cols: c.colSpan > 1 });
    await tick();
  }
  for (const v of spec.validations) {
    await tick();
    const dv = ws.getRange(areaA1(v.range)).dataValidation;
    const o = officeValidation(v);
    if (o.rule) {
      dv.ignoreBlanks = true;
      dv.rule = o.rule;
    }
    if (o.errorAlert) dv.errorAlert = o.errorAlert;
    if (o.prompt) dv.prompt = o.prompt;
  }
  queuePageLayout(ws.pageLayout, spec.print, 'Portrait');
  return ws;
}

/** The list sheet: created hidden, or rewritten when it is the add-in's own; its names are (re)defined. */
function queueLists(context: TpContext, lists: ListSheetSpec, state: TemplateState): void {
  const wb = context.workbook;
  const exists = state.sheets.some((s) => s.toLocaleLowerCase() === lists.sheetName.toLocaleLowerCase());
  if (exists && state.ownListSheet !== lists.sheetName) {
    throw new TemplateWriteError(`工作表“${lists.sheetName}”已存在且不是本插件生成的，不能写入下拉列表。`);
  }
  const ws = exists ? wb.worksheets.getItem(lists.sheetName) : wb.worksheets.add(lists.sheetName);
  const grid = listSheetBlock(lists);
  ws.getRange(areaA1({ r0: 0, c0: 0, r1: grid.length - 1, c1: grid[0].length - 1 })).values = grid;
  if (!exists) ws.visibility = 'Hidden';
  for (const n of state.names) if (isListName(n.name)) wb.names.getItem(n.name).delete();
  wb.names.add(lists.marker.name, `=${lists.marker.ref}`, 'PerfSheet 绩效表格助手的指标名称列表（请勿删除此名称）');
  for (const n of lists.names) wb.names.add(n.name, `=${n.ref}`);
}

/** Queues the forms and the list sheet; returns the extra syncs it made for large forms (FORM_OPS_PER_SYNC). */
async function queueAll(context: TpContext, specs: readonly TemplateSpec[], state: TemplateState): Promise<number> {
  if (specs.length === 0) return 0;
  const clash = newSheetsProblem(specs, state.sheets);
  if (clash) throw new TemplateWriteError(clash);
  const every = syncEvery(context, FORM_OPS_PER_SYNC);
  const sheets: TpWorksheet[] = [];
  for (const s of specs) sheets.push(await queueForm(context, s, every.tick));
  queueLists(context, specs[specs.length - 1].lists, state);
  sheets[0].activate();
  return every.extra;
}

/** Writes ready specs (their names must still be free): 2 syncs, one more per FORM_OPS_PER_SYNC statements. */
export async function writeTemplatesToExcel(context: TpContext, specs: readonly TemplateSpec[]): Promise<TemplateWriteResult> {
  const read = queueState(context);
  await context.sync();
  const extra = await queueAll(context, specs, read());
  await context.sync();
  return { sheetNames: specs.map((s) => s.sheetName), listSheet: specs[0]?.lists.sheetName ?? '', syncs: 2 + extra };
}

/** 「新建表格」: a new blank form on a new sheet. 2 syncs (more for a large form, see FORM_OPS_PER_SYNC). */
export async function insertTemplateInExcel(
  context: TpContext,
  opts: Omit<TemplateOptions, 'existingSheets' | 'ownListSheet'>,
): Promise<TemplateWriteResult & { spec: TemplateSpec }> {
  const read = queueState(context);
  await context.sync();
  const state = read();
  const spec = buildTemplateSpec({ ...opts, existingSheets: state.sheets, ownListSheet: state.ownListSheet });
  const extra = await queueAll(context, [spec], state);
  await context.sync();
  return { sheetNames: [spec.sheetName], listSheet: spec.lists.sheetName, syncs: 2 + extra, spec };
}

/** 目标表 → 自评表: one new 自评表 sheet per target table given. 2 syncs (more for many, see FORM_OPS_PER_SYNC). */
export async function insertSelfEvalsInExcel(
  context: TpContext,
  targets: readonly TableResult[],
  opts: Omit<ConvertOptions, 'existingSheets' | 'ownListSheet'> = {},
): Promise<TemplateWriteResult & { specs: TemplateSpec[] }> {
  const read = queueState(context);
  await context.sync();
  const state = read();
  const specs = selfEvalsFromTargets(targets, { ...opts, existingSheets: state.sheets, ownListSheet: state.ownListSheet });
  if (specs.length === 0) throw new TemplateWriteError('所选内容中没有绩效目标表，无法生成自评表。');
  const extra = await queueAll(context, specs, state);
  await context.sync();
  return { sheetNames: specs.map((s) => s.sheetName), listSheet: specs[0].lists.sheetName, syncs: 2 + extra, specs };
}

// Compile-time proof that Office's own RequestContext fits the structural types above.
export const officeTemplateContextFits = (context: Excel.RequestContext): TpContext => context;
