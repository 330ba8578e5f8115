/**
 * The Office.js host wiring (src/excel/office-host.ts) with Office's globals stood in by the in-memory host:
 * Excel.run, requirement-set checks and the document URL reach the session as they would in Excel.
 */
import { officeHost, officeReady } from '../../src/excel/office-host';
import { ExcelSession } from '../../src/excel/session';
import { openFixture } from './helpers';

/** Office's globals, stood in for (typed loosely: only what office-host.ts touches). */
const g = globalThis as unknown as Record<string, unknown>;

afterEach(() => {
  delete g.Excel;
  delete g.Office;
});

test('officeHost runs batches through Excel.run and asks Office for requirement sets and the file name', async () => {
  const sim = await openFixture();
  const asked: string[] = [];
  const runOptions: unknown[] = [];
  // Excel.run(options, batch), as office-host.ts calls it.
  g.Excel = {
    run: (options: unknown, batch: (ctx: unknown) => Promise<unknown>) => {
      runOptions.push(options);
      return sim.run(batch as never, options as never);
    },
  };
  g.Office = {
    context: {
      requirements: {
        isSetSupported: (name: string, version: string) => {
          asked.push(`${name} ${version}`);
          return name === 'ExcelApi' && Number(version) <= 1.16;
        },
      },
      document: { url: 'https://contoso.sharepoint.com/Shared%20Documents/%E5%8A%B3%E6%A8%A1_2025.xlsx' },
    },
  };
  const host = officeHost();
  const session = new ExcelSession(host);
  expect(session.unsupportedReason()).toBeNull();
  expect(asked).toEqual(['ExcelApi 1.14']);
  expect(host.fileName!()).toBe('劳模_2025.xlsx');
  const r = await session.check();
  expect(sim.syncCount).toBe(3);
  expect(r.grid.fileName).toBe('劳模_2025.xlsx');
  expect(r.result.tables).toHaveLength(5);
  // Every batch waits for cell-edit mode to end; a read is not an undo group.
  expect(runOptions).toEqual([{ delayForCellEdit: true }]);
});

test('officeReady explains in Chinese when Office.js is missing or the host is not Excel', async () => {
  await expect(officeReady()).rejects.toThrow('未能加载 Office.js');
  g.Office = {
    HostType: { Excel: 'Excel' },
    onReady: (cb: (info: { host: string | null }) => void) => {
      cb({ host: 'Word' });
      return Promise.resolve();
    },
  };
  await expect(officeReady()).rejects.toThrow('PerfSheet 只能在 Excel 中运行');
});

test('officeHost passes mergeUndoGroup for an undoable action only where the loaded Office.js can send it', async () => {
  const optionsBy = async (clientGroupsUndo: boolean | undefined) => {
    const sim = await openFixture(undefined, { apiVersion: '1.20' });
    const runOptions: unknown[] = [];
    g.Excel = {
      run: (options: unknown, batch: (ctx: unknown) => Promise<unknown>) => {
        runOptions.push(options);
        return sim.run(batch as never, options as never);
      },
    };
    g.Office = { context: { requirements: { isSetSupported: (name: string, version: string) => sim.isSetSupported(name, version) } } };
    const session = new ExcelSession(officeHost(clientGroupsUndo === undefined ? {} : { clientGroupsUndo }));
    const r = await session.check();
    await session.highlight(r.result.tables.flatMap((t) => t.findings));
    await session.generateReport(r.result, '2026-12-08');
    return runOptions;
  };
  // The CDN's Office.js: 标记 is one undo group; 生成报告 (which Excel cannot undo) never is.
  expect(await optionsBy(undefined)).toEqual([{ delayForCellEdit: true }, { delayForCellEdit: true, mergeUndoGroup: true }, { delayForCellEdit: true }]);
  // The copy bundled by --env officejs=local: nothing is grouped.
  expect(await optionsBy(false)).toEqual([{ delayForCellEdit: true }, { delayForCellEdit: true }, { delayForCellEdit: true }]);
});
