/**
 * The form vocabulary (RULES §1.1) as data: every label the reader recognises, by role, validated with zod.
 * The reader derives every label test from the compiled vocabulary; a province's wording is one line here
 * (or in a user profile's `vocabulary`), never a branch in the reader.
 *
 * Labels are compared in normalised form (RULES §1: no white space, half-width, no leading `*`, no trailing
 * colon, no leading `其中：`). A label matches exactly unless it is listed under `prefix`.
 */
import { z } from 'zod';
import { norm } from './text';

/** Fields of the block above the indicator grid (label, value to its right — or below it in a flat export). */
export const FIELD_ROLES = [
  'name', // 项目名称
  'deptName', // 部门名称 (dept tables)
  'code', // 项目编码
  'department', // 主管部门
  'unit', // 实施单位
  'budget', // 预算数 (target tables)
  'fiscal', // 其中：财政资金
  'other', // 其他资金
  'goal', // 绩效目标 / 年度目标
  'goalExpected', // 预期目标 (a caption over the goal text below it)
  'goalActual', // 实际完成情况 (likewise)
  'plan', // 资金支出计划
  'grade', // 等级
  'deptMarker', // labels that make a self-evaluation a 部门整体 one
] as const;
export type FieldRole = (typeof FIELD_ROLES)[number];

/** Column roles of the indicator header. `type` and `ignore` are recognised so that they are no other role. */
export const COLUMN_ROLES = [
  'level1',
  'level2',
  'level3',
  'desc',
  'target',
  'actual',
  'operator',
  'unit',
  'weight',
  'score',
  'deviation',
  'basis',
  'type',
  'ignore',
] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/** Columns of the funds block of a self-evaluation (年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分). */
export const FUNDS_ROLES = ['initial', 'budget', 'executed', 'weight', 'rate', 'score'] as const;
export type FundsRole = (typeof FUNDS_ROLES)[number];

const LabelList = z.object({
  exact: z.array(z.string().min(1)).default([]),
  prefix: z.array(z.string().min(1)).default([]),
});
export type LabelList = z.infer<typeof LabelList>;

const roleRecord = <T extends readonly [string, ...string[]]>(roles: T) => z.partialRecord(z.enum(roles), LabelList);

export const VocabularySchema = z.object({
  fields: roleRecord(FIELD_ROLES),
  columns: roleRecord(COLUMN_ROLES),
  funds: roleRecord(FUNDS_ROLES),
  /** Row labels of the funds block's total row. */
  fundsTotal: LabelList,
  /** Labels that are labels (never a value), besides every field label: the stop list. */
  known: LabelList,
  /** Labels that end the indicator grid: the total row. */
  totalRow: LabelList,
  /** Lines under a table that are no indicator (notes, sign-off). */
  signOff: LabelList,
  /** Title words of the forms, removed from a title to get a table's name (longest first is not needed). */
  formWords: z.array(z.string().min(1)),
  /** Cell contents that mean "nothing here" in an indicator row. */
  placeholders: z.array(z.string().min(1)),
  /** Words of an operator column and the operator they mean (`正向` → `≥`; `定性` → nothing). */
  operatorWords: z.record(z.string().min(1), z.string()),
  /** Labels that put a table's amounts in 元 (`金额单位：元`), and captions that end so (`项目资金（元）`). */
  yuan: z.object({ exact: z.array(z.string().min(1)), suffix: z.array(z.string().min(1)) }),
  /** The checkpoints of a 资金支出计划 (`3月`, …) and the endings they may carry (`3月底`, `3月末`). */
  planCheckpoints: z.array(z.string().min(1)).length(4),
  planEndings: z.array(z.string()),
  /** Grade words a form may write on its total line (besides the profile's own grade names). */
  gradeWords: z.array(z.string().min(1)),
});
export type Vocabulary = z.infer<typeof VocabularySchema>;
export type VocabularyInput = z.input<typeof VocabularySchema>;
const LabelListExt = z.object({
  exact: z.array(z.string().min(1)).optional(),
  prefix: z.array(z.string().min(1)).optional(),
});
/** What a user profile may add: any part, lists appended to the built-in ones. */
export const VocabularyExtensionSchema = z
  .object({
    fields: z.partialRecord(z.enum(FIELD_ROLES), LabelListExt),
    columns: z.partialRecord(z.enum(COLUMN_ROLES), LabelListExt),
    funds: z.partialRecord(z.enum(FUNDS_ROLES), LabelListExt),
    fundsTotal: LabelListExt,
    known: LabelListExt,
    totalRow: LabelListExt,
    signOff: LabelListExt,
    formWords: z.array(z.string().min(1)),
    placeholders: z.array(z.string().min(1)),
    operatorWords: z.record(z.string().min(1), z.string()),
    gradeWords: z.array(z.string().min(1)),
  })
  .partial()
  .strict();
export type VocabularyExtension = z.infer<typeof VocabularyExtensionSchema>;

const L = (exact: string[], prefix: string[] = []): LabelList => ({ exact, prefix });

/** The built-in vocabulary: every label attested by a published form (RULES §1.1 and the corpus). */
export const BUILTIN_VOCABULARY: Vocabulary = VocabularySchema.parse({
  fields: {
    name: L([
      '项目名称',
      '项目支出名称',
      '专项资金名称',
      '资金名称',
      '二级项目名称',
      '项目(资金)名称',
      '转移支付(项目)名称',
    ]),
    deptName: L(['预算部门名称', '一级预算单位名称', '部门(单位)名称', '单位名称', '预算单位名称', '部门名称']),
    code: L(['项目编码', '项目代码']),
    department: L(['主管部门', '主管部门及代码', '县级主管部门', '预算部门', '主管单位']),
    unit: L(['实施单位', '项目实施单位'], ['实施单位(']),
    budget: L([
      '预算数',
      '预算金额',
      '年度预算数',
      '年度资金总额',
      '资金总额',
      '项目资金总额',
      '年度金额',
      '预算申报数',
      '项目总预算',
      '年度本级预算金额',
      '年度资金申请总额',
      '年度申请预算资金',
    ], ['本年度申请', '本年申请']),
    fiscal: L(['财政资金', '财政拨款', '财政拨款数', '中央补助', '省级财政安排', '本级财政', '上级资金']),
    other: L(['其他资金', '自有资金', '地方资金']),
    goal: L(['绩效目标', '年度目标', '年度总体目标', '年度绩效目标', '本年度绩效目标', '年度总体绩效目标', '总体目标']),
    goalExpected: L(['预期目标', '年初设定目标']),
    goalActual: L(['实际完成情况', '全年实际完成情况', '年度目标完成情况']),
    plan: L([], ['资金支出计划']),
    grade: L(['自评等级', '绩效等级', '评价等级', '等级', '自评结果', '绩效评价等级']),
    deptMarker: L(['预算部门名称', '一级预算单位名称'], ['年度预算申请', '部门整体支出绩效']),
  },
  columns: {
    level1: L(['一级指标']),
    level2: L(['二级指标']),
    level3: L(['三级指标', '指标内容', '指标名称']),
    desc: L(['绩效指标描述', '指标描述']),
    target: L(
      ['指标值', '年度指标值', '预期指标值', '年度目标值', '目标值', '计划值', '指标值及单位', '指标目标值'],
      ['指标值', '年度指标值', '预期指标值'],
    ),
    actual: L(
      [
        '实际完成值',
        '实际完成指标值',
        '全年完成值',
        '完成值',
        '全年实际值',
        '实际值',
        '目标完成情况',
        '实施进度',
        '完成情况',
      ],
      ['实际完成', '全年实际完成', '年度实际完成', '全年完成值'],
    ),
    operator: L(['指标性质', '计算符号', '符号'], ['指标方向']),
    unit: L(['度量单位', '计量单位', '单位']),
    weight: L(['分值', '权重'], ['分值(', '权重(']),
    score: L(['得分', '自评得分'], ['得分(', '自评得分(']),
    deviation: L(
      ['偏差原因分析及改进措施', '未完成原因分析', '未完成原因和改进措施', '原因'],
      ['偏差原因', '未完成原因'],
    ),
    basis: L(['指标值确定依据', '绩效标准', '依据', '指标值依据']),
    type: L(['指标值类型', '指标类型']),
    ignore: L(['指标解释', '评(扣)分标准', '评分标准', '备注']),
  },
  funds: {
    initial: L([], ['年初预算']),
    budget: L([], ['全年预算', '调整后预算']),
    executed: L(['执行数'], ['全年执行', '预算执行数', '实际支出']),
    weight: L(['分值', '权重'], ['分值(', '权重(']),
    rate: L([], ['执行率', '预算执行率']),
    score: L(['得分'], ['得分(']),
  },
  fundsTotal: L(['年度资金总额', '总额', '资金总额', '合计', '总计']),
  known: L(
    [
      '单位:万元',
      '单位:元',
      '金额单位:元',
      '金额单位:万元',
      '一级项目名称',
      '项目负责人及电话',
      '负责人及电话',
      '项目负责人',
      '项目类型',
      '项目分类',
      '资金用途',
      '资金性质',
      '项目开始日期',
      '项目完成日期',
      '项目总投资',
      '中央补助安排',
      '该项目支出上级资金',
      '项目支出实施期',
      '实施期绩效目标',
      '部门(单位)职责',
      '项目基本情况',
      '填报单位',
      '填报单位:(盖章)',
      '预算规模及资金用途',
      '项目资金用途说明',
      '基本情况',
      '年度主要任务',
      '主要任务',
      '任务名称',
      '项目资金',
      '年度预算申请',
    ],
    ['资金支出计划', '项目资金(', '年度预算申请('],
  ),
  totalRow: L(['其他需要说明事项'], ['总分', '合计', '总计']),
  signOff: L(
    [],
    [
      '注',
      '备注',
      '说明',
      '填表人',
      '制表人',
      '审核人',
      '联系人',
      '联系电话',
      '单位负责人',
      '财务负责人',
      '项目负责人',
      '填报日期',
      '填表日期',
      '财政部门审核意见',
      '评价结论',
      '存在问题',
      '改进措施',
    ],
  ),
  formWords: [
    '部门整体支出绩效自评表',
    '项目支出绩效自评表',
    '绩效自评表',
    '自评表',
    '项目支出绩效目标申报表',
    '项目支出绩效目标表',
    '绩效目标申报表',
    '整体绩效目标表',
    '绩效目标表',
    '申报表',
    '绩效指标完成情况',
    '绩效目标完成情况',
    '绩效目标自评表',
  ],
  placeholders: ['…', '……', '...', '/', '无', '-', '—', '——'],
  operatorWords: { 正向: '≥', 正向指标: '≥', 反向: '≤', 反向指标: '≤', 定性: '', 定量: '' },
  yuan: { exact: ['元', '单位:元', '金额单位:元'], suffix: ['(元)'] },
  planCheckpoints: ['3月', '6月', '10月', '12月'],
  planEndings: ['', '底', '末', '份'],
  gradeWords: ['优', '良', '中', '差', '优秀', '良好', '一般', '较差', '合格', '不合格'],
});

// ---------------------------------------------------------------------------------------------------
// Compiled form

/** RULES §1 label form: normalised, no leading required-field star, no trailing colon, no `其中：`. */
export function labelKey(s: string): string {
  let k = keys.get(s);
  if (k === undefined) {
    k = stripUnit(rawKey(s)).replace(/其它/g, '其他');
    if (keys.size >= 50_000) keys.clear();
    keys.set(s, k);
  }
  return k;
}

const keys = new Map<string, string>();

/** The label as written, normalised, without its star, colon and `其中：` (a unit suffix still on). */
function rawKey(s: string): string {
  let t = norm(s);
  if (t.startsWith('*')) t = t.slice(1);
  if (t.endsWith(':')) t = t.slice(0, -1);
  if (t.startsWith('其中:')) t = t.slice(3);
  return t;
}

/** A money or percent unit in brackets at the end of a label (`年度金额（万元）`, `中央补助（元）`, `（%）`). */
const UNIT_SUFFIX = /^(.+?)\((?:单位:)?(?:万元|元|亿元|千元|%)\)$/;

/** RULES §1 (issue #16): `年度金额（万元）：` is the label 年度金额; the unit it names is read separately. */
function stripUnit(t: string): string {
  const m = UNIT_SUFFIX.exec(t);
  if (!m) return t;
  let k = m[1];
  if (k.endsWith(':')) k = k.slice(0, -1);
  return k;
}

interface Compiled<R extends string> {
  exact: Map<string, R>;
  prefix: [string, R][];
}

function compile<R extends string>(rec: Partial<Record<R, LabelList>>): Compiled<R> {
  const exact = new Map<string, R>();
  const prefix: [string, R][] = [];
  for (const [role, list] of Object.entries(rec) as [R, LabelList | undefined][]) {
    if (!list) continue;
    for (const l of list.exact) if (!exact.has(labelKey(l))) exact.set(labelKey(l), role);
    for (const l of list.prefix) prefix.push([labelKey(l), role]);
  }
  // Longest prefix first: `年度指标值` before `指标值`.
  prefix.sort((a, b) => b[0].length - a[0].length);
  return { exact, prefix };
}

function lookup<R extends string>(c: Compiled<R>, key: string): R | null {
  const e = c.exact.get(key);
  if (e !== undefined) return e;
  for (const [p, r] of c.prefix) if (key.startsWith(p)) return r;
  return null;
}

function listMatcher(list: LabelList): (key: string) => boolean {
  const exact = new Set(list.exact.map(labelKey));
  const prefix = list.prefix.map(labelKey);
  return (key) => exact.has(key) || prefix.some((p) => key.startsWith(p));
}

const CJK = /[\u4e00-\u9fff]/;

const YEAR_LINE = /^(?:\((?:\d{4})?年度?\)|\d{4}年度?)$/;

/**
 * Words that match as a word: `注：…`, `说明`, `填表人：…`, `总分（100分）` — not `注册人数`, `说明书印制数量`,
 * `合计发放人数` (a prefix of three characters or more matches whatever follows).
 */
function wordMatcher(list: LabelList): (key: string) => boolean {
  const exact = new Set(list.exact.map(labelKey));
  const prefix = list.prefix.map(labelKey);
  return (key) =>
    exact.has(key) ||
    prefix.some((p) => key.startsWith(p) && (key.length === p.length || p.length >= 3 || !CJK.test(key[p.length])));
}

/**
 * Every answer the reader asks of one label text, computed together once per distinct text (a cell's label is
 * asked for its field, column, total-row, sign-off … role many times while a sheet is read).
 */
export interface LabelInfo {
  /** The label key of the text (labelKey), kept so that a reader asks once per text. */
  readonly key: string;
  readonly field: FieldRole | null;
  readonly column: ColumnRole | null;
  readonly funds: FundsRole | null;
  readonly fundsTotal: boolean;
  readonly known: boolean;
  readonly totalRow: boolean;
  readonly signOff: boolean;
  readonly title: boolean;
  readonly yuan: boolean;
  /** The unit the label names for its own amount (`其中：中央补助（元）` → 元, `年度金额（万元）：` → 万元), if any. */
  readonly ownUnit: '元' | '万元' | null;
}

/** The vocabulary compiled for the reader: label text in, role out. All functions take the raw cell text. */
export interface Lexicon {
  readonly vocabulary: Vocabulary;
  /** All the answers below for one text at once (the same as asking each). */
  label(text: string): LabelInfo;
  field(text: string): FieldRole | null;
  column(text: string): ColumnRole | null;
  funds(text: string): FundsRole | null;
  isFundsTotal(text: string): boolean;
  /** A label of the form (a field, column or funds label, or a stop-list label): never a value. */
  isKnownLabel(text: string): boolean;
  isTotalRow(text: string): boolean;
  isSignOff(text: string): boolean;
  isPlaceholder(text: string): boolean;
  /** A form's title: a text ending in a form word (`…项目绩效目标表`, `…绩效指标完成情况`). */
  isTitle(text: string): boolean;
  /** The operator an operator-column word means (`正向` → `≥`), or the word itself. */
  operator(word: string): string;
  /** Whether an operator-column word is a direction (正向/反向/定性), not a symbol. */
  isDirectionWord(word: string): boolean;
  /** Whether a label or caption puts the amounts in 元. */
  isYuanMark(text: string): boolean;
  /** The index (0–3) of a spending-plan checkpoint label (`3月底` → 0), or -1. */
  planCheckpoint(text: string): number;
  /** A grade word (profile names are checked by the caller). */
  isGradeWord(text: string): boolean;
  /** A form's year line (`（2025年度）`, the blank `（年度）` with full-width spaces, `2025年`): never a name or a field's value. */
  isYearLine(text: string): boolean;
  /** A title's form words removed (`…项目绩效指标完成情况` → `…项目`), or '' when nothing is left. */
  nameFromTitle(title: string): string;
}

/**
 * A form's title by rule (reading rule 8): whatever form word it ends with — `…项目支出绩效评价表`,
 * `…绩效目标批复表`, `…绩效目标审批表`, `…绩效指标完成情况`, `…申报表` — besides the listed ones.
 */
const FORM_TITLE =
  /(?:(?:部门整体支出|项目支出|整体支出|整体)?绩效(?:目标|指标)?(?:申报|批复|审批|审核|自评|评价|监控|运行监控)?(?:表|完成情况)|(?:自评|申报|批复|审批|审核)表)$/;

function buildLexicon(v: Vocabulary): Lexicon {
  const fields = compile(v.fields);
  const columns = compile(v.columns);
  const funds = compile(v.funds);
  const fundsTotal = listMatcher(v.fundsTotal);
  const known = listMatcher(v.known);
  const totalRow = wordMatcher(v.totalRow);
  const signOff = wordMatcher(v.signOff);
  const placeholders = new Set(v.placeholders.map(norm));
  const formWords = [...v.formWords].map(norm).sort((a, b) => b.length - a.length);
  const yuanExact = new Set(v.yuan.exact.map(rawKey));
  const checkpoints = new Map<string, number>();
  v.planCheckpoints.forEach((k, i) => v.planEndings.forEach((e) => checkpoints.set(labelKey(k + e), i)));
  const grades = new Set(v.gradeWords.map(norm));
  const classify = (k: string, raw: string): LabelInfo => {
    const field = lookup(fields, k);
    const column = lookup(columns, k);
    const fundsRole = lookup(funds, k);
    const total = totalRow(k);
    return Object.freeze({
      key: k,
      field,
      column,
      funds: fundsRole,
      fundsTotal: fundsTotal(k),
      known: field !== null || known(k) || column !== null || fundsRole !== null || total,
      totalRow: total,
      signOff: signOff(k),
      title: formWords.some((w) => k.endsWith(w)) || FORM_TITLE.test(k),
      yuan: yuanExact.has(raw) || yuanSuffix.some((s) => raw.endsWith(s)),
      ownUnit: raw.endsWith('(元)') ? '元' : raw.endsWith('(万元)') ? '万元' : null,
    });
  };
  const yuanSuffix = v.yuan.suffix.map(rawKey);
  const labels = new Map<string, LabelInfo>();
  const label = (text: string): LabelInfo => {
    let r = labels.get(text);
    if (r === undefined) {
      r = classify(labelKey(text), rawKey(text));
      if (labels.size >= 50_000) labels.clear();
      labels.set(text, r);
    }
    return r;
  };
  return {
    vocabulary: v,
    label,
    isTitle: (text) => label(text).title,
    operator: (word) => v.operatorWords[norm(word)] ?? norm(word),
    isDirectionWord: (word) => Object.prototype.hasOwnProperty.call(v.operatorWords, norm(word)),
    isYuanMark: (text) => label(text).yuan,
    planCheckpoint: (text) => checkpoints.get(labelKey(text)) ?? -1,
    isGradeWord: (text) => grades.has(norm(text)),
    isYearLine: (text) => YEAR_LINE.test(norm(text)),
    field: (text) => label(text).field,
    column: (text) => label(text).column,
    funds: (text) => label(text).funds,
    isFundsTotal: (text) => label(text).fundsTotal,
    isKnownLabel: (text) => label(text).known,
    isTotalRow: (text) => label(text).totalRow,
    isSignOff: (text) => label(text).signOff,
    isPlaceholder: (text) => placeholders.has(norm(text)) || /^[.…·]+$/.test(norm(text)),
    nameFromTitle: (title) => {
      let t = norm(title)
        .replace(/^[(]?\d{4}年度?[)]?/, '')
        .replace(/[(]\d{4}年度?[)]$/, '')
        .replace(/^\d+[、.]/, '');
      // The longest form word the title ends with: a listed one, or one the rule reads (reading rule 8).
      let cut = FORM_TITLE.exec(t)?.[0].length ?? 0;
      for (const w of formWords) {
        if (t.endsWith(w)) {
          cut = Math.max(cut, w.length);
          break;
        }
      }
      t = t.slice(0, t.length - cut);
      t = t.replace(/^\d{4}年度?/, '').replace(/\d{4}年度?$/, '');
      return t;
    },
  };
}

const lexicons = new WeakMap<object, Lexicon>();

/** The compiled lexicon of a vocabulary (cached per vocabulary object). */
export function lexiconOf(v: Vocabulary): Lexicon {
  let l = lexicons.get(v);
  if (!l) {
    l = buildLexicon(v);
    lexicons.set(v, l);
  }
  return l;
}

/** The built-in vocabulary with a profile's additions appended. */
export function extendVocabulary(base: Vocabulary, ext: VocabularyExtension | undefined): Vocabulary {
  if (!ext) return base;
  const mergeList = (a: LabelList, b: Partial<LabelList> | undefined): LabelList => ({
    exact: [...a.exact, ...(b?.exact ?? [])],
    prefix: [...a.prefix, ...(b?.prefix ?? [])],
  });
  const mergeRec = <R extends string>(
    a: Partial<Record<R, LabelList>>,
    b: Partial<Record<R, Partial<LabelList>>> | undefined,
  ) => {
    const out: Partial<Record<R, LabelList>> = { ...a };
    for (const [k, v] of Object.entries(b ?? {}) as [R, Partial<LabelList>][]) out[k] = mergeList(a[k] ?? L([]), v);
    return out;
  };
  const e = ext;
  return VocabularySchema.parse({
    fields: mergeRec(base.fields, e.fields),
    columns: mergeRec(base.columns, e.columns),
    funds: mergeRec(base.funds, e.funds),
    fundsTotal: mergeList(base.fundsTotal, e.fundsTotal),
    known: mergeList(base.known, e.known),
    totalRow: mergeList(base.totalRow, e.totalRow),
    signOff: mergeList(base.signOff, e.signOff),
    formWords: [...base.formWords, ...(e.formWords ?? [])],
    placeholders: [...base.placeholders, ...(e.placeholders ?? [])],
    operatorWords: { ...base.operatorWords, ...(e.operatorWords ?? {}) },
    yuan: base.yuan,
    planCheckpoints: base.planCheckpoints,
    planEndings: base.planEndings,
    gradeWords: [...base.gradeWords, ...(e.gradeWords ?? [])],
  });
}
