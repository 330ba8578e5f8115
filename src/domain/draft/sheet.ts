/**
 * The draft as a printable A4 sheet 「绩效自评报告（草稿）」: a report sheet spec (src/domain/report/spec.ts),
 * so that every host's report renderer draws it (ExcelJS, Office.js, WPS) exactly as it draws the report.
 *
 * One column grid for the whole sheet (the tables' columns, snapped together as the report does); headings
 * and paragraphs span every column, prompts stand out in their own style, the tables keep their columns.
 * Portrait, fit to one page wide; the title row repeats on every page.
 */
import { buildGrid, ColDef, SheetBuilder } from '../report/layout';
import { chooseReportSheet, ExistingSheet, markerFor } from '../report/naming';
import type { ReportSpec, ReportValue, StyleName } from '../report/spec';
import { REPORT_STYLES } from '../report/styles';
import { textWidth, wrappedLines } from '../report/text';
import { DraftBlock, DraftDoc, DraftSection, DraftTable, Run, runsText, tableCells, walkSections } from './model';
import { DRAFT_TITLE_SUFFIX } from './prompts';

/** Lines of 12 pt prose a row may hold before the paragraph is continued on the next row (Excel: ≤ 409 pt). */
const MAX_LINES = 18;

const HEADING_STYLE: Record<DraftSection['level'], StyleName> = { 1: 'section', 2: 'subsection', 3: 'minorsection' };

/** A table cell's value and style: a lone figure stays a number, in the format it is written with. */
function cellOf(runs: Run[], align: 'left' | 'center' | 'right'): { value: ReportValue; style: StyleName } {
  if (runs.length === 1 && runs[0].t === 'figure') {
    const r = runs[0];
    const style: StyleName =
      r.format === 'money' ? 'money' : r.format === 'percent' ? 'rate' : r.format === 'count' ? 'int' : 'plainScore';
    return { value: r.value, style };
  }
  if (runs.some((r) => r.t === 'prompt')) return { value: runsText(runs), style: 'promptCell' };
  const s = runsText(runs);
  return { value: s === '' ? null : s, style: align === 'center' ? 'textCenter' : 'text' };
}

/** Splits a long paragraph after sentence ends (。；) so that each row stays within MAX_LINES. */
function chunks(s: string, width: number): string[] {
  if (wrappedLines(s, width) <= MAX_LINES) return [s];
  const pieces = s.split(/(?<=[。；])/u);
  const out: string[] = [];
  let cur = '';
  for (const p of pieces) {
    if (cur && wrappedLines(cur + p, width) > MAX_LINES) {
      out.push(cur);
      cur = '';
    }
    cur += p;
  }
  if (cur) out.push(cur);
  return out;
}

function colDefs(t: DraftTable): ColDef[] {
  return t.columns.map((c) => ({ header: c.header, min: c.width, max: c.width, wrap: c.align === 'left' }));
}

/** The tables of the document, the first of the indicator tables (most rows) as the primary grid. */
function tablesOf(doc: DraftDoc): DraftTable[] {
  const out: DraftTable[] = [];
  for (const p of doc.parts) {
    for (const s of walkSections(p.sections)) for (const b of s.blocks) if (b.type === 'table') out.push(b);
  }
  return out;
}

export function buildDraftSheetSpec(doc: DraftDoc, existingSheets: readonly ExistingSheet[]): ReportSpec {
  const { sheetName, replaces } = chooseReportSheet('draft', existingSheets);
  // One grid for every table shape: tables with the same headers share one entry.
  const shapes = new Map<string, DraftTable>();
  for (const t of tablesOf(doc)) {
    const key = t.columns.map((c) => `${c.header}:${c.width}`).join('|');
    if (!shapes.has(key)) shapes.set(key, t);
  }
  const kinds = [...shapes.entries()];
  // The indicator table (eight columns, 一级 first) is the primary: its rows need no horizontal merges.
  const primary = Math.max(
    0,
    kinds.findIndex(([, t]) => t.columns[0].header === '一级指标'),
  );
  const grid =
    kinds.length > 0
      ? buildGrid(
          kinds.map(([, t]) => ({ defs: colDefs(t), widths: t.columns.map((c) => c.width) })),
          primary,
        )
      : { widths: [88], spans: [] as { col: number; colSpan: number }[][] };
  const spansOf = new Map(kinds.map(([key], k) => [key, grid.spans[k]]));
  const b = new SheetBuilder(grid.widths);
  const nCols = b.colCount;
  const width = b.spanWidth(0, nCols);

  const full = (value: string, style: StyleName, h?: number) => {
    b.put(b.row, 0, nCols, value, style);
    if (h) b.minHeight(b.row, h);
    b.row++;
  };
  const gap = (h = 8) => {
    b.minHeight(b.row, h);
    b.row++;
  };

  const table = (t: DraftTable) => {
    const spans = spansOf.get(t.columns.map((c) => `${c.header}:${c.width}`).join('|'))!;
    full(t.caption, 'caption', 20);
    t.columns.forEach((c, i) => b.put(b.row, spans[i].col, spans[i].colSpan, c.header, 'header'));
    b.minHeight(b.row, 24);
    b.row++;
    const start = b.row;
    for (const { r, i, cell, down, across } of tableCells(t)) {
      const col = spans[i].col;
      const colSpan = spans[across].col + spans[across].colSpan - col;
      const { value, style } = cellOf(cell, t.columns[i].align);
      b.put(start + r, col, colSpan, value, style, { rowSpan: down });
    }
    for (let r = 0; r < t.rows.length; r++) b.minHeight(start + r, 20);
    b.row = start + t.rows.length;
    gap();
  };

  const block = (x: DraftBlock) => {
    if (x.type === 'table') return table(x);
    const s = runsText(x.runs);
    const style: StyleName = x.prompt ? 'prompt' : 'prose';
    // First-line indent of two characters, as in printed reports.
    for (const piece of chunks(`\u3000\u3000${s}`, width)) full(piece, style);
  };

  const sectionRows = (s: DraftSection) => {
    full(`${s.number}${s.title}`, HEADING_STYLE[s.level], s.level === 1 ? 28 : 22);
    for (const x of s.blocks) block(x);
    for (const c of s.children) sectionRows(c);
  };

  const title = `${doc.title}（草稿）`;
  // The checker knows the sheet by this title (prompts.ts): it must end so.
  if (!title.endsWith(DRAFT_TITLE_SUFFIX)) throw new Error(`draft title does not end with ${DRAFT_TITLE_SUFFIX}`);
  full(title, 'title', 40);
  // A meta line wider than the page wraps (as a note) instead of running off it.
  for (const line of doc.meta) {
    const s = runsText(line);
    full(s, textWidth(s) > width - 2 ? 'note' : 'meta');
  }
  gap();
  for (const p of doc.parts) {
    if (p.title) {
      gap(12);
      full(p.title, 'partTitle', 30);
    }
    for (const s of p.sections) sectionRows(s);
  }

  const rowCount = b.row;
  return {
    version: 1,
    kind: 'draft',
    sheetName,
    replaces,
    marker: markerFor('draft', sheetName),
    title,
    rowCount,
    colCount: nCols,
    columnWidths: grid.widths,
    rowHeights: b.rowHeights(rowCount),
    styles: REPORT_STYLES,
    cells: b.cells,
    merges: b.merges,
    conditionalFormats: [],
    freeze: { rows: 0, cols: 0 },
    print: {
      paperSize: 'A4',
      orientation: 'portrait',
      fitToWidth: 1,
      fitToHeight: 0,
      titleRows: null,
      rowBreaks: [],
      margins: { left: 0.6, right: 0.6, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 },
      centerHorizontally: true,
      footerCenter: '第 &P 页，共 &N 页',
    },
  };
}
