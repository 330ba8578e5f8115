/** Displays a cell value with (a useful subset of) its Excel number format, for the preview grid. */
export function formatCell(value: string | number | boolean, numFmt: string): string {
  if (value === '' || value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return value;
  const fmt = (numFmt || 'General').split(';')[0];
  if (fmt === 'General' || fmt === '@') {
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toPrecision(11)));
  }
  const m = /0(?:\.(0+))?/.exec(fmt);
  const decimals = m && m[1] ? m[1].length : 0;
  const percent = fmt.includes('%');
  const n = percent ? value * 100 : value;
  let s = n.toFixed(decimals);
  if (fmt.includes(',')) {
    const [int, frac] = s.split('.');
    s = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? `.${frac}` : '');
  }
  return percent ? `${s}%` : s;
}
