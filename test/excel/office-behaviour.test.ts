/**
 * Excel behaviours the pane must respect, each modelled by the in-memory host: write counting and the undo
 * history (cleared by any add-in write below ExcelApi 1.20, one step per action from 1.20 with
 * mergeUndoGroup), cell-edit mode (delayForCellEdit), and the errors Office really sends.
 */
import { SimExcel } from '../../src/excel-sim';
import { ExcelSession, describeError, UNDO_NOTICE_ACTIONS, UNDO_NOTICE_UNGROUPED } from '../../src/excel/session';
import { generateReportInExcel } from '../../src/excel/report';
import { fileNameFromUrl, safeDecode } from '../../src/excel/filename';
import { isPayloadError, PAYLOAD_RETRIES } from '../../src/excel/read';
import { MARK_SIGNATURE } from '../../src/excel/marks';
import { FIXTURE_2025, openFixture, waitFor } from './helpers';

const findingsOf = (r: Awaited<ReturnType<ExcelSession['check']>>) => [
  ...r.result.tables.flatMap((t) => t.findings),
  ...r.result.findings,
];

describe('writes and Excel’s undo history', () => {
  test('opening (check + watch) and a live re-check write nothing and keep the user’s undo steps (ExcelApi 1.17)', async () => {
    const sim = await openFixture(FIXTURE_2025, { apiVersion: '1.17' });
    sim.userEdit('劳模体检', 'B2', '石家庄市总工会');
    expect(sim.undoStack).toHaveLength(1);
    const s = new ExcelSession(sim);
    await s.check();
    const changed: string[] = [];
    await s.watch((id) => changed.push(id), 10);
    expect(sim.writeCount).toBe(0);
    sim.userEdit('劳模体检', 'F16', '880元/人');
    await waitFor(() => changed.length === 1);
    await s.recheckSheet(changed[0]);
    expect(sim.writeCount).toBe(0);
    expect(sim.undoClears).toBe(0);
    expect(sim.undoStack.map((u) => u.by)).toEqual(['user', 'user']);
  });

  test('below 1.20 marking clears the undo history (the pane says so); from 1.20 an action is one undo step', async () => {
    const old = await openFixture(FIXTURE_2025, { apiVersion: '1.17' });
    old.userEdit('劳模体检', 'F16', '880元/人');
    const s1 = new ExcelSession(old);
    expect(s1.undoable).toBe(false);
    const r1 = await s1.check();
    await s1.highlight(findingsOf(r1));
    expect(old.writeCount).toBeGreaterThan(0);
    expect(old.undoStack).toEqual([]);
    expect(old.undoClears).toBeGreaterThan(0);

    const sim = await openFixture(FIXTURE_2025, { apiVersion: '1.20' });
    sim.userEdit('劳模体检', 'F16', '880元/人');
    const s = new ExcelSession(sim);
    expect(s.undoable).toBe(true);
    const r = await s.check();
    await s.highlight(findingsOf(r)); // 2 syncs, both writing in sync 2
    await s.applyEdits(r.result.tables.flatMap((t) => t.edits));
    await s.clearMarks();
    expect(sim.undoClears).toBe(0);
    // The user's edit, then one step per action: 标记, 回填, 清除标记.
    expect(sim.undoStack.map((u) => u.by)).toEqual(['user', 'addin', 'addin', 'addin']);
  });

  test('the Office.js on npm (bundled by --env officejs=local) drops mergeUndoGroup: every writing sync is its own step', async () => {
    const sim = SimExcel.fromValues({ S: [[1]] }, { apiVersion: '1.20' });
    expect(sim.canGroupUndo()).toBe(false);
    await sim.run(
      async (ctx) => {
        ctx.workbook.worksheets.getItem('S').getRange('A1').values = [[2]];
        await ctx.sync();
        ctx.workbook.worksheets.getItem('S').getRange('A2').values = [[3]];
        await ctx.sync();
      },
      { mergeUndoGroup: true },
    );
    expect(sim.undoStack).toHaveLength(2);
    // The library's flags: 1 (the request writes), nothing for mergeUndoGroup (nor 64: no delayForCellEdit asked).
    expect(sim.syncLog.map((x) => x.flags)).toEqual([1, 1]);
  });

  test('a host run with several writing syncs makes one step only with mergeUndoGroup (a client that sends it)', async () => {
    const sim = SimExcel.fromValues({ S: [[1]] }, { apiVersion: '1.20', clientGroupsUndo: true });
    const twoWrites = async (ctx: Parameters<Parameters<SimExcel['run']>[0]>[0]) => {
      ctx.workbook.worksheets.getItem('S').getRange('A1').values = [[2]];
      await ctx.sync();
      ctx.workbook.worksheets.getItem('S').getRange('A2').values = [[3]];
      await ctx.sync();
    };
    await sim.run(twoWrites);
    expect(sim.undoStack).toHaveLength(2);
    await sim.run(twoWrites, { mergeUndoGroup: true });
    expect(sim.undoStack).toHaveLength(3);
    // Below 1.20 the option does not exist.
    const old = SimExcel.fromValues({ S: [[1]] }, { apiVersion: '1.17', clientGroupsUndo: true });
    await expect(old.run(twoWrites, { mergeUndoGroup: true })).rejects.toMatchObject({ code: 'InvalidArgument' });
  });
});

describe('what Excel cannot undo (its undo page) and what the Office.js client can group', () => {
  const reportIn = async (sim: SimExcel) => {
    const s = new ExcelSession(sim);
    const r = await s.check();
    return { s, r };
  };

  test('a mergeUndoGroup run with a member Excel cannot undo fails with UndoNotSupported, explained in Chinese', async () => {
    const sim = await openFixture(FIXTURE_2025, { apiVersion: '1.20', clientGroupsUndo: true });
    const { r } = await reportIn(sim);
    sim.userEdit('劳模体检', 'B2', '石家庄市总工会');
    let caught: unknown = null;
    try {
      // As the session used to run 生成报告: grouped. The report's name carries a comment (no undo on the web).
      await sim.run((ctx) => generateReportInExcel(ctx as never, r.result, { date: '2026-12-08' }), { mergeUndoGroup: true, delayForCellEdit: true });
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'UndoNotSupported', name: 'RichApi.Error' });
    expect(describeError(caught)).toMatch(/无法撤消.*不能合并为一个撤消步骤/);
    // Desktop Excel has undo for a name's comment: the same group goes through there.
    const desk = await openFixture(FIXTURE_2025, { apiVersion: '1.20', clientGroupsUndo: true, platform: 'desktop' });
    const d = await reportIn(desk);
    await desk.run((ctx) => generateReportInExcel(ctx as never, d.r.result, { date: '2026-12-08' }), { mergeUndoGroup: true });
    expect(desk.sheetNames()).toContain('绩效自评报告');
  });

  test('the session groups only undoable actions: 标记 is one step, 生成报告 runs ungrouped and the pane said so first', async () => {
    const sim = await openFixture(FIXTURE_2025, { apiVersion: '1.20', clientGroupsUndo: true });
    const { s, r } = await reportIn(sim);
    expect(s.groupsUndo).toBe(true);
    expect(s.undoNotice).toBe(UNDO_NOTICE_ACTIONS);
    sim.userEdit('劳模体检', 'B2', '石家庄市总工会');
    await s.highlight(findingsOf(r));
    expect(sim.undoStack.map((u) => u.by)).toEqual(['user', 'addin']);
    await s.generateReport(r.result, '2026-12-08');
    expect(sim.memberLog).toContain('NamedItem.comment');
    // Excel clears the history from the member it cannot undo; the action itself succeeded.
    expect(sim.undoStack).toEqual([]);
    expect(sim.sheetNames()).toContain('绩效自评报告');
  });

  test('the Office.js bundled from npm cannot group: the session never claims one step, and the notice says so', async () => {
    const sim = await openFixture(FIXTURE_2025, { apiVersion: '1.20' });
    const s = new ExcelSession(sim);
    expect(s.undoable).toBe(true);
    expect(s.groupsUndo).toBe(false);
    expect(s.undoNotice).toBe(`${UNDO_NOTICE_ACTIONS}${UNDO_NOTICE_UNGROUPED}`);
    // A host without the method (the CDN's Office.js through officeHost()) is taken to group.
    const cdn = new ExcelSession({ run: (b, o) => sim.run(b, o), isSetSupported: (n, v) => sim.isSetSupported(n, v) });
    expect(cdn.groupsUndo).toBe(true);
  });

  test('reads that issue threads report to lose undo (#5918 merged areas, #2543 selection handler) are an option of the host', async () => {
    const sim = await openFixture(FIXTURE_2025, { apiVersion: '1.20', undoLostBy: { mergedAreas: true, selectionHandler: true } });
    sim.userEdit('劳模体检', 'B2', '石家庄市总工会');
    const s = new ExcelSession(sim);
    await s.check();
    expect(sim.writeCount).toBe(0);
    expect(sim.undoStack).toEqual([]);
    expect(sim.undoClears).toBe(1);
    sim.userEdit('劳模体检', 'B3', 'x');
    await s.watch(() => undefined);
    expect(sim.undoStack).toEqual([]);
    // Off (the default), the same reads keep the user's steps.
    const plain = await openFixture(FIXTURE_2025, { apiVersion: '1.20' });
    plain.userEdit('劳模体检', 'B2', '石家庄市总工会');
    const p = new ExcelSession(plain);
    await p.check();
    await p.watch(() => undefined);
    expect(plain.undoStack.map((u) => u.by)).toEqual(['user']);
  });
});

describe('cell-edit mode', () => {
  test('a batch without delayForCellEdit fails while the user types; the session’s batches wait for Enter', async () => {
    const sim = await openFixture();
    sim.userBeginCellEdit();
    await expect(
      sim.run(async (ctx) => {
        ctx.workbook.worksheets.load('items/name');
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'InvalidOperationInCellEditMode' });
    const s = new ExcelSession(sim);
    let done = false;
    const p = s.check().then((r) => {
      done = true;
      return r;
    });
    await new Promise((res) => setTimeout(res, 30));
    expect(done).toBe(false);
    sim.userEndCellEdit();
    const r = await p;
    expect(r.result.tables).toHaveLength(5);
  });
});

describe('errors Office really sends', () => {
  test('a too-large response in Chinese (Excel on the web) is recognised by its code and the read retries smaller', async () => {
    const sim = await openFixture(FIXTURE_2025, { locale: 'zh-CN', payloadLimit: 15_000 });
    let caught: unknown = null;
    try {
      await sim.run(async (ctx) => {
        const r = ctx.workbook.worksheets.getItem('劳模体检').getRange('A1:Z3000');
        r.load('values');
        await ctx.sync();
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'ResponsePayloadSizeLimitExceeded' });
    expect((caught as Error).message).toMatch(/^响应有效负载大小已超出限制/);
    expect((caught as Error).message).not.toMatch(/payload/i);
    expect(isPayloadError(caught)).toBe(true);
    expect(describeError(caught)).toMatch(/5 MB/);
    // The read recognises it and retries with smaller budgets (sync 3, then PAYLOAD_RETRIES more); the
    // fixture's forms cannot shrink below 60 KB, so it finally fails with the Chinese explanation.
    sim.resetCounters();
    const err = await new ExcelSession(sim).check().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'ResponsePayloadSizeLimitExceeded' });
    expect(sim.syncCount).toBe(3 + PAYLOAD_RETRIES);
    expect(describeError(err)).toMatch(/^工作簿数据量超出 Excel 单次传输上限/);
  });

  test('a file named 执行率100%.xlsx: no URIError, the check runs and keeps the name', async () => {
    expect(() => decodeURIComponent('执行率100%.xlsx')).toThrow(URIError);
    expect(fileNameFromUrl('C:\\Users\\a\\Documents\\执行率100%.xlsx')).toBe('执行率100%.xlsx');
    expect(fileNameFromUrl('https://contoso.sharepoint.com/Shared%20Documents/%E6%89%A7%E8%A1%8C%E7%8E%87100%25.xlsx?web=1')).toBe('执行率100%.xlsx');
    expect(safeDecode('a%E6%89%A7%ZZ100%')).toBe('a执%ZZ100%');
    const sim = await openFixture(FIXTURE_2025, { fileName: '执行率100%.xlsx' });
    const r = await new ExcelSession(sim).check();
    expect(r.result.fileName).toBe('执行率100%.xlsx');
    expect(r.result.tables).toHaveLength(5);
  });

  test('a protected sheet fails a raw mark batch halfway (as Office); the session marks the others and names it', async () => {
    const sim = await openFixture();
    const s = new ExcelSession(sim);
    const r = await s.check();
    sim.protectSheet('党组织活动经费');
    // Office runs a batch's operations in order and stops at the failing one: earlier ones stay done.
    await expect(
      sim.run(async (ctx) => {
        ctx.workbook.worksheets.getItem('劳模体检').getRange('Z1').values = [['x']];
        ctx.workbook.worksheets.getItem('党组织活动经费').getRange('Z1').values = [['y']];
        ctx.workbook.worksheets.getItem('劳模体检').getRange('Z2').values = [['z']];
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(sim.cell('劳模体检', 'Z1').value).toBe('x');
    expect(sim.cell('劳模体检', 'Z2').value).toBe('');
    expect(describeError({ code: 'AccessDenied', message: '…' })).toMatch(/工作表受保护/);

    const out = await s.highlight(findingsOf(r));
    expect(out.protectedSheets).toEqual(['党组织活动经费']);
    const marked = (name: string) => sim.conditionalFormats(name).filter((c) => c.formula.includes(MARK_SIGNATURE)).length;
    expect(marked('劳模体检')).toBeGreaterThan(0);
    expect(marked('党组织活动经费')).toBe(0);
    // 回填 skips the protected sheet's cells with the reason, and writes the rest.
    const edits = r.result.tables.flatMap((t) => t.edits);
    const w = await s.applyEdits(edits);
    expect(w.skipped.filter((x) => x.reason === '工作表受保护，未写入').length).toBeGreaterThan(0);
    expect(w.written.every((e) => e.sheet !== '党组织活动经费')).toBe(true);
    expect(sim.cell('劳模体检', 'H19').value).toBe(99.76);
  });
});
