/**
 * The part of the Excel JavaScript API that PerfSheet uses, as structural types.
 *
 * The adapter is written against these interfaces only. Office's own classes (`Excel.RequestContext`,
 * `Excel.Range`, …) satisfy them — `office-host.ts` passes the real `Excel.RequestContext` where an
 * `XlContext` is expected, so `npm run typecheck` proves the fit — and so does the in-memory host in
 * `src/excel-sim`, which is what the tests and the browser preview run on.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface XlLoadable {
  load(propertyNames?: string | string[]): unknown;
}

export interface XlContext {
  readonly workbook: XlWorkbook;
  sync(): Promise<unknown>;
}

export interface XlWorkbook {
  readonly worksheets: XlWorksheetCollection;
  readonly settings: XlSettingCollection;
  /** Workbook-scoped defined names (the report sheet's marker lives here). */
  readonly names: XlNamedItemCollection;
}

export interface XlNamedItemCollection extends XlLoadable {
  readonly items: { readonly name: string; readonly formula: any }[];
  /** `reference` may be a range or a formula such as a text constant (`="hebei"`). */
  add(name: string, reference: string): { visible: boolean };
  getItem(name: string): { delete(): void };
}

export type XlTriggerSource = 'Unknown' | 'ThisLocalAddin' | string;

export interface XlWorksheetChangedEventArgs {
  /** Address of the changed range on its sheet, without the sheet name (e.g. `F16` or `A5:J5`). */
  readonly address: string;
  readonly changeType: string;
  readonly source: string;
  readonly triggerSource?: XlTriggerSource;
  readonly worksheetId: string;
  readonly type: string;
}

/** A sheet became the active one (a sheet-tab click). */
export interface XlWorksheetActivatedEventArgs {
  readonly worksheetId: string;
  readonly type: string;
}

export interface XlWorksheetSelectionChangedEventArgs {
  /** The selected range on its sheet, without the sheet name (e.g. `I16` or `A5:J5`). */
  readonly address: string;
  readonly worksheetId: string;
  readonly type: string;
}

export interface XlEventHandlerResult {
  remove(): void;
}

export interface XlEventHandlers<T> {
  add(handler: (args: T) => Promise<any>): XlEventHandlerResult;
}

export interface XlWorksheetCollection extends XlLoadable {
  readonly items: XlWorksheet[];
  getItem(key: string): XlWorksheet;
  getItemOrNullObject(key: string): XlWorksheet;
  getActiveWorksheet(): XlWorksheet;
  readonly onChanged: XlEventHandlers<XlWorksheetChangedEventArgs>;
  /** ExcelApi 1.9: the selection moved on any sheet. */
  readonly onSelectionChanged: XlEventHandlers<XlWorksheetSelectionChangedEventArgs>;
  /** A sheet-tab click (ExcelApi 1.7); the pane's selection card follows the sheet. */
  readonly onActivated?: XlEventHandlers<XlWorksheetActivatedEventArgs>;
}

export interface XlWorksheetProtection extends XlLoadable {
  readonly protected: boolean;
}

export interface XlWorksheet extends XlLoadable {
  readonly name: string;
  readonly id: string;
  readonly isNullObject: boolean;
  /** ExcelApi 1.2: writes to a protected sheet's locked cells or formats fail with AccessDenied. */
  readonly protection: XlWorksheetProtection;
  activate(): void;
  getRange(address?: string): XlRange;
  getRanges(address?: string): XlRangeAreas;
  getUsedRangeOrNullObject(valuesOnly?: boolean): XlRange;
  findAllOrNullObject(text: string, criteria: { completeMatch?: boolean; matchCase?: boolean }): XlRangeAreas;
}

export interface XlRange extends XlLoadable {
  readonly address: string;
  readonly rowIndex: number;
  readonly columnIndex: number;
  readonly rowCount: number;
  readonly columnCount: number;
  readonly isNullObject: boolean;
  values: any[][];
  numberFormat: any[][];
  formulas: any[][];
  readonly conditionalFormats: XlConditionalFormatCollection;
  getMergedAreasOrNullObject(): XlRangeAreas;
  /** ExcelApi 1.9: the cells of a kind (PerfSheet asks for `Formulas`); a null object when there are none. */
  getSpecialCellsOrNullObject(cellType: 'Formulas'): XlRangeAreas;
  select(): void;
}

export interface XlRangeAreas extends XlLoadable {
  /** Comma-separated list of `Sheet!A1:B2` addresses. */
  readonly address: string;
  readonly areaCount: number;
  readonly isNullObject: boolean;
  readonly conditionalFormats: XlConditionalFormatCollection;
}

export interface XlConditionalFormatCollection extends XlLoadable {
  readonly items: XlConditionalFormat[];
  add(type: 'Custom'): XlConditionalFormat;
  getItem(id: string): XlConditionalFormat;
}

export interface XlConditionalFormat extends XlLoadable {
  readonly id: string;
  readonly type: string;
  priority: number;
  stopIfTrue: boolean;
  readonly custom: XlCustomConditionalFormat;
  readonly customOrNullObject: XlCustomConditionalFormat;
  delete(): void;
}

export interface XlCustomConditionalFormat extends XlLoadable {
  readonly isNullObject: boolean;
  readonly rule: { formula: string };
  readonly format: { readonly fill: { color: string }; readonly font: { color: string } };
}

export interface XlSettingCollection {
  add(key: string, value: any): XlSetting;
  getItemOrNullObject(key: string): XlSetting;
}

export interface XlSetting extends XlLoadable {
  readonly key: string;
  value: any;
  readonly isNullObject: boolean;
}

/** `Excel.RunOptions` PerfSheet uses. */
export interface XlRunOptions {
  /** Wait until the user leaves cell-edit mode instead of failing (ExcelApi 1.11). */
  delayForCellEdit?: boolean;
  /** Every sync of the run becomes one undo step (ExcelApi 1.20; only pass where supported). */
  mergeUndoGroup?: boolean;
}

/** What the adapter needs from a host: Excel.run and requirement-set checks. */
export interface ExcelHost {
  run<T>(batch: (context: XlContext) => Promise<T>, options?: XlRunOptions): Promise<T>;
  isSetSupported(name: string, version: string): boolean;
  /** The workbook's file name when the host knows it (used for the workbook's year). */
  fileName?(): string | undefined;
}
