/**
 * Layout mutations (issue #16): the changes real forms show — the table shifted, blank rows and columns inside
 * it, the sheet renamed, labels wrapped, synonyms swapped, unit suffixes on money labels, amounts in 元 with
 * thousands separators, level cells unmerged (label at the top or in the middle of its group), two forms stacked
 * or side by side. Each mutation rewrites a workbook grid and says where every original cell went, so that the
 * mutated form's reading can be compared with the original's, cell addresses mapped through the change.
 *
 * A mutation applies to a form when it changes something the reader reads (a form with no merged level cells
 * cannot be unmerged); `apply` returns null otherwise.
 */
import { a1, Area, CellData, parseA1, SheetGrid, WorkbookGrid } from '../../src/domain/grid';
import { analyzeWorkbook } from '../../src/domain/engine';
import { ParsedTable } from '../../src/domain/model';
import { BUILTIN_PROFILES, vocabularyOf } from '../../src/domain/profiles';
import { locateTables } from '../../src/domain/reader/tables';
import { clean } from '../../src/domain/round';
import { TableResult, WorkbookResult } from '../../src/domain/types';
import { labelKey, lexiconOf } from '../../src/domain/vocabulary';

/** A sheet as plain data: cells by row, merges. */
export interface PlainSheet {
  name: string;
  rows: (CellData | undefined)[][];
  merges: Area[];
}

/** Where a cell of the original went: sheet name and position (the first copy, for duplicated forms). */
export type CellMap = (sheet: string, r: number, c: number) => { sheet: string; r: number; c: number };

export interface Mutated {
  wb: WorkbookGrid;
  /** Every original cell's place in the mutated workbook (for each copy of a duplicated form). */
  maps: CellMap[];
}

export interface Mutation {
  id: string;
  /** What the mutation does, as the accuracy matrix prints it. */
  title: string;
  apply(wb: WorkbookGrid): Mutated | null;
}

export function plain(g: SheetGrid): PlainSheet {
  const rows: (CellData | undefined)[][] = [];
  for (let r = 0; r < g.rowCount; r++) rows.push(g.rowCells(r).map((c) => (c ? { ...c } : undefined)));
  return { name: g.name, rows, merges: g.merges.map((m) => ({ ...m })) };
}

export function gridOf(s: PlainSheet): SheetGrid {
  return new SheetGrid(s.name, s.rows, s.merges);
}

const identity: CellMap = (sheet, r, c) => ({ sheet, r, c });

/** Applies `f` to every sheet (a plain copy); the workbook keeps its file name. */
function eachSheet(wb: WorkbookGrid, f: (s: PlainSheet, g: SheetGrid) => PlainSheet | null): WorkbookGrid | null {
  let changed = false;
  const sheets = wb.sheets.map((g) => {
    const out = f(plain(g), g);
    if (!out) return g;
    changed = true;
    return gridOf(out);
  });
  return changed ? { ...wb, sheets } : null;
}

function tablesOf(g: SheetGrid): ParsedTable[] {
  return locateTables(g, BUILTIN_PROFILES.central, null);
}

/** Inserts `n` blank rows before row `at` (merges crossing it grow, as Excel's insert does). */
export function insertRows(s: PlainSheet, at: number, n: number): void {
  const blank: (CellData | undefined)[][] = Array.from({ length: n }, () => []);
  s.rows.splice(at, 0, ...blank);
  for (const m of s.merges) {
    if (m.r0 >= at) {
      m.r0 += n;
      m.r1 += n;
    } else if (m.r1 >= at) m.r1 += n;
  }
}

/** Inserts `n` blank columns before column `at`. */
export function insertCols(s: PlainSheet, at: number, n: number): void {
  for (const row of s.rows) if (row.length > at) row.splice(at, 0, ...Array.from({ length: n }, () => undefined));
  for (const m of s.merges) {
    if (m.c0 >= at) {
      m.c0 += n;
      m.c1 += n;
    } else if (m.c1 >= at) m.c1 += n;
  }
}

const lex = lexiconOf(vocabularyOf(BUILTIN_PROFILES.central));

/** Whether the cell's text is a label of the form (field, column, funds, total …), as the vocabulary says. */
function isLabelCell(cell: CellData | undefined): cell is CellData & { value: string } {
  if (!cell || typeof cell.value !== 'string' || cell.formula) return false;
  const k = labelKey(cell.value);
  return k.length >= 2 && (lex.isKnownLabel(cell.value) || lex.isTitle(cell.value));
}

/** Rewrites the text of every label cell. */
function mapLabels(f: (text: string) => string): (s: PlainSheet) => PlainSheet | null {
  return (s) => {
    let changed = false;
    for (const row of s.rows) {
      for (let c = 0; c < row.length; c++) {
        const cell = row[c];
        if (!isLabelCell(cell)) continue;
        const t = f(cell.value);
        if (t !== cell.value) {
          row[c] = { ...cell, value: t };
          changed = true;
        }
      }
    }
    return changed ? s : null;
  };
}

/** The money cells a table read (target fields, the funds block) with the label cells that head them. */
function moneyCells(t: ParsedTable): { amounts: { r: number; c: number }[] } {
  const amounts: { r: number; c: number }[] = [];
  const tf = t.targetFunds;
  if (t.kind === 'target' && tf) for (const n of [tf.budget, tf.fiscal, tf.other]) if (n) amounts.push(n.pos);
  if (t.funds) {
    for (const row of [t.funds.total, ...t.funds.parts]) {
      if (!row) continue;
      for (const n of [row.initial, row.budget, row.executed]) if (n) amounts.push(n.pos);
    }
  }
  return { amounts };
}

/** `1234567.8` → `1,234,567.80`. */
function withSeparators(v: number): string {
  const [i, d] = v.toFixed(2).split('.');
  return `${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${d}`;
}

const MONEY_LABEL =
  /^(预算数|预算金额|年度预算数|年度资金总额|资金总额|项目资金总额|年度金额|预算申报数|项目总预算|财政资金|财政拨款|其他资金|自有资金|年初预算数|全年预算数|全年执行数|预算执行数|调整后预算数)$/;

export const MUTATIONS: Mutation[] = [
  {
    id: 'shift',
    title: '表格整体下移 3 行、右移 2 列',
    apply(wb) {
      const out = eachSheet(wb, (s) => {
        insertRows(s, 0, 3);
        insertCols(s, 0, 2);
        return s;
      });
      return out && { wb: out, maps: [(sheet, r, c) => ({ sheet, r: r + 3, c: c + 2 })] };
    },
  },
  {
    id: 'rename',
    title: '工作表改名',
    apply(wb) {
      const names = new Map(wb.sheets.map((g, i) => [g.name, `表${i + 1} 副本`]));
      const out = eachSheet(wb, (s) => ({ ...s, name: names.get(s.name)! }));
      return out && { wb: out, maps: [(sheet, r, c) => ({ sheet: names.get(sheet)!, r, c })] };
    },
  },
  {
    id: 'blank-row',
    title: '指标行之间插入一个空行',
    apply(wb) {
      const inserted = new Map<string, number[]>();
      const out = eachSheet(wb, (s, g) => {
        const at = tablesOf(g)
          .filter((t) => t.indicators.length >= 2)
          .map((t) => t.indicators[1].r)
          .sort((a, b) => b - a);
        if (at.length === 0) return null;
        for (const r of at) insertRows(s, r, 1);
        inserted.set(s.name, at);
        return s;
      });
      return (
        out && {
          wb: out,
          maps: [(sheet, r, c) => ({ sheet, r: r + (inserted.get(sheet) ?? []).filter((x) => x <= r).length, c })],
        }
      );
    },
  },
  {
    id: 'blank-col',
    title: '表内插入一个空列（三级指标之后）',
    apply(wb) {
      const inserted = new Map<string, number>();
      const out = eachSheet(wb, (s, g) => {
        const ts = tablesOf(g);
        if (ts.length === 0) return null;
        const at = ts[0].cols.level3 + 1;
        insertCols(s, at, 1);
        inserted.set(s.name, at);
        return s;
      });
      return (
        out && {
          wb: out,
          maps: [(sheet, r, c) => ({ sheet, r, c: c + (inserted.has(sheet) && c >= inserted.get(sheet)! ? 1 : 0) })],
        }
      );
    },
  },
  {
    id: 'wrap',
    title: '标签换行（换行符、全角空格）',
    apply(wb) {
      let k = 0;
      const out = eachSheet(
        wb,
        mapLabels((t) => {
          const chars = Array.from(t);
          if (chars.length < 2) return t;
          const at = Math.ceil(chars.length / 2);
          const sep = k++ % 2 === 0 ? '\n' : '\u3000';
          return chars.slice(0, at).join('') + sep + chars.slice(at).join('');
        }),
      );
      return out && { wb: out, maps: [identity] };
    },
  },
  {
    id: 'synonyms',
    title: '同义标签互换（指标值↔年度指标值，分值↔权重，其他↔其它）',
    apply(wb) {
      const swap: Record<string, string> = { 指标值: '年度指标值', 年度指标值: '指标值', 分值: '权重', 权重: '分值' };
      const out = eachSheet(
        wb,
        mapLabels((t) => {
          const k = labelKey(t);
          if (swap[k]) return swap[k];
          return t.replace(/其他/g, '其它');
        }),
      );
      return out && { wb: out, maps: [identity] };
    },
  },
  {
    id: 'unit-suffix',
    title: '金额标签带单位（预算数（万元）：）',
    apply(wb) {
      const out = eachSheet(wb, (s, g) => {
        if (tablesOf(g).some((t) => t.moneyUnit !== '万元')) return null;
        return mapLabels((t) => (MONEY_LABEL.test(labelKey(t)) ? `${t.trim()}（万元）：` : t))(s);
      });
      return out && { wb: out, maps: [identity] };
    },
  },
  {
    id: 'yuan',
    title: '金额改以元填写、带千分位（标签注明（元））',
    apply(wb) {
      const out = eachSheet(wb, (s, g) => {
        const ts = tablesOf(g);
        if (ts.length === 0 || ts.some((t) => t.moneyUnit !== '万元')) return null;
        let changed = false;
        for (const t of ts) {
          for (const p of moneyCells(t).amounts) {
            const cell = s.rows[p.r]?.[p.c];
            if (!cell || typeof cell.value !== 'number' || cell.formula) continue;
            s.rows[p.r][p.c] = { value: withSeparators(clean(cell.value * 10000)) };
            changed = true;
          }
        }
        if (!changed) return null;
        mapLabels((t) => (MONEY_LABEL.test(labelKey(t)) ? `${t.trim()}（元）` : t))(s);
        return s;
      });
      return out && { wb: out, maps: [identity] };
    },
  },
  ...(['top', 'middle'] as const).map((where): Mutation => ({
    id: `unmerge-${where}`,
    title: where === 'top' ? '一级/二级合并单元格拆开，标签在组首行' : '一级/二级合并单元格拆开，标签在组中间行',
    apply(wb) {
      const out = eachSheet(wb, (s, g) => {
        const ts = tablesOf(g);
        let changed = false;
        for (const t of ts) {
          if (t.indicators.length === 0) continue;
          const r0 = t.indicators[0].r;
          const r1 = t.indicators[t.indicators.length - 1].r;
          for (const col of [t.cols.level1, t.cols.level2]) {
            for (const m of [...s.merges]) {
              if (m.c0 !== col || m.r0 < r0 || m.r1 > r1 || m.r1 === m.r0) continue;
              const cell = s.rows[m.r0]?.[m.c0];
              s.merges.splice(s.merges.indexOf(m), 1);
              if (m.c1 > m.c0) for (let r = m.r0; r <= m.r1; r++) s.merges.push({ r0: r, c0: m.c0, r1: r, c1: m.c1 });
              const at = where === 'top' ? m.r0 : m.r0 + Math.floor((m.r1 - m.r0) / 2);
              if (at !== m.r0) {
                (s.rows[at] ??= [])[m.c0] = cell;
                s.rows[m.r0][m.c0] = undefined;
              }
              changed = true;
            }
          }
        }
        return changed ? s : null;
      });
      return out && { wb: out, maps: [identity] };
    },
  })),
  {
    id: 'gloss',
    title: '一级/二级标签带模板注释（必填）（或…）',
    apply(wb) {
      const out = eachSheet(wb, (s, g) => {
        let changed = false;
        for (const t of tablesOf(g)) {
          for (const i of t.indicators) {
            for (const [col, gloss] of [
              [t.cols.level1, '（必填）'],
              [t.cols.level2, '（或其他指标）'],
            ] as const) {
              const a = g.mergeAt(i.r, col) ?? { r0: i.r, c0: col };
              const cell = s.rows[a.r0]?.[a.c0];
              if (!cell || typeof cell.value !== 'string' || cell.formula || /[（(]/.test(cell.value)) continue;
              if (cell.value.trim() === '') continue;
              s.rows[a.r0][a.c0] = { ...cell, value: `${cell.value.trim()}${gloss}` };
              changed = true;
            }
          }
        }
        return changed ? s : null;
      });
      return out && { wb: out, maps: [identity] };
    },
  },
  ...([false, true] as const).map((direction): Mutation => ({
    id: direction ? 'direction' : 'split-value',
    title: direction
      ? '指标值拆成 指标方向 | 计算符号 | 指标值 | 度量单位 四列（正向/反向与符号并存）'
      : '指标值拆成 计算符号 | 指标值 | 度量单位 三列',
    apply(wb) {
      const at = new Map<string, number>();
      const extra = direction ? 1 : 0;
      const out = eachSheet(wb, (s, g) => {
        const ts = tablesOf(g).filter((t) => t.indicators.length > 0);
        if (ts.length === 0) return null;
        const c = ts[0].cols.target;
        if (c === null) return null;
        for (const t of ts) {
          if (t.cols.target !== c || t.cols.operator !== null || t.cols.unit !== null) return null;
          const hm = g.mergeAt(t.colsRow, c);
          if (hm && (hm.c1 > hm.c0 || hm.r0 < t.colsRow)) return null;
          if (t.indicators.some((i) => g.mergeAt(i.r, c))) return null;
        }
        insertCols(s, c + 1, 1);
        insertCols(s, c, 1 + extra);
        const op = c + extra;
        const val = op + 1;
        let split = 0;
        for (const t of ts) {
          if (direction) s.rows[t.colsRow][c] = { value: '指标方向' };
          s.rows[t.colsRow][op] = { value: '计算符号' };
          s.rows[t.colsRow][val + 1] = { value: '度量单位' };
          for (const i of t.indicators) {
            const cell = s.rows[i.r]?.[val];
            if (!cell || typeof cell.value !== 'string' || cell.formula) continue;
            const m = /^([≥≤=<>]?)(\d+(?:\.\d+)?)([^\d.].*)$/.exec(cell.value);
            // A unit is words (`人次`, `元/人*月`): a range or a date (`2023.07-2024.01`) stays one value.
            if (!m || /^\s/.test(m[3]) || /\d/.test(m[3])) continue;
            // The direction says 正向 for `=` too: the symbol must win (reading rule 2).
            if (direction && m[1]) s.rows[i.r][c] = { value: m[1] === '≤' || m[1] === '<' ? '反向' : '正向' };
            if (m[1]) s.rows[i.r][op] = { value: m[1] };
            s.rows[i.r][val] = { ...cell, value: m[2] };
            s.rows[i.r][val + 1] = { value: m[3] };
            split++;
          }
        }
        if (split === 0) return null;
        at.set(s.name, c);
        return s;
      });
      return (
        out && {
          wb: out,
          maps: [
            (sheet, r, c) => {
              const t = at.get(sheet);
              return { sheet, r, c: t === undefined || c < t ? c : c === t ? c + 1 + extra : c + 2 + extra };
            },
          ],
        }
      );
    },
  })),
  {
    id: 'stack',
    title: '同一工作表上下叠放两张表',
    apply(wb) {
      const offsets = new Map<string, number>();
      const out = eachSheet(wb, (s, g) => {
        if (tablesOf(g).length === 0) return null;
        const n = s.rows.length + 3;
        offsets.set(s.name, n);
        const copy = plain(g);
        while (s.rows.length < n) s.rows.push([]);
        s.rows.push(...copy.rows);
        for (const m of copy.merges) s.merges.push({ r0: m.r0 + n, c0: m.c0, r1: m.r1 + n, c1: m.c1 });
        return s;
      });
      return out && { wb: out, maps: [identity, (sheet, r, c) => ({ sheet, r: r + (offsets.get(sheet) ?? 0), c })] };
    },
  },
  {
    id: 'side-by-side',
    title: '同一工作表左右并排两张表',
    apply(wb) {
      const offsets = new Map<string, number>();
      const out = eachSheet(wb, (s, g) => {
        if (tablesOf(g).length === 0) return null;
        const n = g.colCount + 2;
        offsets.set(s.name, n);
        const copy = plain(g);
        copy.rows.forEach((row, r) => {
          const dst = (s.rows[r] ??= []);
          row.forEach((cell, c) => {
            if (cell) dst[c + n] = { ...cell };
          });
        });
        for (const m of copy.merges) s.merges.push({ r0: m.r0, c0: m.c0 + n, r1: m.r1, c1: m.c1 + n });
        return s;
      });
      return out && { wb: out, maps: [identity, (sheet, r, c) => ({ sheet, r, c: c + (offsets.get(sheet) ?? 0) })] };
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Comparing readings

function mapCell(map: CellMap, sheet: string, cell: string): string {
  const p = parseA1(cell);
  if (!p) return cell;
  const q = map(sheet, p.r, p.c);
  return `${q.sheet}!${a1(q.r, q.c)}`;
}

/** What a reading says of one table, cell addresses mapped: the fields the issue lists, and the findings. */
export function tableSignature(t: TableResult, map: CellMap): unknown {
  return {
    sheet: map(t.sheet, 0, 0).sheet,
    kind: t.kind,
    name: t.name,
    year: t.year,
    department: t.department,
    targetFunds: t.targetFunds,
    funds: t.funds && {
      initial: t.funds.initial,
      budget: t.funds.budget,
      executed: t.funds.executed,
      rate: t.funds.rate,
      score: t.funds.score,
    },
    indicators: t.indicators.map((x) => ({
      row: map(t.sheet, x.row - 1, 0).r + 1,
      level1: x.level1,
      level2: x.level2,
      level3: x.level3,
      target: x.target,
      actual: x.actual,
      weight: x.weight,
      score: x.score,
    })),
    totalScore: t.totalScore,
    grade: t.grade,
    findings: t.findings.map((f) => `${f.severity} ${f.code} ${mapCell(map, f.sheet, f.cell)}`).sort(),
    edits: t.edits.map((e) => `${e.kind} ${mapCell(map, e.sheet, e.cell)} ${e.value} ${e.status}`).sort(),
  };
}

/** The expected signature of the mutated workbook: every original table through each of the mutation's maps. */
export function expectedSignature(original: WorkbookResult, maps: CellMap[]): unknown[] {
  const out: unknown[] = [];
  for (const map of maps) for (const t of original.tables) out.push(tableSignature(t, map));
  return sortSignatures(out);
}

export function actualSignature(mutated: WorkbookResult): unknown[] {
  return sortSignatures(mutated.tables.map((t) => tableSignature(t, identity)));
}

function sortSignatures(xs: unknown[]): unknown[] {
  return xs
    .map((x) => JSON.stringify(x))
    .sort()
    .map((s) => JSON.parse(s));
}

export interface MutationOutcome {
  mutation: string;
  applicable: boolean;
  exact: boolean;
  expected?: unknown[];
  actual?: unknown[];
}

export function runMutation(wb: WorkbookGrid, m: Mutation, profile: 'central' | 'hebei' = 'central'): MutationOutcome {
  const mutated = m.apply(wb);
  if (!mutated) return { mutation: m.id, applicable: false, exact: true };
  const expected = expectedSignature(analyzeWorkbook(wb, { profile }), mutated.maps);
  const actual = actualSignature(analyzeWorkbook(mutated.wb, { profile }));
  return {
    mutation: m.id,
    applicable: true,
    exact: JSON.stringify(expected) === JSON.stringify(actual),
    expected,
    actual,
  };
}
