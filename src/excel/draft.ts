/**
 * The task pane's 「生成自评报告草稿」 in Excel: the sheet 「绩效自评报告（草稿）」 built from the last check's
 * result (src/domain/draft) and drawn by the report renderer (src/excel/report.ts). 2 syncs.
 */
import { buildDraft, buildDraftSheetSpec, DraftOptions } from '../domain/draft';
import type { WorkbookResult } from '../domain/types';
import { generateSpecInExcel, ReportWriteResult, RpContext } from './report';

export async function generateDraftInExcel(
  context: RpContext,
  result: WorkbookResult,
  opts: DraftOptions,
): Promise<ReportWriteResult> {
  // Built before any sync: a workbook without a self-evaluation table is refused without touching it.
  const doc = buildDraft(result, opts);
  const out = await generateSpecInExcel(context, (existing) => buildDraftSheetSpec(doc, existing));
  return { sheetName: out.sheetName, replaced: out.replaced, syncs: out.syncs, cells: out.cells };
}
