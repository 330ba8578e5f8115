/**
 * The rule catalogue (RULES §4): every code with its severity, a short Chinese title and its message
 * template. Rule families (structure, values, funds, scores) emit findings through `RuleContext.emit`.
 */
import { a1 } from '../grid';
import { Pos, ParsedTable } from '../model';
import { Profile } from '../profiles';
import { TableScore } from '../scoring';
import { Finding, Severity } from '../types';

type P = Record<string, string | number>;

export interface RuleDef {
  code: string;
  severity: Severity;
  title: string;
  message: (p: P) => string;
}

function def(code: string, severity: Severity, title: string, message: (p: P) => string): RuleDef {
  return { code, severity, title, message };
}

export const CATALOGUE: Record<string, RuleDef> = Object.fromEntries(
  [
    def('S01', 'error', '缺少必需的列或区块', (p) => `识别到${p.kind}，但缺少${p.what}。`),
    def('S02', 'error', '一级指标名称不规范', (p) => `一级指标“${p.name}”不是规范名称，应为：${p.allowed}。`),
    def('S03', 'warning', '二级指标名称不规范', (p) => `二级指标“${p.name}”不是“${p.level1}”下的规范名称${p.suggest ? `，建议改为“${p.suggest}”` : `（规范名称：${p.allowed}）`}。`),
    def('S04', 'warning', '缺少必需的一级指标', (p) => `缺少一级指标“${p.name}”：没有任何指标归入该类。`),
    def('S06', 'warning', '三级指标重复', (p) => `三级指标“${p.name}”在本表中重复出现（另见第${p.other}行）。`),
    def('S07', 'warning', '指标归类错误', (p) => `${p.what}，却列在“${p.level1}”下，应归入“${p.expected}”。`),
    def('V01', 'error', '指标值为空', (p) => `${p.field}为空：${p.name ? `“${p.name}”` : '该指标'}须填写。`),
    def('V02', 'error', '残留占位符', (p) => `${p.field}“${p.value}”中残留占位符，请填写实际内容。`),
    def('V03', 'warning', '指标值不可衡量', (p) => `指标值“${p.value}”不可衡量：${p.reason}。请写成明确的数值或可判断的标准。`),
    def('V04', 'warning', '指标值缺少计量单位', (p) => `指标值“${p.value}”缺少计量单位（如 人、次、%、万元）。`),
    def('V05', 'warning', '成本指标不是金额', (p) => `成本指标“${p.name}”的指标值“${p.value}”既不是金额（元/万元、单位成本），也不是明确的标准。`),
    def('V06', 'warning', '数量指标使用了上限', (p) => `数量指标“${p.name}”的指标值“${p.value}”使用了“≤/<”：完成数量不足也能得满分，应改为“≥”。`),
    def('V07', 'warning', '满意度指标不是百分比', (p) => `满意度指标“${p.name}”的指标值“${p.value}”不是百分比（如 ≥90%）。`),
    def('V08', 'warning', '时效指标年份与表年度不一致', (p) => `时效指标“${p.name}”的指标值“${p.value}”写的是${p.valueYear}年，而本表为${p.year}年度。`),
    def('V09', 'warning', '比率超过100%', (p) => `“${p.name}”的${p.field}“${p.value}”超过100%，比率不应超过100%。`),
    def('V10', 'info', '实际完成值为文字', (p) => `指标值“${p.target}”是数值，实际完成值“${p.actual}”却是文字，已按定性指标判定${p.grade ? `（${p.grade}）` : ''}。建议填写实际完成的数值。`),
    def('V11', 'warning', '计量单位不一致', (p) => `指标值“${p.target}”与实际完成值“${p.actual}”的单位不一致（${p.tu} 与 ${p.au}），无法换算比较。`),
    def('F01', 'error', '预算数与资金来源不符', (p) => `预算数 ≠ 财政资金 + 其他资金：${p.budget} ≠ ${p.fiscal} + ${p.other} = ${p.sum}（万元）。`),
    def('F02', 'error', '资金支出计划递减', (p) => `资金支出计划不应递减：${p.from}为 ${p.a}，${p.to}却为 ${p.b}。`),
    def('F03', 'warning', '12月底支出计划不是100%', (p) => (p.value ? `资金支出计划12月底为 ${p.value}，应为 100%。` : '资金支出计划12月底未填写，应为 100%。')),
    def('F04', 'warning', '支出计划超出0–100%', (p) => `资金支出计划${p.when}为 ${p.value}，应在 0–100% 之间。`),
    def('F05', 'error', '资金总额与分项之和不符', (p) => `年度资金总额的${p.col} ≠ 其中各项之和：${p.total} ≠ ${p.parts} = ${p.sum}（万元）${p.note ?? ''}。`),
    def('F06', 'warning', '执行数超过预算数', (p) => `全年执行数 ${p.executed} 大于全年预算数 ${p.budget}（万元）。`),
    def('F07', 'warning', '预算执行率偏低', (p) => `${p.basis}，低于 ${p.threshold}。请说明原因。`),
    def('F08', 'info', '预算经过调整', (p) => `全年预算数 ${p.budget} ≠ 年初预算数 ${p.initial}（万元），预算在年度中经过调整，请说明调整原因。`),
    def('C01', 'error', '指标分值合计不符', (p) => `指标分值合计 = ${p.expr} = ${p.sum}，应为 ${p.expected}。`),
    def('C02', 'warning', '一级指标分值与所含指标不符', (p) => `一级指标“${p.name}”标注 ${p.stated} 分，所含指标分值合计 = ${p.expr} = ${p.sum}。`),
    def('C03', 'error', '得分超过分值', (p) => `${p.what}得分 ${p.stated} 超过分值 ${p.weight}。`),
    def('C04', 'warning', '得分与计算不符', (p) => `“${p.name}”填报得分 ${p.stated}，按规则应为 ${p.computed}（${p.basis}）。`),
    def('C05', 'error', '总分与计算不符', (p) => `填报总分 ${p.stated}，计算应为 ${p.computed}（${p.expr}）。`),
    def('C06', 'warning', '执行率或其得分与计算不符', (p) => `填报${p.what} ${p.stated}，计算应为 ${p.computed}（${p.basis}）。`),
    def('C07', 'warning', '未达满分却未说明偏差原因', (p) => `“${p.name}”得分 ${p.score}，低于分值 ${p.weight}（${p.basis}），但“偏差原因分析及改进措施”为空。`),
    def('C08', 'info', '指标值可能设置偏低', (p) => `实际完成 ${p.actual} 达到指标值 ${p.target} 的 ${p.ratio} 倍（≥ ${p.factor} 倍）：指标值可能设置偏低，请分析原因并在下年度调整。`),
    def('C09', 'warning', '定性得分超出等级区间', (p) => `“${p.name}”判定为“${p.grade}”，填报得分 ${p.stated} 不在该等级区间 ${p.band} 内，已按 ${p.used} 计分。`),
    def('C10', 'warning', '等级与计算不符', (p) => `填报等级“${p.stated}”，按总分 ${p.total} 应为“${p.computed}”。`),
    def('C11', 'info', '定性指标需人工确认', (p) => `定性指标“${p.name}”需人工确认：${p.detail}`),
  ].map((d) => [d.code, d]),
);

export interface RuleContext {
  t: ParsedTable;
  p: Profile;
  s: TableScore;
  emit: (code: string, pos: Pos, params: P) => void;
}

export const KIND_NAMES: Record<string, string> = {
  target: '项目支出绩效目标表',
  'self-eval': '项目支出绩效自评表',
  'dept-self-eval': '部门整体支出绩效自评表',
  completion: '绩效指标完成情况表',
};

export function makeContext(t: ParsedTable, p: Profile, s: TableScore, out: Finding[]): RuleContext {
  return {
    t,
    p,
    s,
    emit(code, pos, params) {
      const d = CATALOGUE[code];
      if (!d) throw new Error(`unknown rule ${code}`);
      out.push({ code, severity: d.severity, sheet: t.sheet.name, cell: a1(pos.r, pos.c), message: d.message(params) });
    },
  };
}
