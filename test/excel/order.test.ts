/**
 * Worst first (src/taskpane/order.ts) and the pane's reducer around it: errors before warnings before infos,
 * the current table's and sheet's first within each, 已复核 out of the counts and the steps, 上一个 / 下一个
 * wrapping, 回填 opening on the current table, a success message gone at the next action.
 */
import { reviewKey, Review } from '../../src/domain/settings';
import type { Finding, TableResult, WorkbookResult } from '../../src/domain/types';
import { editsToWrite, initialState, openFill, paneReducer, shownGroups } from '../../src/taskpane/controller';
import { countBySeverity, currentTable, orderCards, orderedFindings, reviewedFindings, stepIndex } from '../../src/taskpane/order';

const f = (sheet: string, cell: string, code: string, severity: Finding['severity']): Finding => ({ sheet, cell, code, severity, message: `${code} ${cell}` });
const table = (sheet: string, range: string, name: string, findings: Finding[], edits: TableResult['edits'] = []): TableResult =>
  ({ sheet, range, name, kind: 'self-eval', findings, edits, indicators: [] }) as unknown as TableResult;
const edit = (sheet: string, cell: string) => ({ sheet, cell, kind: 'score', label: '得分', value: 1, current: '', status: 'empty' }) as TableResult['edits'][number];

// Sheet A holds two tables (rows 1–20 and 30–50), sheet B one; A's first has only an info.
const a1 = table('A', 'A1:J20', '甲', [f('A', 'C5', 'V04', 'info')], [edit('A', 'H19')]);
const a2 = table('A', 'A30:J50', '乙', [f('A', 'C40', 'V03', 'warning'), f('A', 'C35', 'C07', 'warning'), f('A', 'H45', 'C05', 'error')], [edit('A', 'H49')]);
const b = table('B', 'A1:J20', '丙', [f('B', 'C10', 'C01', 'error'), f('B', 'C6', 'V04', 'info')], [edit('B', 'H19')]);
const result: WorkbookResult = { fileName: 'x.xlsx', profile: 'central', tables: [a1, a2, b], findings: [f('C', 'A1', 'S01', 'warning')], summary: { tables: 3, errors: 2, warnings: 3, infos: 2 } };
const none = new Map<string, Review>();
const review = (x: Finding): [string, Review] => [reviewKey(x), { code: x.code, sheet: x.sheet, cell: x.cell, by: '张会计', at: '2026-12-01T02:30:00.000Z' }];
const cells = (list: Finding[]) => list.map((x) => `${x.sheet}!${x.cell}`);

describe('worst first', () => {
  test('errors, then warnings, then infos; within each the current sheet first, then by row', () => {
    const order = orderedFindings(result, { activeSheet: 'B', selection: null }, none);
    expect(cells(order)).toEqual(['B!C10', 'A!H45', 'A!C35', 'A!C40', 'C!A1', 'B!C6', 'A!C5']);
  });

  test('the selected table comes before the rest of its sheet', () => {
    const where = { activeSheet: 'A', selection: { sheet: 'A', address: 'D3' } };
    expect(currentTable(result, where)?.name).toBe('甲');
    expect(currentTable(result, { activeSheet: 'A', selection: { sheet: 'A', address: 'B33:C34' } })?.name).toBe('乙');
    // 甲 has only an info: among the infos it comes first, but never before a warning.
    const order = orderedFindings(result, where, none);
    expect(cells(order)).toEqual(['A!H45', 'B!C10', 'A!C35', 'A!C40', 'C!A1', 'A!C5', 'B!C6']);
  });

  test('cards: a table with an error before one with only infos, whatever sheet the user is on', () => {
    const where = { activeSheet: 'A', selection: { sheet: 'A', address: 'D3' } };
    expect(orderCards(result, where, none).map((t) => t.name)).toEqual(['乙', '丙', '甲']);
    // Once 乙's error and both warnings are reviewed it has nothing open: last.
    const reviews = new Map(a2.findings.map(review));
    expect(orderCards(result, where, reviews).map((t) => t.name)).toEqual(['丙', '甲', '乙']);
  });

  test('a reviewed finding leaves the counts and the order, and is listed as reviewed', () => {
    const reviews = new Map([review(b.findings[0])]);
    const order = orderedFindings(result, { activeSheet: 'B', selection: null }, reviews);
    expect(cells(order)).not.toContain('B!C10');
    expect(countBySeverity(order)).toEqual({ error: 1, warning: 3, info: 2 });
    expect(reviewedFindings(result, reviews).map((x) => [x.f.cell, x.review.by])).toEqual([['C10', '张会计']]);
  });

  test('the severity filter narrows the order', () => {
    const order = orderedFindings(result, { activeSheet: 'B', selection: null }, none, (x) => x.severity === 'warning');
    expect(cells(order)).toEqual(['A!C35', 'A!C40', 'C!A1']);
  });
});

describe('上一个 / 下一个', () => {
  test('下一个 from nothing is the first, 上一个 the last; both wrap around', () => {
    const q = ['a', 'b', 'c'];
    expect(stepIndex(q, null, 1)).toBe(0);
    expect(stepIndex(q, null, -1)).toBe(2);
    expect(stepIndex(q, 'b', 1)).toBe(2);
    expect(stepIndex(q, 'c', 1)).toBe(0);
    expect(stepIndex(q, 'a', -1)).toBe(2);
    expect(stepIndex(q, 'gone', 1)).toBe(0);
    expect(stepIndex([], null, 1)).toBe(-1);
  });
});

describe('回填 on the current table', () => {
  test('opens on the selected table alone; 全部表格 shows and writes every table', () => {
    const fill = openFill(result, a2);
    expect(fill.scope).toBe('table');
    expect(shownGroups(fill).map((g) => g.title)).toEqual(['乙']);
    expect(editsToWrite(fill).map((e) => e.cell)).toEqual(['H49']);
    let st = paneReducer({ ...initialState(), result, fill }, { type: 'fillScope', scope: 'all' });
    expect(shownGroups(st.fill!).map((g) => g.title)).toEqual(['甲', '乙', '丙']);
    expect(editsToWrite(st.fill!).map((e) => e.cell)).toEqual(['H19', 'H49', 'H19']);
    st = paneReducer(st, { type: 'fillScope', scope: 'table' });
    expect(editsToWrite(st.fill!).map((e) => e.cell)).toEqual(['H49']);
  });

  test('the reducer opens 回填 on the table holding the selection; with no table there, on every table', () => {
    const base = { ...initialState(), result };
    const on = paneReducer({ ...base, selection: { sheet: 'B', address: 'C3' }, activeSheet: 'B' }, { type: 'openFill' });
    expect(on.fill!.current).toBe('B!A1:J20');
    expect(shownGroups(on.fill!).map((g) => g.title)).toEqual(['丙']);
    const off = paneReducer({ ...base, activeSheet: 'C' }, { type: 'openFill' });
    expect(off.fill!.scope).toBe('all');
  });
});

test('a sheet-tab click (a selection without address) drops the card of another sheet, keeps one of its own', () => {
  const on = paneReducer(initialState(), { type: 'selection', sheet: 'A', address: 'C5' });
  expect(paneReducer(on, { type: 'selection', sheet: 'A', address: '' }).selection).toEqual({ sheet: 'A', address: 'C5' });
  const other = paneReducer(on, { type: 'selection', sheet: 'B', address: '' });
  expect(other.selection).toBeNull();
  expect(other.activeSheet).toBe('B');
});

test('a success message goes at the next action; an error stays', () => {
  const ok = paneReducer(initialState(), { type: 'message', message: { intent: 'success', text: '已回填 3 个单元格' } });
  expect(paneReducer(ok, { type: 'filter', filter: 'error' }).message).toBeNull();
  expect(paneReducer(ok, { type: 'steps', steps: { queue: [], cursor: null } }).message).toBeNull();
  const bad = paneReducer(initialState(), { type: 'message', message: { intent: 'error', text: '无法定位单元格' } });
  expect(paneReducer(bad, { type: 'filter', filter: 'error' }).message).not.toBeNull();
});
