/**
 * The part of WPS 表格's JavaScript object model (the ET "JSA" API a WPS 加载项 gets as `window.Application`
 * or `wps.EtApplication()`) that PerfSheet uses, as structural types.
 *
 * The object model follows Excel's VBA one, with WPS's JavaScript conventions:
 * - collections are 1-based (`Worksheets.Item(1)`), as are `Row` and `Column`;
 * - properties that take arguments are methods (`Range.Address()`, `Worksheet.Range('A1')`);
 * - `Value2` of one cell is a scalar (number, string, boolean, or undefined when empty); of several cells
 *   it is an array of rows, each an array of cells (JavaScript arrays, 0-based), in row-major order;
 * - dates are serial numbers in `Value2` (never Date objects);
 * - `NumberFormat` of several cells is their format when they share one, else null; `MergeCells` of
 *   several cells is true (all merged), false (none) or null (some);
 * - an error value (`#REF!`) reads as an error code number in `Value2` (indistinguishable from a number),
 *   so error cells are found with `SpecialCells(…, xlErrors)` and read through `Text`;
 * - colours are BGR longs (`RGB(r, g, b)` = r + g·256 + b·65536), not hex strings;
 * - `SpecialCells` throws when no cell qualifies (VBA's error 1004); `Find` returns null when nothing is found;
 * - events are registered with `Application.ApiEvent.AddApiEventListener(name, handler)`: `SheetChange`
 *   and `SheetSelectionChange` call `handler(sheet, target)`.
 *
 * Every property read, property write and method call crosses into the WPS process one by one: the adapter
 * (src/wps) reads whole ranges in one call each and counts its calls; the in-memory host (src/wps-sim)
 * implements these types and counts every call the same way.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

/** XlCellType / XlSpecialCellsValue */
export const xlCellTypeFormulas = -4123;
export const xlCellTypeConstants = 2;
export const xlErrors = 16;
/** XlFindLookIn / XlLookAt / XlSearchOrder / XlSearchDirection */
export const xlFormulas = -4123;
export const xlValues = -4163;
export const xlPart = 2;
export const xlWhole = 1;
export const xlByRows = 1;
export const xlNext = 1;
/** XlFormatConditionType */
export const xlExpression = 2;
export const xlDatabar = 4;
/** XlHAlign / XlVAlign */
export const xlHAlignLeft = -4131;
export const xlHAlignCenter = -4108;
export const xlHAlignRight = -4152;
export const xlVAlignTop = -4160;
export const xlVAlignCenter = -4108;
/** XlLineStyle / XlBorderWeight */
export const xlContinuous = 1;
export const xlLineStyleNone = -4142;
export const xlThin = 2;
/** XlBordersIndex: left, top, bottom, right */
export const xlEdges = [7, 8, 9, 10] as const;
/** XlUnderlineStyle */
export const xlUnderlineStyleNone = -4142;
export const xlUnderlineStyleSingle = 2;
/** XlDVType / XlDVAlertStyle / XlFormatConditionOperator */
export const xlValidateInputOnly = 0;
export const xlValidateWholeNumber = 1;
export const xlValidateDecimal = 2;
export const xlValidateList = 3;
export const xlValidAlertStop = 1;
export const xlValidAlertWarning = 2;
export const xlValidAlertInformation = 3;
export const xlBetween = 1;
export const xlGreaterEqual = 7;
/** XlSheetVisibility */
export const xlSheetVisible = -1;
export const xlSheetHidden = 0;
/** XlPageOrientation / XlPaperSize */
export const xlPortrait = 1;
export const xlLandscape = 2;
export const xlPaperA4 = 9;

/** `RGB(r, g, b)` as WPS (and VBA) stores colours. */
export function bgr(hex: string): number {
  const h = hex.replace(/^#/, '');
  const r = parseInt(h.slice(0, 2), 16);
  const g = parseInt(h.slice(2, 4), 16);
  const b = parseInt(h.slice(4, 6), 16);
  return r + g * 256 + b * 65536;
}

/** The hex RGB (`C00000`) of a WPS colour long. */
export function hexOfBgr(n: number): string {
  const r = n & 0xff;
  const g = (n >> 8) & 0xff;
  const b = (n >> 16) & 0xff;
  return [r, g, b]
    .map((x) => x.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

export interface WpsApplication {
  readonly ActiveWorkbook: WpsWorkbook | null;
  readonly ActiveSheet: WpsWorksheet | null;
  /** WPS's build number (`Build` is a Long, as in Excel's object model and Kingsoft's typings), e.g. 16250. */
  readonly Build: number;
  readonly ApiEvent: WpsApiEvent;
  /** The format `Range.Find(…, SearchFormat = true)` looks for. */
  readonly FindFormat: WpsCellFormat;
  /** Off while PerfSheet writes, so that its own writes raise no SheetChange (restored after). */
  EnableEvents: boolean;
  /** A Boolean in Excel's object model; Kingsoft's typings say number (a COM VARIANT_BOOL): either is read. */
  ScreenUpdating: boolean | number;
  /**
   * Off while PerfSheet deletes its own old report sheet (no confirmation dialog); absent on hosts without it.
   * A Boolean in Excel's model, a number in Kingsoft's typings: PerfSheet writes false and restores what it read.
   */
  DisplayAlerts?: boolean | number;
  /** The active sheet's window: frozen panes are set on it (the sheet must be active). */
  readonly ActiveWindow: { SplitRow: number; SplitColumn: number; FreezePanes: boolean; DisplayGridlines?: boolean };
  /** Task panes and the ribbon (used by the add-in's entry page, src/wps/addin.ts). */
  CreateTaskPane?(url: string, title?: string): WpsTaskPane;
  GetTaskPane?(id: number | string): WpsTaskPane;
  readonly PluginStorage?: { getItem(key: string): any; setItem(key: string, value: any): void };
}

export interface WpsTaskPane {
  readonly ID: number | string;
  Visible: boolean;
  DockPosition: number;
  Width?: number;
}

/** The WPS 表格 events Kingsoft's typings list for `ApiEvent.AddApiEventListener` (src/wps/typings.ts checks). */
export type EtEventName =
  | 'WorkbookOpen'
  | 'NewWorkbook'
  | 'WorkbookBeforeSave'
  | 'WorkbookAfterSave'
  | 'WorkbookBeforeClose'
  | 'SheetSelectionChange'
  | 'SheetChange'
  | 'SheetActivate'
  | 'WindowActivate'
  | 'WindowDeactivate';

/** The event service. (Its `RemoveApiEventListener` takes only the name in the typings; PerfSheet never removes.) */
export interface WpsApiEvent {
  AddApiEventListener(event: EtEventName, handler: (...args: any[]) => void): void;
}

export interface WpsCellFormat {
  MergeCells: boolean | null;
  Clear(): void;
}

export interface WpsWorkbook {
  readonly Name: string;
  readonly FullName: string;
  readonly Worksheets: WpsSheets;
  readonly Names: WpsNames;
  /** Structure protection: sheets cannot be added, deleted, renamed or hidden. */
  readonly ProtectStructure: boolean;
}

export interface WpsSheets {
  readonly Count: number;
  /** 1-based index or sheet name. Throws for an unknown name. */
  Item(index: number | string): WpsWorksheet;
  /** Adds a worksheet after `after` (or before `before`); the new sheet becomes active. */
  Add(before?: WpsWorksheet, after?: WpsWorksheet, count?: number): WpsWorksheet;
}

export interface WpsNames {
  readonly Count: number;
  Item(index: number | string): WpsName;
  /** `refersTo` is a formula with `=`: `=Sheet1!$A$1` or a constant such as `="hebei"`. */
  Add(name: string, refersTo: string, visible?: boolean): WpsName;
}

export interface WpsName {
  readonly Name: string;
  readonly RefersTo: string;
  Visible: boolean;
  Delete(): void;
}

export interface WpsWorksheet {
  Name: string;
  /** 1-based position among the sheets. */
  readonly Index: number;
  /** The smallest range holding every cell with content or format (may start below/right of A1). */
  readonly UsedRange: WpsRange;
  readonly Cells: WpsRange;
  /** An A1 address (`B7`, `A1:J19`, or areas joined by commas: `A1,C3:D4`). */
  Range(address: string): WpsRange;
  /** True when the sheet's cells are protected (writes to locked cells fail). */
  /** A Boolean in Excel's object model, a number in Kingsoft's typings: read for its truth. */
  readonly ProtectContents: boolean | number;
  Visible: number;
  Activate(): void;
  Delete(): void;
  readonly PageSetup: WpsPageSetup;
  /** The sheet tab (its colour, a BGR long). */
  readonly Tab: { Color: number };
  readonly HPageBreaks: { Add(before: WpsRange): unknown };
}

export interface WpsPageSetup {
  Orientation: number;
  PaperSize: number;
  Zoom: number | boolean;
  FitToPagesWide: number | boolean;
  FitToPagesTall: number | boolean;
  PrintTitleRows: string;
  LeftMargin: number;
  RightMargin: number;
  TopMargin: number;
  BottomMargin: number;
  HeaderMargin: number;
  FooterMargin: number;
  CenterHorizontally: boolean;
  CenterFooter: string;
}

export interface WpsAreas {
  readonly Count: number;
  Item(index: number): WpsRange;
}

export interface WpsFont {
  Name: string;
  Size: number;
  Bold: boolean;
  Italic: boolean;
  Underline: number;
  Color: number;
}

export interface WpsBorder {
  LineStyle: number;
  Weight: number;
  Color: number;
}

export interface WpsFormatCondition {
  readonly Type: number;
  /** The rule's formula, with `=`. */
  readonly Formula1: string;
  readonly Interior: { Color: number };
  readonly Font: { Color: number; Bold: boolean };
  readonly AppliesTo: WpsRange;
  Delete(): void;
}

export interface WpsDatabar {
  readonly BarColor: { Color: number };
  readonly MinPoint: { Modify(type: number, value?: number): void };
  readonly MaxPoint: { Modify(type: number, value?: number): void };
}

export interface WpsFormatConditions {
  readonly Count: number;
  Item(index: number): WpsFormatCondition;
  Add(type: number, operator?: number, formula1?: string, formula2?: string): WpsFormatCondition;
  AddDatabar(): WpsDatabar;
}

export interface WpsValidation {
  Add(type: number, alertStyle?: number, operator?: number, formula1?: string, formula2?: string): void;
  Delete(): void;
  IgnoreBlank: boolean;
  InCellDropdown: boolean;
  InputTitle: string;
  InputMessage: string;
  ErrorTitle: string;
  ErrorMessage: string;
  ShowInput: boolean;
  ShowError: boolean;
}

export interface WpsRange {
  /** Values: a scalar for one cell, rows of cells for several (see the header). Writable with the same shapes. */
  Value2: any;
  /** Formulas (`=SUM(B2:B9)`) and constants as text; same shapes as Value2. */
  Formula: any;
  /** The format when every cell shares it, else null. */
  NumberFormat: string | null;
  /** What one cell shows (`#REF!`, `95.00%`). */
  readonly Text: string;
  /** 1-based row and column of the top-left cell. */
  readonly Row: number;
  readonly Column: number;
  readonly Rows: { readonly Count: number };
  readonly Columns: { readonly Count: number };
  /** `$A$1:$B$2`, areas joined by commas. */
  Address(rowAbsolute?: boolean, columnAbsolute?: boolean): string;
  readonly Areas: WpsAreas;
  /** True when every cell is in a merged area, false when none is, null when some are. */
  readonly MergeCells: boolean | null;
  /** The merged area holding this (one) cell, or the cell itself. */
  readonly MergeArea: WpsRange;
  /** True when every cell holds a formula, false when none does, null when some do. */
  readonly HasFormula: boolean | null;
  Merge(): void;
  UnMerge(): void;
  /**
   * Excel's Find: the first match after `after` in row order, or null. With `searchFormat` true it matches
   * cells with `Application.FindFormat` (a merged area matches once, at its top-left cell).
   */
  Find(
    what: string,
    after?: WpsRange,
    lookIn?: number,
    lookAt?: number,
    searchOrder?: number,
    searchDirection?: number,
    matchCase?: boolean,
    matchByte?: boolean,
    searchFormat?: boolean,
  ): WpsRange | null;
  /** The next match of the last Find after `after`, wrapping around to the first. */
  FindNext(after?: WpsRange): WpsRange | null;
  /** Throws when no cell qualifies. */
  SpecialCells(type: number, value?: number): WpsRange;
  readonly FormatConditions: WpsFormatConditions;
  readonly Font: WpsFont;
  readonly Interior: { Color: number; Pattern: number };
  readonly Borders: { Item(index: number): WpsBorder; LineStyle: number; Weight: number; Color: number };
  HorizontalAlignment: number;
  VerticalAlignment: number;
  WrapText: boolean;
  /** Width of the range's columns in characters (writing sets every column of the range). */
  ColumnWidth: number;
  /** Height of the range's rows in points (writing sets every row of the range). */
  RowHeight: number;
  readonly Hyperlinks: {
    Add(anchor: WpsRange, address: string, subAddress?: string, screenTip?: string, textToDisplay?: string): unknown;
  };
  readonly Validation: WpsValidation;
  readonly Worksheet: WpsWorksheet;
  Select(): void;
  Activate(): void;
  ClearContents(): void;
}
