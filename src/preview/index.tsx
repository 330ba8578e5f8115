/**
 * Browser preview: a sample workbook in the in-memory Excel host, shown as a grid beside the real task
 * pane (the same App component as in Excel). No Office.js is loaded.
 */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { SimExcel } from '../excel-sim';
import { ExcelSession } from '../excel/session';
import { App } from '../taskpane/App';
import { reportAction } from '../taskpane/ReportAction';
import { ErrorBoundary } from '../taskpane/ErrorBoundary';
import { Grid } from './Grid';

export const SAMPLE = '石家庄市总工会_2025_绩效自评表.xlsx';

interface Loaded {
  id: number;
  sim: SimExcel;
  session: ExcelSession;
  fileName: string;
}

declare global {
  interface Window {
    perfsheetPreview?: { sim: SimExcel; session: ExcelSession };
  }
}

let loads = 0;

async function open(bytes: ArrayBuffer, fileName: string): Promise<Loaded> {
  const sim = await SimExcel.open(bytes, { fileName });
  const session = new ExcelSession(sim);
  window.perfsheetPreview = { sim, session };
  loads++;
  return { id: loads, sim, session, fileName };
}

/** Opens a workbook for the preview: the loaded workbook, or the Chinese message saying why it cannot be. */
async function openNamed(get: () => Promise<ArrayBuffer>, name: string): Promise<Loaded | string> {
  try {
    return await open(await get(), name);
  } catch (e) {
    const msg = (e as Error).message || String(e);
    return `无法打开「${name}」。${msg.startsWith(name) ? msg.slice(name.length).replace(/^：/, '') : msg}`;
  }
}

/** `?pane=320` gives the task pane Excel's narrowest width (tests at 1366×768). */
const paneWidth = Number(new URLSearchParams(location.search).get('pane')) || undefined;

function Preview(): React.ReactElement {
  const [loaded, setLoaded] = React.useState<Loaded | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [loading, setLoading] = React.useState(true);

  const show = (result: Loaded | string) => {
    if (typeof result === 'string') setError(result);
    else setLoaded(result);
    setLoading(false);
  };

  // The first workbook: the initial state is already "loading, no error"; the result arrives asynchronously.
  React.useEffect(() => {
    const params = new URLSearchParams(location.search);
    const name = params.get('file') ?? SAMPLE;
    void openNamed(async () => {
      const res = await fetch(`samples/${encodeURIComponent(name)}`);
      if (!res.ok) throw new Error(`示例文件下载失败（HTTP ${res.status}）`);
      return res.arrayBuffer();
    }, name).then(show);
  }, []);

  const pick = (e: React.ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    if (f) {
      setLoading(true);
      setError(null);
      void openNamed(() => f.arrayBuffer(), f.name).then(show);
    }
    e.target.value = '';
  };

  const download = async () => {
    if (!loaded) return;
    try {
      const bytes = await loaded.sim.save();
      const blob = new Blob([bytes as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = loaded.fileName.replace(/\.xlsx$/i, '') + '（已检查）.xlsx';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      setError(`保存失败：${(e as Error).message}`);
    }
  };

  return (
    <div className="ps-app">
      <header className="ps-header">
        <strong>PerfSheet 预览</strong>
        <span className="ps-sub">模拟 Excel · 右侧为真实任务窗格</span>
        <span className="ps-file" data-testid="file-name">
          {loaded?.fileName ?? ''}
        </span>
        <label className="ps-button">
          打开 .xlsx…
          <input type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={pick} data-testid="file-input" hidden />
        </label>
        <button className="ps-button" onClick={() => void download()} disabled={!loaded} data-testid="btn-download">
          下载工作簿
        </button>
      </header>
      {error && (
        <div className="ps-error" role="alert" data-testid="preview-error">
          {error}
        </div>
      )}
      <main className="ps-main">
        <section className="ps-left">{loaded ? <Grid sim={loaded.sim} /> : <div className="ps-loading">{loading ? '正在打开工作簿…' : ''}</div>}</section>
        <aside className="ps-pane" style={paneWidth ? { width: paneWidth } : undefined} data-testid="pane-frame">
          {loaded && (
            <ErrorBoundary key={loaded.id}>
              <App session={loaded.session} extraActions={reportAction} />
            </ErrorBoundary>
          )}
        </aside>
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<Preview />);
