/**
 * ExcelJS renderer of the report spec (src/domain/report), and the one-call helper the CLI uses:
 * `addReportToXlsx(bytes, result, opts)` adds (or replaces) the report sheet in a copy of the package and
 * returns the new bytes, changing nothing else in the workbook.
 */
import ExcelJS from 'exceljs';
import { colName } from '../domain/grid';
import {
  buildReportSpec,
  ExistingSheet,
  isMarkerName,
  ReportConditionalFormat,
  ReportOptions,
  ReportSpec,
  ReportStyle,
  sheetOfReference,
} from '../domain/report';
import type { PrintSetup } from '../domain/report/spec';
import type { WorkbookResult } from '../domain/types';
import { readPackageGrid } from './grid-reader';
import { XlsxPackage } from './package';
import { addinSheetsOf, InputError } from './read';
import { graftSheet } from './package/graft';
import { OpcPackage } from './package/opc';
import { WorkbookXml } from './package/workbook';

const argb = (rgb: string) => `FF${rgb.toUpperCase()}`;

/** ExcelJS's view of a report style (font, fill, border, alignment, number format). */
export function excelJsStyle(st: ReportStyle): Partial<ExcelJS.Style> {
  const out: Partial<ExcelJS.Style> = {
    font: {
      name: st.font.name,
      size: st.font.size,
      bold: st.font.bold,
      italic: st.font.italic,
      underline: st.font.underline,
      color: { argb: argb(st.font.color) },
      charset: 134,
    },
    alignment: {
      horizontal: st.hAlign,
      vertical: st.vAlign === 'center' ? 'middle' : 'top',
      wrapText: st.wrap,
    },
    numFmt: st.numFmt,
  };
  if (st.fill) out.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(st.fill) } };
  if (st.border) {
    const thin: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF000000' } };
    out.border = { top: thin, left: thin, bottom: thin, right: thin };
  }
  return out;
}

function a1(r: number, c: number): string {
  return `${colName(c)}${r + 1}`;
}

function areaRef(a: { r0: number; c0: number; r1: number; c1: number }): string {
  const s = a1(a.r0, a.c0);
  const e = a1(a.r1, a.c1);
  return s === e ? s : `${s}:${e}`;
}

function conditionalRule(cf: ReportConditionalFormat, priority: number): ExcelJS.ConditionalFormattingRule {
  if (cf.type === 'dataBar') {
    return {
      type: 'dataBar',
      priority,
      minLength: 0,
      maxLength: 100,
      gradient: false,
      border: false,
      showValue: true,
      cfvo: [
        { type: 'num', value: cf.min },
        { type: 'num', value: cf.max },
      ],
      color: { argb: argb(cf.color) },
    } as unknown as ExcelJS.ConditionalFormattingRule;
  }
  const style: Partial<ExcelJS.Style> = {};
  if (cf.font) style.font = { color: { argb: argb(cf.font.color) }, bold: cf.font.bold };
  if (cf.fill) style.fill = { type: 'pattern', pattern: 'solid', bgColor: { argb: argb(cf.fill) } };
  return { type: 'expression', priority, formulae: [cf.formula], style } as ExcelJS.ConditionalFormattingRule;
}

/** The sheets of a loaded workbook, each with whether the add-in wrote it (by its marker name). */
export function existingSheetsOf(wb: ExcelJS.Workbook): ExistingSheet[] {
  const ours = addinSheetsOf(wb);
  return wb.worksheets.map((ws) => ({ name: ws.name, createdByAddin: ours.has(ws.name) }));
}

/**
 * ExcelJS writes every hyperlink with an external relationship, which breaks internal links
 * (`'Sheet'!A1`) in Excel (exceljs#749, #1676, #3027). Internal links need only the `location`
 * attribute: this renders them so, and drops their relationships. Applied once, on first use.
 */
let internalLinksPatched = false;
function patchInternalHyperlinks(): void {
  if (internalLinksPatched) return;
  internalLinksPatched = true;
  try {
    /* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
    const HyperlinkXform = require('exceljs/lib/xlsx/xform/sheet/hyperlink-xform');
    const WorksheetXform = require('exceljs/lib/xlsx/xform/sheet/worksheet-xform');
    // `'Sheet'!A1` (quotes doubled inside, `!` allowed) or `Sheet!A1:B2` (what the report writes); `#…`
    // targets are left to ExcelJS as before.
    const internal = (target: unknown) =>
      typeof target === 'string' && /^(?:'(?:[^']|'')+'|[^'!#][^'!]*)![$A-Za-z]+[$\d]+(:[$A-Za-z]+[$\d]+)?$/.test(target);
    const render = HyperlinkXform.prototype.render;
    HyperlinkXform.prototype.render = function (xmlStream: any, model: any) {
      if (internal(model.target)) {
        xmlStream.leafNode('hyperlink', { ref: model.address, location: model.target, tooltip: model.tooltip, display: model.display });
        return;
      }
      render.call(this, xmlStream, model);
    };
    const prepare = WorksheetXform.prototype.prepare;
    WorksheetXform.prototype.prepare = function (model: any, options: any) {
      prepare.call(this, model, options);
      if (Array.isArray(model.rels)) {
        model.rels = model.rels.filter((r: any) => !(r.TargetMode === 'External' && internal(r.Target)));
      }
    };
    /* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
  } catch {
    // A different ExcelJS build (browser bundle): links are written as ExcelJS does by default.
  }
}

/**
 * Draws the report into an ExcelJS workbook: deletes `spec.replaces` (the add-in's earlier report) if
 * present, adds the sheet, and points the marker name at it.
 */
export function renderReportToExcelJS(wb: ExcelJS.Workbook, spec: ReportSpec): ExcelJS.Worksheet {
  patchInternalHyperlinks();
  if (spec.replaces) {
    const old = wb.getWorksheet(spec.replaces);
    if (old) wb.removeWorksheet(old.id);
  }
  if (wb.getWorksheet(spec.sheetName)) {
    throw new Error(`工作表“${spec.sheetName}”已存在且不是本插件生成的，不能覆盖。`);
  }
  // Drop stale markers (pointing at a deleted or replaced sheet) and add ours.
  const model = (wb.definedNames.model as { name: string; ranges: string[] }[]).filter((dn) => {
    if (!isMarkerName(dn.name)) return true;
    if (dn.name === spec.marker.name) return false;
    const sheet = dn.ranges.length ? sheetOfReference(dn.ranges[0]) : null;
    return sheet !== null && wb.getWorksheet(sheet) !== undefined;
  });
  wb.definedNames.model = model;

  const ws = wb.addWorksheet(spec.sheetName, {
    properties: { tabColor: { argb: 'FF2F5597' }, defaultRowHeight: 15 },
    views: [{ state: 'frozen', xSplit: spec.freeze.cols, ySplit: spec.freeze.rows, showGridLines: false }],
  });
  wb.definedNames.add(spec.marker.ref, spec.marker.name);

  spec.columnWidths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  spec.rowHeights.forEach((h, i) => {
    ws.getRow(i + 1).height = h;
  });

  const styles = new Map<string, Partial<ExcelJS.Style>>();
  const styleOf = (name: keyof ReportSpec['styles']) => {
    let s = styles.get(name);
    if (!s) styles.set(name, (s = excelJsStyle(spec.styles[name])));
    return s;
  };
  for (const c of spec.cells) {
    const style = styleOf(c.style);
    // Style every cell of a merged area (borders of the right and bottom edges live on those cells).
    for (let r = c.row; r < c.row + c.rowSpan; r++) {
      for (let k = c.col; k < c.col + c.colSpan; k++) {
        ws.getCell(r + 1, k + 1).style = style;
      }
    }
    const cell = ws.getCell(c.row + 1, c.col + 1);
    if (c.link && typeof c.value === 'string') {
      cell.value = { text: c.value, hyperlink: c.link.ref, tooltip: `转到 ${c.value}` };
    } else if (typeof c.value === 'number' && !Number.isFinite(c.value)) {
      // Never `<v>Infinity</v>` or `<v>NaN</v>`: no application reads them back as the number.
      cell.value = '—';
    } else {
      // Strings are written as strings (shared strings): Excel never reads them as formulas.
      cell.value = c.value;
    }
  }
  mergeAll(ws, spec.merges);

  spec.conditionalFormats.forEach((cf, i) => {
    ws.addConditionalFormatting({ ref: areaRef(cf.range), rules: [conditionalRule(cf, i + 1)] });
  });

  const p = spec.print;
  applyPrintSetup(ws, p);
  for (const r of p.rowBreaks) {
    // ExcelJS puts a break after the row it is called on.
    if (r > 0) ws.getRow(r).addPageBreak();
  }
  return ws;
}

/** A4 page setup of a sheet the add-in writes (the report, a new form): fit to width, margins, footer, title rows. */
export function applyPrintSetup(
  ws: ExcelJS.Worksheet,
  p: Omit<PrintSetup, 'orientation' | 'rowBreaks' | 'titleRows'> & {
    orientation: 'landscape' | 'portrait';
    titleRows?: PrintSetup['titleRows'];
  },
): void {
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9, // A4
    orientation: p.orientation,
    fitToPage: true,
    fitToWidth: p.fitToWidth,
    fitToHeight: p.fitToHeight,
    horizontalCentered: p.centerHorizontally,
    margins: p.margins,
    printTitlesRow: p.titleRows ? `${p.titleRows.first + 1}:${p.titleRows.last + 1}` : undefined,
  };
  ws.headerFooter = { ...ws.headerFooter, oddFooter: `&C${p.footerCenter}` };
}

/**
 * Merges the spec's areas. ExcelJS's mergeCells checks each new area against every existing one (quadratic:
 * ~50 s for the 20,000 merges of a 200-table report); the spec's merges are disjoint by construction (and by
 * test) and the sheet is new, so after the first area the same bookkeeping is done without the check.
 */
type RangeCtor = new (top: number, left: number, bottom: number, right: number) => unknown;
let RangeClass: RangeCtor | null = null;

export function mergeAll(ws: ExcelJS.Worksheet, merges: readonly { r0: number; c0: number; r1: number; c1: number }[]): void {
  const internal = ws as unknown as { _merges?: Record<string, unknown> };
  for (const m of merges) {
    const Range = RangeClass;
    if (!Range || !internal._merges) {
      ws.mergeCells(m.r0 + 1, m.c0 + 1, m.r1 + 1, m.c1 + 1);
      const made = internal._merges?.[ws.getCell(m.r0 + 1, m.c0 + 1).address];
      if (made && typeof made === 'object') RangeClass = (made as object).constructor as RangeCtor;
      continue;
    }
    const master = ws.getCell(m.r0 + 1, m.c0 + 1);
    for (let r = m.r0; r <= m.r1; r++) {
      for (let c = m.c0; c <= m.c1; c++) if (r > m.r0 || c > m.c0) ws.getCell(r + 1, c + 1).merge(master);
    }
    internal._merges[master.address] = new Range(m.r0 + 1, m.c0 + 1, m.r1 + 1, m.c1 + 1);
  }
}

/** The report options without the sheet list (taken from the workbook itself). */
export type AddReportOptions = Omit<ReportOptions, 'existingSheets'>;

/**
 * Adds the report sheet for `result` to a copy of the xlsx/xlsm package and returns the copy's bytes.
 *
 * The report is rendered by ExcelJS into a scratch workbook and grafted into the user's package (see
 * package/graft.ts): only new parts and entries are added (the sheet, its content type, relationship,
 * `<sheet>` entry, defined names, appended styles); every existing part and cell stays as it was. Only the
 * add-in's own earlier report is replaced; a workbook whose structure is protected is refused.
 */
export async function addReportToXlsx(
  bytes: ArrayBuffer | Uint8Array,
  result: WorkbookResult,
  opts: AddReportOptions,
): Promise<Uint8Array> {
  return addSpecSheetToXlsx(bytes, opts.fileName ?? result.fileName ?? '工作簿', (existingSheets) =>
    buildReportSpec(result, { ...opts, existingSheets }),
  );
}

/**
 * Adds the sheet of a report spec (the report, the 自评报告 draft) to a copy of the package, grafted as
 * addReportToXlsx describes; `build` makes the spec from the workbook's sheets.
 */
export async function addSpecSheetToXlsx(
  bytes: ArrayBuffer | Uint8Array,
  fileName: string,
  build: (existingSheets: ExistingSheet[]) => ReportSpec,
): Promise<Uint8Array> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const pkg = await OpcPackage.load(data, fileName);
  const wb = await WorkbookXml.load(pkg, fileName);
  if (wb.structureLocked()) {
    throw new InputError(`${fileName}：工作簿结构受保护，不能添加报告工作表（原文件未改动）。请先在 Excel 中撤销工作簿保护后重试。`);
  }
  const sheetNames = wb.sheets().map((s) => s.name);
  // The add-in's own reports: marked by name and reading as a report (never a user's sheet of that name).
  const read = await readPackageGrid(await XlsxPackage.open(data, fileName), fileName, true);
  const ours = new Set(read.sheets.filter((s) => s.addin || s.ownDraft).map((s) => s.name));
  const existingSheets = sheetNames.map((name) => ({ name, createdByAddin: ours.has(name) }));
  const spec = build(existingSheets);

  const scratch = new ExcelJS.Workbook();
  renderReportToExcelJS(scratch, spec);
  const scratchBytes = new Uint8Array((await scratch.xlsx.writeBuffer()) as ArrayBuffer);
  await graftSheet(pkg, wb, scratchBytes, {
    sheetName: spec.sheetName,
    replaces: spec.replaces,
    // A marker of an earlier report whose sheet is gone (or is the one being replaced) is dropped.
    dropName: (n) => {
      if (!isMarkerName(n.name)) return false;
      const sheet = sheetOfReference(n.ref);
      // Also a marker left pointing at a sheet that is not the add-in's (the new report takes the name).
      return sheet === null || !sheetNames.includes(sheet) || sheet === spec.replaces || !ours.has(sheet);
    },
  });
  return pkg.save();
}
