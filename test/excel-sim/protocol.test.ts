/**
 * The in-memory host as the server side of Office.js's RichApi protocol: what Microsoft's client library
 * sends (object paths, actions, request flags) and what it makes of the host's answers (results, errors,
 * PropertyNotLoaded). Nothing here imitates the client: every call goes through the library.
 */
import { SimExcel } from '../../src/excel-sim';
import { loadOfficeJs } from '../../src/excel-sim/officejs';
import { ExcelSession } from '../../src/excel/session';
import { openFixture, waitFor } from '../excel/helpers';

const small = () => SimExcel.fromValues({ Data: [['a', 1], ['b', 2]], Other: [[null, 'x']] });

test('the batch gets Office’s own RequestContext, from the library loaded from node_modules', async () => {
  const sim = small();
  expect(sim.officeJs.source).toBe('@microsoft/office-js/dist/excel-web-16.00.debug.js');
  await sim.run(async (ctx) => {
    expect(ctx).toBeInstanceOf(sim.officeJs.Excel.RequestContext);
    const r = ctx.workbook.worksheets.getItem('Data').getRange('A1:B2');
    r.load('values');
    // Reading before the sync: the library's PropertyNotLoaded, with its own message.
    expect(() => r.values).toThrow(expect.objectContaining({ code: 'PropertyNotLoaded', message: expect.stringContaining('call the load method') }));
    await ctx.sync();
    expect(r.values).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});

test('a member the host does not model fails loudly, never silently', async () => {
  const sim = small();
  await expect(
    sim.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('Data').getRange('A1').load('text');
      await ctx.sync();
    }),
  ).rejects.toMatchObject({ code: 'SimNotModelled', message: expect.stringContaining('Range.text') });
  await expect(
    sim.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('Data').getRange('A1:A2').insert('Down');
      await ctx.sync();
    }),
  ).rejects.toMatchObject({ code: 'SimNotModelled', message: expect.stringContaining('Range.insert') });
  expect(sim.cell('Data', 'A1').value).toBe('a');
});

test('a failing action stops the request where it fails: what ran before it stays, the library names the statement', async () => {
  const sim = small();
  let caught: { code?: string; debugInfo?: { statement?: string; errorLocation?: string } } = {};
  await sim
    .run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('Data');
      ws.getRange('C1').values = [['written']];
      ws.getRange('C2').values = [['too', 'wide']];
      ws.getRange('C3').values = [['never']];
      await ctx.sync();
    })
    .catch((e) => (caught = e));
  expect(caught.code).toBe('InvalidArgument');
  // The library's own account of the failing statement (from the action index the host reported).
  expect(caught.debugInfo?.statement).toMatch(/^range\d*\.values = \.\.\.;$/);
  expect(sim.cell('Data', 'C1').value).toBe('written');
  expect(sim.cell('Data', 'C3').value).toBe('');
});

test('request flags are the library’s: 64 only where the run asked to wait for cell edits (and the host has DelayForCellEdit)', async () => {
  const sim = small();
  const read = async (ctx: Excel.RequestContext) => {
    ctx.workbook.worksheets.load('items/name');
    await ctx.sync();
  };
  await sim.run(read, { delayForCellEdit: true });
  await sim.run(read);
  expect(sim.syncLog.map((x) => x.flags)).toEqual([64, 0]);
  // ExcelApi 1.10 has no DelayForCellEdit: the library does not send the flag, and a read during cell edit fails.
  const old = SimExcel.fromValues({ S: [[1]] }, { apiVersion: '1.10' });
  await old.run(read, { delayForCellEdit: true });
  expect(old.syncLog.map((x) => x.flags)).toEqual([0]);
  old.userBeginCellEdit();
  await expect(old.run(read, { delayForCellEdit: true })).rejects.toMatchObject({ code: 'InvalidOperationInCellEditMode' });
});

test('sync counts are counted where the requests arrive; the library’s own clean-up request is counted apart', async () => {
  const sim = await openFixture();
  const s = new ExcelSession(sim);
  await s.check();
  expect([sim.syncCount, s.lastSyncs, sim.cleanupCount]).toEqual([3, 3, 1]);
  sim.resetCounters();
  await s.select('劳模体检', 'H19');
  // activate + select in one request; the Range the run tracked is released in one more.
  expect([sim.syncCount, sim.cleanupCount]).toEqual([1, 1]);
  expect(sim.selection).toEqual({ sheet: '劳模体检', address: 'H19' });
});

test('every host has its own copy of the library: events reach only the session of their workbook', async () => {
  const a = await openFixture();
  const b = await openFixture();
  expect(a.officeJs).not.toBe(b.officeJs);
  expect(a.officeJs.Excel).not.toBe(loadOfficeJs().Excel);
  const seen: string[] = [];
  const sa = new ExcelSession(a);
  const sb = new ExcelSession(b);
  await sa.check();
  await sb.check();
  await sa.watch((id) => seen.push(`a:${id}`), 5);
  await sb.watch((id) => seen.push(`b:${id}`), 5);
  a.userEdit('劳模体检', 'F16', '880元/人');
  await waitFor(() => seen.length > 0);
  await a.eventsSettled();
  expect(seen).toEqual([`a:${a.model.sheetByKey('劳模体检')!.id}`]);
});
