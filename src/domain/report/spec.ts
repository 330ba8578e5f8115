/**
 * The report sheet as data: everything a renderer needs to draw the 「绩效自评报告」 / 「绩效目标审核」 sheet,
 * and nothing about how a particular host draws it. Rows and columns are 0-based; renderers add 1.
 *
 * Two renderers consume this spec: `src/xlsx/report.ts` (ExcelJS) and `src/excel/report.ts` (Office.js).
 * A test renders the same spec both ways and compares every cell's value, number format, merge and style.
 */
import type { Area } from '../grid';

/** Colours are 6-digit upper-case hex RGB without `#` (`C00000`). */
export type Rgb = string;

export interface ReportFont {
  name: string;
  /** Points. */
  size: number;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  color: Rgb;
}

export type HAlign = 'left' | 'center' | 'right';
export type VAlign = 'top' | 'center';

export interface ReportStyle {
  font: ReportFont;
  /** Solid background fill, or null for none. */
  fill: Rgb | null;
  /** Thin black border on all four sides of the cell (of every cell of a merged area). */
  border: boolean;
  hAlign: HAlign;
  vAlign: VAlign;
  wrap: boolean;
  /** Excel number format (`General`, `0.00`, `0.00%`, `0`). */
  numFmt: string;
}

/** The named styles a report uses. */
export type StyleName =
  | 'title'
  | 'meta'
  | 'section'
  | 'subsection'
  | 'header'
  | 'text'
  | 'textCenter'
  | 'int'
  | 'money'
  | 'rate'
  | 'score'
  | 'link'
  | 'totalLabel'
  | 'totalMoney'
  | 'totalRate'
  | 'totalScore'
  | 'totalInt'
  | 'paragraphLabel'
  | 'paragraph'
  | 'note'
  // The 自评报告 draft (src/domain/draft): prose without borders, a prompt, the third heading level.
  | 'partTitle'
  | 'minorsection'
  | 'prose'
  | 'prompt'
  | 'promptCell'
  | 'caption'
  | 'plainScore';

/** An internal hyperlink: jumps to `cell` on `sheet`. */
export interface ReportLink {
  sheet: string;
  /** A1 address (cell or range) on that sheet. */
  cell: string;
  /** The reference as Excel writes it (`'劳模体检'!I16`): Office.js documentReference, OOXML location. */
  ref: string;
}

/** Cell values are plain data: text is always text (renderers must never let it become a formula). */
export type ReportValue = string | number | null;

export interface ReportCell {
  row: number;
  col: number;
  value: ReportValue;
  style: StyleName;
  /** Size of the merged area anchored here (1 × 1 when not merged). */
  rowSpan: number;
  colSpan: number;
  link?: ReportLink;
}

export interface ConditionalFont {
  color: Rgb;
  bold?: boolean;
}

export type ReportConditionalFormat =
  | {
      type: 'dataBar';
      range: Area;
      /** Fixed bounds of the bar (numbers), e.g. 0 and 1 for a rate. */
      min: number;
      max: number;
      color: Rgb;
    }
  | {
      /** A formula rule: the format applies where `formula` is true. */
      type: 'expression';
      range: Area;
      /** Formula without `=`, written for the range's top-left cell (relative references move with it). */
      formula: string;
      font?: ConditionalFont;
      fill?: Rgb;
    };

export interface PrintSetup {
  paperSize: 'A4';
  /** The report and its tables: landscape; the 自评报告 draft (prose): portrait. */
  orientation: 'landscape' | 'portrait';
  /** Fit to this many pages wide, and as many pages tall as needed (0). */
  fitToWidth: 1;
  fitToHeight: 0;
  /** Rows repeated at the top of every printed page (0-based, inclusive), or null. */
  titleRows: { first: number; last: number } | null;
  /** Manual page breaks: a new page starts at each of these rows (0-based). */
  rowBreaks: number[];
  /** Margins in inches. */
  margins: { left: number; right: number; top: number; bottom: number; header: number; footer: number };
  centerHorizontally: boolean;
  /** Centre footer text with Excel's codes (`&P` page, `&N` pages). */
  footerCenter: string;
}

/** How the add-in recognises a sheet it wrote: a workbook-scoped defined name that refers to the sheet's A1. */
export interface ReportMarker {
  /** Defined name, e.g. `PerfSheet_SelfEvalReport`. */
  name: string;
  /** What it refers to, without `=` (e.g. `'绩效自评报告'!$A$1`). */
  ref: string;
}

export interface ReportSpec {
  version: 1;
  /**
   * `self-eval`: 绩效自评报告; `target`: 绩效目标审核 (workbook holds only target tables); `draft`: the
   * 绩效自评报告（草稿） written from the checked tables (src/domain/draft).
   */
  kind: 'self-eval' | 'target' | 'draft';
  /** Name of the sheet to write. */
  sheetName: string;
  /**
   * An existing sheet the add-in created earlier that this report replaces (same name as `sheetName`),
   * or null when the sheet is new. Renderers delete it first; they never delete anything else.
   */
  replaces: string | null;
  marker: ReportMarker;
  /** The report's title text (also in cell A1). */
  title: string;
  rowCount: number;
  colCount: number;
  /** Column widths in Excel character units, one per column. */
  columnWidths: number[];
  /** Row heights in points, one per row (every row has an explicit height). */
  rowHeights: number[];
  styles: Record<StyleName, ReportStyle>;
  /** Every written cell, row by row; a merged area is one cell with its span. */
  cells: ReportCell[];
  /** Every merged area (derived from the cells' spans). */
  merges: Area[];
  conditionalFormats: ReportConditionalFormat[];
  /** Frozen rows/columns at the top-left. */
  freeze: { rows: number; cols: number };
  print: PrintSetup;
}

/** The A1 reference Excel uses for a cell on a sheet, with the sheet name always quoted. */
export function sheetRef(sheet: string, cell: string): string {
  return `'${sheet.replace(/'/g, "''")}'!${cell}`;
}
