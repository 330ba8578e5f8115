/**
 * The field block above an indicator grid (RULES §1.1): 项目名称, 主管部门, 实施单位, 预算数 with 财政资金 /
 * 其他资金, 资金支出计划, 绩效目标, and the self-evaluation funds block — each found by its label, its value
 * the first cell right of the label that is no label itself.
 */
import { ownValueAt } from '../grid';
import { FundsBlock, FundsRow, NumAt, ParsedTable, Pos } from '../model';
import { FieldRole, Lexicon } from '../vocabulary';
import { SheetView } from './view';

export interface Region {
  r0: number;
  /** Inclusive. */
  r1: number;
}

/** The first cell of each field role in a region (row by row, left to right). */
export function findFields(v: SheetView, reg: Region): Partial<Record<FieldRole, Pos>> {
  const out: Partial<Record<FieldRole, Pos>> = {};
  // 其中 amounts belong to the total in their own column pair (reading rule 5: `中期资金总额 | … | 年度资金总额`
  // with a 其中：财政拨款 under each): the first of them under the budget's label, else the first.
  let parts: Pos[] | null = null;
  for (let r = Math.max(reg.r0, 0); r <= reg.r1; r++) {
    for (const e of v.row(r)) {
      const f = e.l.field;
      if (!f) continue;
      if (out[f] === undefined) out[f] = { r: e.r, c: e.c };
      else if (f === 'fiscal' || f === 'other') (parts ??= []).push({ r: e.r, c: e.c });
    }
  }
  const b = out.budget;
  if (parts !== null && b !== undefined) {
    for (const f of ['fiscal', 'other'] as const) {
      const first = out[f];
      if (first === undefined || first.c === b.c) continue;
      const same = parts.find((p) => p.c === b.c && p.r > b.r && v.row(p.r).some((e) => e.c === p.c && e.l.field === f));
      if (same) out[f] = same;
    }
  }
  return out;
}

/** The first non-empty cell right of a label (stopping at another label). */
export function rightOf(v: SheetView, lex: Lexicon, p: Pos): Pos | null {
  for (let c = v.spanEnd(p.r, p.c) + 1; c < v.colCount; c = Math.max(v.spanEnd(p.r, c), c) + 1) {
    const a = v.anchor(p.r, c);
    // Overlapping merges (a damaged file) can lead back to the label itself or further left: never a value.
    if (a.c <= p.c) continue;
    const t = v.text(p.r, c);
    if (t === '' || lex.isYearLine(t)) continue;
    if (lex.isKnownLabel(t)) return null;
    return a;
  }
  return null;
}

/** Money unit of a table's amounts: 元 when its block says so (`金额单位：元`, `项目资金（元）`), else 万元. */
export function moneyScale(v: SheetView, reg: Region, c1: number): number {
  // The block's unit (reading rule 1). A funds column headed in 元 (`全年预算数（元）`) or a unit line (`单位：元`,
  // `项目资金（元）`) puts the block in 元. Amount labels that name their own unit (`预算数（元）`) do so only where
  // no label or caption names 万元: `年度金额（万元）` with `其中：中央补助（元）` is a block in 万元 with one amount
  // in 元 (labelScale).
  let yuanOwn = false;
  let wan = false;
  for (let r = Math.max(reg.r0, 0); r <= reg.r1; r++) {
    for (const e of v.row(r)) {
      if (e.c > c1) break;
      if (e.l.ownUnit === '万元') wan = true;
      if (!e.l.yuan) continue;
      if (e.l.funds === null && e.l.ownUnit === '元') yuanOwn = true;
      else return 0.0001;
    }
  }
  return yuanOwn && !wan ? 0.0001 : 1;
}

/** The scale of the amount a label names: its own unit where it names one, else the block's. */
export function labelScale(v: SheetView, p: Pos, block: number): number {
  const u = v.lex.label(v.text(p.r, p.c)).ownUnit;
  return u === '元' ? 0.0001 : u === '万元' ? 1 : block;
}

const YEAR_DEGREE = /(20\d\d|19\d\d)年度/;
const YEAR_PLAIN = /(20\d\d|19\d\d)年/;

/** Year from the title rows (`（2023年度）`, `2025年`). */
export function titleYear(v: SheetView, reg: Region): number | null {
  const texts: string[] = [];
  for (let r = Math.max(reg.r0, 0); r <= reg.r1; r++) for (const e of v.row(r)) texts.push(e.k);
  for (const re of [YEAR_DEGREE, YEAR_PLAIN]) {
    for (const t of texts) {
      const m = re.exec(t);
      if (m) return Number(m[1]);
    }
  }
  return null;
}

export function spendingPlan(v: SheetView, lex: Lexicon, reg: Region): ParsedTable['spendingPlan'] {
  for (let r = Math.max(reg.r0, 0); r <= reg.r1; r++) {
    const entries = v.row(r);
    if (entries.length < 4) continue;
    // The four checkpoints, left to right, each the first of its kind in the row.
    const cols: number[] = [-1, -1, -1, -1];
    for (const e of entries) {
      const i = lex.planCheckpoint(e.k);
      if (i >= 0 && cols[i] < 0) cols[i] = e.c;
    }
    if (cols.some((c) => c < 0)) continue;
    const values = cols.map((c) => {
      const n = v.need({ r: r + 1, c }, '资金支出计划', 'rate');
      if (!n) return null;
      // A plain number above 1 is a percentage written without its sign (the row is headed 资金支出计划（%）).
      return n.percent || Math.abs(n.value) <= 1 ? n : { ...n, value: n.value / 100, percent: true };
    });
    return { labelsRow: r, values, cols };
  }
  return null;
}

/** The self-evaluation funds block: its header row (≥ 2 of 年初预算数 / 全年预算数 / 全年执行数) and rows. */
export function fundsBlock(v: SheetView, lex: Lexicon, reg: Region, scale: number): FundsBlock | null {
  let hr = -1;
  const cols: FundsBlock['cols'] = {
    initial: null,
    budget: null,
    executed: null,
    weight: null,
    rate: null,
    score: null,
  };
  for (let r = Math.max(reg.r0, 0); r <= reg.r1 && hr < 0; r++) {
    const found: FundsBlock['cols'] = {
      initial: null,
      budget: null,
      executed: null,
      weight: null,
      rate: null,
      score: null,
    };
    let money = 0;
    for (const e of v.row(r)) {
      const role = e.l.funds;
      if (role === null || found[role] !== null) continue;
      found[role] = e.c;
      if (role === 'initial' || role === 'budget' || role === 'executed') money++;
    }
    if (money >= 2) {
      hr = r;
      Object.assign(cols, found);
    }
  }
  if (hr < 0) return null;
  const firstNumCol = Math.min(...[cols.initial, cols.budget, cols.executed].filter((c): c is number => c !== null));
  const labelCol = (r: number): number => {
    for (let c = firstNumCol - 1; c >= 0; c--) {
      const m = v.mergeAt(r, c);
      if (m && m.r0 <= hr) continue; // the block's own caption (项目资金（万元）) spans the header row
      if (v.key(r, c) !== '') return c;
    }
    return -1;
  };
  const rowLabel = (r: number): string => {
    const c = labelCol(r);
    return c < 0 ? '' : v.key(r, c);
  };
  // A row label naming its own unit (`其中：中央补助（元）`) gives its amounts that unit (reading rule 1).
  let rowScale = scale;
  // Each column's field name (for an unusable value's message), from its header cell, once per block.
  const fieldNames = new Map<number, string>();
  for (const c of Object.values(cols))
    if (c !== null && !fieldNames.has(c)) fieldNames.set(c, v.text(hr, c).replace(/\s+/g, '') || '金额');
  const at = (r: number, c: number | null, money: boolean): NumAt | null => {
    if (c === null || !ownValueAt(v.g, r, c, hr)) return null;
    const field = fieldNames.get(c)!;
    return money
      ? v.need({ r, c }, field, 'money', rowScale)
      : v.need({ r, c }, field, c === cols.rate ? 'rate' : 'score');
  };
  // The 其中 rows are parts of the total: a unit the total's label names is theirs too, unless they name their own.
  let partScale = scale;
  const readRow = (r: number, label: string, isTotal: boolean): FundsRow => {
    const lc = labelCol(r);
    rowScale = lc < 0 ? partScale : labelScale(v, { r, c: lc }, isTotal ? scale : partScale);
    if (isTotal) partScale = rowScale;
    return readRowAt(r, label);
  };
  const readRowAt = (r: number, label: string): FundsRow => ({
    r,
    label,
    initial: at(r, cols.initial, true),
    budget: at(r, cols.budget, true),
    executed: at(r, cols.executed, true),
    weight: at(r, cols.weight, false),
    rate: at(r, cols.rate, false),
    score: at(r, cols.score, false),
  });
  let total: FundsRow | null = null;
  const parts: FundsRow[] = [];
  for (let r = hr + 1; r <= reg.r1; r++) {
    const label = rowLabel(r);
    const f = label ? lex.field(label) : null;
    if (f === 'goal' || f === 'goalExpected' || f === 'goalActual' || lex.column(label) === 'level1') break;
    // Another block of the form (年度主要任务 …): the funds block has ended.
    if (label && f === null && !lex.isFundsTotal(label) && lex.isKnownLabel(label)) break;
    const isTotal = total === null && parts.length === 0 && (lex.isFundsTotal(label) || label === '');
    const row = readRow(r, label, isTotal);
    const hasNumbers = row.initial || row.budget || row.executed;
    if (label === '' && !hasNumbers) break;
    if (isTotal) total = row;
    else parts.push(row);
  }
  return { headerRow: hr, cols, total, parts };
}
