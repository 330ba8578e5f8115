/**
 * Reading .xlsx files: every valid package, in bounded time and memory, and a message saying what a file is
 * when it is no workbook. The hostile files are copies of ../shared/hostile (see its README).
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { readFileSync } from 'fs';
import path from 'path';
import { analyzeWorkbook } from '../../src/domain/engine';
import { SheetGrid } from '../../src/domain/grid';
import { parseSheetXml, slideFormula } from '../../src/xlsx/grid-reader';
import { InputError, loadWorkbook, readWorkbookBytes, workbookFromExcelJS } from '../../src/xlsx/read';

const HOSTILE = path.join(__dirname, '..', 'fixtures', 'hostile');
const FIX = path.join(__dirname, '..', 'fixtures');
const SELF = path.join(FIX, '石家庄市总工会_2025_绩效自评表.xlsx');
const hostile = (f: string) => readFileSync(path.join(HOSTILE, f));

/** The fixture with one sheet's XML changed (for merges and cells no writer of ours produces). */
async function patchSheet(bytes: Uint8Array, sheetPart: string, edit: (xml: string) => string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file(sheetPart)!.async('string');
  zip.file(sheetPart, edit(xml));
  return zip.generateAsync({ type: 'nodebuffer' });
}

async function rejection(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    return e as InputError;
  }
  throw new Error('expected a rejection');
}

describe('valid packages other writers produce', () => {
  it.each([
    ['c20_image.xlsx', 5],
    ['c20_chart.xlsx', 5],
    ['c23_lo_chart_image_pivot_notes.xlsx', 5],
    ['c11a_sheet_names_quotes_bang.xlsx', 5],
    ['r24_core_dates_empty.xlsx', 5],
  ])('%s is read and checked like any workbook, through the grid reader and through ExcelJS', async (file, tables) => {
    const bytes = hostile(file);
    const grid = await readWorkbookBytes(bytes, file);
    const r = analyzeWorkbook(grid);
    expect(r.tables).toHaveLength(tables);
    expect(r.tables.find((t) => t.name === '省部级以上劳模体检费')).toMatchObject({ totalScore: 99.76, grade: '优' });
    // loadWorkbook (the in-memory Excel host, the preview) reads the same package into the same grid.
    const wb = await loadWorkbook(bytes, file);
    const viaExcelJS = analyzeWorkbook(workbookFromExcelJS(wb, file));
    expect(viaExcelJS.tables.map((t) => [t.sheet, t.range, t.totalScore])).toEqual(r.tables.map((t) => [t.sheet, t.range, t.totalScore]));
  });

  it('c20_image keeps its image through loadWorkbook (absolute targets and unprefixed drawing XML normalised)', async () => {
    const wb = await loadWorkbook(hostile('c20_image.xlsx'));
    const images = wb.worksheets.flatMap((ws) => ws.getImages());
    expect(images).toHaveLength(1);
  });

  it('sheet names with quotes, bangs and percent signs are read as written', async () => {
    const grid = await readWorkbookBytes(hostile('c11a_sheet_names_quotes_bang.xlsx'));
    expect(grid.sheets.map((s) => s.name)).toEqual(expect.arrayContaining(["劳模体检'表!第1版", 'It\'s 100% "好"']));
  });

  it('the grid reader sees the same cells as ExcelJS on the published fixtures (numbers kept exact)', async () => {
    for (const file of [SELF, path.join(FIX, '石家庄市总工会_2024_项目绩效目标表.xlsx')]) {
      const bytes = readFileSync(file);
      const mine = await readWorkbookBytes(bytes);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      const theirs = workbookFromExcelJS(wb);
      expect(mine.sheets.map((s) => s.name)).toEqual(theirs.sheets.map((s) => s.name));
      mine.sheets.forEach((s, i) => {
        const o = theirs.sheets[i];
        const key = (m: { r0: number; c0: number; r1: number; c1: number }) => `${m.r0},${m.c0},${m.r1},${m.c1}`;
        expect(s.merges.map(key).sort()).toEqual(o.merges.map(key).sort());
        for (let r = 0; r < Math.max(s.rowCount, o.rowCount); r++) {
          for (let c = 0; c < Math.max(s.colCount, o.colCount); c++) {
            expect([r, c, s.raw(r, c) ?? null]).toEqual([r, c, o.raw(r, c) ?? null]);
          }
        }
      });
    }
  });
});

describe('files that are no workbook say what they are (never 内部错误)', () => {
  it.each([
    ['ods_renamed.xlsx', /这是 OpenDocument 表格（\.ods）文件.*另存为 \.xlsx/],
    ['zip_not_xlsx.xlsx', /普通的 zip 压缩包.*不是 Excel 工作簿/],
    ['r19g_workbook_xml_missing.xlsx', /缺少工作簿主体部件（xl\/workbook\.xml）/],
  ])('%s', async (file, msg) => {
    for (const read of [readWorkbookBytes, loadWorkbook]) {
      const e = await rejection(read(hostile(file), file));
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toMatch(msg);
      expect(e.message).toContain(file);
      expect(e.message).not.toContain('内部错误');
    }
  });

  it('a Word document renamed .xlsx is named as one', async () => {
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
    zip.file('word/document.xml', '<w:document xmlns:w="x"/>');
    const e = await rejection(readWorkbookBytes(await zip.generateAsync({ type: 'uint8array' }), 'a.xlsx'));
    expect(e.message).toContain('Word 文档');
  });
});

describe('bounded reading', () => {
  it('r13c: a whole-sheet merge beside the data is read in bounded time and memory', async () => {
    const t = Date.now();
    const grid = await readWorkbookBytes(hostile('r13c_whole_sheet_merge.xlsx'));
    const wb = await loadWorkbook(hostile('r13c_whole_sheet_merge.xlsx'));
    expect(Date.now() - t).toBeLessThan(10_000);
    const sheet = grid.sheets.find((s) => s.name === '劳模体检')!;
    expect(sheet.colCount).toBe(10);
    expect(analyzeWorkbook(grid).tables).toHaveLength(5);
    expect(wb.worksheets).toHaveLength(5);
  });

  it('a whole-sheet merge over the data is clipped to the data, and still resolves there', async () => {
    const bytes = await patchSheet(readFileSync(SELF), 'xl/worksheets/sheet2.xml', (xml) =>
      xml.replace(/<mergeCells[\s\S]*?<\/mergeCells>/, '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'),
    );
    const sheet = (await readWorkbookBytes(bytes)).sheets[1];
    expect(sheet.merges).toEqual([{ r0: 0, c0: 0, r1: sheet.rowCount - 1, c1: sheet.colCount - 1 }]);
    expect(sheet.colCount).toBe(10);
    const title = sheet.raw(0, 0)!.value;
    expect(typeof title).toBe('string');
    expect(sheet.value(sheet.rowCount - 1, 9)).toBe(title);
    const ws = (await loadWorkbook(bytes)).worksheets[1];
    expect(ws.model.merges).toEqual([`A1:J${sheet.rowCount}`]);
  });

  it('r14: 10,000 merged areas beside the data; a generated 20,000 merges over data, read and indexed', async () => {
    const r14 = await readWorkbookBytes(hostile('r14_merges_10000.xlsx'));
    expect(analyzeWorkbook(r14).tables).toHaveLength(5);
    const rows: string[] = [];
    const merges: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      rows.push(`<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c><c r="B${i + 1}" t="inlineStr"><is><t>x${i}</t></is></c><c r="D${i + 1}"/></row>`);
      merges.push(`<mergeCell ref="B${i + 1}:D${i + 1}"/>`);
    }
    const bytes = await patchSheet(readFileSync(SELF), 'xl/worksheets/sheet2.xml', (xml) =>
      xml
        .replace(/<sheetData[\s\S]*?<\/sheetData>/, `<sheetData>${rows.join('')}</sheetData>`)
        .replace(/<mergeCells[\s\S]*?<\/mergeCells>/, `<mergeCells count="20000">${merges.join('')}</mergeCells>`),
    );
    let t = Date.now();
    const sheet = (await readWorkbookBytes(bytes)).sheets[1];
    expect(Date.now() - t).toBeLessThan(10_000); // ExcelJS alone: 34 s
    expect(sheet.merges).toHaveLength(20_000);
    expect(sheet.value(19_999, 3)).toBe('x19999');
    expect(sheet.value(12_345, 2)).toBe('x12345');
    expect(sheet.value(12_345, 0)).toBe(12_345);
    t = Date.now();
    const ws = (await loadWorkbook(bytes)).worksheets[1];
    expect(Date.now() - t).toBeLessThan(20_000);
    expect(ws.getCell('C20000').value).toBe('x19999');
    expect(ws.model.merges).toHaveLength(20_000);
  });

  it('c26: 60,000 header rows are read and checked without a stack overflow', async () => {
    const grid = await readWorkbookBytes(hostile('c26_60000_header_rows.xlsx'));
    expect(grid.sheets[0].rowCount).toBe(60_000);
    expect(() => analyzeWorkbook(grid)).not.toThrow();
  }, 120_000);
});

describe('cells as the add-in reads them', () => {
  it('every member of an array formula carries the formula (r04), so none is taken for a value', async () => {
    const grid = await readWorkbookBytes(hostile('r04_array_formulas_in_computed_cells.xlsx'));
    const s = grid.sheets.find((x) => x.name === '劳模体检')!;
    for (let r = 12; r <= 17; r++) expect(s.raw(r, 7)?.formula).toBe('G13:G18*1');
    expect(s.raw(5, 9)?.formula).toBe('G6/F6*{1,10}');
  });

  it('a formula with a cached 0 keeps its 0 (c04c)', async () => {
    const s = (await readWorkbookBytes(hostile('c04c_total_is_sum_formula.xlsx'))).sheets[0];
    expect(s.raw(18, 7)).toEqual({ value: 0, formula: 'SUM(H13:H18)+J6' });
  });

  it('shared formulas, inline and rich strings, booleans, errors, escapes, dates and styles', () => {
    const xml = `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
      <x:row r="1"><x:c r="A1"><x:f t="shared" si="0" ref="A1:A3">B1*$C$1+SUM(B1:B2)</x:f><x:v>1</x:v></x:c>
        <x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="b"><x:v>1</x:v></x:c><x:c r="D1" t="e"><x:v>#REF!</x:v></x:c></x:row>
      <x:row r="2"><x:c r="A2"><x:f t="shared" si="0"/><x:v>2</x:v></x:c><x:c r="B2" t="inlineStr"><x:is><x:r><x:t>a&amp;</x:t></x:r><x:r><x:t xml:space="preserve"> b_x000D_</x:t></x:r><x:rPh><x:t>ignored</x:t></x:rPh></x:is></x:c>
        <x:c r="C2" s="1"><x:v>6.64</x:v></x:c><x:c r="D2" t="d"><x:v>2025-01-06T00:00:00</x:v></x:c><x:c r="E2" s="1"/></x:row>
      <x:row><x:c><x:v>7</x:v></x:c><x:c t="str"><x:f>"a"&amp;"&lt;"</x:f><x:v>a&lt;</x:v></x:c></x:row>
      </x:sheetData><x:mergeCells><x:mergeCell ref="E1:G2"/><x:mergeCell ref="H1:H9"/></x:mergeCells></x:worksheet>`;
    const p = parseSheetXml(xml, ['zero', '一'], [undefined, 'yyyy"年"m"月"d"日"']);
    const g = new SheetGrid('S', p.rows, p.merges, p.extent);
    expect(g.raw(0, 0)).toEqual({ value: 1, formula: 'B1*$C$1+SUM(B1:B2)' });
    expect(g.raw(1, 0)).toEqual({ value: 2, formula: 'B2*$C$1+SUM(B2:B3)' });
    expect(g.value(0, 1)).toBe('一');
    expect(g.value(0, 2)).toBe(true);
    expect(g.value(0, 3)).toEqual({ error: '#REF!' });
    expect(g.value(1, 1)).toBe('a& b\r');
    expect(g.raw(1, 2)).toEqual({ value: 6.64, numFmt: 'yyyy"年"m"月"d"日"' });
    expect(g.value(1, 3)).toBe(45663);
    expect(g.raw(1, 4)).toBeUndefined();
    expect(g.value(2, 0)).toBe(7);
    expect(g.raw(2, 1)).toEqual({ value: 'a<', formula: '"a"&"<"' });
    expect(p.extent).toEqual({ rows: 3, cols: 5 });
    // Anchored in the data and no larger than it: kept whole; anchored beyond the data: nothing to show.
    expect(g.merges).toEqual([{ r0: 0, c0: 4, r1: 1, c1: 6 }]);
    expect(g.colCount).toBe(7);
    expect(g.value(1, 6)).toBe(g.value(0, 4));
  });

  it('slides a shared formula as Excel does: relative references move, absolute ones and names stay', () => {
    expect(slideFormula('A1+$B$2+B$3+$C4+LOG10(A1)+Sheet2!A1', { r: 0, c: 0 }, { r: 2, c: 1 })).toBe('B3+$B$2+C$3+$C6+LOG10(B3)+Sheet2!B3');
  });
});
