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
  why: '表格缺少必需的栏目（如分值、得分、指标值）或区块（如资金情况）时，相应的检查和计分都无法进行，审核时也会被退回。',
  fix: '对照官方模板补齐所缺的列或区块，表头文字保持模板原样（如「一级指标」「分值」「得分」）；也可用「新建表格」按模板重建后把内容复制进去。',
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
  /** A cell in no merged area, with nothing in it. */
  const blankAt = (r: number, c = col) => {
    if (g.mergeAt(r, c)) return false;
    const v = g.raw(r, c)?.value;
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
      if (!blankAt(inds[i].r, t.cols.level1) || !blankAt(inds[i].r, t.cols.level2)) return false;
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
  why: '一级指标只能是产出指标、效益指标、满意度指标和成本指标等规范名称；名称不规范或留空，指标就无法归类，分值和必需类别都无从核对。',
  fix: '把一级指标改为规范名称（可从模板的下拉列表选择）；一级指标为空的行，填写名称或并入所属分组的合并单元格。',
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
  why: '二级指标须是所属一级指标下的规范名称（如产出指标下的数量、质量、时效指标），否则审核时会被要求修改，也无法按类别判断指标值是否合理。',
  fix: '按提示改为建议的规范名称（模板中的二级指标下拉列表随一级指标变化）；为空的行填写名称或并入所属合并单元格。',
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
  why: '按规定，绩效指标须覆盖产出、效益、满意度等必需的一级指标；缺少一类，目标表不完整，自评也无法全面反映绩效。',
  fix: '在表中为所缺的一级指标至少补充一个三级指标，并填写指标值和分值。',
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
  why: '同一张表中三级指标重复，分值会被重复计入，自评得分和汇总都会失真。',
  fix: '删除重复的一行，或把两行改成内容不同的指标（如分别写明对象或范围），并相应调整分值。',
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
  why: '指标放错了类别（如满意度指标列在效益指标下），分值比例和必需类别的核对都会出错，审核时会被要求调整。',
  fix: '把该行移到提示所说的一级指标下（剪切整行插入到对应分组），或改正其二级指标名称。',
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
  why: '分值、预算数、得分等需要计算的单元格写成了文字（如「10分」「待定」）或日期，汇总公式会漏算，检查也不会用别的数代替。',
  fix: '把单元格改写为纯数字（单位写在表头或另一列）；提示中给出了检查暂按的数值时，照此改写即可。',
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
  why: '空白的模板还没有任何指标，检查无从进行；提醒您这张表尚待填写，避免把空表当成已完成的表报送。',
  fix: '在指标行中填写一级、二级、三级指标、指标值和分值；填写后窗格会逐项检查。',
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
