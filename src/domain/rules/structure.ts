/** S-rules: the table's structure and its indicator tree. */
import { ParsedTable, Pos } from '../model';
import { BLOCKS, findLevel1, isStandardLevel2, levelKey, parentsOfLevel2, Profile } from '../profiles';
import { norm } from '../text';
import { defineRule, KIND_NAMES, SCORED } from './rule';

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
 * What a table is missing (RULES §1.2): only what it cannot be checked without — the target column; for a
 * scored table the 分值 column — and the blocks the profile requires.
 */
function missingBlocks(t: ParsedTable, p: Profile): { what: string; pos: Pos }[] {
  const out: { what: string; pos: Pos }[] = [];
  const hp = (c: number | null) => ({ r: t.headerRow, c: c ?? t.cols.level3 });
  const scored = SCORED.includes(t.kind);
  if (t.cols.target === null)
    out.push({ what: t.kind === 'target' ? '“指标值”列' : '“年度指标值”列', pos: hp(t.cols.level3) });
  if (scored && t.cols.weight === null) out.push({ what: '“分值”列', pos: hp(t.cols.actual) });
  if (t.totalLost && scored) out.push({ what: '“总分”行（评价等级之上的总分行已被覆盖或删除，总分和等级不计算）', pos: t.totalLost });
  for (const b of p.requiredBlocks) {
    if (b === 'total' && t.totalLost) continue;
    if (t.blocks[b]) continue;
    if ((b === 'budget' || b === 'plan') && t.kind !== 'target') continue;
    if ((b === 'funds' || b === 'total') && !scored) continue;
    out.push({ what: BLOCK_NAMES[b], pos: { r: t.r0, c: t.c0 } });
  }
  return out;
}

export const S01 = defineRule({
  code: 'S01',
  severity: 'error',
  title: '缺少必需的列或区块',
  message: (p: { kind: string; what: string }) => `识别到${p.kind}，但缺少${p.what}。`,
  onBlank: true,
  table({ t, p }, emit) {
    for (const m of missingBlocks(t, p)) emit(m.pos, { kind: KIND_NAMES[t.kind], what: m.what });
  },
  examples: {
    fires: [
      {
        form: 'cells',
        cells: [
          ['一级指标', '二级指标', '三级指标', '实际完成值', '得分'],
          ['产出指标', '数量指标', '人数', '10人', 90],
        ],
        says: '年度指标值',
        count: 2, // and the 分值 column
      },
    ],
    // The funds block, the spending plan, 预算数 and the 总分 row are read when present; by default their absence
    // is no S01 (RULES v2 §1.2).
    quiet: [
      {
        form: 'cells',
        cells: [
          ['一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值'],
          ['产出指标', '数量指标', '人数', '≥10人', '10人', 90],
        ],
      },
      { form: 'target', spec: { budget: null, fiscal: null } },
    ],
  },
});

type Ind = ParsedTable['indicators'][number];

/**
 * Runs of indicator rows left without a level by a paste or an insert (reading rule 10): the level cell in `col`
 * is blank and in no merged area, the label they would take comes from a merged group that ended above them,
 * and no label follows them in the table. The reader reads them under that label; the form does not say so.
 * Blank cells elsewhere are merges lost in an export (RULES §1: the label above, or the centred label of the
 * group), and raise nothing.
 */
function unlabelledRuns(t: ParsedTable, col: number, skip?: ReadonlySet<Ind>): { first: Ind; last: Ind }[] {
  const g = t.sheet;
  const inds = t.indicators;
  if (inds.length < 2 || col < 0) return [];
  const blankAt = (r: number) => {
    if (g.mergeAt(r, col)) return false;
    const v = g.raw(r, col)?.value;
    return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
  };
  const runs: { first: Ind; last: Ind }[] = [];
  let open = false;
  for (const ind of inds) {
    const blank = blankAt(ind.r) && !skip?.has(ind);
    if (blank && open) runs[runs.length - 1].last = ind;
    else if (blank) runs.push({ first: ind, last: ind });
    open = blank;
  }
  const lastRow = inds[inds.length - 1].r;
  const grouped = inds.some((ind) => {
    const m = g.mergeAt(ind.r, col);
    return m !== undefined && m.r1 > m.r0;
  });
  // Rows with neither level, in a form that merges its groups: a one-row group above them needs no merge.
  const bare = (run: { first: Ind; last: Ind }) => {
    for (let i = inds.indexOf(run.first); i <= inds.indexOf(run.last); i++) {
      for (const c of [t.cols.level1, t.cols.level2]) {
        const v = g.mergeAt(inds[i].r, c) ? 'merged' : g.raw(inds[i].r, c)?.value;
        if (!(v === null || v === undefined || (typeof v === 'string' && v.trim() === ''))) return false;
      }
    }
    return true;
  };
  return runs.filter((run) => {
    for (let r = run.last.r + 1; r <= lastRow; r++) if (!blankAt(r)) return false;
    for (let r = run.first.r - 1; r > t.headerRow; r--) {
      if (blankAt(r)) continue;
      const m = g.mergeAt(r, col);
      return (m !== undefined && m.r1 > m.r0) || (grouped && bare(run));
    }
    return false;
  });
}

const rowSpan = (x: { first: Ind; last: Ind }) =>
  x.first.r === x.last.r ? `第${x.first.r + 1}行` : `第${x.first.r + 1}–${x.last.r + 1}行`;

/** The 一级 of a row, and whether its label was seen already (S02 once per label). */
export const S02 = defineRule({
  code: 'S02',
  severity: 'error',
  title: '一级指标名称不规范',
  message: (p: { name: string; allowed: string; rows?: string }) =>
    p.rows
      ? `${p.rows}的一级指标为空（不在任何合并单元格内），检查暂按上方“${p.name}”读取。请填写一级指标，或把这些行并入所属分组的合并单元格。`
      : `一级指标“${p.name}”不是规范名称，应为：${p.allowed}。`,
  table({ t, p }, emit) {
    const allowed = p.level1.map((l) => l.name).join('、');
    for (const run of unlabelledRuns(t, t.cols.level1))
      emit({ r: run.first.r, c: t.cols.level1 }, { name: run.first.level1 || '（空）', allowed, rows: rowSpan(run) });
    const seen = new Set<string>();
    for (const ind of t.indicators) {
      if (findLevel1(p, ind.level1) || seen.has(ind.level1)) continue;
      seen.add(ind.level1);
      emit({ r: ind.r, c: t.cols.level1 }, { name: ind.level1 || '（空）', allowed });
    }
  },
  examples: {
    fires: [{ form: 'self-eval', rows: { 0: { l1: '投入指标' } }, says: '投入指标' }],
    quiet: [{ form: 'self-eval', rows: { 0: { l1: '产出' }, 1: { l1: '产出' }, 2: { l1: '产出' } } }],
  },
});

/** S07 of a row by its 三级 name: a satisfaction indicator outside 满意度指标. */
function satisfactionMisfiled(ind: ParsedTable['indicators'][number], l1name: string): boolean {
  // Not when the row's own 二级 is a satisfaction group: the Hunan template files 满意度 as a 二级 of 效益指标,
  // and what is to be said about that is said of the 二级 (S03).
  return norm(ind.level3).includes('满意') && levelKey(l1name) !== '满意度' && !ind.level2.includes('满意');
}

export const S03 = defineRule({
  code: 'S03',
  severity: 'warning',
  title: '二级指标名称不规范',
  message: (p: { name: string; level1: string; suggest: string; allowed: string; rows?: string }) =>
    p.rows
      ? `${p.rows}的二级指标为空（不在任何合并单元格内），检查暂按上方“${p.name}”读取。请填写二级指标，或把这些行并入所属分组的合并单元格。`
      : `二级指标“${p.name}”不是“${p.level1}”下的规范名称${p.suggest ? `，建议改为“${p.suggest}”` : `（规范名称：${p.allowed}）`}。`,
  table({ t, p }, emit) {
    const seen = new Set<string>();
    // A row whose 一级 is blank too has S02 for both (one finding says it).
    const noL1 = new Set(unlabelledRuns(t, t.cols.level1).flatMap((x) => t.indicators.slice(t.indicators.indexOf(x.first), t.indicators.indexOf(x.last) + 1)));
    for (const run of unlabelledRuns(t, t.cols.level2, noL1))
      emit({ r: run.first.r, c: t.cols.level2 }, { name: run.first.level2 || '（空）', level1: run.first.level1, suggest: '', allowed: '', rows: rowSpan(run) });
    for (const ind of t.indicators) {
      const l1 = findLevel1(p, ind.level1);
      if (!l1 || ind.level2 === '' || satisfactionMisfiled(ind, l1.name)) continue;
      if (isStandardLevel2(p, l1, ind.level2) || parentsOfLevel2(p, ind.level2).length > 0) continue;
      const key = `${l1.name}|${ind.level2}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const suggest = closest(ind.level2, l1.level2);
      emit(
        { r: ind.r, c: t.cols.level2 },
        { name: ind.level2, level1: l1.name, suggest: suggest ?? '', allowed: l1.level2.join('、') },
      );
    }
  },
  examples: {
    fires: [{ form: 'self-eval', rows: { 4: { l2: '社会效益类' } }, says: '社会效益指标' }],
    quiet: [{ form: 'self-eval', rows: { 4: { l2: '社会效益' } } }],
  },
});

export const S04 = defineRule({
  code: 'S04',
  severity: 'warning',
  title: '缺少必需的一级指标',
  message: (p: { name: string }) => `缺少一级指标“${p.name}”：没有任何指标归入该类。`,
  table({ t, p }, emit) {
    if (t.indicators.length === 0) return;
    const present = new Set<string>();
    for (const ind of t.indicators) {
      const l1 = findLevel1(p, ind.level1);
      if (l1) present.add(l1.name);
    }
    for (const l of p.level1) {
      if (l.required && !present.has(l.name)) emit({ r: t.headerRow, c: t.cols.level1 }, { name: l.name });
    }
  },
  examples: {
    fires: [
      {
        form: 'self-eval',
        rows: { 5: { l1: '效益指标', l2: '社会效益指标', l3: '受益人群覆盖率' } },
        says: '满意度指标',
      },
    ],
    quiet: [{ form: 'self-eval' }],
  },
});

export const S06 = defineRule({
  code: 'S06',
  severity: 'warning',
  title: '三级指标重复',
  message: (p: { name: string; other: number }) => `三级指标“${p.name}”在本表中重复出现（另见第${p.other}行）。`,
  table({ t }, emit) {
    const seen = new Map<string, number>();
    for (const ind of t.indicators) {
      const l3 = norm(ind.level3);
      if (l3 === '') continue;
      const prev = seen.get(l3);
      if (prev !== undefined) emit({ r: ind.r, c: t.cols.level3 }, { name: ind.level3, other: prev + 1 });
      else seen.set(l3, ind.r);
    }
  },
  examples: {
    fires: [{ form: 'self-eval', rows: { 1: { l3: '培训人数' } } }],
    quiet: [{ form: 'self-eval' }],
  },
});

export const S07 = defineRule({
  code: 'S07',
  severity: 'warning',
  title: '指标归类错误',
  message: (p: { what: string; level1: string; expected: string }) =>
    `${p.what}，却列在“${p.level1}”下，应归入“${p.expected}”。`,
  table({ t, p }, emit) {
    const seen = new Set<string>();
    for (const ind of t.indicators) {
      const l1 = findLevel1(p, ind.level1);
      if (!l1) continue;
      if (satisfactionMisfiled(ind, l1.name)) {
        emit(
          { r: ind.r, c: t.cols.level3 },
          { what: `“${ind.level3}”是满意度指标`, level1: l1.name, expected: '满意度指标' },
        );
        continue;
      }
      if (ind.level2 === '' || isStandardLevel2(p, l1, ind.level2)) continue;
      const parents = parentsOfLevel2(p, ind.level2);
      const key = `${l1.name}|${ind.level2}`;
      if (parents.length === 0 || seen.has(key)) continue;
      seen.add(key);
      emit(
        { r: ind.r, c: t.cols.level2 },
        { what: `二级指标“${ind.level2}”属于“${parents[0].name}”`, level1: l1.name, expected: parents[0].name },
      );
    }
  },
  examples: {
    fires: [
      { form: 'self-eval', rows: { 1: { l3: '学员满意度调查' } } },
      { form: 'self-eval', rows: { 1: { l2: '社会效益指标' } }, says: '效益指标' },
    ],
    quiet: [
      { form: 'self-eval' },
      { form: 'self-eval', rows: { 4: { l2: '社会公众或服务对象满意度指标', l3: '群众满意度' } } },
    ],
  },
});

export const S05 = defineRule({
  code: 'S05',
  severity: 'error',
  title: '单元格内容无法使用',
  message: (p: { field: string; value: string; why: string; readAs?: string }) =>
    p.readAs
      ? `${p.field}“${p.value}”${p.why}，检查已按 ${p.readAs} 计算；请改写为数字 ${p.readAs}，以免汇总公式漏算。`
      : `${p.field}“${p.value}”无法使用：${p.why}。请填写数字，检查不会用其他数值代替。`,
  table({ t }, emit) {
    for (const u of t.unusable)
      emit(u.pos, { field: u.field, value: u.value, why: u.why, readAs: u.readAs === undefined ? '' : String(u.readAs) });
  },
  examples: {
    fires: [
      { form: 'self-eval', rows: { 0: { weight: { error: '#REF!' } } }, says: '错误值' },
      { form: 'self-eval', spec: { funds: { initial: 10, budget: 10, executed: '¥10' } }, says: '货币符号' },
      { form: 'self-eval', rows: { 0: { weight: '待定' } }, says: '不是数字' },
      { form: 'self-eval', rows: { 0: { weight: '二十分' } }, says: '已按 20 计算' },
    ],
    // A score written with its unit is a score.
    quiet: [{ form: 'self-eval', rows: { 0: { weight: '20分' } } }],
  },
});

export const S08 = defineRule({
  code: 'S08',
  severity: 'info',
  title: '表格尚未填写',
  message: (p: { kind: string }) => `${p.kind}尚未填写：还没有任何绩效指标。填写指标后将逐项检查。`,
  onBlank: true,
  table({ t }, emit) {
    if (t.indicators.length === 0) emit({ r: t.headerRow, c: t.cols.level1 }, { kind: KIND_NAMES[t.kind] });
  },
  examples: {
    fires: [
      { form: 'blank-target', count: 1 },
      { form: 'blank-self-eval', count: 1 },
    ],
    quiet: [{ form: 'target' }, { form: 'self-eval' }],
  },
});

export const STRUCTURE_RULES = [S01, S02, S03, S04, S05, S06, S07, S08];
