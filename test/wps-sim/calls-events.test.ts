/**
 * The in-memory WPS host counts every call into the object model (so tests can hold the adapter to a call
 * budget) and raises SheetChange / SheetSelectionChange as WPS does.
 */
import { SimWps, SimWpsError } from '../../src/wps-sim';
import type { WpsRange, WpsWorksheet } from '../../src/wps/api';
import { build, openFixture, sheet, smallForm } from './helpers';

describe('call counting', () => {
  test('every property read, property write and method call counts once, logged as Object.Member', async () => {
    const sim = await build(smallForm);
    sim.resetCalls();
    const app = sim.app;
    const ws = app.ActiveWorkbook!.Worksheets.Item(1); // Application.ActiveWorkbook, Workbook.Worksheets, Sheets.Item
    const r = ws.Range('B3:C4'); // Worksheet.Range
    const v = r.Value2; // Range.Value2 (one call for all four cells)
    r.Value2 = v; // Range.Value2 (write)
    void r.Address(); // Range.Address
    r.Font.Bold = true; // Range.Font, Font.Bold
    expect(sim.callLog).toEqual([
      'Application.ActiveWorkbook',
      'Workbook.Worksheets',
      'Sheets.Item',
      'Worksheet.Range',
      'Range.Value2',
      'Range.Value2',
      'Range.Address',
      'Range.Font',
      'Font.Bold',
    ]);
    expect(sim.callCount).toBe(9);
    sim.resetCalls();
    expect([sim.callCount, sim.callLog]).toEqual([0, []]);
  });

  test('the objects a call returns are counted too: ranges from Find, SpecialCells, Areas, MergeArea, events', async () => {
    const sim = await build(smallForm);
    const ws = sheet(sim, 1);
    const used = ws.UsedRange;
    const hit = used.Find('合计')!;
    sim.resetCalls();
    void hit.Row;
    void hit.MergeArea.Address();
    void used.Areas.Item(1).Rows.Count;
    expect(sim.callLog).toEqual([
      'Range.Row',
      'Range.MergeArea',
      'Range.Address',
      'Range.Areas',
      'Areas.Item',
      'Range.Rows',
      'Rows.Count',
    ]);
  });

  test('reading a whole sheet is one call however large it is (the host does not count its own work)', async () => {
    const sim = await openFixture('hostile/c26_60000_header_rows.xlsx');
    const ws = sheet(sim, 1);
    const used = ws.UsedRange;
    sim.resetCalls();
    const values = used.Value2 as unknown[][];
    expect(values.length).toBeGreaterThanOrEqual(60_000);
    expect(sim.callCount).toBe(1);
  });

  test('host helpers and non-model keys are not counted; writing a read-only member throws', async () => {
    const sim = await build(smallForm);
    const ws = sheet(sim, 1);
    sim.resetCalls();
    void sim.sheetNames();
    void sim.selection;
    void (ws as unknown as { then?: unknown }).then; // what `await` looks at
    expect(sim.callCount).toBe(0);
    // The host's internals are not reachable through the model (WPS has no such members).
    expect((ws.Range('A1') as unknown as { sheet?: unknown }).sheet).toBeUndefined();
    expect((sim.app as unknown as { host?: unknown }).host).toBeUndefined();
    expect(() => ((ws as unknown as { Index: number }).Index = 3)).toThrow(/只读/);
    expect(() => ((ws.Range('A1') as unknown as { Row: number }).Row = 2)).toThrow(/只读/);
  });

  test('a call that fails is counted too (it crossed into WPS all the same)', async () => {
    const sim = await build(smallForm);
    const ws = sheet(sim, 1);
    sim.resetCalls();
    expect(() => ws.Range('A1').Validation.InputMessage).toThrow();
    expect(() => ws.Range('A1:B2').SpecialCells(-4123)).toThrow(/未找到单元格/);
    expect(sim.callLog).toEqual([
      'Worksheet.Range',
      'Range.Validation',
      'Validation.InputMessage',
      'Worksheet.Range',
      'Range.SpecialCells',
    ]);
  });
});

test('a member the host does not have reads as undefined (and counts); writing one throws', async () => {
  const sim = await build(smallForm);
  const ws = sheet(sim, 1);
  sim.resetCalls();
  expect((ws as unknown as { Rnage: unknown }).Rnage).toBeUndefined();
  expect(sim.callLog).toEqual(['Worksheet.Rnage']);
  expect(() => ((ws.Range('A1') as unknown as { Vaule2: number }).Vaule2 = 1)).toThrow(SimWpsError);
  expect(() => ((sim.app as unknown as { Build: string }).Build = '1')).toThrow(/只读/);
});

test('PluginStorage (camelCase members) and task panes are counted like the rest of the model', async () => {
  const sim = await build(smallForm);
  const app = sim.app;
  sim.resetCalls();
  app.PluginStorage!.setItem('perfsheet.pane', 1);
  expect(app.PluginStorage!.getItem('perfsheet.pane')).toBe(1);
  expect(app.PluginStorage!.getItem('nothing')).toBeNull();
  expect(sim.callLog).toEqual([
    'Application.PluginStorage',
    'PluginStorage.setItem',
    'Application.PluginStorage',
    'PluginStorage.getItem',
    'Application.PluginStorage',
    'PluginStorage.getItem',
  ]);
  const pane = app.CreateTaskPane!('https://localhost/taskpane.html', '绩效表格助手');
  pane.Visible = true;
  expect(app.GetTaskPane!(pane.ID).Visible).toBe(true);
  expect(sim.taskPanes).toEqual([
    expect.objectContaining({ url: 'https://localhost/taskpane.html', title: '绩效表格助手', Visible: true }),
  ]);
  expect(app.Build).toBe(16250);
});

describe('events', () => {
  let sim: SimWps;
  const log: string[] = [];
  const onChange = (sh: WpsWorksheet, target: WpsRange) => void log.push(`change ${sh.Name}!${target.Address()}`);
  const onSelect = (sh: WpsWorksheet, target: WpsRange) => void log.push(`select ${sh.Name}!${target.Address()}`);

  beforeEach(async () => {
    sim = await build(smallForm);
    log.length = 0;
    sim.app.ApiEvent.AddApiEventListener('SheetChange', onChange);
    sim.app.ApiEvent.AddApiEventListener('SheetSelectionChange', onSelect);
  });

  test('a user edit changes the cell at once and fires SheetChange afterwards, asynchronously', async () => {
    sim.userEdit('表一', 'D3', 8);
    expect(sheet(sim, 1).Range('D3').Value2).toBe(8);
    expect(log).toEqual([]);
    await sim.eventsSettled();
    expect(log).toEqual(['change 表一!$D$3']);
  });

  test('writes through the object model fire SheetChange unless EnableEvents is off at the time', async () => {
    const ws = sheet(sim, 1);
    ws.Range('D3:D4').Value2 = 1;
    sim.app.EnableEvents = false;
    ws.Range('E3').Value2 = 2;
    ws.Range('E4').Formula = '=E3';
    ws.Range('B3').ClearContents();
    sim.app.EnableEvents = true;
    ws.Range('F3').Formula = '=1+1';
    // Formats are not changes.
    ws.Range('F4').NumberFormat = '0.00';
    await sim.eventsSettled();
    expect(log).toEqual(['change 表一!$D$3:$D$4', 'change 表一!$F$3']);
  });

  test('userSelect and Range.Select fire SheetSelectionChange with the new selection', async () => {
    sim.userSelect('表二', 'A2:B3');
    expect(sim.selection).toEqual({ sheet: '表二', address: 'A2:B3' });
    expect(sim.app.ActiveSheet!.Name).toBe('表二');
    sheet(sim, 2).Range('C5').Select();
    await sim.eventsSettled();
    expect(log).toEqual(['select 表二!$A$2:$B$3', 'select 表二!$C$5']);
  });

  test('RemoveApiEventListener (by name, as Kingsoft types it) stops the calls; handlers see counted objects', async () => {
    (sim.app.ApiEvent as unknown as { RemoveApiEventListener(event: string): void }).RemoveApiEventListener('SheetChange');
    expect(sim.handlerCount('SheetChange')).toBe(0);
    sim.userEdit('表一', 'D3', 1);
    await sim.eventsSettled();
    expect(log).toEqual([]);
    sim.app.ApiEvent.AddApiEventListener('SheetChange', onChange);
    sim.resetCalls();
    sim.userEdit('表一', 'D3', 2);
    await sim.eventsSettled();
    // The handler's two reads (sheet name, target address) crossed into WPS.
    expect(sim.callLog).toEqual(['Worksheet.Name', 'Range.Address']);
  });

  test('subscribe/version let a view re-render on every change', () => {
    let n = 0;
    const off = sim.subscribe(() => n++);
    const v0 = sim.version;
    sheet(sim, 1).Range('D3').Value2 = 1;
    sheet(sim, 1).Range('D3').Interior.Color = 255;
    off();
    sheet(sim, 1).Range('D4').Value2 = 1;
    expect(n).toBe(2);
    expect(sim.version).toBe(v0 + 3);
  });
});
