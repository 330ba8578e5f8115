/**
 * The quirks of WPS's object model (src/wps/api.ts) that the in-memory host reproduces, one test each.
 */
import {
  bgr,
  hexOfBgr,
  xlCellTypeConstants,
  xlCellTypeFormulas,
  xlDatabar,
  xlErrors,
  xlExpression,
  xlValues,
  xlWhole,
} from '../../src/wps/api';
import { SimWps, SimWpsError } from '../../src/wps-sim';
import { build, fixture, openFixture, reload, sheet, smallForm } from './helpers';

let sim: SimWps;
beforeEach(async () => {
  sim = await build(smallForm);
});

describe('indexes and shapes', () => {
  test('collections and Row/Column are 1-based; an unknown index or name throws', () => {
    const wss = sim.app.ActiveWorkbook!.Worksheets;
    expect(wss.Count).toBe(2);
    expect(wss.Item(1).Name).toBe('表一');
    expect(wss.Item(2).Name).toBe('表二');
    expect(wss.Item('表二').Index).toBe(2);
    expect(() => wss.Item(0)).toThrow(SimWpsError);
    expect(() => wss.Item(3)).toThrow(/下标越界/);
    expect(() => wss.Item('没有')).toThrow(/下标越界/);
    const r = wss.Item(1).Range('B3:C4,A8');
    expect([r.Row, r.Column]).toEqual([3, 2]);
    expect(r.Areas.Count).toBe(2);
    expect(r.Areas.Item(2).Address()).toBe('$A$8');
    expect(() => r.Areas.Item(0)).toThrow(SimWpsError);
  });

  test('Value2 is a scalar for one cell and rows of cells for several; empty cells are undefined', () => {
    const ws = sheet(sim, 1);
    expect(ws.Range('B3').Value2).toBe(10);
    expect(ws.Range('A3').Value2).toBe('数量指标');
    expect(ws.Range('D3').Value2).toBeUndefined();
    expect(ws.Range('A3:B4').Value2).toEqual([
      ['数量指标', 10],
      ['质量指标', 20],
    ]);
    // One row is still rows of cells; the hidden cells of a merged area are empty.
    expect(ws.Range('A1:D1').Value2).toEqual([['项目支出绩效自评表', undefined, undefined, undefined]]);
    expect(ws.Range('B3:B4').Value2).toEqual([[10], [20]]);
  });

  test('Value2 takes both shapes: a scalar fills every cell, rows of cells fill cell by cell', () => {
    const ws = sheet(sim, 2);
    ws.Range('B2').Value2 = 5;
    expect(ws.Range('B2').Value2).toBe(5);
    ws.Range('A3:B4').Value2 = '同';
    expect(ws.Range('A3:B4').Value2).toEqual([
      ['同', '同'],
      ['同', '同'],
    ]);
    ws.Range('A5:B6').Value2 = [
      [1, '二'],
      [true, undefined],
    ];
    expect(ws.Range('A5:B6').Value2).toEqual([
      [1, '二'],
      [true, undefined],
    ]);
    // Excel's rules for a smaller array: one row repeats down; missing cells read #N/A.
    ws.Range('A7:B8').Value2 = [[7, 8]];
    expect(ws.Range('A7:B8').Value2).toEqual([
      [7, 8],
      [7, 8],
    ]);
    ws.Range('A9:C10').Value2 = [
      [1, 2],
      [3, 4],
    ];
    expect(ws.Range('C9').Text).toBe('#N/A');
    expect(ws.Range('C9').Value2).toBe(2042);
  });

  test('UsedRange holds every cell with content or format, and may start below or right of A1', async () => {
    const s = await build((wb) => {
      const ws = wb.addWorksheet('偏');
      ws.getCell('C4').value = '起';
      ws.getCell('D5').value = 1;
      ws.getCell('F9').border = { top: { style: 'thin' } }; // a format only
    });
    const ws = sheet(s, 1);
    expect(ws.UsedRange.Address()).toBe('$C$4:$F$9');
    ws.Range('H2').Interior.Color = 255;
    expect(ws.UsedRange.Address()).toBe('$C$2:$H$9');
    expect(ws.UsedRange.Value2[2][0]).toBe('起');
    // An empty sheet's used range is A1.
    expect(sheet(sim, 2).UsedRange.Address()).toBe('$A$1');
    s.app.ActiveWorkbook!.Worksheets.Add();
    expect(s.app.ActiveSheet!.UsedRange.Address()).toBe('$A$1');
  });

  test('dates are serial numbers in Value2 and dates in Text', () => {
    const ws = sheet(sim, 1);
    expect(ws.Range('B7').Value2).toBe(45663);
    expect(ws.Range('B7').Text).toBe('2025/1/6');
    expect(ws.Range('B6').Text).toBe('95.00%');
    ws.Range('D7').Value2 = new Date(Date.UTC(2025, 0, 7)) as unknown as number;
    expect(ws.Range('D7').Value2).toBe(45664);
  });

  test('error cells read as error codes in Value2 and as their text in Text', async () => {
    const errors = ['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A'];
    const s = await build((wb) => {
      const ws = wb.addWorksheet('错');
      errors.forEach((e, i) => (ws.getCell(1, i + 1).value = { error: e } as never));
      ws.getCell(2, 1).value = { formula: '1/0', result: { error: '#DIV/0!' } } as never;
      ws.getCell(2, 2).value = '#REF!'; // text that looks like an error is text
    });
    const ws = sheet(s, 1);
    expect(ws.Range('A1:G1').Value2).toEqual([[2000, 2007, 2015, 2023, 2029, 2036, 2042]]);
    expect(errors.map((_, i) => ws.Range(`${String.fromCharCode(65 + i)}1`).Text)).toEqual(errors);
    expect(ws.Range('A2').Value2).toBe(2007);
    expect(ws.Range('A2').Formula).toBe('=1/0');
    expect(ws.Range('B2').Value2).toBe('#REF!');
    // Only SpecialCells tells an error from a number.
    expect(ws.UsedRange.SpecialCells(xlCellTypeConstants, xlErrors).Address()).toBe('$A$1:$G$1');
    expect(ws.UsedRange.SpecialCells(xlCellTypeFormulas, xlErrors).Address()).toBe('$A$2');
  });

  test('Formula gives formulas with = and constants as text, in the same shapes', () => {
    const ws = sheet(sim, 1);
    expect(ws.Range('B5').Formula).toBe('=SUM(B3:B4)');
    expect(ws.Range('B4:B5').Formula).toEqual([['20'], ['=SUM(B3:B4)']]);
    expect(ws.Range('D1').Formula).toBe('');
    expect(ws.Range('B5').HasFormula).toBe(true);
    expect(ws.Range('B4:B5').HasFormula).toBeNull();
    expect(ws.Range('B3:B4').HasFormula).toBe(false);
    ws.Range('D3').Formula = '=B3*2';
    expect(ws.Range('D3').Formula).toBe('=B3*2');
    expect(ws.Range('D3').HasFormula).toBe(true);
  });
});

describe('formats and merges', () => {
  test('NumberFormat is the shared format, or null when the cells differ; writing sets every cell', () => {
    const ws = sheet(sim, 1);
    expect(ws.Range('B6').NumberFormat).toBe('0.00%');
    expect(ws.Range('B3:C3').NumberFormat).toBe('General');
    expect(ws.Range('B5:B6').NumberFormat).toBeNull();
    ws.Range('B3:C4').NumberFormat = '0.00';
    expect(ws.Range('B3:C4').NumberFormat).toBe('0.00');
    expect(ws.Range('B3').Text).toBe('10.00');
  });

  test('MergeCells is true, false or null; MergeArea is the merged area or the cell', () => {
    const ws = sheet(sim, 1);
    expect(ws.Range('A1:C1').MergeCells).toBe(true);
    expect(ws.Range('B1').MergeCells).toBe(true);
    expect(ws.Range('A2:C2').MergeCells).toBe(false);
    expect(ws.Range('A1:C2').MergeCells).toBeNull();
    expect(ws.Range('C9').MergeArea.Address()).toBe('$B$8:$C$9');
    expect(ws.Range('C9').MergeArea.Value2).toEqual([
      ['说明文字', undefined],
      [undefined, undefined],
    ]);
    expect(ws.Range('A3').MergeArea.Address()).toBe('$A$3');
  });

  test('Address() is absolute A1 with areas joined by commas; Address(false, false) is relative', () => {
    const ws = sheet(sim, 1);
    expect(ws.Range('a1:b2').Address()).toBe('$A$1:$B$2');
    expect(ws.Range('B7').Address()).toBe('$B$7');
    expect(ws.Range('A1,C3:D4').Address()).toBe('$A$1,$C$3:$D$4');
    expect(ws.Range('$A$1:$B$2').Address(false, false)).toBe('A1:B2');
    expect(ws.Range('B:C').Address()).toBe('$B:$C');
    expect(ws.Range('2:3').Address()).toBe('$2:$3');
    expect(() => ws.Range('不是地址')).toThrow(SimWpsError);
  });

  test('writing into a merged area lands in its top-left cell', () => {
    const ws = sheet(sim, 1);
    ws.Range('C9').Value2 = '新说明';
    expect(ws.Range('B8').Value2).toBe('新说明');
    expect(ws.Range('C9').Value2).toBeUndefined();
    // Writing the whole area sets the top-left cell from its own position; the hidden cells stay empty.
    ws.Range('B8:C9').Value2 = [
      ['甲', '乙'],
      ['丙', '丁'],
    ];
    expect(ws.Range('B8:C9').Value2).toEqual([
      ['甲', undefined],
      [undefined, undefined],
    ]);
    expect(ws.Range('B8:C9').MergeCells).toBe(true);
  });

  test('Merge keeps the upper-left-most value and UnMerge splits the whole merged area', () => {
    const ws = sheet(sim, 1);
    ws.Range('A3:C3').Merge();
    expect(ws.Range('A3:C3').MergeCells).toBe(true);
    expect(ws.Range('A3:C3').Value2).toEqual([['数量指标', undefined, undefined]]);
    ws.Range('B3').UnMerge();
    expect(ws.Range('A3:C3').MergeCells).toBe(false);
    // A merge that would cut through a merged area is refused.
    expect(() => ws.Range('C8:D8').Merge()).toThrow(/合并单元格/);
  });

  test('ClearContents empties values and formulas but keeps formats; it refuses part of a merged area', () => {
    const ws = sheet(sim, 1);
    ws.Range('B5:B6').ClearContents();
    expect(ws.Range('B5:B6').Value2).toEqual([[undefined], [undefined]]);
    expect(ws.Range('B6').NumberFormat).toBe('0.00%');
    expect(() => ws.Range('B8:B9').ClearContents()).toThrow(/合并单元格/);
    ws.Range('B8:C9').ClearContents();
    expect(ws.Range('B8').Value2).toBeUndefined();
    // A whole-sheet range costs what the sheet holds.
    ws.Cells.ClearContents();
    expect(
      ws
        .Range('A1:C9')
        .Value2.flat()
        .every((v: unknown) => v === undefined),
    ).toBe(true);
  });

  test('colours are BGR longs', () => {
    const ws = sheet(sim, 1);
    ws.Range('A2:C2').Interior.Color = bgr('C00000');
    ws.Range('A2').Font.Color = bgr('0070C0');
    expect(bgr('C00000')).toBe(0x0000c0);
    expect(ws.Range('A2:C2').Interior.Color).toBe(0xc0);
    expect(hexOfBgr(ws.Range('A2').Font.Color)).toBe('0070C0');
    expect(ws.Range('A3').Interior.Color).toBe(16777215); // no fill reads white
    const cell = sim.model.sheets[0].ws.getCell('B2');
    expect((cell.fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFC00000');
  });

  test('Font, Interior, Borders, alignment, WrapText, ColumnWidth, RowHeight land in the ExcelJS cells', () => {
    const ws = sheet(sim, 1);
    const r = ws.Range('A2:C3');
    r.Font.Bold = true;
    r.Font.Name = '黑体';
    r.Font.Size = 12;
    r.Font.Italic = true;
    r.Font.Underline = 2;
    ws.Range('A9').Interior.Pattern = 1;
    r.HorizontalAlignment = -4108;
    r.VerticalAlignment = -4108;
    r.WrapText = true;
    r.Borders.LineStyle = 1;
    r.Borders.Item(9).Weight = -4138;
    ws.Range('B:C').ColumnWidth = 20;
    ws.Range('A2:A3').RowHeight = 30;
    const x = sim.model.sheets[0].ws;
    expect(x.getCell('B3').font).toMatchObject({ bold: true, name: '黑体', size: 12, italic: true, underline: true });
    expect(r.Font.Underline).toBe(2);
    expect(ws.Range('A9').Interior.Pattern).toBe(1);
    expect(ws.Range('A8').Interior.Pattern).toBe(-4142);
    expect(x.getCell('B3').alignment).toMatchObject({ horizontal: 'center', vertical: 'middle', wrapText: true });
    expect(x.getCell('B2').border.top?.style).toBe('thin');
    expect(x.getCell('B3').border.bottom?.style).toBe('medium');
    expect(x.getColumn(3).width).toBe(20);
    expect(x.getRow(3).height).toBe(30);
    expect(r.Font.Bold).toBe(true);
    expect(ws.Range('A2:A4').Font.Bold).toBeNull();
    expect(r.HorizontalAlignment).toBe(-4108);
    expect(r.WrapText).toBe(true);
    expect(ws.Range('B1:C1').ColumnWidth).toBe(20);
    expect(ws.Range('A1:C1').ColumnWidth).toBeNull();
    expect(ws.Range('A3').RowHeight).toBe(30);
    expect(r.Borders.Item(8).LineStyle).toBe(1);
    expect(ws.Range('E10').Borders.Item(8).LineStyle).toBe(-4142);
  });
});

describe('SpecialCells and Find', () => {
  test('SpecialCells picks formulas or constants by value type and throws when no cell qualifies', () => {
    const ws = sheet(sim, 1);
    expect(ws.UsedRange.SpecialCells(xlCellTypeFormulas).Address()).toBe('$B$5:$C$5');
    expect(ws.UsedRange.SpecialCells(xlCellTypeFormulas, xlErrors).Address()).toBe('$C$5');
    expect(ws.UsedRange.SpecialCells(xlCellTypeFormulas, 1).Address()).toBe('$B$5');
    expect(ws.Range('B3:C4').SpecialCells(xlCellTypeConstants, xlErrors).Address()).toBe('$C$4');
    expect(ws.Range('B3:C4').SpecialCells(xlCellTypeConstants, 1).Address()).toBe('$B$3:$C$3,$B$4');
    expect(() => ws.Range('A2:C3').SpecialCells(xlCellTypeFormulas)).toThrow(/未找到单元格/);
    expect(() => sheet(sim, 2).UsedRange.SpecialCells(xlCellTypeConstants, xlErrors)).toThrow(SimWpsError);
    // On one cell it looks at the whole used range, as in Excel.
    expect(ws.Range('A1').SpecialCells(xlCellTypeFormulas).Address()).toBe('$B$5:$C$5');
  });

  test('Find searches in row order after `after`, wraps around, and FindNext continues', () => {
    const ws = sheet(sim, 1);
    const used = ws.UsedRange; // A1:C9
    // Without `after`, the search starts after the first cell, which is looked at last.
    expect(used.Find('指标')!.Address()).toBe('$A$2');
    expect(used.Find('项目')!.Address()).toBe('$A$1');
    const first = used.Find('指标', ws.Range('A3'))!;
    expect(first.Address()).toBe('$A$4');
    const seen = [first.Address()];
    let hit = used.FindNext(first);
    while (hit && hit.Address() !== first.Address()) {
      seen.push(hit.Address());
      hit = used.FindNext(hit);
    }
    expect(seen).toEqual(['$A$4', '$A$2', '$A$3']);
    expect(used.Find('指标', undefined, xlValues, xlWhole)!.Address()).toBe('$A$2');
    expect(used.Find('没有这个')).toBeNull();
    // lookIn formulas (the default) sees the formula text; values see what the cell shows.
    expect(used.Find('SUM(')!.Address()).toBe('$B$5');
    expect(used.Find('SUM(', undefined, xlValues)).toBeNull();
    expect(used.Find('95.00%', undefined, xlValues)!.Address()).toBe('$B$6');
    expect(used.Find('数量*标', undefined, undefined, xlWhole)!.Address()).toBe('$A$3');
  });

  test('Find by format with FindFormat.MergeCells matches each merged area once, at its top-left cell', () => {
    const app = sim.app;
    const ws = sheet(sim, 1);
    app.FindFormat.Clear();
    app.FindFormat.MergeCells = true;
    const used = ws.UsedRange;
    const first = used.Find('', ws.Range('C9'), undefined, undefined, undefined, undefined, false, false, true)!;
    expect(first.Address()).toBe('$A$1');
    const second = used.FindNext(first)!;
    expect(second.Address()).toBe('$B$8');
    expect(used.FindNext(second)!.Address()).toBe('$A$1');
    // `what` still applies when it is not empty.
    expect(
      used.Find('说明', undefined, undefined, undefined, undefined, undefined, false, false, true)!.Address(),
    ).toBe('$B$8');
    // Without searchFormat the merge criterion is ignored.
    expect(used.Find('指标')!.Address()).toBe('$A$2');
    app.FindFormat.Clear();
    expect(app.FindFormat.MergeCells).toBeNull();
  });
});

describe('conditional formats, validation, links', () => {
  test('FormatConditions: Add(xlExpression) with colours, Count/Item, Formula1, AppliesTo, Delete; shared with SimExcel', () => {
    const ws = sheet(sim, 1);
    const r = ws.Range('B3:C5');
    expect(r.FormatConditions.Count).toBe(0);
    const fc = r.FormatConditions.Add(xlExpression, undefined, '=ISTEXT("PerfSheet:缺分值")');
    fc.Interior.Color = bgr('FFC7CE');
    fc.Font.Color = bgr('9C0006');
    expect(r.FormatConditions.Count).toBe(1);
    const again = ws.Range('C4').FormatConditions.Item(1);
    expect(again.Type).toBe(xlExpression);
    expect(again.Formula1).toBe('=ISTEXT("PerfSheet:缺分值")');
    expect(hexOfBgr(again.Interior.Color)).toBe('FFC7CE');
    expect(hexOfBgr(again.Font.Color)).toBe('9C0006');
    expect(again.AppliesTo.Address()).toBe('$B$3:$C$5');
    expect(ws.Range('A1').FormatConditions.Count).toBe(0);
    // Stored in the shared model: the Excel host sees the same rule.
    expect(sim.excel.conditionalFormats('表一')).toEqual([
      expect.objectContaining({
        type: 'Custom',
        formula: '=ISTEXT("PerfSheet:缺分值")',
        fill: '#FFC7CE',
        fontColor: '#9C0006',
      }),
    ]);
    again.Delete();
    expect(r.FormatConditions.Count).toBe(0);
    expect(sim.excel.conditionalFormats('表一')).toEqual([]);
  });

  test('AddDatabar: bar colour and fixed bounds in the shared model, type xlDatabar, saved as a dataBar rule', async () => {
    const ws = sheet(sim, 1);
    const bar = ws.Range('C3:C4').FormatConditions.AddDatabar();
    bar.BarColor.Color = bgr('638EC6');
    bar.MinPoint.Modify(0, 0);
    bar.MaxPoint.Modify(0, 100);
    expect(ws.Range('C3').FormatConditions.Item(1).Type).toBe(xlDatabar);
    expect(sim.excel.conditionalFormats('表一')[0]).toMatchObject({
      type: 'DataBar',
      dataBar: {
        fillColor: '#638EC6',
        lower: { type: 'Number', formula: '0' },
        upper: { type: 'Number', formula: '100' },
      },
    });
    const x = await reload(await sim.save());
    const cfs = (
      x.getWorksheet('表一') as unknown as {
        conditionalFormattings: { ref: string; rules: { type: string; cfvo?: unknown[] }[] }[];
      }
    ).conditionalFormattings;
    expect(cfs).toEqual([
      expect.objectContaining({
        ref: 'C3:C4',
        rules: [
          expect.objectContaining({
            type: 'dataBar',
            cfvo: [
              { type: 'num', value: 0 },
              { type: 'num', value: 100 },
            ],
          }),
        ],
      }),
    ]);
  });

  test('Validation.Add (list, decimal, whole number) with messages lands in ExcelJS dataValidations; Delete removes it', () => {
    const ws = sheet(sim, 1);
    const v = ws.Range('D3:D5').Validation;
    v.Add(3, 1, 1, '=是,否');
    v.InputTitle = '请选择';
    v.InputMessage = '是或否';
    v.ErrorTitle = '输入有误';
    v.ErrorMessage = '只能选是或否';
    v.ShowInput = true;
    v.ShowError = true;
    ws.Range('E3:E5').Validation.Add(2, 1, 1, '0', '100');
    ws.Range('F3').Validation.Add(1, 2, 7, '0');
    const dvs = (
      sim.model.sheets[0].ws as unknown as { dataValidations: { model: Record<string, Record<string, unknown>> } }
    ).dataValidations.model;
    expect(dvs['D3:D5']).toMatchObject({
      type: 'list',
      formulae: ['是,否'],
      promptTitle: '请选择',
      prompt: '是或否',
      errorTitle: '输入有误',
      error: '只能选是或否',
      showInputMessage: true,
      showErrorMessage: true,
    });
    expect(dvs['E3:E5']).toMatchObject({ type: 'decimal', operator: 'between', formulae: ['0', '100'] });
    expect(dvs.F3).toMatchObject({
      type: 'whole',
      operator: 'greaterThanOrEqual',
      formulae: ['0'],
      errorStyle: 'warning',
    });
    expect(ws.Range('D4').Validation.ErrorMessage).toBe('只能选是或否');
    // A second Add on cells that have a rule fails, as in WPS: Delete first.
    expect(() => ws.Range('D4').Validation.Add(3, 1, 1, '=甲')).toThrow(SimWpsError);
    ws.Range('D4').Validation.Delete();
    expect(() => ws.Range('D4').Validation.InputMessage).toThrow(SimWpsError);
    expect(ws.Range('D3').Validation.InputMessage).toBe('是或否');
    expect(ws.Range('D5').Validation.InputMessage).toBe('是或否');
    ws.Range('D4').Validation.Add(3, 1, 1, '=甲');
    expect(ws.Range('D4').Validation.InputMessage).toBe('');
  });

  test('Hyperlinks.Add makes an internal link with its text', () => {
    const ws = sheet(sim, 1);
    ws.Range('D2').Hyperlinks.Add(ws.Range('D2'), '', "'表二'!A1", '跳到表二', '→ 表二');
    const cell = sim.model.sheets[0].ws.getCell('D2');
    expect(cell.value).toMatchObject({ text: '→ 表二', hyperlink: "'表二'!A1", tooltip: '跳到表二' });
    expect(ws.Range('D2').Value2).toBe('→ 表二');
  });
});

describe('sheets, selection, protection, names', () => {
  test('Select and Activate track the selection and the active sheet; selecting on an inactive sheet fails', () => {
    const app = sim.app;
    expect(app.ActiveSheet!.Name).toBe('表一');
    sheet(sim, 1).Range('B3:C4').Select();
    expect(sim.selection).toEqual({ sheet: '表一', address: 'B3:C4' });
    expect(() => sheet(sim, 2).Range('A1').Select()).toThrow(/活动工作表/);
    sheet(sim, 2).Activate();
    expect(app.ActiveSheet!.Name).toBe('表二');
    expect(sim.activeSheet).toBe('表二');
    sheet(sim, 2).Range('A2').Activate();
    expect(sim.selection).toEqual({ sheet: '表二', address: 'A2' });
    sheet(sim, 2).Range('A1:B3').Select();
    sheet(sim, 2).Range('B2').Activate(); // inside the selection: the selection stays
    expect(sim.selection).toEqual({ sheet: '表二', address: 'A1:B3' });
  });

  test('Worksheets.Add puts the new sheet after the given one and activates it; Name renames, names follow', () => {
    const wb = sim.app.ActiveWorkbook!;
    wb.Names.Add('总分', '=表一!$B$5');
    const added = wb.Worksheets.Add(undefined, wb.Worksheets.Item(1));
    expect(added.Index).toBe(2);
    expect(sim.sheetNames()).toEqual(['表一', 'Sheet3', '表二']);
    expect(sim.app.ActiveSheet!.Name).toBe('Sheet3');
    added.Name = '绩效报告';
    expect(sim.sheetNames()).toEqual(['表一', '绩效报告', '表二']);
    expect(() => (added.Name = '表一')).toThrow(/不能与其他工作表相同/);
    expect(() => (added.Name = 'a/b')).toThrow(SimWpsError);
    wb.Worksheets.Item(1).Name = '表 一';
    expect(wb.Names.Item('总分').RefersTo).toBe("='表 一'!$B$5");
    // Before: at that position.
    expect(wb.Worksheets.Add(wb.Worksheets.Item(1)).Index).toBe(1);
    added.Delete();
    expect(sim.sheetNames()).toHaveLength(3);
    expect(() => added.Name).toThrow(/已被删除/);
  });

  test('a protected sheet refuses writes to locked cells with a message that says so', async () => {
    const s = await build((wb) => {
      smallForm(wb);
      const ws = wb.getWorksheet('表一')!;
      ws.getCell('D3').protection = { locked: false };
      void ws.protect('', {});
    });
    const ws = sheet(s, 1);
    expect(ws.ProtectContents).toBe(true);
    expect(sheet(s, 2).ProtectContents).toBe(false);
    expect(() => (ws.Range('B3').Value2 = 1)).toThrow(/受保护的工作表/);
    expect(() => (ws.Range('B3').NumberFormat = '0')).toThrow(/受保护/);
    expect(() => ws.Range('B3').FormatConditions.Add(xlExpression, undefined, '=TRUE')).toThrow(/受保护/);
    expect(() => ws.Range('B3:B4').ClearContents()).toThrow(/受保护/);
    expect(ws.Range('B3').Value2).toBe(10);
    ws.Range('D3').Value2 = '可写';
    expect(ws.Range('D3').Value2).toBe('可写');
    s.protectSheet('表一', false);
    ws.Range('B3').Value2 = 1;
    expect(ws.Range('B3').Value2).toBe(1);
  });

  test('sheet and workbook protection stored in a file are honoured (r07)', async () => {
    const s = await openFixture('hostile/r07_protected_sheet_and_workbook.xlsx');
    const wb = s.app.ActiveWorkbook!;
    expect(wb.ProtectStructure).toBe(true);
    expect(wb.Worksheets.Item('劳模体检').ProtectContents).toBe(true);
    expect(wb.Worksheets.Item('部门整体').ProtectContents).toBe(false);
    expect(() => (wb.Worksheets.Item('劳模体检').Range('J19').Value2 = 1)).toThrow(/受保护/);
    expect(() => wb.Worksheets.Add()).toThrow(/工作簿有保护/);
  });

  test('Visible hides and shows sheets (xlSheetHidden 0, xlSheetVisible -1); the last visible sheet stays', () => {
    const wb = sim.app.ActiveWorkbook!;
    const two = wb.Worksheets.Item(2);
    two.Visible = 0;
    expect(two.Visible).toBe(0);
    expect(sim.model.sheets[1].ws.state).toBe('hidden');
    expect(() => (wb.Worksheets.Item(1).Visible = 0)).toThrow(/至少/);
    expect(() => two.Activate()).toThrow(SimWpsError);
    two.Visible = -1;
    expect(sim.model.sheets[1].ws.state).toBe('visible');
  });

  test('Workbook.Name and FullName come from the file name', () => {
    expect(sim.app.ActiveWorkbook!.Name).toBe('测试.xlsx');
    expect(sim.app.ActiveWorkbook!.FullName).toMatch(/测试\.xlsx$/);
  });

  test('unusable input is refused with a Chinese message', async () => {
    await expect(SimWps.open(fixture('hostile/zip_not_xlsx.xlsx'), { fileName: 'a.xlsx' })).rejects.toThrow(
      /a\.xlsx：这是一个普通的 zip 压缩包/,
    );
    await expect(SimWps.open(new Uint8Array(0), { fileName: 'b.xlsx' })).rejects.toThrow(/文件是空的/);
  });

  test('ProtectStructure refuses adding, deleting, renaming and hiding sheets', async () => {
    const s = await build(smallForm);
    s.protectStructure(true);
    const wb = s.app.ActiveWorkbook!;
    expect(wb.ProtectStructure).toBe(true);
    expect(() => wb.Worksheets.Add()).toThrow(/工作簿有保护/);
    expect(() => wb.Worksheets.Item(2).Delete()).toThrow(/工作簿有保护/);
    expect(() => (wb.Worksheets.Item(2).Name = '新')).toThrow(/工作簿有保护/);
    expect(() => (wb.Worksheets.Item(2).Visible = 0)).toThrow(/工作簿有保护/);
    expect(s.sheetNames()).toEqual(['表一', '表二']);
    // Cells are not part of the structure.
    wb.Worksheets.Item(2).Range('A2').Value2 = 1;
  });

  test('Names: constants and references, Visible, Item by index (alphabetical) or name, Add redefines, Delete', () => {
    const names = sim.app.ActiveWorkbook!.Names;
    expect(names.Count).toBe(0);
    const p = names.Add('PerfSheet.Profile', '="hebei"', false);
    expect(p.Visible).toBe(false);
    names.Add('Alpha', '=表一!$A$1:$C$1');
    expect(names.Count).toBe(2);
    expect(names.Item(1).Name).toBe('Alpha');
    expect(names.Item(2).RefersTo).toBe('="hebei"');
    expect(names.Item('perfsheet.profile').Name).toBe('PerfSheet.Profile');
    names.Add('PerfSheet.Profile', '="central"', false);
    expect(names.Count).toBe(2);
    expect(names.Item('PerfSheet.Profile').RefersTo).toBe('="central"');
    expect(sim.model.constantNames.get('PerfSheet.Profile')).toEqual({ formula: '="central"', visible: false });
    expect(() => names.Add('坏', '=没有的表!A1')).toThrow(SimWpsError);
    expect(() => names.Add('A1', '="x"')).toThrow(SimWpsError);
    names.Item('Alpha').Delete();
    expect(names.Count).toBe(1);
    expect(() => names.Item('Alpha')).toThrow(SimWpsError);
  });

  test('a deleted sheet leaves its names as #REF!, and the last visible sheet cannot go', async () => {
    const wb = sim.app.ActiveWorkbook!;
    wb.Names.Add('第二', '=表二!$A$1');
    wb.Worksheets.Item(2).Delete();
    expect(wb.Names.Item('第二').RefersTo).toBe('=#REF!');
    expect(() => wb.Worksheets.Item(1).Delete()).toThrow(/至少/);
  });

  test('PageSetup, HPageBreaks and frozen panes land in the ExcelJS sheet', () => {
    const ws = sheet(sim, 1);
    const ps = ws.PageSetup;
    ps.Orientation = 2;
    ps.PaperSize = 9;
    ps.Zoom = false;
    ps.FitToPagesWide = 1;
    ps.FitToPagesTall = false;
    ps.PrintTitleRows = '$1:$2';
    ps.LeftMargin = 36;
    ps.CenterHorizontally = true;
    ps.CenterFooter = '第 &P 页';
    ws.HPageBreaks.Add(ws.Range('A5'));
    const x = sim.model.sheets[0].ws;
    expect(x.pageSetup).toMatchObject({
      orientation: 'landscape',
      paperSize: 9,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:2',
      horizontalCentered: true,
    });
    expect(x.pageSetup.margins?.left).toBeCloseTo(0.5);
    expect(ps.LeftMargin).toBe(36);
    expect(ps.PrintTitleRows).toBe('$1:$2');
    expect(ps.CenterFooter).toBe('第 &P 页');
    // A break above row 5 is ExcelJS's break after row 4.
    expect((x as unknown as { rowBreaks: { id: number }[] }).rowBreaks.map((b) => b.id)).toEqual([4]);
    const win = sim.app.ActiveWindow;
    win.SplitRow = 2;
    win.SplitColumn = 0;
    win.FreezePanes = true;
    expect(x.views[0]).toMatchObject({ state: 'frozen', ySplit: 2, xSplit: 0 });
    expect(sim.app.ActiveWindow.FreezePanes).toBe(true);
  });
});
