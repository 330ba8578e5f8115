/**
 * One spec, two renderers: the report written through src/excel/report.ts into the in-memory Excel host
 * (src/excel-sim, with its report-sheet API from src/excel-sim/report-api.ts) and the report written by the ExcelJS
 * renderer are compared cell by cell — value, number format, merge and style — together with sizes,
 * conditional formats, print setup and the marker name. The Office.js path must use at most 3 syncs
 * whatever the size of the report.
 */
import ExcelJS from 'exceljs';
import { colName } from '../../src/domain/grid';
import { buildReportSpec, columnWidthPoints, ReportSpec } from '../../src/domain/report';
import { generateReportInExcel, OPS_PER_SYNC, readExistingSheets, writeReportToExcel } from '../../src/excel/report';
import { SimExcel } from '../../src/excel-sim';
import type { WorkbookResult } from '../../src/domain/types';
import { existingSheetsOf, renderReportToExcelJS } from '../../src/xlsx/report';
import { finding, fixtureResult, indicator, result, SELF_EVAL_FIXTURE, table, TARGET_FIXTURE } from './helpers';
import { SimWps } from '../../src/wps-sim';
import { writeReportToWps } from '../../src/wps/report';

async function loadExcelJS(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

/** Everything the comparison looks at in one cell. */
function cellState(ws: ExcelJS.Worksheet, r: number, c: number) {
  const cell = ws.getCell(r + 1, c + 1);
  const f = cell.font ?? {};
  const b = cell.border ?? {};
  const side = (s: Partial<ExcelJS.Border> | undefined) => (s && s.style ? `${s.style}:${s.color?.argb ?? ''}` : '');
  const fill = cell.fill as ExcelJS.FillPattern | undefined;
  let value: unknown = cell.value;
  if (cell.type === ExcelJS.ValueType.Merge) value = '(merged)';
  return {
    value,
    numFmt: cell.numFmt && cell.numFmt !== '' ? cell.numFmt : 'General',
    font: [f.name ?? '', f.size ?? '', Boolean(f.bold), Boolean(f.italic), Boolean(f.underline), f.color?.argb ?? ''].join('|'),
    fill: fill && fill.type === 'pattern' ? `${fill.pattern}:${fill.fgColor?.argb ?? ''}` : '',
    border: [side(b.top), side(b.bottom), side(b.left), side(b.right)].join('|'),
    align: [cell.alignment?.horizontal ?? '', cell.alignment?.vertical ?? '', Boolean(cell.alignment?.wrapText)].join('|'),
  };
}

function merges(ws: ExcelJS.Worksheet): string[] {
  return [...(ws.model as unknown as { merges: string[] }).merges].sort();
}

/** Renders the spec both ways from the same input bytes; returns both worksheets and the sync count. */
async function renderBoth(bytes: Uint8Array, spec: ReportSpec) {
  const wbA = await loadExcelJS(bytes);
  const wsA = renderReportToExcelJS(wbA, spec);
  const sim = await SimExcel.open(bytes);
  sim.resetCounters();
  const res = await sim.run((ctx) => writeReportToExcel(ctx as never, spec));
  const wsB = sim.model.wb.getWorksheet(spec.sheetName)!;
  return { wbA, wsA, sim, wsB, res };
}

function compareSheets(spec: ReportSpec, wsA: ExcelJS.Worksheet, wsB: ExcelJS.Worksheet): number {
  let compared = 0;
  for (let r = 0; r < spec.rowCount; r++) {
    for (let c = 0; c < spec.colCount; c++) {
      const a = cellState(wsA, r, c);
      const b = cellState(wsB, r, c);
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        throw new Error(`${colName(c)}${r + 1} differs:\nExcelJS ${JSON.stringify(a)}\nOffice  ${JSON.stringify(b)}`);
      }
      compared++;
    }
  }
  expect(merges(wsB)).toEqual(merges(wsA));
  spec.columnWidths.forEach((w, c) => {
    // Office.js sets widths in points: the round trip through points may move a width by 0.01 character.
    expect(Math.abs((wsB.getColumn(c + 1).width ?? 0) - (wsA.getColumn(c + 1).width ?? 0))).toBeLessThanOrEqual(0.011);
    expect(columnWidthPoints(w)).toBeGreaterThan(0);
  });
  spec.rowHeights.forEach((_h, r) => expect(wsB.getRow(r + 1).height).toBe(wsA.getRow(r + 1).height));
  expect(wsB.views[0]).toMatchObject({ state: 'frozen', ySplit: spec.freeze.rows, showGridLines: false });
  const pick = (ws: ExcelJS.Worksheet) => {
    const p = ws.pageSetup;
    return {
      paperSize: p.paperSize,
      orientation: p.orientation,
      fitToPage: p.fitToPage,
      fitToWidth: p.fitToWidth,
      fitToHeight: p.fitToHeight,
      printTitlesRow: p.printTitlesRow,
      horizontalCentered: p.horizontalCentered,
      margins: p.margins,
      footer: ws.headerFooter.oddFooter,
      breaks: (ws as unknown as { rowBreaks: { id: number }[] }).rowBreaks.map((x) => x.id),
      tab: ws.properties.tabColor,
    };
  };
  expect(pick(wsB)).toEqual(pick(wsA));
  return compared;
}

/** The conditional formats as the Office.js path left them, in the spec's terms. */
function simConditionalFormats(sim: SimExcel, sheetName: string) {
  const sheet = sim.model.sheets.find((s) => s.ws.name === sheetName)!;
  return [...sheet.cfs]
    .sort((a, b) => a.priority - b.priority)
    .map((cf) => {
      const bar = (cf as unknown as { dataBar?: { lower: { formula: string }; upper: { formula: string }; fillColor: string } }).dataBar;
      return {
        type: cf.type,
        areas: cf.areas,
        formula: cf.formula,
        fill: cf.fill,
        font: cf.fontColor,
        bar: bar ? [bar.lower.formula, bar.upper.formula, bar.fillColor] : null,
      };
    });
}

function specConditionalFormats(spec: ReportSpec) {
  return spec.conditionalFormats.map((cf) =>
    cf.type === 'dataBar'
      ? { type: 'DataBar', areas: [cf.range], formula: '', fill: null, font: null, bar: [String(cf.min), String(cf.max), `#${cf.color}`] }
      : {
          type: 'Custom',
          areas: [cf.range],
          formula: `=${cf.formula}`,
          fill: cf.fill ? `#${cf.fill}` : null,
          font: cf.font ? `#${cf.font.color}` : null,
          bar: null,
        },
  );
}

let self: { bytes: Buffer; result: WorkbookResult };
let target: { bytes: Buffer; result: WorkbookResult };
beforeAll(async () => {
  self = await fixtureResult(SELF_EVAL_FIXTURE);
  target = await fixtureResult(TARGET_FIXTURE);
});

describe('the same spec through Office.js (in-memory host) and ExcelJS', () => {
  it.each([
    ['self-evaluation 2025', () => self],
    ['target-only 2024', () => target],
  ])('%s: every cell, merge, size, conditional format and print setting agree; 2 syncs', async (_name, get) => {
    const { bytes, result: r } = get();
    const wb = await loadExcelJS(bytes);
    const spec = buildReportSpec(r, { date: '2026-11-21', fileName: 'x.xlsx', existingSheets: existingSheetsOf(wb) });
    const { wbA, wsA, wsB, sim, res } = await renderBoth(bytes, spec);
    expect(sim.syncCount).toBeLessThanOrEqual(3);
    expect(res.syncs).toBe(sim.syncCount);
    const n = compareSheets(spec, wsA, wsB);
    expect(n).toBe(spec.rowCount * spec.colCount);
    expect(simConditionalFormats(sim, spec.sheetName)).toEqual(specConditionalFormats(spec));
    expect(sim.model.wb.definedNames.model).toEqual(wbA.definedNames.model);
    expect(sim.activeSheet).toBe(spec.sheetName);
  });

  it('keeps text as text through Range.values (formula-, number- and date-looking names and messages)', async () => {
    const tricky = ['=SUM(1,2)', '-减少', '+增加', '@人员', '2025', '1/2', '10%', "'引号"];
    const r = result([
      table({
        sheet: '劳模体检',
        name: tricky[0],
        indicators: tricky.map((t, i) => indicator({ row: 13 + i, level3: t, target: t, actual: t, deviation: t, weight: 10, score: 10 })),
        findings: tricky.map((t) => finding({ code: 'V02', sheet: '劳模体检', cell: 'E13', message: t })),
      }),
    ]);
    const wb = await loadExcelJS(self.bytes);
    const spec = buildReportSpec(r, { date: '2026-11-21', existingSheets: existingSheetsOf(wb) });
    const { wsA, wsB, sim } = await renderBoth(self.bytes, spec);
    compareSheets(spec, wsA, wsB);
    // Read back as an Office.js client sees it: values equal the spec's text, and no formula anywhere.
    const addr = `A1:${colName(spec.colCount - 1)}${spec.rowCount}`;
    const seen = await sim.run(async (ctx) => {
      const range = ctx.workbook.worksheets.getItem(spec.sheetName).getRange(addr);
      range.load('values,formulas');
      await ctx.sync();
      return { values: range.values, formulas: range.formulas };
    });
    for (const c of spec.cells) {
      if (typeof c.value === 'string') expect(seen.values[c.row][c.col]).toBe(c.value);
      expect(seen.formulas[c.row][c.col]).toBe(seen.values[c.row][c.col]);
    }
    for (const t of tricky) expect(spec.cells.some((c) => c.value === t)).toBe(true);
  });

  it('stays within the 5 MB request limit for 200 tables (≈ 4,000 indicator rows): the merges take extra syncs', async () => {
    const tables = Array.from({ length: 200 }, (_, i) =>
      table({
        sheet: `表${i + 1}`,
        name: `项目${i + 1}`,
        indicators: Array.from({ length: 20 }, (_x, k) =>
          indicator({ row: 13 + k, level1: k < 10 ? '产出指标' : '效益指标', level2: k % 2 ? '数量指标' : '质量指标', level3: `指标${k + 1}`, weight: 4.5, score: 4.5 }),
        ),
        findings: [finding({ code: 'C07', sheet: `表${i + 1}`, cell: 'I16' })],
      }),
    );
    const r = result(tables);
    const bytes = new Uint8Array((await new ExcelJS.Workbook().xlsx.writeBuffer().catch(() => new ArrayBuffer(0))) as ArrayBuffer);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1');
    const input = bytes.length ? new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer) : bytes;
    const spec = buildReportSpec(r, { date: '2026-11-21', existingSheets: [{ name: 'Sheet1', createdByAddin: false }] });
    expect(spec.rowCount).toBeGreaterThan(4000);
    const sim = await SimExcel.open(input);
    sim.resetCounters();
    const res = await sim.run((ctx) => writeReportToExcel(ctx as never, spec));
    // Measured through Microsoft's client: one request for all 20,000+ merges would be 12 MB.
    expect(spec.merges.length).toBeGreaterThan(OPS_PER_SYNC * 3);
    expect(res.syncs).toBe(2 + Math.floor((spec.merges.length + spec.cells.filter((c) => c.link && typeof c.value === 'string').length) / OPS_PER_SYNC));
    expect(sim.syncCount).toBe(res.syncs);
    expect(sim.maxPayload).toBeLessThan(5 * 1024 * 1024);
    const ws = sim.model.wb.getWorksheet(spec.sheetName)!;
    expect(ws.rowCount).toBe(spec.rowCount);
  }, 60_000);
});

describe('generateReportInExcel (the task pane’s 「生成报告」)', () => {
  it('replaces only its own report on a second run, and leaves a user’s sheet of that name alone', async () => {
    const sim = await SimExcel.open(self.bytes);
    const run = () => sim.run((ctx) => generateReportInExcel(ctx as never, self.result, { date: '2026-11-21' }));
    sim.resetCounters();
    const first = await run();
    expect(sim.syncCount).toBe(2);
    expect(first.sheetName).toBe('绩效自评报告');
    const count = sim.model.sheets.length;
    sim.resetCounters();
    const second = await run();
    expect(sim.syncCount).toBe(2);
    expect(second).toMatchObject({ sheetName: '绩效自评报告', replaced: '绩效自评报告' });
    expect(sim.model.sheets.length).toBe(count);
    const marks = await sim.run((ctx) => readExistingSheets(ctx as never));
    expect(marks.filter((s) => s.createdByAddin).map((s) => s.name)).toEqual(['绩效自评报告']);

    // A user's sheet of the same name: the report goes to 绩效自评报告(2) and the user's sheet is untouched.
    const wb = await loadExcelJS(self.bytes);
    const mine = wb.addWorksheet('绩效自评报告');
    mine.getCell('A1').value = '我的报告';
    const sim2 = await SimExcel.open(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    const r1 = await sim2.run((ctx) => generateReportInExcel(ctx as never, self.result, { date: '2026-11-21' }));
    const r2 = await sim2.run((ctx) => generateReportInExcel(ctx as never, self.result, { date: '2026-11-21' }));
    expect([r1.sheetName, r1.replaced, r2.sheetName, r2.replaced]).toEqual(['绩效自评报告(2)', null, '绩效自评报告(2)', '绩效自评报告(2)']);
    expect(sim2.model.wb.getWorksheet('绩效自评报告')!.getCell('A1').value).toBe('我的报告');
    expect(sim2.model.sheets.map((s) => s.ws.name).filter((n) => n.startsWith('绩效'))).toEqual(['绩效自评报告', '绩效自评报告(2)']);
  });

  it('refuses a spec whose sheet has meanwhile been taken by the user (Chinese message, nothing written)', async () => {
    const spec = buildReportSpec(self.result, { date: '2026-11-21', existingSheets: [] });
    const wb = await loadExcelJS(self.bytes);
    wb.addWorksheet('绩效自评报告').getCell('A1').value = '用户的表';
    const sim = await SimExcel.open(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    await expect(sim.run((ctx) => writeReportToExcel(ctx as never, spec))).rejects.toThrow('已存在且不是本插件生成的');
    expect(sim.model.wb.getWorksheet('绩效自评报告')!.getCell('A1').value).toBe('用户的表');
  });
});

describe('the same spec through WPS (in-memory WPS host) and ExcelJS', () => {
  it.each([
    ['self-evaluation 2025', () => self],
    ['target-only 2024', () => target],
  ])('%s: every cell, merge, size, conditional format and print setting agree', async (_name, get) => {
    const { bytes, result: r } = get();
    const wb = await loadExcelJS(bytes);
    const spec = buildReportSpec(r, { date: '2026-11-21', fileName: 'x.xlsx', existingSheets: existingSheetsOf(wb) });
    const wbA = await loadExcelJS(bytes);
    const wsA = renderReportToExcelJS(wbA, spec);
    const wps = await SimWps.open(bytes);
    writeReportToWps(wps.app, spec);
    const wsW = wps.model.wb.getWorksheet(spec.sheetName)!;
    expect(compareSheets(spec, wsA, wsW)).toBe(spec.rowCount * spec.colCount);
    expect(simConditionalFormats(wps.excel, spec.sheetName)).toEqual(specConditionalFormats(spec));
    expect(wps.activeSheet).toBe(spec.sheetName);
  });
});
