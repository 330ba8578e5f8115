/**
 * The grid model: what every host (Office.js, ExcelJS, tests) turns a worksheet into before the engine
 * sees it. Rows and columns are 0-based inside the engine; A1 addresses are produced only at the edges.
 */

/** An Excel error value such as `#REF!` or `#DIV/0!`. */
export interface CellError {
  readonly error: string;
}

export type CellValue = number | string | boolean | CellError | null;

export interface CellData {
  value: CellValue;
  /** Excel number format, e.g. `0.00`, `0%`; absent or `General` when none. */
  numFmt?: string;
  /** The formula without its leading `=`, when the cell holds one (value is then its cached result). */
  formula?: string;
}

/** A rectangular area, 0-based, inclusive. */
export interface Area {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

export function isCellError(v: CellValue): v is CellError {
  return typeof v === 'object' && v !== null && 'error' in v;
}

// ---------------------------------------------------------------------------------------------------
// A1 addresses

export function colName(c: number): string {
  let s = '';
  let n = c + 1;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function a1(r: number, c: number): string {
  return `${colName(c)}${r + 1}`;
}

export function areaA1(a: Area): string {
  const s = a1(a.r0, a.c0);
  const e = a1(a.r1, a.c1);
  return s === e ? s : `${s}:${e}`;
}

/** The cells two areas share, or null. */
export function intersection(a: Area, b: Area): Area | null {
  const r0 = Math.max(a.r0, b.r0);
  const c0 = Math.max(a.c0, b.c0);
  const r1 = Math.min(a.r1, b.r1);
  const c1 = Math.min(a.c1, b.c1);
  return r0 <= r1 && c0 <= c1 ? { r0, c0, r1, c1 } : null;
}

/** True when `inner` lies within `outer`. */
export function containsArea(outer: Area, inner: Area): boolean {
  return inner.r0 >= outer.r0 && inner.r1 <= outer.r1 && inner.c0 >= outer.c0 && inner.c1 <= outer.c1;
}

/** Parses `B7` into 0-based row/col; returns null when it is not a cell address. */
export function parseA1(addr: string): { r: number; c: number } | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(addr.trim());
  if (!m) return null;
  let c = 0;
  for (const ch of m[1].toUpperCase()) c = c * 26 + (ch.charCodeAt(0) - 64);
  const r = parseInt(m[2], 10);
  if (r < 1) return null;
  return { r: r - 1, c: c - 1 };
}

/** Parses `A1:J19` (or a single cell) into an area. */
export function parseAreaA1(ref: string): Area | null {
  const parts = ref.split(':');
  const s = parseA1(parts[0]);
  const e = parseA1(parts[1] ?? parts[0]);
  if (!s || !e) return null;
  return {
    r0: Math.min(s.r, e.r),
    c0: Math.min(s.c, e.c),
    r1: Math.max(s.r, e.r),
    c1: Math.max(s.c, e.c),
  };
}

// ---------------------------------------------------------------------------------------------------
// Sheet grid

const NO_AREAS: readonly Area[] = [];
const NO_CELLS: readonly (CellData | undefined)[] = [];

/**
 * One worksheet as the engine sees it. Cells are stored row by row (sparse rows allowed); merged areas are
 * indexed so that `value(r, c)` returns the merged area's value for every cell inside it.
 *
 * Merged areas are clipped to the sheet's used range (the stored cells, or the extent of the cells the reader
 * saw when it passes one, grown by the merges anchored in it that are no larger than the data), so that a
 * merge over a whole sheet costs what the sheet's data costs, and a merge that reaches past the data still
 * resolves over the data. Overlapping merges (which Excel never writes)
 * keep the first one read. The index is built in one sweep over the merges sorted by first row: each row
 * holds a reference to the list of merges covering it, sorted by column, shared by every row until a merge
 * starts or ends; a lookup is a search in that list.
 */
export class SheetGrid {
  readonly name: string;
  readonly merges: readonly Area[];
  private readonly rows: (CellData | undefined)[][];
  /** For each row, the merged areas covering it, sorted by first column (shared between rows). */
  private readonly rowMerges: (readonly Area[] | undefined)[] = [];
  private readonly mergeStarts: Area[][] = [];
  private readonly nCols: number;

  constructor(
    name: string,
    rows: (CellData | undefined)[][],
    merges: readonly Area[] = [],
    extent?: { rows: number; cols: number },
  ) {
    this.name = name;
    this.rows = rows;
    let storedCols = 0;
    for (const row of rows) if (row && row.length > storedCols) storedCols = row.length;
    const dataRows = Math.max(rows.length, extent?.rows ?? 0);
    const dataCols = Math.max(storedCols, extent?.cols ?? 0);
    const valid = merges.filter((m) => m.r0 >= 0 && m.c0 >= 0 && m.r1 >= m.r0 && m.c1 >= m.c0);
    // The used range: the data's extent, grown by the merges anchored inside it that are no larger than the
    // data itself (a title merged over an empty last column, a merge one column past the last value), so
    // that only a merge out of proportion with the sheet (a whole-sheet merge) is cut at the data's edge.
    const dataArea = dataRows * dataCols;
    let maxR = dataRows - 1;
    let maxC = dataCols - 1;
    for (const m of valid) {
      if (m.r0 >= dataRows || m.c0 >= dataCols) continue;
      if ((m.r1 - m.r0 + 1) * (m.c1 - m.c0 + 1) > dataArea) continue;
      if (m.r1 > maxR) maxR = m.r1;
      if (m.c1 > maxC) maxC = m.c1;
    }
    const clipped: Area[] = [];
    for (const m of valid) {
      if (m.r0 > maxR || m.c0 > maxC) continue; // nothing of it is inside the used range
      clipped.push(
        m.r1 > maxR || m.c1 > maxC ? { r0: m.r0, c0: m.c0, r1: Math.min(m.r1, maxR), c1: Math.min(m.c1, maxC) } : m,
      );
    }
    this.merges = this.indexMerges(clipped);
    let nc = storedCols;
    for (const m of this.merges) if (m.c1 + 1 > nc) nc = m.c1 + 1;
    this.nCols = nc;
  }

  /** Builds rowMerges and mergeStarts; returns the merges kept (an overlapping merge is dropped). */
  private indexMerges(merges: Area[]): Area[] {
    if (merges.length === 0) return merges;
    const order = merges.map((m, i) => ({ m, i }));
    order.sort((a, b) => a.m.r0 - b.m.r0 || a.i - b.i);
    // Every row where the set of merges covering a row changes: a merge starts, or the row after one ends.
    const events = new Set<number>();
    for (const m of merges) {
      events.add(m.r0);
      events.add(m.r1 + 1);
    }
    const rowsOfChange = [...events].sort((a, b) => a - b);
    const kept = new Uint8Array(merges.length);
    let active: Area[] = []; // covering the current row, sorted by c0, disjoint
    let k = 0;
    for (let e = 0; e < rowsOfChange.length; e++) {
      const row = rowsOfChange[e];
      if (active.some((m) => m.r1 < row)) active = active.filter((m) => m.r1 >= row);
      for (; k < order.length && order[k].m.r0 === row; k++) {
        const { m, i } = order[k];
        let lo = 0;
        let hi = active.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (active[mid].c0 < m.c0) lo = mid + 1;
          else hi = mid;
        }
        // Refuse an overlap with the neighbours: the covering areas of a row are disjoint.
        if ((lo > 0 && active[lo - 1].c1 >= m.c0) || (lo < active.length && active[lo].c0 <= m.c1)) continue;
        active.splice(lo, 0, m);
        kept[i] = 1;
        (this.mergeStarts[m.r0] ??= []).push(m);
      }
      if (active.length === 0) continue;
      // Rows up to the next change share one list.
      const shared: readonly Area[] = active.slice();
      const until = e + 1 < rowsOfChange.length ? rowsOfChange[e + 1] : row;
      for (let r = row; r < until; r++) this.rowMerges[r] = shared;
    }
    return merges.filter((_, i) => kept[i] === 1);
  }

  /** Builds a grid from plain values (tests, generators): `null`/`undefined` are empty cells. */
  static fromValues(
    name: string,
    values: (CellValue | undefined)[][],
    merges: (Area | string)[] = [],
    formats: Record<string, string> = {},
  ): SheetGrid {
    const rows: (CellData | undefined)[][] = values.map((row) =>
      row.map((v) => (v === undefined || v === null || v === '' ? undefined : { value: v })),
    );
    for (const [addr, fmt] of Object.entries(formats)) {
      const p = parseA1(addr);
      if (!p) continue;
      const row = (rows[p.r] ??= []);
      const cell = row[p.c];
      if (cell) cell.numFmt = fmt;
      else row[p.c] = { value: null, numFmt: fmt };
    }
    const areas = merges.map((m) => (typeof m === 'string' ? parseAreaA1(m) : m)).filter((m): m is Area => m !== null);
    return new SheetGrid(name, rows, areas);
  }

  get rowCount(): number {
    return this.rows.length;
  }

  get colCount(): number {
    return this.nCols;
  }

  /** The merged areas whose top-left cell is in row r. */
  mergesStartingIn(r: number): readonly Area[] {
    return this.mergeStarts[r] ?? NO_AREAS;
  }

  /** The stored cells of row r (sparse; index = column). */
  rowCells(r: number): readonly (CellData | undefined)[] {
    return this.rows[r] ?? NO_CELLS;
  }

  /** The cell as stored (no merge resolution). */
  raw(r: number, c: number): CellData | undefined {
    const row = this.rows[r];
    return row ? row[c] : undefined;
  }

  /** The merged area containing (r, c), if any. */
  mergeAt(r: number, c: number): Area | undefined {
    const list = this.rowMerges[r];
    if (list === undefined) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = list[mid];
      if (c < m.c0) hi = mid - 1;
      else if (c > m.c1) lo = mid + 1;
      else return m;
    }
    return undefined;
  }

  /** The cell that carries the value shown at (r, c): the merge's top-left cell when merged. */
  cell(r: number, c: number): CellData | undefined {
    const m = this.mergeAt(r, c);
    return m ? this.raw(m.r0, m.c0) : this.raw(r, c);
  }

  value(r: number, c: number): CellValue {
    const cell = this.cell(r, c);
    return cell ? cell.value : null;
  }

  /** True when (r, c) is empty after merge resolution (errors and whitespace-only text count as content/empty respectively). */
  isBlank(r: number, c: number): boolean {
    const v = this.value(r, c);
    return v === null || (typeof v === 'string' && v.trim() === '');
  }

  /** Every row index that has at least one stored cell. */
  *rowIndexes(): Iterable<number> {
    for (let r = 0; r < this.rows.length; r++) if (this.rows[r] && this.rows[r].length) yield r;
  }
}

/**
 * The merged area that keeps the cell (r, c) of a column headed at `headerRow` from being a cell of its own:
 * one that spans other rows, or columns beyond its column's header (a 分值 merged with its 得分, a total merged
 * into its label). A computed value is never written there, and a value read there is not the column's.
 */
export function mergeConflict(g: SheetGrid, r: number, c: number, headerRow: number): Area | null {
  const m = g.mergeAt(r, c);
  if (!m || (m.r0 === m.r1 && m.c0 === m.c1)) return null;
  const h = g.mergeAt(headerRow, c);
  const c0 = h ? h.c0 : c;
  const c1 = h ? h.c1 : c;
  return m.r0 === r && m.r1 === r && m.c0 >= c0 && m.c1 <= c1 ? null : m;
}

/**
 * Whether the value shown at (r, c) is that column's own: the cell is not merged, or its merged area starts in
 * this row inside the column's header span. (A 执行率 cell merged into the 分值 left of it shows the 分值.)
 */
export function ownValueAt(g: SheetGrid, r: number, c: number, headerRow: number): boolean {
  const m = g.mergeAt(r, c);
  if (!m) return true;
  const h = g.mergeAt(headerRow, c);
  return m.r0 === r && m.c0 >= (h ? h.c0 : c) && m.c0 <= (h ? h.c1 : c);
}

export interface WorkbookGrid {
  /** The file name, when known (used for the workbook year and in reports). */
  fileName?: string;
  sheets: SheetGrid[];
  /**
   * Sheets that are the add-in's 自评报告 draft by its marker name (src/domain/report/naming.ts), whatever the
   * user has since named or titled them: read for the prompts left in them (D01), never as forms.
   */
  draftSheets?: string[];
}
