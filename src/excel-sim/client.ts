/**
 * Client-side proxy objects of the simulated Excel host, with Office's batching semantics:
 * methods and property writes are queued and run in order at `context.sync()`; `load()` queues a read whose
 * result becomes readable only after the sync; reading a property that was not loaded and synced throws
 * PropertyNotLoaded, exactly like Office.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { Area, areaA1 } from '../domain/grid';
import { parseSheetAddress, sheetAddress, splitAddressList } from '../excel/address';
import type {
  XlConditionalFormat,
  XlConditionalFormatCollection,
  XlContext,
  XlCustomConditionalFormat,
  XlEventHandlerResult,
  XlEventHandlers,
  XlRange,
  XlRangeAreas,
  XlSetting,
  XlSettingCollection,
  XlWorkbook,
  XlWorksheet,
  XlWorksheetChangedEventArgs,
  XlWorksheetCollection,
  XlWorksheetActivatedEventArgs,
  XlWorksheetSelectionChangedEventArgs,
} from '../excel/api';
import { officeError, propertyNotLoaded, SimError, SimLocale } from './errors';
import type { SheetModel, SimConditionalFormat, WorkbookModel } from './model';

export const MAX_ROWS = 1_048_576;
export const MAX_COLS = 16_384;
/** Office refuses to return more than this many merged areas from one getMergedAreasOrNullObject call. */
export const MERGED_AREAS_LIMIT = 512;

const encoder = typeof TextEncoder !== 'undefined' ? new TextEncoder() : null;
export function jsonBytes(v: unknown): number {
  const s = JSON.stringify(v) ?? '';
  return encoder ? encoder.encode(s).length : s.length;
}

/** What the context reports to its host. */
export interface SimContextOwner {
  readonly model: WorkbookModel;
  readonly payloadLimit: number | null;
  readonly locale: SimLocale;
  /** True while the user is typing in a cell (Excel's cell-edit mode). */
  readonly cellEditing: boolean;
  /** Resolves when the user leaves cell-edit mode. */
  cellEditEnded(): Promise<void>;
  /** `writes`: operations of the sync that changed the workbook (cells, formats, settings, names, sheets). */
  onSync(stats: { request: number; response: number; ops: number; writes: number }, ctx: SimContext): void;
  onWrites(writes: { sheet: SheetModel; area: Area }[]): void;
  onSelection(): void;
  addHandler(h: (args: XlWorksheetChangedEventArgs) => Promise<any>): void;
  removeHandler(h: (args: XlWorksheetChangedEventArgs) => Promise<any>): void;
  addSelectionHandler(h: (args: XlWorksheetSelectionChangedEventArgs) => Promise<any>): void;
  addActivationHandler(h: (args: XlWorksheetActivatedEventArgs) => Promise<any>): void;
  removeSelectionHandler(h: (args: XlWorksheetSelectionChangedEventArgs) => Promise<any>): void;
}

/**
 * What an operation does: `write` changes the workbook (and so touches Excel's undo history), `read` loads,
 * `ui` changes only the view (selection, active sheet) or registers an event handler.
 */
export type OpKind = 'write' | 'read' | 'ui';

interface Op {
  request: number;
  kind: OpKind;
  run(): number; // returns response bytes
}

/** `Excel.run` options the host models (Excel.RunOptions). */
export interface SimRunOptions {
  delayForCellEdit?: boolean;
  mergeUndoGroup?: boolean;
}

export class SimContext implements XlContext {
  readonly workbook: SimWorkbook;
  private queue: Op[] = [];
  private pendingWrites: { sheet: SheetModel; area: Area }[] = [];
  /** Undo entry this run's writes went into (mergeUndoGroup), set by the host. */
  undoEntry: unknown = null;
  constructor(
    readonly owner: SimContextOwner,
    readonly options: SimRunOptions = {},
  ) {
    this.workbook = new SimWorkbook(this);
  }

  get model(): WorkbookModel {
    return this.owner.model;
  }

  get hasPending(): boolean {
    return this.queue.length > 0;
  }

  /** Queues an operation for the next sync; anything not declared a read or a view change counts as a write. */
  enqueue(request: number, run: () => number, kind: OpKind = 'write'): void {
    this.queue.push({ request: request + 40, kind, run });
  }

  /** Throws AccessDenied (as Office does) when `sheet` is protected: for writes to cells and formats. */
  guardProtected(sheet: SheetModel): void {
    if (this.model.protectedSheets.has(sheet.id)) throw officeError('AccessDenied', this.owner.locale);
  }

  noteWrite(sheet: SheetModel, area: Area): void {
    this.pendingWrites.push({ sheet, area });
  }

  async sync(): Promise<void> {
    if (this.owner.cellEditing) {
      // A batch that arrives while the user is typing fails, unless it asked to wait (delayForCellEdit).
      if (!this.options.delayForCellEdit) {
        this.queue = [];
        throw officeError('InvalidOperationInCellEditMode', this.owner.locale);
      }
      await this.owner.cellEditEnded();
    }
    const ops = this.queue;
    this.queue = [];
    const request = ops.reduce((s, o) => s + o.request, 0);
    let response = 0;
    let writeOps = 0;
    let failure: unknown = null;
    const limit = this.owner.payloadLimit;
    if (limit !== null && request > limit) {
      failure = officeError('RequestPayloadSizeLimitExceeded', this.owner.locale);
    } else {
      // Operations run in order; one that fails stops the batch, and those before it stay done (no rollback).
      for (const op of ops) {
        try {
          response += op.run();
          if (op.kind === 'write') writeOps++;
        } catch (e) {
          failure = e;
          break;
        }
      }
      if (!failure && limit !== null && response > limit) {
        failure = officeError('ResponsePayloadSizeLimitExceeded', this.owner.locale);
      }
    }
    this.owner.onSync({ request, response, ops: ops.length, writes: writeOps }, this);
    const writes = this.pendingWrites;
    this.pendingWrites = [];
    if (writes.length) this.owner.onWrites(writes);
    await Promise.resolve();
    if (failure) throw failure;
  }
}

type LoadPaths = string[];

function normalizeLoad(props?: string | string[] | Record<string, unknown>): LoadPaths {
  if (props === undefined) return [];
  const list = typeof props === 'string' ? props.split(',') : Array.isArray(props) ? props : Object.keys(props);
  return list.map((p) => p.trim()).filter(Boolean);
}

/** Base of every proxy: lazy target, queued loads, guarded property reads. */
abstract class SimObject {
  protected readonly data = new Map<string, unknown>();
  private nullLoaded: boolean | undefined;
  protected abstract readonly typeName: string;
  constructor(protected readonly ctx: SimContext) {}

  /** Resolves the object's target at sync time: null for a null object; throws for a missing item. */
  protected abstract resolve(): unknown;
  /** Scalar property read at sync time. */
  protected abstract scalar(name: string, target: any): unknown;
  /** Navigation property (another proxy), if `name` is one. */
  protected child(_name: string): SimObject | undefined {
    return undefined;
  }
  protected defaultProps(): string[] {
    return [];
  }

  load(props?: string | string[]): this {
    const paths = normalizeLoad(props as string | string[]);
    this.ctx.enqueue(jsonBytes(paths), () => this.applyLoad(paths.length ? paths : this.defaultProps()), 'read');
    return this;
  }

  applyLoad(paths: LoadPaths): number {
    const target = this.resolve();
    this.nullLoaded = target === null;
    if (target === null) return 30;
    let bytes = 2;
    const grouped = new Map<string, string[]>();
    for (const p of paths) {
      const [head, ...rest] = p.split('/');
      const arr = grouped.get(head) ?? [];
      if (rest.length) arr.push(rest.join('/'));
      grouped.set(head, arr);
    }
    for (const [head, rest] of grouped) bytes += this.loadOne(head, rest, target);
    return bytes;
  }

  protected loadOne(head: string, rest: string[], target: unknown): number {
    const ch = this.child(head);
    if (ch) return ch.applyLoad(rest.length ? rest : ch.defaultProps());
    if (head === 'isNullObject') return 5;
    const v = this.scalar(head, target);
    this.data.set(head, v);
    return jsonBytes(v) + head.length + 4;
  }

  protected get<T>(name: string): T {
    if (!this.data.has(name)) throw propertyNotLoaded(name, this.typeName);
    return this.data.get(name) as T;
  }

  get isNullObject(): boolean {
    if (this.nullLoaded === undefined) throw propertyNotLoaded('isNullObject', this.typeName);
    return this.nullLoaded;
  }

  protected unknownProp(name: string): never {
    throw new SimError('InvalidArgument', `The argument is invalid or missing or has an incorrect format (${this.typeName}.${name}).`);
  }
}

// ---------------------------------------------------------------------------------------------------

export class SimWorkbook implements XlWorkbook {
  readonly worksheets: SimWorksheetCollection;
  readonly settings: SimSettingCollection;
  /** Installed by report-api.ts (defined names). */
  declare readonly names: XlWorkbook['names'];
  constructor(ctx: SimContext) {
    this.worksheets = new SimWorksheetCollection(ctx);
    this.settings = new SimSettingCollection(ctx);
  }
}

class SimSelectionEvents implements XlEventHandlers<XlWorksheetSelectionChangedEventArgs> {
  constructor(private readonly ctx: SimContext) {}
  add(handler: (args: XlWorksheetSelectionChangedEventArgs) => Promise<any>): XlEventHandlerResult {
    this.ctx.enqueue(60, () => (this.ctx.owner.addSelectionHandler(handler), 10), 'ui');
    return { remove: () => this.ctx.enqueue(60, () => (this.ctx.owner.removeSelectionHandler(handler), 10), 'ui') };
  }
}

class SimActivationEvents implements XlEventHandlers<XlWorksheetActivatedEventArgs> {
  constructor(private readonly ctx: SimContext) {}
  add(handler: (args: XlWorksheetActivatedEventArgs) => Promise<any>): XlEventHandlerResult {
    this.ctx.enqueue(60, () => (this.ctx.owner.addActivationHandler(handler), 10), 'ui');
    return { remove: () => undefined };
  }
}

class SimEvents implements XlEventHandlers<XlWorksheetChangedEventArgs> {
  constructor(private readonly ctx: SimContext) {}
  add(handler: (args: XlWorksheetChangedEventArgs) => Promise<any>): XlEventHandlerResult {
    this.ctx.enqueue(
      60,
      () => {
        this.ctx.owner.addHandler(handler);
        return 10;
      },
      'ui',
    );
    return {
      remove: () => {
        this.ctx.enqueue(
          60,
          () => {
            this.ctx.owner.removeHandler(handler);
            return 10;
          },
          'ui',
        );
      },
    };
  }
}

export class SimWorksheetCollection extends SimObject implements XlWorksheetCollection {
  protected readonly typeName = 'WorksheetCollection';
  private itemList: SimWorksheet[] | null = null;
  readonly onChanged: SimEvents;
  readonly onSelectionChanged: SimSelectionEvents;
  readonly onActivated: SimActivationEvents;
  constructor(ctx: SimContext) {
    super(ctx);
    this.onChanged = new SimEvents(ctx);
    this.onSelectionChanged = new SimSelectionEvents(ctx);
    this.onActivated = new SimActivationEvents(ctx);
  }
  protected resolve(): unknown {
    return this.ctx.model.sheets;
  }
  protected scalar(name: string): unknown {
    return this.unknownProp(name);
  }
  protected override defaultProps(): string[] {
    return ['items/name', 'items/id'];
  }
  override applyLoad(paths: LoadPaths): number {
    const itemPaths = paths.map((p) => (p.startsWith('items/') ? p.slice(6) : p === 'items' ? 'name' : p));
    this.itemList = this.ctx.model.sheets.map((s) => new SimWorksheet(this.ctx, () => s));
    let bytes = 2;
    for (const it of this.itemList) bytes += it.applyLoad(itemPaths);
    return bytes;
  }
  get items(): SimWorksheet[] {
    if (!this.itemList) throw propertyNotLoaded('items', this.typeName);
    return this.itemList;
  }
  getItem(key: string): SimWorksheet {
    return new SimWorksheet(this.ctx, () => {
      const s = this.ctx.model.sheetByKey(key);
      if (!s) throw new SimError('ItemNotFound', `The requested resource doesn't exist (worksheet '${key}').`);
      return s;
    });
  }
  getItemOrNullObject(key: string): SimWorksheet {
    return new SimWorksheet(this.ctx, () => this.ctx.model.sheetByKey(key) ?? null);
  }
  getActiveWorksheet(): SimWorksheet {
    return new SimWorksheet(this.ctx, () => this.ctx.model.sheetById(this.ctx.model.activeSheetId) ?? this.ctx.model.sheets[0]);
  }
}

/** `worksheet.protection` (ExcelApi 1.2): only `protected` is modelled. */
export class SimWorksheetProtection extends SimObject {
  protected readonly typeName = 'WorksheetProtection';
  constructor(ctx: SimContext, private readonly target: () => SheetModel | null) {
    super(ctx);
  }
  protected resolve(): SheetModel | null {
    const s = this.target();
    if (!s) throw new SimError('InvalidOperation', 'The object is a null object.');
    return s;
  }
  protected scalar(name: string, s: SheetModel): unknown {
    if (name === 'protected') return this.ctx.model.protectedSheets.has(s.id);
    return this.unknownProp(name);
  }
  protected override defaultProps(): string[] {
    return ['protected'];
  }
  get protected(): boolean {
    return this.get('protected');
  }
}

export class SimWorksheet extends SimObject implements XlWorksheet {
  protected readonly typeName = 'Worksheet';
  readonly protection: SimWorksheetProtection;
  constructor(ctx: SimContext, private readonly target: () => SheetModel | null) {
    super(ctx);
    this.protection = new SimWorksheetProtection(ctx, target);
  }
  protected override child(name: string): SimObject | undefined {
    return name === 'protection' ? this.protection : undefined;
  }
  protected resolve(): SheetModel | null {
    return this.target();
  }
  protected scalar(name: string, s: SheetModel): unknown {
    switch (name) {
      case 'name':
        return s.ws.name;
      case 'id':
        return s.id;
      case 'position':
        return this.ctx.model.sheets.indexOf(s);
      case 'visibility':
        return s.ws.state === 'visible' ? 'Visible' : s.ws.state === 'hidden' ? 'Hidden' : 'VeryHidden';
      default:
        return this.unknownProp(name);
    }
  }
  protected override defaultProps(): string[] {
    return ['name', 'id', 'position', 'visibility'];
  }
  get name(): string {
    return this.get('name');
  }
  get id(): string {
    return this.get('id');
  }
  private sheetOrThrow(): SheetModel {
    const s = this.target();
    if (!s) throw new SimError('InvalidOperation', 'The object is a null object.');
    return s;
  }
  activate(): void {
    this.ctx.enqueue(
      40,
      () => {
        const s = this.sheetOrThrow();
        this.ctx.model.activeSheetId = s.id;
        this.ctx.owner.onSelection();
        return 10;
      },
      'ui',
    );
  }
  getRange(address?: string): SimRange {
    return new SimRange(this.ctx, () => {
      const s = this.sheetOrThrow();
      if (address === undefined || address === '') return { sheet: s, area: { r0: 0, c0: 0, r1: MAX_ROWS - 1, c1: MAX_COLS - 1 } };
      const p = parseSheetAddress(address);
      if (!p) throw new SimError('InvalidArgument', `The argument is invalid or missing or has an incorrect format (address '${address}').`);
      return { sheet: s, area: p.area };
    });
  }
  getRanges(address?: string): SimRangeAreas {
    return new SimRangeAreas(this.ctx, () => {
      const s = this.sheetOrThrow();
      const areas = splitAddressList(address ?? '').map((a) => {
        const p = parseSheetAddress(a);
        if (!p) throw new SimError('InvalidArgument', `The argument is invalid or missing or has an incorrect format (address '${a}').`);
        return p.area;
      });
      return { sheet: s, areas };
    });
  }
  getUsedRangeOrNullObject(valuesOnly?: boolean): SimRange {
    return new SimRange(this.ctx, () => {
      const s = this.sheetOrThrow();
      const a = this.ctx.model.usedArea(s, Boolean(valuesOnly));
      return a ? { sheet: s, area: a } : null;
    });
  }
  findAllOrNullObject(text: string, criteria: { completeMatch?: boolean; matchCase?: boolean }): SimRangeAreas {
    return new SimRangeAreas(this.ctx, () => {
      const s = this.sheetOrThrow();
      const used = this.ctx.model.usedArea(s, true);
      if (!used) return null;
      const needle = criteria.matchCase ? text : text.toLowerCase();
      const areas: Area[] = [];
      s.ws.eachRow({ includeEmpty: false }, (row, rn) => {
        row.eachCell({ includeEmpty: false }, (_cell, cn) => {
          const v = this.ctx.model.readCell(s, rn - 1, cn - 1).value;
          if (v === '') return;
          const hay = criteria.matchCase ? String(v) : String(v).toLowerCase();
          if (criteria.completeMatch ? hay === needle : hay.includes(needle)) areas.push({ r0: rn - 1, c0: cn - 1, r1: rn - 1, c1: cn - 1 });
        });
      });
      return areas.length ? { sheet: s, areas } : null;
    });
  }
}

interface RangeTarget {
  sheet: SheetModel;
  area: Area;
}

function cellsOf(area: Area): number {
  return (area.r1 - area.r0 + 1) * (area.c1 - area.c0 + 1);
}

export class SimRange extends SimObject implements XlRange {
  protected readonly typeName = 'Range';
  private cfCollection: SimConditionalFormatCollection | null = null;
  constructor(ctx: SimContext, private readonly target: () => RangeTarget | null) {
    super(ctx);
  }
  protected resolve(): RangeTarget | null {
    return this.target();
  }
  private grid(t: RangeTarget, pick: (r: number, c: number) => unknown): unknown[][] {
    if (cellsOf(t.area) > 5_000_000) {
      throw new SimError('RequestPayloadSizeLimitExceeded', 'The response payload size has exceeded the limit.');
    }
    const out: unknown[][] = [];
    for (let r = t.area.r0; r <= t.area.r1; r++) {
      const row: unknown[] = [];
      for (let c = t.area.c0; c <= t.area.c1; c++) row.push(pick(r, c));
      out.push(row);
    }
    return out;
  }
  protected scalar(name: string, t: RangeTarget): unknown {
    const m = this.ctx.model;
    switch (name) {
      case 'address':
        return sheetAddress(t.sheet.ws.name, t.area);
      case 'rowIndex':
        return t.area.r0;
      case 'columnIndex':
        return t.area.c0;
      case 'rowCount':
        return t.area.r1 - t.area.r0 + 1;
      case 'columnCount':
        return t.area.c1 - t.area.c0 + 1;
      case 'cellCount':
        return cellsOf(t.area);
      case 'values':
        return this.grid(t, (r, c) => m.readCell(t.sheet, r, c).value);
      case 'formulas':
        return this.grid(t, (r, c) => {
          const cell = m.readCell(t.sheet, r, c);
          return cell.formula ?? cell.value;
        });
      case 'numberFormat':
        return this.grid(t, (r, c) => m.readCell(t.sheet, r, c).numFmt);
      default:
        return this.unknownProp(name);
    }
  }
  protected override defaultProps(): string[] {
    return ['address', 'rowIndex', 'columnIndex', 'rowCount', 'columnCount', 'values', 'formulas', 'numberFormat'];
  }
  get address(): string {
    return this.get('address');
  }
  get rowIndex(): number {
    return this.get('rowIndex');
  }
  get columnIndex(): number {
    return this.get('columnIndex');
  }
  get rowCount(): number {
    return this.get('rowCount');
  }
  get columnCount(): number {
    return this.get('columnCount');
  }
  get values(): any[][] {
    return this.get('values');
  }
  set values(v: any[][]) {
    this.queueWrite('values', v, (s, r, c, x, area) => this.ctx.model.writeValue(s, r, c, x, area));
  }
  get formulas(): any[][] {
    return this.get('formulas');
  }
  set formulas(v: any[][]) {
    this.queueWrite('formulas', v, (s, r, c, x, area) => this.ctx.model.writeFormula(s, r, c, x, area));
  }
  get numberFormat(): any[][] {
    return this.get('numberFormat');
  }
  set numberFormat(v: any[][]) {
    this.queueWrite('numberFormat', v, (s, r, c, x) => this.ctx.model.writeNumberFormat(s, r, c, x), false);
  }
  private queueWrite(
    prop: string,
    v: unknown,
    write: (s: SheetModel, r: number, c: number, x: unknown, area: Area) => void,
    isDataChange = true,
  ): void {
    this.data.delete(prop);
    this.ctx.enqueue(jsonBytes(v), () => {
      const t = this.target();
      if (!t) throw new SimError('InvalidOperation', 'The object is a null object.');
      this.ctx.guardProtected(t.sheet);
      const rows = t.area.r1 - t.area.r0 + 1;
      const cols = t.area.c1 - t.area.c0 + 1;
      const scalar = !Array.isArray(v);
      if (!scalar) {
        const arr = v as unknown[][];
        if (arr.length !== rows || arr.some((row) => !Array.isArray(row) || row.length !== cols)) {
          throw new SimError(
            'InvalidArgument',
            `The number of rows or columns in the input array doesn't match the size or dimensions of the range.`,
          );
        }
      }
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          write(t.sheet, t.area.r0 + r, t.area.c0 + c, scalar ? v : (v as unknown[][])[r][c], t.area);
        }
      }
      if (isDataChange) this.ctx.noteWrite(t.sheet, t.area);
      return 10;
    });
  }
  get conditionalFormats(): SimConditionalFormatCollection {
    this.cfCollection ??= new SimConditionalFormatCollection(this.ctx, () => {
      const t = this.target();
      return t ? { sheet: t.sheet, areas: [t.area] } : null;
    });
    return this.cfCollection;
  }
  getMergedAreasOrNullObject(): SimRangeAreas {
    return new SimRangeAreas(this.ctx, () => {
      const t = this.target();
      if (!t) return null;
      // Office returns only the merged areas whose top-left cell lies inside the queried range …
      const areas = this.ctx.model
        .merges(t.sheet)
        .filter((m) => m.r0 >= t.area.r0 && m.r0 <= t.area.r1 && m.c0 >= t.area.c0 && m.c0 <= t.area.c1)
        .sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0);
      // … and fails when there are more than 512 of them.
      if (areas.length > MERGED_AREAS_LIMIT) {
        throw new SimError('GeneralException', `There are more than ${MERGED_AREAS_LIMIT} merged areas in the range; the operation failed.`);
      }
      return areas.length ? { sheet: t.sheet, areas } : null;
    });
  }
  getSpecialCellsOrNullObject(cellType: 'Formulas'): SimRangeAreas {
    return new SimRangeAreas(this.ctx, () => {
      const t = this.target();
      if (!t) return null;
      if (cellType !== 'Formulas') throw new SimError('InvalidArgument', `Special cell type ${cellType} is not simulated.`);
      // Formula cells inside the range, as horizontal runs (Excel also reports contiguous cells as areas).
      const areas: Area[] = [];
      const m = this.ctx.model;
      t.sheet.ws.eachRow({ includeEmpty: false }, (row, rn) => {
        const r = rn - 1;
        if (r < t.area.r0 || r > t.area.r1) return;
        row.eachCell({ includeEmpty: false }, (_cell, cn) => {
          const c = cn - 1;
          if (c < t.area.c0 || c > t.area.c1 || m.readCell(t.sheet, r, c).formula === null) return;
          const last = areas[areas.length - 1];
          if (last && last.r0 === r && last.c1 === c - 1) last.c1 = c;
          else areas.push({ r0: r, c0: c, r1: r, c1: c });
        });
      });
      return areas.length ? { sheet: t.sheet, areas } : null;
    });
  }
  select(): void {
    this.ctx.enqueue(
      40,
      () => {
        const t = this.target();
        if (!t) throw new SimError('InvalidOperation', 'The object is a null object.');
        if (t.sheet.id !== this.ctx.model.activeSheetId) {
          throw new SimError('InvalidOperation', 'Cannot select a range on a worksheet that is not active.');
        }
        this.ctx.model.selection = { sheetId: t.sheet.id, area: { ...t.area } };
        this.ctx.owner.onSelection();
        return 10;
      },
      'ui',
    );
  }
}

interface AreasTarget {
  sheet: SheetModel;
  areas: Area[];
}

export class SimRangeAreas extends SimObject implements XlRangeAreas {
  protected readonly typeName = 'RangeAreas';
  private cfCollection: SimConditionalFormatCollection | null = null;
  constructor(ctx: SimContext, private readonly target: () => AreasTarget | null) {
    super(ctx);
  }
  protected resolve(): AreasTarget | null {
    return this.target();
  }
  protected scalar(name: string, t: AreasTarget): unknown {
    switch (name) {
      case 'address':
        return t.areas.map((a) => sheetAddress(t.sheet.ws.name, a)).join(',');
      case 'areaCount':
        return t.areas.length;
      default:
        return this.unknownProp(name);
    }
  }
  protected override defaultProps(): string[] {
    return ['address', 'areaCount'];
  }
  get address(): string {
    return this.get('address');
  }
  get areaCount(): number {
    return this.get('areaCount');
  }
  get conditionalFormats(): SimConditionalFormatCollection {
    this.cfCollection ??= new SimConditionalFormatCollection(this.ctx, () => this.target());
    return this.cfCollection;
  }
}

export class SimConditionalFormatCollection extends SimObject implements XlConditionalFormatCollection {
  protected readonly typeName = 'ConditionalFormatCollection';
  private itemList: SimConditionalFormatProxy[] | null = null;
  constructor(ctx: SimContext, private readonly target: () => AreasTarget | null) {
    super(ctx);
  }
  protected resolve(): AreasTarget | null {
    return this.target();
  }
  protected scalar(name: string): unknown {
    return this.unknownProp(name);
  }
  override applyLoad(paths: LoadPaths): number {
    const t = this.target();
    if (!t) throw new SimError('InvalidOperation', 'The object is a null object.');
    const itemPaths = paths.map((p) => (p.startsWith('items/') ? p.slice(6) : p === 'items' ? 'id' : p));
    const found = this.ctx.model.conditionalFormatsIn(t.sheet, t.areas);
    this.itemList = found.map((cf) => new SimConditionalFormatProxy(this.ctx, () => ({ sheet: t.sheet, cf })));
    let bytes = 2;
    for (const it of this.itemList) bytes += it.applyLoad(itemPaths.length ? itemPaths : ['id', 'type', 'priority', 'stopIfTrue']);
    return bytes;
  }
  get items(): SimConditionalFormatProxy[] {
    if (!this.itemList) throw propertyNotLoaded('items', this.typeName);
    return this.itemList;
  }
  add(type: 'Custom'): SimConditionalFormatProxy {
    let created: { sheet: SheetModel; cf: SimConditionalFormat } | null = null;
    this.ctx.enqueue(60, () => {
      const t = this.target();
      if (!t) throw new SimError('InvalidOperation', 'The object is a null object.');
      this.ctx.guardProtected(t.sheet);
      created = { sheet: t.sheet, cf: this.ctx.model.addConditionalFormat(t.sheet, t.areas, type) };
      return 10;
    });
    return new SimConditionalFormatProxy(this.ctx, () => {
      if (!created) throw new SimError('GeneralException', 'The conditional format was not created.');
      return created;
    });
  }
  getItem(id: string): SimConditionalFormatProxy {
    return new SimConditionalFormatProxy(this.ctx, () => {
      const t = this.target();
      const cf = t?.sheet.cfs.find((c) => c.id === id);
      if (!t || !cf) throw new SimError('ItemNotFound', `The requested resource doesn't exist (conditional format '${id}').`);
      return { sheet: t.sheet, cf };
    });
  }
}

interface CfTarget {
  sheet: SheetModel;
  cf: SimConditionalFormat;
}

class SimCfPart extends SimObject {
  protected readonly typeName: string;
  private readonly children = new Map<string, SimCfPart>();
  constructor(
    ctx: SimContext,
    typeName: string,
    private readonly target: () => CfTarget | null,
    private readonly props: Record<string, { get: (cf: SimConditionalFormat) => unknown; set?: (cf: SimConditionalFormat, v: any) => void }>,
    childDefs: Record<string, SimCfPart> = {},
  ) {
    super(ctx);
    this.typeName = typeName;
    for (const [k, v] of Object.entries(childDefs)) this.children.set(k, v);
    for (const [k, def] of Object.entries(props)) {
      Object.defineProperty(this, k, {
        get: () => this.get(k),
        set: (v: unknown) => {
          if (!def.set) throw new SimError('InvalidArgument', `${typeName}.${k} is read-only.`);
          this.ctx.enqueue(jsonBytes(v), () => {
            const t = this.target();
            if (!t) throw new SimError('InvalidOperation', 'The object is a null object.');
            def.set!(t.cf, v);
            return 10;
          });
        },
        enumerable: true,
      });
    }
    for (const [k, v] of this.children) Object.defineProperty(this, k, { get: () => v, enumerable: true });
  }
  protected resolve(): CfTarget | null {
    return this.target();
  }
  protected scalar(name: string, t: CfTarget): unknown {
    const def = this.props[name];
    if (!def) return this.unknownProp(name);
    return def.get(t.cf);
  }
  protected override child(name: string): SimObject | undefined {
    return this.children.get(name);
  }
  protected override defaultProps(): string[] {
    return Object.keys(this.props);
  }
}

function customPart(ctx: SimContext, target: () => CfTarget | null): SimCfPart {
  const rule = new SimCfPart(ctx, 'ConditionalFormatRule', target, {
    formula: { get: (cf) => cf.formula, set: (cf, v) => (cf.formula = String(v)) },
  });
  const fill = new SimCfPart(ctx, 'ConditionalRangeFill', target, {
    color: { get: (cf) => cf.fill, set: (cf, v) => (cf.fill = String(v).toUpperCase()) },
  });
  const font = new SimCfPart(ctx, 'ConditionalRangeFont', target, {
    color: { get: (cf) => cf.fontColor, set: (cf, v) => (cf.fontColor = String(v).toUpperCase()) },
  });
  const format = new SimCfPart(ctx, 'ConditionalRangeFormat', target, {}, { fill, font });
  return new SimCfPart(ctx, 'CustomConditionalFormat', target, {}, { rule, format });
}

export class SimConditionalFormatProxy extends SimObject implements XlConditionalFormat {
  protected readonly typeName = 'ConditionalFormat';
  readonly custom: XlCustomConditionalFormat;
  readonly customOrNullObject: XlCustomConditionalFormat;
  private readonly customPart: SimCfPart;
  private readonly customOrNullPart: SimCfPart;
  constructor(ctx: SimContext, private readonly target: () => CfTarget | null) {
    super(ctx);
    this.customPart = customPart(ctx, () => {
      const t = this.target();
      if (t && t.cf.type !== 'Custom') throw new SimError('InvalidOperation', 'The conditional format is not of type Custom.');
      return t;
    });
    this.customOrNullPart = customPart(ctx, () => {
      const t = this.target();
      return t && t.cf.type === 'Custom' ? t : null;
    });
    this.custom = this.customPart as unknown as XlCustomConditionalFormat;
    this.customOrNullObject = this.customOrNullPart as unknown as XlCustomConditionalFormat;
  }
  protected resolve(): CfTarget | null {
    return this.target();
  }
  protected override child(name: string): SimObject | undefined {
    if (name === 'custom') return this.customPart;
    if (name === 'customOrNullObject') return this.customOrNullPart;
    return undefined;
  }
  protected scalar(name: string, t: CfTarget): unknown {
    switch (name) {
      case 'id':
        return t.cf.id;
      case 'type':
        return t.cf.type;
      case 'priority':
        return t.cf.priority;
      case 'stopIfTrue':
        return t.cf.stopIfTrue;
      default:
        return this.unknownProp(name);
    }
  }
  get id(): string {
    return this.get('id');
  }
  get type(): string {
    return this.get('type');
  }
  get priority(): number {
    return this.get('priority');
  }
  set priority(v: number) {
    this.ctx.enqueue(20, () => {
      const t = this.target();
      if (t) t.cf.priority = v;
      return 5;
    });
  }
  get stopIfTrue(): boolean {
    return this.get('stopIfTrue');
  }
  set stopIfTrue(v: boolean) {
    this.ctx.enqueue(20, () => {
      const t = this.target();
      if (t) t.cf.stopIfTrue = v;
      return 5;
    });
  }
  delete(): void {
    this.ctx.enqueue(40, () => {
      const t = this.target();
      if (!t) throw new SimError('ItemNotFound', "The requested resource doesn't exist.");
      this.ctx.guardProtected(t.sheet);
      this.ctx.model.deleteConditionalFormat(t.sheet, t.cf.id);
      return 5;
    });
  }
}

export class SimSettingCollection implements XlSettingCollection {
  constructor(private readonly ctx: SimContext) {}
  add(key: string, value: unknown): SimSetting {
    this.ctx.enqueue(jsonBytes(value) + key.length, () => {
      this.ctx.model.settings.set(key, JSON.stringify(value ?? null));
      return 10;
    });
    return new SimSetting(this.ctx, key, () => key);
  }
  getItemOrNullObject(key: string): SimSetting {
    return new SimSetting(this.ctx, key, () => (this.ctx.model.settings.has(key) ? key : null));
  }
}

export class SimSetting extends SimObject implements XlSetting {
  protected readonly typeName = 'Setting';
  constructor(ctx: SimContext, readonly key: string, private readonly target: () => string | null) {
    super(ctx);
  }
  protected resolve(): string | null {
    return this.target();
  }
  protected scalar(name: string, key: string): unknown {
    if (name === 'key') return key;
    if (name === 'value') return JSON.parse(this.ctx.model.settings.get(key) ?? 'null');
    return this.unknownProp(name);
  }
  protected override defaultProps(): string[] {
    return ['key', 'value'];
  }
  get value(): any {
    return this.get('value');
  }
  set value(v: any) {
    this.ctx.enqueue(jsonBytes(v), () => {
      this.ctx.model.settings.set(this.key, JSON.stringify(v ?? null));
      return 5;
    });
  }
}

export function areaAddress(area: Area): string {
  return areaA1(area);
}
