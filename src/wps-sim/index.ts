/**
 * SimWps: an in-memory WPS 表格 host implementing the part of WPS's JavaScript object model that PerfSheet
 * uses (the structural types of src/wps/api.ts, whose header documents the semantics), for tests and the
 * browser preview, the way src/excel-sim (SimExcel) models Office.js.
 *
 * - Storage is the shared WorkbookModel of src/excel-sim (an ExcelJS workbook plus conditional formats,
 *   constant names, protection, selection): SimWps opens files and saves them through SimExcel, and
 *   `SimWps.fromExcel(sim)` drives the very workbook a SimExcel holds.
 * - Every property read, property write and method call on an object of the model is counted (`callCount`,
 *   `callLog` of `Object.Member` strings), through a Proxy around every object handed out (counting.ts).
 * - Events: `Application.ApiEvent.AddApiEventListener('SheetChange' | 'SheetSelectionChange', handler)`;
 *   writes through the model fire SheetChange unless `Application.EnableEvents` is false at the time, and
 *   user actions (`userEdit`, `userSelect`) fire theirs; handlers run asynchronously, like a real UI's.
 *
 * Works in Node (jest) and in the browser bundle (ExcelJS's browser build).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import ExcelJS from 'exceljs';
import { Area, parseA1 } from '../domain/grid';
import { parseSheetAddress, quoteSheet } from '../excel/address';
import { SimExcel } from '../excel-sim';
import type { SheetModel, WorkbookModel } from '../excel-sim/model';
import type {
  WpsApiEvent,
  WpsApplication,
  WpsCellFormat,
  WpsName,
  WpsNames,
  WpsPageSetup,
  WpsRange,
  WpsSheets,
  WpsTaskPane,
  WpsWorkbook,
  WpsWorksheet,
} from '../wps/api';
import { bgr, hexOfBgr, xlLandscape, xlPortrait, xlSheetHidden, xlSheetVisible } from '../wps/api';
import { XlsxPackage } from '../xlsx/package';
import { readDefinedNames } from '../xlsx/choices';
import { stringConstant } from '../domain/settings';
import JSZip from 'jszip';
import { scanXml } from '../xlsx/xml';
import { addressOf, containsArea, eachExisting, parseArea, parseAreas, usedAreaOf } from './cells';
import { counted, unwrap } from './counting';
import { SimWpsError, wpsError } from './errors';
import type { FindState, WpsHost } from './host';
import { conditionalBold, SimRange } from './range';

export { SimWpsError, WPS_MESSAGES } from './errors';
export { ERROR_CODES } from './cells';

export interface SimWpsOptions {
  /** The workbook's file name (`Workbook.Name`), default `工作簿1.xlsx`. */
  fileName?: string;
  /** `Application.Build` (a Long), default 16250. */
  build?: number;
  /**
   * How `Range.Find(…, SearchFormat = true)` treats merged areas when looking for `FindFormat.MergeCells`:
   * `top-left` (default, as Excel documents it: a merged area matches once, at its top-left cell),
   * `every-cell` (each cell of a merged area matches), `none` (the search by format finds nothing, as on a
   * host without it). Not documented for WPS: the adapter must read merges right under all three.
   */
  findByFormat?: 'top-left' | 'every-cell' | 'none';
}

type Handler = (...args: any[]) => void;
type DefinedName = { name: string; ranges: string[]; localSheetId?: number };

const xlSheetVeryHidden = 2;
const SHEET_NAME_BAD = /[:\\/?*[\]]/;

function definedNames(wb: ExcelJS.Workbook): DefinedName[] {
  return (wb.definedNames.model as DefinedName[]).filter((n) => n.ranges.length > 0);
}

/** What ExcelJS does not keep of xl/workbook.xml: the structure lock, and which range names are hidden. */
async function readWorkbookExtras(
  data: ArrayBuffer | Uint8Array,
  fileName?: string,
): Promise<{ protection: string | null; hiddenNames: string[] }> {
  try {
    const pkg = await XlsxPackage.open(data, fileName);
    const part = await pkg.workbookPart();
    const xml = part ? ((await pkg.text(part)) ?? '') : '';
    let locked = false;
    scanXml(xml, {
      open(name, a) {
        if (name === 'workbookProtection') locked = a.get('lockStructure') === '1' || a.get('lockStructure') === 'true';
      },
    });
    const element = locked
      ? (/<(?:\w+:)?workbookProtection\b[^>]*>/.exec(xml)?.[0]?.replace(/^<\w+:/, '<') ?? null)
      : null;
    const hiddenNames = (await readDefinedNames(pkg))
      .filter((n) => n.hidden && stringConstant(n.ref) === null)
      .map((n) => n.name);
    return {
      protection: locked
        ? element && element.endsWith('/>')
          ? element
          : '<workbookProtection lockStructure="1"/>'
        : null,
      hiddenNames,
    };
  } catch {
    // SimExcel.open accepted the file; these are read on a best-effort basis.
    return { protection: null, hiddenNames: [] };
  }
}

const escXml = (t: string) =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const escRe = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class SimWps implements WpsHost {
  /** The Excel host over the same workbook (opening, saving, and the preview's Excel view). */
  readonly excel: SimExcel;
  readonly model: WorkbookModel;
  readonly app: WpsApplication;
  readonly fileName: string;
  /** Calls into the object model since the last `resetCalls()`. */
  callCount = 0;
  callLog: string[] = [];
  /** Incremented on every change a view may want to re-render for. */
  version = 0;
  /** `ProtectStructure`: sheets cannot be added, deleted, renamed or hidden. */
  structureProtected = false;
  findFormatMerge: boolean | null = null;
  findByFormat: 'top-left' | 'every-cell' | 'none' = 'top-left';
  lastFind: FindState | null = null;
  private readonly rawApp: { EnableEvents: boolean; ScreenUpdating: boolean };
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly listeners = new Set<() => void>();
  /** Names whose sheet was deleted: WPS shows them as `=#REF!`. */
  private readonly brokenNames = new Set<string>();
  /** Range names hidden through `Name.Visible = false` (ExcelJS keeps no such flag). */
  private readonly hiddenNames = new Set<string>();
  /** The file's `<workbookProtection …/>` element (kept verbatim, with its password hash, for saving). */
  private protectionElement = '<workbookProtection lockStructure="1"/>';
  /** Task panes made with `Application.CreateTaskPane` (the add-in's entry page). */
  readonly taskPanes: {
    ID: number;
    Visible: boolean;
    DockPosition: number;
    Width: number;
    url: string;
    title: string;
  }[] = [];
  private readonly panes = new WeakMap<SheetModel, { row: number; col: number }>();
  private pendingEvents = 0;
  private idleWaiters: (() => void)[] = [];
  private sheetSeq = 0;

  private constructor(excel: SimExcel, opts: SimWpsOptions = {}) {
    this.excel = excel;
    this.model = excel.model;
    this.fileName = opts.fileName ?? excel.fileName() ?? '工作簿1.xlsx';
    this.findByFormat = opts.findByFormat ?? 'top-left';
    // Conditional formats' Font.Bold has no field in the shared model: add it to what saving writes.
    const model = this.model;
    const exportCfs = model.exportConditionalFormats.bind(model);
    model.exportConditionalFormats = () => {
      exportCfs();
      for (const sheet of model.sheets) {
        const list = (sheet.ws as unknown as { conditionalFormattings: { rules: Record<string, any>[] }[] })
          .conditionalFormattings;
        const sorted = [...sheet.cfs]
          .sort((a, b) => a.priority - b.priority)
          .filter((cf) => cf.raw || cf.type === 'DataBar' || cf.type === 'Custom');
        sorted.forEach((cf, i) => {
          const bold = conditionalBold.get(cf);
          const rule = list[i]?.rules[0];
          if (bold === undefined || !rule || cf.raw) return;
          rule.style = { ...(rule.style ?? {}), font: { ...(rule.style?.font ?? {}), bold } };
        });
      }
    };
    const rawApp = this.makeApplication(this, opts.build ?? 16250);
    this.rawApp = rawApp;
    this.app = this.wrap(rawApp as unknown as WpsApplication, 'Application');
  }

  /** Opens .xlsx bytes; unusable input throws an InputError with a Chinese message (as SimExcel.open). */
  static async open(data: ArrayBuffer | Uint8Array, opts: SimWpsOptions = {}): Promise<SimWps> {
    const excel = await SimExcel.open(data, { fileName: opts.fileName });
    const wps = new SimWps(excel, opts);
    const extras = await readWorkbookExtras(data, opts.fileName);
    wps.structureProtected = extras.protection !== null;
    if (extras.protection) wps.protectionElement = extras.protection;
    for (const n of extras.hiddenNames) wps.hiddenNames.add(n.toLowerCase());
    // Sheets protected in the file stay protected.
    for (const s of wps.model.sheets) {
      const prot = (s.ws as unknown as { sheetProtection?: { sheet?: boolean } | null }).sheetProtection;
      if (prot && prot.sheet) wps.model.protectedSheets.add(s.id);
    }
    return wps;
  }

  /** The WPS object model over the workbook a SimExcel holds (both hosts then see each other's changes). */
  static fromExcel(excel: SimExcel, opts: SimWpsOptions = {}): SimWps {
    return new SimWps(excel, opts);
  }

  /** A workbook built from plain values: `{ Sheet1: [[...], ...] }` (tests). */
  static fromValues(sheets: Record<string, (string | number | boolean | null)[][]>, opts: SimWpsOptions = {}): SimWps {
    return new SimWps(SimExcel.fromValues(sheets, { fileName: opts.fileName }), opts);
  }

  // ---- counting -------------------------------------------------------------------------------------

  countCall(member: string): void {
    this.callCount++;
    this.callLog.push(member);
    if (this.failAtCall !== null && this.callCount === this.failAtCall) {
      this.failAtCall = null;
      throw wpsError('badAddress', 1004, member);
    }
  }

  /** The call (as `callCount` will number it) that a test makes throw once, or null. */
  failAtCall: number | null = null;

  resetCalls(): void {
    this.callCount = 0;
    this.callLog = [];
    this.writeCount = 0;
  }

  wrap<T extends object>(obj: T, typeName: string, allKeys = false): T {
    return counted(this, obj, typeName, allKeys);
  }

  range(sheet: SheetModel, areas: Area[]): WpsRange {
    return this.wrap(new SimRange(this, sheet, areas) as WpsRange, 'Range');
  }

  worksheet(sheet: SheetModel): WpsWorksheet {
    return this.wrap(new SimWorksheet(this, sheet) as unknown as WpsWorksheet, 'Worksheet');
  }

  // ---- WpsHost --------------------------------------------------------------------------------------

  assertLive(sheet: SheetModel): void {
    if (!this.model.sheets.includes(sheet)) throw wpsError('deleted', 424);
  }

  assertCellsWritable(sheet: SheetModel, areas: readonly Area[]): void {
    if (!this.model.protectedSheets.has(sheet.id)) return;
    for (const a of areas) {
      const size = (a.r1 - a.r0 + 1) * (a.c1 - a.c0 + 1);
      let unlocked = 0;
      eachExisting(sheet, a, (cell) => {
        if (cell.protection?.locked === false) unlocked++;
        else return false;
      });
      if (unlocked < size) throw wpsError('protectedSheet');
    }
  }

  assertFormatWritable(sheet: SheetModel): void {
    this.assertLive(sheet);
    if (this.model.protectedSheets.has(sheet.id)) throw wpsError('protectedSheet');
  }

  private assertStructure(): void {
    if (this.structureProtected) throw wpsError('protectedStructure');
  }

  /** Cells changed: by the object model (a write, counted), or by the user (`byUser`). */
  cellsChanged(sheet: SheetModel, areas: readonly Area[], byUser = false): void {
    if (byUser) this.notify();
    else this.wrote();
    if (this.rawApp.EnableEvents) this.emit('SheetChange', sheet, areas);
  }

  /** Something else changed through the object model (formats, sheets, names …): a write, counted. */
  changed(): void {
    this.wrote();
  }

  /** Writes through the object model since the last `resetCalls()` (the user's own actions are not counted). */
  writeCount = 0;

  wrote(): void {
    this.writeCount++;
    this.notify();
  }

  selected(sheet: SheetModel, areas: readonly Area[]): void {
    this.model.activeSheetId = sheet.id;
    this.model.selection = { sheetId: sheet.id, area: { ...areas[0] } };
    this.selectionAreas = areas.map((a) => ({ ...a }));
    this.notify();
    if (this.rawApp.EnableEvents) this.emit('SheetSelectionChange', sheet, areas);
  }

  private selectionAreas: Area[] = [];

  // ---- events ---------------------------------------------------------------------------------------

  private emit(event: string, sheet: SheetModel, areas: readonly Area[]): void {
    const list = [...(this.handlers.get(event) ?? [])];
    if (!list.length) return;
    this.pendingEvents++;
    const target = areas.map((a) => ({ ...a }));
    setTimeout(() => {
      void Promise.all(
        list.map((h) =>
          Promise.resolve()
            .then(() => h(this.worksheet(sheet), this.range(sheet, target)))
            .catch((e) => console.error('PerfSheet WPS sim: event handler failed', e)),
        ),
      ).finally(() => {
        this.pendingEvents--;
        if (this.pendingEvents === 0) {
          const w = this.idleWaiters;
          this.idleWaiters = [];
          w.forEach((f) => f());
        }
      });
    }, 0);
  }

  /** Resolves when every event fired so far has been delivered and its handlers have settled. */
  eventsSettled(): Promise<void> {
    if (this.pendingEvents === 0) return new Promise((r) => setTimeout(r, 0));
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** How many handlers are registered for `event` (tests check that the adapter removes its own). */
  handlerCount(event: string): number {
    return this.handlers.get(event)?.size ?? 0;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  // ---- user actions (what a person does in WPS) -----------------------------------------------------

  sheetOrThrow(name: string): SheetModel {
    const s = this.model.sheetByKey(name);
    if (!s) throw new SimWpsError(9, `没有名为「${name}」的工作表。`);
    return s;
  }

  /** The user types `value` into one cell (text starting with = becomes a formula); SheetChange follows. */
  userEdit(sheet: string, address: string, value: string | number | boolean | null): void {
    const s = this.sheetOrThrow(sheet);
    const p = parseA1(address);
    if (!p) throw new SimWpsError(1004, `单元格地址无效：${address}`);
    this.model.writeValue(s, p.r, p.c, value);
    this.cellsChanged(s, [{ r0: p.r, c0: p.c, r1: p.r, c1: p.c }], true);
  }

  /** The user pastes a block of values at `address` (its top-left cell); one SheetChange for the block. */
  userPaste(sheet: string, address: string, values: (string | number | boolean | null)[][]): void {
    const s = this.sheetOrThrow(sheet);
    const p = parseA1(address);
    if (!p) throw new SimWpsError(1004, `单元格地址无效：${address}`);
    values.forEach((row, r) => row.forEach((v, c) => this.model.writeValue(s, p.r + r, p.c + c, v)));
    const width = Math.max(1, ...values.map((row) => row.length));
    this.cellsChanged(s, [{ r0: p.r, c0: p.c, r1: p.r + Math.max(0, values.length - 1), c1: p.c + width - 1 }], true);
  }

  /** The user inserts `count` rows above row `row` (1-based); SheetChange for the new rows, as WPS raises it. */
  userInsertRows(sheet: string, row: number, count = 1): void {
    const s = this.sheetOrThrow(sheet);
    this.model.insertRows(s, row - 1, count);
    this.cellsChanged(s, [{ r0: row - 1, c0: 0, r1: row - 2 + count, c1: 16383 }], true);
  }

  /** The user selects `address` (one area) on `sheet`, which becomes active; SheetSelectionChange follows. */
  userSelect(sheet: string, address: string): void {
    const s = this.sheetOrThrow(sheet);
    const a = parseArea(address);
    if (!a) throw new SimWpsError(1004, `区域地址无效：${address}`);
    this.selected(s, [a]);
  }

  /** The user clicks a sheet's tab; SheetActivate follows (handler(sheet)). */
  userActivate(sheet: string): void {
    const s = this.sheetOrThrow(sheet);
    const changed = this.model.activeSheetId !== s.id;
    this.activateSheet(s);
    if (changed && this.rawApp.EnableEvents) this.emit('SheetActivate', s, []);
  }

  /** 审阅 → 保护工作表 / 撤销工作表保护. */
  protectSheet(sheet: string, on = true): void {
    const s = this.sheetOrThrow(sheet);
    if (on) this.model.protectedSheets.add(s.id);
    else this.model.protectedSheets.delete(s.id);
    this.notify();
  }

  /** 审阅 → 保护工作簿 (structure). */
  protectStructure(on = true): void {
    this.structureProtected = on;
    this.notify();
  }

  // ---- views for the preview and for tests ----------------------------------------------------------

  sheetNames(): string[] {
    return this.model.sheets.map((s) => s.ws.name);
  }

  get activeSheet(): string {
    return (this.model.sheetById(this.model.activeSheetId) ?? this.model.sheets[0]).ws.name;
  }

  get selection(): { sheet: string; address: string } | null {
    const sel = this.model.selection;
    if (!sel) return null;
    const s = this.model.sheetById(sel.sheetId);
    if (!s) return null;
    const areas =
      this.selectionAreas.length &&
      containsArea(this.selectionAreas[0], sel.area) &&
      containsArea(sel.area, this.selectionAreas[0])
        ? this.selectionAreas
        : [sel.area];
    return { sheet: s.ws.name, address: areas.map((a) => addressOf(a, false, false)).join(',') };
  }

  /**
   * Saves the workbook (cells, formats, merges, conditional formats, validations, names) as .xlsx bytes,
   * through SimExcel's save, then puts back what ExcelJS drops from xl/workbook.xml: the structure lock and
   * the hidden flag of range names.
   */
  async save(): Promise<Uint8Array> {
    const bytes = await this.excel.save();
    const ranges = new Set(definedNames(this.model.wb).map((n) => n.name));
    const hidden = [...ranges].filter((n) => this.hiddenNames.has(n.toLowerCase()));
    if (!this.structureProtected && !hidden.length) return bytes;
    const zip = await JSZip.loadAsync(bytes);
    const part = 'xl/workbook.xml';
    let xml = await zip.file(part)!.async('string');
    if (this.structureProtected && !/<workbookProtection\b/.test(xml)) {
      const at = /<bookViews\b/.test(xml) ? '<bookViews' : '<sheets';
      xml = xml.replace(at, `${this.protectionElement}${at}`);
    }
    for (const name of hidden) {
      xml = xml.replace(
        new RegExp(`<definedName name="${escRe(escXml(name))}"(?![^>]*\\shidden=)`),
        (m) => `${m} hidden="1"`,
      );
    }
    zip.file(part, xml);
    return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  }

  // ---- the object model -----------------------------------------------------------------------------

  private makeApplication(host: SimWps, build: number) {
    const findFormat: WpsCellFormat = {
      get MergeCells() {
        return host.findFormatMerge;
      },
      set MergeCells(v: boolean | null) {
        host.findFormatMerge = v === null || v === undefined ? null : Boolean(v);
      },
      Clear() {
        host.findFormatMerge = null;
      },
    };
    // As Kingsoft's typings have it: RemoveApiEventListener takes the event's name and drops its listeners.
    const apiEvent: WpsApiEvent & { RemoveApiEventListener(event: string): void } = {
      AddApiEventListener(event: string, handler: Handler) {
        let set = host.handlers.get(event);
        if (!set) host.handlers.set(event, (set = new Set()));
        set.add(handler);
      },
      RemoveApiEventListener(event: string) {
        host.handlers.delete(event);
      },
    };
    const storage = new Map<string, any>();
    const pluginStorage = {
      getItem: (key: string) => (storage.has(key) ? storage.get(key) : null),
      setItem: (key: string, value: any) => void storage.set(key, value),
    };
    const activeSheetModel = () => host.model.sheetById(host.model.activeSheetId) ?? host.model.sheets[0];
    const window = {
      get SplitRow(): number {
        const s = activeSheetModel();
        const v = s.ws.views?.[0] as { state?: string; ySplit?: number } | undefined;
        return v?.state === 'frozen' ? (v.ySplit ?? 0) : (host.panes.get(s)?.row ?? 0);
      },
      set SplitRow(n: number) {
        const s = activeSheetModel();
        host.panes.set(s, { col: host.panes.get(s)?.col ?? 0, row: Number(n) });
      },
      get SplitColumn(): number {
        const s = activeSheetModel();
        const v = s.ws.views?.[0] as { state?: string; xSplit?: number } | undefined;
        return v?.state === 'frozen' ? (v.xSplit ?? 0) : (host.panes.get(s)?.col ?? 0);
      },
      set SplitColumn(n: number) {
        const s = activeSheetModel();
        host.panes.set(s, { row: host.panes.get(s)?.row ?? 0, col: Number(n) });
      },
      get DisplayGridlines(): boolean {
        return (activeSheetModel().ws.views?.[0] as { showGridLines?: boolean } | undefined)?.showGridLines !== false;
      },
      set DisplayGridlines(on: boolean) {
        const s = activeSheetModel();
        const view = { ...((s.ws.views?.[0] ?? {}) as object) } as Record<string, unknown>;
        s.ws.views = [{ ...view, showGridLines: !!on } as ExcelJS.WorksheetView];
        host.wrote();
      },
      get FreezePanes(): boolean {
        return (activeSheetModel().ws.views?.[0] as { state?: string } | undefined)?.state === 'frozen';
      },
      set FreezePanes(on: boolean) {
        const s = activeSheetModel();
        const view = { ...((s.ws.views?.[0] ?? {}) as object) } as Record<string, unknown>;
        if (on) {
          const p = host.panes.get(s) ?? { row: 0, col: 0 };
          s.ws.views = [{ ...view, state: 'frozen', xSplit: p.col, ySplit: p.row } as ExcelJS.WorksheetView];
        } else {
          s.ws.views = [
            { ...view, state: 'normal', xSplit: undefined, ySplit: undefined } as unknown as ExcelJS.WorksheetView,
          ];
          host.panes.delete(s);
        }
        host.wrote();
      },
    };
    return {
      get ActiveWorkbook(): WpsWorkbook {
        return host.wrap(new SimWorkbook(host) as unknown as WpsWorkbook, 'Workbook');
      },
      get ActiveSheet(): WpsWorksheet {
        return host.worksheet(activeSheetModel());
      },
      get Build(): number {
        return build;
      },
      get ApiEvent(): WpsApiEvent {
        return host.wrap(apiEvent, 'ApiEvent');
      },
      get FindFormat(): WpsCellFormat {
        return host.wrap(findFormat, 'CellFormat');
      },
      EnableEvents: true,
      ScreenUpdating: true,
      /** Confirmation dialogs (deleting a sheet asks first unless this is off); the sim shows none. */
      DisplayAlerts: true,
      get ActiveWindow() {
        return host.wrap(window, 'Window');
      },
      get PluginStorage() {
        return host.wrap(pluginStorage, 'PluginStorage', true);
      },
      CreateTaskPane(url: string, title?: string): WpsTaskPane {
        const pane = {
          ID: host.taskPanes.length + 1,
          Visible: false,
          DockPosition: 2,
          Width: 300,
          url: String(url),
          title: title ?? '',
        };
        host.taskPanes.push(pane);
        return host.wrap(pane, 'TaskPane');
      },
      GetTaskPane(id: number | string): WpsTaskPane {
        const pane = host.taskPanes.find((p) => String(p.ID) === String(id));
        if (!pane) throw wpsError('subscript', 9, String(id));
        return host.wrap(pane, 'TaskPane');
      },
    };
  }

  // ---- internals for the model classes --------------------------------------------------------------

  /** Creates a worksheet after position `at` (0-based index into model.sheets) and makes it active. */
  addSheet(at: number): SheetModel {
    this.assertStructure();
    const taken = new Set(this.model.sheets.map((s) => s.ws.name.toLowerCase()));
    let n = this.model.sheets.length + 1;
    while (taken.has(`sheet${n}`)) n++;
    const ws = this.model.wb.addWorksheet(`Sheet${n}`);
    this.sheetSeq++;
    const sheet: SheetModel = {
      id: `{00000000-0001-0000-C000-${String(2000 + this.sheetSeq).padStart(12, '0')}}`,
      ws,
      cfs: [],
    };
    this.model.sheets.splice(at, 0, sheet);
    this.renumberSheets();
    this.model.activeSheetId = sheet.id;
    this.model.selection = { sheetId: sheet.id, area: { r0: 0, c0: 0, r1: 0, c1: 0 } };
    this.wrote();
    return sheet;
  }

  private renumberSheets(): void {
    this.model.sheets.forEach((s, i) => ((s.ws as unknown as { orderNo: number }).orderNo = i + 1));
  }

  renameSheet(sheet: SheetModel, name: string): void {
    this.assertLive(sheet);
    const old = sheet.ws.name;
    if (name === old) return;
    this.assertStructure();
    if (
      typeof name !== 'string' ||
      !name.trim() ||
      name.length > 31 ||
      SHEET_NAME_BAD.test(name) ||
      name.startsWith("'") ||
      name.endsWith("'")
    ) {
      throw wpsError('badSheetName');
    }
    if (this.model.sheets.some((s) => s !== sheet && s.ws.name.toLowerCase() === name.toLowerCase()))
      throw wpsError('duplicateSheet');
    sheet.ws.name = name;
    // Names that refer to the sheet follow the new name, as in WPS.
    const list = (this.model.wb.definedNames.model as DefinedName[]).map((dn) => ({
      ...dn,
      ranges: dn.ranges.map((ref) => {
        const p = parseSheetAddress(ref);
        if (!p || p.sheet === null || p.sheet.toLowerCase() !== old.toLowerCase()) return ref;
        return `${quoteSheet(name)}!${ref.slice(ref.lastIndexOf('!') + 1)}`;
      }),
    }));
    this.model.wb.definedNames.model = list as never;
    this.wrote();
  }

  setSheetVisible(sheet: SheetModel, v: number): void {
    this.assertLive(sheet);
    const state =
      Number(v) === xlSheetVisible || v === (true as unknown as number)
        ? 'visible'
        : Number(v) === xlSheetVeryHidden
          ? 'veryHidden'
          : Number(v) === xlSheetHidden || v === (false as unknown as number)
            ? 'hidden'
            : null;
    if (!state) throw new SimWpsError(1004, `无效的可见性 ${v}。`);
    if (state === sheet.ws.state) return;
    this.assertStructure();
    if (state !== 'visible' && !this.model.sheets.some((s) => s !== sheet && s.ws.state === 'visible'))
      throw wpsError('lastSheet');
    sheet.ws.state = state;
    if (state !== 'visible' && this.model.activeSheetId === sheet.id) {
      const next = this.model.sheets.find((s) => s.ws.state === 'visible');
      if (next) this.model.activeSheetId = next.id;
    }
    this.wrote();
  }

  deleteSheet(sheet: SheetModel): void {
    this.assertLive(sheet);
    this.assertStructure();
    if (!this.model.sheets.some((s) => s !== sheet && s.ws.state === 'visible')) throw wpsError('lastSheet');
    const i = this.model.sheets.indexOf(sheet);
    this.model.sheets.splice(i, 1);
    const keep: DefinedName[] = [];
    for (const n of this.model.wb.definedNames.model as DefinedName[]) {
      const p = n.ranges.length ? parseSheetAddress(n.ranges[0]) : null;
      if (p && p.sheet && p.sheet.toLowerCase() === sheet.ws.name.toLowerCase()) this.brokenNames.add(n.name);
      else keep.push(n);
    }
    this.model.wb.definedNames.model = keep as never;
    this.model.wb.removeWorksheet(sheet.ws.id);
    this.renumberSheets();
    if (this.model.activeSheetId === sheet.id) {
      const next =
        this.model.sheets.slice(Math.max(0, i - 1)).find((s) => s.ws.state === 'visible') ?? this.model.sheets[0];
      this.model.activeSheetId = next.id;
    }
    if (this.model.selection?.sheetId === sheet.id) this.model.selection = null;
    this.wrote();
  }

  activateSheet(sheet: SheetModel): void {
    this.assertLive(sheet);
    if (sheet.ws.state !== 'visible') throw new SimWpsError(1004, '不能激活隐藏的工作表。');
    if (this.model.activeSheetId === sheet.id) return;
    this.model.activeSheetId = sheet.id;
    this.model.selection = { sheetId: sheet.id, area: { r0: 0, c0: 0, r1: 0, c1: 0 } };
    this.selectionAreas = [];
    this.notify();
  }

  /** Every workbook-scoped name: range names, constants, and names broken by a deleted sheet. */
  nameEntries(): { name: string; refersTo: string; kind: 'range' | 'constant' | 'broken' }[] {
    const out: { name: string; refersTo: string; kind: 'range' | 'constant' | 'broken' }[] = [];
    for (const n of definedNames(this.model.wb)) {
      if (n.localSheetId !== undefined) continue;
      out.push({ name: n.name, refersTo: `=${n.ranges.join(',')}`, kind: 'range' });
    }
    for (const [name, c] of this.model.constantNames) out.push({ name, refersTo: c.formula, kind: 'constant' });
    for (const name of this.brokenNames) out.push({ name, refersTo: '=#REF!', kind: 'broken' });
    // WPS lists names in alphabetical order.
    return out.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  }

  addName(name: string, refersTo: string, visible: boolean): void {
    if (
      !/^[A-Za-z_\\\u4e00-\u9fff][A-Za-z0-9_.\\\u4e00-\u9fff]*$/.test(name) ||
      /^[A-Za-z]{1,3}\d+$/.test(name) ||
      /^[rRcC]$/.test(name)
    ) {
      throw new SimWpsError(1004, `名称「${name}」无效。`);
    }
    const text = String(refersTo ?? '').trim();
    const body = text.replace(/^=/, '').trim();
    const isConstant = body.startsWith('"');
    let ref: string | null = null;
    if (isConstant) {
      if (!/^"(?:[^"]|"")*"$/.test(body)) throw new SimWpsError(1004, `引用「${refersTo}」无效。`);
      if (body.length - 2 > 255) throw new SimWpsError(1004, '公式中的文本值不能超过 255 个字符。');
    } else {
      const p = parseSheetAddress(body);
      if (!p || !p.sheet || !this.model.sheetByKey(p.sheet)) throw new SimWpsError(1004, `引用「${refersTo}」无效。`);
      ref = body;
    }
    // Adding a name that exists redefines it (as in WPS and Excel).
    this.removeName(name);
    if (isConstant) this.model.constantNames.set(name, { formula: `=${body}`, visible });
    else {
      this.model.wb.definedNames.add(ref as string, name);
      if (!visible) this.hiddenNames.add(name.toLowerCase());
    }
    this.wrote();
  }

  removeName(name: string): boolean {
    const low = name.toLowerCase();
    let had = false;
    for (const key of [...this.model.constantNames.keys()]) {
      if (key.toLowerCase() === low) {
        this.model.constantNames.delete(key);
        had = true;
      }
    }
    for (const key of [...this.brokenNames]) {
      if (key.toLowerCase() === low) {
        this.brokenNames.delete(key);
        had = true;
      }
    }
    const all = this.model.wb.definedNames.model as DefinedName[];
    const keep = all.filter((n) => n.localSheetId !== undefined || n.name.toLowerCase() !== low);
    if (keep.length !== all.length) {
      had = true;
      this.model.wb.definedNames.model = keep as never;
    }
    this.hiddenNames.delete(low);
    if (had) this.wrote();
    return had;
  }

  nameVisible(name: string): boolean {
    const c = [...this.model.constantNames].find(([k]) => k.toLowerCase() === name.toLowerCase());
    if (c) return c[1].visible;
    return !this.hiddenNames.has(name.toLowerCase());
  }

  setNameVisible(name: string, v: boolean): void {
    const c = [...this.model.constantNames].find(([k]) => k.toLowerCase() === name.toLowerCase());
    if (c) c[1].visible = Boolean(v);
    else if (v) this.hiddenNames.delete(name.toLowerCase());
    else this.hiddenNames.add(name.toLowerCase());
    this.wrote();
  }
}

// ---------------------------------------------------------------------------------------------------

class SimWorkbook {
  constructor(private readonly host: SimWps) {}

  get Name(): string {
    return this.host.fileName;
  }

  get FullName(): string {
    return `C:\\Users\\user\\Documents\\${this.host.fileName}`;
  }

  get Worksheets(): WpsSheets {
    return this.host.wrap(new SimSheets(this.host) as unknown as WpsSheets, 'Sheets');
  }

  get Names(): WpsNames {
    return this.host.wrap(new SimNames(this.host) as unknown as WpsNames, 'Names');
  }

  get ProtectStructure(): boolean {
    return this.host.structureProtected;
  }
}

class SimSheets {
  constructor(private readonly host: SimWps) {}

  get Count(): number {
    return this.host.model.sheets.length;
  }

  Item(index: number | string): WpsWorksheet {
    const sheets = this.host.model.sheets;
    const s =
      typeof index === 'number'
        ? sheets[index - 1]
        : sheets.find((x) => x.ws.name.toLowerCase() === String(index).toLowerCase());
    if (!s) throw wpsError('subscript', 9, String(index));
    return this.host.worksheet(s);
  }

  Add(before?: WpsWorksheet, after?: WpsWorksheet, count = 1): WpsWorksheet {
    const sheets = this.host.model.sheets;
    const b = unwrap(before) as unknown as SimWorksheet | undefined;
    const a = unwrap(after) as unknown as SimWorksheet | undefined;
    const active = this.host.model.sheetById(this.host.model.activeSheetId) ?? sheets[0];
    let at =
      a instanceof SimWorksheet
        ? sheets.indexOf(a.sheet) + 1
        : b instanceof SimWorksheet
          ? sheets.indexOf(b.sheet)
          : sheets.indexOf(active);
    if (at < 0) throw wpsError('deleted', 424);
    let last: SheetModel | null = null;
    for (let i = 0; i < Math.max(1, Number(count) || 1); i++) last = this.host.addSheet(at++);
    return this.host.worksheet(last as SheetModel);
  }
}

class SimNames {
  constructor(private readonly host: SimWps) {}

  get Count(): number {
    return this.host.nameEntries().length;
  }

  Item(index: number | string): WpsName {
    const list = this.host.nameEntries();
    const e =
      typeof index === 'number'
        ? list[index - 1]
        : list.find((n) => n.name.toLowerCase() === String(index).toLowerCase());
    if (!e) throw wpsError('subscript', 9, String(index));
    return this.host.wrap(new SimName(this.host, e.name) as unknown as WpsName, 'Name');
  }

  Add(name: string, refersTo: string, visible = true): WpsName {
    this.host.addName(String(name), refersTo, visible !== false);
    return this.host.wrap(new SimName(this.host, String(name)) as unknown as WpsName, 'Name');
  }
}

class SimName {
  constructor(
    private readonly host: SimWps,
    private readonly name: string,
  ) {}

  private entry() {
    const e = this.host.nameEntries().find((n) => n.name.toLowerCase() === this.name.toLowerCase());
    if (!e) throw wpsError('deleted', 424);
    return e;
  }

  get Name(): string {
    return this.entry().name;
  }

  get RefersTo(): string {
    return this.entry().refersTo;
  }

  get Visible(): boolean {
    return this.host.nameVisible(this.entry().name);
  }

  set Visible(v: boolean) {
    this.host.setNameVisible(this.entry().name, v);
  }

  Delete(): void {
    this.host.removeName(this.entry().name);
  }
}

// ---------------------------------------------------------------------------------------------------

class SimWorksheet {
  constructor(
    private readonly host: SimWps,
    readonly sheet: SheetModel,
  ) {}

  get Name(): string {
    this.host.assertLive(this.sheet);
    return this.sheet.ws.name;
  }

  set Name(name: string) {
    this.host.renameSheet(this.sheet, name);
  }

  get Index(): number {
    this.host.assertLive(this.sheet);
    return this.host.model.sheets.indexOf(this.sheet) + 1;
  }

  get UsedRange(): WpsRange {
    this.host.assertLive(this.sheet);
    const a = usedAreaOf(this.host.model, this.sheet) ?? { r0: 0, c0: 0, r1: 0, c1: 0 };
    return this.host.range(this.sheet, [a]);
  }

  get Cells(): WpsRange {
    return this.host.range(this.sheet, [{ r0: 0, c0: 0, r1: 1_048_575, c1: 16_383 }]);
  }

  Range(address: string): WpsRange {
    this.host.assertLive(this.sheet);
    const areas = typeof address === 'string' ? parseAreas(address) : null;
    if (!areas) throw wpsError('badAddress', 1004, String(address));
    return this.host.range(this.sheet, areas);
  }

  get ProtectContents(): boolean {
    return this.host.model.protectedSheets.has(this.sheet.id);
  }

  get Visible(): number {
    this.host.assertLive(this.sheet);
    const st = this.sheet.ws.state;
    return st === 'hidden' ? xlSheetHidden : st === 'veryHidden' ? xlSheetVeryHidden : xlSheetVisible;
  }

  set Visible(v: number) {
    this.host.setSheetVisible(this.sheet, v);
  }

  Activate(): void {
    this.host.activateSheet(this.sheet);
  }

  Delete(): void {
    this.host.deleteSheet(this.sheet);
  }

  get PageSetup(): WpsPageSetup {
    return this.host.wrap(new SimPageSetup(this.host, this.sheet) as unknown as WpsPageSetup, 'PageSetup');
  }

  /** The sheet tab: its colour as a BGR long (xlColorIndexNone -4142 when none). */
  get Tab(): { Color: number } {
    const { host, sheet } = this;
    return host.wrap(
      {
        get Color(): number {
          const argb = sheet.ws.properties.tabColor?.argb;
          return argb ? bgr(argb.slice(-6)) : -4142;
        },
        set Color(n: number) {
          host.assertFormatWritable(sheet);
          sheet.ws.properties.tabColor = { argb: `FF${hexOfBgr(Number(n))}` };
          host.changed();
        },
      },
      'Tab',
    );
  }

  get HPageBreaks(): { Add(before: WpsRange): unknown } {
    const { host, sheet } = this;
    return host.wrap(
      {
        Add(before: WpsRange): unknown {
          const r = unwrap(before) as unknown as SimRange;
          if (!(r instanceof SimRange)) throw new SimWpsError(13, '类型不匹配：Before 必须是单元格区域。');
          host.assertFormatWritable(sheet);
          const row = r.areas[0].r0; // 0-based: the break goes above this row
          if (row > 0) sheet.ws.getRow(row).addPageBreak();
          host.changed();
          return host.wrap({ Location: host.range(sheet, [{ r0: row, c0: 0, r1: row, c1: 0 }]) }, 'HPageBreak');
        },
      },
      'HPageBreaks',
    );
  }
}

/** PageSetup over ExcelJS's pageSetup / headerFooter (margins: points in WPS, inches in ExcelJS). */
class SimPageSetup {
  constructor(
    private readonly host: SimWps,
    private readonly sheet: SheetModel,
  ) {}

  private get ps(): Partial<ExcelJS.PageSetup> {
    return this.sheet.ws.pageSetup ?? {};
  }

  private update(apply: (ps: Partial<ExcelJS.PageSetup>) => void): void {
    this.host.assertFormatWritable(this.sheet);
    const ps = { ...this.ps };
    apply(ps);
    this.sheet.ws.pageSetup = ps as ExcelJS.PageSetup;
    this.host.changed();
  }

  private margin(key: keyof ExcelJS.Margins): number {
    const m = this.ps.margins as Partial<ExcelJS.Margins> | undefined;
    const dflt: Record<string, number> = { left: 0.7, right: 0.7, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 };
    return Math.round((m?.[key] ?? dflt[key]) * 72 * 100) / 100;
  }

  private setMargin(key: keyof ExcelJS.Margins, points: number): void {
    this.update(
      (ps) =>
        (ps.margins = {
          left: 0.7,
          right: 0.7,
          top: 0.75,
          bottom: 0.75,
          header: 0.3,
          footer: 0.3,
          ...(ps.margins ?? {}),
          [key]: Number(points) / 72,
        }),
    );
  }

  get Orientation(): number {
    return this.ps.orientation === 'landscape' ? xlLandscape : xlPortrait;
  }
  set Orientation(v: number) {
    this.update((ps) => (ps.orientation = Number(v) === xlLandscape ? 'landscape' : 'portrait'));
  }
  get PaperSize(): number {
    return (this.ps.paperSize as number | undefined) ?? 9;
  }
  set PaperSize(v: number) {
    this.update((ps) => (ps.paperSize = Number(v) as ExcelJS.PageSetup['paperSize']));
  }
  get Zoom(): number | boolean {
    return this.ps.fitToPage ? false : (this.ps.scale ?? 100);
  }
  set Zoom(v: number | boolean) {
    this.update((ps) => {
      if (v === false) ps.fitToPage = true;
      else {
        ps.fitToPage = false;
        ps.scale = Number(v);
      }
    });
  }
  get FitToPagesWide(): number | boolean {
    return this.ps.fitToWidth === 0 ? false : (this.ps.fitToWidth ?? 1);
  }
  set FitToPagesWide(v: number | boolean) {
    this.update((ps) => (ps.fitToWidth = v === false ? 0 : Number(v)));
  }
  get FitToPagesTall(): number | boolean {
    return this.ps.fitToHeight === 0 ? false : (this.ps.fitToHeight ?? 1);
  }
  set FitToPagesTall(v: number | boolean) {
    this.update((ps) => (ps.fitToHeight = v === false ? 0 : Number(v)));
  }
  get PrintTitleRows(): string {
    const t = this.ps.printTitlesRow;
    return t
      ? t
          .split(':')
          .map((r) => `$${r}`)
          .join(':')
      : '';
  }
  set PrintTitleRows(v: string) {
    this.update((ps) => (ps.printTitlesRow = String(v ?? '').replace(/\$/g, '') || undefined));
  }
  get LeftMargin(): number {
    return this.margin('left');
  }
  set LeftMargin(v: number) {
    this.setMargin('left', v);
  }
  get RightMargin(): number {
    return this.margin('right');
  }
  set RightMargin(v: number) {
    this.setMargin('right', v);
  }
  get TopMargin(): number {
    return this.margin('top');
  }
  set TopMargin(v: number) {
    this.setMargin('top', v);
  }
  get BottomMargin(): number {
    return this.margin('bottom');
  }
  set BottomMargin(v: number) {
    this.setMargin('bottom', v);
  }
  get HeaderMargin(): number {
    return this.margin('header');
  }
  set HeaderMargin(v: number) {
    this.setMargin('header', v);
  }
  get FooterMargin(): number {
    return this.margin('footer');
  }
  set FooterMargin(v: number) {
    this.setMargin('footer', v);
  }
  get CenterHorizontally(): boolean {
    return Boolean(this.ps.horizontalCentered);
  }
  set CenterHorizontally(v: boolean) {
    this.update((ps) => (ps.horizontalCentered = Boolean(v)));
  }
  get CenterFooter(): string {
    const f = this.sheet.ws.headerFooter?.oddFooter ?? '';
    const m = /&C(.*?)(?=&[LR]|$)/.exec(f);
    return m ? m[1] : '';
  }
  set CenterFooter(v: string) {
    this.host.assertFormatWritable(this.sheet);
    this.sheet.ws.headerFooter = { ...this.sheet.ws.headerFooter, oddFooter: `&C${v}` };
    this.host.changed();
  }
}
