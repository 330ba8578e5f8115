/**
 * Edit placement (issue #12): an edit targets the computed cell of its row and role only; a computed cell that
 * shares a merged area with cells that are not computed (分值, a label, a value) is never written, and is shown
 * as skipped with the reason.
 */
import fc from 'fast-check';
import { readFileSync } from 'fs';
import path from 'path';
import { analyzeSheet, analyzeWorkbook } from '../../src/domain/engine';
import { Area, parseA1, SheetGrid } from '../../src/domain/grid';
import { CellEdit } from '../../src/domain/types';
import { readWorkbookBytes } from '../../src/xlsx/read';
import { SheetBuilder, standardIndicators, writeSelfEval } from '../support/forms';

const hostile = (f: string) => readFileSync(path.join(__dirname, '../fixtures/hostile', f));

async function edits(file: string): Promise<CellEdit[]> {
  const wb = await readWorkbookBytes(hostile(file), file);
  return analyzeWorkbook(wb).tables.flatMap((t) => t.edits);
}

describe('merged computed cells (hostile files)', () => {
  it('c09i: 分值, 执行率 and 得分 merged into H6:J6 — H6 is never a target; both edits skipped with the reason', async () => {
    const es = await edits('c09i_weight_rate_score_merged_funds.xlsx');
    const writable = es.filter((e) => e.status !== 'merged' && e.status !== 'formula' && e.status !== 'same');
    expect(writable.map((e) => e.cell)).not.toContain('H6');
    const funds = es.filter((e) => e.kind === 'rate' || e.kind === 'rateScore');
    expect(funds.map((e) => [e.cell, e.status])).toEqual([
      ['I6', 'merged'],
      ['J6', 'merged'],
    ]);
    expect(funds[0].reason).toContain('H6:J6');
  });

  it('c09i: the 分值 10 is read as 分值, not as a stated 执行率 of 1000%', async () => {
    const wb = await readWorkbookBytes(hostile('c09i_weight_rate_score_merged_funds.xlsx'), 'c09i');
    const t = analyzeWorkbook(wb).tables[0];
    expect(t.funds?.weight).toBe(10);
    expect(t.findings.map((f) => f.code)).not.toContain('C06');
  });

  it('c09j: a 反向 row whose 分值 and 得分 are merged gets no edit that would overwrite 分值', async () => {
    const es = await edits('c09j_weight_score_merged_on_reverse_row.xlsx');
    const g16 = es.find((e) => e.cell === 'H16' || e.cell === 'G16');
    expect(g16?.status).toBe('merged');
    expect(es.filter((e) => e.cell === 'G16' && e.status !== 'merged')).toEqual([]);
  });

  it('c09k: the total row 分值 and 得分 merged (G19:H19): the total is not written', async () => {
    const es = await edits('c09k_total_row_weight_and_score_merged.xlsx');
    const total = es.find((e) => e.kind === 'total');
    expect(total?.status).toBe('merged');
    expect(es.filter((e) => e.cell === 'G19' && e.status !== 'merged')).toEqual([]);
  });
});

describe('property: no edit targets an input cell, whatever the merges', () => {
  const b = new SheetBuilder('表');
  const end = writeSelfEval(b, {
    name: '职工帮扶救助专项资金',
    funds: { initial: 1, budget: 1, executed: 0.9 },
    indicators: standardIndicators(),
  });
  const base = b.values.map((row) => [...(row ?? [])]);
  const area = fc
    .tuple(fc.nat(end), fc.nat(10), fc.nat(2), fc.nat(3))
    .map(([r0, c0, dr, dc]): Area => ({ r0, c0, r1: r0 + dr, c1: c0 + dc }));

  it('edits that would be written land only on cells whose merged area holds nothing but the computed cell', () => {
    fc.assert(
      fc.property(fc.array(area, { maxLength: 4 }), (extra) => {
        const g = SheetGrid.fromValues('表', base, [...b.merges, ...extra]);
        const tables = analyzeSheet(g, { workbookYear: 2025 }).tables;
        for (const t of tables) {
          for (const e of t.edits) {
            if (e.status === 'merged' || e.status === 'formula' || e.status === 'same') continue;
            const p = parseA1(e.cell)!;
            const m = g.mergeAt(p.r, p.c);
            if (!m) continue;
            // A written cell's area stays in its row and contains no other non-empty cell.
            expect(m.r0).toBe(m.r1);
            for (let c = m.c0; c <= m.c1; c++) {
              if (c === p.c) continue;
              const v = g.raw(p.r, c)?.value;
              expect(v === undefined || v === null || v === '').toBe(true);
            }
          }
        }
        // And no written edit ever targets a cell that holds a label, a weight, a target or an actual value.
        for (const t of tables) {
          const held = new Set<string>();
          for (const x of t.indicators) {
            for (const f of [x.target, x.actual, x.level1, x.level2, x.level3]) if (f) held.add(f);
          }
          for (const e of t.edits) {
            if (e.status === 'merged' || e.status === 'formula' || e.status === 'same' || e.current === '') continue;
            // The cell shows something: it must be a number or grade the engine itself computes, never a label.
            if (e.kind !== 'grade') expect(held.has(e.current)).toBe(false);
            expect(/指标|分值|得分|总分|合计|执行率|预算|项目/.test(e.current)).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
