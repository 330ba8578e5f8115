/** Production entry: the task pane inside Excel (Office.js host). */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { officeHost, officeReady, onPaneShown } from '../excel/office-host';
import { WorkbookSession } from '../excel/session';
import { App } from './App';
import { reportAction } from './ReportAction';
import { ErrorBoundary } from './ErrorBoundary';

const container = document.getElementById('root')!;
const root = createRoot(container);

officeReady()
  .then(() => {
    const session = new WorkbookSession(officeHost());
    root.render(
      <ErrorBoundary>
        <App session={session} onShown={onPaneShown} extraActions={reportAction} />
      </ErrorBoundary>,
    );
  })
  .catch((e: Error) => {
    root.render(
      <div style={{ padding: 16, fontFamily: 'Microsoft YaHei, sans-serif' }} role="alert">
        <h3>PerfSheet 无法启动</h3>
        <p>{e.message}</p>
      </div>,
    );
  });
