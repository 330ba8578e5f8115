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
 */
export class SheetGrid {
  readonly name: string;
  readonly merges: readonly Area[];
  private readonly rows: (CellData | undefined)[][];
  /** Merge index by row then column: array access is what every cell lookup pays for. */
  private readonly anchor: (Area | undefined)[][] = [];
  private readonly mergeStarts: Area[][] = [];
  private readonly nCols: number;

  constructor(name: string, rows: (CellData | undefined)[][], merges: readonly Area[] = []) {
    this.name = name;
    this.rows = rows;
    const valid: Area[] = [];
    for (const m of merges) {
      if (m.r0 < 0 || m.c0 < 0 || m.r1 < m.r0 || m.c1 < m.c0) continue;
      // Guard against absurd merges (whole columns): index at most 100k cells per area.
      if ((m.r1 - m.r0 + 1) * (m.c1 - m.c0 + 1) > 100_000) continue;
      valid.push(m);
      (this.mergeStarts[m.r0] ??= []).push(m);
      for (let r = m.r0; r <= m.r1; r++) {
        const row = (this.anchor[r] ??= []);
        for (let c = m.c0; c <= m.c1; c++) row[c] = m;
      }
    }
    this.merges = valid;
    let nc = 0;
    for (const row of rows) if (row && row.length > nc) nc = row.length;
    for (const m of valid) if (m.c1 + 1 > nc) nc = m.c1 + 1;
    this.nCols = nc;
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
    const areas = merges
      .map((m) => (typeof m === 'string' ? parseAreaA1(m) : m))
      .filter((m): m is Area => m !== null);
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
    const row = this.anchor[r];
    return row === undefined ? undefined : row[c];
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

export interface WorkbookGrid {
  /** The file name, when known (used for the workbook year and in reports). */
  fileName?: string;
  sheets: SheetGrid[];
}
