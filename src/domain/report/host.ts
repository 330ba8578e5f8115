/**
 * Pure helpers the two renderers share, so that they draw the spec identically.
 */

/**
 * Excel's column width in points for a width in character units (Calibri 11, maximum digit width 7 px,
 * 5 px padding): 8.43 characters → 48 pt. Office.js sets `columnWidth` in points; ExcelJS in characters.
 */
export function columnWidthPoints(chars: number): number {
  return Math.round((chars * 7 + 5) * 0.75 * 100) / 100;
}

/** The inverse of columnWidthPoints. */
export function columnWidthChars(points: number): number {
  return Math.round(((points / 0.75 - 5) / 7) * 100) / 100;
}

/**
 * Text that Excel would not keep as text when written through `Range.values`: a leading `=`, `+`, `-` or
 * `@` makes a formula; numbers, percentages, dates, times, currency and TRUE/FALSE are converted; a leading
 * apostrophe is swallowed as the text prefix.
 */
export function needsTextEscape(s: string): boolean {
  if (s === '') return false;
  if (/^[=+\-@']/.test(s)) return true;
  const t = s.trim();
  if (t !== s && t === '') return false;
  if (/^(true|false)$/i.test(t)) return true;
  // Anything that starts like a number (digits, sign, decimal point, currency, parentheses, %) may be
  // converted (`1/2` and `3-4` become dates, `1,000` a number, `10%` a percentage).
  if (/^[\s]*[(（]?[$¥￥€£]?[\s]*[.\d]/.test(s)) return true;
  // English month names (`May 2025`, `Jan-24`) become dates.
  if (/^\s*(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[\s\-/.,]*\d/i.test(s)) return true;
  return false;
}

/**
 * The value to put into `Range.values` so that Excel stores exactly this text: an apostrophe prefix where
 * Excel would otherwise turn the text into a formula, number or date (the apostrophe is not part of the
 * cell's value).
 */
export function excelTextValue(s: string): string {
  return needsTextEscape(s) ? `'${s}` : s;
}
