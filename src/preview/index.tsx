/**
 * Browser preview: a sample workbook in an in-memory host, shown as a grid beside the real task pane (the
 * same App component as in Excel and WPS). `?host=wps` runs the pane on the in-memory WPS 表格 host through
 * the WPS adapter (src/wps); the default is the in-memory Excel host through the Office.js adapter, whose
 * calls go through Microsoft's Office.js client library: each workbook opened gets its own copy of
 * `excel-web-16.00.js` in a hidden frame (officejs-browser.ts), the file webpack copies from
 * node_modules/@microsoft/office-js (never from the CDN). No Office and no WPS is loaded.
 */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { SimExcel } from '../excel-sim';
import { officeJsInFrame } from '../excel-sim/officejs-browser';
import { ExcelSession } from '../excel/session';
import { SimWps } from '../wps-sim';
import { WpsSession } from '../wps/session';
import type { HostKind, WorkbookSession } from '../domain/session';
import { excelGridHost, GridHost, wpsGridHost } from './hosts';
import { App } from '../taskpane/App';
import { reportAction } from '../taskpane/ReportAction';
import { ErrorBoundary } from '../taskpane/ErrorBoundary';
import { Grid } from './Grid';

export const SAMPLE = '石家庄市总工会_2025_绩效自评表.xlsx';

/** Microsoft's client library for the in-memory Excel host (webpack copies it from node_modules). */
export const PREVIEW_OFFICE_JS = 'office-js-preview/excel-web-16.00.js';

interface Loaded {
  id: number;
  /** The workbook (both hosts keep it in the in-memory Excel model; saving goes through it). */
  sim: SimExcel;
  grid: GridHost;
  session: WorkbookSession;
  fileName: string;
}

declare global {
  interface Window {
    perfsheetPreview?: { host: HostKind; sim: SimExcel; wps: SimWps | null; session: WorkbookSession };
  }
}

/** The host the pane runs on: `?host=wps` for WPS 表格, else Excel. */
export const HOST: HostKind = new URLSearchParams(location.search).get('host') === 'wps' ? 'wps' : 'excel';

let loads = 0;

async function open(bytes: ArrayBuffer, fileName: string): Promise<Loaded> {
  let loaded: Omit<Loaded, 'id'>;
  if (HOST === 'wps') {
    const wps = await SimWps.open(bytes, { fileName });
    const session = new WpsSession(wps.app, { fileName });
    window.perfsheetPreview = { host: HOST, sim: wps.excel, wps, session };
    loaded = { sim: wps.excel, grid: wpsGridHost(wps), session, fileName };
  } else {
    // A copy of the library per workbook opened (its own frame), as every test's host has its own.
    const sim = await SimExcel.open(bytes, { fileName, officeJs: await officeJsInFrame(PREVIEW_OFFICE_JS) });
    const session = new ExcelSession(sim);
    window.perfsheetPreview = { host: HOST, sim, wps: null, session };
    loaded = { sim, grid: excelGridHost(sim), session, fileName };
  }
  loads++;
  return { id: loads, ...loaded };
}

/** The same page on the other host (the workbook shown is the one named in the address, or the sample). */
function switchHost(to: HostKind): void {
  const params = new URLSearchParams(location.search);
  if (to === 'wps') params.set('host', 'wps');
  else params.delete('host');
  location.search = params.toString();
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
/** `?download=0`: a pane whose host drops downloads, as Excel for Mac does (the export falls back). */
const canDownload = new URLSearchParams(location.search).get('download') !== '0';

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
        <span className="ps-sub">{HOST === 'wps' ? '模拟 WPS 表格' : '模拟 Excel'} · 右侧为真实任务窗格</span>
        <label className="ps-host">
          宿主
          <select value={HOST} onChange={(e) => switchHost(e.target.value as HostKind)} data-testid="host-switch">
            <option value="excel">Excel</option>
            <option value="wps">WPS 表格</option>
          </select>
        </label>
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
        <section className="ps-left">{loaded ? <Grid sim={loaded.grid} /> : <div className="ps-loading">{loading ? '正在打开工作簿…' : ''}</div>}</section>
        <aside className="ps-pane" style={paneWidth ? { width: paneWidth } : undefined} data-testid="pane-frame">
          {loaded && (
            <ErrorBoundary key={loaded.id}>
              <App session={loaded.session} extraActions={reportAction} canDownload={canDownload} />
            </ErrorBoundary>
          )}
        </aside>
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<Preview />);
