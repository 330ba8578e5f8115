/**
 * The vocabulary is data (RULES v2 §1.1): the reader takes every label from it, and a profile can add a
 * province's wording without a code change.
 */
import { analyzeSheet } from '../../src/domain/engine';
import { SheetGrid } from '../../src/domain/grid';
import { BUILTIN_PROFILES, resolveProfile } from '../../src/domain/profiles';
import { BUILTIN_VOCABULARY, extendVocabulary, lexiconOf, VocabularySchema } from '../../src/domain/vocabulary';

const FORM = [
  ['项目支出绩效目标表'],
  ['项目名称', '职工培训'],
  ['一级指标', '二级指标', '具体指标', '指标值'],
  ['产出指标', '数量指标', '培训人数', '≥100人'],
  ['效益指标', '社会效益指标', '技能提升', '有所提升'],
  ['满意度指标', '服务对象满意度指标', '学员满意度', '≥90%'],
];

describe('vocabulary', () => {
  it('the built-in vocabulary validates and has every role of RULES §1.1', () => {
    expect(() => VocabularySchema.parse(BUILTIN_VOCABULARY)).not.toThrow();
    const lex = lexiconOf(BUILTIN_VOCABULARY);
    expect(lex.field('项目（资金）名称')).toBe('name');
    expect(lex.field('*项目名称：')).toBe('name');
    expect(lex.field('其中：财政拨款')).toBe('fiscal');
    expect(lex.column('年度\n指标值')).toBe('target');
    expect(lex.column('指标值类型')).toBe('type'); // exact wins over the prefix 指标值
    expect(lex.column('实际完成值（B）')).toBe('actual');
    expect(lex.funds('全年预算数（A）')).toBe('budget');
    expect(lex.isTotalRow('总  分')).toBe(true);
    expect(lex.isTotalRow('合计发放人数')).toBe(false);
    expect(lex.isSignOff('注：1、其他资金包括…')).toBe(true);
    expect(lex.isSignOff('注册会员人数')).toBe(false);
    expect(lex.nameFromTitle('困难职工帮扶专项预算项目绩效指标完成情况')).toBe('困难职工帮扶专项预算项目');
  });

  it('a wording the built-in vocabulary lacks is not read …', () => {
    expect(analyzeSheet(SheetGrid.fromValues('表', FORM)).tables).toEqual([]);
  });

  it('… and is read once a profile adds one line for it', () => {
    const profile = resolveProfile({ ...BUILTIN_PROFILES.central, id: 'province', vocabulary: { columns: { level3: { exact: ['具体指标'] } } } });
    const t = analyzeSheet(SheetGrid.fromValues('表', FORM), { profile }).tables;
    expect(t).toHaveLength(1);
    expect(t[0].name).toBe('职工培训');
    expect(t[0].indicators.map((x) => x.level3)).toEqual(['培训人数', '技能提升', '学员满意度']);
  });

  it('a malformed vocabulary in a user profile is refused with a Chinese message', () => {
    expect(() => resolveProfile({ ...BUILTIN_PROFILES.central, id: 'bad', vocabulary: { columns: { level9: { exact: ['x'] } } } } as never)).toThrow(/评分规则配置无效/);
  });

  it('extending keeps the built-in labels', () => {
    const v = extendVocabulary(BUILTIN_VOCABULARY, { fields: { name: { exact: ['工程名称'] } } });
    expect(lexiconOf(v).field('工程名称')).toBe('name');
    expect(lexiconOf(v).field('项目名称')).toBe('name');
  });
});
