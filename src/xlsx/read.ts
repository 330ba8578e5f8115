/**
 * The .xlsx read direction: file bytes into the engine's grid (`readWorkbookBytes`, through the package
 * reader in grid-reader.ts), and file bytes into an ExcelJS workbook for what needs ExcelJS's model (the
 * in-memory Excel host, the preview, writers): `loadWorkbook`, which first normalises the package so that
 * ExcelJS reads every valid file in bounded time (see normalizeForExcelJS).
 *
 * ExcelJS is loaded only by loadWorkbook, when a caller needs its model: `perfsheet check` reads through the
 * package reader and never uses it, and loading it was half of a one-file check's start-up (issue #21).
 */
import type ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { Area, CellData, CellValue, parseAreaA1, SheetGrid, WorkbookGrid } from '../domain/grid';
import { draftSheetsFromNames, unreadSheetsFromNames } from '../domain/report/naming';
import { isDraftTitle } from '../domain/session';
import { InputError } from './errors';
import { PackageSheet, readPackageGrid } from './grid-reader';
import { decodePart } from './encoding';
import { isReportMetaLine } from './own-report';
import { XlsxPackage } from './package';

export { InputError };

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function dateToSerial(d: Date): number {
  return (d.getTime() - EXCEL_EPOCH_MS) / 86_400_000;
}

/** Converts an ExcelJS cell value into the grid's value (and the formula, when there is one). */
export function convertValue(v: ExcelJS.CellValue): { value: CellValue; formula?: string } {
  if (v === null || v === undefined) return { value: null };
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return { value: v };
  if (v instanceof Date) return { value: dateToSerial(v) };
  if (typeof v === 'object') {
    const o = v as unknown as Record<string, unknown>;
    if ('error' in o && typeof o.error === 'string') return { value: { error: o.error } };
    if ('richText' in o && Array.isArray(o.richText)) {
      return { value: (o.richText as { text: string }[]).map((t) => t.text).join('') };
    }
    if ('formula' in o || 'sharedFormula' in o) {
      const formula = String(o.formula ?? o.sharedFormula ?? '');
      const res = o.result as ExcelJS.CellValue | undefined;
      const inner = res === undefined ? { value: null } : convertValue(res);
      return { value: inner.value, formula };
    }
    if ('text' in o) return { value: String(o.text) };
  }
  return { value: String(v) };
}

export function sheetFromExcelJS(ws: ExcelJS.Worksheet): SheetGrid {
  const rows: (CellData | undefined)[][] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const out: (CellData | undefined)[] = [];
    row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
      // Merged slave cells repeat the master's value in ExcelJS (a slave's master is another cell; every other
      // cell is its own master); the grid resolves merges itself.
      if (cell.master !== cell) return;
      const { value, formula } = convertValue(cell.value);
      const numFmt = cell.numFmt && cell.numFmt !== 'General' ? cell.numFmt : undefined;
      if (value === null && !formula && !numFmt) return;
      const data: CellData = { value };
      if (numFmt) data.numFmt = numFmt;
      if (formula) data.formula = formula;
      out[colNumber - 1] = data;
    });
    rows[rowNumber - 1] = out;
  });
  const merges: Area[] = [];
  const model = (ws as unknown as { model: { merges?: string[] } }).model;
  for (const ref of model.merges ?? []) {
    const a = parseAreaA1(ref);
    if (a) merges.push(a);
  }
  return new SheetGrid(ws.name, rows, merges);
}

function namesOf(wb: ExcelJS.Workbook): { name: string; ref: string }[] {
  const names: { name: string; ref: string }[] = [];
  for (const dn of wb.definedNames.model as { name: string; ranges: string[] }[]) {
    for (const ref of dn.ranges) names.push({ name: dn.name, ref });
  }
  return names;
}

/**
 * The add-in's report sheets: a marker name points at them, and they read as a report (a marker left pointing
 * at a user's sheet of the same name does not count; see own-report.ts).
 */
function reportSheetsOf(wb: ExcelJS.Workbook): Set<string> {
  const out = new Set<string>();
  for (const name of unreadSheetsFromNames(namesOf(wb))) {
    const ws = wb.getWorksheet(name);
    if (ws && isReportMetaLine(convertedText(ws.getCell(2, 1).value))) out.add(name);
  }
  return out;
}

/** An ExcelJS cell value as text (for the report's meta line and the draft's title). */
function convertedText(v: ExcelJS.CellValue): string {
  const { value } = convertValue(v);
  return typeof value === 'string' ? value : '';
}

/**
 * Sheets the add-in wrote and may replace: its report sheets (reportSheetsOf) and its drafts (a draft marker,
 * and the draft's title in A1).
 */
export function addinSheetsOf(wb: ExcelJS.Workbook): Set<string> {
  const out = reportSheetsOf(wb);
  for (const name of draftSheetsFromNames(namesOf(wb))) {
    const ws = wb.getWorksheet(name);
    if (ws && isDraftTitle(convertedText(ws.getCell(1, 1).value))) out.add(name);
  }
  return out;
}

/** The workbook as the engine sees it: every sheet but the add-in's own report sheets (its draft is read). */
export function workbookFromExcelJS(wb: ExcelJS.Workbook, fileName?: string): WorkbookGrid {
  const ours = reportSheetsOf(wb);
  const sheets: SheetGrid[] = [];
  wb.eachSheet((ws) => {
    if (!ours.has(ws.name)) sheets.push(sheetFromExcelJS(ws));
  });
  return { fileName, sheets, draftSheets: draftSheetsFromNames(namesOf(wb)) };
}

/** Runs a read step, turning any failure that is not already an InputError into one (never an English trace). */
async function guarded<T>(fileName: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${fileName}：工作簿已损坏或不是有效的 .xlsx 文件（${(e as Error)?.message ?? String(e)}）。`);
  }
}

/** Reads xlsx bytes into the engine's grid (every sheet but the add-in's own report sheets). */
export async function readWorkbookBytes(data: ArrayBuffer | Uint8Array, fileName?: string): Promise<WorkbookGrid> {
  const name = fileName ?? '工作簿';
  const pkg = await XlsxPackage.open(data, name);
  return (await guarded(name, () => readPackageGrid(pkg, fileName))).grid;
}

const SPREADSHEET_DRAWING_NS = 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing';

/**
 * Gives a drawing part written with the spreadsheetDrawing namespace as the default namespace (openpyxl:
 * `<wsDr xmlns="…spreadsheetDrawing">`) the `xdr:` prefix ExcelJS's parser matches literally. Returns null
 * when the part declares more than that one default namespace (then it is not rewritten but dropped).
 */
function prefixDrawingXml(xml: string): string | null {
  const defaults = xml.match(/\sxmlns\s*=\s*["'][^"']*["']/g) ?? [];
  if (defaults.length !== 1 || !defaults[0].includes(SPREADSHEET_DRAWING_NS)) return null;
  return xml
    .replace(/\sxmlns\s*=\s*(["'])[^"']*\1/, ` xmlns:xdr="${SPREADSHEET_DRAWING_NS}"`)
    .replace(/<(\/?)([A-Za-z_][\w.-]*)(?=[\s/>])/g, '<$1xdr:$2');
}

/**
 * Rewrites the package, in memory, into the form ExcelJS reads, changing no cell:
 *   - every relationship target becomes relative to its source part (openpyxl writes absolute targets such as
 *     `/xl/worksheets/sheet1.xml`, which ExcelJS cannot match to its parts);
 *   - drawing parts with an unprefixed spreadsheetDrawing namespace get the `xdr:` prefix; a drawing part that
 *     cannot be rewritten so is left out, with the sheet's reference to it (the grid never needs drawings);
 *   - the merged areas are removed from the sheet XML: loadWorkbook applies them after loading, clipped to
 *     the sheet's extent, in linear time (ExcelJS creates every cell of a merge and checks each new merge
 *     against all earlier ones: a whole-sheet merge exhausts memory, 20,000 merges take half a minute).
 */
async function normalizeForExcelJS(pkg: XlsxPackage, sheets: readonly PackageSheet[]): Promise<Uint8Array> {
  const out = new JSZip();
  const names = pkg.partNames();
  const dropped = new Set<string>();
  const texts = new Map<string, string>();
  // Drawings first: which ones must be dropped decides what the sheets' relationships keep.
  for (const n of names) {
    const norm = n.replace(/\\/g, '/').replace(/^\/+/, '');
    if (/^xl\/drawings\/[^/]+\.xml$/i.test(norm)) {
      const xml = (await pkg.text(n)) ?? '';
      if (/<wsDr[\s>]/.test(xml)) {
        const fixed = prefixDrawingXml(xml);
        if (fixed === null) dropped.add(norm.toLowerCase());
        else texts.set(n, fixed);
      }
    }
  }
  const sheetParts = new Set(sheets.map((s) => s.part.toLowerCase()));
  const droppedRids = new Map<string, Set<string>>(); // sheet part → relationship ids of dropped drawings
  for (const n of names) {
    const norm = n.replace(/\\/g, '/').replace(/^\/+/, '');
    if (dropped.has(norm.toLowerCase())) continue;
    if (/\.rels$/i.test(norm)) {
      const m = /^(.*?)_rels\/([^/]+)\.rels$/i.exec(norm);
      const source = m ? `${m[1]}${m[2]}` : '';
      const sourceDir = source.includes('/') ? source.slice(0, source.lastIndexOf('/')) : '';
      const rels = await pkg.rels(source);
      const lost = new Set<string>();
      for (const r of rels) if (!r.external && dropped.has(r.target.toLowerCase())) lost.add(r.id);
      if (lost.size) droppedRids.set(source.toLowerCase(), lost);
      const items = rels
        .filter((r) => !lost.has(r.id))
        .map((r) => {
          const target = r.external ? r.target : relativeTarget(sourceDir, r.target);
          const mode = r.external ? ' TargetMode="External"' : '';
          return `<Relationship Id="${esc(r.id)}" Type="${esc(r.typeUri)}" Target="${esc(target)}"${mode}/>`;
        });
      texts.set(
        n,
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${items.join('')}</Relationships>`,
      );
    }
  }
  for (const n of names) {
    const norm = n.replace(/\\/g, '/').replace(/^\/+/, '');
    if (dropped.has(norm.toLowerCase())) continue;
    const lower = norm.toLowerCase();
    if (sheetParts.has(lower)) {
      let xml = (await pkg.text(n)) ?? '';
      xml = xml.replace(/<(\w+:)?mergeCells\b[^>]*\/>|<(\w+:)?mergeCells\b[\s\S]*?<\/(\w+:)?mergeCells>/g, '');
      const lost = droppedRids.get(lower);
      if (lost) {
        xml = xml.replace(/<(\w+:)?drawing\b[^>]*\/>/g, (tag) => {
          const id = /\b\w+:id\s*=\s*["']([^"']*)["']/.exec(tag)?.[1];
          return id && lost.has(id) ? '' : tag;
        });
      }
      texts.set(n, xml);
    }
    let text = texts.get(n);
    let bytes: Uint8Array | undefined;
    if (text === undefined) {
      bytes = await pkg.entry(n)!.async('uint8array');
      // ExcelJS reads XML as UTF-8 only: a part in another encoding goes in as UTF-8 text.
      if (/\.(xml|rels)$/i.test(norm) && decodePart(bytes, norm, pkg.fileName).encoding.label !== 'utf-8') {
        text = ((await pkg.text(n)) ?? '').replace(/^(<\?xml[^>]*?\sencoding\s*=\s*)(["'])[^"']*\2/, '$1$2UTF-8$2');
      }
    }
    // ExcelJS expects part names without a leading '/' (and with forward slashes).
    if (text !== undefined) out.file(norm, text);
    else out.file(norm, bytes!);
  }
  return out.generateAsync({ type: 'uint8array', compression: 'STORE' });
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** A part name as a target relative to a folder (`xl/worksheets/sheet1.xml` from `xl` → `worksheets/sheet1.xml`). */
function relativeTarget(fromDir: string, part: string): string {
  const from = fromDir ? fromDir.split('/') : [];
  const to = part.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i].toLowerCase() === to[i].toLowerCase()) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].map((s) => (s === '..' ? s : encodeURI(s))).join('/');
}

/** Merges the sheet's (clipped, non-overlapping) merged areas into an ExcelJS worksheet in linear time. */
function applyMerges(ws: ExcelJS.Worksheet, merges: readonly Area[]): void {
  const internal = ws as unknown as { _merges: Record<string, unknown> };
  const all = internal._merges;
  for (const m of merges) {
    if (m.r0 === m.r1 && m.c0 === m.c1) continue;
    // ExcelJS checks a new merge against every earlier one; the grid has already dropped overlapping areas,
    // so each merge is made against an empty list and then added to the sheet's.
    internal._merges = {};
    ws.mergeCellsWithoutStyle(m.r0 + 1, m.c0 + 1, m.r1 + 1, m.c1 + 1);
    Object.assign(all, internal._merges);
  }
  internal._merges = all;
}

/**
 * Loads xlsx bytes into an ExcelJS workbook, turning every failure into a Chinese InputError. The package is
 * normalised first (normalizeForExcelJS), so every package the grid reader reads loads here too, and merged
 * areas are applied clipped to each sheet's extent.
 */
export async function loadWorkbook(data: ArrayBuffer | Uint8Array, fileName = '工作簿'): Promise<ExcelJS.Workbook> {
  const pkg = await XlsxPackage.open(data, fileName);
  const read = await guarded(fileName, () => readPackageGrid(pkg, fileName, true));
  const normalized = await guarded(fileName, () => normalizeForExcelJS(pkg, read.sheets));
  const { default: ExcelJSModule } = await import('exceljs');
  const wb = new ExcelJSModule.Workbook();
  await guarded(fileName, async () => {
    // ExcelJS accepts a Buffer in Node and an ArrayBuffer in the browser.
    const arg = typeof Buffer !== 'undefined' ? Buffer.from(normalized) : normalized.buffer;
    await wb.xlsx.load(arg as ArrayBuffer);
  });
  for (const s of read.sheets) {
    const ws = wb.getWorksheet(s.name);
    if (ws) applyMerges(ws, s.grid.merges);
  }
  // An empty date in docProps/core.xml loads as an Invalid Date, on which ExcelJS's writer throws.
  const props = wb as unknown as Record<string, unknown>;
  for (const k of ['created', 'modified', 'lastPrinted']) {
    const d = props[k];
    if (d instanceof Date && Number.isNaN(d.getTime())) props[k] = undefined;
  }
  return wb;
}
