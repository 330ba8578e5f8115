/**
 * The engine: grid in, data out. Finds every table, parses it, runs the rule catalogue, scores it and
 * proposes the cell edits a write-back would make. Pure: no host API is touched here.
 */
import { a1, areaA1, CellData, mergeConflict, SheetGrid, WorkbookGrid } from './grid';
import { isDraftSheet } from './draft/prompts';
import { locateTables } from './reader/tables';
import { ParsedTable } from './model';
import { Profile, ProfileId, resolveProfile } from './profiles';
import { clean, roundHalfUp } from './round';
import { runRules } from './rules/catalogue';
import { draftSheetFindings } from './rules/draft';
import { scoreTable, TableScore } from './scoring';
import { cellText, norm, readNumber } from './text';
import { CellEdit, EditStatus, Finding, Summary, TableResult, TableResultSchema, WorkbookResult } from './types';

export interface AnalyzeOptions {
  profile?: ProfileId | Profile;
  /**
   * Validate every table against the zod schema (off by default). The results are built here, from typed
   * values, so no data comes in at this point; the schema is checked by the tests (property tests on garbled
   * grids, the corpus) and by any caller that wants it at run time. zod stays on data that comes in (files,
   * profiles, settings, vocabulary).
   */
  validate?: boolean;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/**
 * The workbook's year, for tables whose title names none: the year most named in the first rows of its
 * sheets (`2024年部门预算信息公开…`), else the year in the file name.
 */
export function workbookYear(wb: WorkbookGrid): number | null {
  const counts = new Map<number, number>();
  for (const sheet of wb.sheets) {
    let seen = 0;
    for (const r of sheet.rowIndexes()) {
      if (seen++ >= 3) break;
      for (let c = 0; c < Math.min(sheet.colCount, 30); c++) {
        const v = sheet.raw(r, c)?.value;
        if (typeof v !== 'string' || !v.includes('年')) continue;
        for (const m of norm(v).matchAll(/(20\d\d)年/g)) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
      }
    }
  }
  let best: number | null = null;
  let bestN = 0;
  for (const [y, n] of counts) if (n > bestN || (n === bestN && best !== null && y > best)) [best, bestN] = [y, n];
  if (best !== null) return best;
  const m = /(20\d\d)/.exec(wb.fileName ?? '');
  return m ? Number(m[1]) : null;
}

function editStatus(
  cell: CellData | undefined,
  value: number | string,
  kind: CellEdit['kind'],
): { status: EditStatus; current: string } {
  const current = cellText(cell);
  if (cell?.formula) return { status: 'formula', current: `=${cell.formula.replace(/^=/, '')}` };
  if (current === '') return { status: 'empty', current };
  if (typeof value === 'string') return { status: norm(current) === norm(value) ? 'same' : 'change', current };
  const n = readNumber(cell);
  if (n) {
    const tol = kind === 'rate' ? 0.00005 : 0.005;
    if (Math.abs(clean(n.value) - value) < tol) return { status: 'same', current };
  }
  return { status: 'change', current };
}

function makeEdits(t: ParsedTable, s: TableScore): CellEdit[] {
  const g = t.sheet;
  const edits: CellEdit[] = [];
  /** An edit of the computed cell at (r, c) of a column headed at `headerRow`. */
  const add = (
    at: { r: number; c: number; headerRow: number } | null,
    kind: CellEdit['kind'],
    label: string,
    value: number | string | null,
    numFmt?: string,
  ) => {
    if (!at || value === null) return;
    const m = at.headerRow >= 0 ? mergeConflict(g, at.r, at.c, at.headerRow) : null;
    const area = g.mergeAt(at.r, at.c);
    const pos = area && !m ? { r: area.r0, c: area.c0 } : { r: at.r, c: at.c };
    const cell = g.cell(pos.r, pos.c);
    const e: CellEdit = m
      ? {
          sheet: g.name,
          cell: a1(at.r, at.c),
          kind,
          label,
          value,
          current: cellText(cell),
          status: 'merged',
          reason: `该单元格与 ${areaA1(m)} 合并，合并区域含有非计算内容（如分值、标签），为免覆盖，不写入`,
        }
      : { sheet: g.name, cell: a1(pos.r, pos.c), kind, label, value, ...editStatus(cell, value, kind) };
    if (numFmt) e.numFmt = numFmt;
    edits.push(e);
  };
  const f = t.funds;
  const fs = s.funds;
  if (f && fs && f.total) {
    const at = (c: number | null) => (c === null ? null : { r: f.total!.r, c, headerRow: f.headerRow });
    if (fs.rate !== null) add(at(f.cols.rate), 'rate', '执行率', roundHalfUp(fs.rate, 4), '0.00%');
    add(at(f.cols.score), 'rateScore', '执行率得分', fs.score, '0.00');
  }
  const sc = t.cols.score;
  for (const x of s.indicators) {
    if (x.score === null || sc === null) continue;
    add(
      { r: x.ind.r, c: sc, headerRow: t.colsRow },
      'score',
      `${x.ind.level3 || `第${x.ind.r + 1}行`} 得分`,
      x.score,
      '0.00',
    );
  }
  if (t.total && sc !== null) add({ r: t.total.r, c: sc, headerRow: t.colsRow }, 'total', '总分', s.total, '0.00');
  if (t.grade) add({ ...t.grade.pos, headerRow: -1 }, 'grade', '等级', s.grade);
  return edits;
}

function toResult(t: ParsedTable, s: TableScore, findings: Finding[], edits: CellEdit[]): TableResult {
  const g = t.sheet;
  const fs = s.funds;
  return {
    sheet: g.name,
    range: areaA1({ r0: t.r0, c0: t.c0, r1: t.r1, c1: t.c1 }),
    kind: t.kind,
    name: t.name?.text ?? t.department ?? '',
    year: t.year,
    code: t.code,
    department: t.department,
    unit: t.unit,
    goal: t.goal,
    goalActual: t.goalActual,
    targetFunds: t.targetFunds
      ? {
          budget: t.targetFunds.budget ? clean(t.targetFunds.budget.value) : null,
          fiscal: t.targetFunds.fiscal ? clean(t.targetFunds.fiscal.value) : null,
          other: t.targetFunds.other ? clean(t.targetFunds.other.value) : null,
        }
      : null,
    spendingPlan: t.spendingPlan
      ? {
          mar: t.spendingPlan.values[0] ? clean(t.spendingPlan.values[0].value) : null,
          jun: t.spendingPlan.values[1] ? clean(t.spendingPlan.values[1].value) : null,
          oct: t.spendingPlan.values[2] ? clean(t.spendingPlan.values[2].value) : null,
          dec: t.spendingPlan.values[3] ? clean(t.spendingPlan.values[3].value) : null,
        }
      : null,
    funds: fs
      ? {
          initial: fs.initial,
          budget: fs.budget,
          executed: fs.executed,
          rate: fs.rate,
          weight: fs.weight,
          score: fs.score,
          basis: fs.basis,
        }
      : null,
    indicators: s.indicators.map((x) => ({
      row: x.ind.r + 1,
      level1: x.ind.level1,
      level2: x.ind.level2,
      level3: x.ind.level3,
      target: x.ind.target.text,
      actual: x.ind.actual ? x.ind.actual.text : null,
      weight: x.weight,
      score: x.score,
      statedScore: x.ind.statedScore ? clean(x.ind.statedScore.value) : null,
      deviation: x.ind.deviation?.text ?? null,
      basis: x.basis,
    })),
    indicatorScore: s.indicatorScore,
    totalScore: s.total,
    grade: s.grade,
    findings,
    edits,
  };
}

function sortFindings(fs: Finding[], keys: readonly number[]): Finding[] {
  // By cell, row-major (keys from runRules), then code (ASCII), then the order the rules raised them.
  const order = fs.map((_, i) => i);
  order.sort((a, b) => keys[a] - keys[b] || (fs[a].code < fs[b].code ? -1 : fs[a].code > fs[b].code ? 1 : a - b));
  return order.map((i) => fs[i]);
}

function analyzeTable(t: ParsedTable, profile: Profile): TableResult {
  const s = scoreTable(t, profile);
  const findings: Finding[] = [];
  const keys: number[] = [];
  runRules({ t, p: profile, s }, findings, keys);
  return toResult(t, s, sortFindings(findings, keys), makeEdits(t, s));
}

/** Analyses one sheet (live re-check after an edit). Never throws for any grid. */
export function analyzeSheet(
  sheet: SheetGrid,
  opts: AnalyzeOptions & { workbookYear?: number | null; draft?: boolean } = {},
): { tables: TableResult[]; findings: Finding[] } {
  const profile = resolveProfile(opts.profile);
  // The add-in's 自评报告 draft (by its marker name, `draft`, or its title) holds no form: only the prompts
  // left in it are reported (D01).
  if (opts.draft === true || isDraftSheet(sheet)) return { tables: [], findings: draftSheetFindings(sheet) };
  try {
    const tables = locateTables(sheet, profile, opts.workbookYear ?? null).map((t) => analyzeTable(t, profile));
    if (opts.validate === true) for (const t of tables) TableResultSchema.parse(t);
    return { tables, findings: [] };
  } catch (e) {
    // A sheet the engine cannot read must not take the workbook down: report it and go on.
    return {
      tables: [],
      findings: [
        {
          code: 'S01',
          severity: 'error',
          sheet: sheet.name,
          cell: 'A1',
          message: `工作表“${sheet.name}”无法解析（${(e as Error).message}），已跳过。`,
        },
      ],
    };
  }
}

export function summarize(tables: TableResult[], extra: Finding[] = []): Summary {
  const all = [...tables.flatMap((t) => t.findings), ...extra];
  return {
    tables: tables.length,
    errors: all.filter((f) => f.severity === 'error').length,
    warnings: all.filter((f) => f.severity === 'warning').length,
    infos: all.filter((f) => f.severity === 'info').length,
  };
}

export function analyzeWorkbook(wb: WorkbookGrid, opts: AnalyzeOptions = {}): WorkbookResult {
  const profile = resolveProfile(opts.profile);
  const year = workbookYear(wb);
  const tables: TableResult[] = [];
  const findings: Finding[] = [];
  for (const sheet of wb.sheets) {
    const r = analyzeSheet(sheet, { ...opts, profile, workbookYear: year, draft: wb.draftSheets?.includes(sheet.name) });
    tables.push(...r.tables);
    findings.push(...r.findings);
  }
  return { fileName: wb.fileName, profile: profile.id, tables, findings, summary: summarize(tables, findings) };
}

/** Every finding of a result, errors first. */
export function allFindings(r: WorkbookResult): Finding[] {
  return [...r.tables.flatMap((t) => t.findings), ...r.findings].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
}
