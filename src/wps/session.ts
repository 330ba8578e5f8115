/**
 * The add-in's operations on the open workbook in WPS 表格 (a WPS 加载项), behind the same `WorkbookSession`
 * contract as Excel's (src/excel/session.ts): the pane cannot tell the hosts apart except by their wording.
 *
 * WPS's object model is synchronous, and every property read, write and method call crosses into the WPS
 * process. Each operation therefore reads whole ranges in one call each and counts its calls (`lastCalls`,
 * through a counting view of `Application`, src/wps/counting.ts); the budgets are held by tests
 * (test/wps/budgets.test.ts):
 *
 *   check          per sheet a constant, plus 4 per merged area, 2 per number-format rectangle and per
 *                  defined name (a sheet in one number format and without merges: about 20 calls)
 *   recheckSheet   the same for one sheet, and no write
 *   highlight      per sheet 3, plus 2 per existing conditional format, 6 per group of marked cells
 *   applyEdits     per edit 5 or 6, per sheet 2
 *   select         4
 *   saveProfile    2 or 3
 *
 * Opening the pane and the live re-checks never write. Every write is a user's action, made with
 * `Application.EnableEvents` off so that PerfSheet's own writes raise no SheetChange (and, should a host
 * ignore that switch, a change for exactly the cells just written is taken for its echo — never the user's
 * edit of any other cell, however soon after).
 *
 * Sheet ids are the sheets' names: WPS has no stable id that survives a rename, so a renamed sheet is found
 * again by the next check.
 */
import { escapeForValues, isFormula, shownContent } from '../domain/cells';
import { excelTextValue } from '../domain/report';
import { analyzeSheet, analyzeWorkbook, workbookYear } from '../domain/engine';
import { Area, parseA1 } from '../domain/grid';
import { marksFor } from '../domain/marks';
import {
  CheckResult,
  EditOutcome,
  HOST_LABELS,
  MarkOutcome,
  PriorCell,
  Progress,
  ProfileIdSchema,
  RecheckResult,
  resolveProfile,
  SessionError,
  SheetInfo,
  StoredProfileId,
  WorkbookSession,
} from '../domain/session';
import { constantFormula, encodeReview, nextReviewName, parseChoices, PROFILE_NAME, Review, reviewKey, WorkbookChoices } from '../domain/settings';
import type { TemplateKind } from '../domain/templates';
import type { CellEdit, Finding, TableResult, WorkbookResult } from '../domain/types';
import type { WpsApplication, WpsRange, WpsSheets, WpsWorksheet } from './api';
import { CallCounter, counted } from './counting';
import { areaOfAddress, areasOfAddress } from './address';
import { addMarks, deleteMarks } from './marks';
import { NoWorkbookError, readOneSheet, readWorkbook } from './read';
import { generateReportInWps, WpsReportError } from './report';
import { quietly } from './render';
import { insertSelfEvalsInWps, insertTemplateInWps, WpsTemplateError } from './template';

/** How long after a write a change event for the cells written is taken for its echo. */
const OWN_CHANGE_MS = 2_000;

/** What a write costs the user's undo history in WPS (said once in the pane). */
export const WPS_UNDO_NOTICE =
  'WPS 表格中，加载项的写入（标记、回填、报告、复核、新建表格、转为自评表和更改评分标准）可能无法用撤销（Ctrl+Z）还原，' +
  '也可能清空之前的撤销记录。写入前建议先保存工作簿。检查和实时检查不写入工作簿。';

/** A Chinese explanation of an error thrown by WPS (or the adapter). */
export function describeWpsError(e: unknown): string {
  if (e instanceof SessionError || e instanceof WpsReportError || e instanceof WpsTemplateError || e instanceof NoWorkbookError) return e.message;
  const msg = (e as { message?: string })?.message ?? String(e);
  if (/protect|保护/i.test(msg)) return '工作表或工作簿受保护，无法写入。请在「审阅」中取消保护后重试。';
  if (/edit mode|编辑状态|编辑模式/i.test(msg)) return 'WPS 表格正处于单元格编辑状态：请先按 Enter 或 Esc 结束编辑，再重试。';
  return `操作失败：${msg}`;
}

export interface WpsSessionOptions {
  /** The workbook's file name when `ActiveWorkbook.Name` cannot say (tests). */
  fileName?: string;
}

export class WpsSession implements WorkbookSession {
  readonly hostKind = 'wps' as const;
  readonly callUnit = '次 WPS 调用';
  readonly undoNotice = WPS_UNDO_NOTICE;
  /** Whether the user can undo the add-in's writes: not known to hold in WPS, so the pane says so once. */
  readonly undoable = false;
  lastCalls = 0;
  sheets: SheetInfo[] = [];
  profile: StoredProfileId = 'central';
  year: number | null = null;
  activeSheet: string | null = null;
  marked = new Set<string>();
  live = true;
  /** Change events ignored because they were PerfSheet's own writes. */
  ignoredEvents = 0;

  private readonly counter: CallCounter = { calls: 0 };
  /** The counting view of `Application`: every call the adapter makes goes through it. */
  private readonly app: WpsApplication;
  private choices: WorkbookChoices = { profile: null, reviews: new Map() };
  private names: string[] = [];
  /** Writes in progress (events raised meanwhile are PerfSheet's own). */
  private writing = 0;
  /**
   * What PerfSheet wrote lately: a SheetChange for exactly these cells (or on a sheet it created) arriving
   * within OWN_CHANGE_MS is its own write's echo, should WPS raise events despite EnableEvents being off.
   * Anything else the user typed is re-checked, however soon after a write.
   */
  private recent: { sheet: string; cells: Area[] | 'all'; until: number }[] = [];
  private watching = false;
  private onChange: ((sheetId: string, address: string) => void) | null = null;
  private onSelection: ((sheet: string, address: string) => void) | null = null;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    readonly host: WpsApplication,
    private readonly opts: WpsSessionOptions = {},
  ) {
    this.app = counted(host, this.counter);
  }

  /** Runs one operation, its calls counted. */
  private run<T>(fn: (app: WpsApplication) => T): T {
    const start = this.counter.calls;
    this.worksheets = null;
    try {
      return fn(this.app);
    } finally {
      this.lastCalls = this.counter.calls - start;
    }
  }

  /** A write: events off meanwhile, and changes arriving during it taken for PerfSheet's own. */
  private write<T>(fn: (app: WpsApplication) => T): T {
    this.writing++;
    try {
      return this.run((app) => quietly(app, () => fn(app)));
    } finally {
      this.writing--;
    }
  }

  /** Remembers cells (A1 addresses) or whole sheets PerfSheet has just written. */
  private wrote(sheet: string, cells: string[] | 'all'): void {
    const now = Date.now();
    this.recent = this.recent.filter((x) => x.until > now);
    const areas = cells === 'all' ? 'all' : cells.map((c) => areaOfAddress(c)).filter((a): a is Area => a !== null);
    this.recent.push({ sheet, cells: areas, until: now + OWN_CHANGE_MS });
  }

  /** True when a change on `sheet` at `address` is the echo of PerfSheet's own write. */
  private isOwnChange(sheet: string, address: string): boolean {
    if (this.writing > 0) return true;
    const now = Date.now();
    const target = areasOfAddress(address);
    return this.recent.some(
      (x) =>
        x.until > now &&
        x.sheet === sheet &&
        (x.cells === 'all' ||
          (target.length > 0 &&
            target.every((t) => (x.cells as Area[]).some((a) => t.r0 >= a.r0 && t.r1 <= a.r1 && t.c0 >= a.c0 && t.c1 <= a.c1)))),
    );
  }

  unsupportedReason(): string | null {
    const app = this.host as Partial<WpsApplication>;
    if (!app || typeof app !== 'object' || !app.ApiEvent || app.FindFormat === undefined) {
      return '此版本的 WPS 表格不支持 PerfSheet 需要的接口（加载项事件与按格式查找）。请升级到 WPS Office 2019 或更高版本。';
    }
    return null;
  }

  describeError(e: unknown): string {
    return describeWpsError(e);
  }

  private fileName(app: WpsApplication): string | undefined {
    if (this.opts.fileName) return this.opts.fileName;
    try {
      const wb = app.ActiveWorkbook;
      return wb ? String(wb.Name) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The workbook's sheet collection, fetched once per operation. */
  private worksheets: WpsSheets | null = null;

  private sheet(app: WpsApplication, name: string): WpsWorksheet {
    if (!this.worksheets) {
      const wb = app.ActiveWorkbook;
      if (!wb) throw new NoWorkbookError();
      this.worksheets = wb.Worksheets;
    }
    try {
      return this.worksheets.Item(name);
    } catch (e) {
      throw new SessionError(`找不到工作表「${name}」：它可能已被改名或删除，请点击「检查」重新读取。`, e);
    }
  }

  async check(progress?: Progress, profileOverride?: StoredProfileId): Promise<CheckResult> {
    const read = this.run((app) => readWorkbook(app, this.fileName(app), progress));
    this.sheets = read.sheets;
    this.choices = parseChoices(read.names);
    this.names = read.names.map((n) => n.name);
    const resolved = resolveProfile(profileOverride, this.choices.profile, null);
    this.profile = resolved.profile;
    progress?.(0.9, '检查与计算…');
    this.year = workbookYear(read.grid);
    this.activeSheet = read.activeSheet;
    const result = analyzeWorkbook(read.grid, { profile: this.profile });
    progress?.(1, '完成');
    return {
      result,
      grid: read.grid,
      sheets: read.sheets,
      notices: read.notices,
      profile: this.profile,
      profileSource: resolved.source,
      reviews: new Map(this.choices.reviews),
    };
  }

  async recheckSheet(id: string): Promise<RecheckResult> {
    return this.run((app) => {
      const ws = this.sheet(app, id);
      const name = String(ws.Name);
      const info = { id: name, name };
      if (!this.sheets.some((s) => s.id === id)) this.sheets.push(info);
      const read = readOneSheet(app, ws, info);
      const r = analyzeSheet(read.grid, { profile: this.profile, workbookYear: this.year });
      return { sheet: name, tables: r.tables, findings: r.findings, notice: read.notice, marked: this.marked.has(id) };
    });
  }

  async highlight(findings: Finding[], onlySheetIds?: string[]): Promise<MarkOutcome> {
    return this.write((app) => {
      const out: MarkOutcome = { added: 0, removed: 0, protectedSheets: [] };
      for (const id of onlySheetIds ?? this.sheets.map((s) => s.id)) {
        const ws = this.sheet(app, id);
        if (ws.ProtectContents) {
          out.protectedSheets.push(id);
          continue;
        }
        out.removed += deleteMarks(ws);
        const n = addMarks(ws, marksFor(findings, id));
        out.added += n;
        if (n) this.marked.add(id);
        else this.marked.delete(id);
      }
      return out;
    });
  }

  async clearMarks(): Promise<{ removed: number; protectedSheets: string[] }> {
    return this.write((app) => {
      let removed = 0;
      const protectedSheets: string[] = [];
      for (const { id } of this.sheets) {
        const ws = this.sheet(app, id);
        if (ws.ProtectContents) {
          protectedSheets.push(id);
          continue;
        }
        removed += deleteMarks(ws);
        this.marked.delete(id);
      }
      return { removed, protectedSheets };
    });
  }

  /**
   * Writes the accepted edits. Formula cells are never overwritten (the content is re-read at write time, so
   * a formula typed since the check is respected too); a cell that was empty when checked and has content
   * now is left alone; text is escaped so that it never becomes a formula.
   */
  async applyEdits(edits: CellEdit[]): Promise<EditOutcome> {
    const outcome: EditOutcome = { written: [], skipped: [], before: [] };
    const todo: CellEdit[] = [];
    for (const e of edits) {
      if (e.status === 'formula') outcome.skipped.push({ edit: e, reason: '公式单元格，不覆盖' });
      else if (e.status === 'merged') outcome.skipped.push({ edit: e, reason: e.reason ?? '合并单元格，不写入' });
      else if (e.status === 'same') outcome.skipped.push({ edit: e, reason: '已是计算结果' });
      else if (!parseA1(e.cell)) outcome.skipped.push({ edit: e, reason: '单元格地址无效' });
      else todo.push(e);
    }
    if (!todo.length) {
      this.lastCalls = 0;
      return outcome;
    }
    this.write((app) => {
      const sheets = new Map<string, { ws: WpsWorksheet; locked: boolean }>();
      for (const e of todo) {
        let s = sheets.get(e.sheet);
        if (!s) {
          const ws = this.sheet(app, e.sheet);
          s = { ws, locked: !!ws.ProtectContents };
          sheets.set(e.sheet, s);
        }
        if (s.locked) {
          outcome.skipped.push({ edit: e, reason: '工作表受保护，未写入' });
          continue;
        }
        const r: WpsRange = s.ws.Range(e.cell.replace(/\$/g, ''));
        const f: unknown = r.Formula;
        if (isFormula(f)) {
          outcome.skipped.push({ edit: { ...e, status: 'formula', current: String(f) }, reason: '公式单元格，不覆盖' });
          continue;
        }
        if (e.status === 'empty' && shownContent(f, f) !== '') {
          outcome.skipped.push({ edit: { ...e, current: shownContent(f, f) }, reason: '检查后内容已被修改，未覆盖' });
          continue;
        }
        const fmt: unknown = r.NumberFormat;
        const was: unknown = r.Value2;
        outcome.before.push({ sheet: e.sheet, cell: e.cell, value: was === undefined || was === '' ? null : was, numFmt: fmt, written: e.value });
        r.Value2 = escapeForValues(e.value);
        // The engine's format applies where the cell has none, and for rates wherever the cell's format is
        // not a percentage (a rate of 1 in a `0.00` cell would read as 1.00, not 100.00%).
        const general = fmt === 'General' || fmt === 'G/通用格式' || fmt === '' || fmt === null;
        const rateShownWrong = !!e.numFmt && e.numFmt.includes('%') && !String(fmt).includes('%');
        if (e.numFmt && (general || rateShownWrong)) r.NumberFormat = e.numFmt;
        outcome.written.push({ ...e, current: shownContent(f, f) });
      }
    });
    for (const e of outcome.written) this.wrote(e.sheet, [e.cell]);
    return outcome;
  }

  /** 撤销回填: puts back what 回填 replaced, where the cell still holds what 回填 wrote. */
  async revertEdits(before: PriorCell[]): Promise<{ restored: number; changed: PriorCell[] }> {
    const changed: PriorCell[] = [];
    let restored = 0;
    if (!before.length) {
      this.lastCalls = 0;
      return { restored, changed };
    }
    this.write((app) => {
      for (const p of before) {
        const r = this.sheet(app, p.sheet).Range(p.cell.replace(/\$/g, ''));
        const now: unknown = r.Formula;
        const value: unknown = r.Value2;
        const same = typeof p.written === 'number' ? typeof value === 'number' && Math.abs(value - p.written) < 1e-9 : String(value) === p.written;
        if (isFormula(now) || !same) {
          changed.push(p);
          continue;
        }
        const old = p.value === null || p.value === undefined ? '' : (p.value as string | number | boolean);
        r.Value2 = typeof old === 'string' ? excelTextValue(old) : old;
        r.NumberFormat = typeof p.numFmt === 'string' ? p.numFmt : 'General';
        restored++;
        this.wrote(p.sheet, [p.cell]);
      }
    });
    return { restored, changed };
  }

  async select(sheet: string, cell: string): Promise<void> {
    this.run((app) => {
      const ws = this.sheet(app, sheet);
      ws.Activate();
      ws.Range(cell.replace(/\$/g, '')).Select();
    });
    this.activeSheet = sheet;
  }

  /** Stores the profile in the workbook (a hidden defined name, readable by the CLI and by Excel too). */
  async saveProfile(id: StoredProfileId): Promise<void> {
    this.profile = ProfileIdSchema.parse(id);
    const existing = this.names.find((n) => n.toLowerCase() === PROFILE_NAME.toLowerCase());
    this.write((app) => {
      const wb = app.ActiveWorkbook;
      if (!wb) throw new NoWorkbookError();
      if (existing) wb.Names.Item(existing).Delete();
      wb.Names.Add(PROFILE_NAME, constantFormula(id), false);
    });
    if (!existing) this.names.push(PROFILE_NAME);
    this.choices.profile = this.profile;
  }

  get reviews(): Map<string, Review> {
    return new Map(this.choices.reviews);
  }

  async setReviewed(f: Finding, reviewed: boolean, by: string, at = new Date()): Promise<Review | null> {
    const key = reviewKey(f);
    const had = this.choices.reviews.get(key);
    if (!reviewed && !had) return null;
    const review: Review = { code: f.code, sheet: f.sheet, cell: f.cell.replace(/\$/g, '').toUpperCase(), by: by.trim(), at: at.toISOString() };
    const name = had?.name ?? nextReviewName(this.names);
    this.write((app) => {
      const wb = app.ActiveWorkbook;
      if (!wb) throw new NoWorkbookError();
      if (had) wb.Names.Item(had.name).Delete();
      if (reviewed) wb.Names.Add(name, constantFormula(encodeReview(review)), false);
    });
    if (had) {
      this.choices.reviews.delete(key);
      this.names = this.names.filter((n) => n !== had.name);
    }
    if (!reviewed) return null;
    this.choices.reviews.set(key, { ...review, name });
    this.names.push(name);
    return review;
  }

  async generateReport(result: WorkbookResult, date: string, reviews?: ReadonlyMap<string, Review>): Promise<{ sheetName: string; replaced: string | null }> {
    const out = this.write((app) => generateReportInWps(app, result, { fileName: result.fileName, date, reviews }));
    this.wrote(out.sheetName, 'all');
    return { sheetName: out.sheetName, replaced: out.replaced };
  }

  async insertTemplate(kind: TemplateKind, rows: number): Promise<{ sheetName: string }> {
    const out = this.write((app) => insertTemplateInWps(app, { kind, rows, profile: this.profile, year: this.year }));
    for (const n of [...out.sheetNames, out.spec.lists.sheetName]) this.wrote(n, 'all');
    return { sheetName: out.sheetNames[0] };
  }

  async insertSelfEvals(targets: readonly TableResult[]): Promise<{ sheetNames: string[] }> {
    const out = this.write((app) => insertSelfEvalsInWps(app, targets, { profile: this.profile }));
    for (const n of [...out.sheetNames, ...out.specs.map((x) => x.lists.sheetName)]) this.wrote(n, 'all');
    return { sheetNames: out.sheetNames };
  }

  /**
   * Watches every sheet for changes and the selection (WPS's `SheetChange` and `SheetSelectionChange`
   * events, registered once). `onChange(sheet)` is called at most once per `debounceMs` per sheet, never for
   * PerfSheet's own writes, and only while `live` is on.
   */
  async watch(onChange: (sheetId: string, address: string) => void, debounceMs = 300, onSelection?: (sheet: string, address: string) => void): Promise<void> {
    this.onChange = onChange;
    this.onSelection = onSelection ?? null;
    if (this.watching) return;
    const name = (sh: unknown): string | null => {
      try {
        return sh ? String((sh as WpsWorksheet).Name) : null;
      } catch {
        return null;
      }
    };
    const address = (target: unknown): string => {
      try {
        return target ? String((target as WpsRange).Address(false, false)) : '';
      } catch {
        return '';
      }
    };
    const change = (sh: unknown, target: unknown): void => {
      const id = name(sh);
      if (!id) return;
      const where = address(target);
      if (this.isOwnChange(id, where)) {
        this.ignoredEvents++;
        return;
      }
      if (!this.live) return;
      const prev = this.timers.get(id);
      if (prev) clearTimeout(prev);
      this.timers.set(
        id,
        setTimeout(() => {
          this.timers.delete(id);
          if (this.live) this.onChange?.(id, where);
        }, debounceMs),
      );
    };
    const selection = (sh: unknown, target: unknown): void => {
      const id = name(sh);
      if (!id) return;
      this.activeSheet = id;
      this.onSelection?.(id, address(target));
    };
    this.run((app) => {
      app.ApiEvent.AddApiEventListener('SheetChange', change);
      app.ApiEvent.AddApiEventListener('SheetSelectionChange', selection);
    });
    this.watching = true;
  }

  setLive(on: boolean): void {
    this.live = on;
    if (!on) {
      for (const t of this.timers.values()) clearTimeout(t);
      this.timers.clear();
    }
  }

  /** The host's name in the pane's wording. */
  get hostLabel(): string {
    return HOST_LABELS.wps;
  }
}
