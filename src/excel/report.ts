/**
 * Office.js renderer of the report spec (src/domain/report): writes the 「绩效自评报告」 / 「绩效目标审核」
 * sheet into the open workbook in two `context.sync()` calls whatever the size of the report (one to read
 * the sheet names and the add-in's marker names, one to write everything).
 *
 * Written against the structural types below, which `Excel.RequestContext` satisfies (checked at compile
 * time at the end of this file) and which the in-memory host of the tests implements.
 *
 * For the task pane:   await generateReportInExcel(context, result, { fileName, date })
 * With a ready spec:   await writeReportToExcel(context, spec)
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { colName } from '../domain/grid';
import {
  addinSheetsFromNames,
  buildReportSpec,
  cellMatrices,
  columnWidthPoints,
  reportTargetProblem,
  rowHeightRuns,
  styleRectangles,
  ExistingSheet,
  ReportConditionalFormat,
  ReportOptions,
  ReportSpec,
  ReportStyle,

} from '../domain/report';
import type { WorkbookResult } from '../domain/types';
import { joinAddressLists } from './address';

// ---------------------------------------------------------------------------------------------------
// The part of the Excel JavaScript API the report uses (ExcelApi 1.9)

export interface RpFont {
  name: string;
  size: number;
  bold: boolean;
  italic: boolean;
  underline: string;
  color: string;
}

export interface RpBorder {
  style: string;
  color: string;
  weight: string;
}

export interface RpRangeFormat {
  readonly font: RpFont;
  readonly fill: { color: string };
  readonly borders: { getItem(index: any): RpBorder };
  horizontalAlignment: any;
  verticalAlignment: any;
  wrapText: boolean;
  columnWidth: number;
  rowHeight: number;
}

export interface RpConditionalFormat {
  readonly custom: {
    readonly rule: { formula: string };
    readonly format: { readonly font: { color: string; bold: boolean }; readonly fill: { color: string } };
  };
  readonly dataBar: {
    lowerBoundRule: { type: any; formula?: string };
    upperBoundRule: { type: any; formula?: string };
    readonly positiveFormat: { fillColor: string; gradientFill: boolean };
    showDataBarOnly: boolean;
  };
}

export interface RpRange {
  values: any[][];
  numberFormat: any[][];
  readonly format: RpRangeFormat;
  hyperlink: { documentReference?: string; textToDisplay?: string; screenTip?: string };
  readonly conditionalFormats: { add(type: any): RpConditionalFormat };
  merge(across?: boolean): void;
}

export interface RpRangeAreas {
  readonly format: RpRangeFormat;
}

/** Page layout as both renderers (report and new forms) set it. */
export interface RpPageLayout {
  orientation: any;
  paperSize: any;
  zoom: { horizontalFitToPages?: number; verticalFitToPages?: number; scale?: number };
  centerHorizontally: boolean;
  leftMargin: number;
  rightMargin: number;
  topMargin: number;
  bottomMargin: number;
  headerMargin: number;
  footerMargin: number;
  readonly headersFooters: { readonly defaultForAllPages: { centerFooter: string } };
}

export interface RpWorksheet {
  readonly name: string;
  showGridlines: boolean;
  tabColor: string;
  readonly freezePanes: { freezeRows(count?: number): void };
  readonly pageLayout: RpPageLayout & { setPrintTitleRows(rows: any): void };
  readonly horizontalPageBreaks: { add(pageBreakRange: any): unknown };
  getRange(address?: string): RpRange;
  getRanges(address?: string): RpRangeAreas;
  activate(): void;
  delete(): void;
}

/** A request context whose worksheets are of type W (the report's and the new forms' renderers). */
export interface XlBookContext<W> {
  readonly workbook: {
    readonly worksheets: {
      load(props?: any): unknown;
      readonly items: W[];
      add(name?: string): W;
      getItem(key: string): W;
    };
    readonly names: {
      load(props?: any): unknown;
      readonly items: { readonly name: string; readonly formula: any }[];
      add(name: string, reference: any, comment?: string): unknown;
      getItem(name: string): { delete(): void };
    };
  };
  sync(): Promise<unknown>;
}

export type RpContext = XlBookContext<RpWorksheet>;

// ---------------------------------------------------------------------------------------------------

/** Thrown with a Chinese message when the report cannot be written where the spec says. */
export class ReportWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportWriteError';
  }
}

export interface ReportWriteResult {
  sheetName: string;
  /** The add-in's earlier report that was replaced, if any. */
  replaced: string | null;
  /** context.sync() calls made. */
  syncs: number;
  cells: number;
}

interface WorkbookState {
  sheets: string[];
  names: { name: string; ref: string }[];
  existing: ExistingSheet[];
}

function a1(r: number, c: number): string {
  return `${colName(c)}${r + 1}`;
}

function areaA1(r0: number, c0: number, r1: number, c1: number): string {
  const s = a1(r0, c0);
  const e = a1(r1, c1);
  return s === e ? s : `${s}:${e}`;
}

const hex = (rgb: string) => `#${rgb.toUpperCase()}`;

/** Queues the reads of the sheet names and the defined names (name, formula); the caller syncs. */
export function queueSheetsAndNames(context: XlBookContext<{ readonly name: string }>): () => { sheets: string[]; names: { name: string; ref: string }[] } {
  const sheets = context.workbook.worksheets;
  const names = context.workbook.names;
  sheets.load('items/name');
  names.load('items/name,items/formula');
  return () => ({
    sheets: sheets.items.map((s) => s.name),
    names: names.items.map((n) => ({ name: n.name, ref: String(n.formula ?? '') })),
  });
}

/**
 * Queues the reads of sheet names and defined names; the caller syncs. `notOurs`: marked sheets the last check
 * found not to read as a report (a stale marker on a user's sheet), never taken for the add-in's.
 */
function queueState(context: RpContext, notOurs: ReadonlySet<string> = new Set()) {
  const read = queueSheetsAndNames(context);
  return (): WorkbookState => {
    const { sheets, names } = read();
    const ours = new Set(addinSheetsFromNames(names).filter((n) => !notOurs.has(n)));
    return { sheets, names, existing: sheets.map((name) => ({ name, createdByAddin: ours.has(name) })) };
  };
}

/** The workbook's sheets and which of them the add-in wrote (one sync). */
export async function readExistingSheets(context: RpContext): Promise<ExistingSheet[]> {
  const read = queueState(context);
  await context.sync();
  return read().existing;
}

export function applyStyle(format: RpRangeFormat, st: ReportStyle, inside: { rows: boolean; cols: boolean }): void {
  format.font.name = st.font.name;
  format.font.size = st.font.size;
  format.font.bold = st.font.bold;
  format.font.italic = st.font.italic;
  format.font.underline = st.font.underline ? 'Single' : 'None';
  format.font.color = hex(st.font.color);
  if (st.fill) format.fill.color = hex(st.fill);
  format.horizontalAlignment = st.hAlign === 'center' ? 'Center' : st.hAlign === 'right' ? 'Right' : 'Left';
  format.verticalAlignment = st.vAlign === 'center' ? 'Center' : 'Top';
  format.wrapText = st.wrap;
  if (st.border) {
    // Inside borders only where every area has inner lines of that direction: never asked of a single
    // row or column (the in-memory host treats that as an error, to keep this renderer conservative).
    const edges = ['EdgeTop', 'EdgeBottom', 'EdgeLeft', 'EdgeRight'];
    if (inside.cols) edges.push('InsideVertical');
    if (inside.rows) edges.push('InsideHorizontal');
    for (const edge of edges) {
      const b = format.borders.getItem(edge);
      b.style = 'Continuous';
      b.weight = 'Thin';
      b.color = '#000000';
    }
  }
}

function queueConditionalFormat(ws: RpWorksheet, cf: ReportConditionalFormat): void {
  const range = ws.getRange(areaA1(cf.range.r0, cf.range.c0, cf.range.r1, cf.range.c1));
  if (cf.type === 'dataBar') {
    const f = range.conditionalFormats.add('DataBar');
    f.dataBar.lowerBoundRule = { type: 'Number', formula: String(cf.min) };
    f.dataBar.upperBoundRule = { type: 'Number', formula: String(cf.max) };
    f.dataBar.positiveFormat.fillColor = hex(cf.color);
    f.dataBar.positiveFormat.gradientFill = false;
    return;
  }
  const f = range.conditionalFormats.add('Custom');
  f.custom.rule.formula = `=${cf.formula}`;
  if (cf.font) {
    f.custom.format.font.color = hex(cf.font.color);
    if (cf.font.bold !== undefined) f.custom.format.font.bold = cf.font.bold;
  }
  if (cf.fill) f.custom.format.fill.color = hex(cf.fill);
}


/** A4, fit to one page wide (the height stays automatic: OOXML fitToHeight 0), margins, centred, footer. */
export function queuePageLayout(
  pl: RpPageLayout,
  p: { fitToWidth: number; centerHorizontally: boolean; footerCenter: string; margins: { left: number; right: number; top: number; bottom: number; header: number; footer: number } },
  orientation: 'Landscape' | 'Portrait',
): void {
  pl.orientation = orientation;
  pl.paperSize = 'A4';
  pl.zoom = { horizontalFitToPages: p.fitToWidth };
  pl.centerHorizontally = p.centerHorizontally;
  pl.leftMargin = p.margins.left * 72;
  pl.rightMargin = p.margins.right * 72;
  pl.topMargin = p.margins.top * 72;
  pl.bottomMargin = p.margins.bottom * 72;
  pl.headerMargin = p.margins.header * 72;
  pl.footerMargin = p.margins.footer * 72;
  pl.headersFooters.defaultForAllPages.centerFooter = p.footerCenter;
}

/**
 * Operations one request may carry besides the report's cell block. Office.js addresses every range it
 * touches by a path and keeps a reference to it (Excel.run tracks Ranges): about 450 bytes of request per
 * `getRange(…).merge()`, measured through Microsoft's client library, so 20,000 merges are 9 MB — over the
 * 5 MB Excel on the web accepts. A larger report is written in further syncs of this many operations.
 */
export const OPS_PER_SYNC = 6000;

/** Queues every write of the report; a report with more than OPS_PER_SYNC merges and links syncs between them. */
async function queueReport(context: RpContext, spec: ReportSpec, state: WorkbookState): Promise<number> {
  let extraSyncs = 0;
  let ops = 0;
  const tick = async () => {
    if (++ops % OPS_PER_SYNC === 0) {
      await context.sync();
      extraSyncs++;
    }
  };
  const wb = context.workbook;
  const problem = reportTargetProblem(spec, state.sheets, state.existing);
  if (problem) throw new ReportWriteError(problem);

  if (spec.replaces) wb.worksheets.getItem(spec.replaces).delete();
  if (state.names.some((n) => n.name === spec.marker.name)) wb.names.getItem(spec.marker.name).delete();

  const ws = wb.worksheets.add(spec.sheetName);
  ws.showGridlines = false;
  ws.tabColor = '#2F5597';

  // Column widths (points) and row heights (runs of equal height at once). A range's columnWidth and
  // rowHeight size its whole columns and rows.
  spec.columnWidths.forEach((w, c) => {
    ws.getRange(`${colName(c)}1`).format.columnWidth = columnWidthPoints(w);
  });
  for (const [r0, r1, h] of rowHeightRuns(spec.rowHeights)) ws.getRange(`A${r0 + 1}:A${r1 + 1}`).format.rowHeight = h;

  // Values and number formats in one block each; text is escaped so that it stays text.
  const rows = spec.rowCount;
  const cols = spec.colCount;
  const { values, formats } = cellMatrices(spec);
  // Never a non-finite number (Office.js would store it as an empty or #NUM! cell without saying so).
  for (const row of values) for (let i = 0; i < row.length; i++) if (!Number.isFinite(row[i]) && typeof row[i] === 'number') row[i] = '—';
  if (rows > 0 && cols > 0) {
    const all = ws.getRange(areaA1(0, 0, rows - 1, cols - 1));
    all.numberFormat = formats;
    all.values = values;
  }
  for (const m of spec.merges) {
    ws.getRange(areaA1(m.r0, m.c0, m.r1, m.c1)).merge(false);
    await tick();
  }

  // Internal hyperlinks (before the styles, so that the report's own link style wins).
  for (const c of spec.cells) {
    if (!c.link || typeof c.value !== 'string') continue;
    ws.getRange(a1(c.row, c.col)).hyperlink = {
      documentReference: c.link.ref,
      textToDisplay: c.value,
      screenTip: `转到 ${c.value}`,
    };
    await tick();
  }

  // Styles, one getRanges call per style and chunk of rectangles.
  for (const g of styleRectangles(spec.cells)) {
    const rects = g.rects.map((r) => areaA1(r.r0, r.c0, r.r1, r.c1));
    for (const list of joinAddressLists(rects, 4000)) applyStyle(ws.getRanges(list).format, spec.styles[g.style], g);
  }

  // Conditional formats: Office puts each new one on top, so add them last-first to keep the spec's order.
  for (let i = spec.conditionalFormats.length - 1; i >= 0; i--) queueConditionalFormat(ws, spec.conditionalFormats[i]);

  if (spec.freeze.rows > 0) ws.freezePanes.freezeRows(spec.freeze.rows);
  const p = spec.print;
  const pl = ws.pageLayout;
  queuePageLayout(pl, p, p.orientation === 'portrait' ? 'Portrait' : 'Landscape');
  if (p.titleRows) pl.setPrintTitleRows(`$${p.titleRows.first + 1}:$${p.titleRows.last + 1}`);
  for (const r of p.rowBreaks) ws.horizontalPageBreaks.add(`A${r + 1}`);

  wb.names.add(spec.marker.name, `=${spec.marker.ref}`, 'PerfSheet 绩效表格助手生成的报告工作表（请勿删除此名称）');
  ws.activate();
  return extraSyncs;
}

/**
 * Writes a ready spec: one sync to check the sheet names (the spec's target must still be free or the
 * add-in's own sheet), one to write: 2 syncs, and one more per OPS_PER_SYNC merges and links.
 */
export async function writeReportToExcel(context: RpContext, spec: ReportSpec): Promise<ReportWriteResult> {
  const read = queueState(context);
  await context.sync();
  const extra = await queueReport(context, spec, read());
  await context.sync();
  return { sheetName: spec.sheetName, replaced: spec.replaces, syncs: 2 + extra, cells: spec.cells.length };
}

/**
 * The task pane's 「生成报告」: reads the sheet list and markers, builds the spec from the engine's result,
 * and writes it: 2 syncs, and one more per OPS_PER_SYNC merges and links.
 */
export async function generateReportInExcel(
  context: RpContext,
  result: WorkbookResult,
  opts: Omit<ReportOptions, 'existingSheets'>,
  notOurs?: ReadonlySet<string>,
): Promise<ReportWriteResult & { spec: ReportSpec }> {
  return generateSpecInExcel(context, (existing) => buildReportSpec(result, { ...opts, existingSheets: existing }), notOurs);
}

/**
 * Reads the sheet list and markers, builds a report spec from them (the report, the 自评报告 draft) and
 * writes it. 2 syncs. `notOurs`: marked sheets the last check found to be the user's own (never replaced).
 */
export async function generateSpecInExcel(
  context: RpContext,
  build: (existing: ExistingSheet[]) => ReportSpec,
  notOurs?: ReadonlySet<string>,
): Promise<ReportWriteResult & { spec: ReportSpec }> {
  const read = queueState(context, notOurs);
  await context.sync();
  const state = read();
  const spec = build(state.existing);
  const extra = await queueReport(context, spec, state);
  await context.sync();
  return { sheetName: spec.sheetName, replaced: spec.replaces, syncs: 2 + extra, cells: spec.cells.length, spec };
}

// Compile-time proof that Office's own RequestContext fits the structural types above.
export const officeContextFits = (context: Excel.RequestContext): RpContext => context;
