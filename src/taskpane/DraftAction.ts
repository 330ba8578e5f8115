/**
 * The ⋯ menu's 「生成自评报告草稿」: writes the sheet 「绩效自评报告（草稿）」 from the last check's result
 * through the session (Excel: 2 syncs, counted; WPS: counted calls), then re-reads the workbook, whose check
 * then lists every prompt still to be written (D01).
 */
import { allRuns, buildDraft } from '../domain/draft';
import type { PaneActionContext } from './App';

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Whether the result has a table the draft can be written from (a 项目支出 or 部门整体 自评表). */
export function canDraft(ctx: Pick<PaneActionContext, 'result'>): boolean {
  return !!ctx.result && ctx.result.tables.some((t) => t.kind === 'self-eval' || t.kind === 'dept-self-eval');
}

export async function generateDraftAction({ session, result, runTask, recheck }: PaneActionContext): Promise<void> {
  if (!result) return;
  let written = false;
  await runTask('生成自评报告草稿…', async () => {
    const date = today();
    const prompts = allRuns(buildDraft(result, { fileName: result.fileName, date })).filter(
      (r) => r.t === 'prompt',
    ).length;
    const r = await session.generateDraft(result, date);
    written = true;
    const replaced = r.replaced ? '（替换了上次生成的草稿）' : '';
    return `已生成「${r.sheetName}」${replaced}：数字取自检查结果，${prompts} 处“请填写”须由您补写，补写前检查会逐处提示。`;
  });
  // Re-read after the task has ended (the pane runs one task at a time).
  if (written) await recheck();
}
