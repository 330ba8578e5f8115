/**
 * What the object-model classes of the in-memory WPS host (range.ts, index.ts) need from the host: the shared
 * workbook model, the counting wrappers, protection checks, change notification and event firing.
 */
import type { Area } from '../domain/grid';
import type { SheetModel, WorkbookModel } from '../excel-sim/model';
import type { WpsRange, WpsWorksheet } from '../wps/api';
import type { CallCounter } from './counting';

export interface FindState {
  what: string;
  lookIn: number;
  lookAt: number;
  searchOrder: number;
  searchDirection: number;
  matchCase: boolean;
  searchFormat: boolean;
}

export interface WpsHost extends CallCounter {
  readonly model: WorkbookModel;
  /** `Application.FindFormat.MergeCells` (null: no criterion). */
  findFormatMerge: boolean | null;
  findByFormat: 'top-left' | 'every-cell' | 'none';
  /** The criteria of the last `Find`, for `FindNext`. */
  lastFind: FindState | null;
  /** A counted object of the model. */
  wrap<T extends object>(obj: T, typeName: string, allKeys?: boolean): T;
  range(sheet: SheetModel, areas: Area[]): WpsRange;
  worksheet(sheet: SheetModel): WpsWorksheet;
  /** Throws when the sheet was deleted. */
  assertLive(sheet: SheetModel): void;
  /** Throws (as WPS does) when `areas` of a protected sheet hold a locked cell. */
  assertCellsWritable(sheet: SheetModel, areas: readonly Area[]): void;
  /** Throws when the sheet is protected (format changes, merges, conditional formats, validation). */
  assertFormatWritable(sheet: SheetModel): void;
  /** Cells changed through the object model: notify views; fire SheetChange when events are enabled. */
  cellsChanged(sheet: SheetModel, areas: readonly Area[], byUser?: boolean): void;
  /** Something other than cell values changed (formats, sheets, names): notify views only. */
  changed(): void;
  /** The selection moved through the object model (`Range.Select`). */
  selected(sheet: SheetModel, areas: readonly Area[]): void;
}
