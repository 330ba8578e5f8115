/**
 * Properties of what the engine returns, on any grid (RULES §1.2, §4):
 * - every finding's cell lies inside its table's range;
 * - no table's name (nor its 主管部门 / 实施单位 / 项目编码) is a form label — a label is never a value, even
 *   when the value cell next to it is blank and the next label sits to its right (`实施单位 | (blank) |
 *   主管部门及代码`).
 * Grids: random ones, the builders' forms with cells scrambled, and forms whose field rows (项目名称, 主管部门,
 * 实施单位, …) are laid out at random, with blank values and labels side by side.
 */
import fc from 'fast-check';
import { analyzeSheet } from '../../src/domain/engine';
import { Area, CellValue, SheetGrid } from '../../src/domain/grid';
import type { TableResult } from '../../src/domain/types';
import { SheetBuilder, standardIndicators, standardTargetIndicators, writeSelfEval, writeTarget } from '../support/forms';

/**
 * Form labels: every label of RULES.md §1.1 (vocabulary) and the fields of the §1 table, plus the field
 * labels the published forms in test/corpus and test/fixtures carry around them.
 */
const FORM_LABELS = [
  // §1.1 项目名称
  '项目名称', '项目支出名称', '专项资金名称', '资金名称', '二级项目名称', '项目（资金）名称', '转移支付（项目）名称',
  // §1.1 部门名称
  '预算部门名称', '一级预算单位名称', '部门（单位）名称', '单位名称',
  // §1.1 预算数 (target)
  '预算数', '预算金额', '年度预算数', '年度资金总额', '资金总额', '项目资金总额', '年度金额', '预算申报数', '项目总预算',
  '年度本级预算金额', '年度资金申请总额',
  // §1.1 财政资金 / 其他资金
  '其中：财政资金', '财政资金', '财政拨款', '财政拨款数', '中央补助', '省级财政安排', '本级财政', '上级资金', '其他资金', '自有资金', '地方资金',
  // §1.1 funds row and columns
  '总额', '年初预算数', '年初预算', '全年预算数', '调整后预算数', '全年执行数', '预算执行数', '实际支出数', '执行率', '预算执行率',
  // §1.1 indicator columns
  '一级指标', '二级指标', '三级指标', '指标内容', '指标名称', '指标值', '年度指标值', '预期指标值', '年度目标值', '目标值', '计划值',
  '指标值及单位', '实际完成值', '实际完成指标值', '全年完成值', '完成值', '全年实际值', '实际值', '目标完成情况', '实施进度',
  '指标性质', '指标方向', '计算符号', '符号', '度量单位', '计量单位', '单位', '分值', '权重', '得分', '自评得分',
  '偏差原因分析及改进措施', '未完成原因分析', '未完成原因和改进措施', '原因', '指标值确定依据', '绩效标准', '依据', '指标值类型',
  // §1 table: what each kind carries
  '项目编码', '主管部门', '实施单位', '资金支出计划', '绩效目标', '年度目标', '绩效指标描述', '年度总体目标', '总分',
  // field labels around the forms (fixtures, corpus, builders)
  '主管部门及代码', '实施单位及代码', '预算部门', '项目资金', '年度预算申请', '预算规模及资金用途', '项目资金用途说明', '绩效指标',
  '预期目标', '实际完成情况', '评价等级', '部门（单位）职责', '项目支出实施期', '实施期绩效目标', '本年度绩效目标', '项目基本情况',
  '填报单位',
];

/** RULES §1 label normalisation, plus a trailing unit or seal note in brackets (`（万元）`, `（盖章）`). */
function labelForm(s: string): string {
  let t = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    t += code >= 0xff01 && code <= 0xff5e ? String.fromCodePoint(code - 0xfee0) : ch;
  }
  t = t.replace(/[\s\u3000\u00a0]+/g, '').replace(/^[*＊]+/, '').replace(/[:：]+$/, '');
  return t.replace(/\((万元|元|%|盖章|单位:万元|单位:元)\)$/, '');
}

const LABEL_SET = new Set(FORM_LABELS.map(labelForm));

function isLabel(v: string | null): boolean {
  return v !== null && v !== '' && LABEL_SET.has(labelForm(v));
}

function colIndex(letters: string): number {
  let c = 0;
  for (const ch of letters) c = c * 26 + (ch.charCodeAt(0) - 64);
  return c - 1;
}

function cellRC(a1: string): { r: number; c: number } | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/.exec(a1);
  return m ? { r: Number(m[2]) - 1, c: colIndex(m[1]) } : null;
}

function rangeArea(ref: string): Area | null {
  const [a, b] = ref.split(':');
  const p = cellRC(a);
  const q = cellRC(b ?? a);
  return p && q ? { r0: Math.min(p.r, q.r), c0: Math.min(p.c, q.c), r1: Math.max(p.r, q.r), c1: Math.max(p.c, q.c) } : null;
}

/** The invariants' violations on one table (empty when it keeps them). */
function violations(t: TableResult): string[] {
  const out: string[] = [];
  const area = rangeArea(t.range);
  if (!area) out.push(`table range “${t.range}” is not an A1 range`);
  for (const f of t.findings) {
    const p = cellRC(f.cell);
    if (!area || !p || p.r < area.r0 || p.r > area.r1 || p.c < area.c0 || p.c > area.c1) {
      out.push(`${f.code} at ${f.cell} lies outside its table ${t.range} (${f.message})`);
    }
  }
  for (const [field, v] of [['name', t.name], ['department', t.department], ['unit', t.unit], ['code', t.code]] as const) {
    if (isLabel(v)) out.push(`table ${t.range}: ${field} is the form label “${v}”`);
  }
  return out;
}

function check(g: SheetGrid): void {
  const r = analyzeSheet(g, { workbookYear: 2025 });
  const bad = r.tables.flatMap(violations);
  if (bad.length) throw new Error(bad.join('\n'));
}

// ---------------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------------

const RANDOM_VALUES = [
  ...FORM_LABELS.slice(0, 12), '项目名称', '主管部门', '实施单位', '主管部门及代码', '一级指标', '二级指标', '三级指标', '年度指标值',
  '实际完成值', '指标值', '分值', '得分', '年初预算数', '全年预算数', '全年执行数', '年度资金总额', '总分', '产出指标（20分）',
  '数量指标', '满意度指标', '≥40人', '922元/人', '≤900元/人', '部分达成', '100%', '自评表', '（2025年度）', '某某局', '职工帮扶项目', '',
];

const cellValue: fc.Arbitrary<CellValue> = fc.oneof(
  fc.constantFrom(...RANDOM_VALUES),
  fc.integer({ min: -5, max: 200 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.string({ maxLength: 5 }),
  fc.constant(null),
);

const area = (rows: number, cols: number): fc.Arbitrary<Area> =>
  fc
    .tuple(fc.nat(rows), fc.nat(cols), fc.nat(4), fc.nat(4))
    .map(([r0, c0, dr, dc]) => ({ r0, c0, r1: r0 + dr, c1: c0 + dc }));

const randomGrid = fc
  .tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 12 }))
  .chain(([rows, cols]) =>
    fc.tuple(fc.array(fc.array(cellValue, { maxLength: cols }), { maxLength: rows }), fc.array(area(rows, cols), { maxLength: 8 })),
  )
  .map(([values, merges]) => SheetGrid.fromValues('乱表', values, merges));

/** A field of the block above the grid: its label, and a value that may be blank. */
interface FieldCell {
  label: string;
  value: string | null;
  labelSpan: number;
  /** Cells given to the value; 0 puts the next label right next to this one. */
  valueSpan: number;
}

const FIELD_LABELS = ['项目名称', '主管部门', '主管部门及代码', '实施单位', '项目编码', '预算部门名称', '单位名称', '项目支出名称', '资金名称', '部门（单位）名称'];

const fieldCell: fc.Arbitrary<FieldCell> = fc
  .record({
    label: fc.constantFrom(...FIELD_LABELS),
    value: fc.option(fc.constantFrom('某某局', '职工帮扶救助专项资金', '13010024P0000000001', '某某中学'), { nil: null }),
    labelSpan: fc.integer({ min: 1, max: 2 }),
    valueSpan: fc.integer({ min: 0, max: 3 }),
  })
  .map((f) => (f.value !== null && f.valueSpan === 0 ? { ...f, valueSpan: 1 } : f));

const fieldRows = fc.array(fc.array(fieldCell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 2 });

/** Rows of a built form that hold its field labels (项目名称 / 主管部门 / 项目编码 / 预算部门名称). */
function fieldRowIndexes(b: SheetBuilder): number[] {
  const out: number[] = [];
  b.values.forEach((row, r) => {
    if (row?.some((v) => typeof v === 'string' && ['项目名称', '主管部门', '项目编码', '预算部门名称'].includes(v))) out.push(r);
  });
  return out;
}

/** Rewrites a form's field rows with the generated fields; returns the sheet. */
function withFields(kind: 'self-eval' | 'dept-self-eval' | 'target', rows: FieldCell[][]): SheetGrid {
  const b = new SheetBuilder('表');
  if (kind === 'target') writeTarget(b, { name: '职工培训', budget: 9.9, fiscal: 9.9, indicators: standardTargetIndicators() });
  else writeSelfEval(b, { kind, name: '职工帮扶救助专项资金', funds: { initial: 1, budget: 1, executed: 0.95 }, indicators: standardIndicators() });
  const width = kind === 'target' ? 7 : 10;
  const targets = fieldRowIndexes(b);
  // Replace the existing field rows; extra generated rows go into the first one's place, pushing nothing.
  const rowsToUse = targets.slice(0, rows.length);
  const touched = new Set(rowsToUse.map((r) => r + 1));
  b.merges = b.merges.filter((m) => {
    const [a, z] = m.split(':');
    const r0 = Number(/\d+/.exec(a)![0]);
    const r1 = Number(/\d+/.exec(z)![0]);
    for (let r = r0; r <= r1; r++) if (touched.has(r)) return false;
    return true;
  });
  rowsToUse.forEach((r, i) => {
    b.values[r] = [];
    let c = 0;
    for (const f of rows[i]) {
      if (c >= width) break;
      const l1 = Math.min(width - 1, c + f.labelSpan - 1);
      b.set(r, c, f.label).merge(r, c, r, l1);
      c = l1 + 1;
      if (f.valueSpan > 0 && c < width) {
        const v1 = Math.min(width - 1, c + f.valueSpan - 1);
        if (f.value !== null) b.set(r, c, f.value);
        b.merge(r, c, r, v1);
        c = v1 + 1;
      }
    }
  });
  return b.grid();
}

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

describe('findings stay inside their table; names are never labels', () => {
  it('on random grids', () => {
    fc.assert(fc.property(randomGrid, (g) => check(g)), { numRuns: 500 });
  });

  it('on forms with cells scrambled, deleted and merged at odd places', () => {
    const b = new SheetBuilder('表');
    let r = writeSelfEval(b, { name: '职工帮扶救助专项资金', funds: { initial: 1, budget: 1, executed: 0.9 }, indicators: standardIndicators() });
    r = writeTarget(b, { name: '职工培训', budget: 2, fiscal: 2, indicators: standardTargetIndicators() }, r + 1);
    const base = b.values.map((row) => [...(row ?? [])]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(r + 2), fc.nat(11), cellValue), { maxLength: 20 }), fc.array(area(r, 10), { maxLength: 4 }), (es, extra) => {
        const vals = base.map((row) => [...row]);
        for (const [rr, cc, v] of es) (vals[rr] ??= [])[cc] = v;
        check(SheetGrid.fromValues('表', vals, [...b.merges, ...extra]));
      }),
      { numRuns: 400 },
    );
  });

  it('on forms whose field rows have blank values and labels side by side', () => {
    const blankUnitThenCode: FieldCell[][] = [
      [
        { label: '项目名称', value: '职工帮扶救助专项资金', labelSpan: 2, valueSpan: 3 },
      ],
      [
        { label: '主管部门', value: '某某局', labelSpan: 2, valueSpan: 2 },
        { label: '实施单位', value: null, labelSpan: 1, valueSpan: 0 },
        { label: '主管部门及代码', value: '某某局 711', labelSpan: 1, valueSpan: 2 },
      ],
    ];
    const blankNameThenDept: FieldCell[][] = [
      [
        { label: '项目名称', value: null, labelSpan: 1, valueSpan: 0 },
        { label: '主管部门', value: '某某局', labelSpan: 1, valueSpan: 2 },
        { label: '实施单位', value: null, labelSpan: 1, valueSpan: 1 },
        { label: '单位名称', value: '某某中学', labelSpan: 1, valueSpan: 1 },
      ],
    ];
    fc.assert(
      fc.property(fc.constantFrom('self-eval' as const, 'dept-self-eval' as const, 'target' as const), fieldRows, (kind, rows) =>
        check(withFields(kind, rows)),
      ),
      {
        numRuns: 400,
        examples: [
          ['self-eval', blankUnitThenCode],
          ['target', blankUnitThenCode],
          ['self-eval', blankNameThenDept],
          ['target', blankNameThenDept],
          ['dept-self-eval', blankNameThenDept],
        ],
      },
    );
  });
});
