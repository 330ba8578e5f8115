/** S-rules: the table's structure and its indicator tree. */
import { ParsedTable, Pos } from '../model';
import { BLOCKS, findLevel1, isStandardLevel2, levelKey, parentsOfLevel2, Profile } from '../profiles';
import { norm } from '../text';
import { KIND_NAMES, RuleContext } from './catalogue';

function closest(name: string, options: string[]): string | null {
  const k = levelKey(name);
  if (k === '') return null;
  let best: string | null = null;
  let bestScore = 0;
  for (const o of options) {
    const ok = levelKey(o);
    let common = 0;
    for (const ch of new Set(k)) if (ok.includes(ch)) common++;
    const score = common / Math.max(ok.length, k.length);
    if (score > bestScore) {
      bestScore = score;
      best = o;
    }
  }
  return bestScore >= 0.5 ? best : null;
}

const BLOCK_NAMES: Record<(typeof BLOCKS)[number], string> = {
  name: '项目名称',
  budget: '预算数',
  plan: '资金支出计划',
  funds: '项目资金（年初预算数/全年预算数/全年执行数）',
  total: '“总分”行',
};

/**
 * S01 (RULES §1.2): only what the table cannot be checked without — the target column; for a scored table the
 * 分值 column — and the blocks the profile requires.
 */
function missingBlocks(t: ParsedTable, p: Profile): { what: string; pos: Pos }[] {
  const out: { what: string; pos: Pos }[] = [];
  const hp = (c: number | null) => ({ r: t.headerRow, c: c ?? t.cols.level3 });
  const scored = t.kind === 'self-eval' || t.kind === 'dept-self-eval';
  if (t.cols.target === null) out.push({ what: t.kind === 'target' ? '“指标值”列' : '“年度指标值”列', pos: hp(t.cols.level3) });
  if (scored && t.cols.weight === null) out.push({ what: '“分值”列', pos: hp(t.cols.actual) });
  for (const b of p.requiredBlocks) {
    if (t.blocks[b]) continue;
    if ((b === 'budget' || b === 'plan') && t.kind !== 'target') continue;
    if ((b === 'funds' || b === 'total') && !scored) continue;
    out.push({ what: BLOCK_NAMES[b], pos: { r: t.r0, c: t.c0 } });
  }
  return out;
}

export function structureRules(ctx: RuleContext): void {
  const { t, p, emit } = ctx;
  for (const m of missingBlocks(t, p)) emit('S01', m.pos, { kind: KIND_NAMES[t.kind], what: m.what });

  const allowed = p.level1.map((l) => l.name).join('、');
  const seenL1 = new Set<string>();
  const seenL2 = new Set<string>();
  const seenL3 = new Map<string, number>();
  const present = new Set<string>();
  for (const ind of t.indicators) {
    const l1 = findLevel1(p, ind.level1);
    const l1pos = { r: ind.r, c: t.cols.level1 };
    if (!l1) {
      if (ind.level1 !== '' && !seenL1.has(ind.level1)) emit('S02', l1pos, { name: ind.level1, allowed });
      else if (ind.level1 === '' && !seenL1.has('')) emit('S02', l1pos, { name: '（空）', allowed });
      seenL1.add(ind.level1);
    } else {
      present.add(l1.name);
    }
    const l2pos = { r: ind.r, c: t.cols.level2 };
    const l3 = norm(ind.level3);
    // S07: a satisfaction indicator outside 满意度指标, or a 二级 that belongs to another 一级.
    // (Not when the row's own 二级 is a satisfaction group: the Hunan template files 满意度 as a 二级 of 效益指标,
    // and what is to be said about that is said of the 二级 — S03.)
    if (l1 && l3.includes('满意') && levelKey(l1.name) !== '满意度' && !ind.level2.includes('满意')) {
      emit('S07', { r: ind.r, c: t.cols.level3 }, { what: `“${ind.level3}”是满意度指标`, level1: l1.name, expected: '满意度指标' });
    } else if (l1 && ind.level2 !== '') {
      const ok = isStandardLevel2(p, l1, ind.level2);
      if (!ok) {
        const parents = parentsOfLevel2(p, ind.level2);
        const key = `${l1.name}|${ind.level2}`;
        if (!seenL2.has(key)) {
          seenL2.add(key);
          if (parents.length > 0) {
            emit('S07', l2pos, { what: `二级指标“${ind.level2}”属于“${parents[0].name}”`, level1: l1.name, expected: parents[0].name });
          } else {
            const suggest = closest(ind.level2, l1.level2);
            emit('S03', l2pos, { name: ind.level2, level1: l1.name, suggest: suggest ?? '', allowed: l1.level2.join('、') });
          }
        }
      }
    }
    if (l3 !== '') {
      const prev = seenL3.get(l3);
      if (prev !== undefined) emit('S06', { r: ind.r, c: t.cols.level3 }, { name: ind.level3, other: prev + 1 });
      else seenL3.set(l3, ind.r);
    }
  }
  if (t.indicators.length > 0) {
    for (const l of p.level1) {
      if (l.required && !present.has(l.name)) emit('S04', { r: t.headerRow, c: t.cols.level1 }, { name: l.name });
    }
  }
}
