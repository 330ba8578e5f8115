/** V-rules: every indicator value (指标值, 实际完成值). */
import { IndicatorScore } from '../scoring';
import { norm } from '../text';
import { hasPlaceholder, isPercentUnit, moneyUnit, notMeasurableReason } from '../values';
import { defineRule, indicatorName } from './rule';

const NAMED_STANDARD = /标准|规定|办法|定额|文件|《|政策|要求/;
const RATE_NAME = /率|满意度|比例|占比/;
const GROWTH_NAME = /增长|增幅|增加|提高|提升|下降|降低|节约|减少|比上年|较上年/;

/** A target that says something measurable (neither empty, nor a placeholder, nor V03). */
function measurableTarget(x: IndicatorScore): boolean {
  return (
    x.target.kind !== 'empty' && !hasPlaceholder(x.ind.target.text) && notMeasurableReason(x.ind.target.text) === null
  );
}

const isQuantity = (x: IndicatorScore) => x.target.kind === 'number' || x.target.kind === 'range';

export const V01 = defineRule({
  code: 'V01',
  severity: 'error',
  title: '指标值为空',
  why: '指标值（或实际完成值）是绩效目标的核心，留空则目标无法考核，自评时也无从计算得分。',
  fix: '在该单元格填写明确的指标值，如「≥100人」「≥90%」「2025年12月底前」。',
  message: (p: { field: string; name: string }) => `${p.field}为空：${p.name ? `“${p.name}”` : '该指标'}须填写。`,
  indicator({ t }, x, emit) {
    const name = indicatorName(x);
    // Said once (RULES-DECISIONS, reading rule 6): a table without a target column has S01, not a V01 per row.
    if (x.target.kind === 'empty' && t.cols.target !== null) {
      emit(x.ind.target.pos, {
        field: t.kind === 'target' ? '指标值' : t.kind === 'completion' ? '预期指标值' : '年度指标值',
        name,
      });
    }
    if (x.ind.actual && x.actual.kind === 'empty' && t.kind !== 'target' && t.cols.actual !== null)
      emit(x.ind.actual.pos, { field: '实际完成值', name });
  },
  examples: {
    fires: [
      { form: 'target', rows: { 0: { target: null } }, at: 'E10' },
      { form: 'self-eval', rows: { 0: { actual: null } }, says: '实际完成值' },
    ],
    quiet: [
      { form: 'target' },
      { form: 'self-eval' },
      // No 年度指标值 column: S01 says so once, no V01 per row.
      {
        form: 'cells',
        cells: [
          ['一级指标', '二级指标', '三级指标', '实际完成值', '分值'],
          ['产出指标', '数量指标', '人数', '10人', 90],
        ],
      },
    ],
  },
});

export const V02 = defineRule({
  code: 'V02',
  severity: 'error',
  title: '残留占位符',
  why: '单元格中还留着模板或示例的占位文字（如「XX」「***」「请填写」），报送后会被退回。',
  fix: '把占位文字替换为实际内容。',
  message: (p: { field: string; value: string }) => `${p.field}“${p.value}”中残留占位符，请填写实际内容。`,
  indicator(_ctx, x, emit) {
    const ind = x.ind;
    // RULES v2 §4: anywhere in an indicator row — 三级指标, 描述, the value.
    if (hasPlaceholder(ind.level3)) emit({ r: ind.r, c: _ctx.t.cols.level3 }, { field: '三级指标', value: ind.level3 });
    else if (ind.desc && hasPlaceholder(ind.desc) && _ctx.t.cols.desc !== null)
      emit({ r: ind.r, c: _ctx.t.cols.desc }, { field: '指标描述', value: ind.desc });
    if (x.target.kind !== 'empty' && hasPlaceholder(ind.target.text))
      emit(ind.target.pos, { field: '指标值', value: ind.target.text });
    if (ind.actual && x.actual.kind !== 'empty' && hasPlaceholder(ind.actual.text)) {
      emit(ind.actual.pos, { field: '实际完成值', value: ind.actual.text });
    }
  },
  examples: {
    fires: [
      { form: 'target', rows: { 0: { target: '**人' } } },
      { form: 'target', rows: { 0: { l3: '春节慰问劳模人数 **人' } }, says: '三级指标' },
    ],
    quiet: [
      { form: 'target', rows: { 0: { target: '≥40人' } } },
      { form: 'target', rows: { 0: { target: '≤900元/人*月' } } },
    ],
  },
});

export const V03 = defineRule({
  code: 'V03',
  severity: 'warning',
  title: '指标值不可衡量',
  why: '「进一步提高」「有所改善」这类表述无法判断是否完成，绩效目标须可衡量、可考核。',
  fix: '写成明确的数值或可判断的标准，如「≥95%」「不少于3次」「达到国家二级标准」。',
  message: (p: { value: string; reason: string }) =>
    `指标值“${p.value}”不可衡量：${p.reason}。请写成明确的数值或可判断的标准。`,
  indicator(_ctx, x, emit) {
    if (x.target.kind === 'empty' || hasPlaceholder(x.ind.target.text)) return;
    const reason = notMeasurableReason(x.ind.target.text);
    if (reason) emit(x.ind.target.pos, { value: x.ind.target.text, reason });
  },
  examples: {
    fires: [
      { form: 'target', rows: { 0: { target: '≥100优' } } },
      { form: 'target', rows: { 4: { target: '是否提升' } } },
      { form: 'target', rows: { 4: { target: '是/否' } } },
    ],
    quiet: [{ form: 'target' }],
  },
});

export const V04 = defineRule({
  code: 'V04',
  severity: 'warning',
  title: '指标值缺少计量单位',
  why: '只有数字没有单位，无法判断是人、次、万元还是百分比，自评时也无法与实际完成值比较。',
  fix: '在数字后加上计量单位，如「≥200人」「10万元」「≥90%」。',
  message: (p: { value: string }) => `指标值“${p.value}”缺少计量单位（如 人、次、%、万元）。`,
  indicator(_ctx, x, emit) {
    if (measurableTarget(x) && x.target.kind === 'number' && x.target.unit === '')
      emit(x.ind.target.pos, { value: x.ind.target.text });
  },
  examples: {
    fires: [{ form: 'target', rows: { 0: { target: '≥100' } } }],
    quiet: [{ form: 'target', rows: { 0: { target: '≥100次' } } }],
  },
});

export const V05 = defineRule({
  code: 'V05',
  severity: 'warning',
  title: '成本指标不是金额',
  why: '成本指标衡量花了多少钱，应为金额（元、万元、单位成本）或明确的控制标准，否则无法与实际支出比较。',
  fix: '改写为金额或单位成本，如「≤9.9万元」「培训人均成本≤500元」。',
  message: (p: { name: string; value: string }) =>
    `成本指标“${p.name}”的指标值“${p.value}”既不是金额（元/万元、单位成本），也不是明确的标准。`,
  indicator(_ctx, x, emit) {
    // Independent of V03 (reading rule 7): an unmeasurable cost target is also no amount.
    if (x.target.kind === 'empty' || hasPlaceholder(x.ind.target.text) || !x.cost) return;
    const isMoney = isQuantity(x) && moneyUnit((x.target as { unit: string }).unit) !== null;
    if (!isMoney && !NAMED_STANDARD.test(norm(x.ind.target.text)))
      emit(x.ind.target.pos, { name: indicatorName(x), value: x.ind.target.text });
  },
  examples: {
    fires: [
      { form: 'target', rows: { 3: { target: '≥100人' } } },
      // Also where V03 fires: the two say different things.
      { form: 'target', rows: { 3: { target: '≥100优' } } },
    ],
    quiet: [
      { form: 'target', rows: { 3: { target: '按《差旅费管理办法》标准执行' } } },
      { form: 'target', rows: { 3: { target: '≤500元/人' } } },
    ],
  },
});

export const V06 = defineRule({
  code: 'V06',
  severity: 'warning',
  title: '数量指标使用了上限',
  why: '数量指标用「≤」或「<」时，完成得再少也算达标，目标就失去了约束。',
  fix: '把指标值中的「≤/<」改为「≥」，如「≥100人次」，使完成数量不足时不能得满分。',
  message: (p: { name: string; value: string }) =>
    `数量指标“${p.name}”的指标值“${p.value}”使用了“≤/<”：完成数量不足也能得满分，应改为“≥”。`,
  indicator(_ctx, x, emit) {
    const v = x.target;
    if (
      measurableTarget(x) &&
      x.l2Key === '数量' &&
      v.kind === 'number' &&
      v.explicitOp &&
      (v.op === '<=' || v.op === '<')
    ) {
      emit(x.ind.target.pos, { name: indicatorName(x), value: x.ind.target.text });
    }
  },
  examples: {
    fires: [{ form: 'target', rows: { 0: { target: '≤3次' } } }],
    quiet: [{ form: 'target', rows: { 0: { target: '3次' } } }],
  },
});

export const V07 = defineRule({
  code: 'V07',
  severity: 'warning',
  title: '满意度指标不是百分比',
  why: '满意度指标应以调查得到的百分比衡量；写成文字（如「满意」）无法考核。',
  fix: '写成百分比，如「≥90%」，并在自评时填写调查得到的满意率。',
  message: (p: { name: string; value: string }) => `满意度指标“${p.name}”的指标值“${p.value}”不是百分比（如 ≥90%）。`,
  indicator(_ctx, x, emit) {
    if (!measurableTarget(x)) return;
    if (x.l1Key !== '满意度' && !x.l2Key.includes('满意度')) return;
    const pct = isQuantity(x) && isPercentUnit((x.target as { unit: string }).unit);
    if (!pct) emit(x.ind.target.pos, { name: indicatorName(x), value: x.ind.target.text });
  },
  examples: {
    fires: [{ form: 'target', rows: { 5: { target: '满意' } } }],
    quiet: [
      { form: 'target', rows: { 5: { target: '≥90%' } } },
      { form: 'target', rows: { 5: { target: '=99百分比' } } },
    ],
  },
});

export const V08 = defineRule({
  code: 'V08',
  severity: 'warning',
  title: '时效指标年份与表年度不一致',
  why: '时效指标写的年份与表的年度不一致，多半是沿用往年的表没有改，目标会被认为不实。',
  fix: '把时效指标中的年份改为本表年度（或确认本表年度填写正确）。',
  message: (p: { name: string; value: string; valueYear: number; year: number | string }) =>
    `时效指标“${p.name}”的指标值“${p.value}”写的是${p.valueYear}年，而本表为${p.year}年度。`,
  indicator({ t }, x, emit) {
    if (!measurableTarget(x) || (x.l2Key !== '时效' && x.target.kind !== 'time')) return;
    const years = [...norm(x.ind.target.text).matchAll(/(20\d\d|19\d\d)年/g)].map((m) => Number(m[1]));
    const other = years.find((y) => t.year !== null && y !== t.year);
    if (other !== undefined)
      emit(x.ind.target.pos, {
        name: indicatorName(x),
        value: x.ind.target.text,
        valueYear: other,
        year: t.year ?? '',
      });
  },
  examples: {
    fires: [{ form: 'target', rows: { 2: { target: '2025年6月底前完成' } }, says: '2025' }],
    quiet: [{ form: 'target', rows: { 2: { target: '2024年6月底前完成' } } }],
  },
});

export const V09 = defineRule({
  code: 'V09',
  severity: 'warning',
  title: '比率超过100%',
  why: '完成率、覆盖率等比率超过 100% 不合常理，通常是填错了数或把数量当成了比率。',
  fix: '核对后改为不超过 100% 的比率；若确实是数量，请改用数量的单位。',
  message: (p: { name: string; field: string; value: string }) =>
    `“${p.name}”的${p.field}“${p.value}”超过100%，比率不应超过100%。`,
  indicator(_ctx, x, emit) {
    const name = indicatorName(x);
    const nname = norm(name);
    if (!RATE_NAME.test(nname) || GROWTH_NAME.test(nname)) return;
    for (const [field, v, pos] of [
      ['指标值', x.target, x.ind.target.pos],
      ['实际完成值', x.actual, x.ind.actual?.pos],
    ] as const) {
      if (!pos) continue;
      const over =
        (v.kind === 'number' && v.unit === '%' && v.value > 100) ||
        (v.kind === 'range' && v.unit === '%' && v.hi > 100);
      if (over) emit(pos, { name, field, value: v.raw.trim() });
    }
  },
  examples: {
    fires: [{ form: 'target', rows: { 1: { target: '≥110%' } } }],
    quiet: [
      { form: 'target', rows: { 1: { target: '≥95%' } } },
      { form: 'target', rows: { 1: { l3: '培训人数增长率', target: '≥110%' } } },
    ],
  },
});

export const V10 = defineRule({
  code: 'V10',
  severity: 'info',
  title: '实际完成值为文字',
  why: '指标值是数值而实际完成值写成了文字，无法按比例计分，只能按定性判定，得分可能不准确。',
  fix: '在实际完成值中填写实际完成的数值（与指标值同一单位），文字说明可写在偏差原因栏。',
  message: (p: { target: string; actual: string; grade: string }) =>
    `指标值“${p.target}”是数值，实际完成值“${p.actual}”却是文字，已按定性指标判定${p.grade ? `（${p.grade}）` : ''}。建议填写实际完成的数值。`,
  indicator(_ctx, x, emit) {
    if (!x.ind.actual || !isQuantity(x) || x.actual.kind !== 'text') return;
    emit(x.ind.actual.pos, { target: x.ind.target.text, actual: x.ind.actual.text, grade: x.grade ?? '' });
  },
  examples: {
    fires: [{ form: 'self-eval', rows: { 0: { actual: '完成' } } }],
    quiet: [{ form: 'self-eval' }],
  },
});

export const V11 = defineRule({
  code: 'V11',
  severity: 'warning',
  title: '计量单位不一致',
  why: '指标值和实际完成值的单位不同（如「人」与「人次」、「万元」与「元」），无法换算比较，得分无法自动计算。',
  fix: '把两者改为同一计量单位后再填写。',
  message: (p: { target: string; actual: string; tu: string; au: string }) =>
    `指标值“${p.target}”与实际完成值“${p.actual}”的单位不一致（${p.tu} 与 ${p.au}），无法换算比较。`,
  indicator(_ctx, x, emit) {
    if (!x.ind.actual || !x.unitMismatch || x.target.kind === 'empty' || x.actual.kind !== 'number') return;
    const tu = isQuantity(x) ? (x.target as { unit: string }).unit : '';
    emit(x.ind.actual.pos, { target: x.ind.target.text, actual: x.ind.actual.text, tu, au: x.actual.unit });
  },
  examples: {
    fires: [{ form: 'self-eval', rows: { 0: { actual: '30户' } } }],
    quiet: [
      { form: 'self-eval', rows: { 3: { actual: '0.048万元/人' } } },
      // A completion status with a share is graded, not compared by unit (reading rule 7).
      { form: 'self-eval', rows: { 0: { actual: '已完成100%' } } },
    ],
  },
});

export const VALUE_RULES = [V01, V02, V03, V04, V05, V06, V07, V08, V09, V10, V11];
