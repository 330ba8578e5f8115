/**
 * The Office.js adapter driven through the in-memory Excel host: results, sync budgets, never-overwrite
 * rules, highlights that leave no trace, live re-checks without loops, profile persistence.
 */
import * as fs from 'fs';
import ExcelJS from 'exceljs';
import { SimExcel } from '../../src/excel-sim';
import { ExcelSession } from '../../src/excel/session';
import { MARK_SIGNATURE } from '../../src/excel/marks';
import * as read from '../../src/excel/read';
import { readWorkbookBytes } from '../../src/xlsx/read';
import type { CellEdit } from '../../src/domain/types';
import { parseA1 } from '../../src/domain/grid';
import { FIXTURE_2024, FIXTURE_2025, copySheet, loadExcelJs, openFixture, waitFor } from './helpers';

function table(r: Awaited<ReturnType<ExcelSession['check']>>, sheet: string) {
  const t = r.result.tables.find((x) => x.sheet === sheet);
  if (!t) throw new Error(`no table on ${sheet}`);
  return t;
}

describe('reading the workbook', () => {
  test('the 2025 fixture: 3 syncs, five tables with their scores', async () => {
    const sim = await openFixture();
    const s = new ExcelSession(sim);
    const r = await s.check();
    expect(sim.syncCount).toBe(3);
    expect(s.lastSyncs).toBe(3);
    expect(r.result.tables.map((t) => [t.sheet, t.kind])).toEqual([
      ['部门整体', 'dept-self-eval'],
      ['劳模体检', 'self-eval'],
      ['困难职工帮扶', 'self-eval'],
      ['困难劳模帮扶', 'self-eval'],
      ['党组织活动经费', 'self-eval'],
    ]);
    const lm = table(r, '劳模体检');
    expect(lm.range).toBe('A1:J19');
    expect(lm.funds?.rate).toBe(1);
    expect(lm.totalScore).toBeCloseTo(99.76, 10);
    expect(table(r, '党组织活动经费').totalScore).toBeCloseTo(90.52, 10);
    expect(lm.edits.find((e) => e.cell === 'H19')).toMatchObject({ value: 99.76, status: 'empty' });
  });

  test.each([FIXTURE_2025, FIXTURE_2024])('the grid read through the Excel API equals the one read from the file (%s)', async (file) => {
    const sim = await openFixture(file);
    const s = new ExcelSession(sim);
    const viaApi = (await s.check()).grid;
    const viaFile = await readWorkbookBytes(fs.readFileSync(file));
    expect(viaApi.sheets.map((x) => x.name)).toEqual(viaFile.sheets.map((x) => x.name));
    viaFile.sheets.forEach((fs_, i) => {
      const api = viaApi.sheets[i];
      const sortM = (m: readonly { r0: number; c0: number }[]) => [...m].sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0);
      expect(sortM(api.merges)).toEqual(sortM(fs_.merges));
      for (let r = 0; r < Math.max(api.rowCount, fs_.rowCount); r++) {
        for (let c = 0; c < Math.max(api.colCount, fs_.colCount); c++) {
          const a = api.raw(r, c);
          const b = fs_.raw(r, c);
          expect([r, c, a?.value ?? null, a?.formula ?? null]).toEqual([r, c, b?.value ?? null, b?.formula ?? null]);
          if (b?.value !== null && b?.value !== undefined) expect([r, c, a?.numFmt]).toEqual([r, c, b.numFmt]);
        }
      }
    });
  });

  test('formula cells: the formula text from formulas, the result from values — as the file reader sees them', async () => {
    const wb = await loadExcelJs();
    const ws = wb.getWorksheet('劳模体检')!;
    ws.getCell('H13').value = { formula: 'G13', result: 20 } as ExcelJS.CellValue;
    ws.getCell('H14').value = { formula: 'G14', result: 10 } as ExcelJS.CellValue;
    ws.getCell('H19').value = { formula: 'SUM(H13:H18)', result: 30 } as ExcelJS.CellValue;
    ws.getCell('K1').value = { formula: '1/0', result: { error: '#DIV/0!' } } as ExcelJS.CellValue;
    ws.getCell('K2').value = { formula: 'K1&"x"', result: '#DIV/0!x' } as ExcelJS.CellValue;
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const sim = await SimExcel.open(bytes);
    const viaApi = (await new ExcelSession(sim).check()).grid.sheets.find((x) => x.name === '劳模体检')!;
    const viaFile = (await readWorkbookBytes(bytes)).sheets.find((x) => x.name === '劳模体检')!;
    for (const addr of ['H13', 'H14', 'H19', 'K1', 'K2', 'G13', 'F16']) {
      const p = parseA1(addr)!;
      expect([addr, viaApi.raw(p.r, p.c)]).toEqual([addr, viaFile.raw(p.r, p.c)]);
    }
    expect(viaApi.raw(18, 7)).toEqual({ value: 30, formula: 'SUM(H13:H18)' });
    expect(viaApi.raw(0, 10)).toEqual({ value: { error: '#DIV/0!' }, formula: '1/0' });
  });

  test('40 sheets still cost exactly 3 syncs', async () => {
    const src = await loadExcelJs();
    const wb = new ExcelJS.Workbook();
    for (let i = 0; i < 40; i++) copySheet(src.getWorksheet('劳模体检')!, wb.addWorksheet(`表${i + 1}`));
    const sim = new SimExcel(wb);
    const s = new ExcelSession(sim);
    const r = await s.check();
    expect(sim.syncCount).toBe(3);
    expect(r.result.tables).toHaveLength(40);
    expect(r.result.tables.every((t) => Math.abs((t.totalScore ?? 0) - 99.76) < 1e-9)).toBe(true);
  });

  test('merged areas are read in bands: 3,000 merges on one sheet do not trip the 512 limit', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Many');
    for (let r = 1; r <= 1500; r++) {
      ws.getCell(r, 1).value = `行${r}`;
      ws.getCell(r, 3).value = r;
      ws.mergeCells(r, 1, r, 2);
      ws.mergeCells(r, 3, r, 4);
    }
    const sim = new SimExcel(wb);
    const s = new ExcelSession(sim);
    const r = await s.check();
    expect(sim.syncCount).toBe(3);
    expect(r.grid.sheets[0].merges).toHaveLength(3000);
  });

  test('a 50,000-row sheet reads in bounded time, under the 5 MB limit, and its form is still found', async () => {
    const src = await loadExcelJs();
    const wb = new ExcelJS.Workbook();
    const big = wb.addWorksheet('明细');
    for (let r = 1; r <= 50_000; r++) {
      if (r > 29_990 && r < 30_030) continue; // blank rows around the pasted form
      big.getRow(r).values = [r, `支出明细项目${r}`, r * 1.5, '石家庄市总工会', `备注${r % 97}`, r % 3 === 0 ? '是' : '否', r * 2, r * 3];
    }
    copySheet(src.getWorksheet('劳模体检')!, big, 30_000); // a form pasted in the middle of the dump
    copySheet(src.getWorksheet('党组织活动经费')!, wb.addWorksheet('党组织活动经费'));
    const sim = new SimExcel(wb); // payload limit 5 MB, as Excel on the web
    const s = new ExcelSession(sim);
    const t0 = Date.now();
    const r = await s.check();
    const ms = Date.now() - t0;
    expect(sim.syncCount).toBe(3);
    expect(sim.maxPayload).toBeLessThan(5 * 1024 * 1024);
    expect(ms).toBeLessThan(15_000);
    console.log(`50,000 rows: ${ms} ms; per-sync request/response bytes ${JSON.stringify(sim.syncLog.map((x) => [x.request, x.response]))}`);
    expect(r.result.tables.map((t) => [t.sheet, t.name, t.range.replace(/^.*:/, ''), t.totalScore])).toEqual([
      ['明细', '省部级以上劳模体检费', 'J30019', 99.76],
      ['党组织活动经费', '党组织活动经费', 'J19', 90.52],
    ]);
    expect(r.result.tables[0].edits.find((e) => e.label === '总分')?.cell).toBe('H30019');
    expect(r.notices.map((n) => n.sheet)).toEqual(['明细']);
    expect(r.notices[0].message).toMatch(/只读取了「一级指标」表头附近的表格区域/);
  }, 60_000);

  function headerEverywhere(textLength: number): SimExcel {
    const wb = new ExcelJS.Workbook();
    const big = wb.addWorksheet('指标库');
    const text = '绩效指标说明文字'.repeat(Math.ceil(textLength / 8)).slice(0, textLength);
    for (let r = 1; r <= 50_000; r++) big.getRow(r).values = [r, '一级指标', text, text, r * 1.5, '≥90%', text, `第${r}项`];
    return new SimExcel(wb);
  }

  test('worst case: 一级指标 on every one of 50,000 text-heavy rows — the read is capped in 3 syncs under 5 MB and says so', async () => {
    const sim = headerEverywhere(40);
    const s = new ExcelSession(sim);
    const t0 = Date.now();
    const r = await s.check();
    const ms = Date.now() - t0;
    console.log(`worst case: ${ms} ms; per-sync request/response bytes ${JSON.stringify(sim.syncLog.map((x) => [x.request, x.response]))}`);
    expect(sim.syncCount).toBe(3);
    expect(sim.maxPayload).toBeLessThan(5 * 1024 * 1024);
    expect(r.notices.map((n) => n.message)).toEqual([expect.stringMatching(/超出一次读取的上限（约 60,000 个单元格），只检查了其中 7500 行/)]);
    expect(r.grid.sheets[0].rowCount).toBe(7500);
    expect(ms).toBeLessThan(20_000);
  }, 60_000);

  test('cells so long that even the capped read exceeds 5 MB: retried with a quarter of the budget per extra sync, with a notice', async () => {
    const sim = headerEverywhere(400);
    const s = new ExcelSession(sim);
    const r = await s.check();
    console.log(`very long texts: per-sync request/response bytes ${JSON.stringify(sim.syncLog.map((x) => [x.request, x.response]))}`);
    // 60,000 cells fail, 15,000 fail, 3,750 fit.
    expect(sim.syncCount).toBe(5);
    expect(sim.syncLog[2].response).toBeGreaterThan(5 * 1024 * 1024); // syncs Excel on the web would refuse
    expect(sim.syncLog[3].response).toBeGreaterThan(5 * 1024 * 1024);
    expect(sim.syncLog[4].response).toBeLessThan(5 * 1024 * 1024);
    expect(r.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/5 MB 传输上限/),
      expect.stringMatching(/只检查了其中 468 行/),
    ]);
    expect(r.grid.sheets[0].rowCount).toBe(468);
  }, 60_000);

  test('a host below ExcelApi 1.14 gets a clear Chinese explanation', async () => {
    const sim = await openFixture(FIXTURE_2025, { apiVersion: '1.12' });
    expect(new ExcelSession(sim).unsupportedReason()).toMatch(/ExcelApi 1\.14/);
    const ok = await openFixture();
    expect(new ExcelSession(ok).unsupportedReason()).toBeNull();
  });
});

describe('highlights', () => {
  async function withUserFormats() {
    const wb = await loadExcelJs();
    const ws = wb.getWorksheet('劳模体检')!;
    ws.addConditionalFormatting({
      ref: 'G13:G18',
      rules: [{ type: 'cellIs', operator: 'greaterThan', formulae: ['15'], priority: 1, style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FF00FF00' } } } }],
    } as never);
    ws.addConditionalFormatting({
      ref: 'I16',
      rules: [{ type: 'expression', formulae: ['LEN(I16)=0'], priority: 2, style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFDDDDDD' } } } }],
    } as never);
    ws.getCell('I16').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
    return new SimExcel(wb);
  }

  test('marks errors/warnings with conditional formats in 2 syncs; clearing (2 syncs) leaves formats exactly as before', async () => {
    const sim = await withUserFormats();
    const before = sim.snapshotConditionalFormats();
    const fillBefore = JSON.stringify(sim.model.sheetByKey('劳模体检')!.ws.getCell('I16').fill);
    const s = new ExcelSession(sim);
    const r = await s.check();
    const findings = r.result.tables.flatMap((t) => t.findings);
    sim.resetCounters();
    const h = await s.highlight(findings);
    expect(sim.syncCount).toBe(2);
    expect(h.added).toBeGreaterThan(0);
    const lm = sim.conditionalFormats('劳模体检');
    const ours = lm.filter((c) => c.formula.includes(MARK_SIGNATURE));
    expect(ours.map((c) => [c.formula, c.fill, c.areas])).toEqual([['=ISTEXT("PerfSheet:warning")', '#FFEB9C', [{ r0: 15, c0: 8, r1: 15, c1: 8 }]]]);
    // The user's fill is untouched: highlighting is by conditional format only.
    expect(JSON.stringify(sim.model.sheetByKey('劳模体检')!.ws.getCell('I16').fill)).toBe(fillBefore);

    // Highlighting again replaces PerfSheet's formats instead of piling them up.
    await s.highlight(findings);
    expect(sim.conditionalFormats('劳模体检').filter((c) => c.formula.includes(MARK_SIGNATURE))).toHaveLength(1);

    sim.resetCounters();
    const c = await s.clearMarks();
    expect(sim.syncCount).toBe(2);
    expect(c.removed).toBe(3);
    expect(sim.snapshotConditionalFormats()).toEqual(before);
    // And the saved file carries the user's formats only.
    const again = await SimExcel.open(await sim.save());
    expect(again.conditionalFormats('劳模体检').map((x) => x.formula)).toEqual(['=15', '=LEN(I16)=0']);
  });

  test('the sheets carrying marks are recorded in the workbook settings', async () => {
    const sim = await openFixture();
    const s = new ExcelSession(sim);
    const r = await s.check();
    await s.highlight(r.result.tables.flatMap((t) => t.findings));
    const marked = JSON.parse(sim.model.settings.get('PerfSheet.marks') ?? '[]') as string[];
    expect(marked.map((id) => sim.model.sheetById(id)!.ws.name).sort()).toEqual(['劳模体检', '困难劳模帮扶', '党组织活动经费'].sort());
    await s.clearMarks();
    expect(JSON.parse(sim.model.settings.get('PerfSheet.marks')!)).toEqual([]);
  });
});

describe('writing computed results', () => {
  test('one batch of 2 syncs; 99.76 lands in 劳模体检!H19 with a number format', async () => {
    const sim = await openFixture();
    const s = new ExcelSession(sim);
    const r = await s.check();
    sim.resetCounters();
    const out = await s.applyEdits(r.result.tables.flatMap((t) => t.edits));
    expect(sim.syncCount).toBe(2);
    expect(s.lastSyncs).toBe(2);
    expect(sim.cell('劳模体检', 'H19')).toEqual({ value: 99.76, formula: null, numFmt: '0.00' });
    expect(sim.cell('劳模体检', 'I6')).toMatchObject({ value: 1, numFmt: '0.00%' });
    expect(sim.cell('党组织活动经费', 'H17').value).toBe(21);
    expect(out.written.length).toBeGreaterThan(40);
    // Reading again, everything now matches.
    const again = await s.check();
    const statuses = new Set(again.result.tables.flatMap((t) => t.edits).map((e) => e.status));
    expect([...statuses]).toEqual(['same']);
  });

  test('formula cells are never overwritten, also when the formula appeared after the check', async () => {
    const wb = await loadExcelJs();
    wb.getWorksheet('劳模体检')!.getCell('H19').value = { formula: 'SUM(H13:H18)+J6', result: 100 } as ExcelJS.CellValue;
    const sim = new SimExcel(wb);
    const s = new ExcelSession(sim);
    const r = await s.check();
    const h19 = table(r, '劳模体检').edits.find((e) => e.cell === 'H19')!;
    expect(h19.status).toBe('formula');
    // The user types a formula into H18 between the check and the write.
    sim.userEdit('劳模体检', 'H18', '=G18');
    const out = await s.applyEdits(table(r, '劳模体检').edits);
    expect(sim.cell('劳模体检', 'H19').formula).toBe('=SUM(H13:H18)+J6');
    expect(sim.cell('劳模体检', 'H18').formula).toBe('=G18');
    expect(out.skipped.map((x) => [x.edit.cell, x.reason])).toEqual([
      ['H19', '公式单元格，不覆盖'],
      ['H18', '公式单元格，不覆盖'],
    ]);
  });

  test('a cell filled by the user after the check is left alone; text that looks like a formula is escaped', async () => {
    const sim = await openFixture();
    const s = new ExcelSession(sim);
    await s.check();
    sim.userEdit('劳模体检', 'H13', 18);
    const mk = (cell: string, value: string | number, status: CellEdit['status'] = 'empty'): CellEdit => ({
      sheet: '劳模体检', cell, kind: 'grade', label: '等级', value, current: '', status,
    });
    const out = await s.applyEdits([mk('H13', 20), mk('K1', '=1+1'), mk('K2', '-差'), mk('K3', '+1'), mk('K4', '良')]);
    expect(sim.cell('劳模体检', 'H13').value).toBe(18);
    expect(out.skipped.map((x) => x.edit.cell)).toEqual(['H13']);
    expect(sim.cell('劳模体检', 'K1')).toMatchObject({ value: '=1+1', formula: null });
    expect(sim.cell('劳模体检', 'K2')).toMatchObject({ value: '-差', formula: null });
    expect(sim.cell('劳模体检', 'K3')).toMatchObject({ value: '+1', formula: null });
    expect(sim.cell('劳模体检', 'K4').value).toBe('良');
  });
});

describe('live validation', () => {
  test('an edit re-checks its sheet in 2 syncs without writing; PerfSheet’s own writes never trigger a re-check', async () => {
    const sim = await openFixture();
    const s = new ExcelSession(sim);
    const r = await s.check();
    await s.highlight(r.result.tables.flatMap((t) => t.findings));
    const marksBefore = sim.snapshotConditionalFormats();
    const changed: string[] = [];
    await s.watch((id) => changed.push(id), 20);
    expect(sim.handlerCount).toBe(1);

    // The add-in's own write: events arrive with triggerSource ThisLocalAddin and are ignored.
    await s.applyEdits(r.result.tables.flatMap((t) => t.edits));
    await sim.eventsSettled();
    await new Promise((res) => setTimeout(res, 60));
    expect(changed).toEqual([]);
    expect(s.ignoredEvents).toBeGreaterThan(0);

    // The user's edit: one re-check of that sheet, which reads only.
    sim.userEdit('劳模体检', 'F16', '880元/人');
    await waitFor(() => changed.length === 1);
    const id = changed[0];
    expect(sim.model.sheetById(id)!.ws.name).toBe('劳模体检');
    sim.resetCounters();
    const re = await s.recheckSheet(id);
    expect(sim.syncCount).toBe(2);
    expect(sim.writeCount).toBe(0);
    expect(re.tables[0].totalScore).toBe(100);
    expect(re.tables[0].indicators.find((i) => i.row === 16)?.score).toBe(10);
    // The marks stay as the user last asked for them; the pane is told they may be stale.
    expect(re.marked).toBe(true);
    expect(sim.snapshotConditionalFormats()).toEqual(marksBefore);
    await sim.eventsSettled();
    await new Promise((res) => setTimeout(res, 60));
    expect(changed).toHaveLength(1);
  });

  test('on hosts without triggerSource, events arriving during PerfSheet’s own write are still ignored', async () => {
    const sim = await openFixture(FIXTURE_2025, { triggerSource: false });
    const s = new ExcelSession(sim);
    const r = await s.check();
    const changed: string[] = [];
    await s.watch((id) => changed.push(id), 20);
    await s.applyEdits(r.result.tables.flatMap((t) => t.edits));
    await sim.eventsSettled();
    await new Promise((res) => setTimeout(res, 60));
    expect(changed).toEqual([]);
    expect(s.ignoredEvents).toBeGreaterThan(0);
    await new Promise((res) => setTimeout(res, 500)); // the write's window closes
    sim.userEdit('劳模体检', 'F16', '880元/人');
    await waitFor(() => changed.length === 1);
  });

  test('edits in quick succession are debounced into one re-check; switching live off stops them', async () => {
    const sim = await openFixture();
    const s = new ExcelSession(sim);
    await s.check();
    const changed: string[] = [];
    await s.watch((id) => changed.push(id), 40);
    sim.userEdit('劳模体检', 'F16', '900元/人');
    sim.userPaste('劳模体检', 'F13', [['70人'], ['市人民医院，达成']]);
    sim.userInsertRows('劳模体检', 20, 1);
    await waitFor(() => changed.length >= 1);
    await new Promise((res) => setTimeout(res, 100));
    expect(changed).toHaveLength(1);
    s.setLive(false);
    sim.userEdit('劳模体检', 'F16', '910元/人');
    await new Promise((res) => setTimeout(res, 100));
    expect(changed).toHaveLength(1);
  });
});

describe('re-check without marks', () => {
  test('after 清除标记 a re-check reads (2 syncs) and adds no marks', async () => {
    const sim = await openFixture();
    const s = new ExcelSession(sim);
    const r = await s.check();
    await s.highlight(r.result.tables.flatMap((t) => t.findings));
    await s.clearMarks();
    const before = sim.snapshotConditionalFormats();
    sim.userEdit('劳模体检', 'F16', '950元/人');
    const id = s.sheets.find((x) => x.name === '劳模体检')!.id;
    sim.resetCounters();
    const re = await s.recheckSheet(id);
    expect(sim.syncCount).toBe(2);
    expect(re.tables[0].totalScore).toBe(99.47);
    expect(sim.snapshotConditionalFormats()).toEqual(before);
  });
});

describe('profile', () => {
  test('the chosen profile is stored in the workbook (a hidden name) and used on the next check', async () => {
    const sim = await openFixture();
    const s = new ExcelSession(sim);
    expect((await s.check()).profile).toBe('central');
    sim.resetCounters();
    await s.saveProfile('hebei');
    expect(sim.syncCount).toBe(1);
    expect(sim.model.constantNames.get('PerfSheet.Profile')).toEqual({ formula: '="hebei"', visible: false });
    const fresh = new ExcelSession(sim);
    const r = await fresh.check();
    expect(r.profile).toBe('hebei');
    expect(r.profileSource).toBe('workbook');
    expect(table(r, '劳模体检').grade).toBe('优秀');
    // Saving again replaces the name instead of failing on a duplicate.
    await fresh.saveProfile('central');
    expect((await new ExcelSession(sim).check()).profile).toBe('central');
    // A stored value that is not a profile falls back to central.
    sim.model.constantNames.set('PerfSheet.Profile', { formula: '="bogus"', visible: false });
    expect((await new ExcelSession(sim).check()).profile).toBe('central');
  });
});

describe('row windows on large sheets', () => {
  test('hit areas spanning several rows keep their whole span; overlapping windows merge', () => {
    const { rowWindows, WINDOW_ABOVE, WINDOW_BELOW } = read;
    const used = { r0: 0, c0: 0, r1: 49_999, c1: 7 };
    const w = rowWindows(used, [
      { r0: 30_011, c0: 1, r1: 30_017, c1: 1 }, // one area covering seven hit rows
      { r0: 30_000, c0: 0, r1: 30_000, c1: 0 },
      { r0: 10, c0: 0, r1: 10, c1: 0 },
      { r0: 49_990, c0: 2, r1: 49_999, c1: 2 },
    ]);
    expect(w).toEqual([
      { r0: 0, c0: 0, r1: 10 + WINDOW_BELOW, c1: 7 },
      { r0: 30_000 - WINDOW_ABOVE, c0: 0, r1: 30_017 + WINDOW_BELOW, c1: 7 },
      { r0: 49_990 - WINDOW_ABOVE, c0: 0, r1: 49_999, c1: 7 },
    ]);
  });
});
