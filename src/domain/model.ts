/**
 * The parsed model of one table, with the position of every cell it was read from. Rules and scoring
 * work on this; the public TableResult (types.ts) is derived from it.
 */
import { SheetGrid } from './grid';
import { NumberRead } from './text';
import { TableKind } from './types';

export interface Pos {
  r: number;
  c: number;
}

export interface NumAt extends NumberRead {
  pos: Pos;
}

export interface TextAt {
  text: string;
  pos: Pos;
}

export interface Columns {
  level1: number;
  level2: number;
  level3: number;
  desc: number | null;
  /** The value column (with a split value: the number between its operator and unit columns). */
  target: number | null;
  actual: number | null;
  /** 指标性质 / 符号: the operator column of a split value. */
  operator: number | null;
  /**
   * A second operator column (a form with both 指标方向 正向/反向 and 计算符号 =/≥): where both are filled, the
   * symbol wins (reading rule 2).
   */
  operator2: number | null;
  /** 度量单位 / 计量单位: the unit column of a split value. */
  unit: number | null;
  weight: number | null;
  score: number | null;
  deviation: number | null;
  basis: number | null;
}

export interface ParsedIndicator {
  /** 0-based sheet row. */
  r: number;
  level1: string;
  /** Weight stated in the 一级 label (`产出指标（20分）`), if any. */
  level1Weight: number | null;
  level2: string;
  level3: string;
  desc: string | null;
  target: TextAt;
  actual: TextAt | null;
  weight: NumAt | null;
  /** Position of the 得分 cell (whether or not it holds a value). */
  scorePos: Pos | null;
  statedScore: NumAt | null;
  deviation: TextAt | null;
  deviationPos: Pos | null;
}

export interface FundsRow {
  r: number;
  label: string;
  initial: NumAt | null;
  budget: NumAt | null;
  executed: NumAt | null;
  weight: NumAt | null;
  rate: NumAt | null;
  score: NumAt | null;
}

export interface FundsBlock {
  headerRow: number;
  cols: {
    initial: number | null;
    budget: number | null;
    executed: number | null;
    weight: number | null;
    rate: number | null;
    score: number | null;
  };
  total: FundsRow | null;
  parts: FundsRow[];
}

export interface ParsedTable {
  sheet: SheetGrid;
  kind: TableKind;
  r0: number;
  r1: number;
  c0: number;
  c1: number;
  /** The indicator header's row; for the second and later projects of a flat export or a stacked grid, the
   * project's first row (table-level findings point there, inside the table). */
  headerRow: number;
  /** The row whose cells head the indicator columns (for the merges of a column's header). */
  colsRow: number;
  cols: Columns;
  name: TextAt | null;
  year: number | null;
  code: string | null;
  department: string | null;
  unit: string | null;
  goal: string | null;
  goalActual: string | null;
  /** Target tables. */
  targetFunds: { budget: NumAt | null; fiscal: NumAt | null; other: NumAt | null } | null;
  spendingPlan: { labelsRow: number; values: (NumAt | null)[]; cols: number[] } | null;
  funds: FundsBlock | null;
  indicators: ParsedIndicator[];
  /** Weights stated in 一级 labels, by 一级 name, with the label's position. */
  level1Weights: Map<string, { weight: number; pos: Pos }>;
  /** The 总分 row: its stated total (得分 column) and the 分值 it states (usually 100). */
  total: { r: number; stated: NumAt | null; pos: Pos | null; weight: NumAt | null } | null;
  /** A grade line under the indicators with no 总分 line above it (the total row was pasted over): S01, no grade. */
  totalLost: Pos | null;
  grade: { pos: Pos; stated: string | null } | null;
  /** Cells the checker needs a number from and cannot use (S05). */
  unusable: { pos: Pos; field: string; value: string; why: string; readAs?: number }[];
  /** Which blocks the reader found (S01 decides what their absence means, from the profile). */
  blocks: { name: boolean; budget: boolean; plan: boolean; funds: boolean; total: boolean };
  /** The unit the form writes its amounts in (every amount in the model is in 万元). */
  moneyUnit: '万元' | '元';
}
