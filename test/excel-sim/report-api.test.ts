/**
 * The report sheet written through the simulated host (what the preview's 「生成报告」 does): the sheet is
 * added in 2 syncs, the grid of the session sees it, and the saved file opens with it.
 */
import { generateReportInExcel } from '../../src/excel/report';
import { SimExcel } from '../../src/excel-sim';
import { WorkbookSession } from '../../src/excel/session';
import { openFixture } from '../excel/helpers';

test('生成报告 through the in-memory host adds the report sheet and survives saving', async () => {
  const sim = await openFixture();
  const s = new WorkbookSession(sim);
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
