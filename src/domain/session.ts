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
import type { SheetGrid } from './grid';
import { StoredProfileSchema, type Review } from './settings';
import type { TemplateKind } from './templates';
import type { CellEdit, Finding, TableResult, WorkbookResult } from './types';

export const ProfileIdSchema = StoredProfileSchema;
export type StoredProfileId = z.infer<typeof ProfileIdSchema>;

/** Which host a session talks to: the pane adapts its wording (never its results) to it. */
export type HostKind = 'excel' | 'wps';

/** Chinese names of the hosts, for the pane's wording. */
export const HOST_LABELS: Record<HostKind, string> = { excel: 'Excel', wps: 'WPS 表格' };

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
