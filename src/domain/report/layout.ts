/**
 * Column layout and cell placement for the report sheet.
 *
 * The report stacks tables with different columns (汇总表, 问题清单, 指标明细) on one sheet. Each table
 * declares its logical columns; their widths are fitted to the Chinese text they hold (CJK counts 2), every
 * table is stretched to the same total width, and the sheet's columns are the union of the tables' column
 * boundaries (see buildGrid for how boundaries snap together). A logical column then spans one or more
 * sheet columns (a merged cell when more than one) — on paper each table looks as if it had its own columns.
 */
import type { Area } from '../grid';
import { REPORT_STYLES } from './styles';
import type { ReportCell, ReportLink, ReportValue, StyleName } from './spec';
import { textWidth, wrappedLines } from './text';

export interface ColDef {
  header: string;
  min: number;
  max: number;
  /** Text that wraps (names, descriptions): takes the extra width when a table is stretched. */
  wrap?: boolean;
}

/** Width a column needs for its header (wrapped onto at most two lines when long) and its contents. */
export function desiredWidth(def: ColDef, contents: readonly string[]): number {
  const lines = def.header.split('\n');
  const hw = lines.reduce((m, l) => Math.max(m, textWidth(l)), 0) * 1.05;
  const header = lines.length === 1 && hw > 10 ? Math.ceil(hw / 2) + 2 : hw + 2;
  let content = 0;
  for (const c of contents) {
    for (const l of c.split('\n')) content = Math.max(content, textWidth(l) + 2);
  }
  return Math.min(def.max, Math.max(def.min, header, content));
}

export interface Grid {
  widths: number[];
  /** For each table (in the order given), the sheet-column span of each logical column. */
  spans: { col: number; colSpan: number }[][];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** How far (character units) another table's column boundary may move to land on an existing one. */
const SNAP_MAX = 5;
/** A column may lose at most this share of its fitted width by snapping. */
const SHRINK = 0.7;
/** Boundaries closer than this to an existing one always snap to it. */
const SLIVER = 2.5;

/**
 * Stretches every table to the widest table's total (extra width goes to wrapping columns) and builds the
 * sheet's columns. The primary table (the one with the most rows: 指标明细 in a self-evaluation report) keeps
 * its boundaries exactly, so its rows need no horizontal merges; every other table moves each boundary onto
 * an existing one when that is close and leaves both neighbouring columns wide enough, and adds a boundary
 * only otherwise.
 */
export function buildGrid(tables: { defs: ColDef[]; widths: number[] }[], primary = 0): Grid {
  const total = tables.reduce(
    (m, t) =>
      Math.max(
        m,
        t.widths.reduce((a, b) => a + b, 0),
      ),
    0,
  );
  const stretched = tables.map(({ defs, widths }) => {
    const sum = widths.reduce((a, b) => a + b, 0);
    const extra = total - sum;
    if (extra <= 0) return widths.slice();
    const flex = defs.map((d, i) => (d.wrap ? widths[i] : 0));
    const flexSum = flex.reduce((a, b) => a + b, 0);
    return widths.map((w, i) => (flexSum > 0 ? w + (extra * flex[i]) / flexSum : w + extra / widths.length));
  });
  const cumulative = (ws: number[]) => {
    const out = [0];
    for (const w of ws) out.push(out[out.length - 1] + w);
    out[out.length - 1] = total;
    return out;
  };
  const edges: number[] = cumulative(stretched[primary]).map(round2);
  // Each table's boundaries after snapping.
  const bounds: number[][] = stretched.map(() => []);
  bounds[primary] = edges.slice();
  const order = stretched.map((_, i) => i).filter((i) => i !== primary);
  for (const t of order) {
    const ws = stretched[t];
    const defs = tables[t].defs;
    const cum = cumulative(ws);
    const out = [0];
    for (let i = 1; i < cum.length - 1; i++) {
      const b = cum[i];
      const prev = out[i - 1];
      const lower = prev + Math.max(defs[i - 1].min, ws[i - 1] * SHRINK);
      const upper = cum[i + 1] - Math.max(defs[i].min, ws[i] * SHRINK);
      let best: number | null = null;
      for (const e of edges) {
        if (e <= prev || Math.abs(e - b) > SNAP_MAX || e < lower || e > upper) continue;
        if (best === null || Math.abs(e - b) < Math.abs(best - b)) best = e;
      }
      // Never leave a sliver column next to an existing boundary.
      if (best === null) {
        for (const e of edges) {
          if (e > prev && Math.abs(e - b) < SLIVER && (best === null || Math.abs(e - b) < Math.abs(best - b))) best = e;
        }
      }
      const chosen = best ?? round2(b);
      if (best === null) edges.push(chosen);
      out.push(chosen);
    }
    out.push(total);
    bounds[t] = out.map(round2);
  }
  const grid = [...new Set(edges.map(round2))].sort((a, b) => a - b);
  const widths: number[] = [];
  for (let i = 1; i < grid.length; i++) widths.push(round2(grid[i] - grid[i - 1]));
  const index = (x: number) => grid.indexOf(round2(x));
  const spans = bounds.map((bs) => {
    const out: { col: number; colSpan: number }[] = [];
    for (let i = 1; i < bs.length; i++) out.push({ col: index(bs[i - 1]), colSpan: index(bs[i]) - index(bs[i - 1]) });
    return out;
  });
  return { widths, spans };
}

/** Line height in points for a font size. */
function lineHeight(size: number): number {
  return size * 1.35;
}

export class SheetBuilder {
  readonly cells: ReportCell[] = [];
  readonly merges: Area[] = [];
  private readonly heights: number[] = [];
  row = 0;

  constructor(readonly widths: number[]) {}

  get colCount(): number {
    return this.widths.length;
  }

  spanWidth(col: number, colSpan: number): number {
    let w = 0;
    for (let c = col; c < col + colSpan; c++) w += this.widths[c];
    return w;
  }

  put(
    row: number,
    col: number,
    colSpan: number,
    value: ReportValue,
    style: StyleName,
    opts: { rowSpan?: number; link?: ReportLink; fit?: boolean } = {},
  ): void {
    const rowSpan = opts.rowSpan ?? 1;
    const cell: ReportCell = { row, col, value, style, rowSpan, colSpan };
    if (opts.link) cell.link = opts.link;
    this.cells.push(cell);
    if (rowSpan > 1 || colSpan > 1)
      this.merges.push({ r0: row, c0: col, r1: row + rowSpan - 1, c1: col + colSpan - 1 });
    if (opts.fit !== false && rowSpan === 1) this.fit(row, col, colSpan, value, style);
  }

  /** Raises the row's height so that the cell's text fits (wrapped when the style wraps). */
  fit(row: number, col: number, colSpan: number, value: ReportValue, style: StyleName): void {
    const st = REPORT_STYLES[style];
    const size = st.font.size;
    let lines = 1;
    if (typeof value === 'string' && value !== '') {
      if (st.wrap) {
        // Widths are in units of a 10.5 pt CJK half-glyph; larger fonts take proportionally more.
        const usable = (this.spanWidth(col, colSpan) - 1.2) / (size / 10.5) / (st.font.bold ? 1.05 : 1);
        lines = wrappedLines(value, usable);
      } else lines = value.split('\n').length;
    }
    this.minHeight(row, Math.ceil(lines * lineHeight(size) + 6));
  }

  minHeight(row: number, h: number): void {
    this.heights[row] = Math.max(this.heights[row] ?? 0, h);
  }

  rowHeights(rowCount: number): number[] {
    const out: number[] = [];
    for (let r = 0; r < rowCount; r++) out.push(this.heights[r] ?? 15);
    return out;
  }
}
