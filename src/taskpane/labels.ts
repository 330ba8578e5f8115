/** Chinese labels and number formatting for the task pane. */
import type { Severity, TableKind, TableResult } from '../domain/types';

export const KIND_LABELS: Record<TableKind, string> = {
  target: '项目支出绩效目标表',
  'self-eval': '项目支出绩效自评表',
  'dept-self-eval': '部门整体支出绩效自评表',
  completion: '绩效指标完成情况表',
};

export const SEVERITY_LABELS: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' };

export const PROFILE_LABELS = { central: '中央标准', hebei: '河北省' } as const;

export const EDIT_STATUS_LABELS = {
  empty: '填入',
  same: '已一致',
  change: '修改',
  formula: '公式，跳过',
  merged: '合并单元格，跳过',
} as const;

export function fmtPercent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(2)}%`;
}

export function fmtScore(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : v.toFixed(2);
}

export function fmtEditValue(v: number | string, numFmt?: string): string {
  if (typeof v === 'string') return v;
  if (numFmt && numFmt.includes('%')) return fmtPercent(v);
  return Number.isInteger(v) && !numFmt ? String(v) : v.toFixed(2);
}

export function counts(t: TableResult): Record<Severity, number> {
  const c = { error: 0, warning: 0, info: 0 };
  for (const f of t.findings) c[f.severity]++;
  return c;
}
