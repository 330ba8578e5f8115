/**
 * The add-in's operations on the open workbook in WPS 表格 (a WPS 加载项), behind the same `WorkbookSession`
 * contract as Excel's (src/excel/session.ts): the pane cannot tell the hosts apart except by their wording.
 *
 * WPS's object model is synchronous, and every property read, write and method call crosses into the WPS
 * process. Each operation therefore reads whole ranges in one call each and counts its calls (`lastCalls`,
 * through a counting view of `Application`, src/wps/counting.ts); the budgets are held by tests
 * (test/wps/adapter.test.ts, on a 40-sheet workbook and a 50,000-row sheet):
 *
 *   check          per sheet about 25, plus 4 per merged area, 2 per number-format rectangle, and 2 per
 *                  defined name (the 劳模体检 form, 20 merged areas: 160 calls)
 *   recheckSheet   the same for one sheet, and no write
 *   highlight      per sheet about 7, plus 3 per existing conditional format, 7 per group of marked cells
 *   applyEdits     per cell about 6, per sheet 2
 *   select         6
 *   saveProfile    about 9 (the events and alerts switches around every write included)
 *
 * Opening the pane and the live re-checks never write. Every write is a user's action, made with
 * `Application.EnableEvents` off so that PerfSheet's own writes raise no SheetChange (and, should a host
 * ignore that switch, a change for exactly the cells just written is taken for its echo — never the user's
 * edit of any other cell, however soon after).
 *
 * Sheet ids are the sheets' names: WPS has no stable id that survives a rename, so a renamed sheet is found
 * again by the next check.
 */
import { escapeForValues } from '../domain/cells';
import { excelTextValue } from '../domain/report';
import { analyzeSheet, analyzeWorkbook, workbookYear } from '../domain/engine';
import { Area, containsArea } from '../domain/grid';
import { marksFor } from '../domain/marks';
import {
  ChangeDebouncer,
  CheckResult,
  editDecision,
  EditOutcome,
  FillFailedError,
  partitionEdits,
  priorValue,
  revertFailedMessage,
  revertRolledBackMessage,
  rolledBackMessage,
  rollbackFailedMessage,
  StoredChoices,
  stillWritten,
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
import type { Review } from '../domain/settings';
import type { TemplateKind } from '../domain/templates';
import type { CellEdit, Finding, TableResult, WorkbookResult } from '../domain/types';
import type { WpsApplication, WpsRange, WpsSheets, WpsWorksheet } from './api';
import { CallCounter, counted } from './counting';
import { areaOfAddress, areasOfAddress } from './address';
import { addMarks, deleteMarks } from './marks';
import { NoWorkbookError, readOneSheet, readWorkbook } from './read';
import { DraftError } from '../domain/draft';
import { generateDraftInWps } from './draft';
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
  if (e instanceof SessionError || e instanceof WpsReportError || e instanceof WpsTemplateError || e instanceof NoWorkbookError || e instanceof DraftError) return e.message;
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
  /** Change events ignored because they were PerfSheet's own writes. */
  ignoredEvents = 0;

  private readonly counter: CallCounter = { calls: 0 };
  /** The counting view of `Application`: every call the adapter makes goes through it. */
  private readonly app: WpsApplication;
  private readonly stored = new StoredChoices();
  /** Writes in progress (events raised meanwhile are PerfSheet's own). */
  private writing = 0;
  /** The add-in's 自评报告 draft sheets at the last check (a live re-check reads them for D01 only). */
  private drafts = new Set<string>();
  /**
   * What PerfSheet wrote lately: a SheetChange for exactly these cells (or on a sheet it created) arriving
   * within OWN_CHANGE_MS is its own write's echo, should WPS raise events despite EnableEvents being off.
   * Anything else the user typed is re-checked, however soon after a write.
   */
  private recent: { sheet: string; cells: Area[] | 'all'; until: number }[] = [];
  private watching = false;
  private onChange: ((sheetId: string, address: string) => void) | null = null;
  private onSelection: ((sheet: string, address: string) => void) | null = null;
  private readonly debounce = new ChangeDebouncer(() => this.onChange);

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
            target.every((t) => (x.cells as Area[]).some((a) => containsArea(a, t))))),
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
    this.stored.read(read.names);
    const resolved = resolveProfile(profileOverride, this.stored.choices.profile, null);
    this.profile = resolved.profile;
    progress?.(0.9, '检查与计算…');
    this.year = workbookYear(read.grid);
    this.drafts = new Set(read.grid.draftSheets ?? []);
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
      reviews: new Map(this.stored.choices.reviews),
    };
  }

  async recheckSheet(id: string): Promise<RecheckResult> {
    return this.run((app) => {
      const ws = this.sheet(app, id);
      const name = String(ws.Name);
      const info = { id: name, name };
      if (!this.sheets.some((s) => s.id === id)) this.sheets.push(info);
      const read = readOneSheet(app, ws, info);
      const r = analyzeSheet(read.grid, { profile: this.profile, workbookYear: this.year, draft: this.drafts.has(name) });
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
   * Writes the accepted edits. Every target cell is re-read just before its write: a formula (typed since the
   * check too) is never overwritten, nor a cell whose content is no longer what the check saw
   * (`已被修改，未覆盖`); text is escaped so that it never becomes a formula.
   *
   * All or nothing: when a call into WPS throws part-way, every cell already written is put back from the
   * undo list before the error (in Chinese) reaches the pane.
   */
  async applyEdits(edits: CellEdit[]): Promise<EditOutcome> {
    const { todo, skipped } = partitionEdits(edits);
    const outcome: EditOutcome = { written: [], skipped, before: [] };
    if (!todo.length) {
      this.lastCalls = 0;
      return outcome;
    }
    let complete = false;
    try {
      this.write((app) => {
        const sheets = new Map<string, { ws: WpsWorksheet; locked: boolean }>();
        for (const e of todo) {
          let sh = sheets.get(e.sheet);
          if (!sh) {
            const ws = this.sheet(app, e.sheet);
            sh = { ws, locked: !!ws.ProtectContents };
            sheets.set(e.sheet, sh);
          }
          const { ws, locked } = sh;
          if (locked) {
            outcome.skipped.push({ edit: e, reason: '工作表受保护，未写入' });
            continue;
          }
          const r: WpsRange = ws.Range(e.cell.replace(/\$/g, ''));
          const content: unknown = r.Formula;
          const fmt: unknown = r.NumberFormat;
          const was: unknown = r.Value2;
          const d = editDecision(e, content, was, fmt);
          if ('skip' in d) {
            outcome.skipped.push(d.skip);
            continue;
          }
          // On the undo list before the write: a write that throws half-done is put back too.
          outcome.before.push({ sheet: e.sheet, cell: e.cell, value: was === undefined || was === '' ? null : was, numFmt: fmt, written: e.value });
          r.Value2 = escapeForValues(e.value);
          if (d.numFmt) r.NumberFormat = d.numFmt;
          outcome.written.push(d.write);
        }
        complete = true;
      });
    } catch (e) {
      // Every cell was written and only switching events back on failed: the 回填 stands, 撤销回填 can undo it.
      if (!complete) {
        const failed = this.write((app) => this.restore(app, outcome.before));
        if (failed.length) throw new FillFailedError(rollbackFailedMessage(describeWpsError(e), failed), failed, e);
        throw new SessionError(rolledBackMessage(describeWpsError(e), outcome.before.length), e);
      }
    }
    for (const e of outcome.written) this.wrote(e.sheet, [e.cell]);
    return outcome;
  }

  /** Puts back the cells of an unfinished 回填 (content and number format); returns those it could not. */
  private restore(app: WpsApplication, before: readonly PriorCell[]): PriorCell[] {
    const failed: PriorCell[] = [];
    for (const p of before) {
      try {
        const r = this.sheet(app, p.sheet).Range(p.cell.replace(/\$/g, ''));
        const old = priorValue(p);
        r.Value2 = typeof old === 'string' ? excelTextValue(old) : old;
        r.NumberFormat = typeof p.numFmt === 'string' ? p.numFmt : 'General';
        this.wrote(p.sheet, [p.cell]);
      } catch {
        failed.push(p);
      }
    }
    return failed;
  }

  /**
   * 撤销回填: puts back what 回填 replaced, where the cell still holds what 回填 wrote. All or nothing as
   * 回填: when a call throws part-way, the cells put back so far get what 回填 wrote again.
   */
  async revertEdits(before: PriorCell[]): Promise<{ restored: number; changed: PriorCell[] }> {
    const changed: PriorCell[] = [];
    let restored = 0;
    if (!before.length) {
      this.lastCalls = 0;
      return { restored, changed };
    }
    const done: { p: PriorCell; now: unknown; fmt: unknown }[] = [];
    let complete = false;
    try {
      this.write((app) => {
        for (const p of before) {
          const r = this.sheet(app, p.sheet).Range(p.cell.replace(/\$/g, ''));
          const now: unknown = r.Value2;
          if (!stillWritten(p, r.Formula, now)) {
            changed.push(p);
            continue;
          }
          done.push({ p, now, fmt: r.NumberFormat });
          const old = priorValue(p);
          r.Value2 = typeof old === 'string' ? excelTextValue(old) : old;
          r.NumberFormat = typeof p.numFmt === 'string' ? p.numFmt : 'General';
          restored++;
          this.wrote(p.sheet, [p.cell]);
        }
        complete = true;
      });
    } catch (e) {
      if (!complete) {
        const failed = this.write((app) =>
          this.restore(
            app,
            done.map((x) => ({ ...x.p, value: x.now, numFmt: x.fmt })),
          ),
        );
        if (failed.length) throw new SessionError(revertFailedMessage(describeWpsError(e), failed), e);
        throw new SessionError(revertRolledBackMessage(describeWpsError(e)), e);
      }
    }
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
    const change = this.stored.profileChange(this.profile);
    this.write((app) => {
      const wb = app.ActiveWorkbook;
      if (!wb) throw new NoWorkbookError();
      if (change.remove) wb.Names.Item(change.remove).Delete();
      wb.Names.Add(change.add.name, change.add.formula, false);
    });
    this.stored.profileStored(this.profile);
  }

  get reviews(): Map<string, Review> {
    return new Map(this.stored.choices.reviews);
  }

  /** Marks a finding 已复核 (or takes the mark back): a hidden defined name, so the report and the CLI see it. */
  async setReviewed(f: Finding, reviewed: boolean, by: string, at = new Date()): Promise<Review | null> {
    const change = this.stored.reviewChange(f, reviewed, by, at);
    if (!change) return null;
    this.write((app) => {
      const wb = app.ActiveWorkbook;
      if (!wb) throw new NoWorkbookError();
      if (change.remove) wb.Names.Item(change.remove).Delete();
      if (change.add) wb.Names.Add(change.add.name, change.add.formula, false);
    });
    return this.stored.reviewStored(f, change);
  }

  async generateReport(result: WorkbookResult, date: string, reviews?: ReadonlyMap<string, Review>): Promise<{ sheetName: string; replaced: string | null }> {
    const out = this.write((app) => generateReportInWps(app, result, { fileName: result.fileName, date, reviews }));
    this.wrote(out.sheetName, 'all');
    return { sheetName: out.sheetName, replaced: out.replaced };
  }

  async generateDraft(result: WorkbookResult, date: string): Promise<{ sheetName: string; replaced: string | null }> {
    const out = this.write((app) => generateDraftInWps(app, result, { fileName: result.fileName, date }));
    this.wrote(out.sheetName, 'all');
    return out;
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
      this.debounce.fire(id, where, debounceMs);
    };
    const selection = (sh: unknown, target: unknown): void => {
      const id = name(sh);
      if (!id) return;
      this.activeSheet = id;
      this.onSelection?.(id, address(target));
    };
    // A sheet-tab click: the sheet, with no address (the pane drops a selection card of another sheet).
    const activated = (sh: unknown): void => {
      const id = name(sh);
      if (!id) return;
      this.activeSheet = id;
      this.onSelection?.(id, '');
    };
    this.run((app) => {
      app.ApiEvent.AddApiEventListener('SheetChange', change);
      app.ApiEvent.AddApiEventListener('SheetSelectionChange', selection);
      try {
        app.ApiEvent.AddApiEventListener('SheetActivate', activated);
      } catch {
        /* a WPS without the event: the card follows the next selection instead */
      }
    });
    this.watching = true;
  }

  setLive(on: boolean): void {
    this.debounce.setLive(on);
  }

  get live(): boolean {
    return this.debounce.live;
  }
}
