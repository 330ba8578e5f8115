/**
 * `perfsheet check <files…> --summary summary.xlsx [--profile central|hebei] [--json]`
 *
 * The finance bureau's review of many returned workbooks: one new workbook (never a copy of the inputs) with
 *   - 汇总: one row per table — 文件, 工作表, 类型, 名称, 预算, 执行率, 总分, 等级, 错误, 警告, 提示, 最严重的问题 —
 *     worst first (files that could not be read, then most errors, most warnings, lowest score), filters on;
 *   - 问题清单: every finding — 文件, 工作表, 单元格, 级别, 代码, 问题说明 — filters on.
 * A file that cannot be read is a row saying why, never the end of the run. Progress (file count and current
 * file) goes to stderr. With --json, stdout carries the same document as `check --json`.
 * Exit code as `check`: 0 no error finding, 1 error findings, 2 a file could not be checked or usage error.
 */
import ExcelJS from 'exceljs';
import path from 'path';
import { summarize } from '../domain/engine';
import { wrappedLines } from '../domain/report/text';
import { KIND_NAMES } from '../domain/rules/catalogue';
import { Finding, Severity, TableResult } from '../domain/types';
import { describeFailure, FileOutcome, jsonDocument, sameFile, writeOutput } from './main';
import { jobsOption, profileOption, splitArgs, UsageError } from './options';
import { checkAll, defaultJobs } from './pool';

export type { FileOutcome } from './main';

export const SUMMARY_USAGE = `用法：perfsheet check <文件.xlsx>... --summary 汇总.xlsx [--profile central|hebei] [--json] [--jobs N]

  --summary <文件>   生成一个汇总工作簿：“汇总”表每张绩效表一行（问题最严重的在前，已开启筛选），
                     “问题清单”表列出全部问题（文件、工作表、单元格、代码、说明）。
  --jobs <数量>      同时检查的文件数（默认为处理器核数减一，双核及以下不并行；结果仍按输入顺序）`;

type Stream = { write(s: string): unknown; isTTY?: boolean };

const SEV_CN: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' };
const SEV_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** One row of the 汇总 sheet. */
export interface SummaryRow {
  file: string;
  sheet: string;
  kind: string;
  name: string;
  /** 预算数 (target) or 全年预算数 (else 年初预算数) of a self-evaluation, in 万元. */
  budget: number | null;
  /** 执行率 as a fraction. */
  rate: number | null;
  total: number | null;
  grade: string | null;
  errors: number;
  warnings: number;
  infos: number;
  /** The first error, else warning, else info, as `代码 单元格：说明`; or why the file could not be read. */
  worst: string;
  /** The file could not be checked. */
  failed: boolean;
  /** Input order, to keep ties stable. */
  order: number;
}

export interface IssueRow {
  file: string;
  sheet: string;
  cell: string;
  severity: string;
  code: string;
  message: string;
}

function worstOf(fs: readonly Finding[]): Finding | null {
  let w: Finding | null = null;
  for (const f of fs) if (!w || SEV_RANK[f.severity] < SEV_RANK[w.severity]) w = f;
  return w;
}

function count(fs: readonly Finding[], s: Severity): number {
  return fs.reduce((n, f) => n + (f.severity === s ? 1 : 0), 0);
}

function tableRow(file: string, t: TableResult, order: number): SummaryRow {
  const w = worstOf(t.findings);
  const budget = t.kind === 'target' ? (t.targetFunds?.budget ?? null) : (t.funds?.budget ?? t.funds?.initial ?? null);
  return {
    file,
    sheet: t.sheet,
    kind: KIND_NAMES[t.kind] ?? t.kind,
    name: t.name,
    budget,
    rate: t.funds?.rate ?? null,
    total: t.totalScore,
    grade: t.grade,
    errors: count(t.findings, 'error'),
    warnings: count(t.findings, 'warning'),
    infos: count(t.findings, 'info'),
    worst: w ? `${w.code} ${w.sheet}!${w.cell}：${w.message}` : '',
    failed: false,
    order,
  };
}

/** The 汇总 rows of a run, worst first. */
export function summaryRows(outcomes: readonly FileOutcome[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const o of outcomes) {
    const file = path.basename(o.file);
    const blank = { sheet: '', kind: '', name: '', budget: null, rate: null, total: null, grade: null, order: rows.length };
    if (o.error !== undefined || !o.result) {
      rows.push({ ...blank, file, errors: 0, warnings: 0, infos: 0, worst: `无法检查：${o.error ?? '未知原因'}`, failed: true });
      continue;
    }
    for (const t of o.result.tables) rows.push(tableRow(file, t, rows.length));
    // Findings of no table (a sheet that could not be read), or a workbook without any form: a row of its own.
    const loose = o.result.findings;
    if (loose.length > 0 || o.result.tables.length === 0) {
      const w = worstOf(loose);
      rows.push({
        ...blank,
        file,
        kind: o.result.tables.length === 0 ? '（未找到绩效表）' : '（工作簿）',
        errors: count(loose, 'error'),
        warnings: count(loose, 'warning'),
        infos: count(loose, 'info'),
        worst: w ? `${w.code} ${w.sheet}!${w.cell}：${w.message}` : '未找到绩效目标表或绩效自评表',
        failed: false,
        order: rows.length,
      });
    }
  }
  const score = (x: number | null) => (x === null ? Infinity : x);
  return rows.sort(
    (a, b) =>
      Number(b.failed) - Number(a.failed) ||
      b.errors - a.errors ||
      b.warnings - a.warnings ||
      score(a.total) - score(b.total) ||
      b.infos - a.infos ||
      a.order - b.order,
  );
}

/** Every finding of the run, file by file, in the engine's order. */
export function issueRows(outcomes: readonly FileOutcome[]): IssueRow[] {
  const out: IssueRow[] = [];
  for (const o of outcomes) {
    if (!o.result) continue;
    const file = path.basename(o.file);
    for (const f of [...o.result.tables.flatMap((t) => t.findings), ...o.result.findings]) {
      out.push({ file, sheet: f.sheet, cell: f.cell, severity: SEV_CN[f.severity], code: f.code, message: f.message });
    }
  }
  return out;
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FFBFBFBF' } };

function addTableSheet(
  wb: ExcelJS.Workbook,
  name: string,
  columns: { header: string; width: number; numFmt?: string; wrap?: boolean }[],
  rows: (string | number | null)[][],
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    if (c.numFmt) col.numFmt = c.numFmt;
    col.alignment = { vertical: 'top', wrapText: Boolean(c.wrap) };
  });
  const header = ws.getRow(1);
  header.values = columns.map((c) => c.header);
  header.font = { name: '宋体', bold: true };
  header.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
  });
  // Strings are written as strings (shared strings): a name starting with `=` never becomes a formula.
  ws.addRows(rows);
  // Column styles do not reach the cells addRows creates: align and wrap each cell itself.
  const aligns = columns.map((c): Partial<ExcelJS.Alignment> => ({ vertical: 'top', wrapText: Boolean(c.wrap) }));
  // Row heights from the wrapped text (LibreOffice does not grow rows on opening a file).
  for (let r = 2; r <= rows.length + 1; r++) {
    const row = ws.getRow(r);
    let lines = 1;
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.alignment = aligns[i];
      if (c.numFmt) cell.numFmt = c.numFmt;
      const v = rows[r - 2][i];
      if (c.wrap && typeof v === 'string') lines = Math.max(lines, wrappedLines(v, c.width - 1));
    });
    row.height = 15 * Math.min(lines, 8);
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows.length + 1), column: columns.length } };
  ws.pageSetup = { ...ws.pageSetup, paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' };
  return ws;
}

/** The reviewer's workbook, as xlsx bytes. */
export async function summaryWorkbook(outcomes: readonly FileOutcome[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'PerfSheet 绩效表格助手';
  const rows = summaryRows(outcomes);
  const ws = addTableSheet(
    wb,
    '汇总',
    [
      { header: '文件', width: 28, wrap: true },
      { header: '工作表', width: 14, wrap: true },
      { header: '类型', width: 20 },
      { header: '名称', width: 28, wrap: true },
      { header: '预算（万元）', width: 12, numFmt: '0.00' },
      { header: '执行率', width: 9, numFmt: '0.00%' },
      { header: '总分', width: 8, numFmt: '0.00' },
      { header: '等级', width: 6 },
      { header: '错误', width: 6, numFmt: '0' },
      { header: '警告', width: 6, numFmt: '0' },
      { header: '提示', width: 6, numFmt: '0' },
      { header: '最严重的问题', width: 60, wrap: true },
    ],
    rows.map((r) => [r.file, r.sheet, r.kind, r.name, r.budget, r.rate, r.total, r.grade, r.errors, r.warnings, r.infos, r.worst]),
  );
  rows.forEach((r, i) => {
    if (r.failed || r.errors > 0) ws.getRow(i + 2).getCell(12).font = { color: { argb: 'FFC00000' } };
  });
  addTableSheet(
    wb,
    '问题清单',
    [
      { header: '文件', width: 28, wrap: true },
      { header: '工作表', width: 14, wrap: true },
      { header: '单元格', width: 8 },
      { header: '级别', width: 6 },
      { header: '代码', width: 6 },
      { header: '问题说明', width: 80, wrap: true },
    ],
    issueRows(outcomes).map((r) => [r.file, r.sheet, r.cell, r.severity, r.code, r.message]),
  );
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Checks every file (on `jobs` worker threads); one file's failure is its own outcome. Reports progress. */
export async function checkFiles(
  files: readonly string[],
  profile: 'central' | 'hebei',
  progress: (i: number, file: string) => void = () => {},
  jobs = 1,
): Promise<FileOutcome[]> {
  const outcomes = await checkAll(
    files.map((file) => ({ file, profile, choices: false })),
    jobs,
    progress,
  );
  return outcomes.map((o, i) => ({ file: files[i], ...o }));
}

export async function runSummary(argv: string[], out: Stream, err: Stream): Promise<number> {
  let files: string[];
  let target: string;
  let profile: 'central' | 'hebei';
  let json: boolean;
  let jobs: number | undefined;
  try {
    const a = splitArgs(argv, { '--summary': '--summary', '--profile': '--profile', '--jobs': '--jobs' }, ['--json']);
    files = a.positional;
    if (files.length === 0) throw new UsageError('请至少指定一个 .xlsx 文件。');
    target = a.values.get('--summary')!;
    profile = profileOption(a.values.get('--profile'));
    json = a.flags.has('--json');
    jobs = jobsOption(a.values.get('--jobs'));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const extra = /未知选项：--(fill|report)/.test(e.message) ? '（--summary 不能与 --fill、--report 同时使用）' : '';
    err.write(e.message ? `perfsheet：${e.message}${extra}\n\n${SUMMARY_USAGE}\n` : `${SUMMARY_USAGE}\n`);
    return 2;
  }
  const clash = files.find((f) => sameFile(f, target));
  if (clash) {
    err.write(`perfsheet：汇总文件不能与输入文件相同（${target}）：原文件不会被改写。\n`);
    return 2;
  }
  const n = files.length;
  const tty = Boolean(err.isTTY);
  const outcomes = await checkFiles(files, profile, (i, file) => {
    if (n < 2) return;
    const line = `[${i + 1}/${n}] ${path.basename(file)}`;
    err.write(tty ? `\r\x1b[K检查中 ${line}` : `perfsheet：检查 ${line}\n`);
  }, jobs ?? defaultJobs(n));
  if (tty && n >= 2) err.write('\r\x1b[K');
  for (const o of outcomes) if (o.error !== undefined) err.write(`perfsheet：${o.error}\n`);
  const results = outcomes.filter((o) => o.result).map((o) => o.result!);
  const summary = summarize(results.flatMap((r) => r.tables), results.flatMap((r) => r.findings));
  try {
    writeOutput(target, Buffer.from(await summaryWorkbook(outcomes)));
  } catch (e) {
    err.write(`perfsheet：${describeFailure(e)}\n`);
    return 2;
  }
  const failed = outcomes.filter((o) => o.error !== undefined).length;
  if (json) {
    out.write(jsonDocument(outcomes, summary));
  } else {
    const failedNote = failed ? `，其中 ${failed} 个无法检查` : '';
    out.write(
      `已生成汇总 ${target}：${n} 个文件${failedNote}，${summary.tables} 张表；错误 ${summary.errors}，警告 ${summary.warnings}，提示 ${summary.infos}。\n`,
    );
  }
  if (failed > 0) return 2;
  return summary.errors > 0 ? 1 : 0;
}
