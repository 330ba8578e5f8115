/**
 * The task pane's state and every call it makes to the workbook. `paneReducer` is pure (tested without a
 * browser); `usePaneController` owns the WorkbookSession calls, runs them one at a time, and dispatches
 * what they return. The components in ./components only render the state and call the actions.
 *
 * Writes happen only in actions the user took: 标记, 清除标记, 回填, 撤销回填, 已复核, 评分标准, 生成报告,
 * 新建表格, 转为自评表.
 * Opening the pane and the live re-checks read only (Excel's undo history stays the user's).
 */
import * as React from 'react';
import { summarize } from '../domain/engine';
import { Review, reviewKey } from '../domain/settings';
import { dependsOnProposals, proposalCells } from '../domain/todo';
import type { CellEdit, Finding, Severity, TableResult, WorkbookResult } from '../domain/types';
import { convertNotes, DEFAULT_ROWS, MAX_ROWS, TemplateKind } from '../domain/templates';
import { CHANGED_SINCE_CHECK, FillFailedError, type PriorCell, type StoredProfileId, type WorkbookSession } from '../domain/session';
import { findingRows, toCsv, toTsv } from './export';
import { PROFILE_LABELS as PROFILE_NAMES } from './labels';
import { currentTable, mergeQueue, orderedFindings, parseArea, stepIndex } from './order';

export type Filter = 'all' | Severity;

export interface Message {
  intent: 'success' | 'error' | 'warning' | 'info';
  title?: string;
  text: string;
  /** A way out the message offers: 写入工作表 (the findings where neither a download nor the clipboard works). */
  action?: 'writeSheet';
}

/** One table's proposed edits in the 回填 panel. */
export interface FillGroup {
  key: string;
  title: string;
  sheet: string;
  edits: CellEdit[];
  /** Score cells holding a default for a qualitative indicator: written only when ticked (confirmed). */
  proposals: Set<string>;
}

export interface FillState {
  groups: FillGroup[];
  /** Ticked edits, by `sheet!cell`. */
  chosen: Set<string>;
  /** 本表: only the current table's group is shown and written; 全部表格: every group. */
  scope: 'table' | 'all';
  /** The group of the table the user is on (null when it has nothing to fill). */
  current: string | null;
}

/** 上一个 / 下一个: the order the steps follow (fixed when stepping starts) and the finding stepped to. */
export interface StepState {
  queue: string[];
  cursor: string | null;
}

/** The 「新建表格」 panel: which form, how many indicator rows (as typed). */
export interface NewFormState {
  kind: TemplateKind;
  rows: string;
}

/** The 「转为自评表」 panel: the ticked target tables, by tableKey. */
export interface ConvertState {
  chosen: Set<string>;
}

export interface PaneState {
  result: WorkbookResult | null;
  busy: { label: string; fraction?: number } | null;
  message: Message | null;
  notices: string[];
  filter: Filter;
  live: boolean;
  profile: StoredProfileId;
  fill: FillState | null;
  newForm: NewFormState | null;
  convert: ConvertState | null;
  /** What the last 回填 replaced, for 撤销回填. */
  lastFill: PriorCell[] | null;
  reviews: Map<string, Review>;
  reviewer: string;
  /** The user's selection in Excel. */
  selection: { sheet: string; address: string } | null;
  activeSheet: string | null;
  /** Marks on the sheet may no longer match the findings (the sheet changed since 标记). */
  staleMarks: boolean;
  /** Below ExcelApi 1.20: what a write costs, shown until dismissed. */
  undoNotice: string | null;
  syncInfo: string;
  liveStamp: string;
  steps: StepState;
}

export const editKey = (e: { sheet: string; cell: string }): string => `${e.sheet}!${e.cell}`;
export const tableKey = (t: TableResult): string => `${t.sheet}!${t.range}`;
export const isWritable = (e: CellEdit): boolean => e.status === 'empty' || e.status === 'change';

export function initialState(opts: { reviewer?: string; undoNotice?: string | null } = {}): PaneState {
  return {
    result: null,
    busy: null,
    message: null,
    notices: [],
    filter: 'all',
    live: true,
    profile: 'central',
    fill: null,
    newForm: null,
    convert: null,
    lastFill: null,
    reviews: new Map(),
    reviewer: opts.reviewer ?? '',
    selection: null,
    activeSheet: null,
    staleMarks: false,
    undoNotice: opts.undoNotice ?? null,
    syncInfo: '',
    liveStamp: '',
    steps: { queue: [], cursor: null },
  };
}

/**
 * The 回填 panel for `result`: every table with edits; writable edits ticked, except proposals. With the
 * table the user is on (`current`) and edits for it, the panel opens on that table alone (本表).
 */
export function openFill(result: WorkbookResult, current: TableResult | null = null): FillState {
  const groups: FillGroup[] = result.tables
    .filter((t) => t.edits.length > 0)
    .map((t) => ({ key: tableKey(t), title: t.name || t.sheet, sheet: t.sheet, edits: t.edits, proposals: proposalCells(t) }));
  const chosen = new Set<string>();
  for (const g of groups) for (const e of g.edits) if (isWritable(e) && !g.proposals.has(e.cell)) chosen.add(editKey(e));
  const key = current ? tableKey(current) : null;
  const here = groups.some((g) => g.key === key) ? key : null;
  return { groups, chosen, scope: here ? 'table' : 'all', current: here };
}

/** The groups the 回填 panel shows and writes: the current table's (本表) or every table's (全部表格). */
export function shownGroups(fill: FillState): FillGroup[] {
  return fill.scope === 'table' && fill.current ? fill.groups.filter((g) => g.key === fill.current) : fill.groups;
}

/**
 * Why a ticked edit will not be written, or null: 总分 and 等级 of a table with an unconfirmed default score
 * would pass the guess off as the user's total.
 */
export function blockedReason(fill: FillState, g: FillGroup, e: CellEdit): string | null {
  if (!dependsOnProposals(e)) return null;
  const open = g.edits.filter((x) => g.proposals.has(x.cell) && isWritable(x) && !fill.chosen.has(editKey(x)));
  return open.length ? `含 ${open.length} 个未确认的默认分，确认后才回填${e.kind === 'grade' ? '等级' : '总分'}` : null;
}

/** The edits 确认回填 writes now. */
export function editsToWrite(fill: FillState): CellEdit[] {
  const out: CellEdit[] = [];
  for (const g of shownGroups(fill)) {
    for (const e of g.edits) if (isWritable(e) && fill.chosen.has(editKey(e)) && !blockedReason(fill, g, e)) out.push(e);
  }
  return out;
}

/** Tables of the sheet the user is on first, then the others in sheet order. */
export function orderTables(tables: TableResult[], sheetOrder: string[], active: string | null): TableResult[] {
  const idx = (s: string) => {
    if (s === active) return -1;
    const i = sheetOrder.indexOf(s);
    return i < 0 ? sheetOrder.length : i;
  };
  return [...tables].sort((a, b) => idx(a.sheet) - idx(b.sheet) || a.range.localeCompare(b.range, 'en', { numeric: true }));
}

/** The workbook's 绩效目标表 (what 「转为自评表」 can convert). */
export function targetTables(r: WorkbookResult | null): TableResult[] {
  return r ? r.tables.filter((t) => t.kind === 'target') : [];
}

/** The 「转为自评表」 panel for `result`: every target table ticked. */
export function openConvert(result: WorkbookResult | null): ConvertState {
  return { chosen: new Set(targetTables(result).map(tableKey)) };
}

/** The ticked target tables, in the pane's order. */
export function tablesToConvert(result: WorkbookResult | null, convert: ConvertState): TableResult[] {
  return targetTables(result).filter((t) => convert.chosen.has(tableKey(t)));
}

/** The number of indicator rows typed in 「新建表格」, or a Chinese reason why it cannot be used. */
export function parseRows(text: string): number | string {
  const t = text.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (!/^\d+$/.test(t)) return `指标行数请填写 1–${MAX_ROWS} 的整数。`;
  const n = Number(t);
  return n >= 1 && n <= MAX_ROWS ? n : `指标行数请填写 1–${MAX_ROWS} 的整数。`;
}

export function allFindings(r: WorkbookResult): Finding[] {
  return [...r.tables.flatMap((t) => t.findings), ...r.findings];
}

/** Findings whose cell lies inside the selected address on the selected sheet. */
export function findingsAt(r: WorkbookResult | null, sel: { sheet: string; address: string } | null): Finding[] {
  if (!r || !sel) return [];
  const area = parseArea(sel.address);
  if (!area) return [];
  return allFindings(r).filter((f) => {
    if (f.sheet !== sel.sheet) return false;
    const c = parseArea(f.cell);
    return !!c && c.r0 >= area.r0 && c.r0 <= area.r1 && c.c0 >= area.c0 && c.c0 <= area.c1;
  });
}

export type PaneAction =
  | { type: 'busy'; busy: PaneState['busy'] }
  | { type: 'message'; message: Message | null }
  | { type: 'checked'; result: WorkbookResult; notices: string[]; profile: StoredProfileId; reviews: Map<string, Review>; active: string | null; syncInfo: string }
  | { type: 'sheetRechecked'; sheet: string; oldName?: string; tables: TableResult[]; findings: Finding[]; sheetOrder: string[]; marked: boolean; stamp: string; syncInfo: string }
  | { type: 'filter'; filter: Filter }
  | { type: 'live'; live: boolean }
  | { type: 'profile'; profile: StoredProfileId }
  | { type: 'openFill' }
  | { type: 'closeFill' }
  | { type: 'fillScope'; scope: FillState['scope'] }
  | { type: 'steps'; steps: StepState }
  | { type: 'toggleEdit'; key: string; on: boolean }
  | { type: 'toggleGroup'; key: string; on: boolean }
  | { type: 'filled'; before: PriorCell[] }
  | { type: 'reverted' }
  | { type: 'reviewed'; key: string; review: Review | null }
  | { type: 'reviewer'; name: string }
  | { type: 'selection'; sheet: string; address: string }
  | { type: 'marked'; on: boolean }
  | { type: 'dismissUndo' }
  | { type: 'syncInfo'; text: string }
  | { type: 'openNewForm' }
  | { type: 'newForm'; kind?: TemplateKind; rows?: string }
  | { type: 'closeNewForm' }
  | { type: 'openConvert' }
  | { type: 'toggleConvert'; key: string; on: boolean }
  | { type: 'toggleAllConvert'; on: boolean }
  | { type: 'closeConvert' };

export function paneReducer(s: PaneState, a: PaneAction): PaneState {
  switch (a.type) {
    case 'busy':
      return { ...s, busy: a.busy };
    case 'message':
      return { ...s, message: a.message };
    case 'checked':
      return {
        ...s,
        result: a.result,
        notices: a.notices,
        profile: a.profile,
        reviews: a.reviews,
        activeSheet: a.active ?? s.activeSheet,
        syncInfo: a.syncInfo,
        fill: null,
        // An open 转为自评表 panel keeps the ticks of the tables still there, and closes when none is left.
        convert: s.convert && targetTables(a.result).length ? { chosen: new Set(targetTables(a.result).map(tableKey).filter((k) => s.convert!.chosen.has(k))) } : null,
      };
    case 'sheetRechecked': {
      const base = s.result ?? { profile: s.profile, tables: [], findings: [], summary: summarize([]) };
      const gone = (sheet: string) => sheet === a.oldName || sheet === a.sheet;
      const tables = orderTables([...base.tables.filter((t) => !gone(t.sheet)), ...a.tables], a.sheetOrder, null);
      const findings = [...base.findings.filter((f) => !gone(f.sheet)), ...a.findings];
      return {
        ...s,
        result: { ...base, tables, findings, summary: summarize(tables, findings) },
        staleMarks: s.staleMarks || a.marked,
        liveStamp: a.stamp,
        syncInfo: a.syncInfo,
      };
    }
    case 'filter':
      return { ...settled(s), filter: a.filter, steps: { queue: [], cursor: s.steps.cursor } };
    case 'steps':
      return { ...settled(s), steps: a.steps };
    case 'fillScope':
      return s.fill ? { ...settled(s), fill: { ...s.fill, scope: a.scope } } : s;
    case 'live':
      return { ...s, live: a.live };
    case 'profile':
      return { ...s, profile: a.profile };
    case 'openFill':
      return s.result ? { ...settled(s), fill: openFill(s.result, currentTable(s.result, s)) } : s;
    case 'closeFill':
      return { ...s, fill: null };
    case 'toggleEdit': {
      if (!s.fill) return s;
      const chosen = new Set(s.fill.chosen);
      if (a.on) chosen.add(a.key);
      else chosen.delete(a.key);
      return { ...s, fill: { ...s.fill, chosen } };
    }
    case 'toggleGroup': {
      if (!s.fill) return s;
      const g = s.fill.groups.find((x) => x.key === a.key);
      if (!g) return s;
      const chosen = new Set(s.fill.chosen);
      // Ticking a whole table does not confirm its default scores: those stay one tick each.
      for (const e of g.edits) {
        if (!isWritable(e) || g.proposals.has(e.cell)) continue;
        if (a.on) chosen.add(editKey(e));
        else chosen.delete(editKey(e));
      }
      return { ...s, fill: { ...s.fill, chosen } };
    }
    case 'filled':
      return { ...s, fill: null, lastFill: a.before.length ? a.before : null };
    case 'reverted':
      return { ...s, lastFill: null };
    case 'reviewed': {
      const reviews = new Map(s.reviews);
      if (a.review) reviews.set(a.key, a.review);
      else reviews.delete(a.key);
      return { ...s, reviews };
    }
    case 'reviewer':
      return { ...s, reviewer: a.name };
    case 'selection':
      // No address: a sheet-tab click. A selection on that sheet stays (the pane's own jump activates its
      // sheet too); one on another sheet is stale and goes.
      if (!a.address) return { ...s, selection: s.selection?.sheet === a.sheet ? s.selection : null, activeSheet: a.sheet };
      return { ...s, selection: { sheet: a.sheet, address: a.address }, activeSheet: a.sheet };
    case 'marked':
      return { ...s, staleMarks: false };
    case 'dismissUndo':
      return { ...s, undoNotice: null };
    case 'syncInfo':
      return { ...s, syncInfo: a.text };
    case 'openNewForm':
      return { ...settled(s), newForm: s.newForm ?? { kind: 'self-eval', rows: String(DEFAULT_ROWS) }, convert: null, fill: null };
    case 'newForm':
      return s.newForm ? { ...s, newForm: { kind: a.kind ?? s.newForm.kind, rows: a.rows ?? s.newForm.rows } } : s;
    case 'closeNewForm':
      return { ...s, newForm: null };
    case 'openConvert':
      return targetTables(s.result).length ? { ...settled(s), convert: openConvert(s.result), newForm: null, fill: null } : s;
    case 'toggleConvert': {
      if (!s.convert) return s;
      const chosen = new Set(s.convert.chosen);
      if (a.on) chosen.add(a.key);
      else chosen.delete(a.key);
      return { ...s, convert: { chosen } };
    }
    case 'toggleAllConvert':
      return s.convert ? { ...s, convert: a.on ? openConvert(s.result) : { chosen: new Set() } } : s;
    case 'closeConvert':
      return { ...s, convert: null };
  }
}

/** The state for the user's next action: a success message of the last one is done with and goes. */
function settled(s: PaneState): PaneState {
  return s.message?.intent === 'success' ? { ...s, message: null } : s;
}

const REVIEWER_KEY = 'perfsheet.reviewer';
const UNDO_SEEN_KEY = 'perfsheet.undoNoticeSeen';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function describeOutcome(written: number, skipped: { edit: CellEdit; reason: string }[]): string {
  const formula = skipped.filter((x) => x.reason.startsWith('公式')).length;
  const prot = skipped.filter((x) => x.reason.startsWith('工作表受保护')).length;
  const merged = skipped.filter((x) => x.reason.includes('合并')).length;
  const changed = skipped.filter((x) => x.reason === CHANGED_SINCE_CHECK).map((x) => `${x.edit.sheet}!${x.edit.cell}`);
  const other = skipped.length - formula - prot - merged - changed.length - skipped.filter((x) => x.reason === '已是计算结果').length;
  const parts = [`已回填 ${written} 个单元格`];
  if (formula) parts.push(`跳过 ${formula} 个公式单元格`);
  if (merged) parts.push(`跳过 ${merged} 个合并单元格`);
  if (prot) parts.push(`${prot} 个单元格所在工作表受保护，未写入`);
  if (changed.length) parts.push(`${changed.length} 个单元格在检查后${CHANGED_SINCE_CHECK}（${changed.slice(0, 10).join('、')}${changed.length > 10 ? ' 等' : ''}）`);
  if (other) parts.push(`${other} 个单元格未写入`);
  return `${parts.join('，')}。可点击「撤销回填」恢复原内容。`;
}

export interface PaneController {
  state: PaneState;
  session: WorkbookSession;
  check: (keepMessage?: boolean, profile?: StoredProfileId) => Promise<void>;
  runTask: (label: string, task: () => Promise<string | void>) => Promise<void>;
  mark: () => void;
  clearMarks: () => void;
  openFill: () => void;
  closeFill: () => void;
  toggleEdit: (key: string, on: boolean) => void;
  toggleGroup: (key: string, on: boolean) => void;
  acceptFill: () => void;
  revertFill: () => void;
  select: (sheet: string, address: string) => void;
  /** Selects a finding's cell and makes it the one 上一个 / 下一个 step from. */
  selectFinding: (f: Finding) => void;
  /** 上一个 (-1) / 下一个 (1) problem, worst first; selects its cell. */
  step: (dir: 1 | -1) => void;
  setFillScope: (scope: FillState['scope']) => void;
  setFilter: (f: Filter) => void;
  setLive: (on: boolean) => void;
  changeProfile: (id: StoredProfileId) => void;
  toggleReview: (f: Finding) => void;
  setReviewer: (name: string) => void;
  dismissUndo: () => void;
  copyFindings: () => void;
  /** 下载问题列表（CSV）; where the host cannot download (Excel for Mac), the clipboard, then 写入工作表. */
  downloadCsv: () => void;
  /** The findings into the workbook: the report sheet's 问题清单 (every host can write it). */
  writeFindingsSheet: () => void;
  openNewForm: () => void;
  setNewForm: (p: { kind?: TemplateKind; rows?: string }) => void;
  closeNewForm: () => void;
  createForm: () => void;
  openConvert: () => void;
  toggleConvert: (key: string, on: boolean) => void;
  toggleAllConvert: (on: boolean) => void;
  closeConvert: () => void;
  convertTargets: () => void;
}

export function usePaneController(
  session: WorkbookSession,
  opts: { liveDelayMs?: number; onShown?: (h: () => void) => void; canDownload?: boolean } = {},
): PaneController {
  const liveDelayMs = opts.liveDelayMs ?? 300;
  const [state, dispatch] = React.useReducer(paneReducer, undefined, () =>
    initialState({
      reviewer: storage()?.getItem(REVIEWER_KEY) ?? '',
      undoNotice: session.undoNotice && storage()?.getItem(UNDO_SEEN_KEY) !== '1' ? session.undoNotice : null,
    }),
  );
  // The latest committed state, for the callbacks and queued tasks below (they outlive the render that made them).
  // Updated in the commit (not during render, which React may repeat or discard), before any event handler runs.
  const stateRef = React.useRef(state);
  React.useLayoutEffect(() => {
    stateRef.current = state;
  });
  const chain = React.useRef<Promise<unknown>>(Promise.resolve());

  /** Serialises operations on the workbook (a live re-check never interleaves with a write). */
  const enqueue = React.useCallback(<T,>(task: () => Promise<T>): Promise<T> => {
    const next = chain.current.then(task, task);
    chain.current = next.catch(() => undefined);
    return next;
  }, []);

  const message = (m: Message | null) => dispatch({ type: 'message', message: m });

  const check = React.useCallback(
    (keepMessage = false, profile?: StoredProfileId) =>
      enqueue(async () => {
        dispatch({ type: 'busy', busy: { label: '读取工作簿…', fraction: 0 } });
        if (!keepMessage) message(null);
        try {
          const r = await session.check((fraction, label) => dispatch({ type: 'busy', busy: { label, fraction } }), profile);
          const order = r.sheets.map((x) => x.name);
          dispatch({
            type: 'checked',
            result: { ...r.result, tables: orderTables(r.result.tables, order, session.activeSheet) },
            notices: r.notices.map((n) => n.message),
            profile: r.profile,
            reviews: r.reviews,
            active: session.activeSheet,
            syncInfo: `检查：读取 ${session.lastCalls} ${session.callUnit}，未写入工作簿`,
          });
          if (r.result.tables.length === 0) {
            message({
              intent: 'info',
              title: '没有找到绩效表',
              text: '工作簿中没有绩效目标表或绩效自评表。请打开填好的表格后点击「检查」（表头需含「一级指标」「二级指标」「三级指标」等栏目），或点击「新建表格」按官方模板新建。',
            });
          }
        } catch (e) {
          message({ intent: 'error', title: '检查失败', text: session.describeError(e) });
        } finally {
          dispatch({ type: 'busy', busy: null });
        }
      }),
    [enqueue, session],
  );

  const runTask = React.useCallback(
    (label: string, task: () => Promise<string | void>) =>
      enqueue(async () => {
        dispatch({ type: 'busy', busy: { label } });
        message(null);
        try {
          const text = await task();
          if (text) message({ intent: 'success', text });
        } catch (e) {
          message({ intent: 'error', title: `${label.replace(/…$/, '')}失败`, text: session.describeError(e) });
        } finally {
          dispatch({ type: 'busy', busy: null });
        }
      }),
    [enqueue, session],
  );

  const recheckSheet = React.useCallback(
    (sheetId: string) =>
      enqueue(async () => {
        const oldName = session.sheets.find((x) => x.id === sheetId)?.name;
        try {
          const r = await session.recheckSheet(sheetId);
          dispatch({
            type: 'sheetRechecked',
            sheet: r.sheet,
            oldName,
            tables: r.tables,
            findings: r.findings,
            sheetOrder: session.sheets.map((x) => x.name),
            marked: r.marked,
            stamp: `已于 ${new Date().toLocaleTimeString('zh-CN', { hour12: false })} 重新检查「${r.sheet}」`,
            syncInfo: `实时检查：${session.lastCalls} ${session.callUnit}，未写入工作簿`,
          });
        } catch (e) {
          message({ intent: 'error', title: '实时检查失败', text: session.describeError(e) });
        }
      }),
    [enqueue, session],
  );

  React.useEffect(() => {
    const reason = session.unsupportedReason();
    if (reason) {
      message({ intent: 'error', title: '无法运行', text: reason });
      return;
    }
    void check();
    void enqueue(() =>
      session.watch(
        (id) => void recheckSheet(id),
        liveDelayMs,
        (sheet, address) => dispatch({ type: 'selection', sheet, address }),
      ),
    ).catch((e) => message({ intent: 'warning', title: '实时检查不可用', text: session.describeError(e) }));
    const onVisible = () => {
      if (document.visibilityState === 'visible') void check();
    };
    document.addEventListener('visibilitychange', onVisible);
    opts.onShown?.(() => void check());
    return () => document.removeEventListener('visibilitychange', onVisible);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session]);

  const afterWrite = (what: string) => dispatch({ type: 'syncInfo', text: `${what}：${session.lastCalls} ${session.callUnit}` });

  const ctl: PaneController = {
    state,
    session,
    check,
    runTask,
    mark: () =>
      void runTask('标记有问题的单元格…', async () => {
        const r = stateRef.current.result;
        if (!r) return;
        const out = await session.highlight(allFindings(r));
        afterWrite('标记');
        dispatch({ type: 'marked', on: true });
        const prot = out.protectedSheets.length ? `；工作表「${out.protectedSheets.join('」「')}」受保护，未标记` : '';
        return `已用条件格式标记 ${out.added} 处（错误红色、警告黄色）${prot}。`;
      }),
    clearMarks: () =>
      void runTask('清除标记…', async () => {
        const out = await session.clearMarks();
        afterWrite('清除标记');
        dispatch({ type: 'marked', on: false });
        const prot = out.protectedSheets.length ? `；工作表「${out.protectedSheets.join('」「')}」受保护，未清除` : '';
        return out.removed ? `已清除 PerfSheet 添加的 ${out.removed} 处标记（其他条件格式未改动）${prot}。` : `没有需要清除的标记${prot}。`;
      }),
    openFill: () => dispatch({ type: 'openFill' }),
    closeFill: () => dispatch({ type: 'closeFill' }),
    toggleEdit: (key, on) => dispatch({ type: 'toggleEdit', key, on }),
    toggleGroup: (key, on) => dispatch({ type: 'toggleGroup', key, on }),
    acceptFill: () => {
      const fill = stateRef.current.fill;
      if (!fill) return;
      // Formula and merged cells of the tables being filled go along so that the message says they were skipped.
      const touched = shownGroups(fill).filter((g) => g.edits.some((e) => fill.chosen.has(editKey(e))));
      const list = [...editsToWrite(fill), ...touched.flatMap((g) => g.edits.filter((e) => e.status === 'formula' || e.status === 'merged'))];
      void runTask('回填计算结果…', async () => {
        const out = await session.applyEdits(list).catch((e: unknown) => {
          // Cells that may keep a written value stay undoable with 撤销回填.
          if (e instanceof FillFailedError && e.before.length) dispatch({ type: 'filled', before: e.before });
          throw e;
        });
        afterWrite('回填');
        dispatch({ type: 'filled', before: out.before });
        return describeOutcome(out.written.length, out.skipped);
      }).then(() => check(true));
    },
    revertFill: () => {
      const before = stateRef.current.lastFill;
      if (!before) return;
      void runTask('撤销回填…', async () => {
        const out = await session.revertEdits(before);
        afterWrite('撤销回填');
        dispatch({ type: 'reverted' });
        const changed = out.changed.length ? `；${out.changed.length} 个单元格在回填后已被修改，保留现有内容` : '';
        return `已恢复 ${out.restored} 个单元格回填前的内容${changed}。`;
      }).then(() => check(true));
    },
    select: (sheet, address) =>
      void enqueue(async () => {
        try {
          await session.select(sheet, address);
          dispatch({ type: 'selection', sheet, address });
        } catch (e) {
          message({ intent: 'error', title: '无法定位单元格', text: session.describeError(e) });
        }
      }),
    selectFinding: (f) => {
      const st = stateRef.current;
      dispatch({ type: 'steps', steps: { queue: st.steps.queue, cursor: reviewKey(f) } });
      ctl.select(f.sheet, f.cell);
    },
    step: (dir) => {
      const st = stateRef.current;
      const visible = (f: Finding) => st.filter === 'all' || f.severity === st.filter;
      const fresh = orderedFindings(st.result, st, st.reviews, visible);
      const byKey = new Map(fresh.map((f) => [reviewKey(f), f] as const));
      if (!fresh.length) {
        message({ intent: 'info', text: st.result && allFindings(st.result).length ? '没有未复核的问题了。' : '没有发现问题。' });
        return;
      }
      const old = st.steps.queue;
      const queue = mergeQueue(old, [...byKey.keys()]);
      let next: string | undefined;
      const cursor = st.steps.cursor;
      if (cursor !== null && !byKey.has(cursor) && old.includes(cursor)) {
        // The finding stepped to is gone (fixed or reviewed): the next one is the one after it in the old order.
        const i = old.indexOf(cursor);
        const around = dir === 1 ? [...old.slice(i + 1), ...old.slice(0, i)] : [...old.slice(0, i).reverse(), ...old.slice(i + 1).reverse()];
        next = around.find((k) => byKey.has(k));
      }
      next ??= queue[stepIndex(queue, cursor, dir)];
      const f = byKey.get(next)!;
      dispatch({ type: 'steps', steps: { queue, cursor: next } });
      ctl.select(f.sheet, f.cell);
    },
    setFillScope: (scope) => dispatch({ type: 'fillScope', scope }),
    setFilter: (filter) => dispatch({ type: 'filter', filter }),
    setLive: (on) => {
      dispatch({ type: 'live', live: on });
      session.setLive(on);
      // Edits made while live validation was off were not checked: catch up at once.
      if (on) void check();
    },
    changeProfile: (id) => {
      dispatch({ type: 'profile', profile: id });
      void runTask('保存评分标准…', async () => {
        await session.saveProfile(id);
        afterWrite('保存评分标准');
      }).then(() => check(true, id));
    },
    toggleReview: (f) => {
      const key = reviewKey(f);
      const on = !stateRef.current.reviews.has(key);
      const by = stateRef.current.reviewer;
      void runTask(on ? '标记为已复核…' : '取消已复核…', async () => {
        const review = await session.setReviewed(f, on, by);
        afterWrite('已复核');
        dispatch({ type: 'reviewed', key, review });
      });
    },
    setReviewer: (name) => {
      storage()?.setItem(REVIEWER_KEY, name);
      dispatch({ type: 'reviewer', name });
    },
    dismissUndo: () => {
      storage()?.setItem(UNDO_SEEN_KEY, '1');
      dispatch({ type: 'dismissUndo' });
    },
    copyFindings: () => {
      const r = stateRef.current.result;
      if (!r) return;
      const rows = findingRows(r, stateRef.current.reviews);
      void copyText(toTsv(rows)).then((ok) =>
        message(
          ok
            ? { intent: 'success', text: `已复制 ${rows.length - 1} 条问题（含表头），可直接粘贴到 Excel 或 WPS。` }
            : opts.canDownload === false
              ? NO_EXPORT
              : { intent: 'warning', text: '无法访问剪贴板：请改用「下载问题列表（CSV）」，或点击「写入工作表」。', action: 'writeSheet' },
        ),
      );
    },
    writeFindingsSheet: () => {
      const r = stateRef.current.result;
      if (!r) return;
      let written = false;
      void runTask('写入问题清单…', async () => {
        const out = await session.generateReport(r, today(), stateRef.current.reviews);
        written = true;
        afterWrite('写入问题清单');
        return `已把问题清单写入工作表「${out.sheetName}」（二、问题清单）${out.replaced ? '，替换了上次生成的报告' : ''}。可在该表中复制或打印。`;
      }).then(() => (written ? check(true) : undefined));
    },
    openNewForm: () => dispatch({ type: 'openNewForm' }),
    setNewForm: (p) => dispatch({ type: 'newForm', ...p }),
    closeNewForm: () => dispatch({ type: 'closeNewForm' }),
    createForm: () => {
      const form = stateRef.current.newForm;
      if (!form) return;
      const rows = parseRows(form.rows);
      if (typeof rows === 'string') {
        message({ intent: 'error', title: '无法新建表格', text: rows });
        return;
      }
      let written = false;
      void runTask('新建表格…', async () => {
        const out = await session.insertTemplate(form.kind, rows);
        written = true;
        afterWrite('新建表格');
        dispatch({ type: 'closeNewForm' });
        return `已新建工作表「${out.sheetName}」（${rows} 行指标，${PROFILE_NAMES[session.profile]}）。一级、二级指标可从下拉列表选择。`;
      }).then(() => (written ? check(true) : undefined));
    },
    openConvert: () => dispatch({ type: 'openConvert' }),
    toggleConvert: (key, on) => dispatch({ type: 'toggleConvert', key, on }),
    toggleAllConvert: (on) => dispatch({ type: 'toggleAllConvert', on }),
    closeConvert: () => dispatch({ type: 'closeConvert' }),
    convertTargets: () => {
      const st = stateRef.current;
      if (!st.convert) return;
      const tables = tablesToConvert(st.result, st.convert);
      if (!tables.length) {
        message({ intent: 'warning', text: '请至少勾选一张绩效目标表。' });
        return;
      }
      let written = false;
      void runTask('转为自评表…', async () => {
        const out = await session.insertSelfEvals(tables);
        written = true;
        afterWrite('转为自评表');
        dispatch({ type: 'closeConvert' });
        const notes = tables.flatMap((t) => convertNotes(t, stateRef.current.result?.profile));
        return `已生成 ${out.sheetNames.length} 张自评表：「${out.sheetNames.join('」「')}」。请填写实际完成值、得分和偏差原因。${notes.length ? `注意：${notes.join(' ')}` : ''}`;
      }).then(() => (written ? check(true) : undefined));
    },
    downloadCsv: () => {
      const r = stateRef.current.result;
      if (!r) return;
      const rows = findingRows(r, stateRef.current.reviews);
      const name = `${(r.fileName ?? '工作簿').replace(/\.xlsx$/i, '')}_检查结果.csv`;
      if (opts.canDownload !== false && download(toCsv(rows), name)) {
        message({ intent: 'success', text: `已下载「${name}」（${rows.length - 1} 条问题）。如果没有看到文件，请用「复制问题列表」或「写入工作表」。`, action: 'writeSheet' });
        return;
      }
      // A host whose web view drops `<a download>` (Excel for Mac, office-js #2700): the clipboard instead.
      void copyText(toTsv(rows)).then((ok) =>
        message(
          ok
            ? { intent: 'success', text: `此处无法下载文件，已改为把 ${rows.length - 1} 条问题连同表头复制到剪贴板：可粘贴到 Excel 或 WPS 的空白工作表。` }
            : NO_EXPORT,
        ),
      );
    },
  };
  return ctl;
}

/** Neither a download nor the clipboard: what is left, said plainly. */
const NO_EXPORT: Message = {
  intent: 'warning',
  title: '无法下载或复制',
  text: '此处既不能下载文件，也无法使用剪贴板。请点击「写入工作表」，把问题清单写入报告工作表（二、问题清单），再从该表复制或打印。',
  action: 'writeSheet',
};

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Saves `text` as a file through `<a download>`; false where the browser has no download attribute or throws. */
function download(text: string, name: string): boolean {
  try {
    const a = document.createElement('a');
    if (!('download' in a)) return false;
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    return true;
  } catch {
    return false;
  }
}

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back below (Office web views may refuse the async clipboard) */
  }
  try {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  } catch {
    return false;
  }
}
