/**
 * Property: any grid, however garbled — random values, labels in random places, merges anywhere, errors,
 * real forms with cells scrambled — yields tables and findings and never throws.
 */
import fc from 'fast-check';
import { analyzeSheet, analyzeWorkbook } from '../../src/domain/engine';
import { Area, CellValue, SheetGrid } from '../../src/domain/grid';
import { TableResultSchema } from '../../src/domain/types';
import { SheetBuilder, standardIndicators, standardTargetIndicators, writeSelfEval, writeTarget } from '../support/forms';

const LABELS = [
  '一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分', '偏差原因分析及改进措施', '指标值',
  '项目名称', '预算数', '其中：财政资金', '其他资金', '3月底', '6月底', '10月底', '12月底', '总分', '年初预算数',
  '全年预算数', '全年执行数', '执行率', '年度资金总额', '其中：当年财政拨款', '产出指标（20分）', '数量指标', '满意度指标',
  '≥40人', '922元/人', '≤900元/人', '部分达成', '当年10月前', '9月完成', '**人', '是/否', '100%', '自评表', '（2025年度）',
  '评价等级', '优', '预算部门名称', '实际完成情况', '预期目标', '', ' ', '\n',
];

const cellValue: fc.Arbitrary<CellValue> = fc.oneof(
  fc.constantFrom(...LABELS),
  fc.double({ noNaN: false }),
  fc.integer({ min: -5, max: 200 }),
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.constantFrom({ error: '#REF!' }, { error: '#DIV/0!' }, { error: '#N/A' }),
  fc.constant(null),
);

const area = (rows: number, cols: number): fc.Arbitrary<Area> =>
  fc
    .tuple(fc.nat(rows), fc.nat(cols), fc.nat(4), fc.nat(4))
    .map(([r0, c0, dr, dc]) => ({ r0, c0, r1: r0 + dr, c1: c0 + dc }));

const garbledGrid = fc
  .tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 12 }))
  .chain(([rows, cols]) =>
    fc.tuple(
      fc.array(fc.array(cellValue, { maxLength: cols }), { maxLength: rows }),
      fc.array(area(rows, cols), { maxLength: 8 }),
    ),
  )
  .map(([values, merges]) => SheetGrid.fromValues('乱表', values, merges));

function check(g: SheetGrid): void {
  const r = analyzeSheet(g, { workbookYear: 2025 });
  // analyzeSheet turns an internal exception into an S01 "无法解析" finding; that path must never be taken.
  expect(r.findings).toEqual([]);
  for (const t of r.tables) {
    TableResultSchema.parse(t);
    for (const f of t.findings) expect(f.message.length).toBeGreaterThan(0);
  }
}

describe('garbled grids', () => {
  it('random grids never throw', () => {
    fc.assert(fc.property(garbledGrid, (g) => check(g)), { numRuns: 1000 });
  });

  it('real forms with cells scrambled, deleted and merged at odd places never throw', () => {
    const b = new SheetBuilder('表');
    let r = writeSelfEval(b, { name: '项目', funds: { initial: 1, budget: 1, executed: 0.9 }, indicators: standardIndicators() });
    r = writeTarget(b, { name: '目标', budget: 2, fiscal: 2, indicators: standardTargetIndicators() }, r + 1);
    const base = b.values.map((row) => [...(row ?? [])]);
    const edits = fc.array(
      fc.tuple(fc.nat(r + 2), fc.nat(12), cellValue),
      { maxLength: 25 },
    );
    fc.assert(
      fc.property(edits, fc.array(area(r, 11), { maxLength: 6 }), fc.boolean(), (es, extra, dropMerges) => {
        const vals = base.map((row) => [...row]);
        for (const [rr, cc, v] of es) (vals[rr] ??= [])[cc] = v;
        const merges = [...(dropMerges ? [] : b.merges), ...extra];
        check(SheetGrid.fromValues('表', vals, merges));
      }),
      { numRuns: 1000 },
    );
  });

  it('regression: absurd magnitudes in a weight or amount cell', () => {
    const b = new SheetBuilder('表');
    writeSelfEval(b, { name: '项目', funds: { initial: 1, budget: 1, executed: 0.9 }, indicators: standardIndicators() });
    for (const v of [1.797693134862315e306, -9999999999999996000, Number.MAX_VALUE]) {
      const vals = b.values.map((row) => [...(row ?? [])]);
      vals[12][6] = v;
      vals[5][5] = v;
      check(SheetGrid.fromValues('表', vals, b.merges));
    }
  });

  it('empty workbooks, empty sheets and a 50,000-row sheet', () => {
    expect(analyzeWorkbook({ sheets: [] }).tables).toEqual([]);
    expect(analyzeWorkbook({ sheets: [SheetGrid.fromValues('空', [])] }).tables).toEqual([]);
    const rows: CellValue[][] = [];
    for (let i = 0; i < 50_000; i++) rows.push([i, `行${i}`, i % 7 === 0 ? '一级指标' : null, 3.14]);
    const big = SheetGrid.fromValues('大表', rows);
    expect(() => analyzeSheet(big)).not.toThrow();
  });
});
