/**
 * Acceptance on the real published forms (test/fixtures, copied from shared/fixtures): exactly what the
 * fixtures' README states.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { analyzeWorkbook } from '../../src/domain/engine';
import { WorkbookResult } from '../../src/domain/types';
import { readWorkbookBytes } from '../../src/xlsx/read';

const FIX = path.join(__dirname, '..', 'fixtures');
const TARGET = '石家庄市总工会_2024_项目绩效目标表.xlsx';
const SELF = '石家庄市总工会_2025_绩效自评表.xlsx';

async function analyze(file: string, profile: 'central' | 'hebei' = 'central'): Promise<WorkbookResult> {
  const wb = await readWorkbookBytes(readFileSync(path.join(FIX, file)), file);
  return analyzeWorkbook(wb, { profile });
}

describe('2024 target tables', () => {
  let r: WorkbookResult;
  beforeAll(async () => {
    r = await analyze(TARGET);
  });

  it('finds the six target tables on 项目绩效目标表 and nothing on the other sheets', () => {
    expect(r.tables.map((t) => [t.sheet, t.kind, t.name, t.targetFunds?.budget])).toEqual([
      ['项目绩效目标表', 'target', '省部级以上劳模体检费', 20],
      ['项目绩效目标表', 'target', '专项业务培训费', 9.9],
      ['项目绩效目标表', 'target', '市级困难职工及劳模帮扶救助专项资金', 135.54],
      ['项目绩效目标表', 'target', '市级劳动模范一次性奖励资金', 40],
      ['项目绩效目标表', 'target', '提前下达2024年困难职工帮扶救助专项资金', 226.99],
      ['项目绩效目标表', 'target', '党组织活动经费', 0.57],
    ]);
    expect(r.findings).toEqual([]);
  });

  it('reads codes, year, spending plans (numbers and text) and indicators', () => {
    const [t1, t2, , t4] = r.tables;
    expect(t1.code).toBe('13010024P0060X2100707');
    expect(t1.range).toBe('A1:G15');
    expect(r.tables.every((t) => t.year === 2024)).toBe(true);
    expect(t1.spendingPlan).toEqual({ mar: 0.25, jun: 0.5, oct: 0.83, dec: 1 });
    expect(t2.spendingPlan).toEqual({ mar: 0.25, jun: 0.5, oct: 0.83, dec: null });
    expect(t4.spendingPlan).toEqual({ mar: null, jun: 1, oct: null, dec: null });
    expect(t1.indicators).toHaveLength(6);
    expect(t1.indicators[3]).toMatchObject({ row: 13, level1: '产出指标', level2: '成本指标', level3: '项目预算控制数', target: '≤20万元' });
    expect(t1.indicators[4]).toMatchObject({ level1: '效益指标', level2: '社会效益指标' });
  });

  it('reports exactly F03, F03 and V03 as warnings/errors', () => {
    const fs = r.tables.flatMap((t) => t.findings.filter((f) => f.severity !== 'info').map((f) => [t.name, f.code, f.cell]));
    expect(fs).toEqual([
      ['专项业务培训费', 'F03', 'F24'],
      ['市级劳动模范一次性奖励资金', 'F03', 'F58'],
      ['提前下达2024年困难职工帮扶救助专项资金', 'V03', 'E82'],
    ]);
    expect(r.summary).toMatchObject({ tables: 6, errors: 0, warnings: 3 });
  });
});

describe('2025 self-evaluation tables', () => {
  const expected = [
    { sheet: '部门整体', kind: 'dept-self-eval', rate: 1, rateScore: 10, total: 99.8, central: '优', hebei: '优秀' },
    { sheet: '劳模体检', kind: 'self-eval', rate: 1, rateScore: 10, total: 99.76, central: '优', hebei: '优秀' },
    { sheet: '困难职工帮扶', kind: 'self-eval', rate: 1, rateScore: 10, total: 100, central: '优', hebei: '优秀' },
    { sheet: '困难劳模帮扶', kind: 'self-eval', rate: 1, rateScore: 10, total: 99.6, central: '优', hebei: '优秀' },
    { sheet: '党组织活动经费', kind: 'self-eval', rate: 0.6 / 0.63, rateScore: 9.52, total: 90.52, central: '优', hebei: '优秀' },
  ];

  for (const profile of ['central', 'hebei'] as const) {
    it(`computes 执行率, 执行率得分, 总分 and grade per sheet (${profile})`, async () => {
      const r = await analyze(SELF, profile);
      expect(r.tables).toHaveLength(5);
      r.tables.forEach((t, i) => {
        const e = expected[i];
        expect(t.sheet).toBe(e.sheet);
        expect(t.kind).toBe(e.kind);
        expect(t.year).toBe(2025);
        expect(t.funds!.rate).toBeCloseTo(e.rate, 10);
        expect(t.funds!.score).toBe(e.rateScore);
        expect(t.totalScore).toBe(e.total);
        expect(t.grade).toBe(e[profile]);
      });
    });
  }

  it('scores the indicators of note', async () => {
    const r = await analyze(SELF);
    const ind = (sheet: string, row: number) => r.tables.find((t) => t.sheet === sheet)!.indicators.find((i) => i.row === row)!;
    expect(ind('部门整体', 14).score).toBe(9.8);
    expect(ind('劳模体检', 16)).toMatchObject({ target: '≤900元/人', actual: '922元/人', weight: 10, score: 9.76 });
    expect(ind('劳模体检', 16).basis).toContain('900 ÷ 922 × 10 = 9.76');
    expect(ind('困难职工帮扶', 16).score).toBe(10);
    expect(ind('困难劳模帮扶', 13).score).toBe(19.6);
    expect(ind('党组织活动经费', 17).score).toBe(21);
    const ldm = r.tables.find((t) => t.sheet === '劳模体检')!;
    expect(ldm.range).toBe('A1:J19');
    expect(ldm.name).toBe('省部级以上劳模体检费');
    expect(ldm.funds).toMatchObject({ budget: 6.64, executed: 6.64, weight: 10, score: 10 });
  });

  it('gives the expected findings and no others', async () => {
    const r = await analyze(SELF);
    const codes = r.tables.flatMap((t) => t.findings.map((f) => `${f.code} ${f.sheet}!${f.cell}`));
    expect(codes.sort()).toEqual(
      [
        'C08 部门整体!F12',
        'C08 劳模体检!F13',
        'C07 劳模体检!I16',
        'C07 困难劳模帮扶!I13',
        'C07 党组织活动经费!I17',
        'C11 困难职工帮扶!F16',
        'C11 党组织活动经费!F17',
      ].sort(),
    );
    expect(codes.some((c) => c.startsWith('F'))).toBe(false);
    expect(codes.some((c) => c.startsWith('C01'))).toBe(false);
    expect(r.summary).toEqual({ tables: 5, errors: 0, warnings: 3, infos: 4 });
  });

  it('proposes the write-back edits in the form’s own cells', async () => {
    const r = await analyze(SELF);
    const t = r.tables.find((x) => x.sheet === '劳模体检')!;
    const byCell = Object.fromEntries(t.edits.map((e) => [e.cell, e]));
    expect(byCell.I6).toMatchObject({ kind: 'rate', value: 1, status: 'empty', numFmt: '0.00%' });
    expect(byCell.J6).toMatchObject({ kind: 'rateScore', value: 10 });
    expect(byCell.H16).toMatchObject({ kind: 'score', value: 9.76 });
    expect(byCell.H19).toMatchObject({ kind: 'total', value: 99.76 });
    const p = r.tables.find((x) => x.sheet === '党组织活动经费')!;
    expect(p.edits.find((e) => e.cell === 'I6')!.value).toBe(0.9524);
    // The user's own score is kept and shown as matching.
    const k = r.tables.find((x) => x.sheet === '困难职工帮扶')!;
    expect(k.edits.find((e) => e.cell === 'H16')).toMatchObject({ value: 10, status: 'same', current: '10' });
  });
});
