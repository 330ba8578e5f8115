/** C-rules: weights, stated scores, totals and grades against the computed ones. */
import { NumAt } from '../model';
import { findLevel1 } from '../profiles';
import { clean, fmt2, fmtNum, fmtPct, roundHalfUp, sum2 } from '../round';
import { isPercentUnit } from '../values';
import { defineRule, indicatorName, SCORED } from './rule';

/**
 * Stated values are compared at the precision they are written with, but never coarser than 2 decimals
 * (a score of `10` written for a computed 9.76 is wrong; `56.67%` matches 56.6667%).
 */
export function differs(stated: NumAt, computed: number, percent = false): boolean {
  const scale = percent ? 100 : 1;
  const d = Math.max(stated.decimals - (percent ? 2 : 0), 2);
  const s = clean(stated.value * scale);
  const c = roundHalfUp(computed * scale, d);
  return Math.abs(s - c) > 0.01 + 1e-9;
}

export const C01 = defineRule({
  code: 'C01',
  severity: 'error',
  title: '指标分值合计不符',
  why: '各指标分值之和必须等于规定的总分值（通常为 100 分减去执行率的 10 分）；合计不对，总分和等级都没有意义，因此暂不计算。',
  fix: '调整各指标的分值使其合计等于应有的分值；提示中列出了相加的每一项，可据此找出多出或缺少的分。',
  message: (p: { expr: string; sum: string; expected: string; why: string }) =>
    `指标分值合计 = ${p.expr} = ${p.sum}，应为 ${p.expected}${p.why}。总分和等级暂不计算。`,
  kinds: SCORED,
  table({ t, p, s }, emit) {
    const weighted = s.indicators.filter((x) => x.weight !== null);
    // A 分值 that is no number (S05) is named in the sum, never silently left out (reading rule 9).
    const wc = t.cols.weight;
    const unread = new Map<number, string>();
    if (wc !== null)
      for (const u of t.unusable) if (u.pos.c === wc && u.readAs === undefined) unread.set(u.pos.r, u.value);
    const skipped = s.indicators.filter((x) => x.weight === null && unread.has(x.ind.r));
    if (weighted.length === 0 && skipped.length === 0) return;
    const sum = sum2(weighted.map((x) => x.weight!));
    if (Math.abs(sum - p.indicatorTotal) <= 0.005 && skipped.length === 0) return;
    const c = t.cols.weight ?? t.cols.level3;
    // Where the form's own total row states its 分值 (100), say where the 90 comes from.
    const stated = t.total?.weight?.value;
    const exec = s.funds?.weight ?? p.executionWeight;
    const why =
      stated !== undefined && Math.abs(stated - (p.indicatorTotal + exec)) < 0.005
        ? `（= 总分 ${fmtNum(stated)} − 执行率分值 ${fmtNum(exec)}）`
        : `（执行率另计 ${fmtNum(exec)} 分）`;
    const terms = s.indicators
      .filter((x) => x.weight !== null || unread.has(x.ind.r))
      .map((x) => (x.weight !== null ? fmtNum(x.weight) : `“${unread.get(x.ind.r)}”`));
    emit(t.total ? { r: t.total.r, c } : { r: t.headerRow, c }, {
      expr: terms.join(' + '),
      sum:
        skipped.length === 0
          ? fmtNum(sum)
          : `${fmtNum(sum)}（${skipped.map((x) => `“${unread.get(x.ind.r)}”`).join('、')}不是数字，未计入）`,
      expected: fmtNum(p.indicatorTotal),
      why,
    });
  },
  examples: {
    fires: [
      { form: 'self-eval', rows: { 0: { weight: 15 } }, says: '= 85，应为 90（= 总分 100 − 执行率分值 10）' },
      { form: 'self-eval', rows: { 0: { weight: '待定' } }, says: '“待定” + 10 + 10 + 10 + 30 + 10 = 70（“待定”不是数字，未计入）' },
    ],
    quiet: [{ form: 'self-eval' }],
  },
});

export const C02 = defineRule({
  code: 'C02',
  severity: 'warning',
  title: '一级指标分值与所含指标不符',
  why: '一级指标行标注的分值应等于其下各指标分值之和，否则读表的人无法判断哪一个数是对的。',
  fix: '改正一级指标标注的分值或其下各指标的分值，使两者一致。',
  message: (p: { name: string; stated: string; expr: string; sum: string }) =>
    `一级指标“${p.name}”标注 ${p.stated} 分，所含指标分值合计 = ${p.expr} = ${p.sum}。`,
  kinds: SCORED,
  table({ t, p, s }, emit) {
    for (const [l1, st] of t.level1Weights) {
      const xs = s.indicators.filter((x) => x.ind.level1 === l1 && x.weight !== null);
      const sum = sum2(xs.map((x) => x.weight!));
      if (Math.abs(sum - st.weight) <= 0.005) continue;
      emit(st.pos, {
        name: findLevel1(p, l1)?.name ?? l1,
        stated: fmtNum(st.weight),
        expr: xs.map((x) => fmtNum(x.weight!)).join(' + ') || '0',
        sum: fmtNum(sum),
      });
    }
  },
  examples: {
    fires: [
      { form: 'self-eval', spec: { layout: { level1Weights: { 产出指标: 50, 效益指标: 30 } } }, says: '产出指标' },
    ],
    quiet: [{ form: 'self-eval', spec: { layout: { level1Weights: { 产出指标: 40 } } } }],
  },
});

export const C03 = defineRule({
  code: 'C03',
  severity: 'error',
  title: '得分超过分值',
  why: '得分不能超过该项的分值，否则总分会虚高。',
  fix: '把得分改为不超过分值的数；实际超额完成的，也只能得满分。',
  message: (p: { what: string; stated: string; weight: string }) => `${p.what}得分 ${p.stated} 超过分值 ${p.weight}。`,
  kinds: SCORED,
  indicator(_ctx, x, emit) {
    const st = x.ind.statedScore;
    if (st && x.weight !== null && st.value > x.weight + 0.005)
      emit(st.pos, { what: `“${indicatorName(x)}”`, stated: fmtNum(st.value), weight: fmtNum(x.weight) });
  },
  table({ t, s }, emit) {
    const row = t.funds?.total;
    const fs = s.funds;
    if (row?.score && fs && row.score.value > fs.weight + 0.005)
      emit(row.score.pos, { what: '执行率', stated: fmtNum(row.score.value), weight: fmtNum(fs.weight) });
  },
  examples: {
    fires: [{ form: 'self-eval', rows: { 0: { score: 25 } } }],
    quiet: [{ form: 'self-eval', rows: { 0: { score: 20 } } }],
  },
});

export const C04 = defineRule({
  code: 'C04',
  severity: 'warning',
  title: '得分与计算不符',
  why: '填报得分与按完成情况计算的得分不一致，自评结果会被认为不实。',
  fix: '按提示的计算依据改正得分，或核对指标值、实际完成值是否填写正确；可用「回填」写入计算结果。',
  message: (p: { name: string; stated: string; computed: string; basis: string }) =>
    `“${p.name}”填报得分 ${p.stated}，按规则应为 ${p.computed}（${p.basis}）。`,
  kinds: SCORED,
  indicator(_ctx, x, emit) {
    const st = x.ind.statedScore;
    // A qualitative score outside its band is C09's; a kept user score is the score.
    if (!st || x.score === null || x.kept || (x.outsideBand && x.grade && x.weight !== null)) return;
    if (differs(st, x.score))
      emit(st.pos, { name: indicatorName(x), stated: fmtNum(st.value), computed: fmt2(x.score), basis: x.basis ?? '' });
  },
  examples: {
    fires: [{ form: 'self-eval', rows: { 3: { actual: '520元/人', score: 10, deviation: '物价上涨' } }, says: '9.62' }],
    quiet: [
      { form: 'self-eval', rows: { 3: { actual: '520元/人', score: 9.62, deviation: '物价上涨' } } },
      { form: 'self-eval', rows: { 3: { actual: '520元/人', score: 9.6154, deviation: '物价上涨' } } },
    ],
  },
});

export const C05 = defineRule({
  code: 'C05',
  severity: 'error',
  title: '总分与计算不符',
  why: '总分应等于执行率得分加各指标得分；不一致时等级也可能错误。',
  fix: '把总分改为提示中的计算值，或用「回填」写入；若单元格是公式，请检查公式引用的范围。',
  message: (p: { stated: string; computed: string; expr: string }) =>
    `填报总分 ${p.stated}，计算应为 ${p.computed}（${p.expr}）。`,
  kinds: SCORED,
  table({ t, s }, emit) {
    if (!t.total?.stated || s.total === null || !differs(t.total.stated, s.total)) return;
    emit(t.total.stated.pos, {
      stated: fmtNum(t.total.stated.value),
      computed: fmt2(s.total),
      expr: `${fmt2(s.funds?.score ?? 0)}（执行率）+ ${fmt2(s.indicatorScore ?? 0)}（指标）`,
    });
  },
  examples: {
    fires: [{ form: 'self-eval', spec: { total: 98 }, says: '100.00' }],
    quiet: [{ form: 'self-eval', spec: { total: 100 } }],
  },
});

export const C06 = defineRule({
  code: 'C06',
  severity: 'warning',
  title: '执行率或其得分与计算不符',
  why: '执行率 = 执行数 ÷ 预算数，其得分按执行率和分值计算；填报值与计算不符会影响总分。',
  fix: '按提示改正执行率或执行率得分，或用「回填」写入计算结果；也请核对预算数和执行数。',
  message: (p: { what: string; stated: string; computed: string; basis: string }) =>
    `填报${p.what} ${p.stated}，计算应为 ${p.computed}（${p.basis}）。`,
  kinds: SCORED,
  table({ t, s }, emit) {
    const row = t.funds?.total;
    const fs = s.funds;
    if (!row || !fs) return;
    if (row.rate && fs.rate !== null) {
      // A rate written as a plain number above 1.5 is a percentage without its sign (96 for 96%).
      const r = row.rate;
      const statedPct = r.percent
        ? r
        : { ...r, value: r.value > 1.5 ? r.value / 100 : r.value, decimals: r.decimals + 2 };
      if (differs(statedPct, fs.rate, true))
        emit(r.pos, {
          what: '执行率',
          stated: fmtPct(statedPct.value),
          computed: fmtPct(fs.rate),
          basis: fs.basis ?? '',
        });
    }
    if (row.score && fs.score !== null && differs(row.score, fs.score)) {
      emit(row.score.pos, {
        what: '执行率得分',
        stated: fmtNum(row.score.value),
        computed: fmt2(fs.score),
        basis: fs.basis ?? '',
      });
    }
  },
  examples: {
    fires: [
      {
        form: 'self-eval',
        spec: { funds: { initial: 6, budget: 6, executed: 5.7, rate: '96%', rateScore: 9.5 } },
        says: '95.00%',
        count: 1,
      },
    ],
    quiet: [
      { form: 'self-eval', spec: { funds: { initial: 6, budget: 6, executed: 3.4, rate: '56.67%', rateScore: 5.67 } } },
    ],
  },
});

export const C07 = defineRule({
  code: 'C07',
  severity: 'warning',
  title: '未达满分却未说明偏差原因',
  why: '未得满分的指标须说明偏差原因和改进措施，这是自评表审核的必查项。',
  fix: '在该行的「偏差原因分析及改进措施」栏写明未完成的原因和下一步措施。',
  message: (p: { name: string; score: string; weight: string; basis: string }) =>
    `“${p.name}”得分 ${p.score}，低于分值 ${p.weight}（${p.basis}），但“偏差原因分析及改进措施”为空。`,
  kinds: SCORED,
  indicator(_ctx, x, emit) {
    const ind = x.ind;
    if (x.score === null || x.weight === null || x.score >= x.weight - 0.005 || ind.deviation) return;
    emit(ind.deviationPos ?? ind.scorePos ?? ind.target.pos, {
      name: indicatorName(x),
      score: fmt2(x.score),
      weight: fmtNum(x.weight),
      basis: x.basis ?? '',
    });
  },
  examples: {
    fires: [{ form: 'self-eval', rows: { 0: { actual: '90人' } } }],
    quiet: [{ form: 'self-eval', rows: { 0: { actual: '90人', deviation: '报名人数不足' } } }],
  },
});

export const C08 = defineRule({
  code: 'C08',
  severity: 'info',
  title: '指标值可能设置偏低',
  why: '实际完成远超指标值，通常说明目标定得过低，评价时会被认为目标设置不合理。',
  fix: '在偏差原因栏说明超额完成的原因，并在下年度的目标表中适当提高指标值。',
  message: (p: { actual: string; target: string; ratio: string; factor: string }) =>
    `实际完成 ${p.actual} 达到指标值 ${p.target} 的 ${p.ratio} 倍（≥ ${p.factor} 倍）：指标值可能设置偏低，请分析原因并在下年度调整。`,
  // Completion tables too: a target set too low shows in any actual.
  kinds: [...SCORED, 'completion'],
  indicator({ p }, x, emit) {
    if (!x.numbers || !x.ind.actual || x.target.kind !== 'number') return;
    if (x.target.op !== '>=' && x.target.op !== '>') return;
    const { t, a, unit } = x.numbers;
    if (t <= 0 || (isPercentUnit(unit) && t >= 100)) return;
    if (a >= p.c08Factor * t - 1e-9) {
      emit(x.ind.actual.pos, {
        actual: `${fmtNum(a)}${unit}`,
        target: `${fmtNum(t)}${unit}`,
        ratio: fmtNum(roundHalfUp(a / t, 2)),
        factor: fmtNum(p.c08Factor),
      });
    }
  },
  examples: {
    fires: [{ form: 'self-eval', rows: { 0: { actual: '120人' } } }],
    quiet: [{ form: 'self-eval', rows: { 0: { actual: '119人' } } }],
  },
});

export const C09 = defineRule({
  code: 'C09',
  severity: 'warning',
  title: '定性得分超出等级区间',
  why: '定性指标按判定的等级在规定的分数区间内给分；填报得分不在该等级的区间内，检查已按区间内的分数计算。',
  fix: '把得分改为该等级区间内的分数，或核对判定等级是否正确。',
  message: (p: { name: string; grade: string; stated: string; band: string; used: string }) =>
    `“${p.name}”判定为“${p.grade}”，填报得分 ${p.stated} 不在该等级区间 ${p.band} 内，已按 ${p.used} 计分。`,
  kinds: SCORED,
  indicator({ p }, x, emit) {
    const st = x.ind.statedScore;
    if (!x.outsideBand || !st || !x.grade || x.weight === null) return;
    const [lo, hi] = x.grade === '部分达成' ? p.partialBand : p.failBand;
    emit(st.pos, {
      name: indicatorName(x),
      grade: x.grade,
      stated: fmtNum(st.value),
      band: `[${fmtNum(lo * x.weight)}, ${fmtNum(hi * x.weight)})`,
      used: fmt2(x.score ?? 0),
    });
  },
  examples: {
    fires: [{ form: 'self-eval', rows: { 4: { actual: '部分达成', score: 29, deviation: '时间不足' } } }],
    quiet: [{ form: 'self-eval', rows: { 4: { actual: '部分达成', score: 20, deviation: '时间不足' } } }],
  },
});

export const C10 = defineRule({
  code: 'C10',
  severity: 'warning',
  title: '等级与计算不符',
  why: '等级由总分按评分标准的分档确定（如 ≥90 为优）；填报等级与总分不符，自评结论就不一致。',
  fix: '按提示把等级改为与总分相符的等级，或用「回填」写入；也请确认「设置」中的评分标准（中央或河北）是否正确。',
  message: (p: { stated: string; computed: string; total: string }) =>
    `填报等级“${p.stated}”，按总分 ${p.total} 应为“${p.computed}”。`,
  kinds: SCORED,
  table({ t, s }, emit) {
    if (!t.grade?.stated || s.grade === null || s.total === null || t.grade.stated.replace(/\s/g, '') === s.grade)
      return;
    emit(t.grade.pos, { stated: t.grade.stated, computed: s.grade, total: fmt2(s.total) });
  },
  examples: {
    fires: [{ form: 'self-eval', spec: { grade: '良' }, says: '优' }],
    quiet: [{ form: 'self-eval', spec: { grade: '优' } }],
  },
});

export const C11 = defineRule({
  code: 'C11',
  severity: 'info',
  title: '定性指标需人工确认',
  why: '定性指标（如「按时完成」「效果良好」）无法自动判断是否达成，得分需要填报人确认。',
  fix: '核对实际完成情况后在得分栏填写得分；在「回填」中勾选默认分即表示确认采用。',
  message: (p: { name: string; detail: string }) => `定性指标“${p.name}”需人工确认：${p.detail}`,
  kinds: SCORED,
  indicator(_ctx, x, emit) {
    const ind = x.ind;
    if (!x.qualitative || !(x.ungradable || x.defaulted) || !ind.actual) return;
    const detail = x.ungradable
      ? x.kept
        ? `实际完成值“${ind.actual.text}”无法自动判定是否达成指标值“${ind.target.text}”，保留填报得分 ${fmtNum(x.score!)}。`
        : `实际完成值“${ind.actual.text}”无法自动判定是否达成指标值“${ind.target.text}”，且未填写得分：总分暂不计算，请人工评分。`
      : `${x.basis}（未填写该区间内的得分，采用默认分值）。`;
    emit(ind.actual.pos, { name: indicatorName(x), detail });
  },
  examples: {
    fires: [{ form: 'self-eval', rows: { 4: { actual: '群众反映良好' } } }],
    quiet: [{ form: 'self-eval' }],
  },
});

export const SCORE_RULES = [C01, C02, C03, C04, C05, C06, C07, C08, C09, C10, C11];
