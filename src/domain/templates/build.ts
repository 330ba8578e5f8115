/**
 * Builds the spec of a new form (spec.ts) laid out as the official central templates: 项目支出绩效目标表 as the
 * published 2024 目标表 (项目编码/项目名称, 预算规模及资金用途, 资金支出计划, 绩效目标, indicators with 绩效指标描述
 * and 指标值确定依据), 项目支出绩效自评表 and 部门整体支出绩效自评表 as the 2025 自评表 (funds block with 年初预算数 /
 * 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分, 年度总体目标, indicators with 分值/得分/偏差原因, 总分).
 * Pure: no host API.
 */
import { a1, Area, colName } from '../grid';
import { Profile, ProfileId, resolveProfile } from '../profiles';
import { sheetRef } from '../report/spec';
import { sheetOfReference } from '../report/naming';
import { excelTextValue } from '../report/host';
import { wrappedLines } from '../report/text';
import { TEMPLATE_STYLES } from './styles';
import {
  DefinedName,
  ListSheetSpec,
  TEMPLATE_TITLES,
  TemplateCell,
  TemplateKind,
  TemplateLayout,
  TemplateSpec,
  TemplateStyleName,
  TemplateValidation,
  TemplateValue,
} from './spec';
import { defaultRows, defaultWeights } from './weights';

export const DEFAULT_ROWS = 8;

/** Column widths (character units) of the target form (A–G) and the self-evaluations (A–J). */
const TARGET_WIDTHS = [12, 16, 20, 22, 16, 12, 10];
const SELF_WIDTHS = [6, 10, 16, 22, 14, 14, 8, 8, 10, 24];
export const MAX_ROWS = 200;

export const LIST_SHEET_NAME = '指标名称列表';
export const LIST_MARKER = 'PerfSheet_Lists';
export const LEVEL1_NAME = 'PerfSheet_L1';
export const level2Name = (i: number) => `PerfSheet_L2_${i + 1}`;

/** One indicator row to prefill. */
export interface TemplateRow {
  level1: string;
  level2: string;
  level3?: string;
  /** 指标值 (target) / 年度指标值 (self-eval). */
  target?: string;
  desc?: string | null;
  basis?: string | null;
  /** 分值 (self-evaluations); when absent the profile's default split is used. */
  weight?: number | null;
}

export interface TemplatePrefill {
  name?: string | null;
  code?: string | null;
  department?: string | null;
  unit?: string | null;
  /** Target: 预算数 / 财政资金 / 其他资金. Self-eval: 年初预算数 of 年度资金总额 (budget). */
  budget?: number | null;
  fiscal?: number | null;
  other?: number | null;
  goal?: string | null;
  indicators?: TemplateRow[];
}

export interface TemplateOptions {
  kind: TemplateKind;
  profile?: ProfileId | Profile;
  /** Number of indicator rows of a blank form (default 8, 1–200); ignored when indicators are prefilled. */
  rows?: number;
  year?: number | null;
  /** Wanted sheet name (default the form's title); a free variant `名称(2)` is taken when it exists. */
  sheetName?: string;
  /** Sheet names already in the workbook (compared as Excel does, ignoring case). */
  existingSheets?: readonly string[];
  /** The add-in's own list sheet already in the workbook (found by its marker name), reused when present. */
  ownListSheet?: string | null;
  prefill?: TemplatePrefill;
}

const FORBIDDEN = /[\\/?*[\]:]/g;

/** A valid Excel sheet name from any text: forbidden characters dropped, at most 31 characters. */
export function cleanSheetName(s: string): string {
  const t = s
    .replace(FORBIDDEN, '')
    .replace(/^'+|'+$/g, '')
    .trim();
  return Array.from(t).slice(0, 31).join('') || '表格';
}

/** `base`, or `base(2)`, `base(3)` … — the first name no existing sheet has (ignoring case). */
export function freeSheetName(base: string, existing: readonly string[]): string {
  const taken = new Set(existing.map((s) => s.toLocaleLowerCase()));
  const clean = cleanSheetName(base);
  if (!taken.has(clean.toLocaleLowerCase())) return clean;
  for (let k = 2; ; k++) {
    const suffix = `(${k})`;
    const cand =
      Array.from(clean)
        .slice(0, 31 - suffix.length)
        .join('') + suffix;
    if (!taken.has(cand.toLocaleLowerCase())) return cand;
  }
}

/** The hidden list sheet of the dropdowns, for a profile's tree. */
export function buildListSheet(profile: Profile, sheetName: string): ListSheetSpec {
  const columns: string[][] = [profile.level1.map((l) => l.name), ...profile.level1.map((l) => [...l.level2])];
  const col = (c: number, n: number) => sheetRef(sheetName, `$${colName(c)}$1:$${colName(c)}$${Math.max(n, 1)}`);
  const names: DefinedName[] = [{ name: LEVEL1_NAME, ref: col(0, columns[0].length) }];
  profile.level1.forEach((l, i) => names.push({ name: level2Name(i), ref: col(i + 1, l.level2.length) }));
  return { sheetName, columns, names, marker: { name: LIST_MARKER, ref: sheetRef(sheetName, '$A$1') } };
}

class Sheet {
  cells: TemplateCell[] = [];
  merges: Area[] = [];
  heights: number[] = [];
  validations: TemplateValidation[] = [];
  put(
    row: number,
    col: number,
    value: TemplateValue,
    style: TemplateStyleName,
    rowSpan = 1,
    colSpan = 1,
    formula?: string,
  ): void {
    const cell: TemplateCell = { row, col, value, style, rowSpan, colSpan };
    if (formula) cell.formula = formula;
    this.cells.push(cell);
    if (rowSpan > 1 || colSpan > 1)
      this.merges.push({ r0: row, c0: col, r1: row + rowSpan - 1, c1: col + colSpan - 1 });
  }
  height(row: number, h: number): void {
    this.heights[row] = h;
  }
}

/** Height of a row whose cells hold these texts in columns this wide (character units), at least `min`. */
function fitHeight(min: number, texts: [string | null | undefined, number][]): number {
  let lines = 1;
  for (const [t, w] of texts) if (t) lines = Math.max(lines, wrappedLines(t, w - 1));
  return Math.max(min, Math.min(409, 14 * lines + 4));
}

const VALUE_PROMPT =
  '请填写可衡量的指标值：定量指标写符号、数值和单位，如 ≥95%、≤900元/人、≥400人；时效指标写期限，如 当年10月前；' +
  '定性指标写可判断的描述，如 较上年有所提升。不要填 XX、** 等占位符。';
const ACTUAL_PROMPT =
  '填写实际完成的值，单位与年度指标值一致，如 96%、880元/人、9月完成；定性指标写 达成 / 部分达成 / 未达成 及说明。';

function validationsFor(s: Sheet, layout: TemplateLayout, profile: Profile): void {
  const { firstIndicatorRow: r0, lastIndicatorRow: r1, cols } = layout;
  const colArea = (c: number): Area => ({ r0, c0: c, r1, c1: c });
  const l1Cell = `$${colName(cols.level1)}${r0 + 1}`;
  s.validations.push({
    type: 'list',
    range: colArea(cols.level1),
    source: LEVEL1_NAME,
    errorStyle: 'warning',
    errorTitle: '一级指标',
    error: `一级指标应为：${profile.level1.map((l) => l.name).join('、')}。仍要使用此名称吗？`,
  });
  s.validations.push({
    type: 'list',
    range: colArea(cols.level2),
    source: `INDIRECT("PerfSheet_L2_"&MATCH(${l1Cell},${LEVEL1_NAME},0))`,
    errorStyle: 'warning',
    errorTitle: '二级指标',
    error: '这不是该一级指标下的标准二级指标名称。仍要使用此名称吗？',
  });
  s.validations.push({ type: 'any', range: colArea(cols.target), promptTitle: '年度指标值', prompt: VALUE_PROMPT });
  if (cols.actual !== null) {
    s.validations.push({ type: 'any', range: colArea(cols.actual), promptTitle: '实际完成值', prompt: ACTUAL_PROMPT });
  }
  for (const [c, what] of [
    [cols.weight, '分值'],
    [cols.score, '得分'],
  ] as const) {
    if (c === null) continue;
    s.validations.push({
      type: 'decimal',
      range: colArea(c),
      min: 0,
      max: 100,
      errorTitle: what,
      error: `${what}应为 0 到 100 之间的数。`,
    });
  }
}

function amountRule(range: Area): TemplateValidation {
  return {
    type: 'decimal',
    range,
    min: 0,
    max: null,
    errorTitle: '金额',
    error: '金额应为不小于 0 的数（单位：万元）。',
  };
}

/** Rows of the indicator grid: the prefilled indicators, or the profile's default blank rows. */
function indicatorRows(profile: Profile, opts: TemplateOptions): TemplateRow[] {
  if (opts.prefill?.indicators && opts.prefill.indicators.length > 0) return opts.prefill.indicators;
  const n = Math.max(1, Math.min(MAX_ROWS, Math.floor(opts.rows ?? DEFAULT_ROWS)));
  return defaultRows(profile, n);
}

function yearText(year: number | null | undefined): string {
  return year ? `（${year}年度）` : '（　　　　年度）';
}

function buildTarget(s: Sheet, profile: Profile, opts: TemplateOptions, rows: TemplateRow[]): TemplateLayout {
  const p = opts.prefill ?? {};
  s.put(0, 0, TEMPLATE_TITLES.target, 'title', 1, 7);
  s.height(0, 32);
  s.put(1, 0, yearText(opts.year), 'subtitle', 1, 4);
  s.put(1, 4, '单位：万元', 'unitNote', 1, 3);
  s.put(2, 0, '项目编码', 'label');
  s.put(2, 1, p.code ?? null, 'input', 1, 2);
  s.put(2, 3, '项目名称', 'label');
  s.put(2, 4, p.name ?? null, 'input', 1, 3);
  s.put(3, 0, '主管部门', 'label');
  s.put(3, 1, p.department ?? null, 'input', 1, 2);
  s.put(3, 3, '实施单位', 'label');
  s.put(3, 4, p.unit ?? null, 'input', 1, 3);
  s.put(4, 0, '预算规模及资金用途', 'label', 2, 1);
  s.put(4, 1, '预算数', 'label');
  s.put(4, 2, p.budget ?? null, 'money');
  s.put(4, 3, '其中：财政资金', 'label');
  s.put(4, 4, p.fiscal ?? null, 'money');
  s.put(4, 5, '其他资金', 'label');
  s.put(4, 6, p.other ?? null, 'money');
  s.put(5, 1, null, 'input', 1, 6);
  s.height(5, 30);
  s.validations.push(
    amountRule({ r0: 4, c0: 2, r1: 4, c1: 2 }),
    amountRule({ r0: 4, c0: 4, r1: 4, c1: 4 }),
    amountRule({ r0: 4, c0: 6, r1: 4, c1: 6 }),
  );
  s.put(6, 0, '资金支出计划（%）', 'label', 2, 1);
  const plan: [number, number, string][] = [
    [1, 2, '3月底'],
    [3, 1, '6月底'],
    [4, 1, '10月底'],
    [5, 2, '12月底'],
  ];
  for (const [c, w, label] of plan) {
    s.put(6, c, label, 'label', 1, w);
    s.put(7, c, null, 'percent', 1, w);
  }
  s.validations.push({
    type: 'decimal',
    range: { r0: 7, c0: 1, r1: 7, c1: 6 },
    min: 0,
    max: 1,
    errorTitle: '资金支出计划',
    error: '资金支出计划应为 0% 到 100% 之间的累计比例，且逐期不减少，12月底为 100%。',
    promptTitle: '资金支出计划',
    prompt: '填写截至该月底累计支出占预算的比例，如 25%、50%、83%、100%。',
  });
  s.put(8, 0, '绩效目标', 'label');
  s.put(8, 1, p.goal ?? null, 'input', 1, 6);
  s.height(8, fitHeight(48, [[p.goal, TARGET_WIDTHS.slice(1).reduce((a, b) => a + b, 0)]]));
  const hr = 9;
  ['一级指标', '二级指标', '三级指标', '绩效指标描述', '指标值'].forEach((t, c) => s.put(hr, c, t, 'header'));
  s.put(hr, 5, '指标值确定依据', 'header', 1, 2);
  s.height(hr, 24);
  rows.forEach((x, i) => {
    const r = hr + 1 + i;
    s.put(r, 0, x.level1, 'inputCenter');
    s.put(r, 1, x.level2, 'inputCenter');
    s.put(r, 2, x.level3 ?? null, 'input');
    s.put(r, 3, x.desc ?? null, 'input');
    s.put(r, 4, x.target ?? null, 'inputCenter');
    s.put(r, 5, x.basis ?? null, 'input', 1, 2);
    s.height(
      r,
      fitHeight(28, [
        [x.level3, TARGET_WIDTHS[2]],
        [x.desc, TARGET_WIDTHS[3]],
        [x.target, TARGET_WIDTHS[4]],
        [x.basis, TARGET_WIDTHS[5] + TARGET_WIDTHS[6]],
      ]),
    );
  });
  const layout: TemplateLayout = {
    headerRow: hr,
    firstIndicatorRow: hr + 1,
    lastIndicatorRow: hr + rows.length,
    cols: {
      level1: 0,
      level2: 1,
      level3: 2,
      desc: 3,
      target: 4,
      actual: null,
      weight: null,
      score: null,
      deviation: null,
    },
    totalRow: null,
  };
  validationsFor(s, layout, profile);
  return layout;
}

function buildSelfEval(
  s: Sheet,
  profile: Profile,
  opts: TemplateOptions,
  rows: TemplateRow[],
  dept: boolean,
): TemplateLayout {
  const p = opts.prefill ?? {};
  const W = 10;
  s.put(0, 0, TEMPLATE_TITLES[dept ? 'dept-self-eval' : 'self-eval'], 'title', 1, W);
  s.height(0, 32);
  s.put(1, 0, yearText(opts.year), 'subtitle', 1, W);
  let r = 2;
  if (dept) {
    s.put(r, 0, '预算部门名称', 'label', 1, 2);
    s.put(r, 2, p.name ?? p.department ?? null, 'input', 1, W - 2);
    r++;
  } else {
    s.put(r, 0, '项目名称', 'label', 1, 2);
    s.put(r, 2, p.name ?? null, 'input', 1, W - 2);
    r++;
    s.put(r, 0, '主管部门', 'label', 1, 2);
    s.put(r, 2, p.department ?? null, 'input', 1, 4);
    s.put(r, 6, '实施单位', 'label');
    s.put(r, 7, p.unit ?? null, 'input', 1, 3);
    r++;
  }
  // Funds block: header row, 年度资金总额, then its 其中 rows.
  const parts = dept ? ['其中：基本支出', '项目支出', '其他资金'] : ['其中：当年财政拨款', '上年结转资金', '其他资金'];
  const fr = r;
  s.put(fr, 0, dept ? '年度预算申请（万元）' : '项目资金（万元）', 'label', parts.length + 2, 2);
  s.put(fr, 2, null, 'label', 1, 2);
  ['年初预算数', '全年预算数', '全年执行数', '分值', '执行率', '得分'].forEach((t, i) => s.put(fr, 4 + i, t, 'label'));
  s.put(fr + 1, 2, '年度资金总额', 'label', 1, 2);
  s.put(fr + 1, 4, p.budget ?? null, 'money');
  s.put(fr + 1, 5, null, 'money');
  s.put(fr + 1, 6, null, 'money');
  s.put(fr + 1, 7, profile.executionWeight, 'weight');
  s.put(fr + 1, 8, null, 'percent');
  s.put(fr + 1, 9, null, 'score');
  parts.forEach((label, i) => {
    const row = fr + 2 + i;
    s.put(row, 2, label, 'label', 1, 2);
    for (let c = 4; c <= 6; c++) s.put(row, c, null, 'money');
    for (let c = 7; c <= 9; c++) s.put(row, c, null, 'inputCenter');
  });
  const lastFunds = fr + 1 + parts.length;
  s.validations.push(amountRule({ r0: fr + 1, c0: 4, r1: lastFunds, c1: 6 }));
  s.validations.push({
    type: 'decimal',
    range: { r0: fr + 1, c0: 7, r1: fr + 1, c1: 7 },
    min: 0,
    max: 100,
    errorTitle: '分值',
    error: '分值应为 0 到 100 之间的数。',
  });
  s.validations.push({
    type: 'decimal',
    range: { r0: fr + 1, c0: 9, r1: fr + 1, c1: 9 },
    min: 0,
    max: 100,
    errorTitle: '得分',
    error: '得分应为 0 到 100 之间的数。',
  });
  r = lastFunds + 1;
  s.put(r, 0, '年度总体目标', 'label', 2, 2);
  s.put(r, 2, '预期目标', 'label', 1, 4);
  s.put(r, 6, '实际完成情况', 'label', 1, 4);
  s.put(r + 1, 2, p.goal ?? null, 'input', 1, 4);
  s.put(r + 1, 6, null, 'input', 1, 4);
  s.height(r + 1, fitHeight(60, [[p.goal, SELF_WIDTHS[2] + SELF_WIDTHS[3] + SELF_WIDTHS[4] + SELF_WIDTHS[5]]]));
  const hr = r + 2;
  s.put(hr, 0, '绩效指标', 'label', rows.length + 1, 1);
  ['一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分'].forEach((t, i) =>
    s.put(hr, 1 + i, t, 'header'),
  );
  s.put(hr, 8, '偏差原因分析及改进措施', 'header', 1, 2);
  s.height(hr, 28);
  const weights = defaultWeights(
    profile,
    rows.map((x) => x.level1),
  );
  rows.forEach((x, i) => {
    const row = hr + 1 + i;
    s.put(row, 1, x.level1, 'inputCenter');
    s.put(row, 2, x.level2, 'inputCenter');
    s.put(row, 3, x.level3 ?? null, 'input');
    s.put(row, 4, x.target ?? null, 'inputCenter');
    s.put(row, 5, null, 'inputCenter');
    s.put(row, 6, x.weight ?? weights[i], 'weight');
    s.put(row, 7, null, 'score');
    s.put(row, 8, null, 'input', 1, 2);
    s.height(
      row,
      fitHeight(28, [
        [x.level3, SELF_WIDTHS[3]],
        [x.target, SELF_WIDTHS[4]],
      ]),
    );
  });
  const first = hr + 1;
  const last = hr + rows.length;
  const tr = last + 1;
  s.put(tr, 0, '总分', 'totalLabel', 1, 6);
  const total =
    Math.round((profile.executionWeight + rows.reduce((a, x, i) => a + (x.weight ?? weights[i]), 0)) * 100) / 100;
  s.put(tr, 6, total, 'totalScore', 1, 1, `${a1(fr + 1, 7)}+SUM(${a1(first, 6)}:${a1(last, 6)})`);
  s.put(tr, 7, null, 'totalScore');
  s.put(tr, 8, null, 'input', 1, 2);
  s.height(tr, 24);
  const layout: TemplateLayout = {
    headerRow: hr,
    firstIndicatorRow: first,
    lastIndicatorRow: last,
    cols: { level1: 1, level2: 2, level3: 3, desc: null, target: 4, actual: 5, weight: 6, score: 7, deviation: 8 },
    totalRow: tr,
  };
  validationsFor(s, layout, profile);
  return layout;
}

/** The spec of a new form. */
export function buildTemplateSpec(opts: TemplateOptions): TemplateSpec {
  const profile = resolveProfile(opts.profile);
  const existing = opts.existingSheets ?? [];
  const sheetName = freeSheetName(opts.sheetName ?? TEMPLATE_TITLES[opts.kind], existing);
  const listName = opts.ownListSheet ?? freeSheetName(LIST_SHEET_NAME, [...existing, sheetName]);
  const rows = indicatorRows(profile, opts);
  const s = new Sheet();
  const layout =
    opts.kind === 'target'
      ? buildTarget(s, profile, opts, rows)
      : buildSelfEval(s, profile, opts, rows, opts.kind === 'dept-self-eval');
  const colCount = opts.kind === 'target' ? 7 : 10;
  const rowCount = Math.max(...s.cells.map((c) => c.row + c.rowSpan));
  const widths = opts.kind === 'target' ? TARGET_WIDTHS : SELF_WIDTHS;
  const rowHeights = Array.from({ length: rowCount }, (_, i) => s.heights[i] ?? 20);
  return {
    version: 1,
    kind: opts.kind,
    sheetName,
    title: TEMPLATE_TITLES[opts.kind],
    profile: profile.id,
    year: opts.year ?? null,
    rowCount,
    colCount,
    columnWidths: [...widths],
    rowHeights,
    styles: TEMPLATE_STYLES,
    cells: s.cells,
    merges: s.merges,
    validations: s.validations,
    lists: buildListSheet(profile, listName),
    print: {
      paperSize: 'A4',
      orientation: 'portrait',
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.6, right: 0.6, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
      centerHorizontally: true,
      footerCenter: '第 &P 页，共 &N 页',
    },
    layout,
  };
}

/**
 * The add-in's list sheet among `sheets`, as its marker name (`PerfSheet_Lists`) refers to it, or null. `names`
 * are the workbook's defined names with what they refer to (with or without the leading `=`).
 */
export function ownListSheetOf(
  sheets: readonly string[],
  names: readonly { name: string; ref: string }[],
): string | null {
  const marker = names.find((n) => n.name === LIST_MARKER);
  const target = marker ? sheetOfReference(marker.ref.replace(/^=/, '')) : null;
  return target !== null ? (sheets.find((s) => s.toLocaleLowerCase() === target.toLocaleLowerCase()) ?? null) : null;
}

/** The list sheet's cells as one block (text kept as text), at least 50 rows, with 4 spare columns. */
export function listSheetBlock(lists: ListSheetSpec): string[][] {
  const height = Math.max(50, ...lists.columns.map((c) => c.length));
  const width = lists.columns.length + 4;
  return Array.from({ length: height }, (_, r) =>
    Array.from({ length: width }, (_, c) => excelTextValue(lists.columns[c]?.[r] ?? '')),
  );
}

/** True for the defined names the add-in's list sheet owns (rewritten with it). */
export function isListName(name: string): boolean {
  return name === LIST_MARKER || name === LEVEL1_NAME || /^PerfSheet_L2_\d+$/.test(name);
}

/** Why new forms cannot go where their specs say (a sheet of that name exists), in Chinese, or null. */
export function newSheetsProblem(specs: readonly { sheetName: string }[], sheets: readonly string[]): string | null {
  const taken = new Set(sheets.map((s) => s.toLocaleLowerCase()));
  for (const s of specs) {
    if (taken.has(s.sheetName.toLocaleLowerCase())) return `工作表“${s.sheetName}”已存在，新表格不会覆盖它。`;
    taken.add(s.sheetName.toLocaleLowerCase());
  }
  return null;
}
