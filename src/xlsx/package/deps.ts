/**
 * Which cells a formula reads, well enough to tell whether it may depend on a cell the fill wrote: A1
 * references and ranges (with or without a sheet), whole columns/rows, and defined names. Anything it cannot
 * follow (INDIRECT, OFFSET, structured or 3-D references, unknown names) counts as "may depend on anything".
 */
import { Area } from '../../domain/grid';

export interface Ref {
  sheet: string;
  area: Area;
}

const MAX_ROW = 1_048_575;
const MAX_COL = 16_383;

function colIndex(letters: string): number {
  let c = 0;
  for (const ch of letters.toUpperCase()) c = c * 26 + (ch.charCodeAt(0) - 64);
  return c - 1;
}

/** `'It''s'` → `It's`; `Sheet1` → `Sheet1`. */
function sheetName(prefix: string): string {
  const s = prefix.slice(0, -1); // drop `!`
  return s.startsWith("'") ? s.slice(1, -1).replace(/''/g, "'") : s;
}

const SHEET = `(?:'(?:[^']|'')+'|[^\\s'!()+\\-*/^&=<>,;:{}"\\[\\]]+)!`;
const CELL = '\\$?[A-Za-z]{1,3}\\$?\\d+';
const REF_RE = new RegExp(
  `(\\[\\d+\\])?(${SHEET})?(?:(${CELL})(?::(${CELL}))?|(\\$?[A-Za-z]{1,3}):(\\$?[A-Za-z]{1,3})|(\\$?\\d+):(\\$?\\d+))(?![\\w.(!])`,
  'y',
);
const UNFOLLOWABLE = /\b(INDIRECT|OFFSET)\s*\(/i;

function parseCell(s: string, dr: number, dc: number): { r: number; c: number } {
  const m = /^(\$?)([A-Za-z]{1,3})(\$?)(\d+)$/.exec(s)!;
  const c = colIndex(m[2]) + (m[1] ? 0 : dc);
  const r = Number(m[4]) - 1 + (m[3] ? 0 : dr);
  return { r, c };
}

/**
 * The references of a formula (text as in `<f>`, without `=`) on `sheet`, shifted by (dr, dc) for the
 * relative parts (a shared formula's member); null when the formula may read anything.
 */
export function formulaRefs(text: string, sheet: string, names: ReadonlyMap<string, string>, dr = 0, dc = 0, depth = 0): Ref[] | null {
  if (UNFOLLOWABLE.test(text)) return null;
  const refs: Ref[] = [];
  // String literals hold no references.
  const t = text.replace(/"(?:[^"]|"")*"/g, '""');
  let i = 0;
  while (i < t.length) {
    const prev = i > 0 ? t[i - 1] : '';
    if (/[A-Za-z0-9_.$'\u0080-\uffff]/.test(prev)) {
      i++;
      continue;
    }
    REF_RE.lastIndex = i;
    const m = REF_RE.exec(t);
    if (m) {
      i = REF_RE.lastIndex;
      if (m[1]) continue; // an external workbook: not this package
      const sh = m[2] ? sheetName(m[2]) : sheet;
      if (sh.includes(':')) return null; // 3-D reference
      let area: Area;
      if (m[3]) {
        const a = parseCell(m[3], dr, dc);
        const b = m[4] ? parseCell(m[4], dr, dc) : a;
        area = { r0: Math.min(a.r, b.r), c0: Math.min(a.c, b.c), r1: Math.max(a.r, b.r), c1: Math.max(a.c, b.c) };
      } else if (m[5]) {
        const a = colIndex(m[5].replace('$', '')) + (m[5].startsWith('$') ? 0 : dc);
        const b = colIndex(m[6].replace('$', '')) + (m[6].startsWith('$') ? 0 : dc);
        area = { r0: 0, c0: Math.min(a, b), r1: MAX_ROW, c1: Math.max(a, b) };
      } else {
        const a = Number(m[7].replace('$', '')) - 1 + (m[7].startsWith('$') ? 0 : dr);
        const b = Number(m[8].replace('$', '')) - 1 + (m[8].startsWith('$') ? 0 : dr);
        area = { r0: Math.min(a, b), c0: 0, r1: Math.max(a, b), c1: MAX_COL };
      }
      refs.push({ sheet: sh, area });
      continue;
    }
    // An identifier: a function (followed by `(`), TRUE/FALSE, a defined name, or something unknown.
    const id = /^(?:'(?:[^']|'')+'|[A-Za-z_\\\u0080-\uffff][\w.\u0080-\uffff]*)/.exec(t.slice(i));
    if (id) {
      const word = id[0];
      const after = t.slice(i + word.length);
      i += word.length;
      if (/^\s*\(/.test(after) || /^(TRUE|FALSE)$/i.test(word)) continue;
      if (after.startsWith('[') || after.startsWith('!')) return null; // structured or unparsed sheet reference
      const def = names.get(word.toLowerCase());
      if (def === undefined || depth > 4) return null;
      const inner = formulaRefs(def, sheet, names, 0, 0, depth + 1);
      if (inner === null) return null;
      refs.push(...inner);
      continue;
    }
    if (t[i] === '[') return null;
    i++;
  }
  return refs;
}

export function intersects(a: Area, r: number, c: number): boolean {
  return r >= a.r0 && r <= a.r1 && c >= a.c0 && c <= a.c1;
}
