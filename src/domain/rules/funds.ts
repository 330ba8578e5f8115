/** F-rules: budget figures, spending plan, execution. */
import { NumAt } from '../model';
import { clean, fmt2, fmtPct, round2 } from '../round';
import { defineRule, RuleContext } from './rule';

const TOL = 0.005 + 1e-9;
const CHECKPOINTS = ['3月底', '6月底', '10月底', '12月底'];

const pct = (n: NumAt) => fmtPct(n.value).replace(/\.00%$/, '%');

/** Where execution findings point: the total row's 全年执行数 (or 全年预算数), else the funds header. */
function execPos(ctx: RuleContext) {
  const f = ctx.t.funds!;
  return f.total?.executed?.pos ?? f.total?.budget?.pos ?? { r: f.headerRow, c: f.cols.executed ?? 0 };
}

export const F01 = defineRule({
  code: 'F01',
  severity: 'error',
  title: '预算数与资金来源不符',
  why: '目标表中的预算数应等于财政资金与其他资金之和；不符说明资金来源填写有误，审核时会被退回。',
  fix: '核对预算数、财政资金和其他资金三格，改正填错的一项，使预算数 = 财政资金 + 其他资金。',
  message: (p: { budget: string; fiscal: string; other: string; sum: string }) =>
    `预算数 ≠ 财政资金 + 其他资金：${p.budget} ≠ ${p.fiscal} + ${p.other} = ${p.sum}（万元）。`,
  kinds: ['target'],
  table({ t }, emit) {
    const tf = t.targetFunds;
    if (!tf || !tf.budget || (!tf.fiscal && !tf.other)) return;
    const fiscal = tf.fiscal ? clean(tf.fiscal.value) : 0;
    const other = tf.other ? clean(tf.other.value) : 0;
    const sum = clean(fiscal + other);
    if (Math.abs(clean(tf.budget.value) - sum) > TOL) {
      emit(tf.budget.pos, { budget: fmt2(tf.budget.value), fiscal: fmt2(fiscal), other: fmt2(other), sum: fmt2(sum) });
    }
  },
  examples: {
    fires: [{ form: 'target', spec: { budget: 20, fiscal: 15, other: 3 }, says: '20.00 ≠ 15.00 + 3.00 = 18.00' }],
    quiet: [
      { form: 'target', spec: { budget: 20, fiscal: 15, other: 5 } },
      { form: 'target', spec: { budget: 20.004, fiscal: 20 } },
    ],
  },
});

export const F02 = defineRule({
  code: 'F02',
  severity: 'error',
  title: '资金支出计划递减',
  why: '资金支出计划是累计进度，后一时点不应低于前一时点。',
  fix: '按累计数填写各时点的支出计划，使其逐月不减（如 30%、60%、100%）。',
  message: (p: { from: string; a: string; to: string; b: string }) =>
    `资金支出计划不应递减：${p.from}为 ${p.a}，${p.to}却为 ${p.b}。`,
  table({ t }, emit) {
    let prev: { v: NumAt; i: number } | null = null;
    (t.spendingPlan?.values ?? []).forEach((v, i) => {
      if (!v) return;
      if (prev && v.value < prev.v.value - 1e-9)
        emit(v.pos, { from: CHECKPOINTS[prev.i], a: pct(prev.v), to: CHECKPOINTS[i], b: pct(v) });
      prev = { v, i };
    });
  },
  examples: {
    fires: [{ form: 'target', spec: { plan: [0.5, 0.3, 0.8, 1] } }],
    quiet: [{ form: 'target', spec: { plan: [null, 0.25, 0.83, 1] } }],
  },
});

export const F03 = defineRule({
  code: 'F03',
  severity: 'warning',
  title: '12月底支出计划不是100%',
  why: '年度预算应在年底前支出完毕，12月底的累计支出计划应为 100%。',
  fix: '把 12 月底的支出计划填为 100%，并相应调整前面各时点。',
  message: (p: { value: string }) =>
    p.value ? `资金支出计划12月底为 ${p.value}，应为 100%。` : '资金支出计划12月底未填写，应为 100%。',
  table({ t }, emit) {
    const plan = t.spendingPlan;
    if (!plan) return;
    const dec = plan.values[3];
    if (!dec || Math.abs(dec.value - 1) > 1e-9)
      emit(dec ? dec.pos : { r: plan.labelsRow + 1, c: plan.cols[3] }, { value: dec ? pct(dec) : '' });
  },
  examples: {
    fires: [
      { form: 'target', spec: { plan: [0.25, 0.5, 0.83, 0.9] }, says: '90%' },
      { form: 'target', spec: { plan: [0.25, 0.5, 0.83, null] }, says: '未填写' },
    ],
    quiet: [{ form: 'target', spec: { plan: [0.25, 0.5, 0.83, '100%'] } }],
  },
});

export const F04 = defineRule({
  code: 'F04',
  severity: 'warning',
  title: '支出计划超出0–100%',
  why: '支出计划是占预算的比例，只能在 0% 到 100% 之间。',
  fix: '按占全年预算的百分比重新填写该时点的支出计划。',
  message: (p: { when: string; value: string }) => `资金支出计划${p.when}为 ${p.value}，应在 0–100% 之间。`,
  table({ t }, emit) {
    (t.spendingPlan?.values ?? []).forEach((v, i) => {
      if (v && (v.value < -1e-9 || v.value > 1 + 1e-9)) emit(v.pos, { when: CHECKPOINTS[i], value: pct(v) });
    });
  },
  examples: {
    fires: [{ form: 'target', spec: { plan: [0.25, 0.5, 1.2, 1.2] } }],
    quiet: [{ form: 'target' }],
  },
});

export const F05 = defineRule({
  code: 'F05',
  severity: 'error',
  title: '资金总额与分项之和不符',
  why: '年度资金总额应等于其中各项资金（财政拨款、其他资金等）之和；不符说明有一项填错或漏填。',
  fix: '核对总额和各分项，改正错误的数字，使总额 = 各项之和。',
  message: (p: { col: string; total: string; parts: string; sum: string; note: string }) =>
    `年度资金总额的${p.col} ≠ 其中各项之和：${p.total} ≠ ${p.parts} = ${p.sum}（万元）${p.note}。`,
  table({ t, s }, emit) {
    const f = t.funds;
    const fs = s.funds;
    const total = f?.total;
    if (!f || !fs || !total) return;
    if (fs.fromParts === 'zero') {
      // One finding for the row, not one per column: the whole 年度资金总额 row is 0 while its 其中 rows are filled.
      const pos = total.budget?.pos ?? total.executed?.pos ?? total.initial?.pos;
      const parts = f.parts.map((r) => r.budget).filter((x): x is NumAt => x !== null);
      if (pos) {
        emit(pos, {
          col: '全年预算数',
          total: fmt2(0),
          parts: parts.map((x) => fmt2(x.value)).join(' + '),
          sum: fmt2(fs.budget ?? 0),
          note: '；年度资金总额整行为 0，执行率已按其中各项之和计算',
        });
      }
      return;
    }
    for (const [key, label] of [
      ['initial', '年初预算数'],
      ['budget', '全年预算数'],
      ['executed', '全年执行数'],
    ] as const) {
      const tv = total[key];
      const parts = f.parts.map((r) => r[key]).filter((x): x is NumAt => x !== null);
      if (!tv || parts.length === 0) continue;
      const sum = clean(parts.reduce((a, x) => a + x.value, 0));
      if (Math.abs(clean(tv.value) - sum) > TOL) {
        emit(tv.pos, {
          col: label,
          total: fmt2(tv.value),
          parts: parts.map((x) => fmt2(x.value)).join(' + '),
          sum: fmt2(sum),
          note: '',
        });
      }
    }
  },
  examples: {
    fires: [
      {
        form: 'self-eval',
        spec: {
          funds: {
            initial: 10,
            budget: 10,
            executed: 10,
            parts: [
              { label: '当年财政拨款', budget: 6, executed: 6 },
              { label: '上年结转资金', budget: 3, executed: 4 },
            ],
          },
        },
        says: '6.00 + 3.00 = 9.00',
        count: 1,
      },
      {
        form: 'self-eval',
        spec: {
          funds: {
            initial: 0,
            budget: 0,
            executed: 0,
            parts: [{ label: '本年财政拨款', initial: 90, budget: 89.974, executed: 89.974 }],
          },
        },
        says: '整行为 0',
        count: 1,
      },
    ],
    quiet: [{ form: 'self-eval' }],
  },
});

export const F06 = defineRule({
  code: 'F06',
  severity: 'warning',
  title: '执行数超过预算数',
  why: '执行数超过预算数说明超预算支出，或预算调整后未更新预算数，执行率会超过 100%。',
  fix: '核对全年预算数和执行数；预算经过调整的，填写调整后的全年预算数并说明原因。',
  message: (p: { executed: string; budget: string }) => `全年执行数 ${p.executed} 大于全年预算数 ${p.budget}（万元）。`,
  table(ctx, emit) {
    const fs = ctx.s.funds;
    if (!ctx.t.funds || !fs || fs.budget === null || fs.executed === null || fs.executed <= fs.budget + TOL) return;
    emit(execPos(ctx), { executed: fmt2(fs.executed), budget: fmt2(fs.budget) });
  },
  examples: {
    fires: [{ form: 'self-eval', spec: { funds: { initial: 10, budget: 10, executed: 11 } } }],
    quiet: [{ form: 'self-eval' }],
  },
});

export const F07 = defineRule({
  code: 'F07',
  severity: 'warning',
  title: '预算执行率偏低',
  why: '预算执行率偏低会被扣分，也是绩效评价重点关注的问题，须在自评中说明原因。',
  fix: '核对执行数是否完整；确属执行偏慢的，在偏差原因或自评报告中说明原因和改进措施。',
  message: (p: { basis: string; threshold: string }) => `${p.basis}，低于 ${p.threshold}。请说明原因。`,
  table(ctx, emit) {
    const { t, p, s } = ctx;
    const f = t.funds;
    const fs = s.funds;
    if (!f || !fs || fs.rate === null || !fs.basis) return;
    if (round2(fs.rate * 100) >= round2(p.executionThreshold * 100)) return;
    const total = f.total;
    const pos = total?.rate?.pos ?? (total && f.cols.rate !== null ? { r: total.r, c: f.cols.rate } : execPos(ctx));
    emit(pos, { basis: fs.basis, threshold: fmtPct(p.executionThreshold).replace(/\.00%$/, '%') });
  },
  examples: {
    fires: [
      {
        form: 'self-eval',
        spec: { funds: { initial: 6, budget: 6, executed: 3.4 } },
        says: '执行率 = 3.40 ÷ 6.00 = 56.67%，得分 = 56.67% × 10 = 5.67',
      },
    ],
    quiet: [{ form: 'self-eval', spec: { funds: { initial: 10, budget: 10, executed: 9 } } }],
  },
});

export const F08 = defineRule({
  code: 'F08',
  severity: 'info',
  title: '预算经过调整',
  why: '全年预算数与年初预算数不同，说明预算在年中调整过，评价时需要知道调整的原因。',
  fix: '确认两数填写无误，并在自评报告或说明栏中写明预算调整的原因和依据。',
  message: (p: { budget: string; initial: string }) =>
    `全年预算数 ${p.budget} ≠ 年初预算数 ${p.initial}（万元），预算在年度中经过调整，请说明调整原因。`,
  // Project tables only: a department's whole budget is adjusted during every year as a matter of course (basic
  // spending follows staffing), so on 部门整体 tables it would be noise (docs/RULES-DECISIONS.md).
  kinds: ['self-eval'],
  table(ctx, emit) {
    const fs = ctx.s.funds;
    if (!ctx.t.funds || !fs || fs.initial === null || fs.budget === null || Math.abs(fs.initial - fs.budget) <= TOL)
      return;
    emit(ctx.t.funds.total?.budget?.pos ?? execPos(ctx), { budget: fmt2(fs.budget), initial: fmt2(fs.initial) });
  },
  examples: {
    fires: [{ form: 'self-eval', spec: { funds: { initial: 12, budget: 10, executed: 10 } } }],
    quiet: [
      { form: 'self-eval' },
      { form: 'self-eval', spec: { kind: 'dept-self-eval', funds: { initial: 12, budget: 10, executed: 10 } } },
    ],
  },
});

export const FUNDS_RULES = [F01, F02, F03, F04, F05, F06, F07, F08];
