/**
 * The real host: Office.js. The only place that touches the `Excel` and `Office` globals.
 * Passing `Excel.RequestContext` where `XlContext` is expected makes the type checker prove that Office's
 * API satisfies the interfaces in api.ts.
 */
import type { ExcelHost, XlContext, XlRunOptions } from './api';
import { fileNameFromUrl } from './filename';

/**
 * `clientGroupsUndo`: whether the Office.js the pane loaded can send mergeUndoGroup — false for the copy
 * bundled from npm (`--env officejs=local`): its Excel.run passes only delayForCellEdit to Excel.
 */
export function officeHost(opts: { clientGroupsUndo?: boolean } = {}): ExcelHost {
  const groups = opts.clientGroupsUndo ?? true;
  return {
    canGroupUndo: () => groups,
    run<T>(batch: (context: XlContext) => Promise<T>, options: XlRunOptions = {}): Promise<T> {
      const opts: Excel.RunOptions = {};
      if (options.delayForCellEdit) opts.delayForCellEdit = true;
      if (options.mergeUndoGroup) opts.mergeUndoGroup = true;
      return Excel.run(opts, (context: Excel.RequestContext) => batch(context));
    },
    isSetSupported(name: string, version: string): boolean {
      return Office.context.requirements.isSetSupported(name, version);
    },
    fileName(): string | undefined {
      try {
        return fileNameFromUrl(Office.context.document?.url);
      } catch {
        return undefined;
      }
    },
  };
}

/** Resolves once Office.js has initialised (rejects with a Chinese message when this is not Excel). */
export function officeReady(): Promise<void> {
  return new Promise((resolve, reject) => {
    if (typeof Office === 'undefined') {
      reject(new Error('未能加载 Office.js：请在 Excel 中打开此加载项（或使用 npm run preview 预览）。'));
      return;
    }
    void Office.onReady((info) => {
      if (info.host === Office.HostType.Excel) resolve();
      else reject(new Error('PerfSheet 只能在 Excel 中运行。'));
    });
  });
}

/** Calls `handler` when the pane becomes visible again (SharedRuntime 1.1), where the host supports it. */
export function onPaneShown(handler: () => void): void {
  try {
    if (Office.context.requirements.isSetSupported('SharedRuntime', '1.1')) {
      void Office.addin.onVisibilityModeChanged((args) => {
        if (args.visibilityMode === Office.VisibilityMode.taskpane) handler();
      });
    }
  } catch {
    /* not available: the pane reloads (and re-reads) when it is reopened */
  }
}
