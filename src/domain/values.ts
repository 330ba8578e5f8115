/**
 * The indicator value parser (RULES §2): operators, numbers with units, ranges, time values, qualitative
 * text, and the grading of qualitative actual values.
 */
import { norm } from './text';

export type Op = '>=' | '>' | '<=' | '<' | '=';

export interface TimePoint {
  /** Explicit year, or null (`当年`, or none written). */
  year: number | null;
  month: number;
  /** Day of month, or null when only the month is given (`10月底` counts as the month's end). */
  day: number | null;
}

interface Base {
  raw: string;
}

export type ParsedValue =
  | (Base & { kind: 'empty' })
  | (Base & {
      kind: 'number';
      op: Op;
      /** False when the operator was implied (bare value). */
      explicitOp: boolean;
      value: number;
      unit: string;
      /** Words before the number (`帮扶39人` → `帮扶`). */
      words: string;
    })
  | (Base & { kind: 'range'; lo: number; hi: number; unit: string; words: string })
  | (Base & { kind: 'time'; op: Op; point: TimePoint; explicitYear: boolean })
  | (Base & { kind: 'text'; text: string });

export type NumberValue = Extract<ParsedValue, { kind: 'number' }>;

const PREFIX_OPS: [string, Op][] = [
  ['大于等于', '>='],
  ['小于等于', '<='],
  ['不少于', '>='],
  ['不低于', '>='],
  ['不多于', '<='],
  ['不超过', '<='],
  ['不高于', '<='],
  ['不大于', '<='],
  ['不小于', '>='],
  ['控制在', '<='],
  ['至少', '>='],
  ['最多', '<='],
  ['达到', '>='],
  ['≥', '>='],
  ['>=', '>='],
  ['=>', '>='],
  ['≧', '>='],
  ['≤', '<='],
  ['<=', '<='],
  ['=<', '<='],
  ['≦', '<='],
  ['大于', '>'],
  ['超过', '>'],
  ['高于', '>'],
  ['>', '>'],
  ['小于', '<'],
  ['低于', '<'],
  ['<', '<'],
  ['等于', '='],
  ['=', '='],
];

const SUFFIX_OPS: [string, Op][] = [
  ['及以上', '>='],
  ['以上', '>='],
  ['及以下', '<='],
  ['以下', '<='],
  ['以内', '<='],
  ['之内', '<='],
];

/** Units a quantitative value may carry; longer first so `人次` wins over `人`. */
const KNOWN_UNITS = [
  '个百分点',
  '人·次',
  '人次',
  '场次',
  '户次',
  '个月',
  '工作日',
  '平方米',
  '立方米',
  '公里',
  '千米',
  '小时',
  '万人',
  '亿元',
  '万元',
  '千元',
  '元',
  '%',
  '‰',
  '人',
  '户',
  '个',
  '次',
  '场',
  '家',
  '项',
  '名',
  '台',
  '套',
  '件',
  '册',
  '份',
  '期',
  '批',
  '所',
  '座',
  '米',
  '亩',
  '吨',
  '天',
  '日',
  '年',
  '月',
  '周',
  '篇',
  '条',
  '部',
  '本',
  '辆',
  '处',
  '支',
  '队',
  '班',
  '课时',
  '学时',
  '人天',
  '张',
  '棵',
  '株',
  '头',
  '只',
  '分',
  '元/人',
];

const NUM = '(\\d+(?:\\.\\d+)?)';
const RANGE_RE = new RegExp(`^(\\D*?)${NUM}([^\\d\\-~～—–至到]{0,4})[-~～—–至到]{1,2}${NUM}(.*)$`);
const NUMBER_RE = new RegExp(`^(.*?)${NUM}([^\\d]*)$`);

/** A value's unit: known units, compound units (`元/人/月`, `元/人·次`), or a short unknown tail. */
function unitLike(s: string): boolean {
  if (s === '') return true;
  if (/\d/.test(s)) return false;
  const parts = s.split('/');
  return parts.every((p) => p.length > 0 && p.length <= 4) && s.length <= 10;
}

/** `当年10月前`, `12月31日前完成`, `2023年12月31日之前`, `9月完成`, `10月底前完成`, `2024年底前`. */
function parseTime(s: string): { point: TimePoint; explicitYear: boolean; op: Op } | null {
  const m =
    /^(?:(?:当年|本年|今年|年内)?)(?:(\d{4})年(?:度)?)?(?:(\d{1,2})月(?:份)?(?:(\d{1,2})[日号]|(底|末|中旬|上旬|下旬|初))?)(.*)$/.exec(
      s,
    );
  let year: number | null = null;
  let month: number;
  let day: number | null = null;
  let rest: string;
  if (m && m[2]) {
    year = m[1] ? Number(m[1]) : null;
    month = Number(m[2]);
    if (m[3]) day = Number(m[3]);
    else if (m[4] === '上旬') day = 10;
    else if (m[4] === '中旬') day = 20;
    else if (m[4] === '初') day = 5;
    rest = m[5];
  } else {
    const y = /^(\d{4})年(?:度)?(底|末)?(.*)$/.exec(s);
    if (!y) return null;
    if (!y[2] && !/^(前|之前|以前|内|之内|完成)/.test(y[3])) return null;
    year = Number(y[1]);
    month = 12;
    rest = y[3];
  }
  if (month < 1 || month > 12 || (day !== null && (day < 1 || day > 31))) return null;
  // What may follow a time point: a deadline word and/or a completion word, nothing else substantial.
  if (
    !/^(前|之前|以前|底前|前后|内|之内|以内)?(全部|全面|按时|基本)?(完成|发放完毕|完毕|发放|支付|拨付|实施|执行|启动|开展|结束)?(工作|任务)?$/.test(
      rest,
    )
  ) {
    return null;
  }
  const op: Op = /^(前|之前|以前|底前|内|之内|以内)/.test(rest) ? '<=' : '=';
  return { point: { year, month, day }, explicitYear: year !== null, op };
}

/** Memo per context (plain / under 成本指标), keyed by the cell's own string so its hash is computed once. */
const parsed: [Map<string, ParsedValue>, Map<string, ParsedValue>] = [new Map(), new Map()];

/**
 * Parses one indicator value (指标值, 年度指标值 or 实际完成值). Forms repeat the same values (`100%`,
 * `≥90%`) endlessly, so results are memoised; they are shared and must not be mutated.
 */
export function parseValue(raw: string | null | undefined, underCost = false): ParsedValue {
  const memo = parsed[underCost ? 1 : 0];
  const key = raw ?? '';
  let v = memo.get(key);
  if (v === undefined) {
    v = Object.freeze(parseValueUncached(raw, underCost)) as ParsedValue;
    if (memo.size >= 20_000) memo.clear();
    memo.set(key, v);
  }
  return v;
}

function parseValueUncached(raw: string | null | undefined, underCost: boolean): ParsedValue {
  const r = raw ?? '';
  // RULES §2: `≧ ≦ ═ ﹦ ＝` are `≥ ≤ =`; `百分比` after a number is `%`.
  const s = norm(r)
    .replace(/,(?=\d{3})/g, '')
    .replace(/[═﹦]/g, '=')
    .replace(/≧/g, '≥')
    .replace(/≦/g, '≤')
    .replace(/(\d)百分比/g, '$1%');
  if (s === '') return { kind: 'empty', raw: r };

  const t = parseTime(s);
  if (t) return { kind: 'time', raw: r, op: t.op, point: t.point, explicitYear: t.explicitYear };

  // Range: `5000-25000元/人`, `80%~90%`
  const rg = RANGE_RE.exec(s);
  if (rg && !/^[≥≤<>=]/.test(rg[1]) && unitLike(rg[5])) {
    const unit = rg[5] || rg[3];
    const lo = Number(rg[2]);
    const hi = Number(rg[4]);
    if (lo <= hi && (rg[3] === '' || rg[3] === unit)) {
      return { kind: 'range', raw: r, lo, hi, unit, words: rg[1] };
    }
  }

  // Number with operator and unit: [words][op]number[unit][suffix op]
  let body = s;
  let op: Op | null = null;
  let words = '';
  for (const [w, o] of SUFFIX_OPS) {
    if (body.endsWith(w)) {
      op = o;
      body = body.slice(0, -w.length);
      break;
    }
  }
  const m = NUMBER_RE.exec(body);
  if (m) {
    let pre = m[1];
    const unit = m[3];
    // 控制在20万元以内 → op from 控制在 (already <= from 以内)
    for (const [w, o] of PREFIX_OPS) {
      if (pre.endsWith(w)) {
        op = op ?? o;
        pre = pre.slice(0, -w.length);
        break;
      }
    }
    words = pre;
    // A dangling sign or digit in the words means this is not one value (`1.5-2`, `第3批100人`).
    if (!/\d/.test(words) || /年|月/.test(words)) {
      if (unitLike(unit)) {
        const explicitOp = op !== null;
        return {
          kind: 'number',
          raw: r,
          op: op ?? (underCost ? '<=' : '>='),
          explicitOp,
          value: Number(m[2]),
          unit,
          words,
        };
      }
      // Unit followed by a grade word or more text: keep the unit prefix if known (`≥100优` → unit '', tail '优').
      const known = KNOWN_UNITS.find((u) => unit.startsWith(u));
      if (known !== undefined || unit.length <= 3) {
        return {
          kind: 'number',
          raw: r,
          op: op ?? (underCost ? '<=' : '>='),
          explicitOp: op !== null,
          value: Number(m[2]),
          unit,
          words,
        };
      }
    }
  }
  return { kind: 'text', raw: r, text: s };
}

// ---------------------------------------------------------------------------------------------------
// Units

export interface MoneyUnit {
  /** Factor to 元. */
  factor: number;
  /** What follows the money unit (`/人`, `/人/月`), '' for a plain amount. */
  per: string;
}

export function moneyUnit(unit: string): MoneyUnit | null {
  const m = /^(亿元|万元|千元|元)(\/.+)?$/.exec(unit);
  if (!m) return null;
  const factor = m[1] === '亿元' ? 1e8 : m[1] === '万元' ? 1e4 : m[1] === '千元' ? 1e3 : 1;
  return { factor, per: (m[2] ?? '').replace(/·/g, '') };
}

const UNIT_SYNONYMS: Record<string, string> = {
  日: '天',
  个月: '月',
  人·次: '人次',
  场: '场次',
  '％': '%',
};

function canonicalUnit(u: string): string {
  return UNIT_SYNONYMS[u] ?? u;
}

/**
 * Converts `b` into `a`'s unit so that the two numbers compare. Returns null when the units differ and do
 * not convert (`人` vs `户`). An empty unit on either side takes the other's.
 */
export function convertTo(aUnit: string, b: { value: number; unit: string }): number | null {
  if (aUnit === b.unit || aUnit === '' || b.unit === '') return b.value;
  const ma = moneyUnit(aUnit);
  const mb = moneyUnit(b.unit);
  if (ma && mb) {
    if (ma.per !== mb.per) return null;
    return (b.value * mb.factor) / ma.factor;
  }
  if (canonicalUnit(aUnit) === canonicalUnit(b.unit)) return b.value;
  return null;
}

export function isPercentUnit(unit: string): boolean {
  return unit === '%' || unit === '个百分点';
}

// ---------------------------------------------------------------------------------------------------
// Qualitative grading

export type Grade = '达成' | '部分达成' | '未达成';

const SUCCESS_PREFIXES = ['全面完成', '按时完成', '按计划完成', '提前完成', '已完成', '达成', '完成', '达标'];
const SUCCESS_WORDS = ['满意', '是', '好', '良好'];
const PARTIAL_PREFIXES = ['部分', '基本'];
const FAIL_PREFIXES = ['未完成', '未达成', '未达到', '没有完成', '尚未'];

/** Grades a qualitative actual value against its target; null when no clause decides. */
const graded = new Map<string, Map<string, Grade | null>>();

export function gradeQualitative(actual: string, target: string): Grade | null {
  let byTarget = graded.get(actual);
  if (byTarget === undefined) {
    if (graded.size >= 20_000) graded.clear();
    byTarget = new Map();
    graded.set(actual, byTarget);
  }
  let g = byTarget.get(target);
  if (g === undefined) {
    g = gradeUncached(actual, target);
    byTarget.set(target, g);
  }
  return g;
}

function gradeUncached(actual: string, target: string): Grade | null {
  const tgt = norm(target);
  const clauses = norm(actual)
    .split(/[，,、；;。]/)
    .filter((c) => c !== '');
  for (const c of clauses) {
    if (tgt !== '' && c === tgt) return '达成';
    if (FAIL_PREFIXES.some((p) => c.startsWith(p))) return '未达成';
    if (PARTIAL_PREFIXES.some((p) => c.startsWith(p))) return '部分达成';
    if (SUCCESS_PREFIXES.some((p) => c.startsWith(p)) || SUCCESS_WORDS.includes(c)) return '达成';
  }
  return null;
}

/**
 * The share of the target an actual states it completed (`已完成100%`, `完成率95%`, `100%完成`), as a fraction;
 * null when the actual is no such status. Such an actual is a status, not a quantity in `%` (reading rule 7): it is
 * never compared by unit with a `人`/`次` target.
 */
export function completionShare(actual: string): number | null {
  const s = norm(actual);
  const m =
    /^(?:已经?|已全部|全部|全面|按计划|按期|累计)?完成(?:了|率|比例|进度)?(?:为|达到?|达)?(\d+(?:\.\d+)?)[%％]$/.exec(s) ??
    /^(\d+(?:\.\d+)?)[%％](?:完成|已完成)$/.exec(s);
  return m ? Number(m[1]) / 100 : null;
}

/** Actual values that say a time indicator was met without naming a date. */
export function isOnTimeWord(actual: string): boolean {
  const s = norm(actual);
  return /^(按时完成|按计划完成|提前完成|按期完成|如期完成|及时完成)/.test(s);
}

/** Compares two time points; the deadline month is inclusive when no day is given. */
export function timeMet(target: TimePoint, actual: TimePoint, tableYear: number | null): boolean {
  const ty = target.year ?? tableYear ?? 0;
  const ay = actual.year ?? target.year ?? tableYear ?? 0;
  if (ay !== ty) return ay < ty;
  if (actual.month !== target.month) return actual.month < target.month;
  if (target.day === null || actual.day === null) return true;
  return actual.day <= target.day;
}

// ---------------------------------------------------------------------------------------------------
// Value quality checks used by the V-rules

/** Memoises a per-string check (forms repeat their values endlessly). */
function memo<T>(f: (s: string) => T): (s: string) => T {
  const m = new Map<string, T>();
  return (s) => {
    let v = m.get(s);
    if (v === undefined && !m.has(s)) {
      v = f(s);
      if (m.size >= 20_000) m.clear();
      m.set(s, v);
    }
    return v as T;
  };
}

/** V02: a placeholder left in where a number or name should be. */
export const hasPlaceholder = memo(hasPlaceholderUncached);
function hasPlaceholderUncached(raw: string): boolean {
  // A single `*` between two word characters is a product in a unit (`元/人*月`, `2*3`), not a placeholder.
  const s = norm(raw).replace(/([\u4e00-\u9fff0-9A-Za-z])\*(?=[\u4e00-\u9fff0-9A-Za-z])/g, '$1');
  return /\*|[xX]{2,}|×{2,}|…|\.{3,}|＊|□{1,}|○{2,}/.test(s);
}

/** V03: not measurable — grade word glued to a number, a question, or a list of options. */
export const notMeasurableReason = memo(notMeasurableUncached);
function notMeasurableUncached(raw: string): string | null {
  const s = norm(raw);
  if (/是否|[?？]$/.test(s)) return '是一个问句';
  if (/^[^\d/]{1,5}(\/[^\d/]{1,5})+$/.test(s) || /^(是或否|有或无)$/.test(s)) return '是一组选项';
  if (/\d(%|[^\d]{0,3}?)(优秀|良好|优|良|中|差|合格|达标)$/.test(s)) return '把等级词粘在了数字后面';
  return null;
}
