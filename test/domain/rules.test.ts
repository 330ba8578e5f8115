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
    const expected = 'S01 S02 S03 S04 S05 S06 S07 S08 V01 V02 V03 V04 V05 V06 V07 V08 V09 V10 V11 F01 F02 F03 F04 F05 F06 F07 F08 C01 C02 C03 C04 C05 C06 C07 C08 C09 C10 C11 D01'.split(' ');
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
});

describe('numbers no host computes with are S05 at the cell (issue #22, reading rule 9)', () => {
  it.each(['1e309', 'NaN', 'Infinity', '0x1A', '（空的数值）'])('%s in 分值 and in 全年执行数', (v) => {
    const t = selfEval({ funds: { initial: 10, budget: 10, executed: v } }, { 0: { weight: v } });
    const s05 = t.findings.filter((f) => f.code === 'S05');
    expect(s05.map((f) => f.message).join('|')).toContain(v);
    // 全年执行数 of 年度资金总额 and of its first 其中 row (the form writes it in both), and the 分值.
    expect(s05.map((f) => f.message.slice(0, 5))).toEqual(['全年执行数', '全年执行数', `分值“${v.slice(0, 2)}`]);
    expect(t.totalScore).toBeNull();
  });
});

describe('a paste that leaves rows without levels or covers the 总分 row (reading rule 10)', () => {
  const withExtraRow = (mergeGroups: boolean) => {
    const b = new SheetBuilder('自评');
    const inds = standardIndicators({ 5: { weight: 5 } });
    inds.push({ l1: '', l2: '', l3: '培训课时', target: '≥40课时', actual: '40课时', weight: 5 });
    writeSelfEval(b, { name: '职工技能培训', funds: { initial: 10, budget: 10, executed: 10 }, indicators: inds, layout: { mergeGroups } });
    return analyzeSheet(b.grid(), { workbookYear: 2025 }).tables[0];
  };
  it('a row pasted below the merged groups with no 一级/二级 gets one S02 at its 一级 cell', () => {
    const t = withExtraRow(true);
    const s02 = t.findings.filter((f) => f.code === 'S02');
    expect(s02).toHaveLength(1);
    expect(s02[0].message).toContain('一级指标为空');
    expect(s02[0].message).toContain('满意度指标');
    expect(t.findings.filter((f) => f.code === 'S03')).toEqual([]);
  });
  it('the same blank cells in a form without merges are the label above (RULES §1), no finding', () => {
    expect(withExtraRow(false).findings.filter((f) => f.code === 'S02' || f.code === 'S03')).toEqual([]);
  });
  it('a 总分 row pasted over under a kept 评价等级 line is S01, and the table is not graded', () => {
    const b = new SheetBuilder('自评');
    writeSelfEval(b, { name: '职工技能培训', funds: { initial: 10, budget: 10, executed: 10 }, indicators: standardIndicators(), total: 100, grade: '优' });
    const sound = analyzeSheet(b.grid(), { workbookYear: 2025 }).tables[0];
    expect(sound.grade).toBe('优');
    expect(codes(sound)).toEqual([]);
    const tr = b.values.findIndex((row) => row?.[0] === '总分');
    b.merges = b.merges.filter((m) => !m.startsWith(`A${tr + 1}:`));
    b.values[tr] = [null, null, null, '培训课时', '≥40课时', '40课时'];
    const t = analyzeSheet(b.grid(), { workbookYear: 2025 }).tables[0];
    expect(t.grade).toBeNull();
    expect(t.totalScore).toBeNull();
    const s01 = t.findings.filter((f) => f.code === 'S01');
    expect(s01).toHaveLength(1);
    expect(s01[0].message).toContain('总分');
    // The grade line is not read as one more indicator.
    expect(t.indicators.map((i) => i.level3)).not.toContain('评价等级');
  });
});

// Each rule's fires / stays-quiet cases live with the rule (src/domain/rules/*) and run in rule-examples.test.ts.
// What follows are the scores and figures those rules leave behind.
describe('scores and figures around the rules', () => {
  it('V10: a text actual for a numeric target is graded as qualitative', () => {
    expect(selfEval({}, { 0: { actual: '完成' } }).indicators[0].score).toBe(20);
  });
  it('a completion status with a share is graded by the share, never compared by unit (reading rule 7)', () => {
    const full = selfEval({}, { 0: { actual: '已完成100%' } });
    expect(full.indicators[0].score).toBe(20);
    expect(codes(full)).toEqual([]);
    const part = selfEval({}, { 0: { actual: '完成80%', deviation: '部分学员缺课' } });
    expect(part.indicators[0].score).toBe(16);
    expect(codes(part)).toEqual([]);
    // Against a 反向 cost target a share short of 100% is 部分达成 (0.7w by default).
    expect(selfEval({}, { 3: { actual: '已完成90%', deviation: '采购延后' } }).indicators[3].score).toBe(7);
  });
  it('F06: an executed amount above budget scores the rate at 100%', () => {
    expect(selfEval({ funds: { initial: 10, budget: 10, executed: 11 } }).funds!.score).toBe(10);
  });
  it('uses the sum of the 其中 rows when 年度资金总额 is blank', () => {
    const t = selfEval({ funds: { parts: [{ label: '当年财政拨款', budget: 0.5, executed: 0.5 }, { label: '上年结转资金', budget: 0.13, executed: 0.1 }] } });
    expect(t.funds!.budget).toBe(0.63);
    expect(t.funds!.executed).toBe(0.6);
    expect(t.funds!.score).toBe(9.52);
  });
  it('uses the sum of the 其中 rows when 年度资金总额 is all zero while they are filled (RULES v2 §3)', () => {
    const t = selfEval({ funds: { initial: 0, budget: 0, executed: 0, parts: [{ label: '本年财政拨款', initial: 90, budget: 89.974, executed: 89.974 }] } });
    expect(t.funds!.rate).toBe(1);
    expect(t.funds!.score).toBe(10);
  });
  it('C09: a qualitative score outside its band is replaced by the default; inside it is kept', () => {
    expect(selfEval({}, { 4: { actual: '部分达成', score: 29, deviation: '时间不足' } }).indicators[4].score).toBe(21);
    expect(selfEval({}, { 4: { actual: '部分达成', score: 20, deviation: '时间不足' } }).indicators[4].score).toBe(20);
  });
  it('C11: an ungradable qualitative indicator without a user score withholds the total and the grade', () => {
    const t = selfEval({}, { 4: { actual: '群众反映良好' } });
    expect(t.totalScore).toBeNull();
    expect(t.grade).toBeNull();
  });
  it('C01: weights that do not add up to 90 withhold the total and the grade', () => {
    const t = selfEval({}, { 0: { weight: 15 } });
    expect(find(t, 'C01')).toBeDefined();
    expect(t.indicatorScore).not.toBeNull();
    expect(t.totalScore).toBeNull();
    expect(t.grade).toBeNull();
  });
});
