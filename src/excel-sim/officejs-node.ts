/**
 * Node (jest, scripts): evaluates Microsoft's Office.js client library from node_modules in a `vm` context —
 * it needs no DOM, only `window` (itself), `navigator` and timers — a fresh copy for every host. Importing
 * this module makes it the loader of the in-memory Excel host.
 */
import * as fs from 'fs';
import * as vm from 'vm';
import { OfficeJsGlobals, officeJsFrom, OfficeJsLibrary, setOfficeJsLoader } from './officejs';

/** The Excel client of Excel on the web, as published on npm (the file the intranet build bundles). */
export const OFFICE_JS_FILE = '@microsoft/office-js/dist/excel-web-16.00.debug.js';

let script: vm.Script | null = null;

/** A fresh copy of the library in its own context (the script is compiled once per process). */
export function loadOfficeJsInVm(): OfficeJsLibrary {
  if (!script) {
    const file = require.resolve(OFFICE_JS_FILE);
    script = new vm.Script(fs.readFileSync(file, 'utf8'), { filename: file });
  }
  const sandbox: Record<string, unknown> = {
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    navigator: { userAgent: 'Node.js (PerfSheet in-memory Excel host)' },
  };
  sandbox.window = sandbox;
  sandbox.self = sandbox;
  vm.createContext(sandbox);
  script.runInContext(sandbox);
  return officeJsFrom(sandbox as OfficeJsGlobals, OFFICE_JS_FILE);
}

setOfficeJsLoader(loadOfficeJsInVm);
