/**
 * Highlights in WPS: error and warning cells are marked with conditional formats, never by changing the
 * user's fills, exactly as in Excel (src/excel/marks.ts): each format PerfSheet adds carries its signature in
 * the rule formula (`=ISTEXT("PerfSheet:error")`, always TRUE), so 「清除标记」 deletes those and nothing else.
 * A file marked in WPS and opened in Excel (or the other way round) is cleaned by either.
 */
import { MARK_STYLES, MarkLevel, markFormula, MARK_SIGNATURE } from '../domain/marks';
import { bgr, WpsWorksheet, xlExpression } from './api';
import { joinAddresses } from './address';

/** Deletes PerfSheet's conditional formats on the sheet; returns how many (2 calls per format, +1 per delete). */
export function deleteMarks(ws: WpsWorksheet): number {
  const fcs = ws.Cells.FormatConditions;
  const n = Number(fcs.Count);
  let removed = 0;
  // From the last: deleting one renumbers those after it.
  for (let i = n; i >= 1; i--) {
    const fc = fcs.Item(i);
    let formula = '';
    try {
      formula = String(fc.Formula1 ?? '');
    } catch {
      continue; // data bars and colour scales have no formula
    }
    if (formula.includes(MARK_SIGNATURE)) {
      fc.Delete();
      removed++;
    }
  }
  return removed;
}

/** Adds the marks for `cells` (A1 addresses by level); returns how many formats were added. */
export function addMarks(ws: WpsWorksheet, cells: Record<MarkLevel, string[]>): number {
  let n = 0;
  // Warnings first, errors last: the format added last gets the highest priority.
  for (const level of ['warning', 'error'] as MarkLevel[]) {
    for (const group of joinAddresses(cells[level])) {
      const fc = ws.Range(group).FormatConditions.Add(xlExpression, undefined, markFormula(level));
      fc.Interior.Color = bgr(MARK_STYLES[level].fill);
      fc.Font.Color = bgr(MARK_STYLES[level].font);
      n++;
    }
  }
  return n;
}
