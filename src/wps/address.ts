/** A1 addresses as WPS writes and reads them (`$A$1:$B$2`, areas joined by commas). */
import { Area, areaA1, parseAreaA1 } from '../domain/grid';

/** `$B$3:$D$4` → the area (0-based); null when it is not a cell or range address. */
export function areaOfAddress(address: string): Area | null {
  const bare = address.includes('!') ? address.slice(address.lastIndexOf('!') + 1) : address;
  return parseAreaA1(bare.replace(/\$/g, '').trim());
}

/** `$A$1,$C$3:$D$4` → its areas. */
export function areasOfAddress(address: string): Area[] {
  return address
    .split(',')
    .map((a) => areaOfAddress(a))
    .filter((a): a is Area => a !== null);
}

/** The address WPS's `Worksheet.Range` takes for an area (`A1:J19`, `B7`). */
export function rangeA1(a: Area): string {
  return areaA1(a);
}

/**
 * Cell addresses joined into comma lists no longer than `max` characters: `Worksheet.Range` refuses an
 * address longer than 255 characters, as Excel's does.
 */
export function joinAddresses(cells: readonly string[], max = 250): string[] {
  const out: string[] = [];
  let cur = '';
  for (const c of cells) {
    if (cur && cur.length + 1 + c.length > max) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur},${c}` : c;
  }
  if (cur) out.push(cur);
  return out;
}
