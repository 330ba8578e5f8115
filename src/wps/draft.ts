/**
 * The task pane's 「生成自评报告草稿」 in WPS 表格: the sheet 「绩效自评报告（草稿）」 built from the last check's
 * result (src/domain/draft) and drawn by the report renderer (src/wps/report.ts).
 */
import { buildDraft, buildDraftSheetSpec, DraftOptions } from '../domain/draft';
import { addinSheetsFromNames } from '../domain/report';
import type { WorkbookResult } from '../domain/types';
import type { WpsApplication } from './api';
import { readNames, sheetNames } from './read';
import { writeReportToWps, WpsReportError } from './report';

export function generateDraftInWps(
  app: WpsApplication,
  result: WorkbookResult,
  opts: DraftOptions,
): { sheetName: string; replaced: string | null } {
  const wb = app.ActiveWorkbook;
  if (!wb) throw new WpsReportError('WPS 表格中没有打开的工作簿，草稿未写入。');
  const doc = buildDraft(result, opts);
  const ours = new Set(addinSheetsFromNames(readNames(wb)));
  const existing = sheetNames(wb).map((name) => ({ name, createdByAddin: ours.has(name) }));
  return writeReportToWps(app, buildDraftSheetSpec(doc, existing));
}
