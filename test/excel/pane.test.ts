/**
 * The pane's controller (pure reducer and selectors) against the 2025 fixture in the in-memory host:
 * a default qualitative score stays a proposal, 回填 one table then 撤销回填, the 待填 list, selection → finding.
 */
import { editKey, editsToWrite, findingsAt, initialState, openFill, orderTables, paneReducer, tableKey } from '../../src/taskpane/controller';
import { findingRows, toCsv, toTsv } from '../../src/taskpane/export';
import { noTotalReason } from '../../src/taskpane/components/TableCard';
import { proposalCells, todoList } from '../../src/domain/todo';
import { ExcelSession } from '../../src/excel/session';
import { openFixture, waitFor } from './helpers';

async function checked() {
  const sim = await openFixture();
  const s = new ExcelSession(sim);
  const r = await s.check();
  return { sim, s, r };
}

describe('回填: proposals, per table, undo', () => {
  test('a default qualitative score (0.7 × 30 = 21) is a proposal: not ticked, and it holds back 总分 and 等级', async () => {
    const { r } = await checked();
    const t = r.result.tables.find((x) => x.sheet === '党组织活动经费')!;
    expect([...proposalCells(t)]).toEqual(['H17']);
    const fill = openFill(r.result);
    expect(fill.chosen.has('党组织活动经费!H17')).toBe(false);
    const write = editsToWrite(fill).map(editKey);
    expect(write).not.toContain('党组织活动经费!H17');
    expect(write).not.toContain('党组织活动经费!H19'); // the total includes the guess
    expect(write).toContain('劳模体检!H19');
    // Confirming the proposal (ticking it) lets the total through.
    const s2 = paneReducer({ ...initialState(), result: r.result, fill }, { type: 'toggleEdit', key: '党组织活动经费!H17', on: true });
    expect(editsToWrite(s2.fill!).map(editKey)).toEqual(expect.arrayContaining(['党组织活动经费!H17', '党组织活动经费!H19']));
  });

  test('回填 one table (the others unticked), the default stays a proposal after the re-check, then 撤销回填 restores', async () => {
    const { sim, s, r } = await checked();
    let st = paneReducer({ ...initialState(), result: r.result }, { type: 'openFill' });
    for (const g of st.fill!.groups) st = paneReducer(st, { type: 'toggleGroup', key: g.key, on: false });
    const target = r.result.tables.find((x) => x.sheet === '党组织活动经费')!;
    st = paneReducer(st, { type: 'toggleGroup', key: tableKey(target), on: true });
    const list = editsToWrite(st.fill!);
    expect(new Set(list.map((e) => e.sheet))).toEqual(new Set(['党组织活动经费']));
    const h17 = sim.cell('党组织活动经费', 'H17');
    const out = await s.applyEdits(list);
    expect(out.written.length).toBe(list.length);
    expect(sim.cell('党组织活动经费', 'I6').value).toBe(0.9524);
    expect(sim.cell('劳模体检', 'H19').value).toBe(''); // other tables untouched
    expect(sim.cell('党组织活动经费', 'H17')).toEqual(h17); // the guess was not written
    const again = await s.check();
    const t2 = again.result.tables.find((x) => x.sheet === '党组织活动经费')!;
    expect(t2.findings.some((f) => f.code === 'C11')).toBe(true); // still asks for a human score
    expect([...proposalCells(t2)]).toEqual(['H17']);

    sim.resetCounters();
    const back = await s.revertEdits(out.before);
    expect(sim.syncCount).toBe(2);
    expect(back.restored).toBe(out.written.length);
    expect(sim.cell('党组织活动经费', 'I6').value).toBe('');
    // A cell the user changed after 回填 is kept.
    const out2 = await s.applyEdits(list);
    sim.userEdit('党组织活动经费', 'J6', 9);
    const back2 = await s.revertEdits(out2.before);
    expect(back2.changed.map((p) => p.cell)).toEqual(['J6']);
    expect(sim.cell('党组织活动经费', 'J6').value).toBe(9);
  });
});

describe('the pane follows the user', () => {
  test('selecting a marked cell gives its finding; the current sheet’s tables come first', async () => {
    const { sim, s, r } = await checked();
    const seen: { sheet: string; address: string }[] = [];
    await s.watch(() => undefined, 10, (sheet, address) => seen.push({ sheet, address }));
    sim.userSelect('劳模体检', 'I16');
    await waitFor(() => seen.length === 1);
    expect(seen[0]).toEqual({ sheet: '劳模体检', address: 'I16' });
    expect(findingsAt(r.result, seen[0]).map((f) => f.code)).toEqual(['C07']);
    expect(findingsAt(r.result, { sheet: '劳模体检', address: 'A1:J13' }).map((f) => f.cell)).toEqual(['F13']); // a range selection
    const ordered = orderTables(r.result.tables, r.sheets.map((x) => x.name), '党组织活动经费');
    expect(ordered[0].sheet).toBe('党组织活动经费');
  });

  test('还有 N 项待填: empty 实际完成值, a missing 偏差原因, an empty 全年执行数', async () => {
    const { sim, s, r } = await checked();
    expect(todoList(r.result).map((t) => `${t.sheet}!${t.range}`)).toEqual(['劳模体检!A16:J16', '困难劳模帮扶!A13:J13', '党组织活动经费!A17:J17']);
    sim.userEdit('劳模体检', 'F13', null); // 实际完成值
    sim.userEdit('劳模体检', 'G6', null); // 全年执行数
    const r2 = await s.check();
    const lm = todoList(r2.result).filter((t) => t.sheet === '劳模体检');
    expect(lm.map((t) => t.what)).toEqual([
      expect.stringContaining('全年执行数未填写'),
      expect.stringContaining('实际完成值未填写'),
      expect.stringContaining('偏差原因'),
    ]);
  });

  test('export: a header and one line per finding, CSV quoted with a BOM', async () => {
    const { r } = await checked();
    const rows = findingRows(r.result, new Map());
    expect(rows[0]).toEqual(['工作表', '单元格', '表格', '级别', '规则', '说明', '复核']);
    expect(rows).toHaveLength(1 + r.result.summary.errors + r.result.summary.warnings + r.result.summary.infos);
    expect(toTsv(rows).split('\r\n')).toHaveLength(rows.length);
    const csv = toCsv([['a,b', 'say "hi"']]);
    expect(csv).toBe('\uFEFF"a,b","say ""hi"""\r\n');
  });

  test('no 总分: the pane says it is C01 (weights do not add up)', () => {
    const t = {
      totalScore: null,
      findings: [{ code: 'C01', severity: 'error', sheet: 'S', cell: 'H19', message: '指标分值合计 = 30 + 60 = 90，应为 100。' }],
    } as never;
    expect(noTotalReason(t)).toMatch(/^未计算总分和等级：指标分值合计不符（规则 C01，H19）/);
  });
});
