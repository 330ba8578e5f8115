/**
 * Default indicator weights of a new form: each 一级's default weight (the profile's, RULES §5) split over that
 * 一级's indicators as a person would write it — whole or half points that add up exactly (50 over 3 rows:
 * 17, 17, 16; over 4: 12.5 each) — so every 一级 total and the indicator total are exact.
 */
import { findLevel1, parentsOfLevel2, Profile } from '../profiles';

/**
 * `total` split over `n` parts that add up to it exactly, in the coarsest step a person would write: equal
 * parts when they come out in whole or half points (30 over 2: 15, 15; 50 over 4: 12.5 each); else whole
 * points, one more on the first rows (50 over 3: 17, 17, 16), else half points (10 over 15: 1, 1, 1, 1, 1,
 * 0.5 …), else tenths, else cents — never a part of 0 while a step fits.
 */
export function splitEvenly(total: number, n: number): number[] {
  if (n <= 0) return [];
  const cents = Math.round(total * 100);
  if (cents % (50 * n) === 0) return Array<number>(n).fill(cents / n / 100);
  // The coarsest step (in cents) that divides the total and leaves every part at least one step.
  const step = [100, 50, 10, 1].find((u) => cents % u === 0 && cents / u >= n) ?? 1;
  const units = Math.round(cents / step);
  const each = Math.floor(units / n);
  const extra = units - each * n;
  return Array.from({ length: n }, (_, i) => ((each + (i < extra ? 1 : 0)) * step) / 100);
}

/**
 * Whose default weight a row of this 一级 shares: its own; or, for a 一级 without a weight of its own that the
 * profile's tree also lists as a 二级 of a weighted 一级 (成本指标 split out of 产出指标), that 一级's — so the
 * rows of both share 产出's 50. A 一级 the profile does not know is a group of its own (weight 0).
 */
function weightGroup(profile: Profile, name: string): string {
  const l1 = findLevel1(profile, name);
  if (!l1) return `\u0000${name}`;
  if (l1.defaultWeight > 0) return l1.name;
  const parent = parentsOfLevel2(profile, l1.name).find((p) => p.defaultWeight > 0);
  return parent ? parent.name : l1.name;
}

/** The weight of each row, given each row's 一级 (a 一级 the profile does not know weighs 0). */
export function defaultWeights(profile: Profile, level1OfRow: readonly string[]): number[] {
  const groups = new Map<string, number[]>();
  level1OfRow.forEach((name, i) => {
    const key = weightGroup(profile, name);
    const list = groups.get(key) ?? [];
    list.push(i);
    groups.set(key, list);
  });
  const out = Array<number>(level1OfRow.length).fill(0);
  for (const [key, rows] of groups) {
    const l1 = profile.level1.find((l) => l.name === key);
    const parts = splitEvenly(l1?.defaultWeight ?? 0, rows.length);
    rows.forEach((r, i) => (out[r] = parts[i]));
  }
  return out;
}

/**
 * The weighted 一级 (with their default weights) that no row of this 一级 list falls under: a 目标表 without a
 * 满意度 row converts to a 自评表 whose weights fall short by 满意度's 10.
 */
export function missingWeightedLevels(
  profile: Profile,
  level1OfRow: readonly string[],
): { name: string; weight: number }[] {
  const present = new Set(level1OfRow.map((n) => weightGroup(profile, n)));
  return profile.level1.filter((l) => l.defaultWeight > 0 && !present.has(l.name)).map((l) => ({ name: l.name, weight: l.defaultWeight }));
}

/**
 * The 一级/二级 of the blank rows of a new form: the rows go to the 一级 that carry a default weight, in
 * proportion to it (largest remainder, at least one each while rows last); within a 一级 the rows take its
 * standard 二级 names in order (数量, 质量, 时效, 成本 …), repeating the last when there are more rows.
 */
export function defaultRows(profile: Profile, n: number): { level1: string; level2: string }[] {
  const weighted = profile.level1.filter((l) => l.defaultWeight > 0);
  const levels = weighted.length ? weighted : profile.level1.filter((l) => l.required);
  if (levels.length === 0 || n <= 0) return [];
  const total = levels.reduce((a, l) => a + (l.defaultWeight || 1), 0);
  const exact = levels.map((l) => ((l.defaultWeight || 1) / total) * n);
  const counts = exact.map((x) => Math.floor(x));
  // At least one row for each 一级, taken from the largest, while there are rows enough.
  for (let i = 0; i < levels.length; i++) {
    if (counts[i] > 0) continue;
    const sum = counts.reduce((a, b) => a + b, 0);
    if (sum < n) counts[i] = 1;
    else {
      const big = counts.indexOf(Math.max(...counts));
      if (counts[big] > 1) {
        counts[big]--;
        counts[i] = 1;
      }
    }
  }
  let left = n - counts.reduce((a, b) => a + b, 0);
  // The rest by largest remainder of what each 一级 is still short of its exact share.
  const order = levels.map((_, i) => i).sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (let k = 0; left > 0; k++, left--) counts[order[k % order.length]]++;
  const rows: { level1: string; level2: string }[] = [];
  levels.forEach((l, i) => {
    // Each standard 二级 in order gets its share of the 一级's rows, grouped (数量, 数量, 质量, 时效 …).
    const m = Math.max(1, l.level2.length);
    const k = counts[i];
    for (let j = 0; j < Math.min(k, m); j++) {
      const times = Math.floor(k / m) + (j < k % m ? 1 : 0);
      for (let t = 0; t < Math.max(1, times); t++) rows.push(asLevel1(profile, { level1: l.name, level2: l.level2[j] ?? '' }));
    }
  });
  return rows;
}

/**
 * A 二级 that the profile also has as a 一级 of its own (成本指标: a 二级 of 产出指标 in the older tree, a 一级
 * in the current one, RULES §1 and S02) is laid out as that 一级 with its first standard 二级 (成本指标 /
 * 经济成本指标), as the current official template has it; its weight stays shared with 产出 (weightGroup).
 */
function asLevel1(profile: Profile, row: { level1: string; level2: string }): { level1: string; level2: string } {
  const own = row.level2 ? findLevel1(profile, row.level2) : undefined;
  return own && own.name !== row.level1 && own.level2.length ? { level1: own.name, level2: own.level2[0] } : row;
}
