/**
 * The shape of a rule (RULES §4): one object holds its code, severity, title, its Chinese message with typed
 * parameters, its condition, and the examples it must fire on and must stay quiet on. The examples are data:
 * test/domain/rule-examples.test.ts builds each one as a form and runs the engine on it.
 */
import { Pos, ParsedTable } from '../model';
import { Profile } from '../profiles';
import { IndicatorScore, TableScore } from '../scoring';
import { Severity, TableKind } from '../types';

export interface RuleContext {
  t: ParsedTable;
  p: Profile;
  s: TableScore;
}

/** Message parameters: every value a message shows, already formatted. */
export type Params = Record<string, string | number>;

export type Emit<P extends Params> = (pos: Pos, params: P) => void;

/**
 * A form to try a rule on: a sound 自评表 or 目标表 as the test builders lay it out (test/support/forms.ts),
 * with its fields and indicator rows changed as given.
 */
export interface Example {
  form: 'self-eval' | 'target' | 'cells' | 'blank-target' | 'blank-self-eval';
  /** With form `cells`: the sheet's rows, as written (no merges). */
  cells?: (string | number | null)[][];
  /** Changes to the form's fields (the builders' SelfEvalSpec / TargetSpec). */
  spec?: Record<string, unknown>;
  /** Changes to indicator rows, by their index in the form's standard rows. */
  rows?: Record<number, Record<string, unknown>>;
  /** For a firing example: a text the message must contain. */
  says?: string;
  /** For a firing example: the cell it must point at. */
  at?: string;
  /** For a firing example: how many findings of the code (default: at least one). */
  count?: number;
}

export interface Rule<P extends Params = Params> {
  code: string;
  severity: Severity;
  /** Short Chinese title (lists, report). */
  title: string;
  /** Why it matters, for the person filling the form (the pane's rule help, docs/RULES-HELP.md, the support page). */
  why: string;
  /** How to fix it, in the form's own words. */
  fix: string;
  message: (p: P) => string;
  /** Whether the rule also runs on a form with no indicator yet (a blank template): only S01 and S08 do. */
  onBlank?: boolean;
  /** Kinds of table the rule applies to (all when absent). */
  kinds?: readonly TableKind[];
  /** Condition over the whole table (runs once per table). */
  table?: (ctx: RuleContext, emit: Emit<P>) => void;
  /** Condition per indicator row (every rule's row condition runs in one pass over the rows). */
  indicator?: (ctx: RuleContext, x: IndicatorScore, emit: Emit<P>) => void;
  examples: { fires: Example[]; quiet: Example[] };
}

/** Declares a rule; the parameter type of its message types its `emit` calls. */
export function defineRule<P extends Params>(r: Rule<P>): Rule<P> {
  return r;
}

export const SCORED: readonly TableKind[] = ['self-eval', 'dept-self-eval'];

export const KIND_NAMES: Record<TableKind, string> = {
  target: '项目支出绩效目标表',
  'self-eval': '项目支出绩效自评表',
  'dept-self-eval': '部门整体支出绩效自评表',
  completion: '绩效指标完成情况表',
};

/** Name of an indicator in messages: its 三级, its description, or its row. */
export function indicatorName(x: IndicatorScore): string {
  return x.ind.level3 || x.ind.desc || `第${x.ind.r + 1}行指标`;
}
