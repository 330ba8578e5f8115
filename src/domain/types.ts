/**
 * The engine's output: the contract shared by the CLI, the task pane, the report and the tests.
 * Every parsed table is validated against these zod schemas before it leaves the engine.
 */
import { z } from 'zod';

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

export const TableKindSchema = z.enum(['target', 'self-eval', 'dept-self-eval', 'completion']);
export type TableKind = z.infer<typeof TableKindSchema>;

export const FindingSchema = z.object({
  code: z.string().regex(/^[A-Z]\d\d$/),
  severity: SeveritySchema,
  sheet: z.string(),
  /** A1 address of the cell the finding is about. */
  cell: z.string(),
  /** Chinese message, with the arithmetic where there is any. */
  message: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** What writing a computed value would do to the cell, judged against the grid that was read. */
export const EditStatusSchema = z.enum([
  'empty', // the cell is empty: simple fill
  'same', // the cell already holds this value
  'change', // the cell holds a different value: shown as a change
  'formula', // the cell holds a formula: never overwritten
  'merged', // the cell shares a merged area with cells that are not computed (分值, a label): never written
]);
export type EditStatus = z.infer<typeof EditStatusSchema>;

export const CellEditSchema = z.object({
  sheet: z.string(),
  cell: z.string(),
  /** Which computed quantity this is. */
  kind: z.enum(['rate', 'rateScore', 'score', 'total', 'grade']),
  /** Chinese label for the UI, e.g. 「执行率」「体检人数 得分」. */
  label: z.string(),
  value: z.union([z.number(), z.string()]),
  /** Number format to apply when the cell has none (`0.00%` for rates, `0.00` for scores). */
  numFmt: z.string().optional(),
  /** The cell's current content as shown (empty string when empty). */
  current: z.string(),
  status: EditStatusSchema,
  /** Why the edit is not made (status `merged`), in Chinese. */
  reason: z.string().optional(),
});
export type CellEdit = z.infer<typeof CellEditSchema>;

export const FundsSchema = z.object({
  /** 年初预算数, 全年预算数, 全年执行数 of 年度资金总额 (or the sum of its 其中 rows). */
  initial: z.number().nullable(),
  budget: z.number().nullable(),
  executed: z.number().nullable(),
  /** 执行率 as a fraction (1 = 100%), unrounded; null when it cannot be computed. */
  rate: z.number().nullable(),
  /** 分值 of 执行率. */
  weight: z.number(),
  /** 执行率得分, rounded to 2 decimals. */
  score: z.number().nullable(),
  /** The arithmetic, e.g. `执行率 = 0.60 ÷ 0.63 = 95.24%，得分 = 95.24% × 10 = 9.52`. */
  basis: z.string().nullable(),
});
export type Funds = z.infer<typeof FundsSchema>;

export const IndicatorSchema = z.object({
  /** 1-based row number in the sheet, as Excel shows it. */
  row: z.number().int(),
  level1: z.string(),
  level2: z.string(),
  level3: z.string(),
  /** 指标值 / 年度指标值 / 预期指标值, as written. */
  target: z.string(),
  /** 实际完成值, as written (null for target tables). */
  actual: z.string().nullable(),
  weight: z.number().nullable(),
  /** The computed score (rounded to 2 decimals); null when not computable (e.g. ungradable, no user score). */
  score: z.number().nullable(),
  /** The 得分 the user wrote, if any. */
  statedScore: z.number().nullable(),
  /** 偏差原因分析及改进措施 text, if any. */
  deviation: z.string().nullable(),
  /** How the score was obtained (Chinese, for the UI and report), e.g. `900 ÷ 922 × 10 = 9.76`. */
  basis: z.string().nullable(),
});
export type Indicator = z.infer<typeof IndicatorSchema>;

export const SpendingPlanSchema = z.object({
  /** Fractions (1 = 100%) at 3月底, 6月底, 10月底, 12月底; null where empty. */
  mar: z.number().nullable(),
  jun: z.number().nullable(),
  oct: z.number().nullable(),
  dec: z.number().nullable(),
});
export type SpendingPlan = z.infer<typeof SpendingPlanSchema>;

export const TableResultSchema = z.object({
  sheet: z.string(),
  /** A1 range of the whole table on its sheet. */
  range: z.string(),
  kind: TableKindSchema,
  /** 项目名称 (or 预算部门名称 for dept-self-eval). */
  name: z.string(),
  year: z.number().int().nullable(),
  /** 项目编码 (target tables). */
  code: z.string().nullable(),
  /** 主管部门 / 预算部门名称 / the unit line above a target table. */
  department: z.string().nullable(),
  /** 实施单位. */
  unit: z.string().nullable(),
  /** 绩效目标 / 年度总体目标（预期目标）. */
  goal: z.string().nullable(),
  /** 年度总体目标（实际完成情况）. */
  goalActual: z.string().nullable(),
  /** Target tables: 预算数, 其中：财政资金, 其他资金 (万元). */
  targetFunds: z
    .object({ budget: z.number().nullable(), fiscal: z.number().nullable(), other: z.number().nullable() })
    .nullable(),
  spendingPlan: SpendingPlanSchema.nullable(),
  funds: FundsSchema.nullable(),
  indicators: z.array(IndicatorSchema),
  /** Sum of rounded indicator scores (without 执行率得分). */
  indicatorScore: z.number().nullable(),
  totalScore: z.number().nullable(),
  grade: z.string().nullable(),
  findings: z.array(FindingSchema),
  edits: z.array(CellEditSchema),
});
export type TableResult = z.infer<typeof TableResultSchema>;

export interface Summary {
  tables: number;
  errors: number;
  warnings: number;
  infos: number;
}

export interface WorkbookResult {
  fileName?: string;
  profile: string;
  tables: TableResult[];
  /** Findings that belong to no table (e.g. an unreadable sheet). */
  findings: Finding[];
  summary: Summary;
}
