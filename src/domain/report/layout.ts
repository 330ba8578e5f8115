/**
 * Column layout and cell placement for the report sheet.
 *
 * The report stacks tables with different columns (汇总表, 问题清单, 指标明细) on one sheet. Each table
 * declares its logical columns; their widths are fitted to the Chinese text they hold (CJK counts 2), every
 * table is stretched to the same total width, and the sheet's columns are the union of all tables' column
 * boundaries (boundaries closer than SNAP units are merged). A logical column then spans one or more sheet
 * columns (a merged cell when more than one) — on paper each table looks as if it had its own columns.
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

const SNAP = 2.5;

/** Width a column needs for its header (wrapped onto at most two lines when long) and its contents. */
export function desiredWidth(def: ColDef, contents: readonly string[]): number {
  const lines = def.header.split('\n');
  const hw = Math.max(...lines.map((l) => textWidth(l))) * 1.05;
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

/**
 * Stretches every table to the widest table's total (extra width goes to wrapping columns) and builds the
 * sheet's columns from the union of their boundaries.
 */
export function buildGrid(tables: { defs: ColDef[]; widths: number[] }[]): Grid {
  const total = Math.max(...tables.map((t) => t.widths.reduce((a, b) => a + b, 0)));
  const stretched = tables.map(({ defs, widths }) => {
    const sum = widths.reduce((a, b) => a + b, 0);
    const extra = total - sum;
    if (extra <= 0) return widths.slice();
    const flex = defs.map((d, i) => (d.wrap ? widths[i] : 0));
    const flexSum = flex.reduce((a, b) => a + b, 0);
    return widths.map((w, i) => (flexSum > 0 ? w + (extra * flex[i]) / flexSum : w + extra / widths.length));
  });
  // Interior boundaries of every table, clustered.
  const bounds: number[] = [];
  for (const ws of stretched) {
    let acc = 0;
    for (let i = 0; i < ws.length - 1; i++) {
      acc += ws[i];
      bounds.push(acc);
    }
  }
  bounds.sort((a, b) => a - b);
  const clusters: number[][] = [];
  for (const b of bounds) {
    const last = clusters[clusters.length - 1];
    if (last && b - last[0] <= SNAP) last.push(b);
    else clusters.push([b]);
  }
  const reps = clusters.map((c) => round2(c.reduce((a, b) => a + b, 0) / c.length));
  const edges = [0, ...reps, total];
  const widths: number[] = [];
  for (let i = 1; i < edges.length; i++) widths.push(round2(edges[i] - edges[i - 1]));
  const edgeIndex = (x: number): number => {
    if (x >= total - 1e-9) return edges.length - 1;
    const k = clusters.findIndex((c) => c.some((b) => Math.abs(b - x) < 1e-9));
    return k + 1;
  };
  const spans = stretched.map((ws) => {
    const out: { col: number; colSpan: number }[] = [];
    let acc = 0;
    let start = 0;
    for (let i = 0; i < ws.length; i++) {
      acc += ws[i];
      const end = i === ws.length - 1 ? edges.length - 1 : edgeIndex(acc);
      out.push({ col: start, colSpan: end - start });
      start = end;
    }
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
    if (rowSpan > 1 || colSpan > 1) this.merges.push({ r0: row, c0: col, r1: row + rowSpan - 1, c1: col + colSpan - 1 });
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
