/**
 * Office-style range addresses: `劳模体检!A1:J19`, `'My sheet'!B3`, and comma-separated lists of them
 * (as `RangeAreas.address` returns). Pure functions shared by the adapter and the in-memory host.
 */
import { Area, areaA1, parseAreaA1 } from '../domain/grid';

/** Quotes a sheet name the way Excel does in addresses when it is not a plain identifier. */
export function quoteSheet(name: string): string {
  // Letters (any script), digits, underscore and dot need no quotes unless the name starts with a digit.
  if (/^[\p{L}_][\p{L}\p{N}_.]*$/u.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name)) return name;
  return `'${name.replace(/'/g, "''")}'`;
}

export function sheetAddress(sheet: string, area: Area): string {
  return `${quoteSheet(sheet)}!${areaA1(area)}`;
}

/** Joins addresses into comma-separated lists of at most `maxChars` each (for getRanges / areas). */
export function joinAddressLists(addresses: readonly string[], maxChars: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const a of addresses) {
    if (cur && cur.length + a.length + 1 > maxChars) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur},${a}` : a;
  }
  if (cur) out.push(cur);
  return out;
}

/** Splits a comma-separated address list, respecting quoted sheet names. */
export function splitAddressList(list: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === "'") {
      if (quoted && list[i + 1] === "'") {
        cur += "''";
        i++;
        continue;
      }
      quoted = !quoted;
      cur += ch;
    } else if (ch === ',' && !quoted) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Parses `Sheet!A1:B2` (sheet optional) into its sheet name and area; whole rows/columns are not supported. */
export function parseSheetAddress(addr: string): { sheet: string | null; area: Area } | null {
  let sheet: string | null = null;
  let ref = addr.trim();
  const bang = ref.lastIndexOf('!');
  if (bang >= 0) {
    let s = ref.slice(0, bang);
    if (s.startsWith("'") && s.endsWith("'")) s = s.slice(1, -1).replace(/''/g, "'");
    sheet = s;
    ref = ref.slice(bang + 1);
  }
  const area = parseAreaA1(ref.replace(/\$/g, ''));
  return area ? { sheet, area } : null;
}

export function parseAddressList(list: string): Area[] {
  const out: Area[] = [];
  for (const part of splitAddressList(list)) {
    const p = parseSheetAddress(part);
    if (p) out.push(p.area);
  }
  return out;
}

export function intersects(a: Area, b: Area): boolean {
  return a.r0 <= b.r1 && b.r0 <= a.r1 && a.c0 <= b.c1 && b.c0 <= a.c1;
}

export function contains(outer: Area, r: number, c: number): boolean {
  return r >= outer.r0 && r <= outer.r1 && c >= outer.c0 && c <= outer.c1;
}
