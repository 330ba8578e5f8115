/**
 * A rule's example (src/domain/rules/*: `examples`) built as a form with the test builders and run through the
 * engine: what test/domain/rule-examples.test.ts checks and what scripts/rules-help.ts quotes in the rule help.
 */
import { analyzeSheet } from '../../src/domain/engine';
import { SheetGrid } from '../../src/domain/grid';
import { buildTemplateSpec } from '../../src/domain/templates';
import { Example } from '../../src/domain/rules/rule';
import { TableResult } from '../../src/domain/types';
import {
  IndicatorSpec,
  SelfEvalSpec,
  SheetBuilder,
  standardIndicators,
  standardTargetIndicators,
  TargetSpec,
  writeSelfEval,
  writeTarget,
} from './forms';

/** A blank official template (src/domain/templates) as the grid its cells and merges make. */
function blankTemplate(kind: 'target' | 'self-eval'): SheetGrid {
  const spec = buildTemplateSpec({ kind, year: 2025 });
  const values: (string | number | null)[][] = [];
  for (const c of spec.cells) (values[c.row] ??= [])[c.col] = c.value;
  const merges = spec.cells
    .filter((c) => c.rowSpan > 1 || c.colSpan > 1)
    .map((c) => ({ r0: c.row, c0: c.col, r1: c.row + c.rowSpan - 1, c1: c.col + c.colSpan - 1 }));
  return SheetGrid.fromValues(spec.sheetName, Array.from({ length: values.length }, (_, i) => values[i] ?? []), merges);
}

/** The tables the engine finds on the example's form, with their findings. */
export function buildExample(ex: Example): TableResult[] {
  if (ex.form === 'cells') return analyzeSheet(SheetGrid.fromValues('例', ex.cells ?? []), { workbookYear: 2025 }).tables;
  if (ex.form === 'blank-target' || ex.form === 'blank-self-eval') {
    return analyzeSheet(blankTemplate(ex.form === 'blank-target' ? 'target' : 'self-eval'), { workbookYear: 2025 }).tables;
  }
  const rows = (ex.rows ?? {}) as Partial<Record<number, Partial<IndicatorSpec>>>;
  const b = new SheetBuilder('例');
  if (ex.form === 'self-eval') {
    const spec: SelfEvalSpec = {
      name: '职工技能培训',
      funds: { initial: 10, budget: 10, executed: 10 },
      indicators: standardIndicators(rows),
      ...(ex.spec as Partial<SelfEvalSpec>),
    };
    writeSelfEval(b, spec);
    return analyzeSheet(b.grid(), { workbookYear: 2025 }).tables;
  }
  const spec: TargetSpec = { name: '专项业务培训费', budget: 9.9, fiscal: 9.9, indicators: standardTargetIndicators(rows), ...(ex.spec as Partial<TargetSpec>) };
  writeTarget(b, spec);
  return analyzeSheet(b.grid(), { workbookYear: 2024 }).tables;
}
