/**
 * buildDraft: the engine's WorkbookResult → the 绩效自评报告 draft (DraftDoc), following the outlines the
 * published reports use.
 *
 * 部门整体 (a 部门整体支出绩效自评表 in the workbook): 一、部门基本情况（概况、收支预决算情况、绩效目标）；
 * 二、自评工作开展情况；三、绩效目标实现情况及指标分析（总体、分项: the department's indicators, then each
 * project）；四、评价结论和评价等级；五、存在的问题及改进措施.
 * 项目支出 (project tables only), per project: 一、项目支出概况；二、项目资金使用及管理情况；三、项目支出组织
 * 实施情况；四、项目支出绩效情况；五、存在的问题及原因分析；六、有关建议.
 *
 * Every number is a figure run taken from the table result as the engine computed it (执行率, scores, 总分,
 * 等级; 一级 subtotals as the report's 自评结论 states them) or from the profile (grade bands); text from the
 * form is quoted as written; what only a person can write is a prompt (`【请填写：…】`).
 */
import { Profile, resolveProfile } from '../profiles';
import { fmt2 } from '../round';
import { dateText, reportUnit, reportYear } from '../report/build';
import { findingText, level1Scores, shortfalls } from '../report/conclusion';
import { chineseNumeral, percentText, scoreText, stripEndPunct } from '../report/text';
import type { Finding, Indicator, TableResult, WorkbookResult } from '../types';
import {
  DraftBlock,
  DraftDoc,
  DraftParagraph,
  DraftPart,
  DraftSection,
  DraftTable,
  FigureField,
  FigureFormat,
  FigureRef,
  quote,
  Run,
  text,
} from './model';
import { promptText } from './prompts';

export interface DraftOptions {
  /** Date of the draft: `YYYY-MM-DD` (shown as 2026年12月8日) or any text. */
  date: string;
  /** The workbook's file name (defaults to result.fileName). */
  fileName?: string;
  /** The profile the result was scored with, when it is not a built-in one named by result.profile. */
  profile?: Profile;
}

/** Thrown with a Chinese message when the workbook has nothing to write a self-evaluation report from. */
export class DraftError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DraftError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Figures

const FORMATTERS: Record<FigureFormat, (x: number) => string> = {
  money: fmt2,
  percent: percentText,
  score: scoreText,
  count: (x) => String(x),
  year: (x) => String(x),
};

/** How each field is written. */
export const FIELD_FORMAT: Record<FigureField, FigureFormat> = {
  year: 'year',
  initial: 'money',
  budget: 'money',
  executed: 'money',
  rate: 'percent',
  rateScore: 'score',
  rateWeight: 'score',
  indicatorScore: 'score',
  totalScore: 'score',
  indicatorCount: 'count',
  metCount: 'count',
  belowCount: 'count',
  unscoredCount: 'count',
  level1Score: 'score',
  score: 'score',
  weight: 'score',
  gradeMin: 'score',
};

export function formatFigure(format: FigureFormat, value: number): string {
  return FORMATTERS[format](value);
}

function fig(value: number, ref: FigureRef): Run {
  const format = FIELD_FORMAT[ref.field];
  return { t: 'figure', text: formatFigure(format, value), value, format, ref };
}

/** A figure of a table, or the words for its absence. */
function figOr(value: number | null, ref: FigureRef, missing: string): Run {
  return value === null ? text(missing) : fig(value, ref);
}

const para = (...runs: Run[]): DraftParagraph => ({ type: 'paragraph', runs });
const prompt = (what: string): DraftParagraph => ({
  type: 'paragraph',
  runs: [{ t: 'prompt', text: promptText(what) }],
  prompt: true,
});

function section(
  level: 1 | 2 | 3,
  index: number,
  title: string,
  blocks: DraftBlock[],
  children: DraftSection[] = [],
): DraftSection {
  const number =
    level === 1 ? `${chineseNumeral(index)}、` : level === 2 ? `（${chineseNumeral(index)}）` : `${index}.`;
  return { level, number, title, blocks, children };
}

// ---------------------------------------------------------------------------------------------------
// Context: each table with its index in result.tables

interface T {
  i: number;
  t: TableResult;
}

const subjectOf = (t: TableResult) => (t.kind === 'dept-self-eval' ? '该部门' : '该项目');

/** 该项目预算安排6.64万元，实际支出6.64万元，预算执行率100%，预算执行率自评得分为10分。 */
function fundsParagraph({ i, t }: T): DraftParagraph {
  const f = t.funds;
  const who = subjectOf(t);
  if (!f || (f.budget === null && f.executed === null)) return para(text(`${who}在表中未填报预算执行情况。`));
  const runs: Run[] = [];
  if (f.initial !== null && f.budget !== null && f.initial !== f.budget) {
    runs.push(text(`${who}年初预算`), fig(f.initial, { table: i, field: 'initial' }), text('万元，全年'));
  } else runs.push(text(who));
  runs.push(
    text('预算安排'),
    figOr(f.budget, { table: i, field: 'budget' }, '（未填报全年预算数）'),
    text(f.budget !== null ? '万元，' : '，'),
  );
  runs.push(
    text('实际支出'),
    figOr(f.executed, { table: i, field: 'executed' }, '（未填报全年执行数）'),
    text(f.executed !== null ? '万元' : ''),
  );
  if (f.rate !== null) runs.push(text('，预算执行率'), fig(f.rate, { table: i, field: 'rate' }));
  if (f.score !== null)
    runs.push(text('，预算执行率自评得分为'), fig(f.score, { table: i, field: 'rateScore' }), text('分'));
  runs.push(text('。'));
  return para(...runs);
}

/** 共设置绩效指标6项，其中5项达到年度指标值，1项未达到。 */
function countsParagraph({ i, t }: T): DraftParagraph | null {
  const n = t.indicators.length;
  if (n === 0) return null;
  const { below, unscored, met } = shortfalls(t);
  const runs: Run[] = [text('共设置绩效指标'), fig(n, { table: i, field: 'indicatorCount' }), text('项')];
  if (met.length === n) runs.push(text('，全部达到年度指标值'));
  else {
    runs.push(text('，其中'), fig(met.length, { table: i, field: 'metCount' }), text('项达到年度指标值'));
    if (below.length) runs.push(text('，'), fig(below.length, { table: i, field: 'belowCount' }), text('项未达到'));
    if (unscored.length)
      runs.push(text('，'), fig(unscored.length, { table: i, field: 'unscoredCount' }), text('项无法自动评分'));
  }
  runs.push(text('。'));
  return para(...runs);
}

/** One indicator: “体检人数”年度指标值40人，实际完成72人，得分20分（分值20分）. */
function indicatorRuns(i: number, ind: Indicator): Run[] {
  const runs: Run[] = [text('“'), quote(ind.level3 || ind.level2 || ind.level1), text('”')];
  runs.push(text('年度指标值'), quote(ind.target || '（未填写）'));
  runs.push(text('，实际完成'), quote(ind.actual && ind.actual.trim() ? ind.actual : '（未填写）'));
  if (ind.score !== null)
    runs.push(text('，得分'), fig(ind.score, { table: i, field: 'score', row: ind.row }), text('分'));
  else runs.push(text('，无法自动评分'));
  if (ind.weight !== null)
    runs.push(text('（分值'), fig(ind.weight, { table: i, field: 'weight', row: ind.row }), text('分）'));
  return runs;
}

/** Per 二级 (or 一级 where there is none): 数量指标中，“…”年度指标值…；“…”…。 */
function indicatorParagraphs({ i, t }: T): DraftParagraph[] {
  const groups: { label: string; list: Indicator[] }[] = [];
  for (const ind of t.indicators) {
    const label = ind.level2 || ind.level1 || '其他指标';
    const last = groups[groups.length - 1];
    if (last && last.label === label) last.list.push(ind);
    else groups.push({ label, list: [ind] });
  }
  return groups.map((g) => {
    const runs: Run[] = [quote(g.label), text('中，')];
    g.list.forEach((ind, k) => {
      if (k > 0) runs.push(text('；'));
      runs.push(...indicatorRuns(i, ind));
    });
    runs.push(text('。'));
    return para(...runs);
  });
}

/** The reasons the form gives for each indicator below its weight, or a prompt where it gives none. */
function deviationParagraphs({ t }: T): DraftParagraph[] {
  const { below, unscored } = shortfalls(t);
  const out: DraftParagraph[] = [];
  for (const ind of below) {
    const name = ind.level3 || ind.level2 || ind.level1;
    if (ind.deviation && ind.deviation.trim()) {
      out.push(
        para(
          text('“'),
          quote(name),
          text('”未达到年度指标值，表中所填偏差原因分析及改进措施：'),
          quote(stripEndPunct(ind.deviation)),
          text('。'),
        ),
      );
    } else {
      out.push(prompt(`“${name}”未达到年度指标值的原因及改进措施（表中“偏差原因分析及改进措施”为空）`));
    }
  }
  for (const ind of unscored) {
    const name = ind.level3 || ind.level2 || ind.level1;
    out.push(prompt(`“${name}”无法自动评分，请说明其完成情况及评分依据`));
  }
  return out;
}

/** 产出指标得分40分，…，绩效指标得分89.76分，加上预算执行率得分10分，自评总分99.76分，评价等级为“优”。 */
function scoreParagraph({ i, t }: T): DraftParagraph {
  const runs: Run[] = [];
  const l1 = level1Scores(t);
  l1.forEach((x, k) => {
    if (k > 0) runs.push(text('，'));
    runs.push(
      quote(x.level1),
      text('得分'),
      fig(x.score, { table: i, field: 'level1Score', level1: x.level1 }),
      text('分'),
    );
  });
  if (l1.length) runs.push(text('，'));
  if (t.indicatorScore !== null)
    runs.push(text('绩效指标得分'), fig(t.indicatorScore, { table: i, field: 'indicatorScore' }), text('分'));
  else runs.push(text('绩效指标得分因存在未评分指标暂无法确定'));
  if (t.funds?.score !== null && t.funds?.score !== undefined) {
    runs.push(text('，预算执行率得分'), fig(t.funds.score, { table: i, field: 'rateScore' }), text('分'));
  }
  if (t.totalScore !== null)
    runs.push(text('，自评总分'), fig(t.totalScore, { table: i, field: 'totalScore' }), text('分'));
  else runs.push(text('，自评总分暂缺'));
  if (t.grade) runs.push(text('，评价等级为“'), quote(t.grade), text('”'));
  runs.push(text('。'));
  return para(...runs);
}

/** 评价等级按…划分：90分（含）以上为“优”，80分（含）至90分为“良”，…，60分以下为“差”。 */
function bandsParagraph(profile: Profile | null): DraftParagraph | null {
  if (!profile) return null;
  const g = profile.grades;
  const runs: Run[] = [text('评价等级按'), quote(profile.title), text('划分：')];
  g.forEach((band, k) => {
    const min = (b: number) => fig(g[b].min, { table: -1, field: 'gradeMin', band: b });
    if (k > 0) runs.push(text('，'));
    if (k === 0) runs.push(min(0), text('分（含）以上为“'));
    else if (k < g.length - 1) runs.push(min(k), text('分（含）至'), min(k - 1), text('分为“'));
    else runs.push(min(k - 1), text('分以下为“'));
    runs.push(quote(band.name), text('”'));
  });
  runs.push(text('。'));
  return para(...runs);
}

const INDICATOR_COLUMNS = [
  { header: '一级指标', width: 10, align: 'center' },
  { header: '二级指标', width: 10, align: 'center' },
  { header: '三级指标', width: 14, align: 'left' },
  { header: '年度指标值', width: 12, align: 'center' },
  { header: '实际完成值', width: 12, align: 'center' },
  { header: '分值', width: 7, align: 'center' },
  { header: '得分', width: 8, align: 'center' },
  { header: '偏差原因分析及改进措施', width: 17, align: 'left' },
] as const;

function indicatorTable({ i, t }: T): DraftTable {
  const { below } = shortfalls(t);
  const rows: (Run[] | null)[][] = t.indicators.map((ind) => {
    const dev: Run[] =
      ind.deviation && ind.deviation.trim()
        ? [quote(ind.deviation.trim())]
        : below.includes(ind)
          ? [{ t: 'prompt', text: promptText('偏差原因及改进措施') }]
          : [];
    return [
      [quote(ind.level1)],
      [quote(ind.level2)],
      [quote(ind.level3)],
      [quote(ind.target)],
      ind.actual ? [quote(ind.actual)] : [],
      ind.weight !== null ? [fig(ind.weight, { table: i, field: 'weight', row: ind.row })] : [],
      ind.score !== null ? [fig(ind.score, { table: i, field: 'score', row: ind.row })] : [text('—')],
      dev,
    ];
  });
  const f = t.funds;
  if (f) {
    rows.push([
      [text('预算执行率')],
      null,
      null,
      [text('—')],
      f.rate !== null ? [fig(f.rate, { table: i, field: 'rate' })] : [text('—')],
      [fig(f.weight, { table: i, field: 'rateWeight' })],
      f.score !== null ? [fig(f.score, { table: i, field: 'rateScore' })] : [text('—')],
      [],
    ]);
  }
  rows.push([
    [text('自评总分')],
    null,
    null,
    null,
    null,
    null,
    t.totalScore !== null ? [fig(t.totalScore, { table: i, field: 'totalScore' })] : [text('—')],
    t.grade ? [text('评价等级：'), quote(t.grade)] : [],
  ]);
  return {
    type: 'table',
    caption: t.kind === 'dept-self-eval' ? '部门整体支出绩效指标完成情况' : `${t.name}绩效指标完成情况`,
    columns: INDICATOR_COLUMNS.map((c) => ({ ...c })),
    rows,
    mergeColumns: [0, 1],
  };
}

function projectsTable(list: T[]): DraftTable {
  return {
    type: 'table',
    caption: '项目支出自评结果',
    columns: [
      { header: '项目名称', width: 24, align: 'left' },
      { header: '全年预算数（万元）', width: 12, align: 'right' },
      { header: '全年执行数（万元）', width: 12, align: 'right' },
      { header: '执行率', width: 10, align: 'center' },
      { header: '执行率得分', width: 9, align: 'center' },
      { header: '指标得分', width: 8, align: 'center' },
      { header: '总分', width: 8, align: 'center' },
      { header: '等级', width: 7, align: 'center' },
    ],
    rows: list.map(({ i, t }) => {
      const f = t.funds;
      const cell = (x: number | null | undefined, field: FigureField): Run[] =>
        x === null || x === undefined ? [text('—')] : [fig(x, { table: i, field })];
      return [
        [quote(t.name)],
        cell(f?.budget, 'budget'),
        cell(f?.executed, 'executed'),
        cell(f?.rate, 'rate'),
        cell(f?.score, 'rateScore'),
        cell(t.indicatorScore, 'indicatorScore'),
        cell(t.totalScore, 'totalScore'),
        t.grade ? [quote(t.grade)] : [text('—')],
      ];
    }),
    mergeColumns: [],
  };
}

/** 问题: the checker's findings of the tables (errors and warnings, then what needs attention). */
function problemParagraphs(list: T[], labelled: boolean): DraftParagraph[] {
  const order = { error: 0, warning: 1, info: 2 } as const;
  const out: DraftParagraph[] = [];
  for (const { t } of list) {
    const problems = t.findings
      .filter((f) => f.severity !== 'info')
      .sort((a, b) => order[a.severity] - order[b.severity]);
    const notes = t.findings.filter((f) => f.severity === 'info');
    if (problems.length === 0 && notes.length === 0) continue;
    const items = (fs: Finding[]): Run[] =>
      fs.length === 1
        ? [quote(findingText(t, fs[0]))]
        : fs.flatMap((f, k) => [text(`${k > 0 ? '；' : ''}${chineseNumeral(k + 1)}是`), quote(findingText(t, f))]);
    const head: Run[] = labelled ? [quote(t.name), text('：')] : [];
    if (problems.length)
      out.push(
        para(
          ...head,
          text(problems.length === 1 ? '经检查，存在问题：' : '经检查，存在以下问题：'),
          ...items(problems),
          text('。'),
        ),
      );
    if (notes.length) out.push(para(...(problems.length ? [] : head), text('另需关注：'), ...items(notes), text('。')));
  }
  if (out.length === 0) out.push(para(text('经检查，表中未发现填报错误或需修改的问题。')));
  return out;
}

/** The profile the figures were scored with (null for a user profile the result only names). */
function profileOf(result: WorkbookResult, opts: DraftOptions): Profile | null {
  if (opts.profile) return opts.profile;
  try {
    return resolveProfile(result.profile);
  } catch {
    return null;
  }
}

function metaLines(result: WorkbookResult, opts: DraftOptions, profile: Profile | null): Run[][] {
  const lines: Run[][] = [];
  const fileName = opts.fileName ?? result.fileName ?? '';
  const head: Run[] = [text('生成日期：'), quote(dateText(opts.date))];
  if (profile) head.push(text('　　评价标准：'), quote(profile.title));
  lines.push(head);
  if (fileName) lines.push([text('数据来源：'), quote(fileName)]);
  lines.push([
    text(
      '本稿由 PerfSheet 根据已检查的自评表生成，文中数字均取自表中的计算结果；标有“请填写”的段落须由填报人补写，补写前检查会提示。',
    ),
  ]);
  return lines;
}

// ---------------------------------------------------------------------------------------------------
// The two outlines

function projectBody(p: T): DraftBlock[] {
  const blocks: DraftBlock[] = [fundsParagraph(p)];
  const counts = countsParagraph(p);
  if (counts) blocks.push(counts);
  blocks.push(...indicatorParagraphs(p), ...deviationParagraphs(p), scoreParagraph(p), indicatorTable(p));
  return blocks;
}

/**
 * The template's own instruction left in a field (`对照年度目标，说明相关任务目标的完成情况（100字以内）`), not the
 * user's text: a length limit, or a request to fill in.
 */
export function isInstruction(s: string): boolean {
  const t = s.trim();
  return /\d+\s*字(以内|左右)/.test(t) || /^(请(填写|简述|说明|根据)|对照年度目标，?说明)/.test(t);
}

function goalParagraph(label: string, value: string | null, missing: string): DraftParagraph {
  const v = value?.trim() ?? '';
  if (v === '') return prompt(missing);
  if (isInstruction(v)) return prompt(`${missing}（表中仍是填报说明“${v}”）`);
  return para(text(label), quote(v));
}

function deptOutline(dept: T, others: T[], profile: Profile | null): DraftSection[] {
  const d = dept.t;
  const projects = others.filter((x) => x.t.kind === 'self-eval');
  const s1 = section(
    1,
    1,
    '部门基本情况',
    [],
    [
      section(2, 1, '部门概况', [prompt('部门职能职责、机构设置、人员编制及年度主要工作任务')]),
      section(2, 2, '部门收支预决算情况', [
        fundsParagraph(dept),
        ...(projects.length ? [para(text('纳入本次自评的项目支出情况如下表。')), projectsTable(projects)] : []),
        prompt('部门收入、支出预决算的构成及变动原因'),
      ]),
      section(2, 3, '部门绩效目标', [goalParagraph('部门年度总体目标：', d.goal, '部门年度绩效目标')]),
    ],
  );
  const s2 = section(1, 2, '自评工作开展情况', [
    prompt('自评工作的组织方式、自评范围（涉及的项目和资金）、方法和过程'),
  ]);
  const items: DraftSection[] = [];
  const deptBlocks: DraftBlock[] = [];
  const counts = countsParagraph(dept);
  if (counts) deptBlocks.push(counts);
  deptBlocks.push(...indicatorParagraphs(dept), ...deviationParagraphs(dept), indicatorTable(dept));
  items.push(section(3, 1, '部门整体支出绩效指标', deptBlocks));
  others.forEach((p, k) => items.push(section(3, k + 2, p.t.name, projectBody(p))));
  const s3 = section(
    1,
    3,
    '绩效目标实现情况及指标分析',
    [],
    [
      section(2, 1, '总体情况', [
        goalParagraph('年度总体目标完成情况：', d.goalActual, '年度总体目标的完成情况'),
        scoreParagraph(dept),
      ]),
      section(2, 2, '分项情况', [], items),
    ],
  );
  const bands = bandsParagraph(profile);
  const verdict: Run[] = [text('经自评，'), quote(reportUnit([d]) || d.name), text('部门整体支出绩效自评总分为')];
  if (d.totalScore !== null) verdict.push(fig(d.totalScore, { table: dept.i, field: 'totalScore' }), text('分'));
  else verdict.push(text('（暂缺）'));
  if (d.grade) verdict.push(text('，评价等级为“'), quote(d.grade), text('”'));
  verdict.push(text('。'));
  const s4 = section(1, 4, '评价结论和评价等级', [
    para(...verdict),
    ...(bands ? [bands] : []),
    ...(projects.length
      ? [para(text('各项目支出的自评得分和等级见“部门收支预决算情况”中的项目支出自评结果表。'))]
      : []),
  ]);
  const s5 = section(
    1,
    5,
    '存在的问题及改进措施',
    [],
    [
      section(2, 1, '存在的问题', problemParagraphs([dept, ...others], true)),
      section(2, 2, '改进措施', [prompt('针对上述问题拟采取的改进措施及下一步工作计划')]),
    ],
  );
  return [s1, s2, s3, s4, s5];
}

function projectOutline(p: T, profile: Profile | null): DraftSection[] {
  const t = p.t;
  const facts: Run[] = [text('项目名称：'), quote(t.name)];
  if (t.department) facts.push(text('；主管部门：'), quote(t.department));
  if (t.unit) facts.push(text('；实施单位：'), quote(t.unit));
  facts.push(text('。'));
  const blocks4: DraftBlock[] = [goalParagraph('年度总体目标完成情况：', t.goalActual, '项目年度总体目标的完成情况')];
  const counts = countsParagraph(p);
  if (counts) blocks4.push(counts);
  blocks4.push(...indicatorParagraphs(p), scoreParagraph(p));
  const bands = bandsParagraph(profile);
  if (bands) blocks4.push(bands);
  blocks4.push(indicatorTable(p));
  const deviations = deviationParagraphs(p);
  return [
    section(1, 1, '项目支出概况', [
      para(...facts),
      goalParagraph('项目年度绩效目标：', t.goal, '项目年度绩效目标'),
      prompt('项目立项依据、主要实施内容及资金来源'),
    ]),
    section(1, 2, '项目资金使用及管理情况', [fundsParagraph(p), prompt('资金管理制度的执行、资金拨付和使用情况')]),
    section(1, 3, '项目支出组织实施情况', [prompt('项目的组织管理、实施过程及相关制度的执行情况')]),
    section(1, 4, '项目支出绩效情况', blocks4),
    section(1, 5, '存在的问题及原因分析', [...problemParagraphs([p], false), ...deviations]),
    section(1, 6, '有关建议', [prompt('对项目后续实施、预算安排和绩效目标设置的建议')]),
  ];
}

// ---------------------------------------------------------------------------------------------------

export function buildDraft(result: WorkbookResult, opts: DraftOptions): DraftDoc {
  const all: T[] = result.tables.map((t, i) => ({ i, t }));
  const scored = all.filter((x) => x.t.kind === 'self-eval' || x.t.kind === 'dept-self-eval');
  if (scored.length === 0) {
    throw new DraftError('工作簿中没有找到项目支出绩效自评表或部门整体支出绩效自评表，无法生成自评报告草稿。');
  }
  const profile = profileOf(result, opts);
  const tables = scored.map((x) => x.t);
  const unit = reportUnit(tables);
  const year = reportYear(tables);
  const yearText = year !== null ? `${year}年度` : '';
  const dept = scored.find((x) => x.t.kind === 'dept-self-eval');
  const meta = metaLines(result, opts, profile);
  if (dept) {
    const others = scored.filter((x) => x !== dept);
    return {
      title: `${unit}${yearText}部门整体支出绩效自评报告`,
      outline: 'dept',
      meta,
      parts: [{ title: null, sections: deptOutline(dept, others, profile) }],
    };
  }
  const parts: DraftPart[] = scored.map((p, k) => ({
    title: scored.length > 1 ? `项目${chineseNumeral(k + 1)}：${p.t.name}` : null,
    sections: projectOutline(p, profile),
  }));
  const title =
    scored.length === 1
      ? `${scored[0].t.name}${yearText}项目支出绩效自评报告`
      : `${unit}${yearText}项目支出绩效自评报告`;
  return { title, outline: 'project', meta, parts };
}
