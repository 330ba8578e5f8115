/**
 * ExcelJS adapter, read direction: an .xlsx file (bytes or an ExcelJS workbook) into the engine's grid.
 */
import ExcelJS from 'exceljs';
import { Area, CellData, CellValue, parseAreaA1, SheetGrid, WorkbookGrid } from '../domain/grid';
import { addinSheetsFromNames } from '../domain/report/naming';

/** Thrown for input the engine cannot use at all; its message is Chinese and meant for the user. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

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
      // Merged slave cells repeat the master's value in ExcelJS; the grid resolves merges itself.
      if (cell.type === ExcelJS.ValueType.Merge) return;
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

/** Sheets the add-in wrote (its report sheets), known by the defined names that mark them. */
export function addinSheetsOf(wb: ExcelJS.Workbook): Set<string> {
  const names: { name: string; ref: string }[] = [];
  for (const dn of wb.definedNames.model as { name: string; ranges: string[] }[]) {
    for (const ref of dn.ranges) names.push({ name: dn.name, ref });
  }
  return new Set(addinSheetsFromNames(names));
}

/** The workbook as the engine sees it: every sheet but the add-in's own report sheets. */
export function workbookFromExcelJS(wb: ExcelJS.Workbook, fileName?: string): WorkbookGrid {
  const ours = addinSheetsOf(wb);
  const sheets: SheetGrid[] = [];
  wb.eachSheet((ws) => {
    if (!ours.has(ws.name)) sheets.push(sheetFromExcelJS(ws));
  });
  return { fileName, sheets };
}

/** Loads xlsx bytes into an ExcelJS workbook, turning every failure into a Chinese InputError. */
export async function loadWorkbook(data: ArrayBuffer | Uint8Array, fileName = '工作簿'): Promise<ExcelJS.Workbook> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length === 0) throw new InputError(`${fileName}：文件是空的，不是有效的 .xlsx 工作簿。`);
  // OLE2 compound file: either an encrypted xlsx or an old .xls.
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new InputError(
      `${fileName}：文件已加密（设置了打开密码）或为旧版 .xls 格式，无法读取。请在 Excel 中取消密码或另存为 .xlsx 后重试。`,
    );
  }
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) {
    throw new InputError(`${fileName}：不是 .xlsx 工作簿（文件格式无法识别）。`);
  }
  const wb = new ExcelJS.Workbook();
  try {
    // ExcelJS accepts a Buffer in Node and an ArrayBuffer in the browser.
    const arg = typeof Buffer !== 'undefined' ? Buffer.from(bytes) : bytes.buffer;
    await wb.xlsx.load(arg as ArrayBuffer);
  } catch (e) {
    throw new InputError(`${fileName}：工作簿已损坏或不是有效的 .xlsx 文件（${(e as Error).message}）。`);
  }
  return wb;
}

export async function readWorkbookBytes(data: ArrayBuffer | Uint8Array, fileName?: string): Promise<WorkbookGrid> {
  const wb = await loadWorkbook(data, fileName);
  return workbookFromExcelJS(wb, fileName);
}
