/**
 * PerfSheet's highlights, the same in every host: error and warning cells get a conditional format whose rule
 * formula carries a signature (`=ISTEXT("PerfSheet:error")`, always TRUE), so 「清除标记」 can delete exactly
 * those and nothing else, whichever host added them.
 */
import { parseA1 } from './grid';
import type { Finding } from './types';

export const MARK_SIGNATURE = 'PerfSheet:';
export const MARK_STYLES = {
  error: { fill: '#FFC7CE', font: '#9C0006' },
  warning: { fill: '#FFEB9C', font: '#9C5700' },
} as const;
export type MarkLevel = keyof typeof MARK_STYLES;

export function markFormula(level: MarkLevel): string {
  return `=ISTEXT("${MARK_SIGNATURE}${level}")`;
}

/** Cells to mark on one sheet, by level; a cell with an error is not also marked as a warning. */
export function marksFor(findings: Finding[], sheet: string): Record<MarkLevel, string[]> {
  const errors = new Set<string>();
  const warnings = new Set<string>();
  for (const f of findings) {
    if (f.sheet !== sheet || !parseA1(f.cell)) continue;
    const cell = f.cell.replace(/\$/g, '').toUpperCase();
    if (f.severity === 'error') errors.add(cell);
    else if (f.severity === 'warning') warnings.add(cell);
  }
  for (const c of errors) warnings.delete(c);
  return { error: [...errors], warning: [...warnings] };
}
