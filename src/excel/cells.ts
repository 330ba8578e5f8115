/**
 * Conversions between what the Excel JS API returns (`values`, `formulas`, `numberFormat` arrays) and the
 * engine's grid cells, and the escaping of values written back.
 */
import type { CellData, CellValue } from '../domain/grid';

/** Error values as `Range.values` returns them. */
const ERROR_RE = /^#(NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|EXTERNAL!|PYTHON!)$/;

export function toCellData(value: unknown, formula: unknown, numFmt: unknown): CellData | undefined {
  const f = typeof formula === 'string' && formula.startsWith('=') && formula.length > 1 ? formula.slice(1) : undefined;
  let v: CellValue;
  if (value === '' || value === null || value === undefined) v = null;
  else if (typeof value === 'number' || typeof value === 'boolean') v = value;
  else if (typeof value === 'string') v = ERROR_RE.test(value) ? { error: value } : value;
  else v = String(value);
  const fmt = typeof numFmt === 'string' && numFmt !== '' && numFmt !== 'General' ? numFmt : undefined;
  if (v === null && !f) return undefined;
  const cell: CellData = { value: v };
  if (fmt) cell.numFmt = fmt;
  if (f) cell.formula = f;
  return cell;
}

/**
 * A value ready for `range.values`: numbers and booleans as they are; text that Excel would turn into a
 * formula or a number (`=…`, `+…`, `-…`, `@…`, or a leading apostrophe that Excel would swallow) gets a
 * leading apostrophe, which Excel stores as the quote prefix and never shows.
 */
export function escapeForValues(v: string | number | boolean): string | number | boolean {
  if (typeof v !== 'string') return v;
  if (/^[=+\-@']/.test(v)) return `'${v}`;
  return v;
}

/** True when `formulas` reports a formula for the cell. */
export function isFormula(f: unknown): boolean {
  return typeof f === 'string' && f.startsWith('=') && f.length > 1;
}

/** The cell's content as a user sees it in the formula bar (for "current → new" lists). */
export function shownContent(formula: unknown, value: unknown): string {
  if (isFormula(formula)) return String(formula);
  if (value === null || value === undefined) return '';
  return String(value);
}
