/**
 * The indicator grid (RULES §1.2): one indicator per row under the header, levels filled from the labelled
 * rows around them, split values joined, placeholder rows skipped, the grid ended by its total line, a
 * sign-off line, a new table's title or field, or blank rows.
 */
import { ownValueAt } from '../grid';
import { ParsedIndicator, Pos } from '../model';
import { findLevel1, parentsOfLevel2, Profile } from '../profiles';
import { norm, splitWeight } from '../text';
import { LabelInfo, Lexicon } from '../vocabulary';
import { Header } from './header';
import { SheetView } from './view';

const NO_ROWS: ReadonlySet<number> = new Set();

export type StopReason = 'total' | 'signOff' | 'newTable' | 'blank' | 'limit';

export interface GridRead {
  rows: ParsedIndicator[];
  totalRow: number | null;
  /** Last row that belongs to the grid (the total row when there is one). */
  end: number;
  stop: StopReason;
  /** The row that stopped the grid (a new table's first row when stop is `newTable`). */
  stopRow: number;
}

const BARE_NUMBER = /^[-+]?\d+(?:\.\d+)?$/;
const STARTS_WITH_OPERATOR = /^[≥≤≧≦><=＝═﹦＞＜]/;

/**
 * The value of a row as the form means it: `≧` + `735` + `人次` → `≧735人次` where operator, value and unit
 * sit in their own columns; the unit is added only to a bare number (`28.8万元` with `%` beside it stays
 * `28.8万元`; `应保尽保` stays as written).
 */
function joinedValue(v: SheetView, lex: Lexicon, r: number, valueCol: number, opCol: number | null, unitCol: number | null): string {
  const value = v.text(r, valueCol);
  if (value === '') return '';
  const op = opCol !== null ? lex.operator(v.text(r, opCol)) : '';
  let unit = unitCol !== null ? v.text(r, unitCol) : '';
  if (norm(unit) === '' || /^[/／—-]+$/.test(norm(unit))) unit = '';
  const bare = BARE_NUMBER.test(norm(value));
  let out = value;
  if (op !== '' && !STARTS_WITH_OPERATOR.test(norm(value)) && op.length <= 2) out = op + out;
  if (bare && unit !== '') out += unit;
  return out;
}

function isBlankOrPlaceholder(lex: Lexicon, s: string): boolean {
  return s === '' || lex.isPlaceholder(s);
}

/** Reads the indicator rows from `from` to at most `limit`. */
export function readIndicators(
  v: SheetView,
  lex: Lexicon,
  h: Header,
  from: number,
  limit: number,
  profile: Profile,
  c1: number,
  /** Header rows repeated inside the grid (a form pasted from pages that each repeat the header): skipped. */
  repeats: ReadonlySet<number> = NO_ROWS,
): GridRead {
  const cols = h.cols;
  const rows: ParsedIndicator[] = [];
  let totalRow: number | null = null;
  let end = from - 1;
  let blanks = 0;
  let stop: StopReason = 'limit';
  let stopRow = limit + 1;
  for (let r = from; r <= limit; r++) {
    if (repeats.has(r)) continue;
    // Total, sign-off and new-table lines: any cell of the row that starts there.
    let isTotal = false;
    let isNew = false;
    let lead: LabelInfo | null = null;
    for (const e of v.row(r)) {
      if (e.c > c1) break;
      if (lead === null) lead = e.l;
      if (e.l.totalRow) isTotal = true;
      else if (e.c !== cols.level3 && e.c !== cols.target && isNewTable(e.l)) isNew = true;
    }
    // A total label merged over several columns of its row also counts when its area starts left of the grid.
    if (isTotal) {
      totalRow = r;
      end = r;
      stop = 'total';
      stopRow = r;
      break;
    }
    if (lead !== null && lead.signOff) {
      stop = 'signOff';
      stopRow = r;
      break;
    }
    if (isNew) {
      stop = 'newTable';
      stopRow = r;
      break;
    }
    // A header line inside the grid (repeated on a new page) is no indicator.
    if (lex.column(v.text(r, cols.level3)) === 'level3' && lex.column(v.text(r, cols.level1)) === 'level1') continue;
    const l3Merged = v.mergeAt(r, cols.level3);
    const level3 = l3Merged && l3Merged.r0 < r ? '' : v.text(r, cols.level3);
    const target = cols.target !== null ? joinedValue(v, lex, r, cols.target, cols.operator, cols.unit) : '';
    const actual = cols.actual !== null ? v.text(r, cols.actual) : '';
    if (isBlankOrPlaceholder(lex, level3) && isBlankOrPlaceholder(lex, target) && isBlankOrPlaceholder(lex, actual)) {
      // A placeholder row (`……`, a 二级 label with nothing else) is skipped; blank rows end the grid.
      if (!v.hasValues(r, 0, c1)) {
        blanks++;
        if (blanks >= (rows.length === 0 ? 6 : 2)) {
          stop = 'blank';
          stopRow = r;
          break;
        }
      }
      continue;
    }
    blanks = 0;
    end = r;
    const l1 = splitWeight(v.text(r, cols.level1));
    const valueCol = cols.target ?? cols.level3;
    // A 得分 cell merged into its 分值 (or from the row above) holds no score of its own.
    const scorePos = cols.score !== null && ownValueAt(v.g, r, cols.score, h.row) ? v.anchor(r, cols.score) : null;
    const deviationPos = cols.deviation !== null ? v.anchor(r, cols.deviation) : null;
    rows.push({
      r,
      level1: l1.label,
      level1Weight: l1.weight,
      level2: norm(v.text(r, cols.level2)),
      level3,
      desc: cols.desc !== null ? v.text(r, cols.desc) || null : null,
      target: { text: target, pos: v.anchor(r, valueCol) },
      actual: cols.actual !== null ? { text: actual, pos: v.anchor(r, cols.actual) } : null,
      weight: cols.weight !== null ? v.need({ r, c: cols.weight }, '分值', 'score') : null,
      scorePos,
      statedScore: scorePos ? v.need(scorePos, '得分', 'score') : null,
      deviation: deviationPos ? v.textAtAnchor(deviationPos) : null,
      deviationPos,
    });
  }
  fillLevels(rows, profile);
  return { rows, totalRow, end: Math.max(end, from - 1), stop, stopRow };
}

/** A field label that starts a new project (项目名称, 部门名称, 项目编码) or a form's title. */
export function isNewTable(l: LabelInfo): boolean {
  const f = l.field;
  return f === 'name' || f === 'deptName' || f === 'code' || l.title;
}

/** Index of the nearest labelled row above i (down to lo), or -1. */
function labelAbove(raw: readonly string[], i: number, lo = 0): number {
  for (let j = i - 1; j >= lo; j--) if (raw[j] !== '') return j;
  return -1;
}

/** Index of the nearest labelled row below i (up to hi), or -1. */
function labelBelow(raw: readonly string[], i: number, hi = raw.length - 1): number {
  for (let j = i + 1; j <= hi; j++) if (raw[j] !== '') return j;
  return -1;
}

/**
 * RULES §1.2 fill rules: blank 一级/二级 take the nearest label above in the table; rows at the top of a group
 * with none above take the first label below. A blank 一级 whose 二级 is a standard name takes that 二级's
 * 一级 (labels centred in the middle row of a group); a blank 二级 looks only inside its own 一级 group.
 */
function fillLevels(rows: ParsedIndicator[], profile: Profile): void {
  if (rows.length === 0) return;
  const l1Raw = rows.map((x) => x.level1);
  const l2Raw = rows.map((x) => x.level2);
  // Published groups are labelled in their first row; when the first row has no 一级 the labels are centred.
  const centred = l1Raw[0] === '';
  const nearest = (raw: string[], i: number, lo: number, hi: number): number => {
    const above = labelAbove(raw, i, lo);
    const below = labelBelow(raw, i, hi);
    if (above < 0) return below;
    if (below < 0 || !centred) return above;
    return below - i < i - above ? below : above;
  };
  const parentOf = (l2: string) => (l2 ? parentsOfLevel2(profile, l2) : []);
  const matches = (j: number, want: string) => j >= 0 && findLevel1(profile, l1Raw[j])?.name === want;
  for (let i = 0; i < rows.length; i++) {
    if (l1Raw[i] !== '') continue;
    const above = labelAbove(l1Raw, i);
    const below = labelBelow(l1Raw, i);
    let pick = -1;
    let parents = parentOf(l2Raw[i]);
    if (parents.length === 0 && centred) {
      const up = labelAbove(l2Raw, i);
      const down = labelBelow(l2Raw, i);
      const pu = up >= 0 ? parentOf(l2Raw[up]) : [];
      const pd = down >= 0 ? parentOf(l2Raw[down]) : [];
      if (up >= 0 && down >= 0 && i - up === down - i) parents = pu[0]?.name === pd[0]?.name ? pu : [];
      else parents = up >= 0 && (down < 0 || i - up < down - i) ? pu : pd;
    }
    if (parents.length === 1) {
      if (matches(above, parents[0].name)) pick = above;
      else if (matches(below, parents[0].name)) pick = below;
    }
    if (pick < 0) pick = nearest(l1Raw, i, 0, rows.length - 1);
    if (pick >= 0) {
      rows[i].level1 = l1Raw[pick];
      rows[i].level1Weight = null;
    }
  }
  for (let i = 0; i < rows.length; i++) {
    if (l2Raw[i] !== '') continue;
    let lo = i;
    while (lo > 0 && rows[lo - 1].level1 === rows[i].level1) lo--;
    let hi = i;
    while (hi + 1 < rows.length && rows[hi + 1].level1 === rows[i].level1) hi++;
    const k = nearest(l2Raw, i, lo, hi);
    rows[i].level2 = k >= 0 ? l2Raw[k] : '';
  }
}

export type { Pos };
