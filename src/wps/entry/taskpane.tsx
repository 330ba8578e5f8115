/**
 * Bundle of the WPS 加载项's task pane (taskpane.html, opened by the ribbon button through
 * Application.CreateTaskPane): the same pane as in Excel (src/taskpane/App.tsx) over WPS's object model.
 *
 * Opened anywhere else (a browser, an old WPS without the JS API) the page says in Chinese where it must be
 * opened, instead of staying blank.
 */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../../taskpane/App';
import { ErrorBoundary } from '../../taskpane/ErrorBoundary';
import { reportAction } from '../../taskpane/ReportAction';
import { findApplication } from '../addin';
import { WpsSession } from '../session';

export const NOT_IN_WPS = '请在 WPS 表格中通过加载项打开此页面';

function Notice({ title, children }: { title: string; children: React.ReactNode }): React.ReactElement {
  return (
    <div
      role="alert"
      id="ps-boot-error"
      style={{ padding: 16, fontFamily: '"Microsoft YaHei", "PingFang SC", sans-serif', fontSize: 14, lineHeight: 1.6 }}
    >
      <h3 style={{ color: '#a4262c', fontSize: 16, margin: '0 0 8px' }}>{title}</h3>
      {children}
    </div>
  );
}

// The start-up watchdog of taskpane.html (an ES5 inline script): the bundle runs.
(window as unknown as { perfsheetBoot?: { started(): void } }).perfsheetBoot?.started();
const root = createRoot(document.getElementById('root')!);
const app = findApplication(window as unknown as Parameters<typeof findApplication>[0]);

if (!app) {
  root.render(
    <Notice title={NOT_IN_WPS}>
      <p>这是 PerfSheet 绩效表格助手的 WPS 任务窗格页面，它需要 WPS 表格提供的接口，不能在浏览器中直接打开。</p>
      <p>
        请在 WPS 表格的「绩效」选项卡中点击「绩效表格助手」。没有「绩效」选项卡时，请联系本单位信息技术部门安装加载项。
      </p>
    </Notice>,
  );
} else {
  let session: WpsSession | null = null;
  let failure = '';
  try {
    session = new WpsSession(app);
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
  }
  root.render(
    session ? (
      <ErrorBoundary>
        <App session={session} extraActions={reportAction} helpUrl="help/support.html" />
      </ErrorBoundary>
    ) : (
      <Notice title="PerfSheet 无法启动">
        <p>{failure}</p>
        <p>工作簿没有被修改。请关闭任务窗格后重新打开；如仍出现此提示，请联系本单位信息技术部门。</p>
      </Notice>
    ),
  );
}
