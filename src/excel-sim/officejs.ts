/**
 * Microsoft's Office.js client library (`@microsoft/office-js`, the Excel web build) as the in-memory host
 * runs it: one copy per host, so that event registrations and requirement-set checks stay with their host.
 *
 * The host never imitates the client side. The add-in's calls go through the library's own proxies,
 * batching, load/sync, PropertyNotLoaded, request flags and error translation; the host only answers the
 * requests the library sends (see protocol.ts).
 *
 * Where the library comes from depends on the runtime: in Node (jest) `officejs-node.ts` evaluates the file
 * from node_modules in a `vm` context; in the browser preview `officejs-browser.ts` loads the same file (copied
 * into dist/ from node_modules by webpack) into a hidden frame per host.
 */

/** What the host needs from one loaded copy of the library. */
export interface OfficeJsLibrary {
  readonly Excel: typeof Excel;
  /** The file the copy was loaded from (for notes and errors). */
  readonly source: string;
  /** Makes the library's own requirement-set checks (`_throwIfApiNotSupported`, DelayForCellEdit) ask `check`. */
  setRequirements(check: (name: string, version: string) => boolean): void;
  /** Delivers an event to the library as Office's RichApi message channel does (`eventType` as the library numbers it). */
  deliverEvent(eventType: number, args: object): void;
}

/** The internals of OfficeExtension the host drives (test hooks the library ships for exactly this). */
interface OfficeExtensionInternals {
  _testSetRichApiMessageReadyImpl(impl: () => Promise<void>): void;
  _testTriggerRichApiMessageEvent(msg: {
    entries: { messageCategory: number; messageType: number; targetId: string; message: string }[];
  }): void;
  Constants: { eventMessageCategory: number; eventWorkbookId: string };
}

/** The globals one evaluation of the library leaves behind. */
export interface OfficeJsGlobals {
  Excel?: typeof Excel;
  OfficeExtension?: unknown;
  /** Office's add-in runtime: `Office.context` is what its app factory returns once Office initialised it. */
  OSF?: { _OfficeAppFactory?: { getContext?: () => unknown } };
}

/** Wraps the globals of one evaluated copy of the library. */
export function officeJsFrom(globals: OfficeJsGlobals, source: string): OfficeJsLibrary {
  const excel = globals.Excel;
  const ext = globals.OfficeExtension as OfficeExtensionInternals | undefined;
  if (!excel || !ext || typeof excel.RequestContext !== 'function' || typeof ext._testTriggerRichApiMessageEvent !== 'function') {
    throw new Error(`PerfSheet: ${source} did not define Excel and OfficeExtension as Office.js does.`);
  }
  // Event registration normally waits for Office's message channel; the host is the channel.
  ext._testSetRichApiMessageReadyImpl(() => Promise.resolve());
  const osf = globals.OSF;
  if (!osf) throw new Error(`PerfSheet: ${source} did not define OSF as Office.js does.`);
  // office.js (the loader, not loaded here) defines the app factory; the host is the only app.
  const factory = (osf._OfficeAppFactory ??= {});
  let check: (name: string, version: string) => boolean = () => true;
  // What Office.context is once Office has initialised the add-in — as far as the library consults it.
  const context = { requirements: { isSetSupported: (name: string, version: string) => check(name, version) } };
  factory.getContext = () => context;
  return {
    Excel: excel,
    source,
    setRequirements(c) {
      check = c;
    },
    deliverEvent(eventType, args) {
      ext._testTriggerRichApiMessageEvent({
        entries: [
          {
            messageCategory: ext.Constants.eventMessageCategory,
            messageType: eventType,
            targetId: ext.Constants.eventWorkbookId,
            message: JSON.stringify(args),
          },
        ],
      });
    },
  };
}

let loader: (() => OfficeJsLibrary) | null = null;

/** Sets how a new host gets its copy of the library (Node: officejs-node.ts; the preview passes its own). */
export function setOfficeJsLoader(load: () => OfficeJsLibrary): void {
  loader = load;
}

/** A fresh copy of the library for one host. */
export function loadOfficeJs(): OfficeJsLibrary {
  if (!loader) {
    throw new Error(
      'PerfSheet: no Office.js client library is loaded for the in-memory Excel host (Node: import src/excel-sim/officejs-node; browser: pass SimOptions.officeJs from officeJsInFrame).',
    );
  }
  return loader();
}

