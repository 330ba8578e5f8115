/**
 * Header detection (RULES §1.2): the indicator header of a table — one row, or two where labels are merged
 * over both rows and a role is split under a merged parent (`年度指标值` over `指标性质 | 指标值 | 度量单位`).
 * Columns left of 一级指标 are side captions (`绩效指标`, `本年度绩效指标`) and are ignored.
 */
import { Columns } from '../model';
import { FieldRole, Lexicon } from '../vocabulary';
import { SheetView } from './view';

export interface Header {
  /** The header row the indicator rows follow (the bottom row of a two-row header). */
  row: number;
  /** The header's first row (the row above when the header spans two rows). */
  top: number;
  cols: Columns;
  /** Field columns inside the header row (a flat export: 项目名称 | 预算数 | 年度目标 | 一级指标 …). */
  fieldCols: Partial<Record<FieldRole, number>>;
  /**
   * One target column per area (reading rule 5): `指标值` merged over `市本级 | 甲县 | 乙县` in a two-row header.
   * Each area is read as a table of its own.
   */
  areas?: { c: number; name: string }[];
}

const LEVELS = 1 | 2 | 4;

const bitOf = (role: string | null) => (role === 'level1' ? 1 : role === 'level2' ? 2 : role === 'level3' ? 4 : 0);

/** Bit set of the level roles among the labels that start in row r (the cheap test every row gets). */
function levelBits(v: SheetView, r: number): number {
  let bits = 0;
  for (const e of v.row(r)) if ((bits |= bitOf(e.l.column)) === LEVELS) break;
  return bits;
}

/** The same, merge-aware: a label merged down from the row above counts in this row too. */
function levelBitsMerged(v: SheetView, lex: Lexicon, r: number): number {
  let bits = 0;
  for (let c = 0; c < v.colCount && bits !== LEVELS; c = v.spanEnd(r, c) + 1) bits |= bitOf(lex.column(v.text(r, c)));
  return bits;
}

/** The roles a 中期 block and a 年度 block each have under one 一级 column. */
const SECOND_BLOCK_ROLES = new Set<keyof Columns>(['level2', 'level3', 'desc', 'target', 'operator', 'unit']);

/**
 * Whether the 年度 block is the second of two indicator blocks side by side: the captions above the header
 * (`中期目标（2024年－2026年）` | `年度目标`) say which block is which. Without both captions the first block is
 * read, as before.
 */
function yearBlockIsSecond(v: SheetView, headerRow: number, firstL3: number, secondL3: number): boolean {
  let mid: number | null = null;
  let year: number | null = null;
  for (let r = headerRow; r >= Math.max(0, headerRow - 12) && (mid === null || year === null); r--) {
    for (const e of v.row(r)) {
      if (mid === null && e.k.startsWith('中期')) mid = e.c;
      else if (year === null && /^(本)?年度(目标|绩效目标|指标|绩效指标|指标值)/.test(e.k)) year = e.c;
    }
  }
  if (mid === null || year === null) {
    // Captions on the blocks' own value columns (`中期指标值` | `年度指标值`).
    const k1 = v.key(headerRow, firstL3 + 1);
    const k2 = v.key(headerRow, secondL3 + 1);
    return k1.startsWith('中期') && !k2.startsWith('中期');
  }
  return year > mid;
}

function readColumns(
  v: SheetView,
  lex: Lexicon,
  r: number,
): { cols: Columns; fieldCols: Header['fieldCols']; roles: number } | null {
  const found: Partial<Record<keyof Columns, number>> = {};
  const second: Partial<Record<keyof Columns, number>> = {};
  const fieldCols: Header['fieldCols'] = {};
  let level1 = -1;
  for (let c = 0; c < v.colCount; c++) {
    if (lex.column(v.text(r, c)) === 'level1') {
      level1 = v.anchor(r, c).c;
      break;
    }
  }
  if (level1 < 0) return null;
  let roles = 0;
  for (let c = 0; c < v.colCount; c = v.spanEnd(r, c) + 1) {
    const text = v.text(r, c);
    if (text === '') continue;
    const role = lex.column(text);
    if (role === null) {
      // A field as a column of the header (a flat export) — not a caption merged down over the data rows.
      const f = lex.field(text);
      const m = v.mergeAt(r, c);
      if (f && fieldCols[f] === undefined && (!m || m.r1 <= r)) fieldCols[f] = c;
      continue;
    }
    if (c < level1 || role === 'type' || role === 'ignore') continue;
    if (role === 'operator' && found.operator !== undefined && found.operator2 === undefined) {
      found.operator2 = c;
      continue;
    }
    if (found[role] === undefined) {
      found[role] = c;
      roles++;
    } else if (found.level3 !== undefined && c > found.level3 && SECOND_BLOCK_ROLES.has(role) && second[role] === undefined) {
      // A second set of 二级/三级/指标值 under the one 一级: a 中期 block beside a 年度 block (reading rule 5).
      second[role] = c;
    }
  }
  if (found.level2 === undefined || found.level3 === undefined) return null;
  if (second.level2 !== undefined && second.level3 !== undefined && yearBlockIsSecond(v, r, found.level3, second.level3)) {
    for (const role of SECOND_BLOCK_ROLES) found[role] = second[role];
  }
  return {
    roles,
    fieldCols,
    cols: {
      level1,
      level2: found.level2,
      level3: found.level3,
      desc: found.desc ?? null,
      target: found.target ?? null,
      actual: found.actual ?? null,
      operator: found.operator ?? null,
      operator2: found.operator2 ?? null,
      unit: found.unit ?? null,
      weight: found.weight ?? null,
      score: found.score ?? null,
      deviation: found.deviation ?? null,
      basis: found.basis ?? null,
    },
  };
}

/**
 * The area columns of a two-row header whose target label is merged over several columns with a place name
 * under each (`指标值` over `市本级 | 甲县 | 乙县`): one target column per area. Empty otherwise.
 */
function areaColumns(v: SheetView, lex: Lexicon, r: number, cols: Columns): { c: number; name: string }[] {
  const t = cols.target;
  if (t === null || r + 1 >= v.rowCount) return [];
  const m = v.mergeAt(r, t);
  if (!m || m.r0 !== r || m.r1 !== r || m.c1 <= m.c0) return [];
  const out: { c: number; name: string }[] = [];
  for (let c = m.c0; c <= m.c1; c = v.spanEnd(r + 1, c) + 1) {
    const name = v.text(r + 1, c).trim();
    if (name === '' || lex.column(name) !== null || lex.isKnownLabel(name)) return [];
    out.push({ c: v.anchor(r + 1, c).c, name });
  }
  return out;
}

/** Every indicator header of a sheet, top to bottom. */
export function findHeaders(v: SheetView, lex: Lexicon): Header[] {
  const out: Header[] = [];
  for (let r = 0; r < v.rowCount; r++) {
    if (levelBits(v, r) !== LEVELS) continue;
    let best = readColumns(v, lex, r);
    if (!best) continue;
    const first = r;
    let row = r;
    // A two-row header: the level labels merged over both rows, the split roles in the second.
    const l1 = v.mergeAt(r, best.cols.level1);
    let twoRows = false;
    if (l1 && l1.r1 > r && r + 1 < v.rowCount && levelBitsMerged(v, lex, r + 1) === LEVELS) {
      twoRows = true;
      const next = readColumns(v, lex, r + 1);
      if (next && next.roles > best.roles) {
        best = next;
        row = r + 1;
      }
      r++;
    }
    const areas = twoRows && row === first ? areaColumns(v, lex, first, best.cols) : [];
    if (areas.length >= 2) row = first + 1;
    out.push({ row, top: first, cols: best.cols, fieldCols: best.fieldCols, ...(areas.length >= 2 ? { areas } : {}) });
  }
  return out;
}
