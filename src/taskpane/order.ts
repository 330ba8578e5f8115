/**
 * Worst first: the order in which the pane shows findings and tables and in which 上一个 / 下一个 step
 * through them. Errors, then warnings, then infos; within each, the selected table's first, then the rest of
 * the current sheet's, then the other sheets in the pane's table order; within one table by row, then column.
 * A finding marked 已复核 leaves the counts and the queue (it is listed under 已复核, where 取消复核 brings it
 * back). Pure: no React, no host.
 */
import { Review, reviewKey } from '../domain/settings';
import type { Finding, Severity, TableResult, WorkbookResult } from '../domain/types';

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export interface Where {
  /** The sheet the user is on. */
  activeSheet: string | null;
  /** The user's selection. */
  selection: { sheet: string; address: string } | null;
}

export interface Area {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

/** An A1 cell or range (`$` and a `Sheet!` prefix allowed), 0-based, or null. */
export function parseArea(a: string): Area | null {
  const parts = a.replace(/\$/g, '').replace(/^.*!/, '').toUpperCase().split(':');
  const cell = (s: string) => {
    const m = /^([A-Z]{1,3})(\d+)$/.exec(s);
    if (!m) return null;
    let c = 0;
    for (const ch of m[1]) c = c * 26 + ch.charCodeAt(0) - 64;
    return { r: Number(m[2]) - 1, c: c - 1 };
  };
  const a0 = cell(parts[0]);
  const a1 = parts[1] ? cell(parts[1]) : a0;
  if (!a0 || !a1) return null;
  return { r0: Math.min(a0.r, a1.r), c0: Math.min(a0.c, a1.c), r1: Math.max(a0.r, a1.r), c1: Math.max(a0.c, a1.c) };
}

const inside = (cell: Area, area: Area) => cell.r0 >= area.r0 && cell.r0 <= area.r1 && cell.c0 >= area.c0 && cell.c0 <= area.c1;

/**
 * The table the user is working on: the one holding the selection, else the first of the current sheet's
 * (in the pane's order), else null.
 */
export function currentTable(r: WorkbookResult | null, where: Where): TableResult | null {
  if (!r) return null;
  const sel = where.selection;
  if (sel) {
    const at = parseArea(sel.address);
    const hit = at && r.tables.find((t) => t.sheet === sel.sheet && inside(at, parseArea(t.range) ?? { r0: -1, c0: -1, r1: -2, c1: -2 }));
    if (hit) return hit;
  }
  const sheet = sel?.sheet ?? where.activeSheet;
  return r.tables.find((t) => t.sheet === sheet) ?? null;
}

export const isReviewed = (f: Finding, reviews: ReadonlyMap<string, Review>): boolean => reviews.has(reviewKey(f));

/** Findings not marked 已复核. */
export function open(findings: Finding[], reviews: ReadonlyMap<string, Review>): Finding[] {
  return findings.filter((f) => !isReviewed(f, reviews));
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const c = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** Within one list: severity, then row, then column (a finding without a readable cell last). */
export function compareInList(a: Finding, b: Finding): number {
  const d = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
  if (d) return d;
  const pa = parseArea(a.cell);
  const pb = parseArea(b.cell);
  if (!pa || !pb) return Number(!pa) - Number(!pb);
  return pa.r0 - pb.r0 || pa.c0 - pb.c0;
}

/** Every finding of the workbook, tagged with the table it belongs to (null: a sheet-level finding). */
function tagged(r: WorkbookResult): { f: Finding; t: TableResult | null; i: number }[] {
  const out: { f: Finding; t: TableResult | null; i: number }[] = [];
  r.tables.forEach((t, i) => t.findings.forEach((f) => out.push({ f, t, i })));
  r.findings.forEach((f) => out.push({ f, t: null, i: r.tables.length }));
  return out;
}

/** The open (not reviewed) findings, worst first; `keep` filters them (the severity tab). */
export function orderedFindings(
  r: WorkbookResult | null,
  where: Where,
  reviews: ReadonlyMap<string, Review>,
  keep: (f: Finding) => boolean = () => true,
): Finding[] {
  if (!r) return [];
  const cur = currentTable(r, where);
  const sheet = cur?.sheet ?? where.selection?.sheet ?? where.activeSheet;
  const place = (x: { f: Finding; t: TableResult | null }) => (cur && x.t === cur ? 0 : x.f.sheet === sheet ? 1 : 2);
  return tagged(r)
    .filter((x) => keep(x.f) && !isReviewed(x.f, reviews))
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || place(a) - place(b) || a.i - b.i || compareInList(a.f, b.f),
    )
    .map((x) => x.f);
}

/** The worst open severity of a table (3 when it has no open finding). */
function worst(t: TableResult, reviews: ReadonlyMap<string, Review>): number {
  return Math.min(3, ...open(t.findings, reviews).map((f) => SEVERITY_RANK[f.severity]));
}

/**
 * Table cards worst first: by the worst open finding, then the current table, the current sheet's, and the
 * pane's order (current sheet first, then sheet order). A card with only infos never comes before one with a
 * warning.
 */
export function orderCards(r: WorkbookResult | null, where: Where, reviews: ReadonlyMap<string, Review>): TableResult[] {
  if (!r) return [];
  const cur = currentTable(r, where);
  const sheet = cur?.sheet ?? where.activeSheet;
  const place = (t: TableResult) => (t === cur ? 0 : t.sheet === sheet ? 1 : 2);
  return r.tables
    .map((t, i) => ({ t, i, w: worst(t, reviews) }))
    .sort((a, b) => a.w - b.w || place(a.t) - place(b.t) || a.i - b.i)
    .map((x) => x.t);
}

/** Every finding marked 已复核, in sheet and cell order, with its review. */
export function reviewedFindings(r: WorkbookResult | null, reviews: ReadonlyMap<string, Review>): { f: Finding; review: Review }[] {
  if (!r) return [];
  return tagged(r)
    .filter((x) => isReviewed(x.f, reviews))
    .sort((a, b) => a.i - b.i || compareInList(a.f, b.f))
    .map((x) => ({ f: x.f, review: reviews.get(reviewKey(x.f))! }));
}

/**
 * The order 上一个 / 下一个 follow: the one fixed when stepping started (`old`; selecting a cell on another
 * sheet must not reshuffle it) without what was fixed or reviewed since, then what appeared since.
 */
export function mergeQueue(old: readonly string[], fresh: readonly string[]): string[] {
  const now = new Set(fresh);
  const before = new Set(old);
  return [...old.filter((k) => now.has(k)), ...fresh.filter((k) => !before.has(k))];
}

/**
 * The next (dir 1) or previous (dir -1) finding of `queue` after the one keyed `cursor`; from no cursor (or
 * one no longer in the queue) 下一个 starts at the first and 上一个 at the last. Wraps around at either end.
 */
export function stepIndex(queue: readonly string[], cursor: string | null, dir: 1 | -1): number {
  if (!queue.length) return -1;
  const i = cursor === null ? -1 : queue.indexOf(cursor);
  if (i < 0) return dir === 1 ? 0 : queue.length - 1;
  return (i + dir + queue.length) % queue.length;
}
