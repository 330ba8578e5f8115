/**
 * Every rule of RULES §4: a case that fires and a case that must not.
 */
import { analyzeSheet } from '../../src/domain/engine';
import { BUILTIN_PROFILES } from '../../src/domain/profiles';
import { CATALOGUE } from '../../src/domain/rules/catalogue';
import { Finding, TableResult } from '../../src/domain/types';
import {
  IndicatorSpec,
  SelfEvalSpec,
  SheetBuilder,
  standardIndicators,
  standardTargetIndicators,
  TargetSpec,
  writeSelfEval,
  writeTarget,
} from '../support/forms';

function selfEval(over: Partial<SelfEvalSpec> = {}, ind: Partial<Record<number, Partial<IndicatorSpec>>> = {}): TableResult {
  const b = new SheetBuilder('自评');
  writeSelfEval(b, { name: '职工技能培训', funds: { initial: 10, budget: 10, executed: 10 }, indicators: standardIndicators(ind), ...over });
  const r = analyzeSheet(b.grid(), { workbookYear: 2025 });
  expect(r.tables).toHaveLength(1);
  return r.tables[0];
}

function target(over: Partial<TargetSpec> = {}, ind: Partial<Record<number, Partial<IndicatorSpec>>> = {}): TableResult {
  const b = new SheetBuilder('目标');
  writeTarget(b, { name: '专项业务培训费', budget: 9.9, fiscal: 9.9, indicators: standardTargetIndicators(ind), ...over });
  const r = analyzeSheet(b.grid(), { workbookYear: 2024 });
  expect(r.tables).toHaveLength(1);
  return r.tables[0];
}

const codes = (t: TableResult) => t.findings.map((f) => f.code);
const find = (t: TableResult, code: string): Finding | undefined => t.findings.find((f) => f.code === code);

describe('clean forms', () => {
  it('a sound self-evaluation table has no findings', () => {
    expect(codes(selfEval())).toEqual([]);
  });
  it('a sound target table has no findings', () => {
    expect(codes(target())).toEqual([]);
  });
});

describe('catalogue', () => {
  it('has every code of RULES §4 with severity, title and a Chinese message template', () => {
    const expected = 'S01 S02 S03 S04 S06 S07 V01 V02 V03 V04 V05 V06 V07 V08 V09 V10 V11 F01 F02 F03 F04 F05 F06 F07 F08 C01 C02 C03 C04 C05 C06 C07 C08 C09 C10 C11'.split(' ');
    expect(Object.keys(CATALOGUE).sort()).toEqual(expected.sort());
    for (const d of Object.values(CATALOGUE)) {
      expect(['error', 'warning', 'info']).toContain(d.severity);
      expect(d.message({})).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('S: structure', () => {
  it('S01 fires when a column the table cannot be checked without is missing (RULES v2 §1.2)', () => {
    const b = new SheetBuilder('x');
    b.set(0, 0, '一级指标').set(0, 1, '二级指标').set(0, 2, '三级指标').set(0, 3, '实际完成值').set(0, 4, '得分');
    b.set(1, 0, '产出指标').set(1, 1, '数量指标').set(1, 2, '人数').set(1, 3, '10人').set(1, 4, 90);
    const t = analyzeSheet(b.grid()).tables[0];
    const s01 = t.findings.filter((f) => f.code === 'S01').map((f) => f.message);
    expect(s01.join('|')).toContain('年度指标值');
    expect(s01.join('|')).toContain('分值');
    // The funds block, 得分 and the 总分 row are read when present; their absence is no S01 by default.
    expect(s01).toHaveLength(2);
  });
  it('S01 names the blocks a profile requires when they are absent', () => {
    const b = new SheetBuilder('x');
    b.set(0, 0, '一级指标').set(0, 1, '二级指标').set(0, 2, '三级指标').set(0, 3, '年度指标值').set(0, 4, '实际完成值').set(0, 5, '分值');
    b.set(1, 0, '产出指标').set(1, 1, '数量指标').set(1, 2, '人数').set(1, 3, '≥10人').set(1, 4, '10人').set(1, 5, 90);
    const plain = analyzeSheet(b.grid()).tables[0];
    expect(plain.findings.filter((f) => f.code === 'S01')).toEqual([]);
    const strict = { ...BUILTIN_PROFILES.central, id: 'strict', requiredBlocks: ['funds', 'total'] as ('funds' | 'total')[] };
    const t = analyzeSheet(b.grid(), { profile: strict }).tables[0];
    const s01 = t.findings.filter((f) => f.code === 'S01').map((f) => f.message).join('|');
    expect(s01).toContain('项目资金');
    expect(s01).toContain('总分');
  });
  it('S02 fires on an unknown 一级, not on 产出 without 指标', () => {
    expect(find(selfEval({}, { 0: { l1: '投入指标' } }), 'S02')?.message).toContain('投入指标');
    expect(codes(selfEval({}, { 0: { l1: '产出' }, 1: { l1: '产出' }, 2: { l1: '产出' } }))).not.toContain('S02');
  });
  it('S03 suggests the standard 二级', () => {
    const f = find(selfEval({}, { 4: { l2: '社会效益类' } }), 'S03');
    expect(f?.message).toContain('社会效益指标');
    expect(codes(selfEval({}, { 4: { l2: '社会效益' } }))).not.toContain('S03');
  });
  it('S04 fires when a required 一级 has no indicator', () => {
    const t = selfEval({}, { 5: { l1: '效益指标', l2: '社会效益指标', l3: '受益人群覆盖率' } });
    expect(find(t, 'S04')?.message).toContain('满意度指标');
    expect(codes(selfEval())).not.toContain('S04');
  });
  it('S06 fires on a repeated 三级', () => {
    expect(find(selfEval({}, { 1: { l3: '培训人数' } }), 'S06')).toBeDefined();
  });
  it('S07 fires for a satisfaction indicator under 产出指标 and a 二级 of another 一级', () => {
    expect(find(selfEval({}, { 1: { l3: '学员满意度调查' } }), 'S07')).toBeDefined();
    expect(find(selfEval({}, { 1: { l2: '社会效益指标' } }), 'S07')?.message).toContain('效益指标');
  });
});

describe('V: values', () => {
  it('V01 empty target (and empty actual on self-evaluation)', () => {
    expect(find(target({}, { 0: { target: null } }), 'V01')?.cell).toBe('E10');
    expect(find(selfEval({}, { 0: { actual: null } }), 'V01')?.message).toContain('实际完成值');
  });
  it('V02 placeholder', () => {
    expect(find(target({}, { 0: { target: '**人' } }), 'V02')).toBeDefined();
    expect(codes(target({}, { 0: { target: '≥40人' } }))).not.toContain('V02');
  });
  it('V03 not measurable', () => {
    expect(find(target({}, { 0: { target: '≥100优' } }), 'V03')).toBeDefined();
    expect(find(target({}, { 4: { target: '是否提升' } }), 'V03')).toBeDefined();
    expect(find(target({}, { 4: { target: '是/否' } }), 'V03')).toBeDefined();
  });
  it('V04 quantitative value without unit', () => {
    expect(find(target({}, { 0: { target: '≥100' } }), 'V04')).toBeDefined();
    expect(codes(target({}, { 0: { target: '≥100次' } }))).not.toContain('V04');
  });
  it('V05 cost value that is neither money nor a standard', () => {
    expect(find(target({}, { 3: { target: '≥100人' } }), 'V05')).toBeDefined();
    expect(codes(target({}, { 3: { target: '按《差旅费管理办法》标准执行' } }))).not.toContain('V05');
    expect(codes(target({}, { 3: { target: '≤500元/人' } }))).not.toContain('V05');
  });
  it('V06 数量 indicator with an upper bound', () => {
    expect(find(target({}, { 0: { target: '≤3次' } }), 'V06')).toBeDefined();
    expect(codes(target({}, { 0: { target: '3次' } }))).not.toContain('V06');
  });
  it('V07 satisfaction not a percentage', () => {
    expect(find(target({}, { 5: { target: '满意' } }), 'V07')).toBeDefined();
    expect(codes(target({}, { 5: { target: '≥90%' } }))).not.toContain('V07');
  });
  it('V08 a deadline in another year', () => {
    expect(find(target({}, { 2: { target: '2025年6月底前完成' } }), 'V08')?.message).toContain('2025');
    expect(codes(target({}, { 2: { target: '2024年6月底前完成' } }))).not.toContain('V08');
  });
  it('V09 a rate above 100%', () => {
    expect(find(target({}, { 1: { target: '≥110%' } }), 'V09')).toBeDefined();
    expect(codes(target({}, { 1: { target: '≥95%' } }))).not.toContain('V09');
    expect(codes(target({}, { 1: { l3: '培训人数增长率', target: '≥110%' } }))).not.toContain('V09');
  });
  it('V10 text actual for a numeric target, graded as qualitative', () => {
    const t = selfEval({}, { 0: { actual: '完成' } });
    expect(find(t, 'V10')?.severity).toBe('info');
    expect(t.indicators[0].score).toBe(20);
    expect(codes(selfEval())).not.toContain('V10');
  });
  it('V11 units that do not convert', () => {
    expect(find(selfEval({}, { 0: { actual: '30户' } }), 'V11')).toBeDefined();
    expect(codes(selfEval({}, { 3: { actual: '0.048万元/人' } }))).not.toContain('V11');
  });
});

describe('F: funds', () => {
  it('F01 budget ≠ fiscal + other, with the arithmetic', () => {
    const f = find(target({ budget: 20, fiscal: 15, other: 3 }), 'F01');
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain('20.00 ≠ 15.00 + 3.00 = 18.00');
    expect(codes(target({ budget: 20, fiscal: 15, other: 5 }))).not.toContain('F01');
    expect(codes(target({ budget: 20.004, fiscal: 20 }))).not.toContain('F01');
  });
  it('F02 decreasing plan', () => {
    expect(find(target({ plan: [0.5, 0.3, 0.8, 1] }), 'F02')).toBeDefined();
    expect(codes(target({ plan: [null, 0.25, 0.83, 1] }))).not.toContain('F02');
  });
  it('F03 12月底 not 100% or missing', () => {
    expect(find(target({ plan: [0.25, 0.5, 0.83, 0.9] }), 'F03')?.message).toContain('90%');
    expect(find(target({ plan: [0.25, 0.5, 0.83, null] }), 'F03')?.message).toContain('未填写');
    expect(codes(target({ plan: [0.25, 0.5, 0.83, '100%'] }))).not.toContain('F03');
  });
  it('F04 outside 0–100%', () => {
    expect(find(target({ plan: [0.25, 0.5, 1.2, 1.2] }), 'F04')).toBeDefined();
  });
  it('F05 total ≠ sum of 其中 rows', () => {
    const t = selfEval({ funds: { initial: 10, budget: 10, executed: 10, parts: [{ label: '当年财政拨款', budget: 6, executed: 6 }, { label: '上年结转资金', budget: 3, executed: 4 }] } });
    const f = t.findings.filter((x) => x.code === 'F05');
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('全年预算数');
    expect(f[0].message).toContain('6.00 + 3.00 = 9.00');
  });
  it('F06 executed above budget, F07 low execution', () => {
    const over = selfEval({ funds: { initial: 10, budget: 10, executed: 11 } });
    expect(find(over, 'F06')).toBeDefined();
    expect(over.funds!.score).toBe(10);
    const low = selfEval({ funds: { initial: 6, budget: 6, executed: 3.4 } });
    expect(find(low, 'F07')?.message).toContain('执行率 = 3.40 ÷ 6.00 = 56.67%，得分 = 56.67% × 10 = 5.67');
    expect(codes(selfEval({ funds: { initial: 10, budget: 10, executed: 9 } }))).not.toContain('F07');
  });
  it('F08 adjusted budget on a project table', () => {
    expect(find(selfEval({ funds: { initial: 12, budget: 10, executed: 10 } }), 'F08')?.severity).toBe('info');
  });
  it('uses the sum of the 其中 rows when 年度资金总额 is blank', () => {
    const t = selfEval({ funds: { parts: [{ label: '当年财政拨款', budget: 0.5, executed: 0.5 }, { label: '上年结转资金', budget: 0.13, executed: 0.1 }] } });
    expect(t.funds!.budget).toBe(0.63);
    expect(t.funds!.executed).toBe(0.6);
    expect(t.funds!.score).toBe(9.52);
  });
});

describe('C: scores', () => {
  it('C01 weights do not add to 90', () => {
    const f = find(selfEval({}, { 0: { weight: 15 } }), 'C01');
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain('= 85');
  });
  it('C02 a 一级 label weight that does not match its indicators', () => {
    const t = selfEval({ layout: { level1Weights: { 产出指标: 50, 效益指标: 30 } } });
    expect(find(t, 'C02')?.message).toContain('产出指标');
    expect(codes(selfEval({ layout: { level1Weights: { 产出指标: 40 } } }))).not.toContain('C02');
  });
  it('C03 a stated score above its weight', () => {
    expect(find(selfEval({}, { 0: { score: 25 } }), 'C03')).toBeDefined();
  });
  it('C04 a stated score that differs, compared at its written precision', () => {
    const t = selfEval({}, { 3: { actual: '520元/人', score: 10, deviation: '物价上涨' } });
    expect(find(t, 'C04')?.message).toContain('9.62');
    expect(codes(selfEval({}, { 3: { actual: '520元/人', score: 9.62, deviation: '物价上涨' } }))).not.toContain('C04');
    expect(codes(selfEval({}, { 3: { actual: '520元/人', score: 9.6154, deviation: '物价上涨' } }))).not.toContain('C04');
  });
  it('C05 a stated total that differs', () => {
    expect(find(selfEval({ total: 98 }), 'C05')?.message).toContain('100.00');
    expect(codes(selfEval({ total: 100 }))).not.toContain('C05');
  });
  it('C06 a stated 执行率 or its score that differs', () => {
    const t = selfEval({ funds: { initial: 6, budget: 6, executed: 5.7, rate: '96%', rateScore: 9.5 } });
    const c06 = t.findings.filter((f) => f.code === 'C06');
    expect(c06.map((f) => f.message).join('|')).toContain('95.00%');
    expect(codes(selfEval({ funds: { initial: 6, budget: 6, executed: 3.4, rate: '56.67%', rateScore: 5.67 } }))).not.toContain('C06');
  });
  it('C07 below weight without a reason; not when the reason is filled', () => {
    expect(find(selfEval({}, { 0: { actual: '90人' } }), 'C07')).toBeDefined();
    expect(codes(selfEval({}, { 0: { actual: '90人', deviation: '报名人数不足' } }))).not.toContain('C07');
  });
  it('C08 actual ≥ 1.2 × target', () => {
    expect(find(selfEval({}, { 0: { actual: '120人' } }), 'C08')).toBeDefined();
    expect(codes(selfEval({}, { 0: { actual: '119人' } }))).not.toContain('C08');
  });
  it('C09 a qualitative score outside its band', () => {
    const t = selfEval({}, { 4: { actual: '部分达成', score: 29, deviation: '时间不足' } });
    expect(find(t, 'C09')).toBeDefined();
    expect(t.indicators[4].score).toBe(21);
    const kept = selfEval({}, { 4: { actual: '部分达成', score: 20, deviation: '时间不足' } });
    expect(codes(kept)).not.toContain('C09');
    expect(kept.indicators[4].score).toBe(20);
  });
  it('C10 a stated grade that differs', () => {
    expect(find(selfEval({ grade: '良' }), 'C10')?.message).toContain('优');
    expect(codes(selfEval({ grade: '优' }))).not.toContain('C10');
  });
  it('C11 a qualitative indicator that cannot be graded', () => {
    const t = selfEval({}, { 4: { actual: '群众反映良好' } });
    expect(find(t, 'C11')).toBeDefined();
    expect(t.totalScore).toBeNull();
    expect(t.grade).toBeNull();
  });
});
