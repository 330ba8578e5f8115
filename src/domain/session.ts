/**
 * The contract between the task pane and a spreadsheet host. The pane (src/taskpane) talks to the open
 * workbook only through a `WorkbookSession`; each host has one adapter implementing it:
 *
 *   src/excel/session.ts   ExcelSession   Office.js (Excel desktop, Mac, on the web)
 *   src/wps/session.ts     WpsSession     WPS 表格's JS API (WPS 加载项)
 *
 * Every adapter reads the workbook into the engine's grid, runs the same engine, and renders the engine's
 * output (cell edits, marks, the report spec, the template spec) with its host's calls. The numbers a user
 * sees are therefore the same in every host. Pure types: no host API here.
 */
import { z } from 'zod';
import type { CellValue, SheetGrid } from './grid';
import { isFormula } from './cells';
import { cellText } from './text';
import { parseA1 } from './grid';
import {
  constantFormula,
  encodeReview,
  NameEntry,
  nextReviewName,
  parseChoices,
  PROFILE_NAME,
  reviewKey,
  StoredProfileSchema,
  WorkbookChoices,
  type Review,
} from './settings';
import type { TemplateKind } from './templates';
import type { CellEdit, Finding, TableResult, WorkbookResult } from './types';
import { DRAFT_TITLE_SUFFIX } from './draft/prompts';

export const ProfileIdSchema = StoredProfileSchema;
export type StoredProfileId = z.infer<typeof ProfileIdSchema>;

/** Which host a session talks to: the pane adapts its wording (never its results) to it. */
export type HostKind = 'excel' | 'wps';

export interface SheetInfo {
  /** The host's stable id of the sheet (Office's worksheet id; WPS: the sheet's code name or name). */
  id: string;
  name: string;
}

export interface ReadNotice {
  sheet: string;
  message: string;
}

export type Progress = (fraction: number, label: string) => void;

export interface CheckResult {
  result: WorkbookResult;
  grid: { sheets: SheetGrid[]; fileName?: string };
  sheets: SheetInfo[];
  notices: ReadNotice[];
  profile: StoredProfileId;
  /** Where the profile came from: the workbook, the old add-in setting (read once), or the default. */
  profileSource: 'workbook' | 'legacy-setting' | 'default' | 'override';
  /** Findings marked 已复核, by reviewKey. */
  reviews: Map<string, Review>;
}

export interface EditOutcome {
  written: CellEdit[];
  skipped: { edit: CellEdit; reason: string }[];
  /** What the written cells held before (for 撤销回填). */
  before: PriorCell[];
}

/** A cell's content and number format before 回填 wrote it, and what was written. */
export interface PriorCell {
  sheet: string;
  cell: string;
  value: unknown;
  numFmt: unknown;
  written: number | string;
}

export interface MarkOutcome {
  added: number;
  removed: number;
  /** Sheets left unmarked because they are protected. */
  protectedSheets: string[];
}

export interface RecheckResult {
  sheet: string;
  tables: TableResult[];
  findings: Finding[];
  notice: string | null;
  marked: boolean;
}

/** A failure the session has already explained in Chinese. */
export class SessionError extends Error {
  constructor(
    message: string,
    readonly original?: unknown,
  ) {
    super(message);
    this.name = 'SessionError';
  }
}

/**
 * What the pane needs from a host. Reads never write; every write is a user's action. Each operation
 * counts its round trips to the host in `lastCalls` (Office: `context.sync()`s; WPS: object-model calls),
 * so that tests can hold each action to a budget and the pane can show the figure.
 */
export interface WorkbookSession {
  readonly hostKind: HostKind;
  /** Round trips to the host used by the last operation. */
  readonly lastCalls: number;
  /** What one round trip is called in the pane's developer figures (「次与 Excel 同步」 / 「次 WPS 调用」). */
  readonly callUnit: string;
  readonly sheets: SheetInfo[];
  readonly profile: StoredProfileId;
  /** The sheet the user is on (as of the last check or selection). */
  readonly activeSheet: string | null;
  /** False where a write by the add-in cannot be undone by the user (said once, with `undoNotice`). */
  readonly undoable: boolean;
  /** What a write costs the user's undo history in this host, in Chinese. */
  readonly undoNotice: string;
  /** Null when the host has what PerfSheet needs, else a Chinese explanation. */
  unsupportedReason(): string | null;
  /** A Chinese explanation of an error thrown by the host. */
  describeError(e: unknown): string;

  check(progress?: Progress, profileOverride?: StoredProfileId): Promise<CheckResult>;
  recheckSheet(id: string): Promise<RecheckResult>;
  highlight(findings: Finding[], onlySheetIds?: string[]): Promise<MarkOutcome>;
  clearMarks(): Promise<{ removed: number; protectedSheets: string[] }>;
  applyEdits(edits: CellEdit[]): Promise<EditOutcome>;
  revertEdits(before: PriorCell[]): Promise<{ restored: number; changed: PriorCell[] }>;
  select(sheet: string, cell: string): Promise<void>;
  saveProfile(id: StoredProfileId): Promise<void>;
  readonly reviews: Map<string, Review>;
  setReviewed(f: Finding, reviewed: boolean, by: string, at?: Date): Promise<Review | null>;
  generateReport(
    result: WorkbookResult,
    date: string,
    reviews?: ReadonlyMap<string, Review>,
  ): Promise<{ sheetName: string; replaced: string | null }>;
  /** 「生成自评报告草稿」: the sheet 「绩效自评报告（草稿）」 from a check's result (src/domain/draft). */
  generateDraft(result: WorkbookResult, date: string): Promise<{ sheetName: string; replaced: string | null }>;
  insertTemplate(kind: TemplateKind, rows: number): Promise<{ sheetName: string }>;
  insertSelfEvals(targets: readonly TableResult[]): Promise<{ sheetNames: string[] }>;
  watch(
    onChange: (sheetId: string, address: string) => void,
    debounceMs?: number,
    onSelection?: (sheet: string, address: string) => void,
  ): Promise<void>;
  setLive(on: boolean): void;
}

/**
 * The profile a check uses: the one asked for, else the workbook's own choice, else a legacy setting (read
 * once, where a host had one), else the central default.
 */
export function resolveProfile(
  override: StoredProfileId | undefined,
  stored: StoredProfileId | null,
  legacy: unknown,
): { profile: StoredProfileId; source: CheckResult['profileSource'] } {
  if (override) return { profile: override, source: 'override' };
  if (stored) return { profile: stored, source: 'workbook' };
  const l = ProfileIdSchema.safeParse(legacy);
  if (l.success) return { profile: l.data, source: 'legacy-setting' };
  return { profile: 'central', source: 'default' };
}

// ---------------------------------------------------------------------------------------------------
// What every adapter decides the same way (only the host calls around these differ).

/** The edits no host writes (with the reason shown in the pane), and those to try. */
export function partitionEdits(edits: readonly CellEdit[]): { todo: CellEdit[]; skipped: EditOutcome['skipped'] } {
  const todo: CellEdit[] = [];
  const skipped: EditOutcome['skipped'] = [];
  for (const e of edits) {
    if (e.status === 'formula') skipped.push({ edit: e, reason: '公式单元格，不覆盖' });
    else if (e.status === 'merged') skipped.push({ edit: e, reason: e.reason ?? '合并单元格，不写入' });
    else if (e.status === 'same') skipped.push({ edit: e, reason: '已是计算结果' });
    else if (!parseA1(e.cell)) skipped.push({ edit: e, reason: '单元格地址无效' });
    else todo.push(e);
  }
  return { todo, skipped };
}

/** What a cell read at write time shows, as the engine showed it when it made the proposal (`CellEdit.current`). */
export function contentNow(value: unknown, fmt: unknown): string {
  let v: CellValue;
  if (value === '' || value === null || value === undefined) v = null;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') v = value;
  else v = String(value);
  const numFmt = typeof fmt === 'string' && fmt !== '' && fmt !== 'General' && fmt !== 'G/通用格式' ? fmt : undefined;
  return cellText(numFmt ? { value: v, numFmt } : { value: v });
}

/** The reason 回填 gives for a cell whose content changed between the check and the write. */
export const CHANGED_SINCE_CHECK = '已被修改，未覆盖';

/**
 * What to do with one edit, given the cell at write time: its formula text (`formula`: Office's `formulas`,
 * WPS's `Formula`), its value (`values` / `Value2`) and its number format. Skipped: a formula, and a cell whose
 * content is no longer what the proposal was made from (the user typed 8 where the check saw 7, or filled an
 * empty cell) — 回填 never writes over a value the engine did not see. Written otherwise — with the engine's
 * number format where the cell has none, and for rates wherever the cell's format is not a percentage (a rate
 * of 1 in a `0.00` cell would read as 1.00, not 100.00%).
 */
export function editDecision(
  e: CellEdit,
  formula: unknown,
  value: unknown,
  fmt: unknown,
): { skip: EditOutcome['skipped'][number] } | { write: CellEdit; numFmt: string | null } {
  if (isFormula(formula))
    return { skip: { edit: { ...e, status: 'formula', current: String(formula) }, reason: '公式单元格，不覆盖' } };
  const current = contentNow(value, fmt);
  if (current !== e.current.trim()) {
    const same = current === contentNow(e.value, fmt);
    return { skip: { edit: { ...e, current }, reason: same ? '已是计算结果' : CHANGED_SINCE_CHECK } };
  }
  const general = fmt === 'General' || fmt === 'G/通用格式' || fmt === '' || fmt === null || fmt === undefined;
  const rateShownWrong = !!e.numFmt && e.numFmt.includes('%') && !String(fmt).includes('%');
  return { write: { ...e, current }, numFmt: e.numFmt && (general || rateShownWrong) ? e.numFmt : null };
}

/** True when a cell still holds what 回填 wrote there (so 撤销回填 may put the old content back). */
export function stillWritten(p: PriorCell, content: unknown, value: unknown): boolean {
  if (isFormula(content)) return false;
  return typeof p.written === 'number'
    ? typeof value === 'number' && Math.abs(value - p.written) < 1e-9
    : String(value) === p.written;
}

/** The content to put back into a cell 回填 wrote (empty for a cell that was empty). */
export function priorValue(p: PriorCell): string | number | boolean {
  const v = p.value;
  if (v === null || v === undefined) return '';
  return typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
}

/** 回填 failed part-way and every cell it had written holds its old content again. */
export function rolledBackMessage(cause: string, cells: number): string {
  return `回填未完成，工作簿未改动：写入时出错（${cause}）。已写入的单元格均已恢复为回填前的内容（共 ${cells} 个目标单元格），可稍后重试。`;
}

/** 回填 failed part-way and putting the old contents back failed too: which cells to look at. */
export function rollbackFailedMessage(cause: string, before: readonly PriorCell[]): string {
  const list = before.slice(0, 20).map((p) => `${p.sheet}!${p.cell}`).join('、');
  const more = before.length > 20 ? ` 等 ${before.length} 个单元格` : '';
  return `回填未完成：写入时出错（${cause}），恢复原内容时再次出错。以下单元格可能已被改写，请逐一核对，或点击「撤销回填」再试：${list}${more}。`;
}

/** 撤销回填 failed part-way and every cell holds what 回填 wrote again (it can be retried). */
export function revertRolledBackMessage(cause: string): string {
  return `撤销回填未完成，工作簿未改动：写入时出错（${cause}）。回填写入的内容仍在，可稍后再点击「撤销回填」。`;
}

/** 撤销回填 failed part-way and putting the written values back failed too. */
export function revertFailedMessage(cause: string, cells: readonly PriorCell[]): string {
  const list = cells.slice(0, 20).map((p) => `${p.sheet}!${p.cell}`).join('、');
  const more = cells.length > 20 ? ` 等 ${cells.length} 个单元格` : '';
  return `撤销回填未完成：写入时出错（${cause}），恢复时再次出错。以下单元格可能只恢复了一部分，请逐一核对：${list}${more}。`;
}

/**
 * 回填 failed part-way and the old contents could not all be put back: `before` is the undo list of the cells
 * that may hold a written value, so that 撤销回填 can still put them back.
 */
export class FillFailedError extends SessionError {
  constructor(
    message: string,
    readonly before: PriorCell[],
    original?: unknown,
  ) {
    super(message, original);
    this.name = 'FillFailedError';
  }
}

/**
 * True for the text of the second row of a report the add-in wrote (`评价标准：… 生成日期：…`, see
 * src/domain/report/build.ts), which no form has. A marker name left pointing at a user's own sheet of the
 * report's name (a tool deleted the add-in's sheet without fixing names) does not make that sheet the
 * add-in's: every reader also asks for this line.
 */
export function isReportMetaLine(text: string): boolean {
  const t = text.trim();
  return t.startsWith('评价标准：') && t.includes('生成日期：');
}

/** Whether an A1 text is the title of the 自评报告 draft the add-in writes (`…绩效自评报告（草稿）`). */
export function isDraftTitle(text: string): boolean {
  return text.trim().endsWith(DRAFT_TITLE_SUFFIX);
}

/**
 * The workbook's stored choices (profile, 已复核) as the adapters keep them between reads: which defined
 * names to delete and add for a change, and the bookkeeping once the host has written them.
 */
export class StoredChoices {
  choices: WorkbookChoices = { profile: null, reviews: new Map() };
  /** The workbook's defined names, as last read (to pick a free one, and to replace ours). */
  names: string[] = [];

  read(names: readonly NameEntry[]): void {
    this.choices = parseChoices([...names]);
    this.names = names.map((n) => n.name);
  }

  /** The names to delete and add to store the profile `id`. */
  profileChange(id: StoredProfileId): { remove: string | null; add: { name: string; formula: string } } {
    const existing = this.names.find((n) => n.toLowerCase() === PROFILE_NAME.toLowerCase()) ?? null;
    return { remove: existing, add: { name: PROFILE_NAME, formula: constantFormula(id) } };
  }

  profileStored(id: StoredProfileId): void {
    if (!this.names.some((n) => n.toLowerCase() === PROFILE_NAME.toLowerCase())) this.names.push(PROFILE_NAME);
    this.choices.profile = id;
  }

  /** The names to delete and add to mark `f` 已复核 (or take the mark back); null when nothing changes. */
  reviewChange(
    f: Finding,
    reviewed: boolean,
    by: string,
    at: Date,
  ): { remove: string | null; add: { name: string; formula: string } | null; review: Review; name: string } | null {
    const had = this.choices.reviews.get(reviewKey(f));
    if (!reviewed && !had) return null;
    const review: Review = {
      code: f.code,
      sheet: f.sheet,
      cell: f.cell.replace(/\$/g, '').toUpperCase(),
      by: by.trim(),
      at: at.toISOString(),
    };
    const name = had?.name ?? nextReviewName(this.names);
    return {
      remove: had?.name ?? null,
      add: reviewed ? { name, formula: constantFormula(encodeReview(review)) } : null,
      review,
      name,
    };
  }

  /** After the host wrote a reviewChange. */
  reviewStored(f: Finding, change: NonNullable<ReturnType<StoredChoices['reviewChange']>>): Review | null {
    const key = reviewKey(f);
    if (change.remove) {
      this.choices.reviews.delete(key);
      this.names = this.names.filter((n) => n !== change.remove);
    }
    if (!change.add) return null;
    this.choices.reviews.set(key, { ...change.review, name: change.name });
    this.names.push(change.name);
    return change.review;
  }
}

/**
 * Live validation's timing: `fire(sheet, address)` calls `onChange` at most once per `delayMs` per sheet
 * (the last address wins), and only while live.
 */
export class ChangeDebouncer {
  live = true;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly onChange: () => ((sheet: string, address: string) => void) | null) {}

  fire(sheet: string, address: string, delayMs: number): void {
    if (!this.live) return;
    const prev = this.timers.get(sheet);
    if (prev) clearTimeout(prev);
    this.timers.set(
      sheet,
      setTimeout(() => {
        this.timers.delete(sheet);
        if (this.live) this.onChange()?.(sheet, address);
      }, delayMs),
    );
  }

  setLive(on: boolean): void {
    this.live = on;
    if (!on) {
      for (const t of this.timers.values()) clearTimeout(t);
      this.timers.clear();
    }
  }
}
