/**
 * The indicator grid (RULES §1.2): one indicator per row under the header, levels filled from the labelled
 * rows around them, split values joined, placeholder rows skipped, the grid ended by its total line, a
 * sign-off line, a new table's title or field, or blank rows.
 */
import { ownValueAt } from '../grid';
import { ParsedIndicator, Pos } from '../model';
import { findLevel1, parentsOfLevel2, Profile } from '../profiles';
import { norm, splitWeight, stripGloss } from '../text';
import { LabelInfo, Lexicon } from '../vocabulary';
import { Header } from './header';
import { SheetView } from './view';

const NO_ROWS: ReadonlySet<number> = new Set();

export type StopReason = 'total' | 'grade' | 'signOff' | 'newTable' | 'blank' | 'limit';

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
function joinedValue(
  v: SheetView,
  lex: Lexicon,
  r: number,
  valueCol: number,
  opCol: number | null,
  op2Col: number | null,
  unitCol: number | null,
): string {
  const value = v.text(r, valueCol);
  if (value === '') return '';
  // Reading rule 2: with a direction column (正向/反向) and a symbol column (=, ≥) both filled, the symbol wins.
  let op = opCol !== null ? lex.operator(v.text(r, opCol)) : '';
  if (op2Col !== null) {
    const w1 = opCol !== null ? v.text(r, opCol) : '';
    const w2 = v.text(r, op2Col);
    const op2 = lex.operator(w2);
    if (op === '' || (lex.isDirectionWord(w1) && op2 !== '' && !lex.isDirectionWord(w2))) op = op2;
  }
  let unit = unitCol !== null ? v.text(r, unitCol) : '';
  // A number or a date in the unit column is no unit (a value typed one column too far): never glued on.
  if (norm(unit) === '' || /^[/／—-]+$/.test(norm(unit)) || (unitCol !== null && !isUnitText(v, r, unitCol))) unit = '';
  const bare = BARE_NUMBER.test(norm(value));
  let out = value;
  if (op !== '' && !STARTS_WITH_OPERATOR.test(norm(value)) && op.length <= 2) out = op + out;
  if (bare && unit !== '') out += unit;
  return out;
}

/** Whether the unit column's cell holds a unit: text that is neither a number nor a date. */
function isUnitText(v: SheetView, r: number, c: number): boolean {
  const a = v.anchor(r, c);
  const cell = v.g.raw(a.r, a.c);
  if (!cell || typeof cell.value !== 'string') return false;
  const t = norm(cell.value);
  return !/^[-+]?\d/.test(t) && !/^\d{2,4}[年./-]/.test(t);
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
  const labelOnly: LevelRow[] = [];
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
    // A grade line (评价等级) ends the grid too: where the 总分 line above it is gone, it is no indicator.
    if (lead !== null && lead.field === 'grade') {
      stop = 'grade';
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
    const target = cols.target !== null ? joinedValue(v, lex, r, cols.target, cols.operator, cols.operator2, cols.unit) : '';
    const actual = cols.actual !== null ? v.text(r, cols.actual) : '';
    if (isBlankOrPlaceholder(lex, level3) && isBlankOrPlaceholder(lex, target) && isBlankOrPlaceholder(lex, actual)) {
      // A placeholder row (`……`, a 二级 label with nothing else) is skipped; blank rows end the grid. A level
      // label on it still labels its group (a 一级 written on a row of its own, merges lost).
      const l1 = levelLabel(v, lex, r, cols.level1);
      const l2 = levelLabel(v, lex, r, cols.level2);
      if (l1 !== '' || l2 !== '')
        labelOnly.push({ r, level1: splitWeight(l1).label, level1Weight: null, level2: stripGloss(norm(l2)) });
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
      level2: stripGloss(norm(v.text(r, cols.level2))),
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
  fillLevels(labelOnly.length === 0 ? rows : [...rows, ...labelOnly].sort((a, b) => a.r - b.r), profile);
  return { rows, totalRow, end: Math.max(end, from - 1), stop, stopRow };
}

/** What the level fill reads and writes of a row: an indicator, or a row that only carries a level label. */
interface LevelRow {
  r: number;
  level1: string;
  level1Weight: number | null;
  level2: string;
}

/** A level label written in its own cell of row r (not merged down from above, not a placeholder). */
function levelLabel(v: SheetView, lex: Lexicon, r: number, c: number): string {
  const m = v.mergeAt(r, c);
  if (m && m.r0 < r) return '';
  const t = v.text(r, c);
  return t === '' || lex.isPlaceholder(t) || lex.isKnownLabel(t) ? '' : t;
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
 * The label each row of rows lo..hi belongs to (an index into raw, or -1), the labels sitting in the middle
 * of their groups: group k, labelled at p, spans s..e with p the centre (give or take a row, as a person
 * centres a label by hand). The groups tile lo..hi, so the layout is solved as a whole; among the tilings the
 * one that `agree` likes best (rows whose 二级 names the group's 一级) and that is most exactly centred wins.
 * Null when no tiling exists (the labels are not centred).
 */
function centredGroups(
  raw: readonly string[],
  lo: number,
  hi: number,
  agree: (row: number, label: number) => number,
): number[] | null {
  // How far a group's end is from the one that centres its label exactly, and what that costs. A label centred
  // in a group of an even number of rows sits in the upper of its two middle rows (in a group of two, its
  // first row: where a person writes it, and where Excel leaves it when the merge is undone), so a group that
  // may end one row later does, at no cost. Where two tilings are both centred so, the later end wins.
  const devs = [1, 0, -1, 2, -2];
  const cost = (dev: number) => (dev === 1 ? 0 : Math.abs(dev));
  const labels: number[] = [];
  for (let i = lo; i <= hi; i++) if (raw[i] !== '') labels.push(i);
  if (labels.length === 0) return null;
  // best[k][s]: the best score of groups k.. when group k starts at row s (memoised), and its end.
  const memo = new Map<number, { score: number; end: number } | null>();
  const solve = (k: number, s: number): { score: number; end: number } | null => {
    const key = k * (hi + 2) + s;
    if (memo.has(key)) return memo.get(key)!;
    const p = labels[k];
    let best: { score: number; end: number } | null = null;
    if (s <= p) {
      const last = k === labels.length - 1;
      const maxEnd = last ? hi : labels[k + 1] - 1;
      for (const dev of devs) {
        const e = 2 * p - s + dev;
        if (e < p || e > maxEnd || (last && e !== hi)) continue;
        const rest = last ? { score: 0, end: e } : solve(k + 1, e + 1);
        if (!rest) continue;
        let score = rest.score - cost(dev);
        for (let i = s; i <= e; i++) score += 10 * agree(i, p);
        if (!best || score > best.score) best = { score, end: e };
      }
    }
    memo.set(key, best);
    return best;
  };
  if (!solve(0, lo)) return null;
  const out: number[] = [];
  let s = lo;
  for (let k = 0; k < labels.length; k++) {
    const e = solve(k, s)!.end;
    for (let i = s; i <= e; i++) out.push(labels[k]);
    s = e + 1;
  }
  return out;
}

/** The same with the labels at the top of their groups (rows above the first label take it). */
function topGroups(raw: readonly string[], lo: number, hi: number): number[] {
  const out: number[] = [];
  let cur = -1;
  for (let i = lo; i <= hi; i++) {
    if (raw[i] !== '') cur = i;
    out.push(cur);
  }
  const first = out.findIndex((x) => x >= 0);
  if (first > 0) for (let i = 0; i < first; i++) out[i] = out[first];
  return out;
}

/**
 * RULES §1.2 fill rules (issue #16 rule 4): blank 一级/二级 cells take their group's label. Whether the labels
 * sit at the top or in the middle of their groups is decided from the whole table — the layout whose groups
 * agree best with the standard 二级 names (a 数量指标 row belongs to 产出指标), the top layout when the first
 * row is labelled and nothing tells them apart. A blank 二级 looks only inside its own 一级 group.
 */
function fillLevels(rows: LevelRow[], profile: Profile): void {
  if (rows.length === 0) return;
  const n = rows.length;
  const l1Raw = rows.map((x) => x.level1);
  const l2Raw = rows.map((x) => x.level2);
  // Every row labelled (merged level cells, read through their merges): nothing to tile, the top layout.
  const centred = l1Raw.includes('') ? fillLevel1(rows, l1Raw, l2Raw, profile) : false;
  for (let lo = 0; lo < n;) {
    let hi = lo;
    while (hi + 1 < n && rows[hi + 1].level1 === rows[lo].level1) hi++;
    if (l2Raw.slice(lo, hi + 1).some((x) => x === '')) {
      const g2 = (centred ? centredGroups(l2Raw, lo, hi, () => 0) : null) ?? topGroups(l2Raw, lo, hi);
      for (let i = lo; i <= hi; i++) if (l2Raw[i] === '') rows[i].level2 = g2[i - lo] >= 0 ? l2Raw[g2[i - lo]] : '';
    }
    lo = hi + 1;
  }
}

/** Fills the blank 一级 of `rows` (RULES §1, reading rule 4); returns whether the labels were read as centred. */
function fillLevel1(rows: LevelRow[], l1Raw: readonly string[], l2Raw: readonly string[], profile: Profile): boolean {
  const n = rows.length;
  // A 二级 that more than one 一级 may hold (成本指标) belongs to the one this table has.
  const present = new Set<string>();
  const l1Name = l1Raw.map((l) => (l ? (findLevel1(profile, l)?.name ?? '') : ''));
  for (const name of l1Name) if (name) present.add(name);
  const parents = l2Raw.map((l2) => (l2 ? parentsOfLevel2(profile, l2).filter((p) => present.has(p.name)) : []));
  // The 二级 of a row with a blank 二级: the nearest one of the row's neighbours (for the agreement score).
  const agree = (i: number, label: number): number => {
    if (l1Raw[i] !== '' || !l1Name[label]) return 0;
    const ps = parents[i];
    if (ps.length === 0) return 0;
    return ps.some((p) => p.name === l1Name[label]) ? 1 : -1;
  };
  const top = topGroups(l1Raw, 0, n - 1);
  const mid = centredGroups(l1Raw, 0, n - 1, agree);
  const score = (g: number[]) => g.reduce((a, label, i) => a + (label >= 0 ? agree(i, label) : 0), 0);
  const midScore = mid === null ? -Infinity : score(mid);
  const topScore = score(top);
  const centred = mid !== null && (midScore > topScore || (midScore === topScore && l1Raw[0] === ''));
  const groups = centred ? mid : top;
  for (let i = 0; i < n; i++) {
    if (l1Raw[i] !== '') continue;
    let pick = groups[i];
    // A standard 二级 whose only 一级 is the label just above or below overrides the geometry.
    if (parents[i].length === 1 && pick >= 0 && l1Name[pick] !== parents[i][0].name) {
      const above = labelAbove(l1Raw, i);
      const below = labelBelow(l1Raw, i);
      if (above >= 0 && l1Name[above] === parents[i][0].name) pick = above;
      else if (below >= 0 && l1Name[below] === parents[i][0].name) pick = below;
    }
    if (pick >= 0) {
      rows[i].level1 = l1Raw[pick];
      rows[i].level1Weight = null;
    }
  }
  return centred;
}

export type { Pos };
