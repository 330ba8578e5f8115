/**
 * Highlights: error and warning cells are marked with custom conditional formats, never by changing the
 * user's fills. Each format PerfSheet adds carries a signature in its rule formula
 * (`=ISTEXT("PerfSheet:error")`, always TRUE), so 「清除标记」 deletes exactly those and nothing else; the
 * ids of sheets that carry marks are kept in the workbook's settings (`PerfSheet.marks`).
 */
import { MARK_SIGNATURE, MARK_STYLES, MarkLevel, markFormula } from '../domain/marks';
import type { XlConditionalFormatCollection, XlContext, XlWorksheet } from './api';
import { joinAddressLists } from './address';

export { MARK_SIGNATURE, MARK_STYLES, markFormula, marksFor } from '../domain/marks';
export type { MarkLevel } from '../domain/marks';

/** Address lists for `getRanges`, kept short (Excel limits the length of an address string). */
const MAX_ADDRESS_CHARS = 2000;

/** Queues a load of a sheet's conditional formats with what it takes to recognise PerfSheet's own. */
export function queueMarkScan(ws: XlWorksheet): XlConditionalFormatCollection {
  const col = ws.getRange().conditionalFormats;
  col.load('items/id,items/type,items/customOrNullObject/rule/formula');
  return col;
}

/** After the scan's sync: queues the deletion of PerfSheet's formats; returns how many. */
export function queueMarkDelete(col: XlConditionalFormatCollection): number {
  let n = 0;
  for (const cf of col.items) {
    if (cf.type !== 'Custom') continue;
    const custom = cf.customOrNullObject;
    if (custom.isNullObject) continue;
    if (String(custom.rule.formula).includes(MARK_SIGNATURE)) {
      cf.delete();
      n++;
    }
  }
  return n;
}

/** Queues the conditional formats marking `cells` on one sheet. */
export function queueMarkAdd(ws: XlWorksheet, cells: Record<MarkLevel, string[]>): number {
  let n = 0;
  // Warnings first, errors last: the format added last gets the highest priority.
  for (const level of ['warning', 'error'] as MarkLevel[]) {
    for (const group of joinAddressLists(cells[level], MAX_ADDRESS_CHARS)) {
      const cf = ws.getRanges(group).conditionalFormats.add('Custom');
      cf.custom.rule.formula = markFormula(level);
      cf.custom.format.fill.color = MARK_STYLES[level].fill;
      cf.custom.format.font.color = MARK_STYLES[level].font;
      n++;
    }
  }
  return n;
}

export type { XlContext };
