/** C-rules: weights, stated scores, totals and grades against the computed ones. */
import { NumAt } from '../model';
import { findLevel1 } from '../profiles';
import { clean, fmt2, fmtNum, fmtPct, roundHalfUp, sum2 } from '../round';
import { isPercentUnit } from '../values';
import { RuleContext } from './catalogue';

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

export function scoreRules(ctx: RuleContext): void {
  const { t, p, s, emit } = ctx;
  if (t.kind !== 'self-eval' && t.kind !== 'dept-self-eval') {
    // C08 still applies to completion tables (a target set too low shows in any actual).
    if (t.kind === 'completion') c08(ctx);
    return;
  }

  // C01 / C02: weights
  const weighted = s.indicators.filter((x) => x.weight !== null);
  if (weighted.length > 0) {
    const sum = sum2(weighted.map((x) => x.weight!));
    if (Math.abs(sum - p.indicatorTotal) > 0.005) {
      const pos = t.total ? { r: t.total.r, c: t.cols.weight ?? t.cols.level3 } : { r: t.headerRow, c: t.cols.weight ?? t.cols.level3 };
      emit('C01', pos, { expr: weighted.map((x) => fmtNum(x.weight!)).join(' + '), sum: fmtNum(sum), expected: fmtNum(p.indicatorTotal) });
    }
  }
  for (const [l1, st] of t.level1Weights) {
    const xs = s.indicators.filter((x) => x.ind.level1 === l1 && x.weight !== null);
    const sum = sum2(xs.map((x) => x.weight!));
    if (Math.abs(sum - st.weight) > 0.005) {
      emit('C02', st.pos, { name: findLevel1(p, l1)?.name ?? l1, stated: fmtNum(st.weight), expr: xs.map((x) => fmtNum(x.weight!)).join(' + ') || '0', sum: fmtNum(sum) });
    }
  }

  // Per indicator
  for (const x of s.indicators) {
    const ind = x.ind;
    const name = ind.level3 || ind.desc || `第${ind.r + 1}行指标`;
    const st = ind.statedScore;
    if (st && x.weight !== null && st.value > x.weight + 0.005) {
      emit('C03', st.pos, { what: `“${name}”`, stated: fmtNum(st.value), weight: fmtNum(x.weight) });
    }
    if (x.outsideBand && st && x.grade && x.weight !== null) {
      const [lo, hi] = x.grade === '部分达成' ? p.partialBand : p.failBand;
      emit('C09', st.pos, {
        name,
        grade: x.grade,
        stated: fmtNum(st.value),
        band: `[${fmtNum(lo * x.weight)}, ${fmtNum(hi * x.weight)})`,
        used: fmt2(x.score ?? 0),
      });
    } else if (st && x.score !== null && !x.kept && differs(st, x.score)) {
      emit('C04', st.pos, { name, stated: fmtNum(st.value), computed: fmt2(x.score), basis: x.basis ?? '' });
    }
    if (x.score !== null && x.weight !== null && x.score < x.weight - 0.005 && !ind.deviation) {
      emit('C07', ind.deviationPos ?? ind.scorePos ?? ind.target.pos, {
        name,
        score: fmt2(x.score),
        weight: fmtNum(x.weight),
        basis: x.basis ?? '',
      });
    }
    if (x.qualitative && (x.ungradable || x.defaulted) && ind.actual) {
      const detail = x.ungradable
        ? x.kept
          ? `实际完成值“${ind.actual.text}”无法自动判定是否达成指标值“${ind.target.text}”，保留填报得分 ${fmtNum(x.score!)}。`
          : `实际完成值“${ind.actual.text}”无法自动判定是否达成指标值“${ind.target.text}”，且未填写得分：总分暂不计算，请人工评分。`
        : `${x.basis}（未填写该区间内的得分，采用默认分值）。`;
      emit('C11', ind.actual.pos, { name, detail });
    }
  }
  c08(ctx);

  // Funds: C03 / C06
  const f = t.funds;
  const fs = s.funds;
  if (f && fs && f.total) {
    const row = f.total;
    if (row.score && row.score.value > fs.weight + 0.005) {
      emit('C03', row.score.pos, { what: '执行率', stated: fmtNum(row.score.value), weight: fmtNum(fs.weight) });
    }
    if (row.rate && fs.rate !== null) {
      const statedPct = row.rate.percent ? row.rate : { ...row.rate, value: row.rate.value > 1.5 ? row.rate.value / 100 : row.rate.value, decimals: row.rate.decimals + 2 };
      if (differs(statedPct, fs.rate, true)) {
        emit('C06', row.rate.pos, { what: '执行率', stated: fmtPct(statedPct.value), computed: fmtPct(fs.rate), basis: fs.basis ?? '' });
      }
    }
    if (row.score && fs.score !== null && differs(row.score, fs.score)) {
      emit('C06', row.score.pos, { what: '执行率得分', stated: fmtNum(row.score.value), computed: fmt2(fs.score), basis: fs.basis ?? '' });
    }
  }

  // C05 / C10
  if (t.total?.stated && s.total !== null && differs(t.total.stated, s.total)) {
    const parts = [fs?.score ?? 0, ...s.indicators.map((x) => x.score ?? 0)];
    emit('C05', t.total.stated.pos, { stated: fmtNum(t.total.stated.value), computed: fmt2(s.total), expr: `${fmt2(parts[0])}（执行率）+ ${fmt2(s.indicatorScore ?? 0)}（指标）` });
  }
  if (t.grade?.stated && s.grade !== null && s.total !== null && t.grade.stated.replace(/\s/g, '') !== s.grade) {
    emit('C10', t.grade.pos, { stated: t.grade.stated, computed: s.grade, total: fmt2(s.total) });
  }
}

function c08(ctx: RuleContext): void {
  const { p, s, emit } = ctx;
  for (const x of s.indicators) {
    if (!x.numbers || !x.ind.actual || x.target.kind !== 'number') continue;
    if (x.target.op !== '>=' && x.target.op !== '>') continue;
    const { t, a, unit } = x.numbers;
    if (t <= 0) continue;
    if (isPercentUnit(unit) && t >= 100) continue;
    if (a >= p.c08Factor * t - 1e-9) {
      emit('C08', x.ind.actual.pos, {
        actual: `${fmtNum(a)}${unit}`,
        target: `${fmtNum(t)}${unit}`,
        ratio: fmtNum(roundHalfUp(a / t, 2)),
        factor: fmtNum(p.c08Factor),
      });
    }
  }
}
