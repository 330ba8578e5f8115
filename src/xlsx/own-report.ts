/**
 * Whether a sheet a marker name points at is really the add-in's report. The marker (a defined name, see
 * src/domain/report/naming.ts) turns into `#REF!` when Excel deletes the sheet, but a tool that deletes sheets
 * without fixing names (openpyxl, hand-edited XML) leaves it pointing at whatever sheet later takes the name:
 * a user's own 「绩效自评报告」 would then be skipped by the check and replaced by the next report. So the
 * sheet must also read as a report does: its second row is the report's line
 * `评价标准：… 生成日期：…` (two ideographic spaces between) (src/domain/report/build.ts), which no form has.
 */
import type { SheetGrid } from '../domain/grid';
import { isReportMetaLine } from '../domain/session';
import { cellText } from '../domain/text';

export { isReportMetaLine };

/** True when the sheet reads as a report the add-in wrote (see the file's comment). */
export function looksLikeOwnReport(grid: SheetGrid): boolean {
  return isReportMetaLine(cellText(grid.raw(1, 0)));
}
