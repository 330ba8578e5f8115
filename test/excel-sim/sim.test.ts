/**
 * The in-memory Excel host: Office's load/sync semantics and the quirks the adapter must cope with.
 */
import ExcelJS from 'exceljs';
import { SimExcel } from '../../src/excel-sim';
import { MERGED_AREAS_LIMIT } from '../../src/excel-sim/types-core';
import type { XlWorksheetChangedEventArgs } from '../../src/excel/api';

function small(): SimExcel {
  return SimExcel.fromValues({
    Data: [
      ['名称', '数值', null],
      ['甲', 1.5, null],
      ['乙', 2, 'x'],
    ],
    Other: [['a']],
  });
}

describe('load/sync semantics', () => {
  test('reading a property that was not loaded throws PropertyNotLoaded, also before the sync', async () => {
    const sim = small();
    await sim.run(async (ctx) => {
      const r = ctx.workbook.worksheets.getItem('Data').getRange('A1:B2');
      expect(() => r.values).toThrow(expect.objectContaining({ code: 'PropertyNotLoaded' }));
      r.load('values');
      expect(() => r.values).toThrow(expect.objectContaining({ code: 'PropertyNotLoaded' }));
      await ctx.sync();
      expect(r.values).toEqual([
        ['名称', '数值'],
        ['甲', 1.5],
      ]);
      // Only what was named is loaded.
      expect(() => r.numberFormat).toThrow(expect.objectContaining({ code: 'PropertyNotLoaded' }));
      expect(() => r.address).toThrow(/call the load method/);
    });
  });

  test('isNullObject needs a load too; OrNullObject methods give null objects; getItem of a missing sheet fails its sync', async () => {
    const sim = small();
    await sim.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItemOrNullObject('Nope');
      expect(() => ws.isNullObject).toThrow(expect.objectContaining({ code: 'PropertyNotLoaded' }));
      ws.load('name');
      await ctx.sync();
      expect(ws.isNullObject).toBe(true);
      // Office.js instantiates every object it is asked for: the sync fails even if nothing is loaded.
      ctx.workbook.worksheets.getItem('Nope');
      await expect(ctx.sync()).rejects.toMatchObject({ code: 'ItemNotFound', debugInfo: { statement: expect.stringContaining('getItem') } });
    });
  });

  test('every sync that sends something is counted; an empty sync sends nothing; Excel.run flushes what is pending', async () => {
    const sim = small();
    await sim.run(async (ctx) => {
      ctx.workbook.worksheets.load('items/name');
      await ctx.sync();
      await ctx.sync(); // nothing queued: Office.js sends no request
      ctx.workbook.worksheets.getItem('Data').getRange('C1').values = [[5]];
    });
    expect(sim.syncCount).toBe(2);
    expect(sim.cell('Data', 'C1').value).toBe(5);
    expect(sim.syncLog).toHaveLength(2);
    // The run used a Range: the library released its reference in one more request of its own.
    expect(sim.cleanupCount).toBe(1);
  });

  test('collections load items with the named properties only', async () => {
    const sim = small();
    await sim.run(async (ctx) => {
      const wss = ctx.workbook.worksheets;
      wss.load('items/name');
      await ctx.sync();
      expect(wss.items.map((w) => w.name)).toEqual(['Data', 'Other']);
      expect(() => wss.items[0].id).toThrow(expect.objectContaining({ code: 'PropertyNotLoaded' }));
    });
  });

  test('a sync over the payload limit fails like Excel on the web', async () => {
    const sim = SimExcel.fromValues({ S: Array.from({ length: 2000 }, (_, r) => [`第${r}行的一段比较长的文字内容，用来撑大响应`]) }, { payloadLimit: 20_000 });
    await sim.run(async (ctx) => {
      const r = ctx.workbook.worksheets.getItem('S').getRange('A1:A2000');
      r.load('values');
      // The response is what is too large: Office's code for it.
      await expect(ctx.sync()).rejects.toMatchObject({ code: 'ResponsePayloadSizeLimitExceeded' });
    });
    expect(sim.syncLog[0].response).toBeGreaterThan(20_000);
  });
});

describe('cells as the Excel API shows them', () => {
  test('values, formulas and numberFormat of formula, merged, empty and error cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.getCell('A1').value = 3;
    ws.getCell('A1').numFmt = '0.00%';
    ws.getCell('B1').value = { formula: 'A1*2', result: 6 } as ExcelJS.CellValue;
    ws.getCell('C1').value = { error: '#DIV/0!' } as ExcelJS.CellValue;
    ws.getCell('A2').value = '合并';
    ws.mergeCells('A2:C2');
    const sim = new SimExcel(wb);
    await sim.run(async (ctx) => {
      const r = ctx.workbook.worksheets.getItem('S').getRange('A1:D2');
      r.load(['values', 'formulas', 'numberFormat', 'address', 'rowCount', 'columnCount']);
      await ctx.sync();
      expect(r.values).toEqual([
        [3, 6, '#DIV/0!', ''],
        ['合并', '', '', ''],
      ]);
      expect(r.formulas[0].slice(0, 2)).toEqual([3, '=A1*2']);
      expect(r.numberFormat[0][0]).toBe('0.00%');
      expect(r.numberFormat[0][3]).toBe('General');
      expect(r.address).toBe('S!A1:D2');
      expect([r.rowCount, r.columnCount]).toEqual([2, 4]);
    });
  });

  test('text written through values becomes a formula or a number unless escaped', async () => {
    const sim = small();
    await sim.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('Data');
      ws.getRange('A5:F5').values = [['=1+1', "'=1+1", '-abc', "'-abc", '12.5', '+3']];
      await ctx.sync();
    });
    expect(sim.cell('Data', 'A5').formula).toBe('=1+1');
    expect(sim.cell('Data', 'B5')).toMatchObject({ value: '=1+1', formula: null });
    expect(sim.cell('Data', 'C5').formula).toBe('=-abc');
    expect(sim.cell('Data', 'D5')).toMatchObject({ value: '-abc', formula: null });
    expect(sim.cell('Data', 'E5').value).toBe(12.5);
    expect(sim.cell('Data', 'F5').value).toBe(3);
  });

  test('a values array of the wrong shape fails the sync', async () => {
    const sim = small();
    await sim.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('Data').getRange('A1:B1').values = [[1]];
      await expect(ctx.sync()).rejects.toMatchObject({ code: 'InvalidArgument' });
    });
  });

  test('used range (values only), findAll', async () => {
    const sim = small();
    await sim.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('Data');
      const used = ws.getUsedRangeOrNullObject(true);
      used.load('address');
      const hits = ws.findAllOrNullObject('乙', { completeMatch: true, matchCase: false });
      hits.load('address');
      const none = ws.findAllOrNullObject('丙', { completeMatch: false, matchCase: false });
      none.load('address');
      await ctx.sync();
      expect(used.address).toBe('Data!A1:C3');
      expect(hits.address).toBe('Data!A3');
      expect(none.isNullObject).toBe(true);
    });
  });
});

describe('merged areas, with Office quirks', () => {
  function merged(n: number): SimExcel {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('M');
    ws.mergeCells('A1:B2');
    for (let i = 0; i < n; i++) ws.mergeCells(10 + i, 1, 10 + i, 2);
    return new SimExcel(wb);
  }

  test('only areas whose top-left cell is inside the queried range are returned', async () => {
    const sim = merged(0);
    await sim.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('M');
      const inner = ws.getRange('B2:C3').getMergedAreasOrNullObject();
      inner.load('address');
      const outer = ws.getRange('A1:A1').getMergedAreasOrNullObject();
      outer.load('address');
      await ctx.sync();
      expect(inner.isNullObject).toBe(true); // A1:B2 overlaps B2:C3 but starts outside it
      expect(outer.address).toBe('M!A1:B2');
    });
  });

  test(`more than ${MERGED_AREAS_LIMIT} merged areas in one query fails`, async () => {
    const sim = merged(MERGED_AREAS_LIMIT + 10);
    await sim.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('M');
      const ok = ws.getRange('A1:B500').getMergedAreasOrNullObject();
      ok.load('areaCount');
      await ctx.sync();
      expect(ok.areaCount).toBe(492);
      const all = ws.getRange('A1:B1000').getMergedAreasOrNullObject();
      all.load('address');
      await expect(ctx.sync()).rejects.toMatchObject({ code: 'GeneralException' });
    });
  });
});

describe('writes into merged areas', () => {
  function form(): SimExcel {
    // A funds row whose 分值 (H6 = 10), 执行率 (I6) and 得分 (J6) are merged into one area.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('F');
    ws.getCell('H6').value = 10;
    ws.mergeCells('H6:J6');
    ws.getCell('A1').value = 'x';
    ws.mergeCells('A1:C1');
    return new SimExcel(wb);
  }

  test('a single value written to a hidden cell of a merge lands in its top-left cell', async () => {
    const sim = form();
    await sim.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('F');
      ws.getRange('J6').values = [[9.52]]; // a score meant for 得分
      ws.getRange('I6').formulas = [['=1+1']];
      const h = ws.getRange('H6:J6');
      h.load('values, formulas');
      await ctx.sync();
      // The 分值 the user typed is gone: what the add-in must never cause.
      expect(h.formulas).toEqual([['=1+1', '', '']]);
    });
    await sim.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('F');
      ws.getRange('I6').values = [[0.95]];
      const h = ws.getRange('H6');
      h.load('values');
      await ctx.sync();
      expect(h.values).toEqual([[0.95]]);
    });
  });

  test('a write covering the top-left cell sets it from there and ignores the hidden cells', async () => {
    const sim = form();
    await sim.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('F');
      ws.getRange('A1:C1').values = [['标题', '', 'ignored']];
      ws.getRange('H6:I6').values = [[12, 99]];
      const r = ws.getRange('A1:J6');
      r.load('values');
      await ctx.sync();
      expect(r.values[0].slice(0, 3)).toEqual(['标题', '', '']);
      expect(r.values[5].slice(7, 10)).toEqual([12, '', '']);
    });
  });
});

describe('conditional formats, settings, selection, events', () => {
  test('custom conditional formats: add, read back through customOrNullObject, delete restores priorities', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.getCell('A1').value = 1;
    ws.addConditionalFormatting({ ref: 'A1:A5', rules: [{ type: 'cellIs', operator: 'greaterThan', formulae: ['0'], priority: 1, style: {} }] } as never);
    const sim = new SimExcel(wb);
    const before = sim.snapshotConditionalFormats();
    let id = '';
    await sim.run(async (ctx) => {
      const cf = ctx.workbook.worksheets.getItem('S').getRanges('B2,C3').conditionalFormats.add('Custom');
      cf.custom.rule.formula = '=TRUE';
      cf.custom.format.fill.color = '#FFC7CE';
      cf.load('id');
      await ctx.sync();
      id = cf.id;
      const col = ctx.workbook.worksheets.getItem('S').getRange().conditionalFormats;
      col.load('items/id,items/type,items/priority,items/customOrNullObject/rule/formula');
      await ctx.sync();
      expect(col.items.map((c) => c.type)).toEqual(['Custom', 'CellValue']);
      expect(col.items[0].customOrNullObject.rule.formula).toBe('=TRUE');
      expect(col.items[1].customOrNullObject.isNullObject).toBe(true);
      expect(col.items.map((c) => c.priority)).toEqual([0, 1]);
      col.getItem(id).delete();
      await ctx.sync();
    });
    expect(sim.snapshotConditionalFormats()).toEqual(before);
  });

  test('workbook settings persist across contexts', async () => {
    const sim = small();
    await sim.run(async (ctx) => {
      ctx.workbook.settings.add('k', { a: 1 });
      await ctx.sync();
    });
    await sim.run(async (ctx) => {
      const s = ctx.workbook.settings.getItemOrNullObject('k');
      s.load('value');
      const none = ctx.workbook.settings.getItemOrNullObject('none');
      none.load('value');
      await ctx.sync();
      expect(s.value).toEqual({ a: 1 });
      expect(none.isNullObject).toBe(true);
    });
  });

  test('select works only on the active sheet; activate then select moves the selection', async () => {
    const sim = small();
    await sim.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('Other').getRange('A1').select();
      await expect(ctx.sync()).rejects.toMatchObject({ code: 'InvalidOperation' });
      const ws = ctx.workbook.worksheets.getItem('Other');
      ws.activate();
      ws.getRange('A1').select();
      await ctx.sync();
    });
    expect(sim.activeSheet).toBe('Other');
    expect(sim.selection).toEqual({ sheet: 'Other', address: 'A1' });
  });

  test('change events carry triggerSource: ThisLocalAddin for API writes, Unknown for user edits', async () => {
    const sim = small();
    const seen: XlWorksheetChangedEventArgs[] = [];
    await sim.run(async (ctx) => {
      ctx.workbook.worksheets.onChanged.add(async (e) => {
        seen.push(e);
      });
      await ctx.sync();
    });
    await sim.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('Data').getRange('C1').values = [[1]];
      await ctx.sync();
    });
    sim.userEdit('Data', 'B3', 7);
    sim.userInsertRows('Data', 2, 1);
    await sim.eventsSettled();
    expect(seen.map((e) => [e.address, e.triggerSource, e.changeType])).toEqual([
      ['C1', 'ThisLocalAddin', 'RangeEdited'],
      ['B3', 'Unknown', 'RangeEdited'],
      ['2:2', 'Unknown', 'RowInserted'],
    ]);
    expect(sim.cell('Data', 'B4').value).toBe(7);
  });

  test('saves to xlsx bytes that open again with values, merges and conditional formats', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.getCell('A1').value = '标题';
    ws.mergeCells('A1:C1');
    const sim = new SimExcel(wb);
    await sim.run(async (ctx) => {
      const s = ctx.workbook.worksheets.getItem('S');
      s.getRange('B3').values = [[99.76]];
      s.getRange('B3').numberFormat = [['0.00']];
      const cf = s.getRanges('B3').conditionalFormats.add('Custom');
      cf.custom.rule.formula = '=ISTEXT("x")';
      cf.custom.format.fill.color = '#FFEB9C';
      await ctx.sync();
    });
    const again = await SimExcel.open(await sim.save());
    expect(again.cell('S', 'B3')).toMatchObject({ value: 99.76, numFmt: '0.00' });
    expect(again.merges('S')).toEqual([{ r0: 0, c0: 0, r1: 0, c1: 2 }]);
    expect(again.conditionalFormats('S').map((c) => [c.type, c.formula, c.fill])).toEqual([['Custom', '=ISTEXT("x")', '#FFEB9C']]);
  });
});

describe('saving conditional formats of other types', () => {
  test('a data bar set up through the API is saved as an xlsx data bar', async () => {
    const sim = SimExcel.fromValues({ S: [[10], [50], [90]] });
    const t = sim.model.sheetByKey('S')!;
    const cf = sim.model.addConditionalFormat(t, [{ r0: 0, c0: 0, r1: 2, c1: 0 }], 'DataBar');
    cf.dataBar = { lower: { type: 'Number', formula: '0' }, upper: { type: 'Number', formula: '100' }, fillColor: '#5B9BD5' };
    const again = await SimExcel.open(await sim.save());
    const [bar] = again.conditionalFormats('S');
    expect(bar.type).toBe('DataBar');
    expect(bar.areas).toEqual([{ r0: 0, c0: 0, r1: 2, c1: 0 }]);
    const rule = (bar.raw as { rule: { cfvo: unknown[] } }).rule;
    expect(rule.cfvo).toEqual([
      { type: 'num', value: 0 },
      { type: 'num', value: 100 },
    ]);
  });
});
