/**
 * Templates (issue #9): the spec of a new form, its ExcelJS rendering (validations, names, hidden list sheet,
 * print setup), how the engine reads a blank and a filled-in template, and 目标表 → 自评表 conversion.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { readFileSync } from 'fs';
import path from 'path';
import { analyzeWorkbook } from '../../src/domain/engine';
import { a1, Area } from '../../src/domain/grid';
import { BUILTIN_PROFILES, findLevel1 } from '../../src/domain/profiles';
import {
  buildTemplateSpec,
  defaultRows,
  defaultWeights,
  freeSheetName,
  LEVEL1_NAME,
  LIST_MARKER,
  selfEvalsFromTargets,
  splitEvenly,
  TEMPLATE_KINDS,
  TemplateKind,
  TemplateSpec,
} from '../../src/domain/templates';
import type { TableResult, WorkbookResult } from '../../src/domain/types';
import { readWorkbookBytes } from '../../src/xlsx/read';
import { ownListSheetOf, renderTemplatesToExcelJS, templatesToXlsx } from '../../src/xlsx/template';

const TARGET_FIXTURE = path.join(__dirname, '..', 'fixtures', '石家庄市总工会_2024_项目绩效目标表.xlsx');
const central = BUILTIN_PROFILES.central;

const cents = (xs: number[]) => xs.reduce((a, x) => a + Math.round(x * 100), 0);

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

async function analyze(bytes: Uint8Array, name = 'template.xlsx'): Promise<WorkbookResult> {
  return analyzeWorkbook(await readWorkbookBytes(bytes, name));
}

function overlaps(a: Area, b: Area): boolean {
  return a.r0 <= b.r1 && b.r0 <= a.r1 && a.c0 <= b.c1 && b.c0 <= a.c1;
}

describe('weights', () => {
  it('split as a person writes it: whole or half points adding up exactly (not 16.66, 16.66, 16.68)', () => {
    expect(splitEvenly(50, 3)).toEqual([17, 17, 16]);
    expect(splitEvenly(50, 4)).toEqual([12.5, 12.5, 12.5, 12.5]);
    expect(splitEvenly(30, 2)).toEqual([15, 15]);
    expect(splitEvenly(30, 4)).toEqual([7.5, 7.5, 7.5, 7.5]);
    expect(splitEvenly(30, 7)).toEqual([5, 5, 4, 4, 4, 4, 4]);
    expect(splitEvenly(10, 15)).toEqual([1, 1, 1, 1, 1, ...Array(10).fill(0.5)]);
    expect(splitEvenly(10, 1)).toEqual([10]);
    expect(splitEvenly(10, 0)).toEqual([]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 60 }), (c, n) => {
        const parts = splitEvenly(c / 100, n);
        expect(parts).toHaveLength(n);
        expect(cents(parts)).toBe(c);
        // Largest first, no two parts more than one step apart.
        for (let i = 1; i < n; i++) expect(parts[i]).toBeLessThanOrEqual(parts[i - 1]);
        for (const p of parts) expect(Math.round(p * 100)).toBeCloseTo(p * 100, 6);
        // A whole total over no more rows than points: whole or half points only, none of them 0.
        if (c % 100 === 0 && c / 100 >= n) for (const p of parts) expect((p * 2) % 1).toBe(0);
        if (c >= n) for (const p of parts) expect(p).toBeGreaterThan(0);
      }),
    );
  });

  it("each 一级's default weight is spread over its rows; an unknown 一级 weighs 0", () => {
    const w = defaultWeights(central, ['产出指标', '效益指标', '产出指标', '满意度指标', '产出指标', '其他']);
    expect(w).toEqual([17, 30, 17, 10, 16, 0]);
  });

  it('成本指标 as its own 一级 (the newer tree) shares 产出指标’s weight, as the profile lists it under 产出', () => {
    expect(defaultWeights(central, ['产出指标', '产出指标', '成本指标', '效益指标', '满意度指标'])).toEqual([17, 17, 16, 30, 10]);
    expect(defaultWeights(central, ['成本指标', '效益指标'])).toEqual([50, 30]);
  });

  it('blank rows go to the weighted 一级 in proportion, each at least once, 二级 grouped in order; 成本指标 a 一级', () => {
    const rows = defaultRows(central, 8);
    // 成本指标 is a 一级 of its own, as S02 and RULES §1 have it, sharing 产出指标's 50 points.
    expect(rows.map((r) => r.level1)).toEqual(['产出指标', '产出指标', '产出指标', '成本指标', '效益指标', '效益指标', '效益指标', '满意度指标']);
    expect(rows.slice(0, 4).map((r) => r.level2)).toEqual(['数量指标', '质量指标', '时效指标', '经济成本指标']);
    expect(defaultWeights(central, rows.map((r) => r.level1))).toEqual([12.5, 12.5, 12.5, 12.5, 10, 10, 10, 10]);
    expect(defaultRows(central, 3).map((r) => r.level1)).toEqual(['产出指标', '效益指标', '满意度指标']);
    const ten = defaultRows(central, 10).filter((r) => r.level1 === '产出指标' || r.level1 === '成本指标').map((r) => r.level2);
    expect(ten).toEqual(['数量指标', '数量指标', '质量指标', '质量指标', '时效指标', '经济成本指标']);
    for (let n = 1; n <= 60; n++) {
      const rs = defaultRows(central, n);
      expect(rs).toHaveLength(n);
      for (const r of rs) expect(findLevel1(central, r.level1)?.level2).toContain(r.level2);
      if (n >= 3) expect(cents(defaultWeights(central, rs.map((r) => r.level1)))).toBe(9000);
    }
  });
});

describe('buildTemplateSpec', () => {
  it.each(TEMPLATE_KINDS)('%s: cells and merges inside the sheet, merges disjoint, one cell per merge anchor', (kind) => {
    const spec = buildTemplateSpec({ kind, rows: 12, year: 2025 });
    for (const c of spec.cells) {
      expect(c.row + c.rowSpan).toBeLessThanOrEqual(spec.rowCount);
      expect(c.col + c.colSpan).toBeLessThanOrEqual(spec.colCount);
    }
    for (let i = 0; i < spec.merges.length; i++) {
      for (let j = i + 1; j < spec.merges.length; j++) expect(overlaps(spec.merges[i], spec.merges[j])).toBe(false);
    }
    const anchors = new Set(spec.cells.map((c) => `${c.row}:${c.col}`));
    expect(anchors.size).toBe(spec.cells.length);
    expect(spec.layout.lastIndicatorRow - spec.layout.firstIndicatorRow + 1).toBe(12);
    expect(spec.columnWidths).toHaveLength(spec.colCount);
    expect(spec.rowHeights).toHaveLength(spec.rowCount);
    expect(spec.print).toMatchObject({ paperSize: 'A4', orientation: 'portrait', fitToWidth: 1 });
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('validations: 一级 and dependent 二级 dropdowns, 0–100 on 分值/得分, amounts ≥ 0, a prompt on 年度指标值', () => {
    const spec = buildTemplateSpec({ kind: 'self-eval', rows: 5 });
    const { firstIndicatorRow: r0, lastIndicatorRow: r1, cols } = spec.layout;
    const on = (c: number) => spec.validations.filter((v) => v.range.c0 === c && v.range.r0 === r0 && v.range.r1 === r1);
    expect(on(cols.level1)).toEqual([expect.objectContaining({ type: 'list', source: LEVEL1_NAME })]);
    expect(on(cols.level2)).toEqual([
      expect.objectContaining({ type: 'list', source: `INDIRECT("PerfSheet_L2_"&MATCH($B${r0 + 1},${LEVEL1_NAME},0))` }),
    ]);
    for (const c of [cols.weight!, cols.score!]) expect(on(c)).toEqual([expect.objectContaining({ type: 'decimal', min: 0, max: 100 })]);
    const prompt = on(cols.target)[0];
    expect(prompt.type).toBe('any');
    expect(prompt.type === 'any' && prompt.prompt).toMatch(/≥95%.*≤900元\/人.*当年10月前/);
    expect(spec.validations.some((v) => v.type === 'decimal' && v.max === null && v.min === 0)).toBe(true);
    // The lists: one 一级 column, one 二级 column per 一级, a name for each.
    expect(spec.lists.columns[0]).toEqual(central.level1.map((l) => l.name));
    expect(spec.lists.names.map((n) => n.name)).toEqual([LEVEL1_NAME, ...central.level1.map((_, i) => `PerfSheet_L2_${i + 1}`)]);
  });

  it('takes a free sheet name beside existing sheets, and reuses the add-in’s own list sheet', () => {
    expect(freeSheetName('项目支出绩效自评表', ['项目支出绩效自评表', '项目支出绩效自评表(2)'])).toBe('项目支出绩效自评表(3)');
    expect(freeSheetName('a/b:c*?[d]', [])).toBe('abcd');
    expect(Array.from(freeSheetName('很'.repeat(40), ['很'.repeat(31)]))).toHaveLength(31);
    const spec = buildTemplateSpec({ kind: 'target', existingSheets: ['项目支出绩效目标表', '指标名称列表'] });
    expect(spec.sheetName).toBe('项目支出绩效目标表(2)');
    expect(spec.lists.sheetName).toBe('指标名称列表(2)');
    expect(buildTemplateSpec({ kind: 'target', existingSheets: ['指标名称列表'], ownListSheet: '指标名称列表' }).lists.sheetName).toBe('指标名称列表');
  });
});

describe('ExcelJS rendering', () => {
  let spec: TemplateSpec;
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    spec = buildTemplateSpec({ kind: 'self-eval', rows: 6, year: 2025 });
    wb = await load(await templatesToXlsx([spec]));
  });

  it('writes every cell, merge, width and print setting of the spec', () => {
    const ws = wb.getWorksheet(spec.sheetName)!;
    for (const c of spec.cells) {
      const cell = ws.getCell(c.row + 1, c.col + 1);
      if (c.formula) expect(cell.value).toMatchObject({ formula: c.formula });
      else expect(cell.value ?? null).toEqual(c.value);
      expect(cell.numFmt ?? 'General').toBe(spec.styles[c.style].numFmt);
    }
    const merges = ((ws as unknown as { model: { merges: string[] } }).model.merges ?? []).slice().sort();
    const expected = spec.merges.map((m) => `${a1(m.r0, m.c0)}:${a1(m.r1, m.c1)}`).sort();
    expect(merges).toEqual(expected);
    expect(ws.getColumn(4).width).toBe(spec.columnWidths[3]);
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
  });

  it('writes the data validations with their formulas and messages', () => {
    const ws = wb.getWorksheet(spec.sheetName)!;
    const { firstIndicatorRow: r0, cols } = spec.layout;
    const l1 = ws.getCell(r0 + 1, cols.level1 + 1).dataValidation;
    expect(l1).toMatchObject({ type: 'list', formulae: [LEVEL1_NAME] });
    const l2 = ws.getCell(r0 + 3, cols.level2 + 1).dataValidation;
    expect(l2).toMatchObject({ type: 'list', formulae: [`INDIRECT("PerfSheet_L2_"&MATCH($B${r0 + 1},${LEVEL1_NAME},0))`] });
    const w = ws.getCell(r0 + 2, cols.weight! + 1).dataValidation;
    expect(w).toMatchObject({ type: 'decimal', formulae: [0, 100], showErrorMessage: true });
    const t = ws.getCell(r0 + 1, cols.target + 1).dataValidation;
    expect(t).toMatchObject({ showInputMessage: true, promptTitle: '年度指标值' });
  });

  it('a hidden list sheet holds the names, and the defined names point at it', () => {
    const lists = wb.getWorksheet(spec.lists.sheetName)!;
    expect(lists.state).toBe('hidden');
    central.level1.forEach((l, i) => {
      expect(lists.getCell(i + 1, 1).value).toBe(l.name);
      l.level2.forEach((n, j) => expect(lists.getCell(j + 1, i + 2).value).toBe(n));
    });
    const names = new Map((wb.definedNames.model as { name: string; ranges: string[] }[]).map((d) => [d.name, d.ranges[0]]));
    expect(names.get(LEVEL1_NAME)).toBe(`'指标名称列表'!$A$1:$A$${central.level1.length}`);
    expect(names.get('PerfSheet_L2_3')).toBe(`'指标名称列表'!$D$1:$D$${central.level1[2].level2.length}`);
    expect(ownListSheetOf(wb)).toBe('指标名称列表');
    expect(names.has(LIST_MARKER)).toBe(true);
  });

  it('a second template into the same workbook reuses the list sheet and keeps one set of names', () => {
    const more = buildTemplateSpec({
      kind: 'target',
      existingSheets: wb.worksheets.map((w) => w.name),
      ownListSheet: ownListSheetOf(wb),
    });
    renderTemplatesToExcelJS(wb, [more]);
    expect(wb.worksheets.filter((w) => w.name.startsWith('指标名称列表'))).toHaveLength(1);
    const names = (wb.definedNames.model as { name: string }[]).map((d) => d.name);
    expect(names.filter((n) => n === LEVEL1_NAME)).toHaveLength(1);
    expect(() => renderTemplatesToExcelJS(wb, [more])).toThrow(/已存在/);
  });
});

describe('the engine reads a template as a form', () => {
  it.each(TEMPLATE_KINDS)('blank %s: one table of its kind, no indicators, one info 尚未填写 and nothing else', async (kind: TemplateKind) => {
    const spec = buildTemplateSpec({ kind, year: 2025 });
    const r = await analyze(await templatesToXlsx([spec]));
    expect(r.tables).toHaveLength(1);
    expect(r.tables[0]).toMatchObject({ kind, sheet: spec.sheetName, year: 2025, indicators: [] });
    expect(r.tables[0].findings.map((f) => [f.code, f.severity])).toEqual([['S08', 'info']]);
    expect(r.tables[0].findings[0].message).toContain('尚未填写');
    expect(r.findings).toEqual([]);
  });

  it('a filled-in self-evaluation is scored: values typed into the form give the scores and the total', async () => {
    const spec = buildTemplateSpec({ kind: 'self-eval', rows: 4, year: 2025 });
    const wb = new ExcelJS.Workbook();
    renderTemplatesToExcelJS(wb, [spec]);
    const ws = wb.getWorksheet(spec.sheetName)!;
    const { firstIndicatorRow: r0, cols } = spec.layout;
    // 4 rows: 产出 ×2 (25 each), 效益 (30), 满意度 (10).
    const rows = [
      ['产出指标', '数量指标', '体检人数', '≥40人', '36人'],
      ['产出指标', '时效指标', '完成时间', '当年10月前', '9月完成'],
      ['效益指标', '社会效益指标', '保障率', '100%', '100%'],
      ['满意度指标', '服务对象满意度指标', '满意度', '≥90%', '95%'],
    ];
    rows.forEach((x, i) => {
      const r = r0 + 1 + i;
      ws.getCell(r, cols.level1 + 1).value = x[0];
      ws.getCell(r, cols.level2 + 1).value = x[1];
      ws.getCell(r, cols.level3 + 1).value = x[2];
      ws.getCell(r, cols.target + 1).value = x[3];
      ws.getCell(r, cols.actual! + 1).value = x[4];
    });
    ws.getCell(r0 + 1, cols.deviation! + 1).value = '部分劳模未参加';
    const fr = spec.cells.find((c) => c.value === '年度资金总额')!.row;
    ws.getCell(fr + 1, 5).value = 10;
    ws.getCell(fr + 1, 6).value = 10;
    ws.getCell(fr + 1, 7).value = 9;
    const r = await analyze(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    const t = r.tables[0];
    expect(t.indicators.map((x) => x.weight)).toEqual([25, 25, 30, 10]);
    expect(t.indicators.map((x) => x.score)).toEqual([22.5, 25, 30, 10]);
    expect(t.funds).toMatchObject({ budget: 10, executed: 9, score: 9 });
    expect(t.totalScore).toBe(96.5);
    expect(t.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // The computed cells the add-in would fill are the form's own 得分 cells.
    expect(t.edits.filter((e) => e.kind === 'score').map((e) => e.cell)).toEqual(rows.map((_, i) => a1(r0 + i, cols.score!)));
  });
});

describe('目标表 → 自评表', () => {
  let source: WorkbookResult;
  let specs: TemplateSpec[];
  let back: WorkbookResult;
  beforeAll(async () => {
    source = analyzeWorkbook(await readWorkbookBytes(readFileSync(TARGET_FIXTURE), path.basename(TARGET_FIXTURE)));
    specs = selfEvalsFromTargets(source.tables);
    back = await analyze(await templatesToXlsx(specs), 'converted.xlsx');
  });

  it('gives one self-evaluation per target table, named after the project', () => {
    expect(source.tables.filter((t) => t.kind === 'target')).toHaveLength(6);
    expect(back.tables).toHaveLength(6);
    expect(back.tables.map((t) => t.kind)).toEqual(Array(6).fill('self-eval'));
    expect(back.tables.map((t) => t.sheet)).toEqual(source.tables.map((t) => t.name));
  });

  it('reads back with the same indicators and targets, fields and 年初预算数 prefilled', () => {
    source.tables.forEach((s, i) => {
      const t = back.tables[i];
      expect(t.name).toBe(s.name);
      expect(t.department).toBe(s.department);
      expect(t.unit).toBe(s.unit);
      expect(t.year).toBe(s.year);
      expect(t.goal).toBe(s.goal);
      expect(t.funds?.initial).toBe(s.targetFunds?.budget);
      expect(t.indicators.map((x) => [x.level1, x.level2, x.level3, x.target])).toEqual(
        s.indicators.map((x) => [x.level1, x.level2, x.level3, x.target]),
      );
      expect(t.indicators.every((x) => !x.actual && x.statedScore === null && x.deviation === null)).toBe(true);
    });
  });

  it("weights are the profile's 一级 defaults split evenly, summing to 90", () => {
    for (const t of back.tables) {
      expect(cents(t.indicators.map((x) => x.weight ?? NaN))).toBe(9000);
      const by = new Map<string, number[]>();
      for (const x of t.indicators) by.set(x.level1, [...(by.get(x.level1) ?? []), x.weight!]);
      for (const [l1, ws] of by) {
        expect(ws).toEqual(splitEvenly(findLevel1(central, l1)!.defaultWeight, ws.length));
      }
    }
  });

  it('finds nothing but the empty actual values (and the one defect the source target already had)', () => {
    const sourceCodes = (s: TableResult) => new Set(s.findings.map((f) => `${f.code}:${s.indicators.find((x) => a1(x.row - 1, 4) === f.cell)?.level3}`));
    back.tables.forEach((t, i) => {
      const actualCol = 'F';
      const v01 = t.findings.filter((f) => f.code === 'V01');
      expect(v01.map((f) => f.cell)).toEqual(t.indicators.map((x) => `${actualCol}${x.row}`));
      const others = t.findings.filter((f) => f.code !== 'V01');
      const had = sourceCodes(source.tables[i]);
      for (const f of others) {
        const ind = t.indicators.find((x) => `E${x.row}` === f.cell);
        expect(had.has(`${f.code}:${ind?.level3}`)).toBe(true);
      }
    });
    // The one inherited finding: V03 on 是/否 in the fifth project, flagged in the source as well.
    expect(back.tables.flatMap((t) => t.findings.filter((f) => f.code !== 'V01')).map((f) => `${f.sheet}!${f.cell} ${f.code}`)).toEqual([
      '提前下达2024年困难职工帮扶救助专项资金!E17 V03',
    ]);
  });

  it('refuses a table that is not a target table', () => {
    const t = { ...source.tables[0], kind: 'self-eval' as const };
    expect(selfEvalsFromTargets([t])).toEqual([]);
  });
});
