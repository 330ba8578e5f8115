/**
 * Reading rules of RULES v2 §1.2 on small forms laid out as provinces lay them out: a two-row header with the
 * level labels merged over both rows, a name from the title, stacked projects under one header, a header
 * repeated on each printed page.
 */
import { analyzeSheet } from '../../src/domain/engine';
import { SheetGrid } from '../../src/domain/grid';

const read = (rows: (string | number | null)[][], merges: string[] = []) =>
  analyzeSheet(SheetGrid.fromValues('表', rows, merges), { workbookYear: 2023 }).tables;

describe('reading rules', () => {
  it('two-row header: 年度指标值 over 指标性质 | 指标值 | 度量单位, level labels merged over both rows', () => {
    const t = read(
      [
        ['2023年度项目支出绩效自评表'],
        ['项目名称', '某项目'],
        ['项目资金（万元）', null, '年初预算数', '全年预算数', '全年执行数', '分值', '执行率', '得分'],
        [null, '年度资金总额', 10, 10, 9, 10, '90%', 9],
        ['一级指标', '二级指标', '三级指标', '年度指标值', null, null, '实际完成值', '分值', '得分', '偏差原因分析及改进措施'],
        [null, null, null, '指标性质', '指标值', '度量单位', null, null, null, null],
        ['产出指标', '数量指标', '人数', '≥', 100, '人', '100人', 50, 50],
        ['效益指标', '社会效益指标', '效果', null, '明显', null, '明显', 30, 30],
        ['满意度指标', '服务对象满意度指标', '满意度', '≥', 90, '%', '95%', 10, 10],
        ['总分', null, null, null, null, null, null, 100, 99],
      ],
      ['A5:A6', 'B5:B6', 'C5:C6', 'D5:F5', 'G5:G6', 'H5:H6', 'I5:I6', 'J5:J6', 'A3:A4'],
    );
    expect(t).toHaveLength(1);
    expect(t[0].indicators.map((x) => x.target)).toEqual(['≥100人', '明显', '≥90%']);
    expect(t[0].totalScore).toBe(99);
    expect(t[0].findings).toEqual([]);
  });

  it('a table without 项目名称 is named by its title without the form words; a 项目名称 inside the grid starts the next project', () => {
    const t = read([
      ['困难职工帮扶专项预算项目绩效指标完成情况'],
      ['一级指标', '二级指标', '三级指标', '年度指标值', '全年完成值', '未完成原因'],
      ['产出指标', '数量指标', '帮扶人数', '≥100人', '100人'],
      ['效益指标', '社会效益指标', '效果', '明显', '明显'],
      ['满意度指标', '服务对象满意度指标', '满意度', '≥90%', '95%'],
      [],
      ['项目名称', '劳模慰问'],
      ['产出指标', '数量指标', '慰问人数', '≥50人', '52人'],
      ['效益指标', '社会效益指标', '效果', '明显', '明显'],
      ['满意度指标', '服务对象满意度指标', '满意度', '≥90%', '96%'],
    ]);
    expect(t.map((x) => [x.kind, x.name, x.range, x.indicators.length])).toEqual([
      ['completion', '困难职工帮扶专项预算项目', 'A1:F5', 3],
      ['completion', '劳模慰问', 'A7:F10', 3],
    ]);
    expect(t.flatMap((x) => x.findings)).toEqual([]);
  });

  it('a header repeated at the top of each printed page continues the grid', () => {
    const header = ['一级指标', '二级指标', '三级指标', '指标值'];
    const t = read([
      ['项目名称', '某项目'],
      header,
      ['产出指标', '数量指标', '人数', '≥100人'],
      ['产出指标', '质量指标', '合格率', '≥95%'],
      header,
      ['效益指标', '社会效益指标', '效果', '明显'],
      ['满意度指标', '服务对象满意度指标', '满意度', '≥90%'],
    ]);
    expect(t).toHaveLength(1);
    expect(t[0].indicators.map((x) => x.level3)).toEqual(['人数', '合格率', '效果', '满意度']);
    expect(t[0].findings.map((f) => f.code)).toEqual([]);
  });
});

/** A target table's indicator header and one row under each standard 一级, for the reading-rule tests below. */
const TARGET_INDICATORS = [
  ['一级指标', '二级指标', '三级指标', '指标值'],
  ['产出指标', '数量指标', '服务人次', '≥4000人次'],
  ['成本指标', '经济成本指标', '人均服务成本', '≤250元/人次'],
  ['效益指标', '社会效益指标', '居民获得感', '有所提升'],
  ['满意度指标', '服务对象满意度指标', '居民满意度', '≥90%'],
];

describe('reading rule 2: operator and direction columns, numbers in the unit column', () => {
  const t = read([
    ['项目名称', '测试项目'],
    ['一级指标', '二级指标', '三级指标', '指标方向', '计算符号', '指标值', '度量单位'],
    ['产出指标', '数量指标', '检查次数', '正向', '=', '8', '次'],
    ['产出指标', '数量指标', '培训人数', '正向', null, '100', '人'],
    ['产出指标', '质量指标', '合格率', null, '≥', '95', '%'],
    ['成本指标', '经济成本指标', '人均成本', '反向', '≤', '500', '元/人'],
    ['效益指标', '社会效益指标', '受益人数', '正向', '≥', '300', 2023],
    ['效益指标', '社会效益指标', '服务户数', '正向', '≥', '40', '2023年'],
    ['满意度指标', '服务对象满意度指标', '满意度', '正向', '≥', '90', '%'],
  ])[0];
  const target = (l3: string) => t.indicators.find((i) => i.level3 === l3)!.target;
  it('the symbol column wins over the direction column', () => {
    expect(target('检查次数')).toBe('=8次');
    expect(target('人均成本')).toBe('≤500元/人');
  });
  it('the direction column counts where the symbol column is blank, and the other way round', () => {
    expect(target('培训人数')).toBe('≥100人');
    expect(target('合格率')).toBe('≥95%');
  });
  it('a number or a date in the unit column is never glued onto the value', () => {
    expect(target('受益人数')).toBe('≥300');
    expect(target('服务户数')).toBe('≥40');
  });
});

describe('reading rules 1 and 5: glosses, the year budget, a 中期 block beside a 年度 block', () => {
  const rows = (budgetLabel: string) => [
    ['项目支出绩效目标申报表'],
    ['（2024年度）'],
    ['项目名称', '社区服务提升项目'],
    ['项目资金（万元）', '中期资金总额：', 300, null, budgetLabel, 100],
    [null, '其中：财政拨款', 250, null, '其中：财政拨款', 80],
    [null, '其它资金', 50, null, '其它资金', 20],
    ['总体目标', '中期目标（2024年－2026年）', null, null, '年度目标'],
    [null, '三年服务居民1万人次', null, null, '服务居民4000人次'],
    ['绩效指标', '一级指标', '二级指标', '三级指标', '指标值', '二级指标', '三级指标', '指标值'],
    [null, '产出指标', '数量指标（必填）', '服务人次', '≥10000人次', '数量指标（必填）', '服务人次', '≥4000人次'],
    [null, '产出指标', '质量指标', '服务合格率', '≥95%', '质量指标', '服务合格率', '≥95%'],
    [null, '产出指标', '时效指标', '完成时间', '2026年12月底前', '时效指标', '完成时间', '2024年12月底前'],
    [null, '成本指标', '经济成本指标（或单位成本指标）', '人均服务成本', '≤300元/人次', '经济成本指标（或单位成本指标）', '人均服务成本', '≤250元/人次'],
    [null, '效益指标', '社会效益指标', '居民获得感', '明显提升', '社会效益指标', '居民获得感', '有所提升'],
    [null, '满意度指标', '服务对象满意度指标', '居民满意度', '≥90%', '服务对象满意度指标', '居民满意度', '≥90%'],
  ];
  const merges = ['A1:H1', 'A2:H2', 'B3:H3', 'A4:A6', 'A7:A8', 'B7:D7', 'E7:H7', 'B8:D8', 'E8:H8', 'A9:A15'];
  it.each(['年度资金总额：', '本年度申请预算资金（万元）'])('reads the 年度 block and its own 其中 amounts (%s)', (label) => {
    const [t] = read(rows(label), merges);
    expect(t.kind).toBe('target');
    expect(t.indicators.map((i) => i.target)).toEqual(['≥4000人次', '≥95%', '2024年12月底前', '≤250元/人次', '有所提升', '≥90%']);
    expect(t.indicators.map((i) => i.level2)).toContain('数量指标');
    expect(t.indicators.map((i) => i.level2)).toContain('经济成本指标');
    // No F01 from a 中期 其中 amount, no V08 from the 中期 deadline, no S03 from a gloss.
    expect(t.findings.map((f) => f.code)).toEqual([]);
  });
});

describe('reading rule 5: one target column per area', () => {
  const rows = [
    ['2024年度区域绩效目标表'],
    ['一级指标', '二级指标', '三级指标', '指标方向', '指标值', null, null, '度量单位'],
    [null, null, null, null, '市本级', '甲县', '乙县', null],
    ['产出指标', '数量指标', '培训人数', '正向', 100, 50, 30, '人'],
    ['产出指标', '质量指标', '合格率', '正向', 95, 95, 90, '%'],
    ['成本指标', '经济成本指标', '人均成本', '反向', 500, 450, 400, '元/人'],
    ['效益指标', '社会效益指标', '就业率', '正向', 80, 75, 70, '%'],
    ['满意度指标', '服务对象满意度指标', '满意度', '正向', 90, 90, 90, '%'],
  ];
  it('reads one table per area, each with its own targets and no finding', () => {
    const ts = read(rows, ['A2:A3', 'B2:B3', 'C2:C3', 'D2:D3', 'E2:G2', 'H2:H3']);
    expect(ts.map((t) => t.name)).toEqual(['区域（市本级）', '区域（甲县）', '区域（乙县）']);
    expect(ts.map((t) => t.indicators[0].target)).toEqual(['≥100人', '≥50人', '≥30人']);
    expect(ts[2].indicators[2].target).toBe('≤400元/人');
    expect(ts.flatMap((t) => t.findings)).toEqual([]);
  });
  it('with the place names in the header itself and no 指标值 label it says once what is missing', () => {
    const flat = [rows[0], ['一级指标', '二级指标', '三级指标', '指标方向', '市本级', '甲县', '乙县', '度量单位'], ...rows.slice(3)];
    const ts = read(flat);
    expect(ts).toHaveLength(1);
    expect(ts[0].findings.map((f) => f.code)).toEqual(['S01']);
  });
});

describe('reading rule 1: a label that names its own unit', () => {
  it('a target form: 年度金额（万元） with 其中：中央补助（元） reads the one amount in 元', () => {
    const [t] = read([
      ['项目支出绩效目标表'],
      ['项目名称', '社区服务提升项目'],
      ['年度金额（万元）：', 100],
      ['其中：中央补助（元）：', 800000],
      ['其他资金（万元）：', 20],
      ...TARGET_INDICATORS,
    ]);
    expect(t.findings).toEqual([]);
  });
  it('预算数（元） with bare 财政资金 and 其他资金 under it: all three in 元', () => {
    const [t] = read([
      ['项目支出绩效目标表'],
      ['项目名称', '社区服务提升项目'],
      ['预算数（元）', 1000000],
      ['财政资金', 800000],
      ['其他资金', 200000],
      ...TARGET_INDICATORS,
    ]);
    expect(t.findings).toEqual([]);
  });
  it('a self-evaluation block in 万元 with one 其中 row in 元', () => {
    const [t] = read([
      ['项目支出绩效自评表'],
      ['项目名称', '某项目'],
      ['项目资金（万元）', null, '年初预算数', '全年预算数', '全年执行数', '分值', '执行率', '得分'],
      [null, '年度资金总额', 10, 10, 9, 10, null, null],
      [null, '其中：当年财政拨款（元）', 100000, 100000, 90000],
      ['一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分'],
      ['产出指标', '数量指标', '培训人数', '≥100人', '100人', 30, null],
      ['成本指标', '经济成本指标', '人均成本', '≤500元/人', '450元/人', 20, null],
      ['效益指标', '社会效益指标', '技能提升', '有效提升', '已完成', 30, null],
      ['满意度指标', '服务对象满意度指标', '满意度', '≥90%', '95%', 10, null],
    ]);
    expect(t.findings.filter((f) => f.code.startsWith('F0') && f.code !== 'F07').map((f) => f.message)).toEqual([]);
    expect(t.funds!.budget).toBe(10);
  });
});

describe('reading rule 8: the name from a title, whatever form word it ends with', () => {
  it.each([
    ['2024年度职工帮扶项目支出绩效评价表', '职工帮扶'],
    ['社区服务提升项目绩效目标批复表', '社区服务提升项目'],
    ['某某专项资金绩效目标审批表', '某某专项资金'],
    ['困难职工帮扶专项预算项目绩效指标完成情况', '困难职工帮扶专项预算项目'],
    ['城市书房运营项目绩效目标审核表', '城市书房运营项目'],
  ])('%s → %s', (title, name) => {
    const [t] = read([
      [title],
      ['（2024年度）'],
      ...TARGET_INDICATORS,
    ]);
    expect(t.name).toBe(name);
  });
});
