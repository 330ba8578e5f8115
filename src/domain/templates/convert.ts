/**
 * 目标表 → 自评表 at year end: a target table as the engine read it becomes the spec of a 项目支出绩效自评表,
 * prefilled with 项目名称, 主管部门, 实施单位, 预算数 as 年初预算数, the 绩效目标 as 预期目标, and every indicator
 * (一级/二级/三级, 指标值 as read — a split value joined — as 年度指标值), weighted with the profile's 一级
 * defaults split evenly over each 一级's indicators. 实际完成值, 得分 and 偏差原因 stay empty for the user.
 * Pure.
 */
import { Profile, ProfileId, resolveProfile } from '../profiles';
import type { TableResult } from '../types';
import { fmtNum, sum2 } from '../round';
import { buildTemplateSpec, cleanSheetName, freeSheetName } from './build';
import { defaultWeights, missingWeightedLevels } from './weights';
import type { TemplateSpec } from './spec';

export interface ConvertOptions {
  profile?: ProfileId | Profile;
  /** Sheet names already in the destination workbook. */
  existingSheets?: readonly string[];
  ownListSheet?: string | null;
}

/** The self-evaluation spec for one target table. */
export function selfEvalFromTarget(t: TableResult, opts: ConvertOptions = {}): TemplateSpec {
  if (t.kind !== 'target') throw new Error(`“${t.name || t.sheet}”不是绩效目标表，不能转换为自评表。`);
  const profile = resolveProfile(opts.profile);
  const base = cleanSheetName(t.name ? `${t.name}` : `${t.sheet}自评表`);
  return buildTemplateSpec({
    kind: 'self-eval',
    profile,
    year: t.year,
    sheetName: freeSheetName(base, opts.existingSheets ?? []),
    existingSheets: opts.existingSheets,
    ownListSheet: opts.ownListSheet,
    prefill: {
      name: t.name || null,
      department: t.department,
      unit: t.unit,
      budget: t.targetFunds?.budget ?? null,
      goal: t.goal,
      indicators: t.indicators.map((x) => ({ level1: x.level1, level2: x.level2, level3: x.level3, target: x.target })),
    },
  });
}

/** One self-evaluation spec per target table, with sheet names distinct from each other and the workbook's. */
export function selfEvalsFromTargets(tables: readonly TableResult[], opts: ConvertOptions = {}): TemplateSpec[] {
  const taken = [...(opts.existingSheets ?? [])];
  const out: TemplateSpec[] = [];
  for (const t of tables) {
    if (t.kind !== 'target') continue;
    const spec = selfEvalFromTarget(t, { ...opts, existingSheets: taken });
    taken.push(spec.sheetName);
    out.push(spec);
  }
  // Every spec shares one list sheet, named once for the whole set.
  const lists = out.length ? out[0].lists : null;
  return lists ? out.map((s) => ({ ...s, lists })) : out;
}

/**
 * What the user must add to the 自评表 converted from `t` for its weights to add up (issue #16): nothing when
 * every weighted 一级 of the profile has a row; else one sentence naming the 一级 missing and the shortfall. The
 * converted form keeps the profile's weights (its C01 says the same): convert never invents an indicator.
 */
export function convertNotes(t: TableResult, profile?: ProfileId | string | Profile): string[] {
  if (t.kind !== 'target') return [];
  const p = resolveProfile(profile);
  const levels = t.indicators.map((x) => x.level1);
  const missing = missingWeightedLevels(p, levels);
  if (missing.length === 0) return [];
  const sum = sum2(defaultWeights(p, levels));
  const names = missing.map((m) => `“${m.name}”（${fmtNum(m.weight)} 分）`).join('、');
  return [
    `“${t.name || t.sheet}”的目标表没有${names}的指标：生成的自评表指标分值合计为 ${fmtNum(sum)}，应为 ${fmtNum(p.indicatorTotal)}。请在自评表中添加${missing.map((m) => m.name).join('、')}下的指标并填写分值。`,
  ];
}
