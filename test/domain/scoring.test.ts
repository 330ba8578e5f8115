import { analyzeSheet, analyzeWorkbook, workbookYear } from '../../src/domain/engine';
import { SheetGrid } from '../../src/domain/grid';
import { BUILTIN_PROFILES, gradeFor, ProfileSchema, resolveProfile } from '../../src/domain/profiles';
import { TableResult } from '../../src/domain/types';
import {
  IndicatorSpec,
  SelfEvalSpec,
  SheetBuilder,
  standardIndicators,
  standardTargetIndicators,
  writeSelfEval,
  writeTarget,
} from '../support/forms';

function run(
  over: Partial<SelfEvalSpec> = {},
  ind: Partial<Record<number, Partial<IndicatorSpec>>> = {},
  profile: 'central' | 'hebei' | object = 'central',
): TableResult {
  const b = new SheetBuilder('自评');
  writeSelfEval(b, {
    name: '测试项目',
    funds: { initial: 10, budget: 10, executed: 10 },
    indicators: standardIndicators(ind),
    ...over,
  });
  return analyzeSheet(b.grid(), { profile: profile as never, workbookYear: 2025 }).tables[0];
}

describe('indicator scoring branches (RULES §3)', () => {
  it('>= met and short', () => {
    expect(run({}, { 0: { actual: '100人' } }).indicators[0].score).toBe(20);
    expect(run({}, { 0: { actual: '98人' } }).indicators[0].score).toBe(19.6);
  });
  it('> behaves as >=', () => {
    expect(run({}, { 0: { target: '>100人', actual: '50人' } }).indicators[0].score).toBe(10);
  });
  it('<= met and exceeded (ratio)', () => {
    expect(run({}, { 3: { actual: '500元/人' } }).indicators[3].score).toBe(10);
    const t = run({}, { 3: { target: '≤900元/人', actual: '922元/人' } });
    expect(t.indicators[3].score).toBe(9.76);
    expect(t.indicators[3].basis).toBe('反向指标：900 ÷ 922 × 10 = 9.76');
  });
  it('<= exceeded with the linear 反向 formula of a profile', () => {
    const linear = { ...BUILTIN_PROFILES.central, id: 'linear-test', reverseFormula: 'linear' };
    expect(run({}, { 3: { target: '≤500元/人', actual: '600元/人' } }, linear).indicators[3].score).toBe(8);
    expect(run({}, { 3: { target: '≤500元/人', actual: '1000元/人' } }, linear).indicators[3].score).toBe(0);
  });
  it('= scores min/max', () => {
    expect(run({}, { 0: { target: '=100人', actual: '80人' } }).indicators[0].score).toBe(16);
    expect(run({}, { 0: { target: '=100人', actual: '125人' } }).indicators[0].score).toBe(16);
    expect(run({}, { 0: { target: '=100人', actual: '100人' } }).indicators[0].score).toBe(20);
  });
  it('money converts between 元 and 万元', () => {
    expect(run({}, { 3: { target: '≤0.05万元/人', actual: '480元/人' } }).indicators[3].score).toBe(10);
    expect(run({}, { 3: { target: '≤500元/人', actual: '0.06万元/人' } }).indicators[3].score).toBe(8.33);
  });
  it('ranges', () => {
    expect(run({}, { 0: { target: '80-120人', actual: '100人' } }).indicators[0].score).toBe(20);
    expect(run({}, { 0: { target: '80-120人', actual: '60人' } }).indicators[0].score).toBe(15);
  });
  it('time values: met by date, by word, late', () => {
    expect(run({}, { 2: { target: '当年10月前', actual: '9月完成' } }).indicators[2].score).toBe(10);
    expect(run({}, { 2: { target: '12月31日前完成', actual: '按计划完成' } }).indicators[2].score).toBe(10);
    const late = run({}, { 2: { target: '当年10月前', actual: '2025年11月完成', deviation: '招标延迟' } });
    expect(late.indicators[2].score).toBe(7);
    expect(run({}, { 2: { target: '≤30天', actual: '25天' } }).indicators[2].score).toBe(10);
  });
  it('qualitative: 达成, 部分达成 (kept and default), 未达成 (kept and default), not gradable', () => {
    expect(run({}, { 4: { actual: '达成' } }).indicators[4].score).toBe(30);
    expect(run({}, { 4: { actual: '部分达成', deviation: 'x' } }).indicators[4].score).toBe(21);
    expect(run({}, { 4: { actual: '部分达成', score: 18, deviation: 'x' } }).indicators[4].score).toBe(18);
    expect(run({}, { 4: { actual: '未达成', deviation: 'x' } }).indicators[4].score).toBe(9);
    expect(run({}, { 4: { actual: '未完成', score: 5, deviation: 'x' } }).indicators[4].score).toBe(5);
    expect(run({}, { 4: { actual: '未完成', score: 20, deviation: 'x' } }).indicators[4].score).toBe(9);
    expect(run({}, { 4: { actual: '群众反映良好', score: 28, deviation: 'x' } }).indicators[4].score).toBe(28);
    expect(run({}, { 4: { actual: '群众反映良好' } }).indicators[4].score).toBeNull();
  });
  it('a stated score is never taken for a computable indicator', () => {
    expect(run({}, { 0: { actual: '98人', score: 20 } }).indicators[0].score).toBe(19.6);
  });
});

describe('执行率 and totals', () => {
  it('rate and its score, capped at 100%', () => {
    const t = run({ funds: { initial: 6, budget: 6, executed: 3.4 } });
    expect(t.funds!.rate).toBeCloseTo(0.566667, 6);
    expect(t.funds!.score).toBe(5.67);
    expect(run({ funds: { initial: 6, budget: 6, executed: 7 } }).funds!.score).toBe(10);
  });
  it('honours a 分值 other than 10 written in the form', () => {
    const t = run({ funds: { initial: 6, budget: 6, executed: 3, weight: 20 } });
    expect(t.funds!.weight).toBe(20);
    expect(t.funds!.score).toBe(10);
  });
  it('numbers stored as text read the same', () => {
    const t = run({ funds: { initial: ' 6', budget: '6.00', executed: '3.4' } }, { 0: { weight: '20' } });
    expect(t.funds!.score).toBe(5.67);
    expect(t.indicators[0].weight).toBe(20);
  });
  it('total is the sum of rounded scores; withheld when an indicator is unscored', () => {
    const t = run(
      { funds: { initial: 0.63, budget: 0.63, executed: 0.6 } },
      { 3: { target: '≤900元/人', actual: '922元/人', deviation: 'x' } },
    );
    expect(t.totalScore).toBe(99.28);
    expect(t.indicatorScore).toBe(89.76);
    expect(run({ funds: { initial: 1, budget: null, executed: null, parts: [] } }).totalScore).toBeNull();
  });
});

describe('profiles (RULES §5)', () => {
  it('grade bands: central and hebei', () => {
    const c = BUILTIN_PROFILES.central;
    const h = BUILTIN_PROFILES.hebei;
    expect([95, 90, 89.99, 80, 79.99, 60, 59.99].map((x) => gradeFor(c, x))).toEqual([
      '优',
      '优',
      '良',
      '良',
      '中',
      '中',
      '差',
    ]);
    expect([85, 84.99, 75, 74.99, 60, 59.99].map((x) => gradeFor(h, x))).toEqual([
      '优秀',
      '良好',
      '良好',
      '一般',
      '一般',
      '较差',
    ]);
  });
  it('the same table grades differently under the two profiles', () => {
    const ind = { 4: { actual: '未达成', deviation: 'x' } };
    expect(run({}, ind, 'central')).toMatchObject({ totalScore: 79, grade: '中' });
    expect(run({}, ind, 'hebei')).toMatchObject({ totalScore: 79, grade: '良好' });
  });
  it('are data validated with zod: a bad profile is refused with a Chinese message', () => {
    expect(() =>
      ProfileSchema.parse({
        ...BUILTIN_PROFILES.central,
        grades: [
          { name: '优', min: 60 },
          { name: '良', min: 80 },
        ],
      }),
    ).toThrow();
    expect(() => resolveProfile('beijing')).toThrow(/未知的评分规则/);
    expect(() => resolveProfile({ id: 'x' } as never)).toThrow(/评分规则配置无效/);
  });
  it('a user profile changes the numbers it owns (indicator total, threshold, C08 factor)', () => {
    const p = {
      ...BUILTIN_PROFILES.central,
      id: 'custom',
      indicatorTotal: 80,
      executionThreshold: 0.95,
      c08Factor: 1.5,
    };
    const t = run({ funds: { initial: 10, budget: 10, executed: 9.2 } }, { 0: { actual: '130人' } }, p);
    const c = t.findings.map((f) => f.code);
    expect(c).toContain('C01');
    expect(c).toContain('F07');
    expect(c).not.toContain('C08');
  });
  it('both indicator trees read (成本指标 as 一级 or as 二级 of 产出指标)', () => {
    const b = new SheetBuilder('s');
    writeTarget(b, { name: '旧树', budget: 1, fiscal: 1, indicators: standardTargetIndicators() });
    const r = analyzeSheet(b.grid(), { workbookYear: 2024 });
    expect(r.tables[0].findings.map((f) => f.code)).toEqual([]);
    expect(run().findings.map((f) => f.code)).toEqual([]);
  });
});

describe('locator on forms it has never seen', () => {
  it('other column spans, blank rows, split labels, weights in 一级, centred labels', () => {
    const t = run({
      layout: {
        colOffset: 3,
        blankAfterHeader: 2,
        splitLabels: true,
        level1Weights: { 产出指标: 40, 效益指标: 30, 满意度指标: 10 },
        centreLabels: true,
        mergeGroups: false,
        level3Span: 3,
      },
    });
    expect(t.indicators.map((i) => [i.level1, i.level2])).toEqual([
      ['产出指标', '数量指标'],
      ['产出指标', '质量指标'],
      ['产出指标', '时效指标'],
      ['成本指标', '经济成本指标'],
      ['效益指标', '社会效益指标'],
      ['满意度指标', '服务对象满意度指标'],
    ]);
    expect(t.findings.map((f) => f.code)).toEqual([]);
    expect(t.totalScore).toBe(100);
    expect(t.range.startsWith('D1:')).toBe(true);
  });

  // Groups of 3, 2 and 1 rows, labelled in rows 1, 3 and 5: only one tiling centres every label (a group of
  // two has its label in its first row). Groups of 3 and 3 labelled in rows 1 and 4 could as well be 4 and 2
  // under that convention: the reader then takes the later end (see the next test).
  it('labels centred in the middle row of a group, groups not merged', () => {
    const ind: IndicatorSpec[] = [
      { l1: '产出指标', l2: '数量指标', l3: 'a', target: '≥1人', actual: '1人', weight: 15 },
      { l1: '产出指标', l2: '数量指标', l3: 'b', target: '≥1人', actual: '1人', weight: 15 },
      { l1: '产出指标', l2: '质量指标', l3: 'c', target: '100%', actual: '100%', weight: 20 },
      { l1: '效益指标', l2: '社会效益指标', l3: 'd', target: '有所提升', actual: '达成', weight: 20 },
      { l1: '效益指标', l2: '社会效益指标', l3: 'e', target: '有所提升', actual: '达成', weight: 10 },
      { l1: '满意度指标', l2: '服务对象满意度指标', l3: 'g', target: '≥90%', actual: '95%', weight: 10 },
    ];
    const b = new SheetBuilder('c');
    writeSelfEval(b, {
      name: 'x',
      funds: { initial: 1, budget: 1, executed: 1 },
      indicators: ind,
      layout: { centreLabels: true },
    });
    const t = analyzeSheet(b.grid(), {}).tables[0];
    expect(t.indicators.map((i) => i.level1)).toEqual([
      '产出指标',
      '产出指标',
      '产出指标',
      '效益指标',
      '效益指标',
      '满意度指标',
    ]);
    expect(t.indicators.map((i) => i.level2)).toEqual([
      '数量指标',
      '数量指标',
      '质量指标',
      '社会效益指标',
      '社会效益指标',
      '服务对象满意度指标',
    ]);
    expect(t.findings).toEqual([]);
  });

  it('centred labels: the layout is decided from the whole table, an even group labelled in its upper middle row', () => {
    // 一级 centred (the first row has none), 二级 written in each group's first row: 6 + 3 + 1 rows.
    const ind: IndicatorSpec[] = [
      { l1: '产出指标', l2: '数量指标', l3: 'a', target: '≥1人', actual: '1人', weight: 10 },
      { l1: '产出指标', l2: '数量指标', l3: 'b', target: '≥1人', actual: '1人', weight: 10 },
      { l1: '产出指标', l2: '质量指标', l3: 'c', target: '100%', actual: '100%', weight: 10 },
      { l1: '产出指标', l2: '时效指标', l3: 'd', target: '12月底前', actual: '12月', weight: 10 },
      { l1: '产出指标', l2: '成本指标', l3: 'e', target: '≤10万元', actual: '10万元', weight: 5 },
      { l1: '产出指标', l2: '成本指标', l3: 'f', target: '≤1万元', actual: '1万元', weight: 5 },
      { l1: '效益指标', l2: '社会效益指标', l3: 'g', target: '有所提升', actual: '达成', weight: 10 },
      { l1: '效益指标', l2: '社会效益指标', l3: 'h', target: '有所提升', actual: '达成', weight: 10 },
      { l1: '效益指标', l2: '社会效益指标', l3: 'i', target: '有所提升', actual: '达成', weight: 10 },
      { l1: '满意度指标', l2: '服务对象满意度指标', l3: 'j', target: '≥90%', actual: '95%', weight: 10 },
    ];
    const b = new SheetBuilder('c');
    writeSelfEval(b, {
      name: 'x',
      funds: { initial: 1, budget: 1, executed: 1 },
      indicators: ind,
      layout: { centreLabels: true },
    });
    const t = analyzeSheet(b.grid(), {}).tables[0];
    expect(t.indicators.map((i) => i.level1)).toEqual([
      ...Array(6).fill('产出指标'),
      ...Array(3).fill('效益指标'),
      '满意度指标',
    ]);
    expect(t.indicators.map((i) => i.level2)).toEqual(ind.map((x) => x.l2));
    expect(t.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('stacked tables of different kinds on one sheet among unrelated cells', () => {
    const b = new SheetBuilder('混合');
    b.set(0, 0, '附件2：绩效材料').set(1, 5, '无关的说明文字').set(2, 0, 12345);
    let r = writeTarget(
      b,
      { index: 1, name: '甲项目', budget: 5, fiscal: 5, indicators: standardTargetIndicators() },
      4,
    );
    b.set(r + 1, 0, '备注：以上为目标表');
    r = writeSelfEval(
      b,
      { name: '乙项目', funds: { initial: 3, budget: 3, executed: 3 }, indicators: standardIndicators() },
      r + 3,
    );
    r = writeSelfEval(
      b,
      {
        kind: 'dept-self-eval',
        name: '某部门',
        funds: {
          initial: 300,
          budget: 300,
          executed: 290,
          parts: [
            { label: '基本支出', initial: 200, budget: 200, executed: 195 },
            { label: '项目支出', initial: 100, budget: 100, executed: 95 },
          ],
        },
        indicators: standardIndicators(),
      },
      r + 1,
    );
    b.set(r + 2, 2, '制表人：张三');
    const res = analyzeSheet(b.grid(), { workbookYear: 2025 });
    expect(res.tables.map((t) => [t.kind, t.name])).toEqual([
      ['target', '甲项目'],
      ['self-eval', '乙项目'],
      ['dept-self-eval', '某部门'],
    ]);
    expect(res.tables[2].funds).toMatchObject({ budget: 300, executed: 290 });
    expect(res.tables.flatMap((t) => t.findings.map((f) => f.code))).toEqual([]);
  });

  it('a wrong stated total is caught, the right one is computed', () => {
    const t = run({ total: 95 });
    expect(t.totalScore).toBe(100);
    expect(t.findings.map((f) => f.code)).toEqual(['C05']);
  });

  it('sheets with no form yield nothing and no error', () => {
    const g = SheetGrid.fromValues('支出总表', [
      ['科目编码', '科目名称', '合计'],
      ['201', '一般公共服务支出', 1537.72],
    ]);
    expect(analyzeSheet(g)).toEqual({ tables: [], findings: [] });
    expect(analyzeWorkbook({ sheets: [] }).summary).toEqual({ tables: 0, errors: 0, warnings: 0, infos: 0 });
  });

  it('takes the year from the title, else from the workbook', () => {
    const b = new SheetBuilder('y');
    writeSelfEval(b, {
      name: 'x',
      year: null,
      funds: { initial: 1, budget: 1, executed: 1 },
      indicators: standardIndicators(),
    });
    const wb = { fileName: '2023年自评.xlsx', sheets: [b.grid()] };
    expect(workbookYear(wb)).toBe(2023);
    expect(analyzeWorkbook(wb).tables[0].year).toBe(2023);
  });

  it('#REF! and other errors in cells read as text, never a crash', () => {
    const t = run(
      { funds: { initial: 10, budget: { error: '#REF!' }, executed: 10 } },
      { 0: { actual: { error: '#DIV/0!' } } },
    );
    expect(t.funds!.rate).toBeNull();
    expect(t.totalScore).toBeNull();
  });
});

describe('completion tables (绩效指标完成情况)', () => {
  it('are found by 预期指标值 / 实际完成指标值, carry no scores, and get the value rules', () => {
    const g = SheetGrid.fromValues('完成情况', [
      ['2025年度绩效指标完成情况表'],
      ['一级指标', '二级指标', '三级指标', '预期指标值', '实际完成指标值'],
      ['产出指标', '数量指标', '帮扶人数', '≥100人', '130人'],
      [null, '质量指标', '帮扶准确率', '100%', '100%'],
      ['效益指标', '社会效益指标', '生活改善', '有所提升', '完成'],
      ['满意度指标', '服务对象满意度指标', '满意度', '≥90%', '30户'],
    ]);
    const t = analyzeSheet(g, {}).tables[0];
    expect(t).toMatchObject({ kind: 'completion', funds: null, totalScore: null, grade: null, year: 2025, edits: [] });
    expect(t.indicators.map((i) => [i.level1, i.target, i.actual, i.score])).toEqual([
      ['产出指标', '≥100人', '130人', null],
      ['产出指标', '100%', '100%', null],
      ['效益指标', '有所提升', '完成', null],
      ['满意度指标', '≥90%', '30户', null],
    ]);
    expect(t.findings.map((f) => `${f.code} ${f.cell}`)).toEqual(['C08 E3', 'V11 E6']);
  });
});

describe('table range', () => {
  it('a form pasted below unrelated data starts at its own title', () => {
    const b = new SheetBuilder('粘贴');
    for (let r = 0; r < 100; r++) b.set(r, 0, `数据${r}`).set(r, 1, r * 3.5);
    writeSelfEval(
      b,
      { name: '粘贴的项目', funds: { initial: 1, budget: 1, executed: 1 }, indicators: standardIndicators() },
      110,
    );
    const t = analyzeSheet(b.grid(), {}).tables[0];
    expect(t.range).toBe('A111:J129');
    expect(t.year).toBe(2025);
    expect(t.totalScore).toBe(100);
  });
  it('a title separated from its labels by one blank row still belongs to the table', () => {
    const b = new SheetBuilder('空行');
    b.set(0, 0, '无关的一行');
    writeSelfEval(
      b,
      { name: '项目', funds: { initial: 1, budget: 1, executed: 1 }, indicators: standardIndicators() },
      3,
    );
    // insert a blank row between subtitle (row 5) and 项目名称 (row 6) by shifting the form down from row 5
    const vals = b.values.map((r) => [...(r ?? [])]);
    vals.splice(5, 0, []);
    const merges = b.merges.map((m) => m.replace(/(\d+)/g, (d) => (Number(d) >= 6 ? String(Number(d) + 1) : d)));
    const t = analyzeSheet(SheetGrid.fromValues('空行', vals, merges), {}).tables[0];
    expect(t.range.startsWith('A4:')).toBe(true);
    expect(t.year).toBe(2025);
  });
});

describe('header wording of other provinces', () => {
  it('reads 全年预算数（A）/全年执行数（B）/执行率（B/A）, 指标值, 权重, 自评得分, and a 等级 cell', () => {
    const g = SheetGrid.fromValues(
      '省厅格式',
      [
        ['项目支出绩效自评表'],
        ['2024年度'],
        ['项目名称', '', '乡村文化活动补助'],
        ['主管部门', '', '某省文化厅', '', '', '实施单位', '某县文化馆'],
        [
          '项目资金\n（万元）',
          '',
          '',
          '年初预算数',
          '全年预算数（A）',
          '全年执行数（B）',
          '分值',
          '执行率（B/A）',
          '得分',
        ],
        ['', '', '年度资金总额：', 50, 50, 45, 10, '', ''],
        ['', '', '其中：财政拨款', 50, 50, 45],
        ['一级指标', '二级指标', '三级指标', '指标值', '实际完成值', '权重', '自评得分', '偏差原因分析及改进措施'],
        ['产出指标（50分）', '数量指标', '演出场次', '≥20场次', '22场次', 30, '', ''],
        ['', '质量指标', '观众覆盖率', '≥80%', '85%', 20, '', ''],
        ['效益指标（30分）', '社会效益指标', '群众文化生活', '有所改善', '达成', 30, '', ''],
        ['满意度指标（10分）', '服务对象满意度指标', '群众满意度', '≥90%', '93%', 10, '', ''],
        ['总分', '', '', '', '', 100, '', ''],
        ['评价等级', '', '', '', '', '', '', ''],
      ],
      ['A1:H1', 'A2:H2', 'A5:B7'],
    );
    const t = analyzeSheet(g, {}).tables[0];
    expect(t).toMatchObject({
      kind: 'self-eval',
      name: '乡村文化活动补助',
      year: 2024,
      department: '某省文化厅',
      unit: '某县文化馆',
    });
    expect(t.funds).toMatchObject({ budget: 50, executed: 45, rate: 0.9, score: 9 });
    expect(t.totalScore).toBe(99);
    expect(t.grade).toBe('优');
    expect(t.findings.map((f) => f.code)).toEqual([]);
    const byKind = Object.fromEntries(t.edits.map((e) => [e.kind === 'score' ? e.cell : e.kind, e.cell]));
    expect(byKind).toMatchObject({ rate: 'H6', rateScore: 'I6', total: 'G13', grade: 'B14' });
  });
});

describe('labels with a trailing colon', () => {
  it('项目名称：, 主管部门：, 项目代码 read like the plain labels', () => {
    const b = new SheetBuilder('冒号');
    writeSelfEval(b, {
      name: '冒号项目',
      dept: '某局',
      funds: { initial: 1, budget: 1, executed: 1 },
      indicators: standardIndicators(),
    });
    const vals = b.values.map((r) => [...(r ?? [])]);
    vals[2][0] = '项目名称：';
    vals[3][0] = '主管部门:';
    const t = analyzeSheet(SheetGrid.fromValues('冒号', vals, b.merges), {}).tables[0];
    expect(t).toMatchObject({ name: '冒号项目', department: '某局', totalScore: 100 });
    expect(t.findings).toEqual([]);
  });
});
