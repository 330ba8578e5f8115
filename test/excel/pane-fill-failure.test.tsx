/**
 * @jest-environment jsdom
 *
 * The pane's 回填 through the real controller hook, in both hosts: when the host fails part-way, the pane
 * says in Chinese that the workbook is unchanged, and no cell keeps a written value.
 */
import { createRoot } from 'react-dom/client';
import * as fs from 'fs';
import * as path from 'path';
import { TextDecoder, TextEncoder } from 'util';
import { PaneController, usePaneController } from '../../src/taskpane/controller';
import { ExcelSession } from '../../src/excel/session';
import { WpsSession } from '../../src/wps/session';
import { SimWps } from '../../src/wps-sim';
import type { WorkbookSession } from '../../src/domain/session';
import { FIXTURE_2025, openFixture, waitFor } from './helpers';

// The hook's tasks settle on their own (polled below), as in the pane: not inside act().
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
// jsdom has no TextDecoder (browsers and Node do): the package reader needs it.
Object.assign(globalThis, { TextDecoder, TextEncoder });

async function mount(session: WorkbookSession): Promise<{ ctl: () => PaneController; unmount: () => void }> {
  let current: PaneController | null = null;
  function Harness() {
    current = usePaneController(session, { liveDelayMs: 10 });
    return null;
  }
  const el = document.createElement('div');
  const root = createRoot(el);
  root.render(<Harness />);
  await waitFor(() => current !== null);
  const ctl = () => current!;
  await waitFor(() => !!ctl().state.result && !ctl().state.busy);
  return { ctl, unmount: () => root.unmount() };
}

async function fillAll(ctl: () => PaneController): Promise<void> {
  ctl().openFill();
  await waitFor(() => !!ctl().state.fill);
  // 回填 opens on the current table (issue #18): these tests fill every table, as the probe's direct write does.
  ctl().setFillScope('all');
  await waitFor(() => ctl().state.fill?.scope === 'all');
  ctl().acceptFill();
  await waitFor(() => !!ctl().state.busy || !!ctl().state.message);
  await waitFor(() => !ctl().state.busy && !!ctl().state.message);
}

const cells = ['I6', 'J6', 'H13', 'H19'];

test('Excel: the write sync fails → the pane says the workbook is unchanged; nothing stays written', async () => {
  const sim = await openFixture();
  const { ctl, unmount } = await mount(new ExcelSession(sim));
  const before = cells.map((c) => sim.cell('劳模体检', c));
  sim.failSync(2, 5);
  await fillAll(ctl);
  const m = ctl().state.message!;
  expect(m.intent).toBe('error');
  expect(m.title).toBe('回填计算结果失败');
  expect(m.text).toMatch(/^回填未完成，工作簿未改动.*已恢复为回填前的内容/);
  expect(cells.map((c) => sim.cell('劳模体检', c))).toEqual(before);
  unmount();
});

test('WPS: a cell write throws → the pane says the workbook is unchanged; nothing stays written', async () => {
  const wps = await SimWps.open(fs.readFileSync(FIXTURE_2025), { fileName: path.basename(FIXTURE_2025) });
  const { ctl, unmount } = await mount(new WpsSession(wps.app));
  const before = cells.map((c) => wps.excel.cell('劳模体检', c));
  wps.failAtCall = wps.callCount + 60;
  await fillAll(ctl);
  const m = ctl().state.message!;
  expect(m.intent).toBe('error');
  expect(m.text).toMatch(/^回填未完成，工作簿未改动/);
  expect(cells.map((c) => wps.excel.cell('劳模体检', c))).toEqual(before);
  unmount();
});

test('Excel: restoring fails too → the pane names the cells and 撤销回填 can still put them back', async () => {
  // How many actions the write batch has: the failure comes after all but its last, so cells are written.
  const probe = await openFixture();
  const ps = new ExcelSession(probe);
  const r = await ps.check();
  probe.resetCounters();
  await ps.applyEdits(r.result.tables.flatMap((t) => t.edits));
  const writeOps = probe.syncLog.filter((x) => x.writes > 0)[0].ops;
  const sim = await openFixture();
  const { ctl, unmount } = await mount(new ExcelSession(sim));
  const before = cells.map((c) => sim.cell('劳模体检', c));
  sim.failSync(2, writeOps - 1); // cells written …
  sim.failSync(3); // … and the restoring sync fails
  await fillAll(ctl);
  expect(ctl().state.message!.text).toMatch(/恢复原内容时再次出错.*点击「撤销回填」再试/);
  expect(ctl().state.lastFill?.length).toBeGreaterThan(0);
  expect(cells.map((c) => sim.cell('劳模体检', c))).not.toEqual(before);
  ctl().revertFill();
  await waitFor(() => !ctl().state.busy && /已恢复/.test(ctl().state.message?.text ?? ''));
  expect(cells.map((c) => sim.cell('劳模体检', c))).toEqual(before);
  unmount();
});
