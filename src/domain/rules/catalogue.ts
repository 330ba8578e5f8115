/**
 * The rule catalogue (RULES §4): every rule, and the one pass that runs them over a table — the table-wide
 * conditions once, then every row condition of every rule in a single walk over the indicator rows.
 */
import { a1 } from '../grid';
import { Finding, Severity, TableKind } from '../types';
import { DRAFT_RULES } from './draft';
import { FUNDS_RULES } from './funds';
import { Emit, Params, Rule, RuleContext } from './rule';
import { SCORE_RULES } from './scores';
import { STRUCTURE_RULES } from './structure';
import { VALUE_RULES } from './values';

export { KIND_NAMES } from './rule';
export type { RuleContext } from './rule';

/** Every rule, its message parameters erased: each rule's own declaration types its emits. */
export const RULES: readonly Rule<Params>[] = [
  ...STRUCTURE_RULES,
  ...VALUE_RULES,
  ...FUNDS_RULES,
  ...SCORE_RULES,
  ...DRAFT_RULES,
] as unknown as Rule<Params>[];

export interface RuleDef {
  code: string;
  severity: Severity;
  title: string;
  why: string;
  fix: string;
  message: (p: Params) => string;
}

/** Code → severity, title, help and message, for the UI, the report and the tests. */
export const CATALOGUE: Record<string, RuleDef> = Object.fromEntries(
  RULES.map((r) => [r.code, { code: r.code, severity: r.severity, title: r.title, why: r.why, fix: r.fix, message: r.message }]),
);

/** The rules that apply to a kind of table, with their row conditions apart (cached per kind). */
const byKind = new Map<TableKind, { table: Rule<Params>[]; rows: Rule<Params>[] }>();
function rulesFor(kind: TableKind) {
  let r = byKind.get(kind);
  if (!r) {
    const all = RULES.filter((x) => !x.kinds || x.kinds.includes(kind));
    r = { table: all.filter((x) => x.table), rows: all.filter((x) => x.indicator) };
    byKind.set(kind, r);
  }
  return r;
}

/**
 * Runs every rule that applies to the table; findings are appended to `out`, and with `keys` each finding's
 * row-major cell position (r × 16,384 + c) to `keys`, so the caller sorts without parsing addresses again.
 */
export function runRules(ctx: RuleContext, out: Finding[], keys?: number[]): void {
  const sheet = ctx.t.sheet.name;
  const emitter =
    (rule: Rule<Params>): Emit<Params> =>
    (pos, params) => {
      out.push({
        code: rule.code,
        severity: rule.severity,
        sheet,
        cell: a1(pos.r, pos.c),
        message: rule.message(params),
      });
      if (keys) keys.push(pos.r * 16_384 + pos.c);
    };
  const { table, rows } = rulesFor(ctx.t.kind);
  // A form with no indicator yet (a blank template) is said to be so, once; nothing else is judged on it.
  const blank = ctx.t.indicators.length === 0;
  for (const rule of table) if (!blank || rule.onBlank) rule.table!(ctx, emitter(rule));
  if (blank) return;
  if (rows.length === 0) return;
  const emits = rows.map(emitter);
  for (const x of ctx.s.indicators) {
    for (let i = 0; i < rows.length; i++) rows[i].indicator!(ctx, x, emits[i]);
  }
}
