/**
 * Every rule's own examples (src/domain/rules/*): each is built as a form with the test builders, the engine
 * runs on it, and the rule must fire where it says it fires and stay quiet where it says it is quiet.
 */
import { analyzeSheet } from '../../src/domain/engine';
import { SheetGrid } from '../../src/domain/grid';
import { RULES } from '../../src/domain/rules/catalogue';
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
} from '../support/forms';

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

function build(ex: Example): TableResult[] {
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

const describeExample = (ex: Example) => JSON.stringify({ ...ex, cells: ex.cells ? '…' : undefined });

describe.each(RULES.map((r) => [r.code, r] as const))('%s', (code, rule) => {
  it('has a title, a Chinese message and examples on both sides', () => {
    expect(rule.title).toMatch(/[\u4e00-\u9fff]/);
    expect(rule.examples.fires.length).toBeGreaterThan(0);
    expect(rule.examples.quiet.length).toBeGreaterThan(0);
  });
  it.each(rule.examples.fires.map((ex) => [describeExample(ex), ex] as const))('fires on %s', (_d, ex) => {
    const tables = build(ex);
    expect(tables.length).toBeGreaterThan(0);
    const hits = tables.flatMap((t) => t.findings).filter((f) => f.code === code);
    if (ex.count !== undefined) expect(hits).toHaveLength(ex.count);
    else expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h.severity).toBe(rule.severity);
    if (ex.says) expect(hits.map((h) => h.message).join('|')).toContain(ex.says);
    if (ex.at) expect(hits.map((h) => h.cell)).toContain(ex.at);
  });
  it.each(rule.examples.quiet.map((ex) => [describeExample(ex), ex] as const))('stays quiet on %s', (_d, ex) => {
    const tables = build(ex);
    expect(tables.length).toBeGreaterThan(0);
    expect(tables.flatMap((t) => t.findings).filter((f) => f.code === code)).toEqual([]);
  });
});
