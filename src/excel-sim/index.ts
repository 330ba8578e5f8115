/**
 * SimExcel: an in-memory Excel host implementing the part of the Excel JavaScript API that PerfSheet uses
 * (see src/excel/api.ts), backed by ExcelJS so it opens real .xlsx files and saves them back.
 *
 * - `run(batch)` behaves like `Excel.run`: a fresh request context; pending operations are flushed when
 *   the batch resolves.
 * - Every `context.sync()` is counted (`syncCount`, `syncLog` with request/response payload sizes), and a
 *   sync whose request or response exceeds `payloadLimit` (default 5 MB, as Excel on the web) fails.
 * - Worksheet change events fire after the sync that changed cells (triggerSource `ThisLocalAddin`), or
 *   after a user action (`userEdit`, `userPaste`, `userInsertRows`: triggerSource `Unknown`, source `Local`).
 *
 * Works in Node (jest) and in the browser bundle (ExcelJS's browser build).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import ExcelJS from 'exceljs';
import { Area, areaA1, parseA1 } from '../domain/grid';
import type { ExcelHost, XlContext, XlWorksheetActivatedEventArgs, XlWorksheetChangedEventArgs, XlWorksheetSelectionChangedEventArgs } from '../excel/api';
import { parseSheetAddress } from '../excel/address';
import { loadWorkbook } from '../xlsx/read';
import { XlsxPackage } from '../xlsx/package';
import { readDefinedNames } from '../xlsx/choices';
import { stringConstant } from '../domain/settings';
import JSZip from 'jszip';
import { SimContext, SimContextOwner, SimRunOptions } from './client';
import { installReportApi } from './report-api';
import { installTemplateApi } from './template-api';
import { SimError, SimLocale } from './errors';
import { fileNameFromUrl } from '../excel/filename';
import { SheetModel, SimConditionalFormat, WorkbookModel } from './model';

export { SimError, officeError } from './errors';
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
}

type Handler = (args: XlWorksheetChangedEventArgs) => Promise<any>;
type SelectionHandler = (args: XlWorksheetSelectionChangedEventArgs) => Promise<any>;

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

export class SimExcel implements ExcelHost, SimContextOwner {
  readonly model: WorkbookModel;
  readonly payloadLimit: number | null;
  readonly apiVersion: string;
  private readonly name: string | undefined;
  private readonly url: string | undefined;
  private readonly withTriggerSource: boolean;
  readonly locale: SimLocale;
  syncCount = 0;
  syncLog: SyncStat[] = [];
  /** Operations that changed the workbook (cells, formats, conditional formats, settings, names, sheets). */
  writeCount = 0;
  /**
   * Excel's undo history. Below ExcelApi 1.20 any write by an add-in clears it (office-js #3788); from 1.20
   * each sync with writes is one step, or the whole run is when it asked for `mergeUndoGroup`.
   */
  undoStack: UndoStep[] = [];
  /** How many times an add-in's write cleared the undo history. */
  undoClears = 0;
  private editing = false;
  private editWaiters: (() => void)[] = [];
  private readonly handlers = new Set<Handler>();
  private readonly selectionHandlers = new Set<SelectionHandler>();
  private readonly activationHandlers = new Set<(args: XlWorksheetActivatedEventArgs) => Promise<any>>();
  private readonly listeners = new Set<() => void>();
  private pendingEvents = 0;
  private idleWaiters: (() => void)[] = [];
  /** Incremented on every change the UI may want to re-render for. */
  version = 0;

  constructor(wb: ExcelJS.Workbook, opts: SimOptions = {}) {
    installReportApi(); // worksheets.add, formats, names … for the report sheet (idempotent)
    installTemplateApi(); // data validation and sheet visibility for new forms (idempotent)
    this.model = new WorkbookModel(wb);
    this.payloadLimit = opts.payloadLimit === undefined ? 5 * 1024 * 1024 : opts.payloadLimit;
    this.apiVersion = opts.apiVersion ?? '1.17';
    this.name = opts.fileName;
    this.url = opts.url ?? (opts.fileName ? `C:\\Users\\user\\Documents\\${opts.fileName}` : undefined);
    this.withTriggerSource = opts.triggerSource ?? true;
    this.locale = opts.locale ?? 'en-US';
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

  // ---- ExcelHost ------------------------------------------------------------------------------------

  async run<T>(batch: (context: XlContext) => Promise<T>, options: SimRunOptions = {}): Promise<T> {
    if (options.mergeUndoGroup && !this.isSetSupported('ExcelApi', '1.20')) {
      throw new SimError('InvalidArgument', 'RunOptions.mergeUndoGroup requires ExcelApi 1.20.');
    }
    const ctx = new SimContext(this, options);
    const result = await batch(ctx);
    if (ctx.hasPending) await ctx.sync();
    return result;
  }

  isSetSupported(name: string, version: string): boolean {
    return name === 'ExcelApi' && versionGte(this.apiVersion, version);
  }

  /** The file name, derived from the document URL exactly as the Office host derives it. */
  fileName(): string | undefined {
    return this.url === undefined ? this.name : fileNameFromUrl(this.url);
  }

  /** `Office.context.document.url` as this host reports it. */
  documentUrl(): string | undefined {
    return this.url;
  }

  // ---- SimContextOwner ------------------------------------------------------------------------------

  onSync(stats: SyncStat, ctx: SimContext): void {
    this.syncCount++;
    this.syncLog.push(stats);
    if (stats.writes > 0) {
      this.writeCount += stats.writes;
      if (!this.isSetSupported('ExcelApi', '1.20')) {
        this.undoStack = [];
        this.undoClears++;
      } else if (ctx.options.mergeUndoGroup && ctx.undoEntry) {
        // Same undo step as the run's earlier syncs.
      } else {
        const step: UndoStep = { by: 'addin', label: `PerfSheet (${stats.writes})` };
        this.undoStack.push(step);
        ctx.undoEntry = step;
      }
    }
    // Conditional formats, selection or cells may have changed: let views re-render.
    this.notify();
  }

  onWrites(writes: { sheet: SheetModel; area: Area }[]): void {
    for (const w of writes) {
      this.emit({
        type: 'WorksheetChanged',
        worksheetId: w.sheet.id,
        address: areaA1(w.area),
        changeType: 'RangeEdited',
        source: 'Local',
        triggerSource: 'ThisLocalAddin',
      });
    }
  }

  onSelection(): void {
    this.notify();
  }

  addActivationHandler(h: (args: XlWorksheetActivatedEventArgs) => Promise<any>): void {
    this.activationHandlers.add(h);
  }

  addSelectionHandler(h: SelectionHandler): void {
    this.selectionHandlers.add(h);
  }

  removeSelectionHandler(h: SelectionHandler): void {
    this.selectionHandlers.delete(h);
  }

  addHandler(h: Handler): void {
    this.handlers.add(h);
  }

  removeHandler(h: Handler): void {
    this.handlers.delete(h);
  }

  get handlerCount(): number {
    return this.handlers.size;
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

  resetCounters(): void {
    this.syncCount = 0;
    this.syncLog = [];
    this.writeCount = 0;
  }

  get maxPayload(): number {
    return this.syncLog.reduce((m, s) => Math.max(m, s.request, s.response), 0);
  }

  // ---- events ---------------------------------------------------------------------------------------

  private emit(full: XlWorksheetChangedEventArgs): void {
    const list = [...this.handlers];
    let args = full;
    if (!this.withTriggerSource) {
      const { triggerSource: _omit, ...rest } = full;
      args = rest;
    }
    if (!list.length) return;
    this.pendingEvents++;
    setTimeout(() => {
      void Promise.all(
        list.map((h) =>
          Promise.resolve()
            .then(() => h(args))
            .catch((e) => console.error('PerfSheet sim: event handler failed', e)),
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
    const args: XlWorksheetActivatedEventArgs = { type: 'WorksheetActivated', worksheetId: s.id };
    for (const h of [...this.activationHandlers]) {
      setTimeout(() => void Promise.resolve(h(args)).catch((e) => console.error('PerfSheet sim: activation handler failed', e)), 0);
    }
  }

  userSelect(sheet: string, address: string): void {
    const s = this.sheetOrThrow(sheet);
    const p = parseSheetAddress(address);
    if (!p) return;
    this.model.activeSheetId = s.id;
    this.model.selection = { sheetId: s.id, area: p.area };
    this.notify();
    const args: XlWorksheetSelectionChangedEventArgs = { type: 'WorksheetSelectionChanged', worksheetId: s.id, address: areaA1(p.area) };
    for (const h of [...this.selectionHandlers]) {
      setTimeout(() => void Promise.resolve(h(args)).catch((e) => console.error('PerfSheet sim: selection handler failed', e)), 0);
    }
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
