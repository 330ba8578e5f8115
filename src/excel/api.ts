/**
 * The Excel JavaScript API as PerfSheet's adapter sees it: Office's own types (`@types/office-js`).
 *
 * In Excel and in every test and the browser preview alike, `ExcelHost.run` hands the batch a real
 * `Excel.RequestContext` of Microsoft's client library: Office's in Excel, a copy loaded from
 * node_modules over the in-memory host in `src/excel-sim` elsewhere. So the adapter is typed by Office's
 * declarations alone; the names below are short aliases. The report's and new forms' renderers declare the
 * subsets they use (report.ts, template.ts), checked against these types at compile time.
 */

export type XlContext = Excel.RequestContext;
export type XlWorkbook = Excel.Workbook;
export type XlWorksheetCollection = Excel.WorksheetCollection;
export type XlWorksheet = Excel.Worksheet;
export type XlWorksheetProtection = Excel.WorksheetProtection;
export type XlRange = Excel.Range;
export type XlRangeAreas = Excel.RangeAreas;
export type XlConditionalFormatCollection = Excel.ConditionalFormatCollection;
export type XlConditionalFormat = Excel.ConditionalFormat;
export type XlCustomConditionalFormat = Excel.CustomConditionalFormat;
export type XlSettingCollection = Excel.SettingCollection;
export type XlSetting = Excel.Setting;
export type XlNamedItemCollection = Excel.NamedItemCollection;

export type XlTriggerSource = 'Unknown' | 'ThisLocalAddin' | string;

/**
 * What PerfSheet reads of `Excel.WorksheetChangedEventArgs` (a handler taking this accepts Office's); also
 * the shape of the event message the in-memory host sends the library.
 */
export interface XlWorksheetChangedEventArgs {
  /** Address of the changed range on its sheet, without the sheet name (e.g. `F16` or `A5:J5`). */
  readonly address: string;
  readonly changeType: string;
  readonly source: string;
  readonly triggerSource?: XlTriggerSource;
  readonly worksheetId: string;
  readonly type: string;
}

/** What PerfSheet reads of `Excel.WorksheetActivatedEventArgs`: a sheet became the active one (a sheet-tab click). */
export interface XlWorksheetActivatedEventArgs {
  readonly worksheetId: string;
  readonly type: string;
}

/** What PerfSheet reads of `Excel.WorksheetSelectionChangedEventArgs`. */
export interface XlWorksheetSelectionChangedEventArgs {
  /** The selected range on its sheet, without the sheet name (e.g. `I16` or `A5:J5`). */
  readonly address: string;
  readonly worksheetId: string;
  readonly type: string;
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
  /**
   * Whether the loaded Office.js client library sends `RunOptions.mergeUndoGroup` to Excel (the CDN's does;
   * the copy on npm, 1.1.110, bundled by `--env officejs=local`, drops it). Absent: it does.
   */
  canGroupUndo?(): boolean;
}
