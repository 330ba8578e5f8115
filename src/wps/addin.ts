/**
 * The WPS 加载项's entry page (index.html): the ribbon callbacks that ribbon.xml names.
 *
 * WPS loads the add-in's entry page when it starts, reads ribbon.xml and calls the page's global functions by
 * name: `OnAddinLoad(ribbonUI)` once, then `GetImage` / `OnGetEnabled` for each control that names them, and
 * `OnAction(control)` when a button is clicked. This module makes those functions (`createRibbonCallbacks`) and
 * puts them on the page's window (`installRibbonCallbacks`, called by src/wps/entry/addin.ts).
 *
 * Every call into WPS made by the entry page is here: the task pane (CreateTaskPane / GetTaskPane), the
 * pane's id kept in PluginStorage (shared by the add-in's pages, it outlives a reload of the entry page), the
 * workbook events that refresh the button's enabled state, and alert() for a failure.
 *
 * The pane (taskpane.html) is the same React pane as in Excel (src/taskpane/App.tsx) over `WpsSession`;
 * `findApplication` is how that page finds WPS's object model.
 */
import type { EtEventName, WpsApplication, WpsTaskPane } from './api';

/** The ribbon button that opens (first click) and then shows or hides the task pane. */
export const PANE_BUTTON_ID = 'btnPerfSheet';

/** PluginStorage key of the task pane's id (one pane per WPS process, reused across clicks). */
export const TASKPANE_ID_KEY = 'perfsheet_taskpane_id';

/** The pane's page, beside the entry page in the add-in folder. */
export const TASKPANE_PAGE = 'taskpane.html';

/** The pane's title in WPS's task pane frame. */
export const TASKPANE_TITLE = 'PerfSheet 绩效表格助手';

/** Icons of the ribbon's buttons, relative to the add-in folder (WPS resolves them against it). */
export const RIBBON_ICONS: Readonly<Record<string, string>> = { [PANE_BUTTON_ID]: 'images/icon-32.png' };
const DEFAULT_ICON = 'images/icon-32.png';

/** MsoCTPDockPosition: the pane docks on the right, as Excel's does. */
export const msoCTPDockPositionRight = 2;

/** The names of the global functions ribbon.xml may call (what `installRibbonCallbacks` defines). */
export const RIBBON_CALLBACK_NAMES = ['OnAddinLoad', 'OnAction', 'GetImage', 'OnGetEnabled'] as const;
export type RibbonCallbackName = (typeof RIBBON_CALLBACK_NAMES)[number];

/**
 * Application events after which the pane button's enabled state may change: names Kingsoft's typings list for
 * WPS 表格 (src/wps/typings.ts checks each; switching workbooks raises WindowActivate/WindowDeactivate, since the
 * typings have no WorkbookActivate). A name that a WPS version does not know is skipped (AddApiEventListener
 * throws).
 */
export const WORKBOOK_EVENTS = [
  'NewWorkbook',
  'WorkbookOpen',
  'WindowActivate',
  'WindowDeactivate',
  'WorkbookBeforeClose',
] as const satisfies readonly EtEventName[];

/** How long after a workbook event the ribbon is refreshed once more (a closing workbook is still active at once). */
export const SETTLE_MS = 500;

/** The control WPS passes to a callback (IRibbonControl). */
export interface RibbonControl {
  readonly Id: string;
  readonly Tag?: string;
}

/** What WPS passes to OnAddinLoad (IRibbonUI). */
export interface RibbonUI {
  Invalidate(): void;
  InvalidateControl(id: string): void;
}

/** The entry page's window as the callbacks use it. */
export interface AddinHost {
  /** WPS's object model, injected by WPS into the add-in's pages. */
  readonly Application?: WpsApplication;
  readonly location: { readonly href: string };
  alert?(message: string): void;
  setTimeout?(handler: () => void, ms: number): unknown;
}

export type RibbonCallbacks = {
  OnAddinLoad(ribbonUI: RibbonUI): boolean;
  OnAction(control: RibbonControl): boolean;
  GetImage(control: RibbonControl): string;
  OnGetEnabled(control: RibbonControl): boolean;
};

/** The task pane page's absolute URL, beside the entry page (http(s): for an online add-in, file: offline). */
export function taskPaneUrl(entryHref: string): string {
  return new URL(TASKPANE_PAGE, entryHref).href;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createRibbonCallbacks(host: AddinHost): RibbonCallbacks {
  let ribbon: RibbonUI | null = null;
  /** The pane's id when WPS has no PluginStorage (then it lives as long as this page). */
  let paneIdInPage: number | string | null = null;

  const app = (): WpsApplication | null => host.Application ?? null;

  const storedPaneId = (a: WpsApplication): number | string | null => {
    const id: unknown = a.PluginStorage ? a.PluginStorage.getItem(TASKPANE_ID_KEY) : paneIdInPage;
    return typeof id === 'number' || (typeof id === 'string' && id !== '') ? id : null;
  };

  const existingPane = (a: WpsApplication): WpsTaskPane | null => {
    const id = storedPaneId(a);
    if (id === null || !a.GetTaskPane) return null;
    try {
      return a.GetTaskPane(id) ?? null;
    } catch {
      return null; // the pane is gone (WPS restarted its web view): make a new one
    }
  };

  const togglePane = (a: WpsApplication): void => {
    const pane = existingPane(a);
    if (pane) {
      try {
        pane.Visible = !pane.Visible;
        return;
      } catch {
        /* a stale pane object (its window is gone): make a new one */
      }
    }
    if (!a.CreateTaskPane) throw new Error('这个版本的 WPS 不支持加载项任务窗格（没有 CreateTaskPane）。');
    const created = a.CreateTaskPane(taskPaneUrl(host.location.href), TASKPANE_TITLE);
    try {
      created.DockPosition = msoCTPDockPositionRight;
    } catch {
      /* docking is cosmetic: WPS shows the pane where it likes */
    }
    created.Visible = true;
    if (a.PluginStorage) a.PluginStorage.setItem(TASKPANE_ID_KEY, created.ID);
    else paneIdInPage = created.ID;
  };

  const refresh = (): void => {
    if (!ribbon) return;
    try {
      ribbon.InvalidateControl(PANE_BUTTON_ID);
    } catch {
      /* the ribbon is being torn down (WPS is closing) */
    }
  };

  const watchWorkbooks = (a: WpsApplication): void => {
    const onWorkbookEvent = () => {
      refresh();
      host.setTimeout?.(refresh, SETTLE_MS);
    };
    for (const name of WORKBOOK_EVENTS) {
      try {
        a.ApiEvent.AddApiEventListener(name, onWorkbookEvent);
      } catch {
        /* an event this WPS version does not raise: the button's state is refreshed by the others */
      }
    }
  };

  return {
    OnAddinLoad(ribbonUI: RibbonUI): boolean {
      ribbon = ribbonUI;
      const a = app();
      if (a) watchWorkbooks(a);
      return true;
    },

    OnAction(control: RibbonControl): boolean {
      if (control.Id !== PANE_BUTTON_ID) return false;
      const a = app();
      if (!a) {
        host.alert?.(
          'PerfSheet 无法打开任务窗格：没有找到 WPS 表格的接口（Application）。请在 WPS 表格中使用本加载项。',
        );
        return false;
      }
      try {
        togglePane(a);
      } catch (e) {
        host.alert?.(
          `PerfSheet 无法打开任务窗格：${messageOf(e)}\n请关闭 WPS 后重新打开；如仍出现此提示，请联系本单位信息技术部门。`,
        );
        return false;
      }
      return true;
    },

    GetImage(control: RibbonControl): string {
      return RIBBON_ICONS[control.Id] ?? DEFAULT_ICON;
    },

    OnGetEnabled(control: RibbonControl): boolean {
      if (control.Id !== PANE_BUTTON_ID) return true;
      const a = app();
      if (!a) return false;
      try {
        return a.ActiveWorkbook != null;
      } catch {
        return true; // cannot tell: let the pane say what is wrong rather than grey the button out for good
      }
    },
  };
}

/** Defines the ribbon callbacks as globals of the entry page (WPS calls them by the names in ribbon.xml). */
export function installRibbonCallbacks(win: AddinHost & Record<string, unknown>): RibbonCallbacks {
  const callbacks = createRibbonCallbacks(win);
  for (const name of RIBBON_CALLBACK_NAMES) win[name] = callbacks[name];
  return callbacks;
}

/**
 * WPS 表格's object model as a page of the add-in sees it: `window.Application`, or `wps.EtApplication()` in the
 * versions that expose the `wps` object. Null outside WPS (a browser opening the page directly).
 */
export function findApplication(win: {
  readonly Application?: unknown;
  readonly wps?: { EtApplication?: () => unknown };
}): WpsApplication | null {
  try {
    const a = win.Application ?? win.wps?.EtApplication?.();
    return a && typeof a === 'object' ? (a as WpsApplication) : null;
  } catch {
    return null;
  }
}
