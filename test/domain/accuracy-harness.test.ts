/**
 * The accuracy harness itself (test/support/accuracy.ts): on hand-made engine results it must count what is
 * right, and list what is wrong — a harness that cannot fail would hold nothing at 100%.
 */
import { compareWorkbook, formatMismatch, isPerfect, normText, TruthFile, TruthFileSchema } from '../support/accuracy';
import type { Finding, TableResult, WorkbookResult } from '../../src/domain/types';

type Ind = TableResult['indicators'][number];

function ind(row: number, over: Partial<Ind> = {}): Ind {
  return {
    row,
    level1: '产出指标',
    level2: '数量指标',
    level3: `指标${row}`,
    target: '≥10人',
    actual: '10人',
    weight: 10,
    score: 10,
    statedScore: 10,
    deviation: null,
    basis: null,
    ...over,
  };
}

function finding(code: string, cell: string, severity: Finding['severity'] = 'warning', message = '说明'): Finding {
  return { code, severity, sheet: 'S', cell, message };
}

function table(over: Partial<TableResult> = {}): TableResult {
  return {
    sheet: 'S',
    range: 'A1:J20',
    kind: 'self-eval',
    name: '项目甲',
    year: 2023,
    code: null,
    department: null,
    unit: null,
    goal: null,
    goalActual: null,
    targetFunds: null,
    spendingPlan: null,
    funds: { initial: 38.766462, budget: 38.766462, executed: 38.766462, rate: 1, weight: 10, score: 10, basis: null },
    indicators: [ind(10), ind(11)],
    indicatorScore: 20,
    totalScore: 30,
    grade: '差',
    findings: [],
    edits: [],
    ...over,
  };
}

function wb(tables: TableResult[], findings: Finding[] = []): WorkbookResult {
  return { profile: 'central', tables, findings, summary: { tables: tables.length, errors: 0, warnings: 0, infos: 0 } };
}

const truth: TruthFile = TruthFileSchema.parse({
  file: 'x.xlsx',
  tables: [
    {
      sheet: 'S',
      kind: 'self-eval',
      name: '项目 甲',
      year: 2023,
      funds: { initial: null, budget: 387664.62, executed: 387664.62, weight: 10, unit: '元' },
      indicators: [
        { row: 10, level1: '产出指标', level2: '数量\n指标', level3: '指标10', target: '≥10人', actual: '10人', weight: 10, statedScore: 10, expectedScore: 10 },
        { row: 11, level1: '产出指标', level2: '数量指标', level3: '指标11', target: '≥10人', actual: '10人', weight: 10, expectedScore: 10 },
        { row: 12, level1: '产出指标', level2: '质量指标', level3: null, isIndicator: false },
      ],
      expected: { rate: 1, rateScore: 10, total: 30, grade: '差', accept: { grade: ['中'] } },
      defects: [
        { code: 'C04', cell: 'I10', altCells: ['H10'], why: 'stated score wrong' },
        { code: 'V05', cell: null, why: 'anywhere' },
      ],
      allowed: [{ code: 'V04', cell: 'E11', why: 'allowed' }],
      debatable: [{ code: 'V11', row: 11, why: 'debatable' }],
      ignoreCodes: ['S04'],
      falseIfFlagged: [{ row: 12, why: 'blank row' }],
    },
  ],
});

describe('accuracy harness', () => {
  it('normalises white space and full-width forms, keeps operators as written', () => {
    expect(normText('数量\n指标　（10分）')).toBe('数量指标(10分)');
    expect(normText('≧735人次')).not.toBe(normText('≥735人次'));
  });

  it('counts a fully right reading as 100% (money in 元 converted, initial null accepted as absent)', () => {
    const t = table({
      funds: { initial: null, budget: 38.766462, executed: 38.766462, rate: 1, weight: 10, score: 10, basis: null },
      findings: [finding('C04', 'H10'), finding('V05', 'E3'), finding('V04', 'E11'), finding('V11', 'F11'), finding('S04', 'A1'), finding('C11', 'F10', 'info')],
    });
    const r = compareWorkbook({ id: 't/x', truth, result: wb([t]) });
    expect(r.mismatches.map(formatMismatch)).toEqual([]);
    expect(isPerfect(r.figures)).toBe(true);
    expect(r.figures.defects).toEqual({ ok: 2, of: 2 });
    expect(r.perCode.C04).toMatchObject({ listed: 1, caught: 1, onDefect: 1, falsely: 0 });
    expect(r.perCode.V04).toMatchObject({ excused: 1, falsely: 0 });
  });

  it('lists every wrong figure: name, funds, row fields, spurious rows and tables, defects, false findings', () => {
    const t = table({
      name: '主管部门',
      funds: { initial: null, budget: 38.77, executed: 38.766462, rate: 0.5, weight: 10, score: 5, basis: null },
      indicators: [ind(10, { level2: '质量指标', target: '10', score: 9 }), ind(12, { level3: '', target: '' }), ind(13)],
      totalScore: 29,
      grade: '中',
      findings: [finding('C04', 'G10'), finding('V04', 'E10'), finding('V01', 'E12', 'info'), finding('S01', 'A1', 'error')],
    });
    const extra = table({ range: 'A30:J40', name: '另一表', indicators: [ind(31)], findings: [finding('S01', 'A30', 'error')] });
    const r = compareWorkbook({ id: 't/x', truth, result: wb([t, extra], [finding('S01', 'A1', 'error')]) });
    const lines = r.mismatches.map((m) => `${m.area}.${m.field}${m.row ? `@${m.row}` : ''}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'table.name',
        'funds.budget',
        'row.levels@10',
        'row.target@10',
        'row.found@11',
        'row.isIndicator@12',
        'row.spurious@13',
        'computed.rate',
        'computed.rateScore',
        'computed.total',
        'computed.score@10',
        'defect.C04@10',
        'defect.V05',
        'false.warning V04@10',
        'false.info V01@12',
        'false.error S01@1',
        'table.spurious',
      ]),
    );
    // The accepted alternative grade 中 is not a mismatch.
    expect(lines).not.toContain('computed.grade');
    expect(r.figures.tables).toMatchObject({ found: { ok: 1, of: 1 }, name: { ok: 0, of: 1 }, funds: { ok: 0, of: 1 }, spurious: 1 });
    expect(r.figures.rows).toMatchObject({ found: { ok: 1, of: 2 }, right: { ok: 0, of: 2 }, spurious: 2 });
    expect(r.figures.defects).toEqual({ ok: 0, of: 2 });
    // S01 on the table, on the spurious table and at workbook level; C04 at G10 is not the defect's cell and
    // V04 at E10 is not the allowed E11.
    expect(r.figures).toMatchObject({ falseErrors: 3, falseWarnings: 2, falseInfos: 1 });
    expect(r.perCode.C04).toMatchObject({ listed: 1, caught: 0, onDefect: 0, falsely: 1 });
    expect(isPerfect(r.figures)).toBe(false);
  });

  it('counts a truth table the engine did not read as not found, with everything under it wrong', () => {
    const r = compareWorkbook({ id: 't/x', truth, result: wb([]) });
    expect(r.figures.tables.found).toEqual({ ok: 0, of: 1 });
    expect(r.figures.rows.found).toEqual({ ok: 0, of: 2 });
    expect(r.figures.computed.total).toEqual({ ok: 0, of: 1 });
    expect(r.figures.defects).toEqual({ ok: 0, of: 2 });
    expect(r.mismatches.map((m) => `${m.area}.${m.field}`)).toEqual(['table.found', 'defect.C04', 'defect.V05']);
  });

  it('pairs stacked tables by name and rows, not by order', () => {
    const two: TruthFile = TruthFileSchema.parse({
      file: 'y.xlsx',
      tables: [
        { sheet: 'S', kind: 'target', name: '甲', indicators: [{ row: 5, target: '1人' }], defects: [] },
        { sheet: 'S', kind: 'target', name: '乙', indicators: [{ row: 15, target: '2人' }], defects: [] },
      ],
    });
    const a = table({ kind: 'target', name: '甲', range: 'A1:F10', funds: null, indicators: [ind(5, { target: '1人' })] });
    const b = table({ kind: 'target', name: '乙', range: 'A11:F20', funds: null, indicators: [ind(15, { target: '2人' })] });
    const r = compareWorkbook({ id: 't/y', truth: two, result: wb([b, a]) });
    expect(r.mismatches.map(formatMismatch)).toEqual([]);
  });

  it('rejects a truth file that does not follow the format', () => {
    expect(TruthFileSchema.safeParse({ file: 'z.xlsx', tables: [{ sheet: 'S', kind: 'table', name: null, indicators: [], defects: [] }] }).success).toBe(false);
    expect(TruthFileSchema.safeParse({ file: 'z.xlsx', tables: [{ sheet: 'S', kind: 'target', name: null, indicators: [], defects: [{ code: 'X1', cell: null, why: '' }] }] }).success).toBe(false);
  });
});
