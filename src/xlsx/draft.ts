/**
 * The 自评报告 draft in a file: `addDraftToXlsx(bytes, result, opts)` adds (or replaces) the sheet
 * 「绩效自评报告（草稿）」 in a copy of the package, grafted as the report sheet is (src/xlsx/report.ts).
 */
import { buildDraft, buildDraftSheetSpec, DraftOptions } from '../domain/draft';
import type { WorkbookResult } from '../domain/types';
import { addSpecSheetToXlsx } from './report';

export async function addDraftToXlsx(
  bytes: ArrayBuffer | Uint8Array,
  result: WorkbookResult,
  opts: DraftOptions,
): Promise<Uint8Array> {
  const doc = buildDraft(result, opts);
  return addSpecSheetToXlsx(bytes, opts.fileName ?? result.fileName ?? '工作簿', (existing) =>
    buildDraftSheetSpec(doc, existing),
  );
}
