/**
 * Drawing a spec (report or new form) with WPS's object model: what the report and template renderers share.
 * Cells are written as one block (`Value2`), styles one `Range` per style and chunk of rectangles, so the
 * number of calls grows with the number of styles, merges and columns, not with the number of cells.
 */
import { Area, colName } from '../domain/grid';
import { cellMatrices, rowHeightRuns, styleRectangles } from '../domain/report';
import type { ReportStyle, ReportValue } from '../domain/report';
import {
  bgr,
  WpsApplication,
  WpsPageSetup,
  WpsRange,
  WpsWorkbook,
  WpsWorksheet,
  xlContinuous,
  xlHAlignCenter,
  xlHAlignLeft,
  xlHAlignRight,
  xlPaperA4,
  xlThin,
  xlUnderlineStyleNone,
  xlUnderlineStyleSingle,
  xlVAlignCenter,
  xlVAlignTop,
} from './api';
import { joinAddresses, rangeA1 } from './address';

export function applyStyle(r: WpsRange, st: ReportStyle): void {
  const font = r.Font;
  font.Name = st.font.name;
  font.Size = st.font.size;
  font.Bold = st.font.bold;
  font.Italic = st.font.italic;
  font.Underline = st.font.underline ? xlUnderlineStyleSingle : xlUnderlineStyleNone;
  font.Color = bgr(st.font.color);
  if (st.fill) r.Interior.Color = bgr(st.fill);
  r.HorizontalAlignment = st.hAlign === 'center' ? xlHAlignCenter : st.hAlign === 'right' ? xlHAlignRight : xlHAlignLeft;
  r.VerticalAlignment = st.vAlign === 'center' ? xlVAlignCenter : xlVAlignTop;
  r.WrapText = st.wrap;
  r.NumberFormat = st.numFmt;
  if (st.border) {
    // Every edge of every cell of the range, inside lines included (as the spec's thin black grid).
    const b = r.Borders;
    b.LineStyle = xlContinuous;
    b.Weight = xlThin;
    b.Color = 0;
  }
}

interface Drawable<S extends string> {
  rowCount: number;
  colCount: number;
  columnWidths: number[];
  rowHeights: number[];
  styles: Record<S, ReportStyle>;
  cells: readonly { row: number; col: number; rowSpan: number; colSpan: number; value: ReportValue; style: S }[];
  merges: Area[];
}

/** A new sheet named `name`, after the last sheet; it becomes the active sheet. */
export function addSheetAtEnd(wb: WpsWorkbook, name: string): WpsWorksheet {
  const sheets = wb.Worksheets;
  const last = sheets.Item(sheets.Count);
  const ws = sheets.Add(undefined, last);
  ws.Name = name;
  return ws;
}

/** Widths, heights, values, merges and styles of a spec on a fresh sheet. */
export function drawCells<S extends string>(ws: WpsWorksheet, spec: Drawable<S>): void {
  spec.columnWidths.forEach((w, c) => {
    ws.Range(`${colName(c)}1`).ColumnWidth = w;
  });
  for (const [r0, r1, h] of rowHeightRuns(spec.rowHeights)) ws.Range(`A${r0 + 1}:A${r1 + 1}`).RowHeight = h;
  if (spec.rowCount > 0 && spec.colCount > 0) {
    const { values } = cellMatrices(spec);
    // Never a non-finite number: WPS would store it as an error value without saying so.
    for (const row of values) for (let i = 0; i < row.length; i++) if (!Number.isFinite(row[i]) && typeof row[i] === 'number') row[i] = '—';
    // Formats first: a text cell formatted `@` keeps what is written as text.
    for (const g of styleRectangles(spec.cells)) {
      for (const list of joinAddresses(g.rects.map(rangeA1))) applyStyle(ws.Range(list), spec.styles[g.style]);
    }
    ws.Range(rangeA1({ r0: 0, c0: 0, r1: spec.rowCount - 1, c1: spec.colCount - 1 })).Value2 = values;
  }
  for (const m of spec.merges) ws.Range(rangeA1(m)).Merge();
}

export interface PageSetupSpec {
  orientation: number;
  fitToWidth: number;
  margins: { left: number; right: number; top: number; bottom: number; header: number; footer: number };
  centerHorizontally: boolean;
  footerCenter: string;
  titleRows?: { first: number; last: number } | null;
}

export function applyPageSetup(ws: WpsWorksheet, p: PageSetupSpec): void {
  const ps: WpsPageSetup = ws.PageSetup;
  ps.Orientation = p.orientation;
  ps.PaperSize = xlPaperA4;
  // Fit to one page wide, as many pages tall as needed.
  ps.Zoom = false;
  ps.FitToPagesWide = p.fitToWidth;
  ps.FitToPagesTall = false;
  ps.LeftMargin = p.margins.left * 72;
  ps.RightMargin = p.margins.right * 72;
  ps.TopMargin = p.margins.top * 72;
  ps.BottomMargin = p.margins.bottom * 72;
  ps.HeaderMargin = p.margins.header * 72;
  ps.FooterMargin = p.margins.footer * 72;
  ps.CenterHorizontally = p.centerHorizontally;
  ps.CenterFooter = p.footerCenter;
  if (p.titleRows) ps.PrintTitleRows = `$${p.titleRows.first + 1}:$${p.titleRows.last + 1}`;
}

/** Applications inside `quietly` now: a nested call (a renderer run by a session's write) switches nothing again. */
const quiet = new WeakSet<object>();

/** Runs `write` with WPS's events and alerts off (PerfSheet's own writes raise no SheetChange), then restores them. */
export function quietly<T>(app: WpsApplication, write: () => T): T {
  if (quiet.has(app)) return write();
  const events = app.EnableEvents;
  const alerts = app.DisplayAlerts;
  app.EnableEvents = false;
  if (alerts !== undefined) app.DisplayAlerts = false;
  quiet.add(app);
  try {
    return write();
  } finally {
    app.EnableEvents = events;
    if (alerts !== undefined) app.DisplayAlerts = alerts;
    quiet.delete(app);
  }
}
