/**
 * The ExcelJS renderer: every cell, format, merge, size, conditional format and print setting of the spec
 * lands in the workbook; the file round-trips; running again replaces only the add-in's own sheet.
 */
import ExcelJS from 'exceljs';
import { colName } from '../../src/domain/grid';
import { buildReportSpec, ReportSpec } from '../../src/domain/report';
import type { WorkbookResult } from '../../src/domain/types';
import { readWorkbookBytes } from '../../src/xlsx/read';
import { addReportToXlsx, existingSheetsOf, renderReportToExcelJS } from '../../src/xlsx/report';
import { finding, fixtureResult, result, SELF_EVAL_FIXTURE, table } from './helpers';

// jszip ships with ExcelJS; the tests use it to look at the written XML itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const JSZip = require('jszip');

const OPTS = { date: '2026-11-21', existingSheets: [] };

let fixture: { bytes: Buffer; result: WorkbookResult };
beforeAll(async () => {
  fixture = await fixtureResult(SELF_EVAL_FIXTURE);
});

function render(spec: ReportSpec): { wb: ExcelJS.Workbook; ws: ExcelJS.Worksheet } {
  const wb = new ExcelJS.Workbook();
  const ws = renderReportToExcelJS(wb, spec);
  return { wb, ws };
}

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

describe('renderReportToExcelJS', () => {
  it('writes every cell with its value, number format and style, on every cell of a merged area', () => {
    const spec = buildReportSpec(fixture.result, OPTS);
    const { ws } = render(spec);
    for (const c of spec.cells) {
      const st = spec.styles[c.style];
      const cell = ws.getCell(c.row + 1, c.col + 1);
      if (c.link) expect(cell.value).toEqual({ text: c.value, hyperlink: c.link.ref, tooltip: `转到 ${c.value}` });
      else expect(cell.value).toBe(c.value);
      for (let r = c.row; r < c.row + c.rowSpan; r++) {
        for (let k = c.col; k < c.col + c.colSpan; k++) {
          const x = ws.getCell(r + 1, k + 1);
          expect(x.numFmt).toBe(st.numFmt);
          expect(x.font).toMatchObject({ name: st.font.name, size: st.font.size, bold: st.font.bold, color: { argb: `FF${st.font.color}` } });
          expect(x.alignment).toMatchObject({ horizontal: st.hAlign, wrapText: st.wrap });
          if (st.border) expect(x.border?.bottom).toEqual({ style: 'thin', color: { argb: 'FF000000' } });
          else expect(x.border).toBeUndefined();
          if (st.fill) expect(x.fill).toEqual({ type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${st.fill}` } });
        }
      }
    }
  });

  it('merges, sizes, freezes and sets up printing as the spec says', () => {
    const spec = buildReportSpec(fixture.result, OPTS);
    const { wb, ws } = render(spec);
    const merges = (ws.model as unknown as { merges: string[] }).merges.slice().sort();
    const expected = spec.merges.map((m) => `${colName(m.c0)}${m.r0 + 1}:${colName(m.c1)}${m.r1 + 1}`).sort();
    expect(merges).toEqual(expected);
    spec.columnWidths.forEach((w, i) => expect(ws.getColumn(i + 1).width).toBe(w));
    spec.rowHeights.forEach((h, i) => expect(ws.getRow(i + 1).height).toBe(h));
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2, xSplit: 0, showGridLines: false });
    expect(ws.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:2',
      horizontalCentered: true,
    });
    expect(ws.headerFooter.oddFooter).toBe('&C第 &P 页，共 &N 页');
    const breaks = (ws as unknown as { rowBreaks: { id: number }[] }).rowBreaks.map((b) => b.id);
    expect(breaks).toEqual(spec.print.rowBreaks);
    const cfs = (ws as unknown as { conditionalFormattings: { ref: string; rules: { type: string }[] }[] }).conditionalFormattings;
    expect(cfs.map((c) => c.rules[0].type)).toEqual(spec.conditionalFormats.map((c) => c.type));
    expect(wb.definedNames.model).toEqual([{ name: 'PerfSheet_SelfEvalReport', ranges: ["'绩效自评报告'!$A$1"] }]);
  });

  it('writes internal hyperlinks with a location only, and text that looks like a formula as text', async () => {
    const r = result([
      table({
        sheet: '表 一',
        name: '=HYPERLINK("http://evil","x")',
        findings: [finding({ code: 'C07', sheet: '表 一', cell: 'I16', message: '+1 说明' }), finding({ code: 'C08', sheet: '表 一', cell: 'F13', message: '@提示' })],
      }),
    ]);
    const spec = buildReportSpec(r, { ...OPTS, existingSheets: [{ name: '表 一', createdByAddin: false }] });
    const { wb } = render(spec);
    wb.addWorksheet('表 一').getCell('A1').value = 'x';
    const bytes = await wb.xlsx.writeBuffer();
    const zip = await JSZip.loadAsync(bytes);
    const sheetXml: string = (await zip.file('xl/worksheets/sheet1.xml').async('string')).replace(/&apos;/g, "'");
    expect(sheetXml).toContain(`location="'表 一'!I16"`);
    expect(sheetXml).toContain(`location="'表 一'!F13"`);
    expect(sheetXml).not.toMatch(/<hyperlink[^>]*r:id=/);
    const rels = zip.file('xl/worksheets/_rels/sheet1.xml.rels');
    if (rels) expect(await rels.async('string')).not.toContain('hyperlink');
    expect(sheetXml).not.toContain('<f>');
    const back = await load(new Uint8Array(bytes as ArrayBuffer));
    const ws = back.getWorksheet('绩效自评报告')!;
    const texts: string[] = [];
    ws.eachRow((row) => row.eachCell((c) => {
      if (c.type === ExcelJS.ValueType.String) texts.push(String(c.value));
      expect(c.type).not.toBe(ExcelJS.ValueType.Formula);
    }));
    expect(texts).toEqual(expect.arrayContaining(['=HYPERLINK("http://evil","x")', '+1 说明', '@提示']));
  });
});

describe('addReportToXlsx', () => {
  it('adds the report and leaves every other sheet as it was', async () => {
    const out = await addReportToXlsx(fixture.bytes, fixture.result, { fileName: '石家庄市总工会_2025_绩效自评表.xlsx', date: '2026-11-21' });
    const before = await readWorkbookBytes(fixture.bytes);
    const after = await readWorkbookBytes(out);
    // The engine's reader leaves the add-in's own report sheet out; ExcelJS shows it is there.
    expect(after.sheets.map((s) => s.name)).toEqual(before.sheets.map((s) => s.name));
    expect((await load(out)).worksheets.map((w) => w.name)).toEqual([...before.sheets.map((s) => s.name), '绩效自评报告']);
    for (const s of before.sheets) {
      const t = after.sheets.find((x) => x.name === s.name)!;
      expect(t.merges).toEqual(s.merges);
      for (let r = 0; r < Math.max(s.rowCount, t.rowCount); r++) {
        for (let c = 0; c < Math.max(s.colCount, t.colCount); c++) expect(t.raw(r, c)).toEqual(s.raw(r, c));
      }
    }
    const wb = await load(out);
    expect(wb.getWorksheet('绩效自评报告')!.getCell('A1').value).toBe('石家庄市总工会2025年度预算绩效自评结果');
  });

  it('replaces its own report when run again, and never a sheet the user made', async () => {
    const opts = { date: '2026-11-21' };
    const once = await addReportToXlsx(fixture.bytes, fixture.result, opts);
    const twice = await addReportToXlsx(once, fixture.result, { date: '2026-11-22' });
    const wb2 = await load(twice);
    expect(wb2.worksheets.map((w) => w.name).filter((n) => n.startsWith('绩效'))).toEqual(['绩效自评报告']);
    expect(String(wb2.getWorksheet('绩效自评报告')!.getCell('A2').value)).toContain('2026年11月22日');
    expect(existingSheetsOf(wb2).find((s) => s.name === '绩效自评报告')?.createdByAddin).toBe(true);

    // A user's own sheet called 绩效自评报告 (no marker): the report goes to 绩效自评报告(2).
    const user = await load(fixture.bytes);
    const mine = user.addWorksheet('绩效自评报告');
    mine.getCell('A1').value = '我自己写的报告';
    mine.getCell('B2').value = 42;
    const userBytes = new Uint8Array((await user.xlsx.writeBuffer()) as ArrayBuffer);
    const a = await addReportToXlsx(userBytes, fixture.result, opts);
    const b = await addReportToXlsx(a, fixture.result, opts);
    const wb = await load(b);
    expect(wb.worksheets.map((w) => w.name).filter((n) => n.startsWith('绩效'))).toEqual(['绩效自评报告', '绩效自评报告(2)']);
    expect(wb.getWorksheet('绩效自评报告')!.getCell('A1').value).toBe('我自己写的报告');
    expect(wb.getWorksheet('绩效自评报告')!.getCell('B2').value).toBe(42);
    expect(wb.getWorksheet('绩效自评报告(2)')!.getCell('A1').value).toBe('石家庄市总工会2025年度预算绩效自评结果');
    expect(wb.definedNames.model).toEqual([{ name: 'PerfSheet_SelfEvalReport', ranges: ["'绩效自评报告(2)'!$A$1"] }]);
  });

  it('refuses to write over a sheet the add-in did not make', () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('绩效自评报告');
    const spec = buildReportSpec(fixture.result, OPTS); // built as if the name were free
    expect(() => renderReportToExcelJS(wb, spec)).toThrow('已存在且不是本插件生成的');
  });
});
