/**
 * A user's own sheet named 「绩效自评报告」 with a marker name left pointing at it (a tool deleted the add-in's
 * report without fixing names): in both hosts the pane checks it as a form and 生成报告 goes beside it.
 */
import { ExcelSession } from '../../src/excel/session';
import { WpsSession } from '../../src/wps/session';
import { SimExcel } from '../../src/excel-sim';
import { SimWps } from '../../src/wps-sim';
import type { WorkbookSession } from '../../src/domain/session';
import { crafted } from '../support/crafted';

const hosts: { name: string; open(b: Uint8Array): Promise<{ excel: SimExcel; session: WorkbookSession }> }[] = [
  {
    name: 'Excel',
    async open(b) {
      const excel = await SimExcel.open(b, { fileName: 'u.xlsx' });
      return { excel, session: new ExcelSession(excel) };
    },
  },
  {
    name: 'WPS',
    async open(b) {
      const wps = await SimWps.open(b, { fileName: 'u.xlsx' });
      return { excel: wps.excel, session: new WpsSession(wps.app) };
    },
  },
];

const cellsOf = (excel: SimExcel, sheet: string) => ['A1', 'C6', 'E6', 'G13', 'H19'].map((c) => excel.cell(sheet, c));

describe.each(hosts)('$name', (h) => {
  test('the user’s 绩效自评报告 is checked, kept, and the report goes to 绩效自评报告(2); a second report replaces only that', async () => {
    const { excel, session } = await h.open(await crafted.userReportSheet());
    const r = await session.check();
    expect(r.result.tables.map((t) => t.sheet)).toContain('绩效自评报告');
    const mine = cellsOf(excel, '绩效自评报告');
    const first = await session.generateReport(r.result, '2026-12-08');
    expect(first).toMatchObject({ sheetName: '绩效自评报告(2)', replaced: null });
    expect(cellsOf(excel, '绩效自评报告')).toEqual(mine);
    const again = await session.check();
    expect(again.result.tables.map((t) => t.sheet)).toContain('绩效自评报告');
    expect(again.result.tables.map((t) => t.sheet)).not.toContain('绩效自评报告(2)');
    const second = await session.generateReport(again.result, '2026-12-08');
    expect(second).toMatchObject({ sheetName: '绩效自评报告(2)', replaced: '绩效自评报告(2)' });
    expect(cellsOf(excel, '绩效自评报告')).toEqual(mine);
  });
});
