/** Production entry: the task pane inside Excel (Office.js host). */
import { createRoot } from 'react-dom/client';
import { officeHost, officeReady, onPaneShown } from '../excel/office-host';
import { ExcelSession } from '../excel/session';
import { App } from './App';
import { reportAction } from './ReportAction';
import { ErrorBoundary } from './ErrorBoundary';

declare global {
  interface Window {
    /** The start-up watchdog of taskpane.html: it explains a pane that Office.js never reached. */
    perfsheetBoot?: { started(): void; officeJsFailed(): void; localOfficeJs?: boolean };
  }
}

/**
 * Excel for Mac (and iPad) ignores `<a download>` in the pane's web view (office-js #2700): there the pane
 * exports through the clipboard, or into a sheet.
 */
function canDownload(): boolean {
  const platform = String(Office.context.diagnostics?.platform ?? '');
  return platform !== 'Mac' && platform !== 'iOS';
}

const container = document.getElementById('root')!;
const root = createRoot(container);

officeReady()
  .then(() => {
    window.perfsheetBoot?.started();
    const session = new ExcelSession(officeHost({ clientGroupsUndo: !window.perfsheetBoot?.localOfficeJs }));
    root.render(
      <ErrorBoundary>
        <App session={session} onShown={onPaneShown} extraActions={reportAction} canDownload={canDownload()} />
      </ErrorBoundary>,
    );
  })
  .catch((e: Error) => {
    if (typeof Office === 'undefined' && window.perfsheetBoot) {
      // Office.js never loaded: the watchdog names the likely cause (CDN, proxy, server).
      window.perfsheetBoot.officeJsFailed();
      return;
    }
    window.perfsheetBoot?.started();
    root.render(
      <div style={{ padding: 16, fontFamily: 'Microsoft YaHei, sans-serif' }} role="alert">
        <h3>PerfSheet 无法启动</h3>
        <p>{e.message}</p>
      </div>,
    );
  });
