/**
 * What the form still needs from the user (「还有 N 项待填」), and which computed scores are only the
 * engine's proposals. Pure: reads the engine's results, no Office.js, no Node APIs.
 */
import { areaA1, parseAreaA1 } from './grid';
import type { CellEdit, TableResult, WorkbookResult } from './types';

export interface TodoItem {
  sheet: string;
  /** The table's name (项目名称) or sheet. */
  table: string;
  /** The cells to select: the indicator's or funds' row across the table. */
  range: string;
  /** 1-based row. */
  row: number;
  /** What is missing, in Chinese. */
  what: string;
}

function rowRange(t: TableResult, row: number): string {
  const a = parseAreaA1(t.range);
  return a ? areaA1({ r0: row - 1, c0: a.c0, r1: row - 1, c1: a.c1 }) : `A${row}`;
}

/** The rows of a table that hold its 全年执行数 cannot be located from the result; the table's first row is. */
function firstRow(t: TableResult): number {
  const a = parseAreaA1(t.range);
  return a ? a.r0 + 1 : 1;
}

/** Everything still to fill in, table by table, in sheet order. */
export function todoList(result: WorkbookResult): TodoItem[] {
  const out: TodoItem[] = [];
  for (const t of result.tables) {
    if (t.kind === 'target') continue;
    const table = t.name || t.sheet;
    const add = (row: number, what: string) => out.push({ sheet: t.sheet, table, range: rowRange(t, row), row, what });
    if (t.funds && t.funds.executed === null && (t.funds.budget !== null || t.funds.initial !== null)) {
      add(firstRow(t), '全年执行数未填写：执行率和执行率得分无法计算');
    }
    for (const x of t.indicators) {
      const name = x.level3 || `第${x.row}行指标`;
      if (x.actual !== null && x.actual.trim() === '') {
        add(x.row, `「${name}」实际完成值未填写`);
        continue;
      }
      if (x.score !== null && x.weight !== null && x.score < x.weight - 0.005 && !(x.deviation ?? '').trim()) {
        add(x.row, `「${name}」得分 ${x.score.toFixed(2)} 低于分值 ${x.weight}，需填写偏差原因分析及改进措施`);
      }
    }
  }
  return out;
}

function rowOf(cell: string): number {
  const m = /(\d+)$/.exec(cell.replace(/\$/g, ''));
  return m ? Number(m[1]) : -1;
}

/**
 * Score cells whose computed value is a default band score for a qualitative indicator (0.7 × 分值 for
 * 部分达成, …): the engine flags those rows with C11 (需人工确认). Writing them into the form would make the
 * guess read as the user's own score, so they stay proposals until the user confirms each.
 */
export function proposalCells(t: TableResult): Set<string> {
  const rows = new Set(t.findings.filter((f) => f.code === 'C11').map((f) => rowOf(f.cell)));
  const out = new Set<string>();
  for (const e of t.edits) if (e.kind === 'score' && rows.has(rowOf(e.cell))) out.add(e.cell);
  return out;
}

/** Edits that depend on the table's proposals (总分, 等级): written only when every proposal is confirmed. */
export function dependsOnProposals(e: CellEdit): boolean {
  return e.kind === 'total' || e.kind === 'grade';
}
