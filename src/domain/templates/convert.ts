/**
 * 目标表 → 自评表 at year end: a target table as the engine read it becomes the spec of a 项目支出绩效自评表,
 * prefilled with 项目名称, 主管部门, 实施单位, 预算数 as 年初预算数, the 绩效目标 as 预期目标, and every indicator
 * (一级/二级/三级, 指标值 as read — a split value joined — as 年度指标值), weighted with the profile's 一级
 * defaults split evenly over each 一级's indicators. 实际完成值, 得分 and 偏差原因 stay empty for the user.
 * Pure.
 */
import { Profile, ProfileId, resolveProfile } from '../profiles';
import type { TableResult } from '../types';
import { buildTemplateSpec, cleanSheetName, freeSheetName } from './build';
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
