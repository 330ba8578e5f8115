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

export { escapeForValues, isFormula, shownContent } from '../domain/cells';
