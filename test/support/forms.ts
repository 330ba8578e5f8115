/**
 * Builders for official forms laid out the way departments lay them out — with options for the variations
 * the engine must read (other column spans, blank rows, split labels, weights in 一级 labels, centred group
 * labels, stated totals). Used by tests and by the benchmark.
 */
import ExcelJS from 'exceljs';
import { CellValue, colName, SheetGrid } from '../../src/domain/grid';

export class SheetBuilder {
  values: CellValue[][] = [];
  merges: string[] = [];
  formats: Record<string, string> = {};
  constructor(readonly name = 'Sheet1') {}
  set(r: number, c: number, v: CellValue, fmt?: string): this {
    (this.values[r] ??= [])[c] = v;
    if (fmt) this.formats[`${colName(c)}${r + 1}`] = fmt;
    return this;
  }
  merge(r0: number, c0: number, r1: number, c1: number): this {
    if (r1 > r0 || c1 > c0) this.merges.push(`${colName(c0)}${r0 + 1}:${colName(c1)}${r1 + 1}`);
    return this;
  }
  get rowCount(): number {
    return this.values.length;
  }
  grid(): SheetGrid {
    const vals = Array.from({ length: this.values.length }, (_, i) => this.values[i] ?? []);
    return SheetGrid.fromValues(this.name, vals, this.merges, this.formats);
  }
  toExcelJS(wb: ExcelJS.Workbook): ExcelJS.Worksheet {
    const ws = wb.addWorksheet(this.name);
    this.values.forEach((row, r) =>
      row?.forEach((v, c) => {
        if (v === null || v === undefined) return;
        const cell = ws.getCell(r + 1, c + 1);
        cell.value = typeof v === 'object' ? { error: v.error } as ExcelJS.CellErrorValue : v;
      }),
    );
    for (const [addr, fmt] of Object.entries(this.formats)) ws.getCell(addr).numFmt = fmt;
    for (const m of this.merges) ws.mergeCells(m);
    return ws;
  }
}

export interface IndicatorSpec {
  l1: string;
  l2: string;
  l3: string;
  target: CellValue;
  actual?: CellValue;
  weight?: number | string | null;
  score?: CellValue;
  deviation?: string;
}

export interface Layout {
  /** Columns inserted before the form (other column spans). */
  colOffset?: number;
  /** Blank rows between the indicator header and the first indicator. */
  blankAfterHeader?: number;
  /** Labels split over lines with full-width spaces (`一级\n指标`). */
  splitLabels?: boolean;
  /** Weights carried in the 一级 label: `产出指标（50分）`. */
  level1Weights?: Record<string, number>;
  /** 一级/二级 labels written once in the middle row of their group, cells not merged. */
  centreLabels?: boolean;
  /** Label cells merged down their group (the published layout). */
  mergeGroups?: boolean;
  /** Width of the 三级 column in cells (wider spans). */
  level3Span?: number;
}

export interface SelfEvalSpec {
  kind?: 'self-eval' | 'dept-self-eval';
  year?: number | null;
  name: string;
  dept?: string;
  unit?: string;
  funds: {
    initial?: CellValue;
    budget?: CellValue;
    executed?: CellValue;
    weight?: CellValue;
    rate?: CellValue;
    rateScore?: CellValue;
    parts?: { label: string; initial?: CellValue; budget?: CellValue; executed?: CellValue }[];
  };
  indicators: IndicatorSpec[];
  total?: CellValue;
  grade?: string;
  layout?: Layout;
}

function lbl(s: string, split: boolean | undefined): string {
  if (!split || s.length < 3) return s;
  const mid = Math.floor(s.length / 2);
  return `${s.slice(0, mid)}\n${s.slice(mid)}`;
}

/** Places groups of 一级/二级 labels according to the layout. */
function placeGroups(b: SheetBuilder, rows: number[], col: number, labels: string[], layout: Layout, weights?: Record<string, number>): void {
  let i = 0;
  while (i < labels.length) {
    let j = i;
    while (j + 1 < labels.length && labels[j + 1] === labels[i]) j++;
    const text = weights && weights[labels[i]] !== undefined ? `${labels[i]}（${weights[labels[i]]}分）` : labels[i];
    const t = lbl(text, layout.splitLabels);
    if (layout.centreLabels && j > i) {
      b.set(rows[Math.floor((i + j) / 2)], col, t);
    } else {
      b.set(rows[i], col, t);
      if (layout.mergeGroups !== false) b.merge(rows[i], col, rows[j], col);
    }
    i = j + 1;
  }
}

/** Writes a 项目/部门整体支出绩效自评表 starting at row r0; returns the next free row. */
export function writeSelfEval(b: SheetBuilder, spec: SelfEvalSpec, r0 = 0): number {
  const L = spec.layout ?? {};
  const o = L.colOffset ?? 0;
  const s3 = L.level3Span ?? 1;
  // columns
  const cA = o;
  const cL1 = o + 1;
  const cL2 = o + 2;
  const cL3 = o + 3;
  const cT = cL3 + s3;
  const cAct = cT + 1;
  const cW = cAct + 1;
  const cS = cW + 1;
  const cDev = cS + 1;
  const last = cDev + 1;
  const dept = spec.kind === 'dept-self-eval';
  let r = r0;
  b.set(r, cA, dept ? '部门整体支出绩效自评表' : '项目支出绩效自评表').merge(r, cA, r, last);
  r++;
  if (spec.year !== null) {
    b.set(r, cA, `（${spec.year ?? 2025}年度）`).merge(r, cA, r, last);
    r++;
  }
  if (dept) {
    b.set(r, cA, '预算部门名称').merge(r, cA, r, cA + 1);
    b.set(r, cL2, spec.name).merge(r, cL2, r, last);
    r++;
  } else {
    b.set(r, cA, '项目名称').merge(r, cA, r, cA + 1);
    b.set(r, cL2, spec.name).merge(r, cL2, r, last);
    r++;
    b.set(r, cA, '主管部门').merge(r, cA, r, cA + 1);
    b.set(r, cL2, spec.dept ?? '某某单位').merge(r, cL2, r, cT);
    b.set(r, cAct + 1 > last ? last : cW - 1, '实施单位');
    b.set(r, cW, spec.unit ?? spec.dept ?? '某某单位').merge(r, cW, r, last);
    r++;
  }
  // funds block
  const fh = r;
  b.set(r, cA, lbl(dept ? '年度预算申请（万元）' : '项目资金（万元）', L.splitLabels));
  // 年初预算数 … 得分 sit in the six columns from 年度指标值 on, as in the published form.
  const fcols = [cT, cAct, cW, cS, cDev, last];
  const heads = ['年初预算数', '全年预算数', '全年执行数', '分值', '执行率', '得分'];
  heads.forEach((h, i) => b.set(r, fcols[i], lbl(h, L.splitLabels)));
  r++;
  const f = spec.funds;
  const parts = f.parts ?? [{ label: '当年财政拨款', initial: f.initial, budget: f.budget, executed: f.executed }, { label: '上年结转资金' }, { label: '其他资金' }];
  const fundRow = (label: string, vals: CellValue[]) => {
    b.set(r, cL2, label).merge(r, cL2, r, cT - 1);
    vals.forEach((v, i) => {
      if (v !== undefined && v !== null) b.set(r, fcols[i], v, typeof v === 'number' && i < 3 ? '0.00' : i === 4 && typeof v === 'number' ? '0.00%' : undefined);
    });
    r++;
  };
  fundRow('年度资金总额', [f.initial ?? null, f.budget ?? null, f.executed ?? null, f.weight === undefined ? 10 : f.weight, f.rate ?? null, f.rateScore ?? null]);
  parts.forEach((p, i) => fundRow(i === 0 ? `其中：${p.label}` : p.label, [p.initial ?? null, p.budget ?? null, p.executed ?? null]));
  b.merge(fh, cA, r - 1, cA + 1);
  // goals
  b.set(r, cA, '年度总体目标').merge(r, cA, r + 1, cA + 1);
  b.set(r, cL2, '预期目标').merge(r, cL2, r, cAct - 1);
  b.set(r, cAct, '实际完成情况').merge(r, cAct, r, last);
  b.set(r + 1, cL2, '完成年度工作任务。').merge(r + 1, cL2, r + 1, cAct - 1);
  b.set(r + 1, cAct, '已完成。').merge(r + 1, cAct, r + 1, last);
  r += 2;
  // indicator header
  const hr = r;
  b.set(r, cA, '绩效指标');
  b.set(r, cL1, lbl('一级指标', L.splitLabels));
  b.set(r, cL2, lbl('二级指标', L.splitLabels));
  b.set(r, cL3, lbl('三级指标', L.splitLabels)).merge(r, cL3, r, cT - 1);
  b.set(r, cT, lbl('年度指标值', L.splitLabels));
  b.set(r, cAct, lbl('实际完成值', L.splitLabels));
  b.set(r, cW, '分值');
  b.set(r, cS, '得分');
  b.set(r, cDev, lbl('偏差原因分析及改进措施', L.splitLabels)).merge(r, cDev, r, last);
  r++;
  r += L.blankAfterHeader ?? 0;
  const rows: number[] = [];
  for (const ind of spec.indicators) {
    rows.push(r);
    b.set(r, cL3, ind.l3).merge(r, cL3, r, cT - 1);
    b.set(r, cT, ind.target);
    if (ind.actual !== undefined) b.set(r, cAct, ind.actual);
    if (ind.weight !== undefined && ind.weight !== null) b.set(r, cW, ind.weight);
    if (ind.score !== undefined) b.set(r, cS, ind.score);
    if (ind.deviation) b.set(r, cDev, ind.deviation);
    b.merge(r, cDev, r, last);
    r++;
  }
  placeGroups(b, rows, cL1, spec.indicators.map((x) => x.l1), L, L.level1Weights);
  // 二级 groups within each 一级
  placeGroups(b, rows, cL2, spec.indicators.map((x) => `${x.l1}\u0000${x.l2}`), L);
  for (const row of rows) {
    const v = b.values[row]?.[cL2];
    if (typeof v === 'string') b.set(row, cL2, v.split('\u0000')[1]);
  }
  b.merge(hr, cA, r - 1, cA);
  b.set(r, cA, '总分').merge(r, cA, r, cAct);
  b.set(r, cW, 100);
  if (spec.total !== undefined) b.set(r, cS, spec.total);
  b.merge(r, cDev, r, last);
  r++;
  if (spec.grade !== undefined) {
    b.set(r, cA, '评价等级').merge(r, cA, r, cAct);
    if (spec.grade) b.set(r, cW, spec.grade);
    r++;
  }
  return r;
}

/** The standard nine-row indicator set of the central template (weights add to 90). */
export function standardIndicators(over: Partial<Record<number, Partial<IndicatorSpec>>> = {}): IndicatorSpec[] {
  const base: IndicatorSpec[] = [
    { l1: '产出指标', l2: '数量指标', l3: '培训人数', target: '≥100人', actual: '100人', weight: 20 },
    { l1: '产出指标', l2: '质量指标', l3: '培训合格率', target: '≥95%', actual: '98%', weight: 10 },
    { l1: '产出指标', l2: '时效指标', l3: '完成时间', target: '12月31日前完成', actual: '11月完成', weight: 10 },
    { l1: '成本指标', l2: '经济成本指标', l3: '人均培训费用', target: '≤500元/人', actual: '480元/人', weight: 10 },
    { l1: '效益指标', l2: '社会效益指标', l3: '职工技能水平', target: '有所提升', actual: '达成', weight: 30 },
    { l1: '满意度指标', l2: '服务对象满意度指标', l3: '学员满意度', target: '≥90%', actual: '95%', weight: 10 },
  ];
  return base.map((x, i) => ({ ...x, ...(over[i] ?? {}) }));
}

export interface TargetSpec {
  index?: number;
  name: string;
  code?: string;
  budget?: CellValue;
  fiscal?: CellValue;
  other?: CellValue;
  plan?: CellValue[];
  indicators: IndicatorSpec[];
  layout?: Layout;
}

/** Writes a 项目支出绩效目标表 as published (stacked with a numbered title); returns the next free row. */
export function writeTarget(b: SheetBuilder, spec: TargetSpec, r0 = 0): number {
  const L = spec.layout ?? {};
  const o = L.colOffset ?? 0;
  const A = o, B = o + 1, C = o + 2, D = o + 3, E = o + 4, F = o + 5, G = o + 6;
  let r = r0;
  b.set(r, A, `${spec.index ?? 1}、${spec.name}绩效目标表`).merge(r, A, r, G);
  r++;
  b.set(r, A, '711 某某单位').merge(r, A, r, D);
  b.set(r, E, '单位：万元').merge(r, E, r, G);
  r++;
  b.set(r, A, '项目编码');
  b.set(r, B, spec.code ?? '13010024P0000000001').merge(r, B, r, C);
  b.set(r, D, '项目名称');
  b.set(r, E, spec.name).merge(r, E, r, G);
  r++;
  b.set(r, A, lbl('预算规模及资金用途', L.splitLabels)).merge(r, A, r + 1, A);
  b.set(r, B, '预算数');
  if (spec.budget !== undefined && spec.budget !== null) b.set(r, C, spec.budget, typeof spec.budget === 'number' ? '0.00' : undefined);
  b.set(r, D, '其中：财政资金');
  if (spec.fiscal !== undefined && spec.fiscal !== null) b.set(r, E, spec.fiscal, typeof spec.fiscal === 'number' ? '0.00' : undefined);
  b.set(r, F, '其他资金');
  if (spec.other !== undefined && spec.other !== null) b.set(r, G, spec.other, typeof spec.other === 'number' ? '0.00' : undefined);
  r++;
  b.set(r, B, '项目资金用途说明').merge(r, B, r, G);
  r++;
  b.set(r, A, lbl('资金支出计划（%）', L.splitLabels)).merge(r, A, r + 1, A);
  b.set(r, B, '3月底').merge(r, B, r, C);
  b.set(r, D, '6月底');
  b.set(r, E, '10月底');
  b.set(r, F, '12月底').merge(r, F, r, G);
  const plan = spec.plan ?? [0.25, 0.5, 0.83, 1];
  [B, D, E, F].forEach((c, i) => {
    const v = plan[i];
    if (v !== undefined && v !== null) b.set(r + 1, c, v, typeof v === 'number' ? '0%' : undefined);
  });
  b.merge(r + 1, B, r + 1, C).merge(r + 1, F, r + 1, G);
  r += 2;
  b.set(r, A, '绩效目标');
  b.set(r, B, '完成项目年度目标。').merge(r, B, r, G);
  r++;
  ['一级指标', '二级指标', '三级指标', '绩效指标描述', '指标值', '指标值确定依据'].forEach((h, i) => b.set(r, A + i, lbl(h, L.splitLabels)));
  b.merge(r, F, r, G);
  r++;
  r += L.blankAfterHeader ?? 0;
  const rows: number[] = [];
  for (const ind of spec.indicators) {
    rows.push(r);
    b.set(r, B, ind.l2);
    b.set(r, C, ind.l3);
    b.set(r, D, ind.l3);
    b.set(r, E, ind.target);
    b.set(r, F, '年度工作计划').merge(r, F, r, G);
    r++;
  }
  placeGroups(b, rows, A, spec.indicators.map((x) => x.l1), L, L.level1Weights);
  return r;
}

/** The standard target indicator set (old tree: 成本指标 as a 二级 of 产出指标). */
export function standardTargetIndicators(over: Partial<Record<number, Partial<IndicatorSpec>>> = {}): IndicatorSpec[] {
  const base: IndicatorSpec[] = [
    { l1: '产出指标', l2: '数量指标', l3: '培训班次', target: '≥3次' },
    { l1: '产出指标', l2: '质量指标', l3: '培训合格率', target: '≥95%' },
    { l1: '产出指标', l2: '时效指标', l3: '完成时间', target: '12月前' },
    { l1: '产出指标', l2: '成本指标', l3: '项目预算控制数', target: '≤9.9万元' },
    { l1: '效益指标', l2: '社会效益指标', l3: '社会影响力', target: '得到提升' },
    { l1: '满意度指标', l2: '服务对象满意度指标', l3: '受训学员满意度', target: '≥95%' },
  ];
  return base.map((x, i) => ({ ...x, ...(over[i] ?? {}) }));
}
