/**
 * Round trips: writes made through the WPS object model, saved as .xlsx, read back with src/xlsx (the CLI's
 * reader) and ExcelJS; the input bytes are never written.
 */
import { readDefinedNames } from '../../src/xlsx/choices';
import { XlsxPackage } from '../../src/xlsx/package';
import { readWorkbookBytes } from '../../src/xlsx/read';
import { SimExcel } from '../../src/excel-sim';
import { SimWps } from '../../src/wps-sim';
import { bgr, xlExpression } from '../../src/wps/api';
import { fixture, reload, sheet } from './helpers';

const FORM = '石家庄市总工会_2025_绩效自评表.xlsx';

test('values, formulas, number formats and merges written through the model come back through src/xlsx', async () => {
  const input = fixture(FORM);
  const before = Buffer.from(input).toString('base64');
  const sim = await SimWps.open(input, { fileName: FORM });
  const ws = sheet(sim, '劳模体检');
  ws.Range('L2:M3').Value2 = [
    [1.5, '文字'],
    [true, undefined],
  ];
  ws.Range('L4').Formula = '=L2*2';
  ws.Range('L5').Value2 = 0.875;
  ws.Range('L5').NumberFormat = '0.0%';
  ws.Range('L6:M7').Merge();
  ws.Range('L6').Value2 = '合并';
  const grid = await readWorkbookBytes(await sim.save(), FORM);
  const g = grid.sheets.find((s) => s.name === '劳模体检')!;
  expect([g.value(1, 11), g.value(1, 12), g.value(2, 11), g.value(2, 12)]).toEqual([1.5, '文字', true, null]);
  expect(g.cell(3, 11)?.formula).toBe('L2*2');
  expect(g.cell(4, 11)).toMatchObject({ value: 0.875, numFmt: '0.0%' });
  expect(g.merges).toContainEqual({ r0: 5, c0: 11, r1: 6, c1: 12 });
  expect(g.value(6, 12)).toBe('合并');
  // Cells nobody wrote are what they were.
  const orig = (await readWorkbookBytes(input, FORM)).sheets.find((s) => s.name === '劳模体检')!;
  for (let r = 0; r < orig.rowCount; r++)
    for (let c = 0; c <= 9; c++) expect([r, c, g.value(r, c)]).toEqual([r, c, orig.value(r, c)]);
  expect(Buffer.from(input).toString('base64')).toBe(before);
});

test('formats, conditional formats, validations, links, names, sheets and page setup survive a save', async () => {
  const sim = await SimWps.open(fixture(FORM), { fileName: FORM });
  const wb = sim.app.ActiveWorkbook!;
  const ws = wb.Worksheets.Item('劳模体检');
  ws.Range('L2').Interior.Color = bgr('FFC7CE');
  ws.Range('L2').Font.Bold = true;
  ws.Range('L2').Borders.LineStyle = 1;
  ws.Range('L:L').ColumnWidth = 24;
  const fc = ws.Range('H13:H18').FormatConditions.Add(xlExpression, undefined, '=ISTEXT("PerfSheet:x")');
  fc.Interior.Color = bgr('FFEB9C');
  fc.Font.Bold = true;
  ws.Range('L3').Validation.Add(3, 1, 1, '=是,否');
  ws.Range('L3').Validation.InputMessage = '请选择';
  const report = wb.Worksheets.Add(undefined, wb.Worksheets.Item(wb.Worksheets.Count));
  report.Name = '绩效报告';
  report.Range('A1').Value2 = '报告';
  report.PageSetup.Orientation = 2;
  ws.Range('L4').Hyperlinks.Add(ws.Range('L4'), '', "'绩效报告'!A1", undefined, '看报告');
  wb.Names.Add('PerfSheet.Profile', '="hebei"', false);
  wb.Names.Add('报告起点', "='绩效报告'!$A$1");
  const bytes = await sim.save();

  const x = await reload(bytes);
  expect(x.worksheets.map((w) => w.name).slice(-1)).toEqual(['绩效报告']);
  const xs = x.getWorksheet('劳模体检')!;
  expect((xs.getCell('L2').fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFFFC7CE');
  expect(xs.getCell('L2').font?.bold).toBe(true);
  expect(xs.getCell('L2').border?.left?.style).toBe('thin');
  expect(xs.getColumn(12).width).toBe(24);
  const cfs = (
    xs as unknown as {
      conditionalFormattings: {
        ref: string;
        rules: { type: string; formulae?: string[]; style?: { font?: { bold?: boolean } } }[];
      }[];
    }
  ).conditionalFormattings;
  const ours = cfs.find((c) => c.rules[0].formulae?.[0] === 'ISTEXT("PerfSheet:x")');
  expect(ours?.ref).toBe('H13:H18');
  expect(ours?.rules[0].style?.font?.bold).toBe(true);
  expect(xs.getCell('L3').dataValidation).toMatchObject({ type: 'list', formulae: ['是,否'], prompt: '请选择' });
  expect(xs.getCell('L4').value).toMatchObject({ text: '看报告' });
  expect(x.getWorksheet('绩效报告')!.pageSetup.orientation).toBe('landscape');

  const names = await readDefinedNames(await XlsxPackage.open(bytes, FORM));
  expect(names).toEqual(
    expect.arrayContaining([
      { name: 'PerfSheet.Profile', ref: '"hebei"', hidden: true },
      expect.objectContaining({ name: '报告起点', ref: "'绩效报告'!$A$1" }),
    ]),
  );
  // The saved file opens again in either host with the same content.
  const again = await SimWps.open(bytes, { fileName: FORM });
  expect(sheet(again, '劳模体检').Range('H13').FormatConditions.Item(1).Formula1).toBe('=ISTEXT("PerfSheet:x")');
  expect(again.app.ActiveWorkbook!.Names.Item('PerfSheet.Profile').Visible).toBe(false);
});

test('one workbook through both hosts: SimWps.fromExcel drives the SimExcel workbook', async () => {
  const excel = await SimExcel.open(fixture(FORM), { fileName: FORM });
  const wps = SimWps.fromExcel(excel);
  sheet(wps, '劳模体检').Range('L2').Value2 = 42;
  expect(excel.cell('劳模体检', 'L2').value).toBe(42);
  excel.userEdit('劳模体检', 'L3', '改');
  expect(sheet(wps, '劳模体检').Range('L3').Value2).toBe('改');
});

test('what ExcelJS drops from workbook.xml is put back: the structure lock and hidden range names', async () => {
  const input = fixture('hostile/r07_protected_sheet_and_workbook.xlsx');
  const sim = await SimWps.open(input, { fileName: 'r07.xlsx' });
  const wb = sim.app.ActiveWorkbook!;
  wb.Names.Add('PerfSheet.Mark.1', '=部门整体!$A$1', false);
  wb.Names.Add('可见', '=部门整体!$B$1');
  expect(wb.Names.Item('PerfSheet.Mark.1').Visible).toBe(false);
  const bytes = await sim.save();
  const names = await readDefinedNames(await XlsxPackage.open(bytes, 'r07.xlsx'));
  expect(names.find((n) => n.name === 'PerfSheet.Mark.1')?.hidden).toBe(true);
  expect(names.find((n) => n.name === '可见')?.hidden).toBe(false);
  const again = await SimWps.open(bytes, { fileName: 'r07.xlsx' });
  expect(again.app.ActiveWorkbook!.ProtectStructure).toBe(true);
  expect(again.app.ActiveWorkbook!.Names.Item('PerfSheet.Mark.1').Visible).toBe(false);
  expect(sheet(again, '劳模体检').ProtectContents).toBe(true);
  // The original lock element (with its password hash, if any) is what is written back.
  const xml = await (await XlsxPackage.open(bytes, 'r07.xlsx')).text('xl/workbook.xml');
  const orig = await (
    await XlsxPackage.open(input, 'r07.xlsx')
  ).text((await (await XlsxPackage.open(input, 'r07.xlsx')).workbookPart())!);
  expect(xml).toContain(/<workbookProtection\b[^>]*\/>/.exec(orig ?? '')![0]);
});
