/**
 * The add-in's operations on the open workbook, each with a fixed number of `context.sync()` calls:
 *
 *   readWorkbook     3   (see read.ts)                                                  reads only
 *   highlight        2   scan formats + protection → delete PerfSheet's, add new ones   writes
 *   clearMarks       2   scan → delete PerfSheet's formats (nothing else)               writes
 *   applyEdits       2   re-read the target cells → write those still as the check saw   writes
 *                    3   only when the write fails: every written cell put back          writes
 *   recheckSheet     2   probe → cells                                                  reads only
 *   select           1   activate the sheet and select the cell                         no write
 *   saveProfile      1                                                                  writes
 *   insertTemplate   2   read sheet and name lists → write the new form on a new sheet   writes
 *   insertSelfEvals  2   read sheet and name lists → one new 自评表 sheet per target     writes
 *   watch            1   register the worksheet-changed handler                         no write
 *
 * Excel's undo history: below ExcelApi 1.20 every write by an add-in clears it; so opening the pane and the
 * live re-checks after the user's edits never write (the user can still undo their typing). The workbook is
 * written only by an action the user took; from 1.20 such an action is one undo step (`mergeUndoGroup`) when
 * Excel can undo all of it and the loaded Office.js can send the option (the npm copy cannot). 生成报告,
 * 新建表格 and 转为自评表 use members without undo support and run ungrouped (the pane's notice says so).
 * Every batch runs with `delayForCellEdit`, so a re-check that fires while the user types waits for Enter.
 *
 * Every operation counts its syncs (`lastSyncs`) so the counts can be shown and asserted.
 */
import { analyzeSheet, analyzeWorkbook, workbookYear } from '../domain/engine';
import type { CellEdit, Finding, TableResult, WorkbookResult } from '../domain/types';
import type { ExcelHost, XlContext, XlWorksheet, XlWorksheetChangedEventArgs, XlWorksheetSelectionChangedEventArgs } from './api';
import { DraftError } from '../domain/draft';
import { generateDraftInExcel } from './draft';
import { generateReportInExcel } from './report';
import { insertSelfEvalsInExcel, insertTemplateInExcel, TemplateWriteError } from './template';
import type { TemplateKind } from '../domain/templates';
import { escapeForValues } from './cells';
import { marksFor, queueMarkAdd, queueMarkDelete, queueMarkScan } from './marks';
import { buildSheet, Progress, queueLoad, queueProbe, READ_CELL_BUDGET, readWorkbookIn, SETTING_MARKS, SheetInfo } from './read';
import type { Review } from '../domain/settings';
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
  ProfileIdSchema,
  RecheckResult,
  resolveProfile,
  SessionError,
  StoredProfileId,
  WorkbookSession,
} from '../domain/session';

export { SessionError };
export type { CheckResult, EditOutcome, MarkOutcome, PriorCell, StoredProfileId };

/** The ExcelApi set PerfSheet needs (merged-area queries 1.13, triggerSource 1.14). */
export const REQUIRED_API = '1.14';
/** From this set on, an add-in's writes are undoable and can be grouped (`mergeUndoGroup`). */
export const UNDO_API = '1.20';

/** What a write costs the user's undo history below ExcelApi 1.20 (said once in the pane). */
export const UNDO_NOTICE =
  '此版本的 Excel 中，标记、回填、报告、复核、新建表格、转为自评表和更改评分标准会清空 Excel 的撤销记录（之前的编辑无法再 Ctrl+Z）。检查和实时检查不写入工作簿。';

/**
 * From ExcelApi 1.20: what still cannot be undone. Excel's undo page lists Worksheet.delete,
 * Worksheet.visibility and (on the web) a name's comment without undo support: 生成报告 adds a name with a
 * comment and replaces the last report, 新建表格 and 转为自评表 hide their list sheet and add such names.
 */
export const UNDO_NOTICE_ACTIONS = '生成报告、新建表格和转为自评表包含 Excel 无法撤消的操作（删除或隐藏工作表、带批注的名称），执行后之前的撤消记录会被清空。';

/** Where the loaded Office.js cannot send mergeUndoGroup (the copy bundled by `--env officejs=local`). */
export const UNDO_NOTICE_UNGROUPED = '此部署使用的 Office.js 不能把一次操作合并为一个撤消步骤：标记、清除标记、回填等操作的每次写入各占一步，撤消时需按多次 Ctrl+Z。';

/** A Chinese explanation of an error thrown by Office (or the host), for the pane. */
export function describeError(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const code = err?.code;
  if (e instanceof SessionError || e instanceof TemplateWriteError || e instanceof DraftError) return e.message;
  switch (code) {
    case 'RequestPayloadSizeLimitExceeded':
    case 'ResponsePayloadSizeLimitExceeded':
    case 'PayloadTooLarge':
      return '工作簿数据量超出 Excel 单次传输上限（5 MB），读取失败。请把表格拆分到较小的工作簿后重试。';
    case 'ItemNotFound':
      return '找不到要操作的工作表或单元格：工作簿可能已被修改，请点击「检查」重新读取。';
    case 'InvalidOperationInCellEditMode':
      return 'Excel 正处于单元格编辑状态：请先按 Enter 或 Esc 结束编辑，再重试。';
    case 'AccessDenied':
      return '工作表受保护，无法写入。请在「审阅 → 撤消工作表保护」后重试。';
    case 'InsertDeleteConflict':
      return '工作簿正被其他操作占用，无法写入，请稍后重试。';
    case 'UndoNotSupported':
      return '此操作包含 Excel 无法撤消的步骤，不能合并为一个撤消步骤，Excel 已中止它（之前的部分可能已写入）。请重新检查工作簿后再试。';
    default:
      if (e instanceof URIError) return '工作簿的文件名无法解析，已忽略文件名继续。';
      return `操作失败：${err?.message ?? String(e)}${code ? `（${code}）` : ''}`;
  }
}

export class ExcelSession implements WorkbookSession {
  readonly hostKind = 'excel' as const;
  readonly callUnit = '次与 Excel 同步';
  /** What the user's undo history gives up in this Excel with this Office.js (said once in the pane). */
  get undoNotice(): string {
    if (!this.undoable) return UNDO_NOTICE;
    return this.groupsUndo ? UNDO_NOTICE_ACTIONS : `${UNDO_NOTICE_ACTIONS}${UNDO_NOTICE_UNGROUPED}`;
  }
  /** Syncs used by the last operation. */
  lastSyncs = 0;
  get lastCalls(): number {
    return this.lastSyncs;
  }
  sheets: SheetInfo[] = [];
  marked = new Set<string>();
  /** Sheets a marker name points at that the last check found not to be a report (never replaced). */
  private notReports = new Set<string>();
  profile: StoredProfileId = 'central';
  year: number | null = null;
  /** Writes in flight: events arriving meanwhile are PerfSheet's own (fallback for hosts without triggerSource). */
  private ownWrites = 0;
  /** The add-in's 自评报告 draft sheets at the last check (a live re-check reads them for D01 only). */
  private drafts = new Set<string>();

  constructor(readonly host: ExcelHost) {}

  describeError(e: unknown): string {
    return describeError(e);
  }

  /** Null when the host has what PerfSheet needs, else a Chinese explanation. */
  unsupportedReason(): string | null {
    if (!this.host.isSetSupported('ExcelApi', REQUIRED_API)) {
      return `此版本的 Excel 不支持 PerfSheet 需要的接口（ExcelApi ${REQUIRED_API}）。请使用 Microsoft 365 / Excel 2021 及以上版本，或 Excel 网页版。`;
    }
    return null;
  }

  /** True when the host keeps an add-in's writes in Excel's undo history (ExcelApi 1.20). */
  get undoable(): boolean {
    return this.host.isSetSupported('ExcelApi', UNDO_API);
  }

  /** True when an action's writes can be one undo step: ExcelApi 1.20 and an Office.js that sends mergeUndoGroup. */
  get groupsUndo(): boolean {
    return this.undoable && (this.host.canGroupUndo?.() ?? true);
  }

  /**
   * One Excel.run, its syncs counted. Every batch waits for the user to finish typing in a cell
   * (`delayForCellEdit`) instead of failing; a user action that writes is one undo step where Excel can
   * group (`mergeUndoGroup`, ExcelApi 1.20).
   */
  private async run<T>(fn: (ctx: XlContext) => Promise<T>, opts: { writes?: boolean; undoable?: boolean } = {}): Promise<T> {
    let n = 0;
    try {
      return await this.host.run(
        async (ctx) => {
          // The same context with its syncs counted (everything else is Office's own, unchanged).
          const sync = () => {
            n++;
            return ctx.sync();
          };
          const counted = new Proxy<XlContext>(ctx, { get: (target, key) => (key === 'sync' ? sync : Reflect.get(target, key)) });
          return fn(counted);
        },
        // Only undoable writes are grouped: a group with a member Excel cannot undo fails (UndoNotSupported).
        { delayForCellEdit: true, ...(opts.writes && opts.undoable !== false && this.groupsUndo ? { mergeUndoGroup: true } : {}) },
      );
    } finally {
      this.lastSyncs = n;
    }
  }

  /** The workbook's file name, or undefined when the host cannot say (never throws). */
  private fileName(): string | undefined {
    try {
      return this.host.fileName?.();
    } catch {
      return undefined;
    }
  }

  private sheetName(id: string): string | undefined {
    return this.sheets.find((s) => s.id === id)?.name;
  }

  /** Reads every sheet (3 syncs) and analyses it. */
  async check(progress?: Progress, profileOverride?: StoredProfileId): Promise<CheckResult> {
    const read = await this.run((ctx) => readWorkbookIn(ctx, this.fileName(), progress));
    this.sheets = read.sheets;
    this.notReports = new Set(read.notReports);
    this.marked = new Set(read.marked);
    this.stored.read(read.names);
    // The workbook's own choice first; the old workbook setting (keyed to the add-in's Id) only when the
    // workbook holds none — nothing is written on opening, the choice moves into the workbook on the next save.
    const resolved = resolveProfile(profileOverride, this.stored.choices.profile, read.storedProfile);
    this.profile = resolved.profile;
    const profileSource = resolved.source;
    progress?.(0.9, '检查与计算…');
    this.year = workbookYear(read.grid);
    this.drafts = new Set(read.grid.draftSheets ?? []);
    this.activeSheet = this.sheetName(read.activeSheetId) ?? null;
    const result = analyzeWorkbook(read.grid, { profile: this.profile });
    progress?.(1, '完成');
    return {
      result,
      grid: read.grid,
      sheets: read.sheets,
      notices: read.notices,
      profile: this.profile,
      profileSource,
      reviews: new Map(this.stored.choices.reviews),
    };
  }

  /** Queues a scan of PerfSheet's conditional formats (and of protection) on the given (existing) sheets. */
  private scanMarks(ctx: XlContext, ids: string[]) {
    return ids.map((id) => {
      const ws = ctx.workbook.worksheets.getItem(id);
      ws.protection.load('protected');
      return { id, ws, col: queueMarkScan(ws) };
    });
  }

  private queueMarksSetting(ctx: XlContext): void {
    ctx.workbook.settings.add(SETTING_MARKS, [...this.marked]);
  }

  /**
   * Replaces PerfSheet's highlights with marks for `findings` (errors and warnings) on every known sheet,
   * or only on `onlySheetIds`: 2 syncs.
   */
  async highlight(findings: Finding[], onlySheetIds?: string[]): Promise<MarkOutcome> {
    const protectedSheets: string[] = [];
    try {
      return await this.run(
        async (ctx) => {
          const ids = onlySheetIds ?? this.sheets.map((s) => s.id);
          const scans = this.scanMarks(ctx, ids);
          await ctx.sync(); // 1
          // A protected sheet would fail the batch halfway (AccessDenied): leave it out and say so.
          const open = scans.filter((x) => {
            if (!x.ws.protection.protected) return true;
            protectedSheets.push(this.sheetName(x.id) ?? x.id);
            return false;
          });
          const out = this.queueRemark(ctx, open, findings);
          await ctx.sync(); // 2
          return { ...out, protectedSheets };
        },
        { writes: true },
      );
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'AccessDenied') {
        throw new SessionError('标记中途失败：有工作表受保护，部分单元格已标记、部分未标记。请取消工作表保护后重新标记，或点击「清除标记」移除已加的标记。', e);
      }
      throw e;
    }
  }

  private queueRemark(
    ctx: XlContext,
    scans: { id: string; ws: XlWorksheet; col: ReturnType<typeof queueMarkScan> }[],
    findings: Finding[],
  ): { added: number; removed: number } {
    let added = 0;
    let removed = 0;
    for (const { id, ws, col } of scans) {
      removed += queueMarkDelete(col);
      const name = this.sheetName(id);
      const cells = name ? marksFor(findings, name) : { error: [], warning: [] };
      const n = queueMarkAdd(ws, cells);
      added += n;
      if (n) this.marked.add(id);
      else this.marked.delete(id);
    }
    this.queueMarksSetting(ctx);
    return { added, removed };
  }

  /** Removes every conditional format PerfSheet added, and nothing else: 2 syncs. */
  async clearMarks(): Promise<{ removed: number; protectedSheets: string[] }> {
    return this.run(
      async (ctx) => {
        const scans = this.scanMarks(ctx, this.sheets.map((s) => s.id));
        await ctx.sync(); // 1
        let removed = 0;
        const protectedSheets: string[] = [];
        for (const { id, ws, col } of scans) {
          if (ws.protection.protected) {
            protectedSheets.push(this.sheetName(id) ?? id);
            continue;
          }
          removed += queueMarkDelete(col);
          this.marked.delete(id);
        }
        this.queueMarksSetting(ctx);
        await ctx.sync(); // 2
        return { removed, protectedSheets };
      },
      { writes: true },
    );
  }

  /**
   * Writes the accepted edits in one batch: 2 syncs. Every target cell is re-read in the first: a formula
   * (typed since the check too) is never overwritten, nor a cell whose content is no longer what the check
   * saw (`已被修改，未覆盖`); text is escaped so that it never becomes a formula.
   *
   * All or nothing: when the writing sync fails part-way (Excel runs a batch's operations in order and keeps
   * those done before the failure), a third sync puts every target cell back as the first sync read it, and
   * the error says so in Chinese.
   */
  async applyEdits(edits: CellEdit[]): Promise<EditOutcome> {
    const { todo, skipped } = partitionEdits(edits);
    const outcome: EditOutcome = { written: [], skipped, before: [] };
    if (!todo.length) {
      this.lastSyncs = 0;
      return outcome;
    }
    this.ownWrites++;
    try {
      await this.run(async (ctx) => {
        const sheets = new Map<string, XlWorksheet>();
        const targets = todo.map((e) => {
          let ws = sheets.get(e.sheet);
          if (!ws) {
            ws = ctx.workbook.worksheets.getItem(e.sheet);
            ws.protection.load('protected');
            sheets.set(e.sheet, ws);
          }
          const r = ws.getRange(e.cell);
          r.load(['formulas', 'numberFormat']);
          return { e, r, ws };
        });
        await ctx.sync(); // 1
        const written: { r: (typeof targets)[number]['r']; p: PriorCell }[] = [];
        for (const { e, r, ws } of targets) {
          if (ws.protection.protected) {
            outcome.skipped.push({ edit: e, reason: '工作表受保护，未写入' });
            continue;
          }
          const f = r.formulas[0][0];
          const d = editDecision(e, f, f, r.numberFormat[0][0]);
          if ('skip' in d) {
            outcome.skipped.push(d.skip);
            continue;
          }
          const p: PriorCell = { sheet: e.sheet, cell: e.cell, value: f, numFmt: r.numberFormat[0][0], written: e.value };
          outcome.before.push(p);
          written.push({ r, p });
          r.values = [[escapeForValues(e.value)]];
          if (d.numFmt) r.numberFormat = [[d.numFmt]];
          outcome.written.push(d.write);
        }
        try {
          await ctx.sync(); // 2
        } catch (e) {
          // A batch refused as too large ran no operation: nothing to put back (and the same payload again would fail).
          if ((e as { code?: string })?.code === 'RequestPayloadSizeLimitExceeded') throw e;
          // Part of the batch may be written: put every cell back as sync 1 read it.
          for (const { r, p } of written) {
            r.values = [[escapeForValues(priorValue(p))]];
            r.numberFormat = [[typeof p.numFmt === 'string' ? p.numFmt : 'General']];
          }
          try {
            await ctx.sync(); // 3, only after a failure
          } catch (e2) {
            throw new FillFailedError(rollbackFailedMessage(describeError(e), outcome.before), outcome.before, e2);
          }
          throw new SessionError(rolledBackMessage(describeError(e), outcome.before.length), e);
        }
      }, { writes: true });
    } finally {
      // Change events for these writes arrive after the sync; keep ignoring them a little longer.
      setTimeout(() => this.ownWrites--, 500);
    }
    return outcome;
  }

  /**
   * 撤销回填: puts back what 回填 replaced (content and number format), 2 syncs, one undo step where Excel
   * can group. A cell changed since 回填 (it no longer holds the written value) is left alone and reported.
   */
  async revertEdits(before: PriorCell[]): Promise<{ restored: number; changed: PriorCell[] }> {
    const changed: PriorCell[] = [];
    let restored = 0;
    if (!before.length) {
      this.lastSyncs = 0;
      return { restored, changed };
    }
    this.ownWrites++;
    try {
      await this.run(
        async (ctx) => {
          const targets = before.map((p) => {
            const r = ctx.workbook.worksheets.getItem(p.sheet).getRange(p.cell);
            r.load(['formulas', 'values', 'numberFormat']);
            return { p, r };
          });
          await ctx.sync(); // 1
          const done: { r: (typeof targets)[number]['r']; now: unknown; fmt: unknown; p: PriorCell }[] = [];
          for (const { p, r } of targets) {
            const now = r.formulas[0][0];
            if (!stillWritten(p, now, now)) {
              changed.push(p);
              continue;
            }
            done.push({ r, now, fmt: r.numberFormat[0][0], p });
            r.values = [[escapeForValues(priorValue(p))]];
            r.numberFormat = [[p.numFmt ?? 'General']];
            restored++;
          }
          try {
            await ctx.sync(); // 2
          } catch (e) {
            if ((e as { code?: string })?.code === 'RequestPayloadSizeLimitExceeded') throw e;
            // All or nothing as 回填: the cells put back so far hold what 回填 wrote again, and 撤销回填 can be retried.
            for (const { r, now, fmt } of done) {
              r.values = [[escapeForValues(now as string | number | boolean)]];
              r.numberFormat = [[typeof fmt === 'string' ? fmt : 'General']];
            }
            try {
              await ctx.sync(); // 3, only after a failure
            } catch (e2) {
              throw new SessionError(revertFailedMessage(describeError(e), done.map((x) => x.p)), e2);
            }
            throw new SessionError(revertRolledBackMessage(describeError(e)), e);
          }
        },
        { writes: true },
      );
    } finally {
      setTimeout(() => this.ownWrites--, 500);
    }
    return { restored, changed };
  }

  /** Activates the finding's sheet and selects its cell: 1 sync. */
  async select(sheet: string, cell: string): Promise<void> {
    await this.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem(sheet);
      ws.activate();
      ws.getRange(cell).select();
      await ctx.sync();
    });
  }

  /**
   * Stores the profile in the workbook itself (a hidden defined name, readable by the CLI too), so it
   * travels with the file whatever the add-in's Id: 1 sync.
   */
  async saveProfile(id: StoredProfileId): Promise<void> {
    this.profile = ProfileIdSchema.parse(id);
    const change = this.stored.profileChange(this.profile);
    await this.run(
      async (ctx) => {
        if (change.remove) ctx.workbook.names.getItem(change.remove).delete();
        ctx.workbook.names.add(change.add.name, change.add.formula).visible = false;
        await ctx.sync();
      },
      { writes: true },
    );
    this.stored.profileStored(this.profile);
  }

  /** The findings marked 已复核 (by reviewKey), as last read or written. */
  get reviews(): Map<string, Review> {
    return new Map(this.stored.choices.reviews);
  }

  /**
   * Marks a finding 已复核 (reviewed by `by`, now) or takes the mark back: a hidden defined name in the
   * workbook, so it survives closing the pane and the file, and the report can show it. 1 sync.
   */
  async setReviewed(f: Finding, reviewed: boolean, by: string, at = new Date()): Promise<Review | null> {
    const change = this.stored.reviewChange(f, reviewed, by, at);
    if (!change) return null;
    await this.run(
      async (ctx) => {
        if (change.remove) ctx.workbook.names.getItem(change.remove).delete();
        if (change.add) ctx.workbook.names.add(change.add.name, change.add.formula).visible = false;
        await ctx.sync();
      },
      { writes: true },
    );
    return this.stored.reviewStored(f, change);
  }

  /** 「生成报告」: writes the report sheet (2 syncs, counted; not grouped: a name's comment and replacing the last report cannot be undone). */
  async generateReport(
    result: WorkbookResult,
    date: string,
    reviews?: ReadonlyMap<string, Review>,
  ): Promise<{ sheetName: string; replaced: string | null }> {
    this.ownWrites++;
    try {
      return await this.run(
        (ctx) => generateReportInExcel(ctx, result, { fileName: result.fileName, date, reviews }, this.notReports),
        { writes: true, undoable: false },
      );
    } finally {
      setTimeout(() => this.ownWrites--, 500);
    }
  }

  /** 「生成自评报告草稿」: writes the draft sheet (2 syncs, counted), as the report is written. */
  async generateDraft(result: WorkbookResult, date: string): Promise<{ sheetName: string; replaced: string | null }> {
    this.ownWrites++;
    try {
      // Replacing an earlier draft deletes its sheet, which Excel cannot undo: never grouped (issue #17).
      return await this.run((ctx) => generateDraftInExcel(ctx as never, result, { fileName: result.fileName, date }), {
        writes: true,
        undoable: false,
      });
    } finally {
      setTimeout(() => this.ownWrites--, 500);
    }
  }

  /**
   * 「新建表格」: a blank form of `kind` with `rows` indicator rows on a new sheet the add-in names (never on
   * top of a user's sheet), for the workbook's profile and year: 2 syncs, not grouped (hiding the list sheet cannot be undone).
   */
  async insertTemplate(kind: TemplateKind, rows: number): Promise<{ sheetName: string }> {
    const profile = this.profile;
    const year = this.year;
    this.ownWrites++;
    try {
      const out = await this.run((ctx) => insertTemplateInExcel(ctx, { kind, rows, profile, year }), { writes: true, undoable: false });
      return { sheetName: out.sheetNames[0] };
    } finally {
      setTimeout(() => this.ownWrites--, 500);
    }
  }

  /**
   * 「转为自评表」: one new 自评表 sheet per target table, prefilled from it, for the workbook's profile:
   * 2 syncs whatever the number of tables, not grouped (hiding the list sheet cannot be undone).
   */
  async insertSelfEvals(targets: readonly TableResult[]): Promise<{ sheetNames: string[] }> {
    const profile = this.profile;
    this.ownWrites++;
    try {
      const out = await this.run((ctx) => insertSelfEvalsInExcel(ctx, targets, { profile }), { writes: true, undoable: false });
      return { sheetNames: out.sheetNames };
    } finally {
      setTimeout(() => this.ownWrites--, 500);
    }
  }

  /**
   * Re-reads one sheet and re-analyses its tables: 2 syncs, and no write, so the user's undo history stays
   * as it was (the marks on the sheet are left as they are; `marked` says whether they may be stale).
   * Returns the sheet's new tables and sheet-level findings.
   */
  async recheckSheet(id: string): Promise<RecheckResult> {
    return this.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem(id);
      ws.load(['name', 'id']);
      const probe = queueProbe(ws, { id, name: '' });
      await ctx.sync(); // 1
      probe.info.name = ws.name;
      const known = this.sheets.find((s) => s.id === id);
      if (known) known.name = ws.name;
      else this.sheets.push({ id, name: ws.name });
      const load = queueLoad(probe, { cells: READ_CELL_BUDGET });
      await ctx.sync(); // 2
      const grid = buildSheet(load);
      const r = analyzeSheet(grid, { profile: this.profile, workbookYear: this.year, draft: this.drafts.has(ws.name) });
      return { sheet: ws.name, tables: r.tables, findings: r.findings, notice: load.notice, marked: this.marked.has(id) };
    });
  }

  /** True when a change event is PerfSheet's own write (never re-check those: no loops). */
  isOwnChange(args: XlWorksheetChangedEventArgs): boolean {
    if (args.triggerSource === 'ThisLocalAddin') return true;
    // Hosts that do not report triggerSource: events that arrive while PerfSheet is writing are its own.
    return args.triggerSource === undefined && this.ownWrites > 0;
  }

  /**
   * Watches every worksheet for changes (1 sync to register the handler, once per session). `onChange(sheetId)`
   * is called at most once per `debounceMs` per sheet, never for PerfSheet's own writes, and only while
   * `live` is on. The handler stays registered; turning live validation off only stops the calls.
   */
  async watch(
    onChange: (sheetId: string, address: string) => void,
    debounceMs = 300,
    onSelection?: (sheet: string, address: string) => void,
  ): Promise<void> {
    this.onChange = onChange;
    this.onSelection = onSelection ?? null;
    if (this.watching) return;
    const selectionHandler = async (args: XlWorksheetSelectionChangedEventArgs): Promise<void> => {
      const name = this.sheetName(args.worksheetId);
      if (!name) return;
      this.activeSheet = name;
      this.onSelection?.(name, args.address);
    };
    // A sheet-tab click: the sheet, with no address (the pane drops a selection card of another sheet).
    const activatedHandler = async (args: { worksheetId: string }): Promise<void> => {
      const name = this.sheetName(args.worksheetId);
      if (!name) return;
      this.activeSheet = name;
      this.onSelection?.(name, '');
    };
    const handler = async (args: XlWorksheetChangedEventArgs): Promise<void> => {
      if (this.isOwnChange(args)) {
        this.ignoredEvents++;
        return;
      }
      this.debounce.fire(args.worksheetId, args.address, debounceMs);
    };
    await this.run(async (ctx) => {
      ctx.workbook.worksheets.onChanged.add(handler);
      ctx.workbook.worksheets.onSelectionChanged.add(selectionHandler);
      ctx.workbook.worksheets.onActivated?.add(activatedHandler);
      await ctx.sync();
    });
    this.watching = true;
  }

  setLive(on: boolean): void {
    this.debounce.setLive(on);
  }

  get live(): boolean {
    return this.debounce.live;
  }

  /** The workbook's stored choices and defined names, as last read or written. */
  private readonly stored = new StoredChoices();
  private watching = false;
  private onChange: ((sheetId: string, address: string) => void) | null = null;
  private onSelection: ((sheet: string, address: string) => void) | null = null;
  /** The sheet the user is on (as of the last check or selection). */
  activeSheet: string | null = null;
  private readonly debounce = new ChangeDebouncer(() => this.onChange);

  /** Change events ignored because they were PerfSheet's own writes. */
  ignoredEvents = 0;
}
