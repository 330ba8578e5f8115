/**
 * New forms through the Office.js renderer (src/excel/template.ts) in the in-memory host: what the pane's
 * 「新建表格」 and 目标表 → 自评表 will do. Same cells, merges, validations, names and list sheet as the ExcelJS
 * renderer; never on top of a user's sheet; the checker reads the forms and scores values typed into them.
 */
import ExcelJS from 'exceljs';
import { a1 } from '../../src/domain/grid';
import { buildTemplateSpec, LEVEL1_NAME, TemplateSpec } from '../../src/domain/templates';
import { insertSelfEvalsInExcel, insertTemplateInExcel, writeTemplatesToExcel } from '../../src/excel/template';
import { SimExcel } from '../../src/excel-sim';
import { ExcelSession } from '../../src/excel/session';
import { renderTemplatesToExcelJS } from '../../src/xlsx/template';
import { FIXTURE_2024, openFixture } from '../excel/helpers';

type Dv = Record<string, unknown>;

function validations(ws: ExcelJS.Worksheet): Record<string, Dv> {
  const model = (ws as unknown as { dataValidations: { model: Record<string, Dv> } }).dataValidations.model;
  const out: Record<string, Dv> = {};
  for (const [k, v] of Object.entries(model)) {
    // Normalise what each side leaves undefined.
    out[k] = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== false));
  }
  return out;
}

function names(wb: ExcelJS.Workbook): Record<string, string> {
  return Object.fromEntries((wb.definedNames.model as { name: string; ranges: string[] }[]).map((d) => [d.name, d.ranges.join(',')]));
}

describe('Office.js template renderer in the in-memory host', () => {
  it('matches the ExcelJS renderer: values, number formats, merges, validations, names, hidden list sheet', async () => {
    const spec: TemplateSpec = buildTemplateSpec({ kind: 'self-eval', rows: 7, year: 2025 });
    const sim = SimExcel.fromValues({ 封面: [['说明']] });
    sim.resetCounters();
    const r = await sim.run((ctx) => writeTemplatesToExcel(ctx as never, [spec]));
    expect(sim.syncCount).toBe(2);
    expect(r.sheetNames).toEqual([spec.sheetName]);

    const ref = new ExcelJS.Workbook();
    renderTemplatesToExcelJS(ref, [spec]);
    const got = sim.model.wb;
    const a = got.getWorksheet(spec.sheetName)!;
    const b = ref.getWorksheet(spec.sheetName)!;
    for (let row = 1; row <= spec.rowCount; row++) {
      for (let col = 1; col <= spec.colCount; col++) {
        const x = a.getCell(row, col);
        const y = b.getCell(row, col);
        const fx = (x.value as { formula?: string } | null)?.formula;
        const fy = (y.value as { formula?: string } | null)?.formula;
        if (fy) expect(fx?.replace(/^=/, '')).toBe(fy);
        else if (y.type !== ExcelJS.ValueType.Merge) expect([x.address, x.value ?? '']).toEqual([y.address, y.value ?? '']);
        expect([x.address, x.numFmt || 'General']).toEqual([y.address, y.numFmt || 'General']);
        expect([x.address, Boolean(x.border?.top)]).toEqual([y.address, Boolean(y.border?.top)]);
      }
    }
    expect([...(a.model.merges ?? [])].sort()).toEqual([...(b.model.merges ?? [])].sort());
    expect(validations(a)).toEqual(validations(b));
    expect(names(got)).toEqual(names(ref));
    const lists = got.getWorksheet(spec.lists.sheetName)!;
    expect(lists.state).toBe('hidden');
    expect(lists.getCell('A1').value).toBe('产出指标');
    expect(a.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait', fitToWidth: 1 });
    // The file saved from the host keeps the dropdowns.
    const again = await SimExcel.open(await sim.save());
    const v = again.model.wb.getWorksheet(spec.sheetName)!.getCell(a1(spec.layout.firstIndicatorRow, spec.layout.cols.level1)).dataValidation;
    expect(v).toMatchObject({ type: 'list', formulae: [LEVEL1_NAME] });
  });

  it('never writes on a user’s sheet: a taken name gets (2); a user sheet named like the list sheet is left alone', async () => {
    const sim = SimExcel.fromValues({ 项目支出绩效自评表: [['我的表']], 指标名称列表: [['我的列表']] });
    const r = await sim.run((ctx) => insertTemplateInExcel(ctx as never, { kind: 'self-eval', year: 2025 }));
    expect(r.sheetNames).toEqual(['项目支出绩效自评表(2)']);
    expect(r.listSheet).toBe('指标名称列表(2)');
    expect(sim.model.wb.getWorksheet('项目支出绩效自评表')!.getCell('A1').value).toBe('我的表');
    expect(sim.model.wb.getWorksheet('指标名称列表')!.getCell('A1').value).toBe('我的列表');
    // A second form reuses the add-in's own list sheet.
    const r2 = await sim.run((ctx) => insertTemplateInExcel(ctx as never, { kind: 'target', year: 2025 }));
    expect(r2.listSheet).toBe('指标名称列表(2)');
    expect(sim.sheetNames().filter((n) => n.startsWith('指标名称列表'))).toHaveLength(2);
  });

  it('a value typed into the form’s cells is checked and scored by the session', async () => {
    const sim = SimExcel.fromValues({ 封面: [['说明']] });
    const { spec } = await sim.run((ctx) => insertTemplateInExcel(ctx as never, { kind: 'self-eval', rows: 2, year: 2025 }));
    const s = new ExcelSession(sim);
    const blank = await s.check();
    expect(blank.result.tables.map((t) => [t.sheet, t.kind, t.indicators.length])).toEqual([[spec.sheetName, 'self-eval', 0]]);
    expect(blank.result.summary.errors).toBe(0);
    // rows = 2 → 产出 (weight 50 + … split) and 效益: type 三级, target, actual into the first row.
    const r0 = spec.layout.firstIndicatorRow;
    const c = spec.layout.cols;
    await sim.run(async (ctx) => {
      const ws = (ctx as never as { workbook: { worksheets: { getItem(n: string): { getRange(a: string): { values: unknown[][] } } } } }).workbook.worksheets.getItem(spec.sheetName);
      ws.getRange(`${a1(r0, c.level2)}`).values = [['质量指标']];
      ws.getRange(`${a1(r0, c.level3)}:${a1(r0, c.actual!)}`).values = [['合格率', '≥95%', '90%']];
    });
    const filled = await s.check();
    const t = filled.result.tables[0];
    expect(t.indicators).toHaveLength(1);
    expect(t.indicators[0]).toMatchObject({ level1: '产出指标', level2: '质量指标', target: '≥95%', actual: '90%' });
    const w = t.indicators[0].weight!;
    expect(t.indicators[0].score).toBeCloseTo((90 / 95) * w, 2);
  });

  it('目标表 → 自评表 on the 2024 workbook adds six 自评表 sheets beside the targets', async () => {
    const sim = await openFixture(FIXTURE_2024);
    const s = new ExcelSession(sim);
    const before = await s.check();
    const targets = before.result.tables.filter((t) => t.kind === 'target');
    expect(targets).toHaveLength(6);
    sim.resetCounters();
    const r = await sim.run((ctx) => insertSelfEvalsInExcel(ctx as never, targets));
    expect(sim.syncCount).toBe(2);
    expect(r.sheetNames).toEqual(targets.map((t) => t.name));
    const after = await s.check();
    const evals = after.result.tables.filter((t) => t.kind === 'self-eval');
    expect(evals.map((t) => t.name)).toEqual(targets.map((t) => t.name));
    evals.forEach((t, i) => {
      expect(t.indicators.map((x) => [x.level3, x.target])).toEqual(targets[i].indicators.map((x) => [x.level3, x.target]));
      expect(Math.round(t.indicators.reduce((a, x) => a + (x.weight ?? 0), 0) * 100)).toBe(9000);
    });
    expect(after.result.tables.filter((t) => t.kind === 'target')).toHaveLength(6);
  });
});
