/**
 * The table locator (RULES §1): finds every table on a sheet by its labels — one or many per sheet,
 * stacked, surrounded by unrelated cells — and reads it into the parsed model.
 */
import { SheetGrid } from './grid';
import { Columns, FundsBlock, FundsRow, NumAt, ParsedIndicator, ParsedTable, Pos, TextAt } from './model';
import { Profile, findLevel1, parentsOfLevel2 } from './profiles';
import { cellText, norm, readNumber, splitWeight } from './text';
import { TableKind } from './types';

/** Cached normalised text of a sheet's cells (anchor cells only: merged slaves read as empty here). */
class Labels {
  private normRows: (string | undefined)[][] = [];
  private dispRows: (string | undefined)[][] = [];
  constructor(readonly g: SheetGrid) {}
  /** Normalised text at (r, c), merge-aware. */
  at(r: number, c: number): string {
    const m = this.g.mergeAt(r, c);
    const rr = m ? m.r0 : r;
    const cc = m ? m.c0 : c;
    const row = (this.normRows[rr] ??= new Array<string | undefined>(this.g.colCount));
    let s = row[cc];
    if (s === undefined) {
      s = norm(this.shownAt(rr, cc));
      row[cc] = s;
    }
    return s;
  }
  /** Display text of an anchor cell (trimmed, not normalised). */
  private shownAt(rr: number, cc: number): string {
    const row = (this.dispRows[rr] ??= new Array<string | undefined>(this.g.colCount));
    let s = row[cc];
    if (s === undefined) {
      s = cellText(this.g.raw(rr, cc)).trim();
      row[cc] = s;
    }
    return s;
  }
  private rowEntries = new Map<number, { r: number; c: number; t: string }[]>();
  /** The non-empty anchor cells of row r with their normalised text (each row is scanned once). */
  row(r: number): { r: number; c: number; t: string }[] {
    let e = this.rowEntries.get(r);
    if (!e) {
      e = [];
      const cells = this.g.rowCells(r);
      for (let c = 0; c < cells.length; c++) {
        // Labels are text: numbers, booleans and errors never are one.
        const cell = cells[c];
        if (!cell || typeof cell.value !== 'string' || !isAnchor(this.g, r, c)) continue;
        const t = this.at(r, c);
        if (t !== '') e.push({ r, c, t });
      }
      this.rowEntries.set(r, e);
    }
    return e;
  }
  private regions = new Map<number, { r: number; c: number; t: string }[]>();
  /** The non-empty anchor cells of rows r0..r1, row by row (cached per region). */
  entries(r0: number, r1: number): { r: number; c: number; t: string }[] {
    const key = Math.max(r0, 0) * 1_048_576 + r1;
    let e = this.regions.get(key);
    if (!e) {
      e = [];
      for (let r = Math.max(r0, 0); r <= r1; r++) for (const x of this.row(r)) e.push(x);
      this.regions.set(key, e);
    }
    return e;
  }
  /** Whether row r holds any non-blank value of its own (numbers included). */
  hasValues(r: number): boolean {
    for (let c = 0; c < this.g.colCount; c++) if (isAnchor(this.g, r, c) && this.at(r, c) !== '') return true;
    return false;
  }
  /** Display text (trimmed, not normalised) at (r, c), merge-aware. */
  text(r: number, c: number): string {
    const m = this.g.mergeAt(r, c);
    return m ? this.shownAt(m.r0, m.c0) : this.shownAt(r, c);
  }
}

function isAnchor(g: SheetGrid, r: number, c: number): boolean {
  const m = g.mergeAt(r, c);
  return !m || (m.r0 === r && m.c0 === c);
}

function spanEnd(g: SheetGrid, r: number, c: number): number {
  const m = g.mergeAt(r, c);
  return m ? m.c1 : c;
}

// ---------------------------------------------------------------------------------------------------
// Header detection

interface Header {
  row: number;
  cols: Columns;
}

function classifyHeaderCell(t: string): keyof Columns | null {
  if (t === '一级指标') return 'level1';
  if (t === '二级指标') return 'level2';
  if (t === '三级指标') return 'level3';
  if (t.includes('偏差原因') || t.includes('改进措施')) return 'deviation';
  if (t.includes('确定依据') || t === '依据' || t === '指标值依据') return 'basis';
  if (t.includes('指标描述') || t === '指标内容') return 'desc';
  if (t.includes('实际完成') || t.includes('完成情况') || t === '实际值' || t === '全年实际值') return 'actual';
  if (/^(分值|权重)/.test(t)) return 'weight';
  if (/^(自评)?得分/.test(t)) return 'score';
  if (/指标值|目标值|计划值$/.test(t)) return 'target';
  return null;
}

/** Finds the indicator header rows of a sheet: rows holding 一级指标, 二级指标 and 三级指标. */
function findHeaders(g: SheetGrid, L: Labels): Header[] {
  const out: Header[] = [];
  const nc = g.colCount;
  for (let r = 0; r < g.rowCount; r++) {
    const cells = g.rowCells(r);
    // Bit per label found in an anchor cell of this row: 1 一级, 2 二级, 4 三级.
    let hit = 0;
    for (let c = 0; c < cells.length && hit !== 7; c++) {
      const v = cells[c]?.value;
      if (typeof v !== 'string' || !v.includes('级') || !isAnchor(g, r, c)) continue;
      const t = L.at(r, c);
      hit |= t === '一级指标' ? 1 : t === '二级指标' ? 2 : t === '三级指标' ? 4 : 0;
    }
    if (hit !== 7) continue;
    const cols: Partial<Columns> = {};
    for (let c = 0; c < nc; c++) {
      if (!isAnchor(g, r, c)) continue;
      const kind = classifyHeaderCell(L.at(r, c));
      if (kind && cols[kind] === undefined) cols[kind] = c;
    }
    out.push({
      row: r,
      cols: {
        level1: cols.level1!,
        level2: cols.level2!,
        level3: cols.level3!,
        desc: cols.desc ?? null,
        target: cols.target ?? null,
        actual: cols.actual ?? null,
        weight: cols.weight ?? null,
        score: cols.score ?? null,
        deviation: cols.deviation ?? null,
        basis: cols.basis ?? null,
      },
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Label search in a table's top region

const KNOWN_LABELS = [
  /^项目名称$/,
  /^项目(编码|代码)$/,
  /^主管部门$/,
  /^实施单位$/,
  /^预算数$/,
  /^(其中:?)?财政资金$/,
  /^其他资金$/,
  /^预算部门名称$/,
  /^单位:?万元$/,
  /^资金支出计划/,
  /^绩效目标$/,
  /^年度总体目标$/,
];

function isKnownLabel(t: string): boolean {
  const b = bare(t);
  return KNOWN_LABELS.some((re) => re.test(b));
}

interface Region {
  r0: number;
  r1: number; // inclusive
}

/** A label as written, without the colon some forms put after it (`项目名称：`). */
function bare(t: string): string {
  return t.endsWith(':') ? t.slice(0, -1) : t;
}

function findLabel(L: Labels, reg: Region, pred: (t: string) => boolean): Pos | null {
  for (const e of L.entries(reg.r0, reg.r1)) if (pred(bare(e.t))) return { r: e.r, c: e.c };
  return null;
}

/** The first non-empty cell right of a label (skipping blank cells, stopping at another label). */
function rightOf(g: SheetGrid, L: Labels, p: Pos): Pos | null {
  const nc = g.colCount;
  for (let c = spanEnd(g, p.r, p.c) + 1; c < nc; c = spanEnd(g, p.r, c) + 1) {
    const t = L.at(p.r, c);
    if (t === '') continue;
    if (isKnownLabel(t)) return null;
    const m = g.mergeAt(p.r, c);
    return m ? { r: m.r0, c: m.c0 } : { r: p.r, c };
  }
  return null;
}

function textAt(L: Labels, p: Pos | null): TextAt | null {
  if (!p) return null;
  const text = L.text(p.r, p.c);
  return text === '' ? null : { text, pos: p };
}

function numAt(g: SheetGrid, p: Pos | null): NumAt | null {
  if (!p) return null;
  const m = g.mergeAt(p.r, p.c);
  const pos = m ? { r: m.r0, c: m.c0 } : p;
  const n = readNumber(g.raw(pos.r, pos.c)) as NumAt | null;
  if (n) n.pos = pos;
  return n;
}

const YEAR_DEGREE = /(20\d\d|19\d\d)\s*年度/;
const YEAR_PLAIN = /(20\d\d|19\d\d)\s*年/;

/** Year from the title rows: the rows of the region above its first field label. */
function titleYear(g: SheetGrid, L: Labels, reg: Region, firstLabelRow: number): number | null {
  const rows: string[] = [];
  for (let r = reg.r0; r < Math.min(firstLabelRow, reg.r1 + 1); r++) {
    for (let c = 0; c < g.colCount; c++) if (isAnchor(g, r, c)) rows.push(L.at(r, c));
  }
  for (const re of [YEAR_DEGREE, YEAR_PLAIN]) {
    for (const t of rows) {
      const m = re.exec(t);
      if (m) return Number(m[1]);
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Blocks

function spendingPlan(g: SheetGrid, L: Labels, reg: Region): ParsedTable['spendingPlan'] {
  const keys = ['3月', '6月', '10月', '12月'];
  for (let r = reg.r0; r <= reg.r1; r++) {
    const cols: number[] = [];
    for (const k of keys) {
      let found = -1;
      for (let c = 0; c < g.colCount; c++) {
        if (!isAnchor(g, r, c)) continue;
        const t = L.at(r, c);
        if (t === k || t === `${k}底` || t === `${k}末` || t === `${k}份`) {
          found = c;
          break;
        }
      }
      if (found < 0) break;
      cols.push(found);
    }
    if (cols.length !== 4) continue;
    const values = cols.map((c) => {
      const n = numAt(g, { r: r + 1, c });
      if (!n) return null;
      // A plain number above 1 is a percentage written without its sign (the row is headed 资金支出计划（%）).
      return n.percent || Math.abs(n.value) <= 1 ? n : { ...n, value: n.value / 100, percent: true };
    });
    return { labelsRow: r, values, cols };
  }
  return null;
}

function fundsBlock(g: SheetGrid, L: Labels, reg: Region): FundsBlock | null {
  const head = findLabel(L, reg, (t) => t.startsWith('全年执行数') || t.startsWith('全年预算数'));
  if (!head) return null;
  const hr = head.r;
  const col = (pred: (t: string) => boolean): number | null => {
    for (let c = 0; c < g.colCount; c++) if (isAnchor(g, hr, c) && pred(L.at(hr, c))) return c;
    return null;
  };
  const cols = {
    initial: col((t) => t.startsWith('年初预算')),
    budget: col((t) => t.startsWith('全年预算')),
    executed: col((t) => t.startsWith('全年执行') || t === '执行数'),
    weight: col((t) => t.startsWith('分值') || t === '权重'),
    rate: col((t) => t.startsWith('执行率')),
    score: col((t) => t.startsWith('得分')),
  };
  const firstNumCol = Math.min(
    ...[cols.initial, cols.budget, cols.executed].filter((c): c is number => c !== null),
  );
  const rowLabel = (r: number): string => {
    for (let c = firstNumCol - 1; c >= 0; c--) {
      const m = g.mergeAt(r, c);
      if (m && m.r0 <= hr) continue; // the block's own label (项目资金（万元）) spans the header row
      const t = L.at(r, c);
      if (t !== '') return t;
    }
    return '';
  };
  const readRow = (r: number, label: string): FundsRow => ({
    r,
    label,
    initial: cols.initial !== null ? numAt(g, { r, c: cols.initial }) : null,
    budget: cols.budget !== null ? numAt(g, { r, c: cols.budget }) : null,
    executed: cols.executed !== null ? numAt(g, { r, c: cols.executed }) : null,
    weight: cols.weight !== null ? numAt(g, { r, c: cols.weight }) : null,
    rate: cols.rate !== null ? numAt(g, { r, c: cols.rate }) : null,
    score: cols.score !== null ? numAt(g, { r, c: cols.score }) : null,
  });
  let total: FundsRow | null = null;
  const parts: FundsRow[] = [];
  for (let r = hr + 1; r <= reg.r1; r++) {
    const label = rowLabel(r);
    if (/^(年度总体目标|绩效指标|一级指标|预期目标)/.test(label)) break;
    const row = readRow(r, label);
    const hasNumbers = row.initial || row.budget || row.executed;
    if (label === '' && !hasNumbers) break;
    if (total === null && parts.length === 0 && (/资金总额|合计|总计|总额/.test(label) || label === '')) {
      total = row;
    } else {
      parts.push(row);
    }
  }
  return { headerRow: hr, cols, total, parts };
}

// ---------------------------------------------------------------------------------------------------
// Indicator rows

function isTotalLabel(t: string): boolean {
  const ch = t.charCodeAt(0);
  return (ch === 0x603b || ch === 0x5408) && /^(总分|合计|总计)/.test(t); // 总, 合
}

function isNewTableRow(t: string): boolean {
  return (t.endsWith('表') || t.startsWith('项目') || t.startsWith('预算')) && /绩效目标表$|自评表$|^项目名称:?$|^项目(编码|代码):?$|^预算部门名称:?$/.test(t);
}

const SIGN_OFF = /^(注|备注|说明|填表人|制表人|审核人|联系人|联系电话|单位负责人|财务负责人|填报日期|填表日期)/;

function readIndicators(
  g: SheetGrid,
  L: Labels,
  h: Header,
  limit: number,
  profile: Profile,
): { rows: ParsedIndicator[]; totalRow: number | null; end: number } {
  const cols = h.cols;
  const rows: ParsedIndicator[] = [];
  let totalRow: number | null = null;
  let end = h.row;
  let blanks = 0;
  const keyCols = [cols.level3, cols.target, cols.actual].filter((c): c is number => c !== null);
  const leadCol = Math.min(...keyCols, cols.level1, cols.level2);
  const firstValueCol = Math.min(...[cols.target, cols.actual, cols.weight].filter((c): c is number => c !== null), g.colCount);
  for (let r = h.row + 1; r <= limit; r++) {
    // Total row: a 总分 label left of the value columns.
    let isTotal = false;
    let isNew = false;
    for (let c = 0; c < Math.max(firstValueCol, 1); c++) {
      if (!isAnchor(g, r, c) && g.mergeAt(r, c)!.r0 !== r) continue;
      const t = L.at(r, c);
      if (t === '') continue;
      if (isTotalLabel(t)) isTotal = true;
      else if (isNewTableRow(t) || t === '一级指标') isNew = true;
    }
    if (isTotal) {
      totalRow = r;
      end = r;
      break;
    }
    if (isNew) break;
    let blank = true;
    for (const c of keyCols) {
      const m = g.mergeAt(r, c);
      // A value merged down from a row above belongs to that row's indicator, not a new one.
      if (m && m.r0 < r && c === cols.level3) continue;
      if (L.at(r, c) !== '') {
        blank = false;
        break;
      }
    }
    if (blank) {
      blanks++;
      // Extra blank rows under the header are layout; two blank rows after indicators end the table.
      if (blanks >= (rows.length === 0 ? 6 : 2)) break;
      continue;
    }
    // Sign-off and note lines under a table are not indicators.
    const lead = L.at(r, leadCol) || L.at(r, cols.level1) || L.at(r, cols.level2);
    if (lead !== '' && SIGN_OFF.test(lead)) break;
    blanks = 0;
    end = r;
    const l1 = splitWeight(L.text(r, cols.level1));
    const targetPos = { r, c: cols.target ?? cols.level3 };
    const scorePos = cols.score !== null ? anchorPos(g, { r, c: cols.score }) : null;
    rows.push({
      r,
      level1: l1.label,
      level1Weight: l1.weight,
      level2: norm(L.text(r, cols.level2)),
      level3: L.text(r, cols.level3),
      desc: cols.desc !== null ? L.text(r, cols.desc) || null : null,
      target: { text: cols.target !== null ? L.text(r, cols.target) : '', pos: anchorPos(g, targetPos) },
      actual: cols.actual !== null ? { text: L.text(r, cols.actual), pos: anchorPos(g, { r, c: cols.actual }) } : null,
      weight: cols.weight !== null ? numAt(g, { r, c: cols.weight }) : null,
      scorePos,
      statedScore: scorePos ? numAt(g, scorePos) : null,
      deviation: cols.deviation !== null ? textAt(L, { r, c: cols.deviation }) : null,
      deviationPos: cols.deviation !== null ? anchorPos(g, { r, c: cols.deviation }) : null,
    });
  }
  fillLevels(rows, profile);
  return { rows, totalRow, end };
}

function anchorPos(g: SheetGrid, p: Pos): Pos {
  const m = g.mergeAt(p.r, p.c);
  return m ? { r: m.r0, c: m.c0 } : p;
}

/**
 * RULES §1 fill rules: blank 一级/二级 take the nearest label above in the table; rows at the top of a group
 * with none above take the first label below. A blank 一级 whose 二级 is a standard name takes that 二级's
 * 一级 (labels centred in the middle row of a group); a blank 二级 looks only inside its own 一级 group.
 */
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
    // Evidence from the row's own 二级 (or, with centred labels, the nearest 二级 label).
    let parents = parentOf(l2Raw[i]);
    if (parents.length === 0 && centred) {
      // The nearest 二级 labels above and below; equally near labels of different 一级 decide nothing.
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
  // 二级: only within the same 一级 group.
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

// ---------------------------------------------------------------------------------------------------
// Tables

function kindOf(h: Header, L: Labels, g: SheetGrid, reg: Region): TableKind {
  const c = h.cols;
  if (c.actual !== null && (c.weight !== null || c.score !== null)) {
    const dept = findLabel(L, reg, (t) => t === '预算部门名称' || t.startsWith('年度预算申请') || t.startsWith('部门整体支出绩效'));
    return dept ? 'dept-self-eval' : 'self-eval';
  }
  if (c.actual !== null) return 'completion';
  return 'target';
}

function usedColumns(g: SheetGrid, r0: number, r1: number): { c0: number; c1: number } {
  let c0 = Infinity;
  let c1 = -1;
  for (let r = r0; r <= r1; r++) {
    const row = g.rowCells(r);
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      if (cell && cell.value !== null && !(typeof cell.value === 'string' && cell.value.trim() === '')) {
        const m = g.mergeAt(r, c);
        if ((m ? m.c0 : c) < c0) c0 = m ? m.c0 : c;
        if ((m ? m.c1 : c) > c1) c1 = m ? m.c1 : c;
      }
    }
    for (const m of g.mergesStartingIn(r)) {
      if (m.c0 < c0) c0 = m.c0;
      if (m.c1 > c1) c1 = m.c1;
    }
  }
  return c0 === Infinity ? { c0: 0, c1: 0 } : { c0, c1 };
}

/**
 * The first row of a table's title block: walking up from its first field label (or its header), the rows
 * that have content, across at most one blank row and at most four rows in all — so that unrelated cells
 * further up (a form pasted below other data) are not taken into the table.
 */
function titleStartRow(L: Labels, lo: number, firstLabelRow: number): number {
  let start = firstLabelRow;
  let blanks = 0;
  for (let r = firstLabelRow - 1; r >= Math.max(lo, 0) && firstLabelRow - r <= 4; r--) {
    if (L.row(r).length === 0 && !L.hasValues(r)) {
      if (++blanks > 1) break;
      continue;
    }
    blanks = 0;
    start = r;
  }
  return start;
}

/** Finds and parses every table on a sheet. */
export function locateTables(g: SheetGrid, profile: Profile, workbookYear: number | null): ParsedTable[] {
  const L = new Labels(g);
  const headers = findHeaders(g, L);
  const tables: ParsedTable[] = [];
  let prevEnd = -1;
  for (let k = 0; k < headers.length; k++) {
    const h = headers[k];
    const nextHeader = k + 1 < headers.length ? headers[k + 1].row - 1 : g.rowCount - 1;
    const top: Region = { r0: prevEnd + 1, r1: h.row - 1 };
    const kind = kindOf(h, L, g, top);
    const ind = readIndicators(g, L, h, nextHeader, profile);
    const missing: { what: string; pos: Pos }[] = [];
    const hp = (c: number | null) => ({ r: h.row, c: c ?? h.cols.level3 });

    // Header fields
    const nameLabel = findLabel(L, top, (t) => t === '项目名称' || t === '预算部门名称');
    const name = nameLabel ? textAt(L, rightOf(g, L, nameLabel)) : null;
    const codeLabel = findLabel(L, top, (t) => t === '项目编码' || t === '项目代码');
    const code = codeLabel ? textAt(L, rightOf(g, L, codeLabel))?.text ?? null : null;
    const deptLabel = findLabel(L, top, (t) => t === '主管部门' || t === '预算部门名称' || t === '主管部门及代码');
    let department = deptLabel ? textAt(L, rightOf(g, L, deptLabel))?.text ?? null : null;
    const unitLabel = findLabel(L, top, (t) => t === '实施单位');
    const unit = unitLabel ? textAt(L, rightOf(g, L, unitLabel))?.text ?? null : null;

    const labelRows = [nameLabel, codeLabel, deptLabel].filter((p): p is Pos => p !== null).map((p) => p.r);
    const firstLabelRow = labelRows.length ? Math.min(...labelRows) : h.row;
    const titleStart = titleStartRow(L, top.r0, firstLabelRow);
    const year = titleYear(g, L, { r0: titleStart, r1: top.r1 }, firstLabelRow) ?? workbookYear;

    if (kind === 'target' && department === null && firstLabelRow > titleStart) {
      // The unit line under a published target table's title: `711 石家庄市总工会 … 单位：万元`.
      for (let r = titleStart + 1; r < firstLabelRow && department === null; r++) {
        for (let c = 0; c < g.colCount; c++) {
          const t = L.text(r, c);
          if (t && !/单位[:：]/.test(t)) {
            department = t.replace(/^\d+\s*/, '') || null;
            break;
          }
        }
      }
    }

    let goal: string | null = null;
    let goalActual: string | null = null;
    const expected = findLabel(L, top, (t) => t === '预期目标');
    const achieved = findLabel(L, top, (t) => t === '实际完成情况');
    if (expected) goal = textAt(L, { r: expected.r + 1, c: expected.c })?.text ?? null;
    if (achieved) goalActual = textAt(L, { r: achieved.r + 1, c: achieved.c })?.text ?? null;
    if (goal === null) {
      const gl = findLabel(L, top, (t) => t === '绩效目标' || t === '年度总体目标' || t === '年度绩效目标');
      if (gl) goal = textAt(L, rightOf(g, L, gl))?.text ?? null;
    }

    let targetFunds: ParsedTable['targetFunds'] = null;
    let plan: ParsedTable['spendingPlan'] = null;
    let funds: FundsBlock | null = null;
    if (kind === 'target') {
      const b = findLabel(L, top, (t) => t === '预算数' || t === '预算金额' || t === '年度预算数');
      const f = findLabel(L, top, (t) => /^(其中:?)?财政(资金|拨款)/.test(t));
      const o = findLabel(L, top, (t) => /^其他资金/.test(t));
      targetFunds = {
        budget: b ? numAt(g, rightOf(g, L, b)) : null,
        fiscal: f ? numAt(g, rightOf(g, L, f)) : null,
        other: o ? numAt(g, rightOf(g, L, o)) : null,
      };
      plan = spendingPlan(g, L, top);
      if (!name) missing.push({ what: '项目名称', pos: { r: titleStart, c: h.cols.level1 } });
      if (!b) missing.push({ what: '预算数', pos: hp(h.cols.level1) });
      if (!plan) missing.push({ what: '资金支出计划', pos: hp(h.cols.level1) });
      if (h.cols.target === null) missing.push({ what: '“指标值”列', pos: hp(h.cols.level3) });
    } else if (kind === 'self-eval' || kind === 'dept-self-eval') {
      funds = fundsBlock(g, L, top);
      if (!funds) missing.push({ what: '项目资金（年初预算数/全年预算数/全年执行数）', pos: hp(h.cols.level1) });
      else {
        if (funds.cols.budget === null) missing.push({ what: '“全年预算数”列', pos: { r: funds.headerRow, c: h.cols.level1 } });
        if (funds.cols.executed === null) missing.push({ what: '“全年执行数”列', pos: { r: funds.headerRow, c: h.cols.level1 } });
      }
      if (h.cols.target === null) missing.push({ what: '“年度指标值”列', pos: hp(h.cols.level3) });
      if (h.cols.weight === null) missing.push({ what: '“分值”列', pos: hp(h.cols.actual) });
      if (h.cols.score === null) missing.push({ what: '“得分”列', pos: hp(h.cols.actual) });
    } else if (h.cols.target === null) {
      missing.push({ what: '“预期指标值”列', pos: hp(h.cols.level3) });
    }

    // Total and grade cells
    let total: ParsedTable['total'] = null;
    let end = ind.end;
    if (ind.totalRow !== null) {
      const pos = h.cols.score !== null ? anchorPos(g, { r: ind.totalRow, c: h.cols.score }) : null;
      total = {
        r: ind.totalRow,
        pos,
        stated: pos ? numAt(g, pos) : null,
      };
      end = ind.totalRow;
    }
    let grade: ParsedTable['grade'] = null;
    // The 等级 label sits in the header block or on the rows just below the indicators.
    const isGrade = (t: string) => (t.endsWith('等级') && /^(自评|绩效|评价)?(评价)?等级$/.test(t)) || t === '自评结果';
    const gl =
      findLabel(L, top, isGrade) ?? findLabel(L, { r0: ind.end, r1: Math.min(end + 3, nextHeader) }, isGrade);
    if (gl) {
      let vp = rightOf(g, L, gl);
      if (!vp) {
        const c = spanEnd(g, gl.r, gl.c) + 1;
        if (c < Math.max(g.colCount, gl.c + 2)) vp = { r: gl.r, c };
      }
      if (vp) {
        grade = { pos: vp, stated: L.text(vp.r, vp.c) || null };
        end = Math.max(end, gl.r);
      }
    }
    if (kind === 'self-eval' || kind === 'dept-self-eval') {
      if (!total && ind.rows.length) missing.push({ what: '“总分”行', pos: { r: ind.end, c: h.cols.level1 } });
    }

    const r0 = titleStart;
    const { c0, c1 } = usedColumns(g, r0, end);
    const level1Weights = new Map<string, { weight: number; pos: Pos }>();
    for (const x of ind.rows) {
      if (x.level1Weight !== null && !level1Weights.has(x.level1)) {
        level1Weights.set(x.level1, { weight: x.level1Weight, pos: { r: x.r, c: h.cols.level1 } });
      }
    }
    tables.push({
      sheet: g,
      kind,
      r0,
      r1: end,
      c0,
      c1,
      headerRow: h.row,
      cols: h.cols,
      name,
      year,
      code,
      department,
      unit,
      goal,
      goalActual,
      targetFunds,
      spendingPlan: plan,
      funds,
      indicators: ind.rows,
      level1Weights,
      total,
      grade,
      missing,
    });
    prevEnd = end;
  }
  return tables;
}

