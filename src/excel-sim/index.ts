/**
 * SimExcel: an in-memory Excel host for PerfSheet's Office.js adapter, backed by ExcelJS so it opens real
 * .xlsx files and saves them back.
 *
 * - `run(batch)` is Microsoft's own `Excel.run` (a copy of the Office.js client per host, officejs.ts): the
 *   batch gets a real `Excel.RequestContext`, and each request the library sends is answered here over the
 *   workbook (protocol.ts, with the members of types-core.ts and types-report.ts).
 * - Every request is counted where it arrives (`syncCount`, `syncLog` with request/response bytes and flags;
 *   the library's own clean-up requests in `cleanupCount`), and one whose request or response exceeds
 *   `payloadLimit` (default 5 MB, as Excel on the web) fails.
 * - Excel's undo history as documented (`undoStack`, `undoClears`): see SimOptions and onRequest.
 * - Worksheet change events are delivered to the library after the request that changed cells
 *   (triggerSource `ThisLocalAddin`), or after a user action (`userEdit`, `userPaste`, `userInsertRows`:
 *   triggerSource `Unknown`, source `Local`), once the add-in has registered a handler.
 *
 * Works in Node (jest) and in the browser bundle (ExcelJS's browser build, the library from a <script>).
 */
import ExcelJS from 'exceljs';
import { Area, areaA1, parseA1 } from '../domain/grid';
import type { ExcelHost, XlContext, XlWorksheetChangedEventArgs, XlWorksheetSelectionChangedEventArgs } from '../excel/api';
import { parseSheetAddress } from '../excel/address';
import { loadWorkbook } from '../xlsx/read';
import { XlsxPackage } from '../xlsx/package';
import { readDefinedNames } from '../xlsx/choices';
import { stringConstant } from '../domain/settings';
import JSZip from 'jszip';
import { officeError, SimError, SimErrorCode, SimLocale } from './errors';
import { fileNameFromUrl } from '../excel/filename';
import { SheetModel, SimConditionalFormat, WorkbookModel } from './model';
import { loadOfficeJs, OfficeJsLibrary } from './officejs';
import { Effect, FLAG_DELAY_FOR_CELL_EDIT, Handle, ProtocolHost, RequestExecutor, RequestStats, TypeDef, UndoSupport } from './protocol';
import { coreTypes, HostEnv } from './types-core';
import { reportTypes } from './types-report';

export { SimError, officeError } from './errors';
export { MERGED_AREAS_LIMIT } from './types-core';
export type { SimLocale } from './errors';
export type { SimConditionalFormat } from './model';

export interface SimOptions {
  fileName?: string;
  /** Highest ExcelApi requirement set this host claims (default 1.17). */
  apiVersion?: string;
  /** Per-sync payload limit in bytes (default 5 MB like Excel on the web); null for none. */
  payloadLimit?: number | null;
  /** Whether change events carry `triggerSource` (ExcelApi 1.14); false imitates older hosts. */
  triggerSource?: boolean;
  /** Excel's UI language: error messages come localised (default en-US). */
  locale?: SimLocale;
  /**
   * How Office reports the document's location (`Office.context.document.url`): a local path as desktop
   * Excel gives it, not percent-encoded (default `C:\Users\user\Documents\<fileName>`).
   */
  url?: string;
  /** Which Excel this is: undo support differs (a name's comment is undoable on desktop only). Default web. */
  platform?: 'web' | 'desktop';
  /**
   * Whether the Office.js client library can send `RunOptions.mergeUndoGroup` to Excel. The CDN's Office.js
   * can; the copy on npm (1.1.110, loaded here and bundled by `--env officejs=local`) cannot: its
   * `onBeforeExcelRun` passes only delayForCellEdit, so every sync is its own undo step. The flag's wire
   * form is not in the library we have, so when this is on the host takes the option beside the request.
   * Default false (the library loaded here).
   */
  clientGroupsUndo?: boolean;
  /**
   * Reads and registrations that issue threads report to lose the user's undo history (office-js #5918:
   * `getMergedAreasOrNullObject`; #2543: registering `onSelectionChanged`). Off by default; tests switch
   * them on to see what the pane promises where Excel behaves so.
   */
  undoLostBy?: { mergedAreas?: boolean; selectionHandler?: boolean };
  /** The Office.js client library for this host (default: a fresh copy from the registered loader). */
  officeJs?: OfficeJsLibrary;
}

/** `Excel.run` options the host models (Excel.RunOptions). */
export interface SimRunOptions {
  delayForCellEdit?: boolean;
  mergeUndoGroup?: boolean;
}

/** One step of Excel's undo history (the sim records who made it, not how to reverse it). */
export interface UndoStep {
  by: 'user' | 'addin';
  label: string;
}

export interface SyncStat {
  request: number;
  response: number;
  ops: number;
  /** Operations that changed the workbook. */
  writes: number;
  /** The request flags the library sent (delayForCellEdit = 64). */
  flags: number;
}

/** One Excel.run as the host sees it: its requests go through one executor. */
interface RunState {
  /** The run asked for one undo group and the client library could send it. */
  grouped: boolean;
  undoEntry: UndoStep | null;
}

function versionGte(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** The event types as Office.js numbers them (WorksheetCollection.onChanged / onActivated / onSelectionChanged). */
const EVENT_CHANGED = 10;
const EVENT_ACTIVATED = 11;
const EVENT_SELECTION_CHANGED = 14;

export class SimExcel implements ExcelHost {
  readonly model: WorkbookModel;
  readonly payloadLimit: number | null;
  readonly apiVersion: string;
  readonly platform: 'web' | 'desktop';
  private library: OfficeJsLibrary | null;
  private readonly name: string | undefined;
  private readonly url: string | undefined;
  private readonly withTriggerSource: boolean;
  private readonly clientGroups: boolean;
  private readonly undoLostBy: { mergedAreas?: boolean; selectionHandler?: boolean };
  readonly locale: SimLocale;
  /** Requests that reached the host (one per `context.sync()` that had something to send). */
  syncCount = 0;
  /**
   * Requests the library sent on its own after an Excel.run: `_RemoveReference` of the Ranges the run kept
   * (Excel.run tracks every Range). A round trip each, not counted in `syncCount`.
   */
  cleanupCount = 0;
  syncLog: SyncStat[] = [];
  /** Operations that changed the workbook (cells, formats, conditional formats, settings, names, sheets). */
  writeCount = 0;
  /**
   * Excel's undo history. Below ExcelApi 1.20 any write by an add-in clears it (office-js #3788); from 1.20
   * each sync with writes is one step, or the whole run is when its client sent `mergeUndoGroup`. A member
   * without undo support clears it from there (Excel's undo page), and fails a grouped run (UndoNotSupported).
   */
  undoStack: UndoStep[] = [];
  /** How many times an add-in's request cleared the undo history. */
  undoClears = 0;
  /** Every member the add-in's requests ran, in order (`Worksheet.delete`), for tests. */
  readonly memberLog: string[] = [];
  private editing = false;
  private editWaiters: (() => void)[] = [];
  private readonly registrations = { changed: 0, selectionChanged: 0, activated: 0 };
  private readonly listeners = new Set<() => void>();
  private pendingEvents = 0;
  private inFlight = 0;
  private readonly types: Record<string, TypeDef>;
  /** Incremented on every change the UI may want to re-render for. */
  version = 0;

  constructor(wb: ExcelJS.Workbook, opts: SimOptions = {}) {
    this.model = new WorkbookModel(wb);
    this.payloadLimit = opts.payloadLimit === undefined ? 5 * 1024 * 1024 : opts.payloadLimit;
    this.apiVersion = opts.apiVersion ?? '1.17';
    this.platform = opts.platform ?? 'web';
    this.name = opts.fileName;
    this.url = opts.url ?? (opts.fileName ? `C:\\Users\\user\\Documents\\${opts.fileName}` : undefined);
    this.withTriggerSource = opts.triggerSource ?? true;
    this.locale = opts.locale ?? 'en-US';
    this.clientGroups = opts.clientGroupsUndo ?? false;
    this.undoLostBy = opts.undoLostBy ?? {};
    this.library = opts.officeJs ?? null;
    this.library?.setRequirements((name, version) => this.isSetSupported(name, version));
    const env: HostEnv = {
      model: this.model,
      locale: this.locale,
      onSelection: () => this.notify(),
      onRegistration: (event, delta) => {
        this.registrations[event] += delta;
      },
    };
    this.types = reportTypes(env, coreTypes(env));
  }
  /** Opens .xlsx bytes; unusable input throws an InputError with a Chinese message. */
  static async open(data: ArrayBuffer | Uint8Array, opts: SimOptions = {}): Promise<SimExcel> {
    const wb = await loadWorkbook(data, opts.fileName);
    // ExcelJS drops names that hold a constant: read them from the package.
    const consts: { name: string; formula: string; visible: boolean }[] = [];
    try {
      const pkg = await XlsxPackage.open(data, opts.fileName);
      for (const n of await readDefinedNames(pkg)) {
        if (stringConstant(n.ref) !== null) consts.push({ name: n.name, formula: `=${n.ref}`, visible: !n.hidden });
      }
    } catch {
      /* loadWorkbook accepted it; names are a bonus */
    }
    const sim = new SimExcel(wb, opts);
    for (const c of consts) sim.model.constantNames.set(c.name, { formula: c.formula, visible: c.visible });
    // Sheets protected in the file stay protected (Excel refuses writes to their locked cells).
    for (const s of sim.model.sheets) {
      const prot = (s.ws as unknown as { sheetProtection?: { sheet?: boolean } | null }).sheetProtection;
      if (prot && prot.sheet) sim.model.protectedSheets.add(s.id);
    }
    // …and may have kept them as bogus ranges.
    wb.definedNames.model = (wb.definedNames.model as { name: string }[]).filter((n) => !sim.model.constantNames.has(n.name)) as never;
    return sim;
  }

  /** A workbook built from plain values: `{ Sheet1: [[...], ...] }` (tests). */
  static fromValues(sheets: Record<string, (string | number | boolean | null)[][]>, opts: SimOptions = {}): SimExcel {
    const wb = new ExcelJS.Workbook();
    for (const [name, rows] of Object.entries(sheets)) {
      const ws = wb.addWorksheet(name);
      rows.forEach((row, r) =>
        row.forEach((v, c) => {
          if (v !== null && v !== '') ws.getCell(r + 1, c + 1).value = v;
        }),
      );
    }
    return new SimExcel(wb, opts);
  }

  /**
   * The Office.js client library the add-in's calls go through: one copy per host, loaded on first use (a
   * host that only holds a workbook, as the in-memory WPS host's, never loads it).
   */
  get officeJs(): OfficeJsLibrary {
    if (!this.library) {
      this.library = loadOfficeJs();
      this.library.setRequirements((name, version) => this.isSetSupported(name, version));
    }
    return this.library;
  }

  // ---- ExcelHost ------------------------------------------------------------------------------------

  /**
   * `Excel.run` of Microsoft's library, its requests answered by this host. The options go to the library
   * as the add-in passes them: what the library does not send (mergeUndoGroup, in the npm copy) never
   * reaches Excel.
   */
  async run<T>(batch: (context: XlContext) => Promise<T>, options: SimRunOptions = {}): Promise<T> {
    const state: RunState = { grouped: Boolean(options.mergeUndoGroup) && this.clientGroups, undoEntry: null };
    if (state.grouped && !this.isSetSupported('ExcelApi', '1.20')) {
      throw new SimError('InvalidArgument', 'RunOptions.mergeUndoGroup requires ExcelApi 1.20.');
    }
    const executor = new RequestExecutor(this.protocolHost(state));
    const resolver = {
      _resolveRequestUrlAndHeaderInfo: () => Promise.resolve(null),
      _createRequestExecutorOrNull: () => executor,
    };
    const runOptions: Excel.RunOptions & { session: unknown } = { session: resolver };
    if (options.delayForCellEdit) runOptions.delayForCellEdit = true;
    if (options.mergeUndoGroup) runOptions.mergeUndoGroup = true;
    return this.officeJs.Excel.run(runOptions as Excel.RunOptions, (ctx: Excel.RequestContext) => batch(ctx));
  }

  isSetSupported(name: string, version: string): boolean {
    if (name === 'ExcelApi') return versionGte(this.apiVersion, version);
    // The library asks for DelayForCellEdit before it sets flag 64: Excel has it from ExcelApi 1.11.
    if (name === 'DelayForCellEdit') return versionGte(this.apiVersion, '1.11');
    return false;
  }

  /** Whether the Office.js client of this host can send mergeUndoGroup (see SimOptions.clientGroupsUndo). */
  canGroupUndo(): boolean {
    return this.clientGroups;
  }

  /** The file name, derived from the document URL exactly as the Office host derives it. */
  fileName(): string | undefined {
    return this.url === undefined ? this.name : fileNameFromUrl(this.url);
  }

  /** `Office.context.document.url` as this host reports it. */
  documentUrl(): string | undefined {
    return this.url;
  }

  // ---- the host side of the protocol ----------------------------------------------------------------

  private protocolHost(run: RunState): ProtocolHost {
    return {
      types: this.types,
      root: (): Handle => ({ type: 'Workbook', target: this.model }),
      beforeRequest: async (flags, bytes) => {
        this.inFlight++;
        // Excel on the web refuses a request above 5 MB before running any of it.
        if (this.payloadLimit !== null && bytes > this.payloadLimit) return officeError('RequestPayloadSizeLimitExceeded', this.locale);
        if (this.editing) {
          // A batch that arrives while the user is typing fails, unless it asked to wait (delayForCellEdit).
          if (!(flags & FLAG_DELAY_FOR_CELL_EDIT)) return officeError('InvalidOperationInCellEditMode', this.locale);
          await this.cellEditEnded();
        }
        return null;
      },
      beforeMember: (member: string, effect: Effect, undo: UndoSupport, stats: RequestStats) => {
        this.memberLog.push(member);
        const lost = undo === 'none' || (undo === 'web' && this.platform === 'web');
        if (effect === 'write' && lost && run.grouped) throw officeError('UndoNotSupported', this.locale, member);
        if (
          (member === 'Range.getMergedAreasOrNullObject' && this.undoLostBy.mergedAreas) ||
          (member === 'WorksheetCollection._RegisterSelectionChangedEvent' && this.undoLostBy.selectionHandler)
        ) {
          stats.undoLosingReads.push(member);
        }
      },
      afterRequest: (stats, changes) => {
        this.inFlight--;
        this.onRequest(stats, run);
        for (const w of changes) {
          const sheet = w.sheet as SheetModel;
          this.emit({
            type: 'WorksheetChanged',
            worksheetId: sheet.id,
            address: areaA1(w.area as Area),
            changeType: 'RangeEdited',
            source: 'Local',
            triggerSource: 'ThisLocalAddin',
          });
        }
      },
      responseLimit: () => this.payloadLimit,
      injectedFailure: () => this.injectedFailure(),
      error: (code: SimErrorCode, location?: string) => officeError(code, this.locale, location),
    };
  }

  private onRequest(stats: RequestStats, run: RunState): void {
    if (stats.cleanup) {
      this.cleanupCount++;
      return;
    }
    this.syncCount++;
    this.syncLog.push({ request: stats.request, response: stats.response, ops: stats.ops, writes: stats.writes, flags: stats.flags });
    const lost = stats.notUndoable.some((m) => !m.endsWith('.comment') || this.platform === 'web');
    if (stats.writes > 0) {
      this.writeCount += stats.writes;
      if (!this.isSetSupported('ExcelApi', '1.20') || lost) {
        // Below 1.20 any write clears the history; from 1.20 a member without undo support clears it from there.
        this.clearUndo();
        if (lost) {
          run.undoEntry = null;
        }
      } else if (run.grouped && run.undoEntry) {
        // Same undo step as the run's earlier syncs.
      } else {
        const step: UndoStep = { by: 'addin', label: `PerfSheet (${stats.writes})` };
        this.undoStack.push(step);
        run.undoEntry = step;
      }
    }
    if (stats.undoLosingReads.length) this.clearUndo();
    // Conditional formats, selection or cells may have changed: let views re-render.
    this.notify();
  }

  private clearUndo(): void {
    this.undoStack = [];
    this.undoClears++;
  }

  /** How many handlers the add-in has registered for worksheet changes. */
  get handlerCount(): number {
    return this.registrations.changed;
  }

  // ---- cell-edit mode ---------------------------------------------------------------------------------

  get cellEditing(): boolean {
    return this.editing;
  }

  cellEditEnded(): Promise<void> {
    if (!this.editing) return Promise.resolve();
    return new Promise((r) => this.editWaiters.push(r));
  }

  /** The user starts typing in a cell: batches fail (InvalidOperationInCellEditMode) or wait, until … */
  userBeginCellEdit(): void {
    this.editing = true;
  }

  /** … the user presses Enter or Esc. */
  userEndCellEdit(): void {
    this.editing = false;
    const w = this.editWaiters;
    this.editWaiters = [];
    w.forEach((f) => f());
  }

  /** Protects a sheet (as 审阅 → 保护工作表): PerfSheet's writes to it then fail with AccessDenied. */
  protectSheet(sheet: string, on = true): void {
    const s = this.sheetOrThrow(sheet);
    if (on) this.model.protectedSheets.add(s.id);
    else this.model.protectedSheets.delete(s.id);
  }

  // ---- counters -------------------------------------------------------------------------------------

  /** Injected failures: syncs still to come before each fails, after how many of its actions, and with what. */
  private failures: { syncs: number; afterOps: number; code: SimErrorCode }[] = [];

  /**
   * Makes the `nth` sync from now (1-based; the library's own clean-up requests do not count) fail with `code`
   * (a GeneralException by default) after `afterOps` of its actions ran (those stay done, as in Excel): for
   * tests of what an action leaves behind when a batch fails. `RequestPayloadSizeLimitExceeded` with 0 is a
   * batch Excel refuses for its size before running any of it.
   */
  failSync(nth: number, afterOps = 0, code: SimErrorCode = 'GeneralException'): void {
    this.failures.push({ syncs: nth, afterOps, code });
  }

  injectedFailure(): { afterOps: number; code: SimErrorCode } | null {
    let at: { afterOps: number; code: SimErrorCode } | null = null;
    for (const f of this.failures) if (--f.syncs === 0) at = { afterOps: f.afterOps, code: f.code };
    this.failures = this.failures.filter((f) => f.syncs > 0);
    return at;
  }

  resetCounters(): void {
    this.syncCount = 0;
    this.cleanupCount = 0;
    this.syncLog = [];
    this.writeCount = 0;
  }

  get maxPayload(): number {
    return this.syncLog.reduce((m, s) => Math.max(m, s.request, s.response), 0);
  }

  // ---- events ---------------------------------------------------------------------------------------

  /** Delivers a worksheet-changed event to the library (which calls the add-in's handlers), if one is registered. */
  private emit(full: XlWorksheetChangedEventArgs): void {
    let args: object = full;
    if (!this.withTriggerSource) {
      const { triggerSource: _omit, ...rest } = full;
      args = rest;
    }
    if (this.registrations.changed <= 0) return;
    this.deliver(EVENT_CHANGED, args);
  }

  private deliver(eventType: number, args: object): void {
    this.pendingEvents++;
    setTimeout(() => {
      try {
        this.officeJs.deliverEvent(eventType, args);
      } finally {
        this.pendingEvents--;
      }
    }, 0);
  }

  /**
   * Resolves when every event fired so far has been delivered and the add-in's requests in response have
   * been answered (the library does not say when a handler's promise settles: the host waits until it has
   * been idle for a few turns of the event loop).
   */
  async eventsSettled(): Promise<void> {
    let idle = 0;
    while (idle < 5) {
      await new Promise((r) => setTimeout(r, 0));
      idle = this.pendingEvents === 0 && this.inFlight === 0 ? idle + 1 : 0;
    }
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  // ---- user actions (what a person does in Excel) ---------------------------------------------------

  private sheetOrThrow(name: string): SheetModel {
    const s = this.model.sheetByKey(name);
    if (!s) throw new SimError('ItemNotFound', `No worksheet '${name}'.`);
    return s;
  }

  /** Types `text` into one cell, as a user would (text starting with = becomes a formula). */
  userEdit(sheet: string, address: string, text: string | number | null): void {
    const s = this.sheetOrThrow(sheet);
    const p = parseA1(address);
    if (!p) throw new SimError('InvalidArgument', `Bad address ${address}`);
    this.model.writeValue(s, p.r, p.c, text);
    this.undoStack.push({ by: 'user', label: `${sheet}!${address}` });
    this.emit({ type: 'WorksheetChanged', worksheetId: s.id, address: areaA1({ r0: p.r, c0: p.c, r1: p.r, c1: p.c }), changeType: 'RangeEdited', source: 'Local', triggerSource: 'Unknown' });
    this.notify();
  }

  /** Pastes a block of values with its top-left at `address`. */
  userPaste(sheet: string, address: string, values: (string | number | null)[][]): void {
    const s = this.sheetOrThrow(sheet);
    const p = parseA1(address);
    if (!p) throw new SimError('InvalidArgument', `Bad address ${address}`);
    values.forEach((row, r) => row.forEach((v, c) => this.model.writeValue(s, p.r + r, p.c + c, v)));
    this.undoStack.push({ by: 'user', label: `粘贴 ${sheet}!${address}` });
    const area = { r0: p.r, c0: p.c, r1: p.r + values.length - 1, c1: p.c + Math.max(1, ...values.map((r) => r.length)) - 1 };
    this.emit({ type: 'WorksheetChanged', worksheetId: s.id, address: areaA1(area), changeType: 'RangeEdited', source: 'Local', triggerSource: 'Unknown' });
    this.notify();
  }

  /** Inserts `count` empty rows above 1-based row `row`. */
  userInsertRows(sheet: string, row: number, count = 1): void {
    const s = this.sheetOrThrow(sheet);
    this.model.insertRows(s, row - 1, count);
    this.undoStack.push({ by: 'user', label: `插入行 ${sheet}!${row}` });
    this.emit({ type: 'WorksheetChanged', worksheetId: s.id, address: `${row}:${row + count - 1}`, changeType: 'RowInserted', source: 'Local', triggerSource: 'Unknown' });
    this.notify();
  }

  /** A sheet-tab click: the sheet becomes active; Excel's worksheets.onActivated follows (not onSelectionChanged). */
  userActivate(sheet: string): void {
    const s = this.sheetOrThrow(sheet);
    const changed = this.model.activeSheetId !== s.id;
    this.model.activeSheetId = s.id;
    this.notify();
    if (!changed) return;
    // What the library's onActivated handlers transform (eventType 11, WorksheetCollection._RegisterActivatedEvent).
    if (this.registrations.activated > 0) this.deliver(EVENT_ACTIVATED, { worksheetId: s.id });
  }

  userSelect(sheet: string, address: string): void {
    const s = this.sheetOrThrow(sheet);
    const p = parseSheetAddress(address);
    if (!p) return;
    this.model.activeSheetId = s.id;
    this.model.selection = { sheetId: s.id, area: p.area };
    this.notify();
    const args: XlWorksheetSelectionChangedEventArgs = { type: 'WorksheetSelectionChanged', worksheetId: s.id, address: areaA1(p.area) };
    if (this.registrations.selectionChanged > 0) this.deliver(EVENT_SELECTION_CHANGED, args);
  }

  // ---- views for the preview grid and for tests -----------------------------------------------------

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
    return s ? { sheet: s.ws.name, address: areaA1(sel.area) } : null;
  }

  /** The cell as Excel's API returns it (value "", number, text…; formula with "="; number format). */
  cell(sheet: string, address: string): { value: string | number | boolean; formula: string | null; numFmt: string } {
    const s = this.sheetOrThrow(sheet);
    const p = parseA1(address);
    if (!p) throw new SimError('InvalidArgument', `Bad address ${address}`);
    return this.model.readCell(s, p.r, p.c);
  }

  usedArea(sheet: string): Area | null {
    return this.model.usedArea(this.sheetOrThrow(sheet), false);
  }

  merges(sheet: string): Area[] {
    return this.model.merges(this.sheetOrThrow(sheet));
  }

  conditionalFormats(sheet: string): SimConditionalFormat[] {
    return this.sheetOrThrow(sheet).cfs;
  }

  /** A deep copy of every sheet's conditional formats (tests compare before/after). */
  snapshotConditionalFormats(): Record<string, Omit<SimConditionalFormat, 'raw'>[]> {
    const out: Record<string, Omit<SimConditionalFormat, 'raw'>[]> = {};
    for (const s of this.model.sheets) {
      out[s.ws.name] = s.cfs.map(({ raw: _raw, ...cf }) => JSON.parse(JSON.stringify(cf)));
    }
    return out;
  }

  /** Saves the workbook (cells, merges, formats, conditional formats) back to .xlsx bytes. */
  async save(): Promise<Uint8Array> {
    this.model.exportConditionalFormats();
    const buf = await this.model.wb.xlsx.writeBuffer();
    if (this.model.constantNames.size === 0) return new Uint8Array(buf as ArrayBuffer);
    // Names holding a constant (PerfSheet's stored choices), which ExcelJS cannot write: into workbook.xml.
    const zip = await JSZip.loadAsync(buf as ArrayBuffer);
    const part = 'xl/workbook.xml';
    let xml = await zip.file(part)!.async('string');
    const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    const entries = [...this.model.constantNames]
      .map(([name, c]) => `<definedName name="${esc(name)}"${c.visible ? '' : ' hidden="1"'}>${esc(c.formula.replace(/^=/, ''))}</definedName>`)
      .join('');
    if (/<definedNames>/.test(xml)) xml = xml.replace('</definedNames>', `${entries}</definedNames>`);
    else if (/<calcPr/.test(xml)) xml = xml.replace(/<calcPr/, `<definedNames>${entries}</definedNames><calcPr`);
    else xml = xml.replace('</sheets>', `</sheets><definedNames>${entries}</definedNames>`);
    zip.file(part, xml);
    return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  }
}
