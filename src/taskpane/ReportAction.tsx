/**
 * 「生成报告」: writes the 绩效自评报告 / 绩效目标审核 sheet from the last check's result (src/excel/report.ts,
 * 2 syncs, counted by the session), then re-reads the workbook. Used by the task pane in Excel and by the browser preview alike.
 */
import * as React from 'react';
import { Button } from '@fluentui/react-components';
import type { PaneActionContext } from './App';

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function ReportAction({ session, result, busy, runTask, recheck, reviews }: PaneActionContext): React.ReactElement {
  const none = !result || result.tables.length === 0;
  return (
    <Button
      size="small"
      style={{ minWidth: 'auto', paddingLeft: 8, paddingRight: 8, whiteSpace: 'nowrap' }}
      disabled={busy || none}
      title={
        none
          ? '请先检查工作簿：找到绩效表后才能生成报告'
          : // Where Excel keeps undo (1.20), this is the action it cannot undo (a name's comment, replacing the last report).
            `在工作簿中生成格式化的报告工作表${session.undoable ? '（Excel 无法撤消此操作，执行后之前的撤消记录会被清空）' : ''}`
      }
      data-testid="btn-report"
      onClick={() =>
        void (async () => {
          let written = false;
          await runTask('生成报告…', async () => {
            // Through the session: its syncs are counted (the pane's undo notice says it cannot be undone).
            const r = await session.generateReport(result!, today(), reviews);
            written = true;
            return `已生成报告工作表「${r.sheetName}」${r.replaced ? '（替换了上次生成的报告）' : ''}。`;
          });
          // Re-read after the task has ended: the pane runs one task at a time, so awaiting a re-check from
          // inside the task would wait on itself.
          if (written) await recheck();
        })()
      }
    >
      报告
    </Button>
  );
}

/** For App's extraActions prop. */
export const reportAction = (ctx: PaneActionContext): React.ReactNode => <ReportAction {...ctx} />;
