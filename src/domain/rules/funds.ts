/** F-rules: budget figures, spending plan, execution. */
import { NumAt } from '../model';
import { clean, fmt2, fmtPct, round2 } from '../round';
import { RuleContext } from './catalogue';

const TOL = 0.005 + 1e-9;
const CHECKPOINTS = ['3月底', '6月底', '10月底', '12月底'];

const pct = (n: NumAt) => fmtPct(n.value).replace(/\.00%$/, '%');

export function fundsRules(ctx: RuleContext): void {
  const { t, p, s, emit } = ctx;

  // Target tables: 预算数 = 财政资金 + 其他资金, and the spending plan.
  const tf = t.targetFunds;
  if (tf && tf.budget && (tf.fiscal || tf.other)) {
    const fiscal = tf.fiscal ? clean(tf.fiscal.value) : 0;
    const other = tf.other ? clean(tf.other.value) : 0;
    const sum = clean(fiscal + other);
    if (Math.abs(clean(tf.budget.value) - sum) > TOL) {
      emit('F01', tf.budget.pos, { budget: fmt2(tf.budget.value), fiscal: fmt2(fiscal), other: fmt2(other), sum: fmt2(sum) });
    }
  }
  const plan = t.spendingPlan;
  if (plan) {
    const vals = plan.values;
    let prev: { v: NumAt; i: number } | null = null;
    vals.forEach((v, i) => {
      if (!v) return;
      if (v.value < -1e-9 || v.value > 1 + 1e-9) emit('F04', v.pos, { when: CHECKPOINTS[i], value: pct(v) });
      if (prev && v.value < prev.v.value - 1e-9) {
        emit('F02', v.pos, { from: CHECKPOINTS[prev.i], a: pct(prev.v), to: CHECKPOINTS[i], b: pct(v) });
      }
      prev = { v, i };
    });
    const dec = vals[3];
    if (!dec || Math.abs(dec.value - 1) > 1e-9) {
      emit('F03', dec ? dec.pos : { r: plan.labelsRow + 1, c: plan.cols[3] }, { value: dec ? pct(dec) : '' });
    }
  }

  // Self-evaluation funds block.
  const f = t.funds;
  const fs = s.funds;
  if (!f || !fs) return;
  const total = f.total;
  if (total && fs.fromParts === 'zero') {
    // One finding for the row, not one per column: the whole 年度资金总额 row is 0 while its 其中 rows are filled.
    const pos = total.budget?.pos ?? total.executed?.pos ?? total.initial?.pos;
    const parts = f.parts.map((r) => r.budget).filter((x): x is NumAt => x !== null);
    if (pos) {
      emit('F05', pos, {
        col: '全年预算数',
        total: fmt2(0),
        parts: parts.map((x) => fmt2(x.value)).join(' + '),
        sum: fmt2(fs.budget ?? 0),
        note: '；年度资金总额整行为 0，执行率已按其中各项之和计算',
      });
    }
  } else if (total) {
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
        emit('F05', tv.pos, { col: label, total: fmt2(tv.value), parts: parts.map((x) => fmt2(x.value)).join(' + '), sum: fmt2(sum) });
      }
    }
  }
  const execPos = total?.executed?.pos ?? total?.budget?.pos ?? { r: f.headerRow, c: f.cols.executed ?? 0 };
  if (fs.budget !== null && fs.executed !== null && fs.executed > fs.budget + TOL) {
    emit('F06', execPos, { executed: fmt2(fs.executed), budget: fmt2(fs.budget) });
  }
  if (fs.rate !== null && round2(fs.rate * 100) < round2(p.executionThreshold * 100) && fs.basis) {
    const pos = total?.rate?.pos ?? (total && f.cols.rate !== null ? { r: total.r, c: f.cols.rate } : execPos);
    emit('F07', pos, { basis: fs.basis, threshold: fmtPct(p.executionThreshold).replace(/\.00%$/, '%') });
  }
  // F08 applies to project tables: a department's whole budget is adjusted during every year as a matter of
  // course (basic spending follows staffing), so on 部门整体 tables it would be noise (docs/RULES-DECISIONS.md).
  if (t.kind === 'self-eval' && fs.initial !== null && fs.budget !== null && Math.abs(fs.initial - fs.budget) > TOL) {
    emit('F08', total?.budget?.pos ?? execPos, { budget: fmt2(fs.budget), initial: fmt2(fs.initial) });
  }
}
