/**
 * Browser-side harness of build.test.ts (bundled by the test, never shipped): plays WPS for the built task
 * pane page. It opens a workbook in the in-memory WPS host (src/wps-sim), puts its Application on
 * `window.Application` as WPS does for an add-in's pages, and only then loads the pane's own bundle.
 */
import { SimWps } from '../../src/wps-sim';

interface HarnessWindow {
  Application?: unknown;
  perfsheetSim?: SimWps;
  perfsheetHarness: { fixture: string; fileName: string; paneScript: string };
}

const w = window as unknown as HarnessWindow;

void (async () => {
  const { fixture, fileName, paneScript } = w.perfsheetHarness;
  const bytes = await (await fetch(fixture)).arrayBuffer();
  const sim = await SimWps.open(bytes, { fileName });
  w.perfsheetSim = sim;
  w.Application = sim.app;
  const s = document.createElement('script');
  s.src = paneScript;
  document.head.appendChild(s);
})();
