/**
 * 自评结论: one paragraph per table in the register of published self-evaluation reports, built only from
 * the engine's figures and findings.
 *
 *   该项目预算安排6.64万元，实际支出6.64万元，预算执行率100%，得分10分；共设置绩效指标6项，其中5项达到年度
 *   指标值，1项未达到（人均体检费用）；产出指标得分40分，成本指标得分9.76分，效益指标得分30分，满意度指标得分
 *   10分，绩效指标得分89.76分，自评总分99.76分，评价等级为优。经检查，存在以下问题：一是……；二是……。
 *   偏差原因：人均体检费用（年度指标值≤900元/人，实际完成922元/人，得分9.76分，分值10分），未填写偏差原因分析
 *   及改进措施。
 */
import { parseA1 } from '../grid';
import { sum2 } from '../round';
import type { Finding, Indicator, TableResult } from '../types';
import { chineseNumeral, moneyText, percentText, scoreText, stripEndPunct } from './text';

function subject(t: TableResult): string {
  return t.kind === 'dept-self-eval' ? '该部门' : '该项目';
}

function fundsClause(t: TableResult): string {
  const f = t.funds;
  if (!f || (f.budget === null && f.executed === null)) return `${subject(t)}未填报预算执行情况`;
  const parts: string[] = [];
  parts.push(f.budget !== null ? `${subject(t)}预算安排${moneyText(f.budget)}万元` : `${subject(t)}未填报全年预算数`);
  parts.push(f.executed !== null ? `实际支出${moneyText(f.executed)}万元` : '未填报全年执行数');
  if (f.rate !== null) parts.push(`预算执行率${percentText(f.rate)}`);
  if (f.score !== null) parts.push(`得分${scoreText(f.score)}分`);
  return parts.join('，');
}

/** Indicators that scored below their weight, and those without a computed score. */
export function shortfalls(t: TableResult): { below: Indicator[]; unscored: Indicator[]; met: Indicator[] } {
  const below: Indicator[] = [];
  const unscored: Indicator[] = [];
  const met: Indicator[] = [];
  for (const ind of t.indicators) {
    if (ind.score === null) unscored.push(ind);
    else if (ind.weight !== null && ind.score < ind.weight - 1e-9) below.push(ind);
    else met.push(ind);
  }
  return { below, unscored, met };
}

function names(list: Indicator[]): string {
  return list.map((i) => i.level3 || i.level2 || i.level1).join('、');
}

function indicatorClause(t: TableResult): string {
  const n = t.indicators.length;
  if (n === 0) return '未设置绩效指标';
  const { below, unscored, met } = shortfalls(t);
  const scoring = t.kind !== 'completion' && t.kind !== 'target';
  if (!scoring) return `共设置绩效指标${n}项`;
  let s =
    met.length === n
      ? `共设置绩效指标${n}项，全部达到年度指标值`
      : `共设置绩效指标${n}项，其中${met.length}项达到年度指标值`;
  if (below.length) s += `，${below.length}项未达到（${names(below)}）`;
  if (unscored.length) s += `，${unscored.length}项无法自动评分（${names(unscored)}）`;
  return s;
}

/**
 * Per-一级 scores in the order the 一级 first appear (sum of the indicators' rounded scores; a 一级 with an
 * unscored indicator is left out). The report's paragraph and the 自评报告 draft both state these.
 */
export function level1Scores(t: TableResult): { level1: string; score: number }[] {
  const order: string[] = [];
  const groups = new Map<string, Indicator[]>();
  for (const ind of t.indicators) {
    const key = ind.level1 || '其他指标';
    if (!groups.has(key)) {
      groups.set(key, []);
      order.push(key);
    }
    groups.get(key)!.push(ind);
  }
  const out: { level1: string; score: number }[] = [];
  for (const key of order) {
    const list = groups.get(key)!;
    if (list.some((i) => i.score === null)) continue;
    out.push({ level1: key, score: sum2(list.map((i) => i.score as number)) });
  }
  return out;
}

/** 产出指标得分40分，成本指标得分9.76分，… */
function level1Clause(t: TableResult): string {
  return level1Scores(t)
    .map((x) => `${x.level1}得分${scoreText(x.score)}分`)
    .join('，');
}

function totalClause(t: TableResult): string {
  const parts: string[] = [];
  if (t.indicatorScore !== null) parts.push(`绩效指标得分${scoreText(t.indicatorScore)}分`);
  else if (t.indicators.length) parts.push('绩效指标得分因存在未评分指标暂无法确定');
  if (t.totalScore !== null) parts.push(`自评总分${scoreText(t.totalScore)}分`);
  else parts.push('自评总分暂缺');
  if (t.grade) parts.push(`评价等级为${t.grade}`);
  return parts.join('，');
}

/** A finding's message, named by its indicator when the message does not name it already. */
export function findingText(t: TableResult, f: Finding): string {
  const msg = stripEndPunct(f.message);
  const at = parseA1(f.cell);
  const ind = at && f.sheet === t.sheet ? t.indicators.find((i) => i.row === at.r + 1) : undefined;
  const name = ind ? ind.level3 || ind.level2 : '';
  return name && !msg.includes(name) ? `“${name}”${msg}` : msg;
}

function problemsSentence(t: TableResult): string {
  const findings = t.findings;
  const order = { error: 0, warning: 1, info: 2 } as const;
  const problems = findings.filter((f) => f.severity !== 'info').sort((a, b) => order[a.severity] - order[b.severity]);
  const notes = findings.filter((f) => f.severity === 'info');
  const out: string[] = [];
  if (problems.length === 0) out.push('经检查，未发现填报错误或需修改的问题。');
  else {
    const items = problems.map((f, i) => `${chineseNumeral(i + 1)}是${findingText(t, f)}`);
    out.push(`经检查，存在以下问题：${items.join('；')}。`);
  }
  if (notes.length) {
    const items = notes.map((f) => findingText(t, f));
    out.push(`另需关注：${items.join('；')}。`);
  }
  return out.join('');
}

function deviationSentence(t: TableResult): string {
  const { below } = shortfalls(t);
  if (below.length === 0) return '';
  const items = below.map((i) => {
    const facts: string[] = [];
    if (i.target) facts.push(`年度指标值${i.target}`);
    if (i.actual) facts.push(`实际完成${i.actual}`);
    if (i.score !== null) facts.push(`得分${scoreText(i.score)}分`);
    if (i.weight !== null) facts.push(`分值${scoreText(i.weight)}分`);
    const reason = i.deviation && i.deviation.trim() ? stripEndPunct(i.deviation) : '未填写偏差原因分析及改进措施';
    return `${i.level3 || i.level2}（${facts.join('，')}），${reason}`;
  });
  return `偏差原因：${items.join('；')}。`;
}

/** The whole 自评结论 paragraph of one table. */
export function conclusionParagraph(t: TableResult): string {
  if (t.kind === 'target') {
    const head = `项目“${t.name}”共设置绩效指标${t.indicators.length}项。`;
    return head + problemsSentence(t);
  }
  const first: string[] = [];
  if (t.kind !== 'completion') first.push(fundsClause(t));
  first.push(indicatorClause(t));
  let s = first.join('；');
  if (t.kind !== 'completion') {
    const l1 = level1Clause(t);
    s += `；${l1 ? `${l1}，` : ''}${totalClause(t)}。`;
  } else s += '。';
  s += problemsSentence(t);
  s += deviationSentence(t);
  return s;
}
