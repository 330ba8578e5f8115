/**
 * Table boundaries (RULES §1): every table on a sheet — one per indicator header, several stacked under one
 * header (a new 项目名称 or title below a table starts a new one), or a flat export whose header row carries the
 * project's fields (`单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 …`, one project per merged group).
 */
import { CellData, ownValueAt, SheetGrid } from '../grid';
import { FundsBlock, ParsedTable, Pos } from '../model';
import { Profile } from '../profiles';
import { TableKind } from '../types';
import { Lexicon, lexiconOf } from '../vocabulary';
import { vocabularyOf } from '../profiles';
import { findFields, fundsBlock, labelScale, moneyScale, Region, rightOf, spendingPlan, titleYear } from './fields';
import { findHeaders, Header } from './header';
import { GridRead, isNewTable, readIndicators } from './indicators';
import { SheetView } from './view';

function kindOf(h: Header, dept: boolean): TableKind {
  const c = h.cols;
  if (c.actual !== null && (c.weight !== null || c.score !== null)) return dept ? 'dept-self-eval' : 'self-eval';
  if (c.actual !== null) return 'completion';
  return 'target';
}

/** Rightmost column of the header (the table's width). */
function headerEnd(v: SheetView, h: Header): number {
  let c1 = h.cols.level3;
  for (let c = 0; c < v.colCount; c = v.spanEnd(h.row, c) + 1)
    if (v.text(h.row, c) !== '') c1 = Math.max(c1, v.spanEnd(h.row, c));
  return c1;
}

/** Whether a text is empty or white space only (without trim's copy for the usual text that starts with a letter). */
function isBlankText(v: string): boolean {
  if (v.length === 0) return true;
  const c = v.charCodeAt(0);
  // Not white space (ASCII above space, or a CJK character): content.
  if (c > 32 && c !== 0x3000 && c !== 0xa0 && c < 0x2000) return false;
  if (c >= 0x3001) return false;
  return v.trim() === '';
}

function usedColumns(g: SheetGrid, r0: number, r1: number): { c0: number; c1: number } {
  let c0 = Infinity;
  let c1 = -1;
  for (let r = r0; r <= r1; r++) {
    const row = g.rowCells(r);
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      if (cell && cell.value !== null && !(typeof cell.value === 'string' && isBlankText(cell.value))) {
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
 * that have content, across at most one blank row and at most four rows in all.
 */
function titleStartRow(v: SheetView, lo: number, firstLabelRow: number): number {
  let start = firstLabelRow;
  let blanks = 0;
  for (let r = firstLabelRow - 1; r >= Math.max(lo, 0) && firstLabelRow - r <= 4; r--) {
    if (!v.hasValues(r)) {
      if (++blanks > 1) break;
      continue;
    }
    blanks = 0;
    start = r;
  }
  return start;
}

/** The title's text: the longest text of the title rows that names a form. */
function titleText(v: SheetView, reg: Region): string {
  let best = '';
  for (let r = Math.max(reg.r0, 0); r <= reg.r1; r++) {
    for (const e of v.row(r)) {
      if (e.l.known) continue;
      if (e.l.title && e.k.length > best.length) best = v.text(e.r, e.c);
    }
  }
  return best;
}

interface Context {
  v: SheetView;
  lex: Lexicon;
  profile: Profile;
  workbookYear: number | null;
}

/** A project of a flat export: its cells in the header's field columns, and what the header's title says. */
interface Flat {
  name: Pos;
  fields: Partial<Record<string, Pos>>;
  year: number | null;
  scale: number;
}

/** Builds one table from its top region (title and fields), its header and its indicator rows. */
function buildTable(
  cx: Context,
  h: Header,
  top: Region,
  grid: GridRead,
  limit: number,
  headRow: number,
  flat: Flat | null,
): ParsedTable {
  const { v, lex, profile } = cx;
  const g = v.g;
  const hc1 = headerEnd(v, h);
  const fields = findFields(v, top);
  // A 部门整体 form: its own marks, or a 部门名称 with no 项目名称 (a project form may name its 单位 too).
  const dept = fields.deptMarker !== undefined || (fields.deptName !== undefined && fields.name === undefined);
  const kind = kindOf(h, dept);
  const scale = flat ? flat.scale : moneyScale(v, { r0: top.r0, r1: Math.max(top.r1, h.row) }, hc1);

  const fieldText = (role: 'name' | 'deptName' | 'code' | 'department' | 'unit' | 'goal') => {
    const flatPos = flat?.fields[role];
    if (flatPos) return v.textAt(flatPos);
    const p = fields[role];
    return p ? v.textAt(rightOf(v, lex, p)) : null;
  };
  let name = flat ? v.textAt(flat.name) : fieldText('name');
  const deptName = fieldText('deptName');
  if (!name && deptName) name = deptName;
  const code = fieldText('code')?.text ?? null;
  let department = fieldText('department')?.text ?? (kind === 'dept-self-eval' ? (deptName?.text ?? null) : null);
  const unit = fieldText('unit')?.text ?? null;

  const labelRows = (['name', 'deptName', 'code', 'department', 'budget'] as const)
    .map((k) => fields[k])
    .filter((p): p is Pos => p !== undefined)
    .map((p) => p.r);
  const firstLabelRow = labelRows.length ? Math.min(...labelRows) : h.top;
  const titleStart = flat && headRow > h.row ? headRow : titleStartRow(v, top.r0, firstLabelRow);
  const titleReg = { r0: titleStart, r1: Math.min(firstLabelRow - 1, top.r1) };
  const year = flat?.year ?? titleYear(v, titleReg) ?? cx.workbookYear;
  if (!name) {
    const t = titleText(v, titleReg);
    const n = t ? lex.nameFromTitle(t) : '';
    if (n !== '') name = { text: n, pos: v.anchor(titleStart, 0) };
  }

  if (kind === 'target' && department === null && firstLabelRow > titleStart) {
    // The unit line under a published target table's title: `711 石家庄市总工会 … 单位：万元`.
    for (let r = titleStart + 1; r < firstLabelRow && department === null; r++) {
      for (const e of v.row(r)) {
        if (e.l.known || e.l.yuan || lex.isYearLine(e.k) || lex.field(e.k.split(':')[0]) !== null) continue;
        department = v.text(e.r, e.c).replace(/^\d+\s*/, '') || null;
        break;
      }
    }
  }

  let goal: string | null = null;
  let goalActual: string | null = null;
  if (fields.goalExpected) goal = v.textAt({ r: fields.goalExpected.r + 1, c: fields.goalExpected.c })?.text ?? null;
  if (fields.goalActual) goalActual = v.textAt({ r: fields.goalActual.r + 1, c: fields.goalActual.c })?.text ?? null;
  if (goal === null) goal = fieldText('goal')?.text ?? null;

  let targetFunds: ParsedTable['targetFunds'] = null;
  let plan: ParsedTable['spendingPlan'] = null;
  let funds: FundsBlock | null = null;
  if (kind === 'target') {
    const at = (role: 'budget' | 'fiscal' | 'other') => {
      const flatPos = flat?.fields[role];
      const field = role === 'budget' ? '预算数' : role === 'fiscal' ? '财政资金' : '其他资金';
      if (flatPos) return v.need(flatPos, field, 'money', scale);
      const p = fields[role];
      if (!p) return null;
      // 财政资金 and 其他资金 are parts of the budget: a unit its label names is theirs unless they name their own.
      const b = role === 'budget' ? undefined : fields.budget;
      const base = b ? labelScale(v, b, scale) : scale;
      return v.need(rightOf(v, lex, p), field, 'money', labelScale(v, p, base));
    };
    targetFunds = { budget: at('budget'), fiscal: at('fiscal'), other: at('other') };
    plan = spendingPlan(v, lex, top);
  } else {
    funds = fundsBlock(v, lex, top, scale);
    if (kind === 'completion' && funds) {
      // A completion table's funds as a target table's: the total, the first 其中 row, and 其他资金.
      const isOther = (label: string) => lex.field(label) === 'other';
      const first = funds.parts[0];
      targetFunds = {
        budget: funds.total?.budget ?? null,
        fiscal: first && !isOther(first.label) ? first.budget : null,
        other: funds.parts.find((p) => isOther(p.label))?.budget ?? null,
      };
    }
  }

  // Total and grade cells
  let total: ParsedTable['total'] = null;
  let end = grid.end;
  const cols = h.cols;
  let grade: ParsedTable['grade'] = null;
  if (grid.totalRow !== null) {
    const pos =
      cols.score !== null && ownValueAt(g, grid.totalRow, cols.score, h.row)
        ? v.anchor(grid.totalRow, cols.score)
        : null;
    const wc = cols.weight;
    const weight =
      wc !== null && ownValueAt(g, grid.totalRow, wc, h.row)
        ? v.need({ r: grid.totalRow, c: wc }, '分值', 'score')
        : null;
    total = { r: grid.totalRow, pos, stated: pos ? v.need(pos, '总分', 'score') : null, weight };
    end = grid.totalRow;
    // A grade written on the total line right of the total (`总分 | 100 | 96 | 优`).
    if (cols.score !== null) {
      const names = new Set(profile.grades.map((b) => b.name));
      for (let c = v.spanEnd(grid.totalRow, cols.score) + 1; c < v.colCount; c = v.spanEnd(grid.totalRow, c) + 1) {
        const t = v.key(grid.totalRow, c);
        if (t === '') continue;
        if (names.has(t) || lex.isGradeWord(t))
          grade = { pos: v.anchor(grid.totalRow, c), stated: v.text(grid.totalRow, c) };
        break;
      }
    }
  }
  const afterEnd = Math.min(end + 3, limit);
  const gradeLabel = fields.grade ?? findFields(v, { r0: grid.end, r1: afterEnd }).grade;
  if (gradeLabel && !grade) {
    let vp = rightOf(v, lex, gradeLabel);
    if (!vp) {
      const c = v.spanEnd(gradeLabel.r, gradeLabel.c) + 1;
      if (c < Math.max(v.colCount, gradeLabel.c + 2)) vp = { r: gradeLabel.r, c };
    }
    if (vp) {
      grade = { pos: vp, stated: v.text(vp.r, vp.c) || null };
      end = Math.max(end, gradeLabel.r);
    }
  }
  // Reading rule 10: a grade line under the indicators with no 总分 line above it — the total row was pasted
  // over or deleted. Its total cannot be read where the form keeps it, and the table is not graded.
  const lastInd = grid.rows.length > 0 ? grid.rows[grid.rows.length - 1].r : -1;
  const totalLost =
    (kind === 'self-eval' || kind === 'dept-self-eval') &&
    total === null &&
    gradeLabel !== undefined &&
    lastInd >= 0 &&
    gradeLabel.r > lastInd
      ? { r: gradeLabel.r, c: gradeLabel.c }
      : null;

  // The table starts at its title, or higher where it read a field, the funds block or the plan up there.
  const readRows = [titleStart, headRow, ...Object.values(fields).map((p) => p!.r)];
  if (funds) readRows.push(funds.headerRow);
  if (plan) readRows.push(plan.labelsRow);
  if (name) readRows.push(name.pos.r);
  // A value merged down from above (a damaged or odd layout) is read where its area starts.
  for (const x of grid.rows)
    readRows.push(x.target.pos.r, x.actual?.pos.r ?? x.r, x.scorePos?.r ?? x.r, x.weight?.pos.r ?? x.r);
  let r0 = headRow;
  for (const r of readRows) if (r < r0) r0 = r;
  const used = usedColumns(g, r0, Math.max(end, headRow));
  // The header's columns belong to the table even where a merge from above holds their label.
  const c0 = Math.min(used.c0, cols.level1);
  const c1 = Math.max(used.c1, hc1);
  const level1Weights = new Map<string, { weight: number; pos: Pos }>();
  for (const x of grid.rows) {
    if (x.level1Weight !== null && !level1Weights.has(x.level1)) {
      level1Weights.set(x.level1, { weight: x.level1Weight, pos: v.anchor(x.r, cols.level1) });
    }
  }
  const unusable = [...v.unusable.values()].filter(
    (u) => u.pos.r >= r0 && u.pos.r <= Math.max(end, headRow) && u.pos.c >= c0 && u.pos.c <= c1,
  );
  return {
    sheet: g,
    kind,
    unusable,
    r0,
    r1: Math.max(end, headRow),
    c0,
    c1,
    headerRow: headRow,
    colsRow: h.row,
    cols,
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
    indicators: grid.rows,
    level1Weights,
    total,
    totalLost,
    grade,
    blocks: {
      name: name !== null,
      budget: kind === 'target' ? targetFunds?.budget != null || fields.budget !== undefined : funds !== null,
      plan: plan !== null,
      funds: funds !== null,
      total: total !== null,
    },
    moneyUnit: scale === 1 ? '万元' : '元',
  };
}

/** The first row at or after `from` that is no field or title line (where a stacked table's indicators resume). */
function fieldsEnd(v: SheetView, lex: Lexicon, from: number, limit: number, c1: number): number {
  let r = from;
  for (; r <= limit; r++) {
    const entries = v.row(r).filter((e) => e.c <= c1);
    if (entries.length === 0 && !v.hasValues(r, 0, c1)) continue;
    if (entries.some((e) => e.l.known || isNewTable(e.l))) continue;
    // The value row of a spending plan or a goal's text under its caption.
    const above = v.row(r - 1).filter((e) => e.c <= c1);
    if (above.some((e) => e.l.field === 'goalExpected' || lex.planCheckpoint(e.k) >= 0)) continue;
    break;
  }
  return r;
}

/** Tables of a flat export: one per merged group of the header's 项目名称 column. */
function flatTables(cx: Context, h: Header, top: Region, limit: number): ParsedTable[] {
  const { v, lex, profile } = cx;
  const nameCol = h.fieldCols.name ?? h.fieldCols.deptName!;
  const c1 = headerEnd(v, h);
  const out: ParsedTable[] = [];
  const year = titleYear(v, top);
  const scale = moneyScale(v, { r0: top.r0, r1: h.row }, c1);
  let r = h.row + 1;
  let blanks = 0;
  while (r <= limit) {
    const a = v.anchor(r, nameCol);
    const m = v.mergeAt(r, nameCol);
    const groupEnd = Math.min(m ? m.r1 : r, limit);
    // A sign-off or total line, a form's title or two blank rows end the export.
    const lead = v.row(r)[0];
    if (lead && (lead.l.signOff || lead.l.totalRow || lead.l.title)) break;
    blanks = v.hasValues(r, 0, c1) ? 0 : blanks + 1;
    if (blanks >= 2) break;
    if (v.text(r, nameCol) === '' || a.r <= h.row || lex.isKnownLabel(v.text(r, nameCol))) {
      // Not a project: a subtotal line or a blank row.
      r = groupEnd + 1;
      continue;
    }
    // Rows of one project: its merged group, or consecutive rows with the same name.
    let last = groupEnd;
    while (!m && last + 1 <= limit && v.text(last + 1, nameCol) === v.text(r, nameCol) && !v.mergeAt(last + 1, nameCol))
      last++;
    const grid = readIndicators(v, lex, h, r, last, profile, c1);
    const fields: Partial<Record<string, Pos>> = {};
    for (const [role, c] of Object.entries(h.fieldCols)) fields[role] = v.anchor(r, c as number);
    const first = out.length === 0;
    out.push(
      buildTable(
        cx,
        h,
        first ? top : { r0: a.r, r1: a.r - 1 },
        { ...grid, end: Math.max(grid.end, last) },
        limit,
        first ? h.row : a.r,
        {
          name: a,
          fields,
          year,
          scale,
        },
      ),
    );
    r = last + 1;
  }
  return out;
}

function sameColumns(a: Header, b: Header): boolean {
  const x = a.cols;
  const y = b.cols;
  return (Object.keys(x) as (keyof typeof x)[]).every((k) => x[k] === y[k]);
}

/** Whether rows r0..r1 hold a line that ends a table or starts another (a total, a sign-off, a name, a title, blank rows). */
function breaksBetween(v: SheetView, r0: number, r1: number, c1: number): boolean {
  let blanks = 0;
  for (let r = r0; r <= r1; r++) {
    // Two blank rows end a grid (as in readIndicators): what follows is another table.
    blanks = v.hasValues(r, 0, c1) ? 0 : blanks + 1;
    if (blanks >= 2) return true;
    for (const e of v.row(r)) {
      if (e.c > c1) break;
      if (e.l.totalRow || e.l.signOff || isNewTable(e.l) || e.l.field !== null) return true;
    }
  }
  return false;
}

/**
 * The column bands of a sheet that holds forms side by side (issue #16 rule 5): where one row carries two
 * indicator headers (一级, 二级, 三级 … and again 一级, 二级, 三级 …), each form is read on its own, from the
 * column after the left form's header to the right one's last column. The cut is the first column boundary
 * past the left form's header that no merged area crosses. Null when the sheet has one form across.
 */
function columnBands(v: SheetView): { c0: number; c1: number }[] | null {
  const g = v.g;
  for (let r = 0; r < v.rowCount; r++) {
    const entries = v.row(r);
    let level1s = 0;
    for (const e of entries) if (e.l.column === 'level1') level1s++;
    if (level1s < 2) continue;
    // Each 一级 followed by its 二级 and 三级 before the next 一级: a header.
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < entries.length; i++) {
      if (entries[i].l.column !== 'level1') continue;
      let bits = 0;
      let end = v.spanEnd(r, entries[i].c);
      for (let j = i + 1; j < entries.length && entries[j].l.column !== 'level1'; j++) {
        const role = entries[j].l.column;
        if (role === null) break;
        if (role === 'level2') bits |= 1;
        if (role === 'level3') bits |= 2;
        end = v.spanEnd(r, entries[j].c);
      }
      if (bits === 3) {
        starts.push(entries[i].c);
        ends.push(end);
      }
    }
    if (starts.length < 2) continue;
    const crossed = (b: number) => g.merges.some((m) => m.c0 < b && m.c1 >= b);
    const cuts: number[] = [];
    for (let k = 0; k + 1 < starts.length; k++) {
      let b = ends[k] + 1;
      while (b <= starts[k + 1] && crossed(b)) b++;
      if (b > starts[k + 1]) return null;
      cuts.push(b);
    }
    const bands = [{ c0: 0, c1: cuts[0] - 1 }];
    for (let k = 0; k < cuts.length; k++)
      bands.push({ c0: cuts[k], c1: k + 1 < cuts.length ? cuts[k + 1] - 1 : g.colCount - 1 });
    return bands;
  }
  return null;
}

/** The sheet with only the cells and merges of columns c0..c1 (same name and positions). */
function bandOf(g: SheetGrid, c0: number, c1: number): SheetGrid {
  const rows: (CellData | undefined)[][] = [];
  for (let r = 0; r < g.rowCount; r++) {
    const src = g.rowCells(r);
    const row: (CellData | undefined)[] = [];
    for (let c = c0; c <= Math.min(c1, src.length - 1); c++) if (src[c]) row[c] = src[c];
    rows.push(row);
  }
  return new SheetGrid(
    g.name,
    rows,
    g.merges.filter((m) => m.c0 >= c0 && m.c1 <= c1),
  );
}

/** Finds and parses every table on a sheet. */
export function locateTables(g: SheetGrid, profile: Profile, workbookYear: number | null): ParsedTable[] {
  const lex = lexiconOf(vocabularyOf(profile));
  const v = new SheetView(g, lex);
  const bands = columnBands(v);
  if (bands)
    return bands.flatMap((b) => locateInView(new SheetView(bandOf(g, b.c0, b.c1), lex), profile, workbookYear));
  return locateInView(v, profile, workbookYear);
}

function locateInView(v: SheetView, profile: Profile, workbookYear: number | null): ParsedTable[] {
  const { g, lex } = v;
  const cx: Context = { v, lex, profile, workbookYear };
  const headers = findHeaders(v, lex);
  const tables: ParsedTable[] = [];
  let prevEnd = -1;
  for (let k = 0; k < headers.length; k++) {
    const h = headers[k];
    const limit = k + 1 < headers.length ? headers[k + 1].top - 1 : g.rowCount - 1;
    let top: Region = { r0: prevEnd + 1, r1: h.top - 1 };
    if (h.fieldCols.name !== undefined || h.fieldCols.deptName !== undefined) {
      const flat = flatTables(cx, h, top, limit);
      if (flat.length) {
        tables.push(...flat);
        prevEnd = flat.reduce((m, t) => Math.max(m, t.r1), -1);
        continue;
      }
    }
    const c1 = headerEnd(v, h);
    // The same header again further down, with nothing between that starts a table or ends one, is the header
    // repeated on each printed page: the grid goes on under it.
    const repeats = new Set<number>();
    let end = limit;
    // The grid read up to the next header: a total, sign-off or new-table line in it is a break (breaksBetween
    // would find the same line), so the repeated-header scan is needed only where the grid ran on to its limit
    // or stopped at blank rows; and the read is the table's own when the next header is not merged in.
    let firstRead: GridRead | null = null;
    if (k + 1 < headers.length && sameColumns(h, headers[k + 1])) {
      firstRead = readIndicators(v, lex, h, h.row + 1, limit, profile, c1);
      const broken =
        firstRead.stop === 'total' ||
        firstRead.stop === 'grade' ||
        firstRead.stop === 'signOff' ||
        firstRead.stop === 'newTable';
      while (
        !broken &&
        k + 1 < headers.length &&
        sameColumns(h, headers[k + 1]) &&
        !breaksBetween(v, headers[k].row + 1, headers[k + 1].top - 1, c1)
      ) {
        k++;
        for (let r = headers[k].top; r <= headers[k].row; r++) repeats.add(r);
        end = k + 1 < headers.length ? headers[k + 1].top - 1 : g.rowCount - 1;
      }
    }
    let from = h.row + 1;
    let headRow = h.row;
    while (from <= end) {
      const grid =
        firstRead && repeats.size === 0 && from === h.row + 1
          ? firstRead
          : readIndicators(v, lex, h, from, end, profile, c1, repeats);
      const t = buildTable(cx, h, top, grid, limit, headRow, null);
      if (h.areas && t.kind === 'target') {
        // One target column per area (reading rule 5): each area is a table of its own, named for its area.
        for (const a of h.areas) {
          const ha: Header = { ...h, cols: { ...h.cols, target: a.c }, areas: undefined };
          const ta = buildTable(cx, ha, top, readIndicators(v, lex, ha, from, end, profile, c1, repeats), limit, headRow, null);
          const base = ta.name?.text ?? '';
          ta.name = { text: base ? `${base}（${a.name}）` : a.name, pos: ta.name?.pos ?? { r: ta.r0, c: ta.c0 } };
          tables.push(ta);
        }
      } else tables.push(t);
      prevEnd = t.r1;
      if (grid.stop !== 'newTable') break;
      // A stacked project under the same header: its fields, then its indicators.
      const resume = fieldsEnd(v, lex, grid.stopRow, end, c1);
      top = { r0: grid.stopRow, r1: resume - 1 };
      headRow = grid.stopRow;
      from = resume;
    }
  }
  return tables;
}
