/**
 * Accuracy harness: runs the engine over workbooks that carry a `.truth.json` (test/corpus, test/fixtures)
 * and compares what it reads, computes and flags with the truth, as test/corpus/README.md defines it.
 *
 * The truth is validated with zod; the comparison uses only the engine's public API (readWorkbookBytes,
 * analyzeWorkbook, TableResult). Every figure below 100% has at least one entry in the mismatch list, with
 * file, sheet, table, row, field, expected and got, so a reader fix can start from that list.
 *
 * Comparison conventions (README + the brief):
 * - text (names, levels, target, actual) after RULES §1 normalisation: all white space removed (U+3000 and
 *   line breaks included), full-width ASCII forms folded to half-width; operators such as ≧ ═ are kept as
 *   written (the truth's `target` is "as written", split parts joined);
 * - numbers at 2 decimals, rates (fractions) at 4 decimals; money in the engine is 万元, truth in 元 says so
 *   with `unit: "元"` (funds) or `budgetUnit: "元"` (target tables) and is compared in 元;
 * - a key absent from a truth object is not checked; `null` means "must be absent / not computed".
 *
 * Findings on a table are classified, in this order: matches a listed `defect` (same code; same cell or one of
 * `altCells`, the same `row` when one is given, anywhere in the table when `cell` is null) → true; matches
 * `falseIfFlagged` → false; covered by `allowed` / `debatable` / `ignoreFindings` / `ignoreCodes` → excused;
 * info → neutral; `unlistedFindings: "allowed"` on the table → unlisted (neutral); otherwise an error or
 * warning is a false finding. Findings on tables the truth does not have, and workbook-level errors or
 * warnings, are false too.
 */
import { readdirSync, readFileSync } from 'fs';
import path from 'path';
import { z } from 'zod';
import { analyzeWorkbook } from '../../src/domain/engine';
import type { Finding, TableResult, WorkbookResult } from '../../src/domain/types';
import { readWorkbookBytes } from '../../src/xlsx/read';

// ---------------------------------------------------------------------------------------------------------
// Truth schema
// ---------------------------------------------------------------------------------------------------------

const Code = z.string().regex(/^[A-Z]\d\d$/);
const Cell = z.string().regex(/^[A-Z]{1,3}[1-9]\d*$/);
const Col = z.string().regex(/^[A-Z]{1,3}$/);
const Row = z.number().int().positive();
const Num = z.number().nullable();
const SeverityName = z.enum(['error', 'warning', 'info']);
const ProfileName = z.enum(['central', 'hebei']);

const DefectSchema = z.looseObject({
  code: Code,
  cell: Cell.nullable(),
  altCells: z.array(Cell).optional(),
  /** The defect is anywhere on this row (when the truth's source gives a row, not a cell). */
  row: Row.optional(),
  why: z.string(),
});

/** `allowed` / `debatable`: neither required nor false. Without cell/row/col: anywhere in the table. */
const ExcuseSchema = z.looseObject({
  code: Code,
  cell: Cell.nullable().optional(),
  row: Row.optional(),
  col: Col.optional(),
  why: z.string().optional(),
});

/** `ignoreFindings`: artefacts of a source published cut off; `match` is looked for in the message. */
const IgnoreSchema = z.looseObject({
  code: Code,
  match: z.string().optional(),
  cell: Cell.nullable().optional(),
  row: Row.optional(),
  why: z.string().optional(),
});

/** `falseIfFlagged`: any finding (any severity) that fits is false, even where an excuse would cover it. */
const FalseIfSchema = z.looseObject({
  row: Row.optional(),
  cell: Cell.optional(),
  code: Code.optional(),
  codePrefix: z.string().regex(/^[A-Z]\d?$/).optional(),
  severities: z.array(SeverityName).optional(),
  why: z.string(),
});

const IndicatorTruthSchema = z.looseObject({
  row: Row,
  level1: z.string().nullable().optional(),
  level1Label: z.string().optional(),
  level2: z.string().nullable().optional(),
  level3: z.string().nullable().optional(),
  target: z.string().nullable().optional(),
  targetParts: z.looseObject({}).optional(),
  actual: z.string().nullable().optional(),
  weight: Num.optional(),
  statedScore: Num.optional(),
  expectedScore: Num.optional(),
  isIndicator: z.boolean().optional(),
  note: z.string().optional(),
});

const MoneyTriple = z.looseObject({ initial: Num.optional(), budget: Num.optional(), executed: Num.optional() });

const FundsTruthSchema = z.looseObject({
  initial: Num.optional(),
  budget: Num.optional(),
  executed: Num.optional(),
  weight: Num.optional(),
  statedRate: z.union([z.string(), z.number()]).nullable().optional(),
  statedRateScore: Num.optional(),
  unit: z.enum(['元', '万元']).optional(),
  /** The 其中 row: the engine may read the funds from it (RULES §3), so its values are accepted too. */
  fiscal: MoneyTriple.optional(),
});

const ComputedSchema = z.looseObject({
  rate: Num.optional(),
  rateScore: Num.optional(),
  total: Num.optional(),
  grade: z.string().nullable().optional(),
});

const ExpectedSchema = ComputedSchema.extend({
  /** Other values accepted for a field (e.g. `rate: [null]` where RULES lets the value be withheld). */
  accept: z
    .looseObject({
      rate: z.array(Num).optional(),
      rateScore: z.array(Num).optional(),
      total: z.array(Num).optional(),
      grade: z.array(z.string().nullable()).optional(),
    })
    .optional(),
  /** The same table under another built-in profile (the harness runs that profile too). */
  byProfile: z.partialRecord(ProfileName, ComputedSchema).optional(),
});

const PlanSchema = z.looseObject({ mar: Num.optional(), jun: Num.optional(), oct: Num.optional(), dec: Num.optional() });

const TableTruthSchema = z.looseObject({
  sheet: z.string(),
  kind: z.enum(['target', 'self-eval', 'dept-self-eval', 'completion']),
  name: z.string().nullable(),
  year: z.number().int().nullable().optional(),
  inContract: z.boolean().optional(),
  partial: z.boolean().optional(),
  missing: z.array(z.string()).optional(),
  funds: FundsTruthSchema.optional(),
  budget: Num.optional(),
  fiscal: Num.optional(),
  other: Num.optional(),
  budgetUnit: z.enum(['元', '万元']).optional(),
  plan: PlanSchema.nullable().optional(),
  indicators: z.array(IndicatorTruthSchema),
  /** false: the list names only some rows (rows the engine reads beyond it are not counted as spurious). */
  indicatorsComplete: z.boolean().optional(),
  indicatorWeightSum: z.number().optional(),
  expected: ExpectedSchema.optional(),
  defects: z.array(DefectSchema),
  allowed: z.array(ExcuseSchema).optional(),
  debatable: z.array(ExcuseSchema).optional(),
  ignoreFindings: z.array(IgnoreSchema).optional(),
  ignoreCodes: z.array(Code).optional(),
  falseIfFlagged: z.array(FalseIfSchema).optional(),
  /** "allowed": errors/warnings the truth does not list are not counted false (the source says "among others"). */
  unlistedFindings: z.enum(['false', 'allowed']).optional(),
});

export const TruthFileSchema = z.looseObject({
  file: z.string(),
  /** Where the workbook is, relative to the truth file (default: next to it, named `file`). */
  workbook: z.string().optional(),
  profile: ProfileName.optional(),
  tables: z.array(TableTruthSchema),
});

export type TruthFile = z.infer<typeof TruthFileSchema>;
export type TableTruth = z.infer<typeof TableTruthSchema>;
type IndicatorTruth = z.infer<typeof IndicatorTruthSchema>;

// ---------------------------------------------------------------------------------------------------------
// Report types
// ---------------------------------------------------------------------------------------------------------

export interface Ratio {
  ok: number;
  of: number;
}

export interface Figures {
  tables: {
    found: Ratio;
    kind: Ratio;
    name: Ratio;
    year: Ratio;
    funds: Ratio;
    /** Found with its kind, name, year, funds and every indicator row right, and no row read in excess. */
    right: Ratio;
    spurious: number;
  };
  rows: {
    found: Ratio;
    levels: Ratio;
    target: Ratio;
    actual: Ratio;
    weight: Ratio;
    statedScore: Ratio;
    /** Every compared field of the row right. */
    right: Ratio;
    /** Rows read as indicators that the truth does not have, or marks `isIndicator: false`. */
    spurious: number;
  };
  computed: { rate: Ratio; rateScore: Ratio; scores: Ratio; total: Ratio; grade: Ratio };
  defects: Ratio;
  falseErrors: number;
  falseWarnings: number;
  /** Info findings that a `falseIfFlagged` entry names (other infos are not counted). */
  falseInfos: number;
}

export interface CodeStats {
  /** Defects of this code listed in the truth, and caught. */
  listed: number;
  caught: number;
  /** Findings of this code that fell on a listed defect. */
  onDefect: number;
  /** Findings of this code counted false. */
  falsely: number;
  /** Findings excused by allowed / debatable / ignore*, or neutral (unlisted info, `unlistedFindings`). */
  excused: number;
}

export type MismatchArea = 'table' | 'funds' | 'row' | 'computed' | 'defect' | 'false' | 'truth';

export interface Mismatch {
  file: string;
  sheet: string | null;
  /** The truth's table name (or the engine's, for a table the truth does not have). */
  table: string | null;
  row: number | null;
  area: MismatchArea;
  field: string;
  expected: unknown;
  got: unknown;
  note?: string;
}

export type FindingClass = 'defect' | 'false' | 'excused' | 'neutral';

export interface ClassifiedFinding {
  finding: Finding;
  table: string | null;
  cls: FindingClass;
  /** What excused it or why it is false. */
  reason: string;
}

export interface FileReport {
  /** Path of the truth file relative to the corpus root given to the harness, e.g. `selfeval/x.truth.json`. */
  id: string;
  file: string;
  figures: Figures;
  mismatches: Mismatch[];
  findings: ClassifiedFinding[];
  perCode: Record<string, CodeStats>;
  /** Truth tables left out of the figures (`inContract: false`). */
  outOfContract: string[];
  /** Tables of the truth marked partial (published cut off). */
  partial: string[];
}

export interface AccuracyReport {
  files: FileReport[];
  total: Figures;
  perCode: Record<string, CodeStats>;
  mismatches: Mismatch[];
  perfect: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Comparison helpers
// ---------------------------------------------------------------------------------------------------------

/** RULES §1 normalisation for comparing texts: no white space at all, full-width ASCII folded. */
export function normText(s: string | null | undefined): string {
  if (s === null || s === undefined) return '';
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else out += ch;
  }
  return out.replace(/[\s\u3000\u00a0\u200b\ufeff]+/g, '');
}

function roundTo(x: number, digits: number): number {
  const p = 10 ** digits;
  return Math.round((x + Math.sign(x) * 1e-9) * p) / p;
}

function sameNum(expected: number | null, got: number | null | undefined, digits = 2): boolean {
  if (expected === null) return got === null || got === undefined;
  if (got === null || got === undefined || !Number.isFinite(got)) return false;
  return roundTo(expected, digits) === roundTo(got, digits);
}

/** A text field: null/empty in the truth means the engine must have nothing (null or empty). */
function sameText(expected: string | null, got: string | null | undefined): boolean {
  return normText(expected) === normText(got);
}

function ratio(): Ratio {
  return { ok: 0, of: 0 };
}

function tally(r: Ratio, ok: boolean): boolean {
  r.of++;
  if (ok) r.ok++;
  return ok;
}

function emptyFigures(): Figures {
  return {
    tables: { found: ratio(), kind: ratio(), name: ratio(), year: ratio(), funds: ratio(), right: ratio(), spurious: 0 },
    rows: {
      found: ratio(),
      levels: ratio(),
      target: ratio(),
      actual: ratio(),
      weight: ratio(),
      statedScore: ratio(),
      right: ratio(),
      spurious: 0,
    },
    computed: { rate: ratio(), rateScore: ratio(), scores: ratio(), total: ratio(), grade: ratio() },
    defects: ratio(),
    falseErrors: 0,
    falseWarnings: 0,
    falseInfos: 0,
  };
}

function addRatio(a: Ratio, b: Ratio): void {
  a.ok += b.ok;
  a.of += b.of;
}

function addFigures(a: Figures, b: Figures): void {
  for (const k of ['found', 'kind', 'name', 'year', 'funds', 'right'] as const) addRatio(a.tables[k], b.tables[k]);
  a.tables.spurious += b.tables.spurious;
  for (const k of ['found', 'levels', 'target', 'actual', 'weight', 'statedScore', 'right'] as const) addRatio(a.rows[k], b.rows[k]);
  a.rows.spurious += b.rows.spurious;
  for (const k of ['rate', 'rateScore', 'scores', 'total', 'grade'] as const) addRatio(a.computed[k], b.computed[k]);
  addRatio(a.defects, b.defects);
  a.falseErrors += b.falseErrors;
  a.falseWarnings += b.falseWarnings;
  a.falseInfos += b.falseInfos;
}

export function ratios(f: Figures): Ratio[] {
  return [
    ...Object.values(f.tables).filter((x): x is Ratio => typeof x === 'object'),
    ...Object.values(f.rows).filter((x): x is Ratio => typeof x === 'object'),
    ...Object.values(f.computed),
    f.defects,
  ];
}

export function isPerfect(f: Figures): boolean {
  return (
    ratios(f).every((r) => r.ok === r.of) &&
    f.tables.spurious === 0 &&
    f.rows.spurious === 0 &&
    f.falseErrors === 0 &&
    f.falseWarnings === 0 &&
    f.falseInfos === 0
  );
}

function cellPos(cell: string): { row: number; col: string } | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/.exec(cell);
  return m ? { col: m[1], row: Number(m[2]) } : null;
}

function codeStats(map: Record<string, CodeStats>, code: string): CodeStats {
  return (map[code] ??= { listed: 0, caught: 0, onDefect: 0, falsely: 0, excused: 0 });
}

function mergeCodeStats(into: Record<string, CodeStats>, from: Record<string, CodeStats>): void {
  for (const [code, s] of Object.entries(from)) {
    const t = codeStats(into, code);
    t.listed += s.listed;
    t.caught += s.caught;
    t.onDefect += s.onDefect;
    t.falsely += s.falsely;
    t.excused += s.excused;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Matching engine tables to truth tables
// ---------------------------------------------------------------------------------------------------------

function rangeRows(range: string): { r0: number; r1: number } | null {
  const [a, b] = range.split(':');
  const p = cellPos(a);
  const q = cellPos(b ?? a);
  return p && q ? { r0: Math.min(p.row, q.row), r1: Math.max(p.row, q.row) } : null;
}

function truthRows(t: TableTruth): number[] {
  return t.indicators.filter((i) => i.isIndicator !== false).map((i) => i.row);
}

function matchScore(t: TableTruth, e: TableResult): number {
  let s = 0;
  if (t.name !== null && sameText(t.name, e.name)) s += 1000;
  const engineRows = new Set(e.indicators.map((i) => i.row));
  const rr = rangeRows(e.range);
  for (const row of truthRows(t)) {
    if (engineRows.has(row)) s += 10;
    else if (rr && row >= rr.r0 && row <= rr.r1) s += 1;
  }
  return s;
}

/**
 * Pairs truth tables with engine tables on the same sheet: best name/row overlap first, then what is left on
 * a sheet in order (a table read in the right place under a wrong name still counts as found, with the name
 * listed as wrong). Returns for each truth table the engine table's index, or -1.
 */
function matchTables(truth: TableTruth[], engine: TableResult[]): number[] {
  const out = truth.map(() => -1);
  const used = new Set<number>();
  const pairs: { t: number; e: number; s: number }[] = [];
  truth.forEach((t, ti) =>
    engine.forEach((e, ei) => {
      if (e.sheet !== t.sheet) return;
      const s = matchScore(t, e);
      if (s > 0) pairs.push({ t: ti, e: ei, s });
    }),
  );
  pairs.sort((a, b) => b.s - a.s || a.t - b.t || a.e - b.e);
  for (const p of pairs) {
    if (out[p.t] !== -1 || used.has(p.e)) continue;
    out[p.t] = p.e;
    used.add(p.e);
  }
  // Leftovers on a sheet, in order, when the engine table is not elsewhere than the truth's rows.
  truth.forEach((t, ti) => {
    if (out[ti] !== -1) return;
    const rows = truthRows(t);
    const ei = engine.findIndex((e, i) => {
      if (used.has(i) || e.sheet !== t.sheet) return false;
      if (rows.length === 0) return true;
      const rr = rangeRows(e.range);
      return !!rr && rr.r0 <= Math.max(...rows) && rr.r1 >= Math.min(...rows);
    });
    if (ei !== -1) {
      out[ti] = ei;
      used.add(ei);
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Finding classification
// ---------------------------------------------------------------------------------------------------------

function findingOnDefect(f: Finding, d: z.infer<typeof DefectSchema>): boolean {
  if (f.code !== d.code) return false;
  const pos = cellPos(f.cell);
  if (d.cell !== null) return f.cell === d.cell || (d.altCells ?? []).includes(f.cell);
  if (d.row !== undefined) return pos?.row === d.row;
  return true;
}

function excuseCovers(f: Finding, x: z.infer<typeof ExcuseSchema>): boolean {
  if (f.code !== x.code) return false;
  const pos = cellPos(f.cell);
  if (x.cell !== undefined && x.cell !== null && f.cell !== x.cell) return false;
  if (x.row !== undefined && pos?.row !== x.row) return false;
  if (x.col !== undefined && pos?.col !== x.col) return false;
  return true;
}

function ignoreCovers(f: Finding, x: z.infer<typeof IgnoreSchema>): boolean {
  if (f.code !== x.code) return false;
  if (x.match !== undefined && !normText(f.message).includes(normText(x.match))) return false;
  const pos = cellPos(f.cell);
  if (x.cell !== undefined && x.cell !== null && f.cell !== x.cell) return false;
  if (x.row !== undefined && pos?.row !== x.row) return false;
  return true;
}

function falseIfFits(f: Finding, x: z.infer<typeof FalseIfSchema>): boolean {
  const pos = cellPos(f.cell);
  if (x.row !== undefined && pos?.row !== x.row) return false;
  if (x.cell !== undefined && f.cell !== x.cell) return false;
  if (x.code !== undefined && f.code !== x.code) return false;
  if (x.codePrefix !== undefined && !f.code.startsWith(x.codePrefix)) return false;
  if (x.severities !== undefined && !x.severities.includes(f.severity)) return false;
  return true;
}

function classify(f: Finding, t: TableTruth): { cls: FindingClass; reason: string } {
  const d = t.defects.find((x) => findingOnDefect(f, x));
  if (d) return { cls: 'defect', reason: d.why };
  const fi = (t.falseIfFlagged ?? []).find((x) => falseIfFits(f, x));
  if (fi) return { cls: 'false', reason: `falseIfFlagged: ${fi.why}` };
  const a = (t.allowed ?? []).find((x) => excuseCovers(f, x));
  if (a) return { cls: 'excused', reason: `allowed: ${a.why ?? ''}` };
  const b = (t.debatable ?? []).find((x) => excuseCovers(f, x));
  if (b) return { cls: 'excused', reason: `debatable: ${b.why ?? ''}` };
  const i = (t.ignoreFindings ?? []).find((x) => ignoreCovers(f, x));
  if (i) return { cls: 'excused', reason: `ignoreFindings: ${i.why ?? ''}` };
  if ((t.ignoreCodes ?? []).includes(f.code)) return { cls: 'excused', reason: 'ignoreCodes' };
  if (f.severity === 'info') return { cls: 'neutral', reason: 'info not listed' };
  if (t.unlistedFindings === 'allowed') return { cls: 'neutral', reason: 'unlistedFindings: allowed' };
  return { cls: 'false', reason: 'not a listed defect, not allowed' };
}

// ---------------------------------------------------------------------------------------------------------
// Comparing one workbook
// ---------------------------------------------------------------------------------------------------------

export interface CompareInput {
  id: string;
  truth: TruthFile;
  /** The engine's result under the truth's profile (central unless it says otherwise). */
  result: WorkbookResult;
  /** Results under other profiles named in `expected.byProfile`. */
  byProfile?: Partial<Record<z.infer<typeof ProfileName>, WorkbookResult>>;
}

/** Scale of a truth amount relative to the engine's 万元 (元 truth: engine × 10,000 is compared). */
function moneyScale(unit: '元' | '万元' | undefined): number {
  return unit === '元' ? 10_000 : 1;
}

export function compareWorkbook(input: CompareInput): FileReport {
  const { truth, result } = input;
  const file = truth.file;
  const fig = emptyFigures();
  const mismatches: Mismatch[] = [];
  const findings: ClassifiedFinding[] = [];
  const perCode: Record<string, CodeStats> = {};
  const outOfContract: string[] = [];
  const partial: string[] = [];

  const tables = truth.tables.filter((t) => {
    if (t.inContract === false) outOfContract.push(t.name ?? t.sheet);
    return t.inContract !== false;
  });
  for (const t of tables) if (t.partial) partial.push(t.name ?? t.sheet);
  const match = matchTables(tables, result.tables);

  tables.forEach((t, ti) => {
    const label = t.name ?? `(${t.kind} on ${t.sheet})`;
    const miss = (area: MismatchArea, field: string, expected: unknown, got: unknown, row: number | null = null, note?: string) =>
      mismatches.push({ file, sheet: t.sheet, table: label, row, area, field, expected, got, ...(note ? { note } : {}) });
    const e = match[ti] === -1 ? null : result.tables[match[ti]];
    const startMismatches = mismatches.length;

    // Truth self-consistency: the listed weights add up to indicatorWeightSum.
    if (t.indicatorWeightSum !== undefined) {
      const sum = t.indicators.reduce((s, i) => s + (i.isIndicator === false ? 0 : (i.weight ?? 0)), 0);
      if (Math.abs(sum - t.indicatorWeightSum) > 1e-9) miss('truth', 'indicatorWeightSum', t.indicatorWeightSum, sum, null, 'truth file is inconsistent');
    }

    // ---- table
    if (!tally(fig.tables.found, e !== null)) miss('table', 'found', `${t.kind} table on ${t.sheet}`, 'no table read');
    if (!tally(fig.tables.kind, e?.kind === t.kind)) if (e) miss('table', 'kind', t.kind, e.kind);
    if (t.name !== null) {
      if (!tally(fig.tables.name, !!e && sameText(t.name, e.name))) if (e) miss('table', 'name', t.name, e.name);
    }
    if (t.year !== undefined) {
      if (!tally(fig.tables.year, !!e && e.year === t.year)) if (e) miss('table', 'year', t.year, e.year);
    }

    // ---- funds
    let fundsChecked = false;
    let fundsOk = true;
    const fundField = (field: string, expected: number | null, got: number | null | undefined, scale: number, alt?: number | null) => {
      fundsChecked = true;
      const g = got === null || got === undefined ? got : got * scale;
      const ok = sameNum(expected, g) || (alt !== undefined && alt !== null && sameNum(alt, g));
      if (!ok) {
        fundsOk = false;
        if (e) miss('funds', field, expected, g ?? null, null, alt !== undefined && alt !== null ? `or ${alt} (其中 row)` : undefined);
      }
    };
    if (t.funds) {
      const f = t.funds;
      const sc = moneyScale(f.unit);
      const ef = e?.funds ?? null;
      if (e && !ef) miss('funds', 'block', 'a funds block', null);
      for (const k of ['initial', 'budget', 'executed'] as const) {
        if (f[k] !== undefined) fundField(k, f[k]!, ef?.[k], sc, f.fiscal?.[k]);
      }
      if (f.weight !== undefined) fundField('weight', f.weight, ef?.weight, 1);
    }
    {
      const sc = moneyScale(t.budgetUnit);
      const tf = e?.targetFunds ?? null;
      if (t.budget !== undefined) fundField('budget', t.budget, tf?.budget ?? (tf ? null : e?.funds?.budget), sc);
      if (t.fiscal !== undefined) fundField('fiscal', t.fiscal, tf?.fiscal, sc);
      if (t.other !== undefined) fundField('other', t.other, tf?.other, sc);
      if (t.plan !== undefined) {
        fundsChecked = true;
        const sp = e?.spendingPlan ?? null;
        const keys = ['mar', 'jun', 'oct', 'dec'] as const;
        if (t.plan === null) {
          if (sp && keys.some((k) => sp[k] !== null)) {
            fundsOk = false;
            if (e) miss('funds', 'plan', null, sp);
          }
        } else {
          for (const k of keys) {
            if (t.plan[k] === undefined) continue;
            if (!sameNum(t.plan[k]!, sp?.[k], 4)) {
              fundsOk = false;
              if (e) miss('funds', `plan.${k}`, t.plan[k], sp?.[k] ?? null);
            }
          }
        }
      }
    }
    if (fundsChecked) tally(fig.tables.funds, !!e && fundsOk);

    // ---- indicator rows
    const byRow = new Map<number, TableResult['indicators'][number]>();
    for (const i of e?.indicators ?? []) if (!byRow.has(i.row)) byRow.set(i.row, i);
    const listed = new Set(t.indicators.map((i) => i.row));
    for (const ti of t.indicators) {
      const got = byRow.get(ti.row);
      if (ti.isIndicator === false) {
        if (got) {
          fig.rows.spurious++;
          miss('row', 'isIndicator', false, `read as ${got.level3 || '(no 三级)'} / ${got.target}`, ti.row, ti.note);
        }
        continue;
      }
      compareRow(ti, got, fig, (field, expected, g, note) => miss('row', field, expected, g, ti.row, note), !!e);
    }
    if (e && t.indicatorsComplete !== false) {
      for (const i of e.indicators) {
        if (listed.has(i.row)) continue;
        fig.rows.spurious++;
        miss('row', 'spurious', 'no indicator on this row', `${i.level1}/${i.level2}/${i.level3} = ${i.target}`, i.row);
      }
    }

    // A table read fully right: found, and nothing wrong in its kind, name, year, funds or indicator rows.
    tally(fig.tables.right, !!e && mismatches.slice(startMismatches).every((m) => m.area === 'truth'));

    // ---- computed
    if (t.expected) {
      compareComputed(t.expected, e, fig, (field, expected, got, note) => miss('computed', field, expected, got, null, note), '');
      for (const [p, exp] of Object.entries(t.expected.byProfile ?? {})) {
        const other = input.byProfile?.[p as 'central' | 'hebei'];
        const oe = other ? (other.tables[match[ti]] ?? null) : null;
        compareComputed(exp, match[ti] === -1 ? null : oe, fig, (field, expected, got, note) => miss('computed', field, expected, got, null, note), ` (${p})`);
      }
    }
    for (const ti of t.indicators) {
      if (ti.isIndicator === false || ti.expectedScore === undefined) continue;
      const got = byRow.get(ti.row);
      if (!tally(fig.computed.scores, !!got && sameNum(ti.expectedScore, got.score))) {
        if (e) miss('computed', 'score', ti.expectedScore, got ? got.score : 'row not read', ti.row);
      }
    }

    // ---- defects and findings
    const fs = e?.findings ?? [];
    for (const d of t.defects) {
      const caught = fs.some((f) => findingOnDefect(f, d));
      const cs = codeStats(perCode, d.code);
      cs.listed++;
      if (tally(fig.defects, caught)) cs.caught++;
      else {
        const sameCode = fs.filter((f) => f.code === d.code).map((f) => f.cell);
        miss('defect', d.code, d.cell ?? (d.row ? `row ${d.row}` : 'anywhere in the table'), sameCode.length ? `${d.code} at ${sameCode.join(', ')}` : 'not reported', d.cell ? cellPos(d.cell)?.row ?? null : d.row ?? null, d.why);
      }
    }
    for (const f of fs) {
      const c = classify(f, t);
      findings.push({ finding: f, table: label, ...c });
      const cs = codeStats(perCode, f.code);
      if (c.cls === 'defect') cs.onDefect++;
      else if (c.cls === 'false') {
        cs.falsely++;
        if (f.severity === 'error') fig.falseErrors++;
        else if (f.severity === 'warning') fig.falseWarnings++;
        else fig.falseInfos++;
        miss('false', `${f.severity} ${f.code}`, 'no finding', `${f.cell}: ${f.message}`, cellPos(f.cell)?.row ?? null, c.reason);
      } else cs.excused++;
    }
  });

  // Engine tables the truth does not have, and workbook-level findings.
  const used = new Set(match.filter((m) => m !== -1));
  result.tables.forEach((e, ei) => {
    if (used.has(ei)) return;
    fig.tables.spurious++;
    mismatches.push({ file, sheet: e.sheet, table: e.name || '(no name)', row: null, area: 'table', field: 'spurious', expected: 'no table', got: `${e.kind} ${e.range} “${e.name}”` });
    for (const f of e.findings) {
      if (f.severity === 'info') continue;
      findings.push({ finding: f, table: null, cls: 'false', reason: 'on a table the truth does not have' });
      codeStats(perCode, f.code).falsely++;
      if (f.severity === 'error') fig.falseErrors++;
      else fig.falseWarnings++;
      mismatches.push({ file, sheet: e.sheet, table: e.name || '(no name)', row: cellPos(f.cell)?.row ?? null, area: 'false', field: `${f.severity} ${f.code}`, expected: 'no finding (spurious table)', got: `${f.cell}: ${f.message}` });
    }
  });
  for (const f of result.findings) {
    if (f.severity === 'info') continue;
    findings.push({ finding: f, table: null, cls: 'false', reason: 'workbook-level finding' });
    codeStats(perCode, f.code).falsely++;
    if (f.severity === 'error') fig.falseErrors++;
    else fig.falseWarnings++;
    mismatches.push({ file, sheet: f.sheet, table: null, row: cellPos(f.cell)?.row ?? null, area: 'false', field: `${f.severity} ${f.code}`, expected: 'no finding', got: `${f.cell}: ${f.message}` });
  }

  return { id: input.id, file, figures: fig, mismatches, findings, perCode, outOfContract, partial };
}

function compareRow(
  t: IndicatorTruth,
  got: TableResult['indicators'][number] | undefined,
  fig: Figures,
  miss: (field: string, expected: unknown, got: unknown, note?: string) => void,
  tableFound: boolean,
): void {
  const r = fig.rows;
  if (!tally(r.found, !!got)) {
    if (tableFound) miss('found', `${t.level1}/${t.level2}/${t.level3} = ${t.target}`, 'row not read');
    if (t.level1 !== undefined || t.level2 !== undefined || t.level3 !== undefined) r.levels.of++;
    if (t.target !== undefined) r.target.of++;
    if (t.actual !== undefined) r.actual.of++;
    if (t.weight !== undefined) r.weight.of++;
    if (t.statedScore !== undefined) r.statedScore.of++;
    r.right.of++;
    return;
  }
  let all = true;
  const g = got!;
  const levelsOk =
    (t.level1 === undefined || sameText(t.level1, g.level1)) &&
    (t.level2 === undefined || sameText(t.level2, g.level2)) &&
    (t.level3 === undefined || sameText(t.level3, g.level3));
  const hasLevels = t.level1 !== undefined || t.level2 !== undefined || t.level3 !== undefined;
  if (hasLevels && !tally(r.levels, levelsOk)) {
    all = false;
    miss('levels', [t.level1, t.level2, t.level3].map(normText).join(' / '), [g.level1, g.level2, g.level3].map(normText).join(' / '));
  }
  if (t.target !== undefined && !tally(r.target, sameText(t.target, g.target))) {
    all = false;
    miss('target', t.target, g.target);
  }
  if (t.actual !== undefined && !tally(r.actual, sameText(t.actual, g.actual))) {
    all = false;
    miss('actual', t.actual, g.actual);
  }
  if (t.weight !== undefined && !tally(r.weight, sameNum(t.weight, g.weight))) {
    all = false;
    miss('weight', t.weight, g.weight);
  }
  if (t.statedScore !== undefined && !tally(r.statedScore, sameNum(t.statedScore, g.statedScore))) {
    all = false;
    miss('statedScore', t.statedScore, g.statedScore);
  }
  tally(r.right, all);
}

function compareComputed(
  exp: z.infer<typeof ExpectedSchema> | z.infer<typeof ComputedSchema>,
  e: TableResult | null,
  fig: Figures,
  miss: (field: string, expected: unknown, got: unknown, note?: string) => void,
  suffix: string,
): void {
  const accept = (exp as z.infer<typeof ExpectedSchema>).accept;
  const check = (field: 'rate' | 'rateScore' | 'total' | 'grade', got: number | string | null | undefined, digits: number) => {
    const want = exp[field];
    if (want === undefined) return;
    const alts = [want, ...((accept?.[field] as (number | string | null)[] | undefined) ?? [])];
    const ok =
      !!e &&
      alts.some((a) =>
        typeof a === 'string' || field === 'grade'
          ? normText(a as string | null) === normText(got as string | null | undefined) && (a === null) === (got === null || got === undefined)
          : sameNum(a as number | null, got as number | null | undefined, digits),
      );
    const key = field === 'rateScore' ? 'rateScore' : field;
    if (!tally(fig.computed[key], ok) && e) miss(`${field}${suffix}`, alts.length > 1 ? alts.join(' or ') : want, got ?? null);
  };
  check('rate', e?.funds?.rate, 4);
  check('rateScore', e?.funds?.score, 2);
  check('total', e?.totalScore, 2);
  check('grade', e?.grade, 0);
}

// ---------------------------------------------------------------------------------------------------------
// Running over directories
// ---------------------------------------------------------------------------------------------------------

export interface TruthEntry {
  /** Label used in reports, e.g. `selfeval/云南….truth.json`. */
  id: string;
  truthPath: string;
  workbookPath: string;
  truth: TruthFile;
}

/** Every `*.truth.json` directly in the given directories (sorted), validated. */
export function loadTruths(dirs: { dir: string; label: string }[]): TruthEntry[] {
  const out: TruthEntry[] = [];
  for (const { dir, label } of dirs) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.truth.json')).sort()) {
      const truthPath = path.join(dir, name);
      const parsed = TruthFileSchema.safeParse(JSON.parse(readFileSync(truthPath, 'utf8')));
      if (!parsed.success) {
        throw new Error(`${truthPath}: truth file does not match the schema:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
      }
      const truth = parsed.data;
      out.push({ id: `${label}/${name.replace(/\.truth\.json$/, '')}`, truthPath, workbookPath: path.resolve(dir, truth.workbook ?? truth.file), truth });
    }
  }
  return out;
}

export async function runEntry(entry: TruthEntry): Promise<FileReport> {
  const bytes = readFileSync(entry.workbookPath);
  const wb = await readWorkbookBytes(bytes, entry.truth.file);
  const result = analyzeWorkbook(wb, { profile: entry.truth.profile ?? 'central' });
  const others = new Set<'central' | 'hebei'>();
  for (const t of entry.truth.tables) for (const p of Object.keys(t.expected?.byProfile ?? {})) others.add(p as 'central' | 'hebei');
  const byProfile: CompareInput['byProfile'] = {};
  for (const p of others) byProfile[p] = analyzeWorkbook(wb, { profile: p });
  return compareWorkbook({ id: entry.id, truth: entry.truth, result, byProfile });
}

export function combine(files: FileReport[]): AccuracyReport {
  const total = emptyFigures();
  const perCode: Record<string, CodeStats> = {};
  for (const f of files) {
    addFigures(total, f.figures);
    mergeCodeStats(perCode, f.perCode);
  }
  return { files, total, perCode, mismatches: files.flatMap((f) => f.mismatches), perfect: isPerfect(total) };
}

export async function runAccuracy(dirs: { dir: string; label: string }[]): Promise<AccuracyReport> {
  const files: FileReport[] = [];
  for (const entry of loadTruths(dirs)) files.push(await runEntry(entry));
  return combine(files);
}

/** The corpus and the fixtures as the project keeps them (test/corpus/*, test/fixtures). */
export function projectTruthDirs(root: string): { dir: string; label: string }[] {
  return [
    { dir: path.join(root, 'test', 'corpus', 'selfeval'), label: 'selfeval' },
    { dir: path.join(root, 'test', 'corpus', 'target'), label: 'target' },
    { dir: path.join(root, 'test', 'fixtures'), label: 'fixtures' },
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Text output
// ---------------------------------------------------------------------------------------------------------

/** Display width in a monospace terminal (CJK and full-width forms take two columns). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w +=
      (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6)
        ? 2
        : 1;
  }
  return w;
}

function pad(s: string, w: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, w - displayWidth(s)));
  return right ? fill + s : s + fill;
}

export function fmtRatio(r: Ratio): string {
  return r.of === 0 ? '—' : `${r.ok}/${r.of}`;
}

function pct(r: Ratio): string {
  return r.of === 0 ? '' : ` (${((100 * r.ok) / r.of).toFixed(0)}%)`;
}

function table(head: string[], rows: string[][], rightFrom = 1): string {
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i], i >= rightFrom)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function shortName(id: string): string {
  const [dir, name] = id.split('/');
  const parts = name.split('_');
  return `${dir}/${parts[0]}${parts[1] ? ` ${parts[1]}` : ''}`;
}

function figureRow(label: string, f: Figures): string[] {
  return [
    label,
    fmtRatio(f.tables.found),
    fmtRatio(f.tables.kind),
    fmtRatio(f.tables.name),
    fmtRatio(f.tables.funds),
    fmtRatio(f.tables.right),
    String(f.tables.spurious),
    fmtRatio(f.rows.found),
    fmtRatio(f.rows.levels),
    fmtRatio(f.rows.target),
    fmtRatio(f.rows.actual),
    fmtRatio(f.rows.weight),
    fmtRatio(f.rows.right),
    String(f.rows.spurious),
    fmtRatio({
      ok: f.computed.rate.ok + f.computed.rateScore.ok + f.computed.total.ok + f.computed.grade.ok,
      of: f.computed.rate.of + f.computed.rateScore.of + f.computed.total.of + f.computed.grade.of,
    }),
    fmtRatio(f.computed.scores),
    fmtRatio(f.defects),
    String(f.falseErrors),
    String(f.falseWarnings + f.falseInfos),
  ];
}

export function formatSummary(rep: AccuracyReport): string {
  const head = ['file', 'tbl', 'kind', 'name', 'funds', 'tbl ok', '+tbl', 'rows', 'levels', 'target', 'actual', 'weight', 'row ok', '+rows', '执行率/总分/等级', 'scores', 'defects', 'falseE', 'falseW'];
  const rows = rep.files.map((f) => {
    const mark = f.partial.length ? ' *' : '';
    return figureRow(shortName(f.id) + mark, f.figures);
  });
  const groups = [...new Set(rep.files.map((f) => f.id.split('/')[0]))];
  const sub = (pred: (id: string) => boolean) => {
    const g = emptyFigures();
    for (const f of rep.files) if (pred(f.id)) addFigures(g, f.figures);
    return g;
  };
  // Subtotals: the published corpus (every group but the fixtures) and the fixtures.
  if (groups.includes('fixtures') && groups.length > 1) {
    rows.push(figureRow('corpus', sub((id) => !id.startsWith('fixtures/'))));
    rows.push(figureRow('fixtures', sub((id) => id.startsWith('fixtures/'))));
  }
  rows.push(figureRow('TOTAL', rep.total));
  const t = rep.total;
  const lines = [
    table(head, rows),
    '* the source was published cut off (truth `partial`); +tbl / +rows: tables / indicator rows read that the truth does not have',
    '',
    'Totals',
    `  tables        found ${fmtRatio(t.tables.found)}${pct(t.tables.found)}, kind ${fmtRatio(t.tables.kind)}, name ${fmtRatio(t.tables.name)}, year ${fmtRatio(t.tables.year)}, funds ${fmtRatio(t.tables.funds)}; read fully right ${fmtRatio(t.tables.right)}; tables read that the truth does not have: ${t.tables.spurious}`,
    `  indicator rows found ${fmtRatio(t.rows.found)}${pct(t.rows.found)}, levels ${fmtRatio(t.rows.levels)}, target ${fmtRatio(t.rows.target)}, actual ${fmtRatio(t.rows.actual)}, weight ${fmtRatio(t.rows.weight)}, stated score ${fmtRatio(t.rows.statedScore)}; fully right ${fmtRatio(t.rows.right)}${pct(t.rows.right)}; spurious rows read: ${t.rows.spurious}`,
    `  computed      执行率 ${fmtRatio(t.computed.rate)}, 执行率得分 ${fmtRatio(t.computed.rateScore)}, indicator scores ${fmtRatio(t.computed.scores)}, 总分 ${fmtRatio(t.computed.total)}, 等级 ${fmtRatio(t.computed.grade)}`,
    `  defects       caught ${fmtRatio(t.defects)}${pct(t.defects)}`,
    `  false         errors ${t.falseErrors}, warnings ${t.falseWarnings}, infos (falseIfFlagged) ${t.falseInfos}`,
    '',
    'Per rule code (defects listed/caught; findings on a defect / false / excused or neutral; precision = on defect ÷ (on defect + false))',
    table(
      ['code', 'listed', 'caught', 'on defect', 'false', 'excused', 'precision'],
      Object.keys(rep.perCode)
        .sort()
        .map((code) => {
          const s = rep.perCode[code];
          const p = s.onDefect + s.falsely === 0 ? '—' : `${((100 * s.onDefect) / (s.onDefect + s.falsely)).toFixed(0)}%`;
          return [code, String(s.listed), String(s.caught), String(s.onDefect), String(s.falsely), String(s.excused), p];
        }),
    ),
    '',
    rep.perfect ? 'ACCURACY: 100% on every figure.' : `ACCURACY: not 100% — ${rep.mismatches.length} mismatches.`,
  ];
  return lines.join('\n');
}

function show(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `“${v.replace(/\r?\n/g, '⏎')}”`;
  return JSON.stringify(v);
}

/** One line per mismatch: `file (source, year) | sheet | table | row | area.field: expected …, got … — note`. */
export function formatMismatch(m: Mismatch): string {
  const where = [m.sheet ?? '', m.table ?? '', m.row !== null ? `row ${m.row}` : ''].filter(Boolean).join(' | ');
  const parts = m.file.replace(/\.xlsx$/, '').split('_');
  const file = parts.length > 1 ? `${parts[0]} ${parts[1]}` : parts[0];
  return `${file} | ${where} | ${m.area}.${m.field}: expected ${show(m.expected)}, got ${show(m.got)}${m.note ? `  — ${m.note}` : ''}`;
}

export function formatMismatches(rep: AccuracyReport | FileReport): string {
  return rep.mismatches.map(formatMismatch).join('\n');
}
