/**
 * The report sheet written through the simulated host (what the preview's 「生成报告」 does): the sheet is
 * added in 2 syncs, the grid of the session sees it, and the saved file opens with it.
 */
import { generateReportInExcel } from '../../src/excel/report';
import { SimExcel } from '../../src/excel-sim';
import { ExcelSession } from '../../src/excel/session';
import { openFixture } from '../excel/helpers';

test('生成报告 through the in-memory host adds the report sheet and survives saving', async () => {
  const sim = await openFixture();
  const s = new ExcelSession(sim);
  const r = await s.check();
  sim.resetCounters();
  const out = await sim.run((ctx) => generateReportInExcel(ctx as never, r.result, { date: '2026-11-21' }));
  expect(sim.syncCount).toBe(2);
  expect(sim.sheetNames()).toContain(out.sheetName);
  const again = await SimExcel.open(await sim.save());
  expect(again.sheetNames()).toContain(out.sheetName);
  const used = again.usedArea(out.sheetName);
  expect(used && used.r1).toBeGreaterThan(10);
});

test('the report sheet is not read back as a form: 检查工作簿 skips the add-in’s own sheets', async () => {
  const sim = await openFixture();
  const s = new ExcelSession(sim);
  const before = await s.check();
  const out = await sim.run((ctx) => generateReportInExcel(ctx as never, before.result, { date: '2026-11-21' }));
  sim.resetCounters();
  const after = await s.check();
  expect(sim.syncCount).toBe(3);
  expect(after.sheets.map((x) => x.name)).not.toContain(out.sheetName);
  expect(after.result.tables.map((t) => t.sheet)).toEqual(before.result.tables.map((t) => t.sheet));
  expect(after.result.summary).toEqual(before.result.summary);
});
