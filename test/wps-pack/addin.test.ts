/**
 * The WPS 加载项's ribbon callbacks (src/wps/addin.ts) against a small fake of WPS's Application: the task
 * pane is created once and toggled afterwards, its id kept in PluginStorage; the button is disabled without a
 * workbook and refreshed on workbook events; failures are told in Chinese.
 */
import type { WpsApplication, WpsTaskPane } from '../../src/wps/api';
import {
  createRibbonCallbacks,
  findApplication,
  installRibbonCallbacks,
  msoCTPDockPositionRight,
  PANE_BUTTON_ID,
  RIBBON_CALLBACK_NAMES,
  SETTLE_MS,
  TASKPANE_ID_KEY,
  taskPaneUrl,
  WORKBOOK_EVENTS,
  type AddinHost,
  type RibbonUI,
} from '../../src/wps/addin';

const ENTRY = 'https://intranet.example.gov.cn/wps/perfsheet/index.html';

interface FakePane extends WpsTaskPane {
  url: string;
  title?: string;
}

/** What the callbacks use of WPS, recording every task pane and event listener. */
function fakeApp(opts: { workbook?: boolean; storage?: boolean; createThrows?: boolean } = {}) {
  const panes = new Map<number, FakePane>();
  const stored = new Map<string, unknown>();
  const listeners = new Map<string, Array<() => void>>();
  let nextId = 100;
  const app = {
    ActiveWorkbook: opts.workbook === false ? null : { Name: '目标表.xlsx' },
    ApiEvent: {
      AddApiEventListener(name: string, handler: () => void) {
        if (name === 'WindowDeactivate') throw new Error('unknown event'); // an older WPS
        listeners.set(name, [...(listeners.get(name) ?? []), handler]);
      },
      RemoveApiEventListener() {},
    },
    CreateTaskPane(url: string, title?: string): WpsTaskPane {
      if (opts.createThrows) throw new Error('CreateTaskPane 失败');
      const pane: FakePane = { ID: nextId++, Visible: false, DockPosition: 0, url, title };
      panes.set(pane.ID as number, pane);
      return pane;
    },
    GetTaskPane(id: number | string): WpsTaskPane {
      const p = panes.get(Number(id));
      if (!p) throw new Error('no such pane');
      return p;
    },
    ...(opts.storage === false
      ? {}
      : {
          PluginStorage: {
            getItem: (k: string) => stored.get(k),
            setItem: (k: string, v: unknown) => void stored.set(k, v),
          },
        }),
  };
  return { app: app as unknown as WpsApplication & { ActiveWorkbook: unknown }, panes, stored, listeners };
}

function fakeRibbon() {
  const invalidated: string[] = [];
  const ribbon: RibbonUI = { Invalidate: () => invalidated.push('*'), InvalidateControl: (id) => invalidated.push(id) };
  return { ribbon, invalidated };
}

function host(app: WpsApplication | undefined, href = ENTRY) {
  const alerts: string[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const h: AddinHost = {
    Application: app,
    location: { href },
    alert: (m) => alerts.push(m),
    setTimeout: (fn, ms) => timers.push({ fn, ms }),
  };
  return { h, alerts, timers };
}

const button = { Id: PANE_BUTTON_ID };

describe('OnAction on the 绩效表格助手 button', () => {
  test('the first click creates the pane beside the entry page, docked right, visible, and stores its id', () => {
    const { app, panes, stored } = fakeApp();
    const cb = createRibbonCallbacks(host(app).h);
    expect(cb.OnAddinLoad(fakeRibbon().ribbon)).toBe(true);
    expect(cb.OnAction(button)).toBe(true);
    expect(panes.size).toBe(1);
    const pane = [...panes.values()][0];
    expect(pane.url).toBe('https://intranet.example.gov.cn/wps/perfsheet/taskpane.html');
    expect(pane.title).toBe('PerfSheet 绩效表格助手');
    expect(pane.Visible).toBe(true);
    expect(pane.DockPosition).toBe(msoCTPDockPositionRight);
    expect(stored.get(TASKPANE_ID_KEY)).toBe(pane.ID);
  });

  test('later clicks toggle the same pane instead of opening another', () => {
    const { app, panes } = fakeApp();
    const cb = createRibbonCallbacks(host(app).h);
    cb.OnAction(button);
    const pane = [...panes.values()][0];
    cb.OnAction(button);
    expect(pane.Visible).toBe(false);
    cb.OnAction(button);
    expect(pane.Visible).toBe(true);
    expect(panes.size).toBe(1);
  });

  test('the pane id survives a reload of the entry page (PluginStorage), so the pane is reused', () => {
    const { app, panes } = fakeApp();
    createRibbonCallbacks(host(app).h).OnAction(button);
    const reloaded = createRibbonCallbacks(host(app).h); // a new page, same WPS process
    reloaded.OnAction(button);
    expect(panes.size).toBe(1);
    expect([...panes.values()][0].Visible).toBe(false);
  });

  test('a pane WPS no longer knows is replaced by a new one', () => {
    const { app, panes, stored } = fakeApp();
    stored.set(TASKPANE_ID_KEY, 42); // GetTaskPane(42) throws
    createRibbonCallbacks(host(app).h).OnAction(button);
    expect(panes.size).toBe(1);
    expect(stored.get(TASKPANE_ID_KEY)).toBe([...panes.values()][0].ID);
  });

  test('a stale pane object whose Visible cannot be set is replaced by a new one', () => {
    const { app, panes, stored } = fakeApp();
    const stale = { ID: 5, DockPosition: 0 } as FakePane;
    Object.defineProperty(stale, 'Visible', {
      get: () => false,
      set: () => {
        throw new Error('pane destroyed');
      },
    });
    panes.set(5, stale);
    stored.set(TASKPANE_ID_KEY, 5);
    const { h, alerts } = host(app);
    expect(createRibbonCallbacks(h).OnAction(button)).toBe(true);
    expect(alerts).toEqual([]);
    expect(panes.size).toBe(2);
    expect(stored.get(TASKPANE_ID_KEY)).not.toBe(5);
    expect(panes.get(stored.get(TASKPANE_ID_KEY) as number)!.Visible).toBe(true);
  });

  test('without PluginStorage the page remembers the pane itself', () => {
    const { app, panes } = fakeApp({ storage: false });
    const cb = createRibbonCallbacks(host(app).h);
    cb.OnAction(button);
    cb.OnAction(button);
    expect(panes.size).toBe(1);
    expect([...panes.values()][0].Visible).toBe(false);
  });

  test('an offline add-in (file: URL) opens the pane from its own folder', () => {
    const { app, panes } = fakeApp();
    const href = 'file:///C:/Users/a/AppData/Roaming/kingsoft/wps/jsaddons/PerfSheet_0.1.0/index.html';
    createRibbonCallbacks(host(app, href).h).OnAction(button);
    expect([...panes.values()][0].url).toBe(
      'file:///C:/Users/a/AppData/Roaming/kingsoft/wps/jsaddons/PerfSheet_0.1.0/taskpane.html',
    );
  });

  test('a failure is told in Chinese, not thrown into WPS', () => {
    const { app } = fakeApp({ createThrows: true });
    const { h, alerts } = host(app);
    expect(createRibbonCallbacks(h).OnAction(button)).toBe(false);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(/^PerfSheet 无法打开任务窗格：CreateTaskPane 失败/);
  });

  test('outside WPS (no Application) the click explains itself', () => {
    const { h, alerts } = host(undefined);
    expect(createRibbonCallbacks(h).OnAction(button)).toBe(false);
    expect(alerts[0]).toMatch(/WPS 表格/);
  });

  test('another control id is not ours', () => {
    const { app, panes } = fakeApp();
    expect(createRibbonCallbacks(host(app).h).OnAction({ Id: 'btnOther' })).toBe(false);
    expect(panes.size).toBe(0);
  });
});

describe('OnGetEnabled, GetImage and the workbook events', () => {
  test('the button is disabled when no workbook is open and enabled when one is', () => {
    const open = fakeApp();
    const none = fakeApp({ workbook: false });
    expect(createRibbonCallbacks(host(open.app).h).OnGetEnabled(button)).toBe(true);
    expect(createRibbonCallbacks(host(none.app).h).OnGetEnabled(button)).toBe(false);
    expect(createRibbonCallbacks(host(undefined).h).OnGetEnabled(button)).toBe(false);
  });

  test('workbook events refresh the button at once and again after the workbook settles', () => {
    const { app, listeners } = fakeApp();
    const { h, timers } = host(app);
    const { ribbon, invalidated } = fakeRibbon();
    createRibbonCallbacks(h).OnAddinLoad(ribbon);
    // every event but the one this fake WPS refuses
    expect([...listeners.keys()].sort()).toEqual(WORKBOOK_EVENTS.filter((e) => e !== 'WindowDeactivate').sort());
    app.ActiveWorkbook = null;
    listeners.get('WorkbookBeforeClose')![0]();
    expect(invalidated).toEqual([PANE_BUTTON_ID]);
    expect(timers).toHaveLength(1);
    expect(timers[0].ms).toBe(SETTLE_MS);
    timers[0].fn();
    expect(invalidated).toEqual([PANE_BUTTON_ID, PANE_BUTTON_ID]);
  });

  test('GetImage gives the icon path inside the add-in folder', () => {
    const cb = createRibbonCallbacks(host(fakeApp().app).h);
    expect(cb.GetImage(button)).toBe('images/icon-32.png');
    expect(cb.GetImage({ Id: 'unknown' })).toMatch(/^images\/icon-\d+\.png$/);
  });
});

describe('globals and the Application lookup', () => {
  test('installRibbonCallbacks defines every callback as a global function of the page', () => {
    const win: AddinHost & Record<string, unknown> = { location: { href: ENTRY } };
    installRibbonCallbacks(win);
    for (const name of RIBBON_CALLBACK_NAMES) expect(typeof win[name]).toBe('function');
  });

  test('findApplication takes window.Application, else wps.EtApplication(), else null', () => {
    const a = fakeApp().app;
    expect(findApplication({ Application: a })).toBe(a);
    expect(findApplication({ wps: { EtApplication: () => a } })).toBe(a);
    expect(findApplication({})).toBeNull();
    expect(
      findApplication({
        wps: {
          EtApplication: () => {
            throw new Error('not in ET');
          },
        },
      }),
    ).toBeNull();
  });

  test('taskPaneUrl drops the entry page query', () => {
    expect(taskPaneUrl('http://127.0.0.1:3889/perfsheet/index.html?v=1')).toBe(
      'http://127.0.0.1:3889/perfsheet/taskpane.html',
    );
  });
});
