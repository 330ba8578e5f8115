/**
 * buildReportSpec: the engine's WorkbookResult → the declarative report sheet (ReportSpec).
 *
 * Self-evaluation workbooks (any self-eval / dept-self-eval / completion table): sheet 「绩效自评报告」 with
 *   title 「{单位}{年度}年度预算绩效自评结果」, a line with the profile, date and file name,
 *   一、汇总表 (with a 合计 row), 二、问题清单 (errors first, 位置 links to the cell),
 *   三、指标明细及自评结论 (per table: indicators, subtotal/total rows, the 自评结论 paragraph).
 * Target-only workbooks: sheet 「绩效目标审核」 with 一、目标表汇总 and 二、问题清单.
 */
import { a1, colName, parseAreaA1 } from '../grid';
import { resolveProfile } from '../profiles';
import { fmtPct, round2, sum2 } from '../round';
import type { Finding, TableResult, WorkbookResult } from '../types';
import { conclusionParagraph } from './conclusion';
import { buildGrid, ColDef, desiredWidth, SheetBuilder } from './layout';
import { chooseReportSheet, ExistingSheet, markerFor, ReportKind } from './naming';
import { ReportConditionalFormat, ReportLink, ReportSpec, ReportValue, sheetRef, StyleName } from './spec';
import { Review, reviewKey } from '../settings';
import { ERROR_COLOR, REPORT_STYLES } from './styles';
import { chineseNumeral } from './text';

export interface ReportOptions {
  /** The workbook's file name, shown under the title (defaults to result.fileName). */
  fileName?: string;
  /** Date shown under the title: `YYYY-MM-DD` (shown as 2026年11月21日) or any text. */
  date: string;
  /** Every sheet of the workbook, and whether the add-in wrote it (see naming.ts). */
  existingSheets: ExistingSheet[];
  /** Findings marked 已复核 in the workbook, by reviewKey (settings.ts): shown as such in the 问题清单. */
  reviews?: ReadonlyMap<string, Review>;
}

/** `（已复核：张会计，2026-12-01）` for a reviewed finding, '' otherwise. */
function reviewNote(
  f: { code: string; sheet: string; cell: string },
  reviews: ReadonlyMap<string, Review> | undefined,
): string {
  const r = reviews?.get(reviewKey(f));
  if (!r) return '';
  const who = r.by.trim();
  return `（已复核${who ? `：${who}` : ''}，${r.at.slice(0, 10)}）`;
}

// ---------------------------------------------------------------------------------------------------
// Columns of each table on the sheet

const SUMMARY: ColDef[] = [
  { header: '序号', min: 5, max: 6 },
  { header: '工作表', min: 8, max: 18, wrap: true },
  { header: '项目名称', min: 16, max: 34, wrap: true },
  { header: '全年预算数\n（万元）', min: 10, max: 14 },
  { header: '全年执行数\n（万元）', min: 10, max: 14 },
  { header: '执行率', min: 9, max: 11 },
  { header: '执行率\n得分', min: 8, max: 10 },
  { header: '指标得分', min: 8, max: 10 },
  { header: '总分', min: 8, max: 10 },
  { header: '等级', min: 6, max: 8 },
  { header: '错误', min: 5, max: 6 },
  { header: '警告', min: 5, max: 6 },
];

const ISSUES: ColDef[] = [
  { header: '序号', min: 5, max: 6 },
  { header: '级别', min: 6, max: 7 },
  { header: '代码', min: 6, max: 7 },
  { header: '位置', min: 10, max: 24 },
  { header: '项目', min: 12, max: 26, wrap: true },
  { header: '说明', min: 30, max: 80, wrap: true },
];

const DETAIL: ColDef[] = [
  { header: '一级指标', min: 8, max: 12, wrap: true },
  { header: '二级指标', min: 10, max: 16, wrap: true },
  { header: '三级指标', min: 14, max: 26, wrap: true },
  { header: '年度指标值', min: 12, max: 22, wrap: true },
  { header: '实际完成值', min: 12, max: 22, wrap: true },
  { header: '完成率', min: 8, max: 9 },
  { header: '分值', min: 8, max: 9 },
  { header: '得分', min: 8, max: 9 },
  { header: '偏差原因分析\n及改进措施', min: 16, max: 36, wrap: true },
];

const TARGET: ColDef[] = [
  { header: '序号', min: 5, max: 6 },
  { header: '项目名称', min: 16, max: 32, wrap: true },
  { header: '项目编码', min: 12, max: 24 },
  { header: '预算数\n（万元）', min: 10, max: 13 },
  { header: '其中：\n财政资金', min: 10, max: 13 },
  { header: '其他资金', min: 9, max: 13 },
  { header: '3月底', min: 8, max: 9 },
  { header: '6月底', min: 8, max: 9 },
  { header: '10月底', min: 8, max: 9 },
  { header: '12月底', min: 8, max: 9 },
  { header: '指标数', min: 6, max: 8 },
  { header: '问题数', min: 6, max: 8 },
];

const SEVERITY_LABEL: Record<Finding['severity'], string> = { error: '错误', warning: '警告', info: '提示' };
const SEVERITY_ORDER: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };

/** Colours per grade band (best first): green, blue, amber, red; more bands reuse the last. */
const GRADE_COLORS: { fill: string; font: string }[] = [
  { fill: 'C6EFCE', font: '006100' },
  { fill: 'DDEBF7', font: '1F4E78' },
  { fill: 'FFEB9C', font: '9C5700' },
  { fill: 'FFC7CE', font: '9C0006' },
];

// ---------------------------------------------------------------------------------------------------
// Helpers

const money = (x: number | null): number | null => (x === null ? null : round2(x));

function mostCommon<T>(xs: T[]): T | null {
  const counts = new Map<T, number>();
  let best: T | null = null;
  let bestN = 0;
  for (const x of xs) {
    const n = (counts.get(x) ?? 0) + 1;
    counts.set(x, n);
    if (n > bestN) {
      best = x;
      bestN = n;
    }
  }
  return best;
}

/** `711 石家庄市总工会` → `石家庄市总工会`. */
function cleanUnit(s: string): string {
  return s.replace(/^\s*\d+[\s\u3000]+/, '').trim();
}

export function reportUnit(tables: TableResult[]): string {
  const dept = tables.find((t) => t.kind === 'dept-self-eval' && t.name.trim());
  if (dept) return cleanUnit(dept.name);
  const u = mostCommon(tables.map((t) => (t.department ? cleanUnit(t.department) : '')).filter((s) => s !== ''));
  return u ?? '';
}

export function reportYear(tables: TableResult[]): number | null {
  return mostCommon(tables.map((t) => t.year).filter((y): y is number => y !== null));
}

export function dateText(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}

function profileTitle(id: string): string {
  try {
    return resolveProfile(id).title;
  } catch {
    return id;
  }
}

function profileGrades(id: string): string[] {
  try {
    return resolveProfile(id).grades.map((g) => g.name);
  } catch {
    return [];
  }
}

/** A link to a finding's cell, when its address is usable. */
function linkTo(sheet: string, cell: string, sheetNames: Set<string> | null): ReportLink | undefined {
  if (!sheet || !parseAreaA1(cell)) return undefined;
  if (sheetNames && !sheetNames.has(sheet)) return undefined;
  return { sheet, cell, ref: sheetRef(sheet, cell) };
}

function sortFindings(fs: { f: Finding; project: string }[]): { f: Finding; project: string }[] {
  return fs
    .map((x, i) => ({ x, i }))
    .sort((a, b) => SEVERITY_ORDER[a.x.f.severity] - SEVERITY_ORDER[b.x.f.severity] || a.i - b.i)
    .map((y) => y.x);
}

function countSeverity(t: TableResult, s: Finding['severity']): number {
  return t.findings.filter((f) => f.severity === s).length;
}

// ---------------------------------------------------------------------------------------------------

export function reportKindOf(result: WorkbookResult): Exclude<ReportKind, 'draft'> {
  return result.tables.length > 0 && result.tables.every((t) => t.kind === 'target') ? 'target' : 'self-eval';
}

export function buildReportSpec(result: WorkbookResult, opts: ReportOptions): ReportSpec {
  const kind = reportKindOf(result);
  const { sheetName, replaces } = chooseReportSheet(kind, opts.existingSheets);
  const fileName = opts.fileName ?? result.fileName ?? '';
  const sheetNames = opts.existingSheets.length ? new Set(opts.existingSheets.map((s) => s.name)) : null;
  if (sheetNames && replaces) sheetNames.delete(replaces);

  const tables = result.tables;
  const unit = reportUnit(tables);
  const year = reportYear(tables);
  const title =
    kind === 'target'
      ? `${unit}${year !== null ? `${year}年度` : ''}预算绩效目标审核结果`
      : `${unit}${year !== null ? `${year}年度` : ''}预算绩效自评结果`;

  const scored = tables.filter((t) => t.kind !== 'target');
  const allFindings = sortFindings([
    ...tables.flatMap((t) => t.findings.map((f) => ({ f, project: t.name }))),
    ...result.findings.map((f) => ({ f, project: '' })),
  ]);

  // ---- column widths from the contents of each table
  const issueTexts: string[][] = ISSUES.map(() => []);
  for (const { f, project } of allFindings) {
    issueTexts[3].push(`${f.sheet}!${f.cell}`);
    issueTexts[4].push(project);
    issueTexts[5].push(f.message + reviewNote(f, opts.reviews));
  }
  const tableSets: { defs: ColDef[]; widths: number[] }[] = [];
  if (kind === 'self-eval') {
    const s: string[][] = SUMMARY.map(() => []);
    for (const t of scored) {
      s[1].push(t.sheet);
      s[2].push(t.name);
      s[3].push(String(t.funds?.budget ?? ''));
    }
    s[3].push(String(sum2(scored.map((t) => t.funds?.budget ?? 0))) + '.00');
    tableSets.push({ defs: SUMMARY, widths: SUMMARY.map((d, i) => desiredWidth(d, s[i])) });
  } else {
    const s: string[][] = TARGET.map(() => []);
    for (const t of tables) {
      s[1].push(t.name);
      s[2].push(t.code ?? '');
    }
    tableSets.push({ defs: TARGET, widths: TARGET.map((d, i) => desiredWidth(d, s[i])) });
  }
  tableSets.push({ defs: ISSUES, widths: ISSUES.map((d, i) => desiredWidth(d, issueTexts[i])) });
  if (kind === 'self-eval') {
    const s: string[][] = DETAIL.map(() => []);
    for (const t of scored) {
      for (const ind of t.indicators) {
        s[0].push(ind.level1);
        s[1].push(ind.level2);
        s[2].push(ind.level3);
        s[3].push(ind.target);
        s[4].push(ind.actual ?? '');
        s[8].push(ind.deviation ?? '');
      }
    }
    tableSets.push({ defs: DETAIL, widths: DETAIL.map((d, i) => desiredWidth(d, s[i])) });
  }
  // The primary table keeps its columns exactly: 指标明细 (most rows) in a self-evaluation report.
  const grid = buildGrid(tableSets, kind === 'self-eval' ? 2 : 0);
  const [mainSpans, issueSpans, detailSpans] = grid.spans;
  const b = new SheetBuilder(grid.widths);
  const nCols = b.colCount;
  const cfs: ReportConditionalFormat[] = [];
  const rowBreaks: number[] = [];

  const full = (value: ReportValue, style: StyleName, h?: number) => {
    b.put(b.row, 0, nCols, value, style);
    if (h) b.minHeight(b.row, h);
    b.row++;
  };
  const at = (spans: { col: number; colSpan: number }[], i: number, j = i) => ({
    col: spans[i].col,
    colSpan: spans[j].col + spans[j].colSpan - spans[i].col,
  });
  const cell = (
    spans: { col: number; colSpan: number }[],
    i: number,
    value: ReportValue,
    style: StyleName,
    o: { to?: number; rowSpan?: number; link?: ReportLink; row?: number } = {},
  ) => {
    const p = at(spans, i, o.to ?? i);
    b.put(o.row ?? b.row, p.col, p.colSpan, value, style, { rowSpan: o.rowSpan, link: o.link });
  };
  const headerRow = (defs: ColDef[], spans: { col: number; colSpan: number }[]) => {
    defs.forEach((d, i) => cell(spans, i, d.header, 'header'));
    b.minHeight(b.row, 24);
    b.row++;
  };
  const spacer = () => {
    b.minHeight(b.row, 10);
    b.row++;
  };

  // ---- title block (rows 1–2, frozen and repeated on every printed page)
  full(title, 'title', 40);
  const meta = [`评价标准：${profileTitle(result.profile)}`, `生成日期：${dateText(opts.date)}`];
  if (fileName) meta.push(`文件：${fileName}`);
  full(meta.join('　　'), 'meta', 22);
  const titleRows = { first: 0, last: 1 };
  spacer();

  // ---- 一、汇总表
  if (kind === 'self-eval') {
    full('一、汇总表', 'section', 26);
    headerRow(SUMMARY, mainSpans);
    const first = b.row;
    if (scored.length === 0) {
      cell(mainSpans, 0, '工作簿中未找到项目支出绩效自评表或部门整体支出绩效自评表。', 'textCenter', {
        to: SUMMARY.length - 1,
      });
      b.row++;
    }
    scored.forEach((t, i) => {
      const f = t.funds;
      const topLeft = parseAreaA1(t.range);
      cell(mainSpans, 0, i + 1, 'int');
      cell(mainSpans, 1, t.sheet, 'link', {
        link: linkTo(t.sheet, topLeft ? a1(topLeft.r0, topLeft.c0) : 'A1', sheetNames),
      });
      cell(mainSpans, 2, t.name, 'text');
      cell(mainSpans, 3, money(f?.budget ?? null), 'money');
      cell(mainSpans, 4, money(f?.executed ?? null), 'money');
      cell(mainSpans, 5, f?.rate ?? null, 'rate');
      cell(mainSpans, 6, f?.score ?? null, 'score');
      cell(mainSpans, 7, t.indicatorScore, 'score');
      cell(mainSpans, 8, t.totalScore, 'score');
      cell(mainSpans, 9, t.grade, 'textCenter');
      cell(mainSpans, 10, countSeverity(t, 'error'), 'int');
      cell(mainSpans, 11, countSeverity(t, 'warning'), 'int');
      b.row++;
    });
    const last = b.row - 1;
    if (scored.length > 0) {
      // 合计: money summed (department-wide tables are left out when project tables are present: their
      // budget already contains the projects'), 执行率 recomputed from the sums.
      const hasProjects = scored.some((t) => t.kind === 'self-eval');
      const hasDept = scored.some((t) => t.kind === 'dept-self-eval');
      const summed = hasProjects ? scored.filter((t) => t.kind !== 'dept-self-eval') : scored;
      const budgets = summed.map((t) => t.funds?.budget ?? null).filter((x): x is number => x !== null);
      const executed = summed.map((t) => t.funds?.executed ?? null).filter((x): x is number => x !== null);
      const budgetSum = budgets.length ? sum2(budgets) : null;
      const executedSum = executed.length ? sum2(executed) : null;
      const rate = budgetSum !== null && executedSum !== null && budgetSum > 0 ? executedSum / budgetSum : null;
      cell(mainSpans, 0, '合计', 'totalLabel', { to: 2 });
      cell(mainSpans, 3, budgetSum, 'totalMoney');
      cell(mainSpans, 4, executedSum, 'totalMoney');
      cell(mainSpans, 5, rate, 'totalRate');
      for (const i of [6, 7, 8, 9]) cell(mainSpans, i, null, 'totalLabel');
      cell(
        mainSpans,
        10,
        scored.reduce((n, t) => n + countSeverity(t, 'error'), 0),
        'totalInt',
      );
      cell(
        mainSpans,
        11,
        scored.reduce((n, t) => n + countSeverity(t, 'warning'), 0),
        'totalInt',
      );
      const totalRow = b.row;
      b.row++;
      const notes = ['注：执行率 = 全年执行数 ÷ 全年预算数；合计行的执行率按合计数计算。'];
      if (hasProjects && hasDept)
        notes.push('合计行的预算数、执行数为各项目之和，不含部门整体支出（部门预算已包含项目支出）。');
      full(notes.join(''), 'note');

      // Data bars on 执行率, a colour per 等级, error counts in red.
      const rateCol = mainSpans[5].col;
      cfs.push({
        type: 'dataBar',
        range: { r0: first, c0: rateCol, r1: last, c1: rateCol },
        min: 0,
        max: 1,
        color: '9BC2E6',
      });
      const gradeCol = mainSpans[9].col;
      const grades = profileGrades(result.profile);
      for (const g of scored.map((t) => t.grade)) if (g && !grades.includes(g)) grades.push(g);
      grades.forEach((g, i) => {
        const c = GRADE_COLORS[Math.min(i, GRADE_COLORS.length - 1)];
        cfs.push({
          type: 'expression',
          range: { r0: first, c0: gradeCol, r1: last, c1: gradeCol },
          formula: `${a1(first, gradeCol)}="${g.replace(/"/g, '""')}"`,
          fill: c.fill,
          font: { color: c.font, bold: true },
        });
      });
      const errCol = mainSpans[10].col;
      cfs.push({
        type: 'expression',
        range: { r0: first, c0: errCol, r1: totalRow, c1: errCol },
        formula: `${a1(first, errCol)}>0`,
        font: { color: ERROR_COLOR, bold: true },
        fill: 'FFC7CE',
      });
    }
  } else {
    full('一、目标表汇总', 'section', 26);
    // Two header rows: 资金支出计划 spans its four checkpoints.
    const h = b.row;
    TARGET.forEach((d, i) => {
      if (i >= 6 && i <= 9) return;
      cell(mainSpans, i, d.header, 'header', { rowSpan: 2 });
    });
    cell(mainSpans, 6, '资金支出计划', 'header', { to: 9 });
    for (let i = 6; i <= 9; i++) cell(mainSpans, i, TARGET[i].header, 'header', { row: h + 1 });
    b.minHeight(h, 20);
    b.minHeight(h + 1, 20);
    b.row += 2;
    const first = b.row;
    tables.forEach((t, i) => {
      const tf = t.targetFunds;
      const sp = t.spendingPlan;
      cell(mainSpans, 0, i + 1, 'int');
      cell(mainSpans, 1, t.name, 'text');
      cell(mainSpans, 2, t.code, 'textCenter');
      cell(mainSpans, 3, money(tf?.budget ?? null), 'money');
      cell(mainSpans, 4, money(tf?.fiscal ?? null), 'money');
      cell(mainSpans, 5, money(tf?.other ?? null), 'money');
      cell(mainSpans, 6, sp?.mar ?? null, 'rate');
      cell(mainSpans, 7, sp?.jun ?? null, 'rate');
      cell(mainSpans, 8, sp?.oct ?? null, 'rate');
      cell(mainSpans, 9, sp?.dec ?? null, 'rate');
      cell(mainSpans, 10, t.indicators.length, 'int');
      cell(mainSpans, 11, t.findings.length, 'int');
      b.row++;
    });
    const sumOf = (xs: (number | null | undefined)[]) => {
      const v = xs.filter((x): x is number => typeof x === 'number');
      return v.length ? sum2(v) : null;
    };
    cell(mainSpans, 0, '合计', 'totalLabel', { to: 2 });
    cell(mainSpans, 3, sumOf(tables.map((t) => t.targetFunds?.budget)), 'totalMoney');
    cell(mainSpans, 4, sumOf(tables.map((t) => t.targetFunds?.fiscal)), 'totalMoney');
    cell(mainSpans, 5, sumOf(tables.map((t) => t.targetFunds?.other)), 'totalMoney');
    for (let i = 6; i <= 9; i++) cell(mainSpans, i, null, 'totalLabel');
    cell(
      mainSpans,
      10,
      tables.reduce((n, t) => n + t.indicators.length, 0),
      'totalInt',
    );
    cell(
      mainSpans,
      11,
      tables.reduce((n, t) => n + t.findings.length, 0),
      'totalInt',
    );
    const totalRow = b.row;
    b.row++;
    full('注：资金支出计划为截至各时点累计支出占预算数的比例。', 'note');
    // 问题数 counts warnings too: amber here; the 问题清单 shows the errors in red.
    const qCol = mainSpans[11].col;
    cfs.push({
      type: 'expression',
      range: { r0: first, c0: qCol, r1: totalRow, c1: qCol },
      formula: `${a1(first, qCol)}>0`,
      font: { color: '9C5700', bold: true },
      fill: 'FFEB9C',
    });
  }
  spacer();

  // ---- 二、问题清单 (errors first)
  full('二、问题清单', 'section', 26);
  headerRow(ISSUES, issueSpans);
  if (allFindings.length === 0) {
    cell(issueSpans, 0, '未发现问题。', 'textCenter', { to: ISSUES.length - 1 });
    b.row++;
  } else {
    const first = b.row;
    allFindings.forEach(({ f, project }, i) => {
      const link = linkTo(f.sheet, f.cell, sheetNames);
      cell(issueSpans, 0, i + 1, 'int');
      cell(issueSpans, 1, SEVERITY_LABEL[f.severity], 'textCenter');
      cell(issueSpans, 2, f.code, 'textCenter');
      cell(issueSpans, 3, f.sheet ? `${f.sheet}!${f.cell}` : f.cell, link ? 'link' : 'textCenter', { link });
      cell(issueSpans, 4, project || '—', 'text');
      cell(issueSpans, 5, f.message + reviewNote(f, opts.reviews), 'text');
      b.row++;
    });
    const levelCol = issueSpans[1].col;
    cfs.push({
      type: 'expression',
      range: { r0: first, c0: 0, r1: b.row - 1, c1: nCols - 1 },
      formula: `$${colName(levelCol)}${first + 1}="错误"`,
      font: { color: ERROR_COLOR, bold: true },
    });
  }

  // ---- 三、指标明细及自评结论
  if (kind === 'self-eval' && scored.length > 0) {
    spacer();
    rowBreaks.push(b.row);
    full('三、指标明细及自评结论', 'section', 26);
    scored.forEach((t, ti) => {
      if (ti > 0) {
        spacer();
        rowBreaks.push(b.row);
      }
      const kindLabel =
        t.kind === 'dept-self-eval' ? '（部门整体支出）' : t.kind === 'completion' ? '（绩效指标完成情况）' : '';
      full(`（${chineseNumeral(ti + 1)}）${t.name}${kindLabel}`, 'subsection', 24);
      const info = [`工作表：${t.sheet}（${t.range}）`];
      if (t.kind === 'dept-self-eval') info.push(`预算部门：${t.name}`);
      else {
        if (t.department) info.push(`主管部门：${t.department}`);
        if (t.unit) info.push(`实施单位：${t.unit}`);
      }
      full(info.join('　　'), 'note', 18);
      headerRow(DETAIL, detailSpans);
      // 一级/二级 labels merged over consecutive rows that share them, as in the official forms.
      const inds = t.indicators;
      const start = b.row;
      for (let i = 0; i < inds.length; i++) {
        const ind = inds[i];
        const r = start + i;
        if (i === 0 || inds[i - 1].level1 !== ind.level1) {
          let n = 1;
          while (i + n < inds.length && inds[i + n].level1 === ind.level1) n++;
          cell(detailSpans, 0, ind.level1, 'textCenter', { row: r, rowSpan: n });
        }
        if (i === 0 || inds[i - 1].level1 !== ind.level1 || inds[i - 1].level2 !== ind.level2) {
          let n = 1;
          while (i + n < inds.length && inds[i + n].level1 === ind.level1 && inds[i + n].level2 === ind.level2) n++;
          cell(detailSpans, 1, ind.level2, 'textCenter', { row: r, rowSpan: n });
        }
        cell(detailSpans, 2, ind.level3, 'text', { row: r });
        cell(detailSpans, 3, ind.target, 'textCenter', { row: r });
        cell(detailSpans, 4, ind.actual, 'textCenter', { row: r });
        const ratio = ind.score !== null && ind.weight ? ind.score / ind.weight : null;
        cell(detailSpans, 5, ratio, 'rate', { row: r });
        cell(detailSpans, 6, ind.weight, 'score', { row: r });
        cell(detailSpans, 7, ind.score, 'score', { row: r });
        cell(detailSpans, 8, ind.deviation, 'text', { row: r });
        b.minHeight(r, 20);
      }
      b.row = start + inds.length;
      if (t.kind !== 'completion') {
        const weights = inds.map((i) => i.weight).filter((w): w is number => w !== null);
        const wSum = weights.length ? sum2(weights) : null;
        const fw = t.funds?.weight ?? null;
        const totalRow = (label: string, weight: number | null, score: number | null, note: string | null) => {
          cell(detailSpans, 0, label, 'totalLabel', { to: 5 });
          cell(detailSpans, 6, weight, 'totalScore');
          cell(detailSpans, 7, score, 'totalScore');
          cell(detailSpans, 8, note, 'totalLabel');
          b.minHeight(b.row, 20);
          b.row++;
        };
        totalRow('绩效指标小计', wSum, t.indicatorScore, null);
        const rateNote =
          t.funds?.rate !== null && t.funds?.rate !== undefined ? `执行率 ${fmtPct(t.funds.rate)}` : null;
        totalRow('预算执行率得分', fw, t.funds?.score ?? null, rateNote);
        totalRow(
          '总分',
          wSum !== null && fw !== null ? sum2([wSum, fw]) : null,
          t.totalScore,
          t.grade ? `评价等级：${t.grade}` : null,
        );
      }
      // 自评结论
      cell(detailSpans, 0, '自评结论', 'paragraphLabel');
      // First-line indent of two characters, as in printed reports.
      cell(detailSpans, 1, `\u3000\u3000${conclusionParagraph(t)}`, 'paragraph', { to: DETAIL.length - 1 });
      b.row++;
    });
  }

  const rowCount = b.row;
  return {
    version: 1,
    kind,
    sheetName,
    replaces,
    marker: markerFor(kind, sheetName),
    title,
    rowCount,
    colCount: nCols,
    columnWidths: grid.widths,
    rowHeights: b.rowHeights(rowCount),
    styles: REPORT_STYLES,
    cells: b.cells,
    merges: b.merges,
    conditionalFormats: cfs,
    freeze: { rows: titleRows.last + 1, cols: 0 },
    print: {
      paperSize: 'A4',
      orientation: 'landscape',
      fitToWidth: 1,
      fitToHeight: 0,
      titleRows,
      rowBreaks,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      centerHorizontally: true,
      footerCenter: '第 &P 页，共 &N 页',
    },
  };
}
