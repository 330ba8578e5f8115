/**
 * What every host adapter does the same way with a cell's content before or after writing it: escaping text
 * so that it stays text, recognising a formula, and showing the content as a user sees it.
 */

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
