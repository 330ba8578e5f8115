import { cellText, chineseNumber, norm, readNumber, splitWeight } from '../../src/domain/text';
import { roundHalfUp, sum2, fmtPct } from '../../src/domain/round';
import {
  completionShare,
  convertTo,
  gradeQualitative,
  hasPlaceholder,
  notMeasurableReason,
  parseValue,
  timeMet,
} from '../../src/domain/values';

describe('label normalisation', () => {
  it.each([
    ['一级\n指标', '一级指标'],
    ['满意度　指标', '满意度指标'],
    ['（10\n分）', '(10分)'],
    ['其中：财政资金', '其中:财政资金'],
    [' 三级 指标 ', '三级指标'],
  ])('%j → %j', (a, b) => expect(norm(a)).toBe(b));

  it('splits a weight off a 一级 label', () => {
    expect(splitWeight('产出指标（20分）')).toEqual({ label: '产出指标', weight: 20 });
    expect(splitWeight('效益指标\n(30 分)')).toEqual({ label: '效益指标', weight: 30 });
    expect(splitWeight('产出指标（20）分')).toEqual({ label: '产出指标', weight: 20 });
    // A range states no weight; the 一级 is still named.
    expect(splitWeight('产出指标（0-20）分')).toEqual({ label: '产出指标', weight: null });
    expect(splitWeight('效益指标（40-50分）')).toEqual({ label: '效益指标', weight: null });
    expect(splitWeight('满意度指标（10～20分）')).toEqual({ label: '满意度指标', weight: null });
    expect(splitWeight('产出指标')).toEqual({ label: '产出指标', weight: null });
    expect(splitWeight('产出指标')).toEqual({ label: '产出指标', weight: null });
  });
});

describe('numbers stored as numbers or text', () => {
  it.each([
    [{ value: ' 6' }, 6, false],
    [{ value: '56.67%' }, 0.5667, true],
    [{ value: '0.63万元' }, 0.63, false],
    [{ value: '１２．５' }, 12.5, false],
    [{ value: 0.25, numFmt: '0%' }, 0.25, true],
    [{ value: '1,234.5' }, 1234.5, false],
  ])('%j', (cell, value, percent) => {
    const n = readNumber(cell)!;
    expect(n.value).toBeCloseTo(value as number, 10);
    expect(n.percent).toBe(percent);
  });

  it('reads nothing from words, errors and blanks', () => {
    expect(readNumber({ value: '完成' })).toBeNull();
    expect(readNumber({ value: { error: '#REF!' } })).toBeNull();
    expect(readNumber(undefined)).toBeNull();
  });

  it('shows percentages and dates as a user reads them', () => {
    expect(cellText({ value: 0.83, numFmt: '0%' })).toBe('83%');
    expect(cellText({ value: 0.1 + 0.2 })).toBe('0.3');
    expect(cellText({ value: 45565, numFmt: 'yyyy-mm-dd' })).toBe('2024年9月30日');
  });
});

describe('rounding as Excel ROUND', () => {
  it.each([
    [1.005, 1.01],
    [2.675, 2.68],
    [9.7613882863, 9.76],
    [9.52380952, 9.52],
    [-1.005, -1.01],
    [0.125, 0.13],
    [99.995, 100],
  ])('ROUND(%p, 2) = %p', (x, y) => expect(roundHalfUp(x, 2)).toBe(y));

  it('sums rounded scores without drift', () => {
    expect(sum2([0.1, 0.2])).toBe(0.3);
    expect(sum2([9.76, 20, 10, 10, 30, 10, 10])).toBe(99.76);
    expect(fmtPct(0.6 / 0.63)).toBe('95.24%');
  });
});

describe('value parser (RULES §2)', () => {
  it.each([
    ['≥40人', '>=', 40, '人'],
    ['>=95%', '>=', 95, '%'],
    ['＞＝90%', '>=', 90, '%'],
    ['不少于3次', '>=', 3, '次'],
    ['不低于95%', '>=', 95, '%'],
    ['大于等于10个', '>=', 10, '个'],
    ['100人以上', '>=', 100, '人'],
    ['>5户', '>', 5, '户'],
    ['超过2场次', '>', 2, '场次'],
    ['≤900元/人', '<=', 900, '元/人'],
    ['不超过20万元', '<=', 20, '万元'],
    ['不高于5%', '<=', 5, '%'],
    ['小于等于30天', '<=', 30, '天'],
    ['控制在20万元以内', '<=', 20, '万元'],
    ['5%以下', '<=', 5, '%'],
    ['<3次', '<', 3, '次'],
    ['低于2%', '<', 2, '%'],
    ['=100%', '=', 100, '%'],
    ['等于12个月', '=', 12, '个月'],
    ['1场次', '>=', 1, '场次'],
    ['≤1年', '<=', 1, '年'],
    ['500元/人/月', '>=', 500, '元/人/月'],
    ['300元/人·次', '>=', 300, '元/人·次'],
  ])('%s', (raw, op, value, unit) => {
    const v = parseValue(raw);
    expect(v).toMatchObject({ kind: 'number', op, value, unit });
  });

  it('takes >= for a bare value, and <= under 成本指标', () => {
    expect(parseValue('100%')).toMatchObject({ op: '>=', explicitOp: false });
    expect(parseValue('40万元', true)).toMatchObject({ op: '<=', explicitOp: false });
    expect(parseValue('≥40万元', true)).toMatchObject({ op: '>=', explicitOp: true });
  });

  it('reads ranges', () => {
    expect(parseValue('5000-25000元/人')).toMatchObject({ kind: 'range', lo: 5000, hi: 25000, unit: '元/人' });
    expect(parseValue('80%~90%')).toMatchObject({ kind: 'range', lo: 80, hi: 90, unit: '%' });
  });

  it('reads a text ending in a number with its unit as quantitative', () => {
    expect(parseValue('帮扶39人')).toMatchObject({ kind: 'number', value: 39, unit: '人', words: '帮扶' });
    expect(parseValue('按年初计划完成劳模服务任务34人')).toMatchObject({ kind: 'number', value: 34, unit: '人' });
  });

  it.each([
    ['当年10月前', null, 10, null, '<='],
    ['12月前', null, 12, null, '<='],
    ['12月31日前完成', null, 12, 31, '<='],
    ['2023年12月31日之前', 2023, 12, 31, '<='],
    ['9月完成', null, 9, null, '='],
    ['2023年11月完成', 2023, 11, null, '='],
    ['10月底前完成', null, 10, null, '<='],
    ['2024年底前完成', 2024, 12, null, '<='],
  ])('time value %s', (raw, year, month, day, op) => {
    expect(parseValue(raw)).toMatchObject({ kind: 'time', point: { year, month, day }, op });
  });

  it.each(['好', '得到提升', '较上年度提升', '有所提升', '市级及以上医院', '按照《管理办法》规定的救助标准'])(
    'qualitative: %s',
    (raw) => expect(parseValue(raw).kind).toBe('text'),
  );

  it('reads empty values', () => {
    expect(parseValue('  ').kind).toBe('empty');
    expect(parseValue(null).kind).toBe('empty');
  });

  it('converts money between 元 and 万元, and refuses 人 vs 户', () => {
    expect(convertTo('元', { value: 0.63, unit: '万元' })).toBeCloseTo(6300, 6);
    expect(convertTo('万元', { value: 6300, unit: '元' })).toBeCloseTo(0.63, 10);
    expect(convertTo('元/人', { value: 0.09, unit: '万元/人' })).toBeCloseTo(900, 6);
    expect(convertTo('人', { value: 3, unit: '户' })).toBeNull();
    expect(convertTo('元/人', { value: 3, unit: '元' })).toBeNull();
    expect(convertTo('天', { value: 3, unit: '日' })).toBe(3);
    expect(convertTo('人', { value: 3, unit: '' })).toBe(3);
  });
});

describe('qualitative grading', () => {
  it.each([
    ['达成年度指标', '有所提升', '达成'],
    ['市人民医院，达成', '市级及以上医院', '达成'],
    ['及时', '及时', '达成'],
    ['已完成', '完成', '达成'],
    ['按计划完成', '12月前', '达成'],
    ['满意', '满意', '达成'],
    ['良好', '好', '达成'],
    ['部分达成', '较上年度提升', '部分达成'],
    ['基本完成', 'x', '部分达成'],
    ['未完成，资金未到位', 'x', '未达成'],
    ['尚未验收', 'x', '未达成'],
    ['未超指标，达标', 'x', '达成'],
  ])('%s against %s → %s', (a, t, g) => expect(gradeQualitative(a, t)).toBe(g));

  it('is not gradable when no clause decides', () => {
    expect(gradeQualitative('按标准执行', '按照《办法》规定的救助标准')).toBeNull();
    expect(gradeQualitative('未超', 'x')).toBeNull();
  });

  it('compares time points with the deadline month inclusive', () => {
    expect(timeMet({ year: null, month: 10, day: null }, { year: null, month: 9, day: null }, 2025)).toBe(true);
    expect(timeMet({ year: null, month: 10, day: null }, { year: null, month: 10, day: 20 }, 2025)).toBe(true);
    expect(timeMet({ year: null, month: 10, day: null }, { year: null, month: 11, day: null }, 2025)).toBe(false);
    expect(timeMet({ year: 2023, month: 12, day: 31 }, { year: 2024, month: 1, day: null }, 2023)).toBe(false);
  });
});

describe('value quality checks', () => {
  it('detects placeholders', () => {
    for (const s of ['**人', 'XX万元', '×××', '＊', '…人', '*人', '≥*%', '人数*']) expect(hasPlaceholder(s)).toBe(true);
    for (const s of ['≥40人', '100%', '≤0.63万元', '≤900元/人*月', '2*3人次']) expect(hasPlaceholder(s)).toBe(false);
  });
  it('detects values that cannot be measured', () => {
    expect(notMeasurableReason('≥100优')).not.toBeNull();
    expect(notMeasurableReason('是否提升')).not.toBeNull();
    expect(notMeasurableReason('是/否')).not.toBeNull();
    expect(notMeasurableReason('≥100人')).toBeNull();
    expect(notMeasurableReason('有所提升')).toBeNull();
  });
});

describe('rounding of extreme values', () => {
  it('never returns NaN for huge or tiny numbers', () => {
    for (const x of [-9999999999999996000, 1e300, -1e21, 1e-300, 5e-324]) expect(Number.isNaN(roundHalfUp(x, 2))).toBe(false);
    expect(roundHalfUp(1e16 + 0.5, 2)).toBe(1e16);
  });
});

describe('rounding fast path agrees with the decimal method', () => {
  it('on 20,000 random and tie-like values', () => {
    const slow = (x: number, d: number) => {
      const [mant, exp] = Math.abs(Number(x.toPrecision(15))).toExponential(14).split('e');
      const r = Number(`${Math.round(Number(`${mant}e${Number(exp) + d}`))}e${-d}`);
      return r === 0 ? 0 : Math.sign(x) * r;
    };
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 20000; i++) {
      const x = i % 2 ? (rnd() - 0.5) * 20000 : Math.round(rnd() * 1e6) / 1000 + 0.005;
      for (const d of [2, 4]) expect(roundHalfUp(x, d)).toBe(slow(x, d));
    }
  });
});

describe('completion status with a share (reading rule 7)', () => {
  it.each([
    ['已完成100%', 1],
    ['完成率95%', 0.95],
    ['完成 80 %', 0.8],
    ['100%完成', 1],
    ['全面完成100%', 1],
    ['100%', null],
    ['完成100人', null],
    ['已完成', null],
  ])('%j → %j', (a, b) => expect(completionShare(a)).toBe(b));
});

describe('Chinese numerals in a score cell (reading rule 9)', () => {
  it.each([
    ['十六', 16],
    ['二十', 20],
    ['十', 10],
    ['五', 5],
    ['九十五', 95],
    ['一百', 100],
    ['一百零五', 105],
    ['一百一十', 110],
    ['七点五', 7.5],
    // ambiguous or no number: not read
    ['一百二', null],
    ['一二', null],
    ['一百十', null],
    ['二十零', null],
    ['点五', null],
    ['待定', null],
    ['', null],
  ])('%j → %j', (a, b) => expect(chineseNumber(a)).toBe(b));
});
