/**
 * A new form as data: everything a renderer needs to draw a 项目支出绩效目标表, 项目支出绩效自评表 or 部门整体支出
 * 绩效自评表 on a new sheet — cells, merges, styles, Excel data validations, the hidden list sheet and the
 * defined names its dropdowns use, and print setup — and nothing about how a host draws it. Rows and columns
 * are 0-based; renderers add 1.
 *
 * Two renderers consume this spec: `src/xlsx/template.ts` (ExcelJS, files) and `src/excel/template.ts`
 * (Office.js, the task pane).
 */
import type { Area } from '../grid';
import type { ReportStyle } from '../report/spec';

export type TemplateKind = 'target' | 'self-eval' | 'dept-self-eval';

export const TEMPLATE_KINDS: readonly TemplateKind[] = ['target', 'self-eval', 'dept-self-eval'];

/** The official titles, also the default sheet names. */
export const TEMPLATE_TITLES: Record<TemplateKind, string> = {
  target: '项目支出绩效目标表',
  'self-eval': '项目支出绩效自评表',
  'dept-self-eval': '部门整体支出绩效自评表',
};

export type TemplateStyleName =
  | 'title'
  | 'subtitle'
  | 'unitNote'
  | 'label'
  | 'header'
  | 'input'
  | 'inputCenter'
  | 'money'
  | 'percent'
  | 'weight'
  | 'score'
  | 'totalLabel'
  | 'totalScore';

export type TemplateValue = string | number | null;

export interface TemplateCell {
  row: number;
  col: number;
  value: TemplateValue;
  /** A formula (without `=`) with the value it computes to on the blank form (written as its cached result). */
  formula?: string;
  style: TemplateStyleName;
  rowSpan: number;
  colSpan: number;
}

/** Excel data validation on an area. Formulas are written without `=` and for the area's top-left cell. */
export type TemplateValidation =
  | {
      type: 'list';
      range: Area;
      /** The list: a defined name or a formula returning a range (`INDIRECT(…)`). */
      source: string;
      /** `warning` lets the user keep a value that is not in the list after a question; `stop` refuses it. */
      errorStyle: 'stop' | 'warning';
      errorTitle: string;
      error: string;
      promptTitle?: string;
      prompt?: string;
    }
  | {
      type: 'decimal';
      range: Area;
      min: number;
      /** null: no upper bound (`≥ min`). */
      max: number | null;
      errorTitle: string;
      error: string;
      promptTitle?: string;
      prompt?: string;
    }
  | {
      /** Any value: only an input message shown when the cell is selected. */
      type: 'any';
      range: Area;
      promptTitle: string;
      prompt: string;
    };

export interface DefinedName {
  name: string;
  /** What it refers to, without `=` (`'指标名称列表'!$A$1:$A$4`). */
  ref: string;
}

/**
 * The hidden sheet holding the dropdown lists: column A the profile's 一级 names, column B + i the standard
 * 二级 names of the i-th 一级. Shared by every template of the workbook (same names, same content per
 * profile tree); the renderers create it once and rewrite it when it is the add-in's own.
 */
export interface ListSheetSpec {
  sheetName: string;
  /** columns[c][r]: the value of row r of column c. */
  columns: string[][];
  /** PerfSheet_L1 (the 一级 list), PerfSheet_L2_1 … (each 一级's 二级 list), and the sheet's marker. */
  names: DefinedName[];
  /** Defined name whose reference marks the sheet as the add-in's (`PerfSheet_Lists` → `'…'!$A$1`). */
  marker: DefinedName;
}

export interface TemplatePrint {
  paperSize: 'A4';
  orientation: 'portrait';
  fitToWidth: 1;
  fitToHeight: 0;
  /** Margins in inches. */
  margins: { left: number; right: number; top: number; bottom: number; header: number; footer: number };
  centerHorizontally: boolean;
  footerCenter: string;
}

/** Where the form's parts are (0-based), for tests and for callers that fill a template. */
export interface TemplateLayout {
  headerRow: number;
  firstIndicatorRow: number;
  lastIndicatorRow: number;
  cols: {
    level1: number;
    level2: number;
    level3: number;
    desc: number | null;
    target: number;
    actual: number | null;
    weight: number | null;
    score: number | null;
    deviation: number | null;
  };
  /** The 总分 row (self-evaluations). */
  totalRow: number | null;
}

export interface TemplateSpec {
  version: 1;
  kind: TemplateKind;
  sheetName: string;
  title: string;
  profile: string;
  year: number | null;
  rowCount: number;
  colCount: number;
  /** Excel character units, one per column. */
  columnWidths: number[];
  /** Points, one per row. */
  rowHeights: number[];
  styles: Record<TemplateStyleName, ReportStyle>;
  /** Every written cell; a merged area is one cell with its span. */
  cells: TemplateCell[];
  merges: Area[];
  validations: TemplateValidation[];
  lists: ListSheetSpec;
  print: TemplatePrint;
  layout: TemplateLayout;
}
