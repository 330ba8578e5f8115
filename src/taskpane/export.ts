/** Findings as a table: copied to the clipboard (tab-separated, pastes into Excel) or saved as CSV. */
import { reviewKey, Review } from '../domain/settings';
import type { Finding, WorkbookResult } from '../domain/types';
import { SEVERITY_LABELS } from './labels';

export const EXPORT_HEADER = ['工作表', '单元格', '表格', '级别', '规则', '说明', '复核'];

export function findingRows(result: WorkbookResult, reviews: Map<string, Review>): string[][] {
  const rows: string[][] = [];
  const add = (f: Finding, table: string) => {
    const r = reviews.get(reviewKey(f));
    rows.push([f.sheet, f.cell, table, SEVERITY_LABELS[f.severity], f.code, f.message, r ? `已复核 ${r.by} ${r.at.slice(0, 16).replace('T', ' ')}`.trim() : '']);
  };
  for (const t of result.tables) for (const f of t.findings) add(f, t.name || t.sheet);
  for (const f of result.findings) add(f, '');
  return [EXPORT_HEADER, ...rows];
}

/** Tab-separated, one finding a line (tabs and line breaks inside a cell become spaces). */
export function toTsv(rows: string[][]): string {
  return rows.map((r) => r.map((c) => c.replace(/[\t\r\n]+/g, ' ')).join('\t')).join('\r\n');
}

/** RFC 4180 CSV with a UTF-8 BOM, so Excel opens the Chinese text correctly. */
export function toCsv(rows: string[][]): string {
  const q = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return '\uFEFF' + rows.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
}
