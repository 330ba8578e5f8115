/**
 * The preview's grid can stand for Excel or for WPS 表格: it shows the shared in-memory workbook and sends the
 * user's actions (typing, selecting, pasting, inserting rows, switching sheets) to the host the pane runs
 * on, so that the pane hears them as that host's events (Excel's worksheet events or WPS's SheetChange /
 * SheetSelectionChange).
 */
import type { Area } from '../domain/grid';
import type { SimConditionalFormat, SimExcel } from '../excel-sim';
import type { WorkbookModel } from '../excel-sim/model';
import type { SimWps } from '../wps-sim';

export interface GridHost {
  readonly model: WorkbookModel;
  readonly version: number;
  subscribe(listener: () => void): () => void;
  readonly activeSheet: string;
  readonly selection: { sheet: string; address: string } | null;
  usedArea(sheet: string): Area | null;
  merges(sheet: string): Area[];
  conditionalFormats(sheet: string): SimConditionalFormat[];
  sheetNames(): string[];
  userBeginCellEdit(): void;
  userEndCellEdit(): void;
  userEdit(sheet: string, address: string, text: string | number | null): void;
  userSelect(sheet: string, address: string): void;
  userPaste(sheet: string, address: string, values: (string | number | null)[][]): void;
  userInsertRows(sheet: string, row: number, count?: number): void;
  userActivate(sheet: string): void;
}

/** SimExcel is a grid host as it is. */
export function excelGridHost(sim: SimExcel): GridHost {
  return sim;
}

/** The WPS host: shows the workbook through its SimExcel view, acts through WPS's object model and events. */
export function wpsGridHost(wps: SimWps): GridHost {
  const x = wps.excel;
  return {
    get model() {
      return x.model;
    },
    get version() {
      return x.version + wps.version;
    },
    subscribe(listener) {
      const a = x.subscribe(listener);
      const b = wps.subscribe(listener);
      return () => {
        a();
        b();
      };
    },
    get activeSheet() {
      return x.activeSheet;
    },
    get selection() {
      return x.selection;
    },
    usedArea: (s) => x.usedArea(s),
    merges: (s) => x.merges(s),
    conditionalFormats: (s) => x.conditionalFormats(s),
    sheetNames: () => x.sheetNames(),
    // WPS's object model has no cell-edit mode to wait for: calls made meanwhile simply run after Enter.
    userBeginCellEdit: () => undefined,
    userEndCellEdit: () => undefined,
    userEdit: (sheet, address, text) => wps.userEdit(sheet, address, text),
    userSelect: (sheet, address) => wps.userSelect(sheet, address),
    userPaste: (sheet, address, values) => wps.userPaste(sheet, address, values),
    userInsertRows: (sheet, row, count = 1) => wps.userInsertRows(sheet, row, count),
    userActivate: (sheet) => wps.userActivate(sheet),
  };
}
