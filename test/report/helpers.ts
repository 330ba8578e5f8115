/**
 * Test helpers for the report: hand-made engine results (for cases the fixtures do not cover) and the
 * engine's real results on the fixtures.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyzeWorkbook } from '../../src/domain/engine';
import { TableResultSchema } from '../../src/domain/types';
import type { Finding, Indicator, TableResult, WorkbookResult } from '../../src/domain/types';
import { readWorkbookBytes } from '../../src/xlsx/read';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');
export const SELF_EVAL_FIXTURE = path.join(FIXTURES, '石家庄市总工会_2025_绩效自评表.xlsx');
export const TARGET_FIXTURE = path.join(FIXTURES, '石家庄市总工会_2024_项目绩效目标表.xlsx');

export async function fixtureResult(file: string): Promise<{ bytes: Buffer; result: WorkbookResult }> {
  const bytes = fs.readFileSync(file);
  const wb = await readWorkbookBytes(bytes, path.basename(file));
  return { bytes, result: analyzeWorkbook(wb) };
}

export function indicator(p: Partial<Indicator> & { row: number; level3: string }): Indicator {
  return {
    level1: '产出指标',
    level2: '数量指标',
    target: '≥10人',
    actual: '10人',
    weight: 10,
    score: 10,
    statedScore: null,
    deviation: null,
    basis: null,
    ...p,
  };
}

export function finding(p: Partial<Finding> & { code: string; cell: string; sheet: string }): Finding {
  return { severity: 'warning', message: `${p.code} 的说明`, ...p };
}

/** A self-eval table; `budget`/`executed` in 万元, scores computed by the caller. */
export function table(p: Partial<TableResult> & { sheet: string; name: string }): TableResult {
  const base = {
    range: 'A1:J19',
    kind: 'self-eval',
    year: 2025,
    code: null,
    department: '测试单位',
    unit: '测试单位',
    goal: null,
    goalActual: null,
    targetFunds: null,
    spendingPlan: null,
    funds: { initial: 10, budget: 10, executed: 10, rate: 1, weight: 10, score: 10, basis: null },
    indicators: [indicator({ row: 13, level3: '人数', weight: 90, score: 90 })],
    indicatorScore: 90,
    totalScore: 100,
    grade: '优',
    findings: [],
    edits: [],
  };
  // Validated against the engine's own schema: hand-made results must be results the engine could give.
  return TableResultSchema.parse({ ...base, ...p });
}

export function result(tables: TableResult[], findings: Finding[] = [], profile = 'central'): WorkbookResult {
  const all = [...tables.flatMap((t) => t.findings), ...findings];
  return {
    fileName: 'test.xlsx',
    profile,
    tables,
    findings,
    summary: {
      tables: tables.length,
      errors: all.filter((f) => f.severity === 'error').length,
      warnings: all.filter((f) => f.severity === 'warning').length,
      infos: all.filter((f) => f.severity === 'info').length,
    },
  };
}
