/**
 * Scoring (RULES §3): 执行率 and its score, every indicator's score with the arithmetic behind it, the
 * total and the grade. All numbers come from the parsed table and the profile.
 */
import { FundsRow, NumAt, ParsedIndicator, ParsedTable } from './model';
import { Profile, gradeFor, levelKey } from './profiles';
import { clean, fmt2, fmtNum, fmtPct, round2, sum2 } from './round';
import {
  Grade,
  NumberValue,
  ParsedValue,
  completionShare,
  convertTo,
  gradeQualitative,
  isOnTimeWord,
  parseValue,
  timeMet,
} from './values';

export interface IndicatorScore {
  ind: ParsedIndicator;
  target: ParsedValue;
  actual: ParsedValue;
  weight: number | null;
  score: number | null;
  basis: string | null;
  /** The actual was graded as qualitative text (also for a quantitative target with a text actual). */
  qualitative: boolean;
  grade: Grade | null;
  /** No clause decided the grade. */
  ungradable: boolean;
  /** A default band score was used (0.7w / 0.3w). */
  defaulted: boolean;
  /** The user's own 得分 was kept. */
  kept: boolean;
  /** The user's score lies outside its grade's band (C09). */
  outsideBand: boolean;
  /** Target and actual units do not convert (V11). */
  unitMismatch: boolean;
  /** Converted actual and target numbers when both are quantitative. */
  numbers: { t: number; a: number; unit: string } | null;
  /** The row's 一级/二级 comparison keys (levelKey) and whether it is a 成本 indicator, worked out once for the rules. */
  l1Key: string;
  l2Key: string;
  cost: boolean;
}

export interface FundsScore {
  row: FundsRow | null;
  initial: number | null;
  budget: number | null;
  executed: number | null;
  weight: number;
  rate: number | null;
  score: number | null;
  basis: string | null;
  /** Why the figures are the sum of the 其中 rows: the total row is blank, or all zero while they are filled. */
  fromParts: 'blank' | 'zero' | null;
}

export interface TableScore {
  indicators: IndicatorScore[];
  funds: FundsScore | null;
  indicatorScore: number | null;
  total: number | null;
  grade: string | null;
}

const COST_KEYS = new Set(['成本', '经济成本', '社会成本', '生态环境成本']);

export function isCostIndicator(ind: ParsedIndicator): boolean {
  return levelKey(ind.level1) === '成本' || COST_KEYS.has(levelKey(ind.level2));
}

/** Grades a qualitative actual (RULES §2) and scores it (RULES §3) into `out`. */
function gradeInto(
  out: IndicatorScore,
  w: number,
  stated: number | null,
  profile: Profile,
  actualText: string,
  targetText: string,
): IndicatorScore {
  const grade = gradeQualitative(actualText, targetText);
  out.qualitative = true;
  out.grade = grade;
  if (grade === '达成') {
    out.score = round2(w);
    out.basis = `定性指标判定为“达成”，得满分 ${fmtNum(w)}`;
  } else if (grade === '部分达成' || grade === '未达成') {
    const [lo, hi] = grade === '部分达成' ? profile.partialBand : profile.failBand;
    const def = grade === '部分达成' ? profile.partialDefault : profile.failDefault;
    if (stated !== null && stated >= lo * w - 1e-9 && stated < hi * w - 1e-9) {
      out.score = round2(stated);
      out.kept = true;
      out.basis = `定性指标判定为“${grade}”，保留填报得分 ${fmtNum(stated)}（区间 [${fmtNum(lo * w)}, ${fmtNum(hi * w)})）`;
    } else {
      out.score = round2(def * w);
      out.defaulted = true;
      out.outsideBand = stated !== null;
      out.basis = `定性指标判定为“${grade}”，按 ${fmtNum(def)} × ${fmtNum(w)} = ${fmt2(def * w)} 计分`;
    }
  } else {
    out.ungradable = true;
    if (stated !== null) {
      out.kept = true;
      out.score = round2(stated);
      out.basis = `无法自动判定完成情况，保留填报得分 ${fmtNum(stated)}`;
    } else {
      out.basis = '无法自动判定完成情况，且未填写得分';
    }
  }
  return out;
}

export function scoreIndicator(ind: ParsedIndicator, profile: Profile, tableYear: number | null): IndicatorScore {
  const out = scoreIndicatorInner(ind, profile, tableYear);
  // Without a weight there is no score, but the parse and its flags (units, grade) still serve the rules.
  if (out.weight === null) {
    out.score = null;
    out.basis = null;
  } else if (out.score !== null && !Number.isFinite(out.score)) {
    out.score = null;
    out.basis = '数值超出可计算范围，无法计分';
  }
  return out;
}

function scoreIndicatorInner(ind: ParsedIndicator, profile: Profile, tableYear: number | null): IndicatorScore {
  const l1Key = levelKey(ind.level1);
  const l2Key = levelKey(ind.level2);
  const underCost = l1Key === '成本' || COST_KEYS.has(l2Key);
  const target = parseValue(ind.target.text, underCost);
  const actual = parseValue(ind.actual?.text ?? '', underCost);
  const weight = ind.weight ? clean(ind.weight.value) : null;
  const w = weight ?? 0;
  const stated = ind.statedScore ? clean(ind.statedScore.value) : null;
  const out: IndicatorScore = {
    ind,
    target,
    actual,
    weight,
    score: null,
    basis: null,
    qualitative: false,
    grade: null,
    ungradable: false,
    defaulted: false,
    kept: false,
    outsideBand: false,
    unitMismatch: false,
    numbers: null,
    l1Key,
    l2Key,
    cost: underCost,
  };
  if (ind.actual === null) return out;
  if (actual.kind === 'empty' || target.kind === 'empty') {
    if (stated !== null) {
      out.score = round2(stated);
      out.kept = true;
      out.basis = `${actual.kind === 'empty' ? '实际完成值' : '指标值'}为空，保留填报得分 ${fmtNum(stated)}`;
    }
    return out;
  }
  // (No closures here: this runs for every indicator, and each closure is an allocation.)
  if (target.kind === 'time') {
    if (isOnTimeWord(actual.raw)) {
      out.score = round2(w);
      out.basis = `时效指标：“${ind.actual.text}”，得满分 ${fmtNum(w)}`;
      return out;
    }
    if (actual.kind === 'time') {
      if (timeMet(target.point, actual.point, tableYear)) {
        out.score = round2(w);
        out.basis = `时效指标：${ind.actual.text}，在“${ind.target.text}”之内，得满分 ${fmtNum(w)}`;
        return out;
      }
      // Completed, but late: graded as partly achieved.
      gradeInto(out, w, stated, profile, '部分达成', ind.target.text);
      out.basis = `时效指标：${ind.actual.text}，晚于“${ind.target.text}”，${out.basis}`;
      return out;
    }
    return gradeInto(out, w, stated, profile, ind.actual.text, ind.target.text);
  }

  if (target.kind === 'number' || target.kind === 'range') {
    if (actual.kind !== 'number') return gradeInto(out, w, stated, profile, ind.actual.text, ind.target.text);
    const tUnit = target.unit;
    const a = convertTo(tUnit, actual);
    if (a === null) {
      const share = completionShare(ind.actual.text);
      if (share !== null) return shareScore(out, target, share, w, stated, profile, ind.target.text);
      out.unitMismatch = true;
      if (stated !== null) {
        out.score = round2(stated);
        out.kept = true;
        out.basis = `单位不一致（${target.unit} 与 ${actual.unit}），保留填报得分 ${fmtNum(stated)}`;
      }
      return out;
    }
    const aa = clean(a);
    const u = tUnit || actual.unit;
    if (target.kind === 'range') {
      out.numbers = { t: target.lo, a: aa, unit: u };
      if (aa >= target.lo && aa <= target.hi) {
        out.score = round2(w);
        out.basis = `${withUnit(aa, u)} 在 ${fmtNum(target.lo)}–${withUnit(target.hi, u)} 之内，得满分 ${fmtNum(w)}`;
      } else if (aa < target.lo) {
        out.score = round2((aa / target.lo) * w);
        out.basis = `${fmtNum(aa)} ÷ ${fmtNum(target.lo)} × ${fmtNum(w)} = ${fmt2(out.score)}`;
      } else {
        out.score = round2((target.hi / aa) * w);
        out.basis = `${fmtNum(target.hi)} ÷ ${fmtNum(aa)} × ${fmtNum(w)} = ${fmt2(out.score)}`;
      }
      return out;
    }
    const t = clean(target.value);
    out.numbers = { t, a: aa, unit: u };
    numericScore(out, target, t, aa, w, profile, u);
    return out;
  }
  return gradeInto(out, w, stated, profile, ind.actual.text, ind.target.text);
}

/**
 * A completion status with a share (`已完成100%` against `≥200人`): met in full → full marks; short of it, a
 * `≥`/`>` target scores the share of its weight (the share is a / t); any other target is graded 部分达成.
 */
function shareScore(
  out: IndicatorScore,
  target: ParsedValue,
  share: number,
  w: number,
  stated: number | null,
  profile: Profile,
  targetText: string,
): IndicatorScore {
  const pct = `${fmtNum(share * 100)}%`;
  if (share >= 1) {
    out.qualitative = true;
    out.grade = '达成';
    out.score = round2(w);
    out.basis = `实际完成值为完成比例 ${pct}，判定为“达成”，得满分 ${fmtNum(w)}`;
    return out;
  }
  if (target.kind === 'number' && (target.op === '>=' || target.op === '>')) {
    out.score = round2(share * w);
    out.basis = `实际完成比例 ${pct} × ${fmtNum(w)} = ${fmt2(share * w)}`;
    return out;
  }
  gradeInto(out, w, stated, profile, '部分达成', targetText);
  out.basis = `实际完成值为完成比例 ${pct}，${out.basis}`;
  return out;
}

/** A number with its unit as shown in a basis (`95人`). */
function withUnit(x: number, u: string): string {
  return `${fmtNum(x)}${u}`;
}

/** Sets `out`'s score and basis for a numeric target `t` and actual `a` (both in unit `u`). */
function numericScore(
  out: IndicatorScore,
  target: NumberValue,
  t: number,
  a: number,
  w: number,
  profile: Profile,
  u: string,
): void {
  let cmp: string | null = null; // met: full marks, compared with this sign
  switch (target.op) {
    case '>=':
    case '>':
      if (a >= t || t <= 0) cmp = '≥';
      else {
        out.score = round2((a / t) * w);
        out.basis = `${fmtNum(a)} ÷ ${fmtNum(t)} × ${fmtNum(w)} = ${fmt2((a / t) * w)}`;
      }
      break;
    case '<=':
    case '<':
      if (a <= t) cmp = '≤';
      else if (profile.reverseFormula === 'linear') {
        const raw = t <= 0 ? 0 : Math.max(0, w * (1 - (a - t) / t));
        out.score = round2(raw);
        out.basis = `反向指标：${fmtNum(w)} × (1 − (${fmtNum(a)} − ${fmtNum(t)}) ÷ ${fmtNum(t)}) = ${fmt2(raw)}`;
      } else {
        out.score = round2((t / a) * w);
        out.basis = `反向指标：${fmtNum(t)} ÷ ${fmtNum(a)} × ${fmtNum(w)} = ${fmt2((t / a) * w)}`;
      }
      break;
    case '=': {
      if (a === t) cmp = '=';
      else {
        const lo = Math.min(a, t);
        const hi = Math.max(a, t);
        const raw = hi === 0 ? 0 : (lo / hi) * w;
        out.score = round2(raw);
        out.basis = `${fmtNum(lo)} ÷ ${fmtNum(hi)} × ${fmtNum(w)} = ${fmt2(raw)}`;
      }
      break;
    }
  }
  if (cmp !== null) {
    out.score = round2(w);
    out.basis = `实际 ${withUnit(a, u)} ${cmp} 指标 ${withUnit(t, u)}，得满分 ${fmtNum(w)}`;
  }
}

function num(n: NumAt | null): number | null {
  return n ? clean(n.value) : null;
}

export function scoreFunds(table: ParsedTable, profile: Profile): FundsScore | null {
  const f = table.funds;
  if (!f) return null;
  const row = f.total;
  let initial = num(row?.initial ?? null);
  let budget = num(row?.budget ?? null);
  let executed = num(row?.executed ?? null);
  const partsFilled = f.parts.some((p) => (p.budget && p.budget.value !== 0) || (p.executed && p.executed.value !== 0));
  const blank = budget === null && executed === null;
  // RULES §3: a blank 年度资金总额 row, or one all zero while its 其中 rows are filled, is their sum.
  const zero = !blank && !budget && !executed && !initial;
  let fromParts: FundsScore['fromParts'] = null;
  if ((blank && f.parts.some((p) => p.budget || p.executed)) || (zero && partsFilled)) {
    fromParts = blank ? 'blank' : 'zero';
    const sum = (k: 'initial' | 'budget' | 'executed') => {
      const xs = f.parts.map((p) => p[k]).filter((x): x is NumAt => x !== null);
      return xs.length ? clean(xs.reduce((s, x) => s + x.value, 0)) : null;
    };
    initial = blank ? (initial ?? sum('initial')) : sum('initial');
    budget = sum('budget');
    executed = sum('executed');
  }
  const weight = num(row?.weight ?? null) ?? profile.executionWeight;
  let rate: number | null = null;
  let score: number | null = null;
  let basis: string | null = null;
  if (budget !== null && executed !== null && budget > 0 && Number.isFinite(executed / budget)) {
    rate = executed / budget;
    score = round2(Math.min(rate, 1) * weight);
    basis =
      `执行率 = ${fmt2(executed)} ÷ ${fmt2(budget)} = ${fmtPct(rate)}，` +
      `得分 = ${rate > 1 ? `min(${fmtPct(rate)}, 100%)` : fmtPct(rate)} × ${fmtNum(weight)} = ${fmt2(score)}`;
  } else if (budget === 0 && executed !== null) {
    basis = '全年预算数为 0，无法计算执行率';
  }
  return { row, initial, budget, executed, weight, rate, score, basis, fromParts };
}

export function scoreTable(table: ParsedTable, profile: Profile): TableScore {
  const scored = table.kind === 'self-eval' || table.kind === 'dept-self-eval';
  const indicators = table.indicators.map((ind) =>
    scoreIndicator(scored ? ind : { ...ind, weight: null }, profile, table.year),
  );
  if (!scored) return { indicators, funds: null, indicatorScore: null, total: null, grade: null };
  const funds = scoreFunds(table, profile);
  const scores = indicators.map((s) => s.score);
  const allScored = indicators.length > 0 && scores.every((s) => s !== null);
  const sum = allScored ? sum2(scores as number[]) : null;
  const indicatorScore = sum !== null && Number.isFinite(sum) ? sum : null;
  // A total over weights that do not add up to the profile's indicator total cannot be right (C01 says so):
  // it is withheld, and so is the grade.
  const weightSum = sum2(indicators.map((x) => x.weight ?? 0));
  const weightsOk = indicators.every((x) => x.weight !== null) && Math.abs(weightSum - profile.indicatorTotal) <= 0.005;
  // A 总分 row pasted over (S01): what the form says of its total is gone, and no grade is given for it.
  let total = !table.totalLost && weightsOk && indicatorScore !== null && funds?.score != null ? sum2([funds.score, indicatorScore]) : null;
  if (total !== null && !Number.isFinite(total)) total = null;
  const grade = total !== null ? gradeFor(profile, total) : null;
  return { indicators, funds, indicatorScore, total, grade };
}
