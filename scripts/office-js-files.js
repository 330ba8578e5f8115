/**
 * Which files of the @microsoft/office-js package a `--env officejs=local` build copies to dist/office-js/.
 *
 * office.js is a loader: it finds its own directory from its <script src>, then loads from there the host file
 * for the Office that runs the pane (excel-<platform>-<version>.js, chosen from the host info Office passes in),
 * the UI strings of the Office language (<locale>/office_strings.js, en-us as the fallback) and the telemetry
 * sink (telemetry/oteljs_agave.js; without it office.js gives up after 5 s and carries on). Copying only these
 * keeps dist/ at about 7 MB instead of the package's 86 MB of every host and language.
 *
 * Not copied on purpose: o15apptofilemappingtable.js, which office.js loads only when no host info is passed
 * (Office 2013, or the page opened outside Office): it opens a telemetry frame on a Microsoft server, which an
 * isolated network must not need. Office 2021, Microsoft 365, Mac and the web pass the host info and never load
 * it; outside Office the pane then shows the start-up watchdog's message instead.
 *
 * Platforms: Windows (16.00 and 16.01, with its -core variant), Mac, Excel on the web (with -core), iPad.
 * Not copied: Excel 2013 (excel-15*: ExcelApi 1.14 needs Office 2021 or Microsoft 365), Android, WinRT.
 */
const fs = require('fs');
const path = require('path');

const OFFICE_JS_CDN = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
const OFFICE_JS_LOCAL_DIR = 'office-js';

const HOST_FILES = [
  'excel-win32-16.00.js',
  'excel-win32-16.01.js',
  'excel-win32-16.01-core.js',
  'excel-mac-16.00.js',
  'excel-mac-16.00-core.js',
  'excel-web-16.00.js',
  'excel-web-16.00-core.js',
  'excel-ios-16.00.js',
];
const LOCALES = ['zh-cn', 'en-us'];

function officeJsDist() {
  return path.join(path.dirname(require.resolve('@microsoft/office-js/package.json')), 'dist');
}

/** [{ from: absolute path, to: path under dist/office-js/ }]; throws when the package lacks one of them. */
function officeJsFiles() {
  const dist = officeJsDist();
  const rel = [
    'office.js',
    ...HOST_FILES,
    ...LOCALES.map((l) => `${l}/office_strings.js`),
    'telemetry/oteljs_agave.js',
  ];
  const files = rel.map((r) => ({ from: path.join(dist, r), to: r }));
  files.push({ from: path.join(dist, '..', 'LICENSE.md'), to: 'LICENSE.md' });
  const missing = files.filter((f) => !fs.existsSync(f.from));
  if (missing.length) {
    throw new Error(`@microsoft/office-js 缺少文件（请重新 npm install）：${missing.map((f) => f.to).join(', ')}`);
  }
  return files;
}

module.exports = { OFFICE_JS_CDN, OFFICE_JS_LOCAL_DIR, HOST_FILES, LOCALES, officeJsFiles };
