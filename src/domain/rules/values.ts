/** V-rules: every indicator value (指标值, 实际完成值). */
import { levelKey } from '../profiles';
import { isCostIndicator } from '../scoring';
import { norm } from '../text';
import { hasPlaceholder, isPercentUnit, moneyUnit, notMeasurableReason } from '../values';
import { RuleContext } from './catalogue';

const NAMED_STANDARD = /标准|规定|办法|定额|文件|《|政策|要求/;
const RATE_NAME = /率|满意度|比例|占比/;
const GROWTH_NAME = /增长|增幅|增加|提高|提升|下降|降低|节约|减少|比上年|较上年/;

export function valueRules(ctx: RuleContext): void {
  const { t, s, emit } = ctx;
  const scored = t.kind === 'self-eval' || t.kind === 'dept-self-eval';
  for (const x of s.indicators) {
    const ind = x.ind;
    const name = ind.level3 || ind.desc || '';
    const tp = ind.target.pos;
    const tv = ind.target.text;
    const ntv = norm(tv);
    const nname = norm(name);
    const l1 = levelKey(ind.level1);
    const l2 = levelKey(ind.level2);

    // V01 / V02 on the target
    if (x.target.kind === 'empty') {
      emit('V01', tp, { field: t.kind === 'target' ? '指标值' : t.kind === 'completion' ? '预期指标值' : '年度指标值', name });
    } else if (hasPlaceholder(tv)) {
      emit('V02', tp, { field: '指标值', value: tv });
    } else {
      const reason = notMeasurableReason(tv);
      if (reason) emit('V03', tp, { value: tv, reason });
      else if (x.target.kind === 'number' && x.target.unit === '') emit('V04', tp, { value: tv });

      if (isCostIndicator(ind)) {
        const isMoney = (x.target.kind === 'number' || x.target.kind === 'range') && moneyUnit(x.target.unit) !== null;
        if (!isMoney && !NAMED_STANDARD.test(ntv)) emit('V05', tp, { name, value: tv });
      }
      if (l2 === '数量' && x.target.kind === 'number' && x.target.explicitOp && (x.target.op === '<=' || x.target.op === '<')) {
        emit('V06', tp, { name, value: tv });
      }
      if ((l1 === '满意度' || l2.includes('满意度')) && !reason) {
        const pct = (x.target.kind === 'number' || x.target.kind === 'range') && isPercentUnit(x.target.unit);
        if (!pct) emit('V07', tp, { name, value: tv });
      }
      if (l2 === '时效' || x.target.kind === 'time') {
        const years = [...ntv.matchAll(/(20\d\d|19\d\d)年/g)].map((m) => Number(m[1]));
        const other = years.find((y) => t.year !== null && y !== t.year);
        if (other !== undefined) emit('V08', tp, { name, value: tv, valueYear: other, year: t.year ?? '' });
      }
    }

    // V09 on target and actual
    const rateLike = RATE_NAME.test(nname) && !GROWTH_NAME.test(nname);
    if (rateLike) {
      for (const [field, v, pos] of [
        ['指标值', x.target, tp],
        ['实际完成值', x.actual, ind.actual?.pos],
      ] as const) {
        if (!pos) continue;
        const over =
          (v.kind === 'number' && v.unit === '%' && v.value > 100) || (v.kind === 'range' && v.unit === '%' && v.hi > 100);
        if (over) emit('V09', pos, { name, field, value: v.raw.trim() });
      }
    }

    if (!ind.actual) continue;
    const ap = ind.actual.pos;
    const av = ind.actual.text;
    if (x.actual.kind === 'empty') {
      if (scored || t.kind === 'completion') emit('V01', ap, { field: '实际完成值', name });
      continue;
    }
    if (hasPlaceholder(av)) emit('V02', ap, { field: '实际完成值', value: av });
    if ((x.target.kind === 'number' || x.target.kind === 'range') && x.actual.kind === 'text') {
      emit('V10', ap, { target: tv, actual: av, grade: x.grade ?? '' });
    }
    if (x.unitMismatch && x.target.kind !== 'empty' && x.actual.kind === 'number') {
      const tu = x.target.kind === 'number' || x.target.kind === 'range' ? x.target.unit : '';
      emit('V11', ap, { target: tv, actual: av, tu, au: x.actual.unit });
    }
  }
}
