/**
 * `perfsheet check <file.xlsx>... [--json] [--profile central|hebei] [--fill out.xlsx [--overwrite]] [--report out.xlsx]
 * [--jobs N]` (`new`, `convert` and `draft` are their own modules, dispatched from main).
 *
 * Exit code: 0 when no `error` finding, 1 when there is one, 2 on unusable input or usage.
 */
import { closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'fs';
import path from 'path';
import { z } from 'zod';
import { summarize } from '../domain/engine';
import { BUILTIN_PROFILES, ProfileId } from '../domain/profiles';
import { fmt2, fmtPct } from '../domain/round';
import { KIND_NAMES } from '../domain/rules/catalogue';
import { CellEdit, Finding, Summary, TableResult, WorkbookResult } from '../domain/types';
import { fillXlsx } from '../xlsx/fill';
import { InputError } from '../xlsx/read';
import { checkAll, defaultJobs } from './pool';

const USAGE = `用法：perfsheet check <文件.xlsx>... [--json] [--profile central|hebei] [--fill 输出.xlsx [--overwrite]] [--report 输出.xlsx] [--jobs N]

  --json             输出 JSON（供程序读取）
  --profile <名称>   评分规则：central（中央标准）或 hebei（河北省）；不指定时用工作簿中保存的选择（任务窗格设置），否则中央标准
  --fill <文件>      将计算结果（执行率、得分、总分、等级）填入工作簿副本，原文件不变；已填写且与计算结果不同的值保留并列出
  --overwrite        与 --fill 一起使用：用计算结果替换已填写的值，并列出每个被替换的单元格
  --report <文件>    在工作簿副本中生成“绩效自评报告 / 绩效目标审核”工作表
  --jobs <数量>      同时检查的文件数（默认为处理器核数减一，双核及以下不并行；结果仍按输入顺序输出）

退出码：0 没有错误；1 发现错误级问题；2 输入无法使用。

其他命令：perfsheet new（新建空白表）、perfsheet convert（目标表转自评表）、perfsheet draft <文件.xlsx> -o 自评报告.docx（生成绩效自评报告草稿），各加 --help 查看用法。`;

const JOBS_MESSAGE = '--jobs 须是 1 到 256 之间的整数。';

export const CliOptionsSchema = z
  .object({
    command: z.literal('check', { error: () => '未知命令：目前只支持 check。' }),
    files: z.array(z.string().min(1)).min(1, { error: '请至少指定一个 .xlsx 文件。' }),
    json: z.boolean(),
    /** Absent: the profile the workbook stores (chosen in the task pane), else central. */
    profile: z.enum(['central', 'hebei'], { error: () => '--profile 只能是 central 或 hebei。' }).optional(),
    fill: z.string().min(1).optional(),
    overwrite: z.boolean(),
    report: z.string().min(1).optional(),
    /** Worker threads for many files (absent: one per core). */
    jobs: z
      .number({ error: () => JOBS_MESSAGE })
      .int({ error: () => JOBS_MESSAGE })
      .min(1, { error: () => JOBS_MESSAGE })
      .max(256, { error: () => JOBS_MESSAGE })
      .optional(),
  })
  .refine((o) => !(o.fill || o.report) || o.files.length === 1, {
    error: '--fill 和 --report 只能用于单个文件。',
  })
  .refine((o) => !o.overwrite || o.fill, { error: '--overwrite 只能与 --fill 一起使用。' });
export type CliOptions = z.infer<typeof CliOptionsSchema>;

class UsageError extends Error {}

export function parseArgs(argv: string[]): CliOptions {
  const raw: Record<string, unknown> = { json: false, overwrite: false, files: [] as string[] };
  const files: string[] = [];
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const takeValue = (name: string) => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} 需要一个参数。`);
      return v;
    };
    if (a === '--json') raw.json = true;
    else if (a === '--overwrite') raw.overwrite = true;
    else if (a === '--profile' || a.startsWith('--profile=')) raw.profile = takeValue('--profile');
    else if (a === '--fill' || a.startsWith('--fill=')) raw.fill = takeValue('--fill');
    else if (a === '--report' || a.startsWith('--report=')) raw.report = takeValue('--report');
    else if (a === '--jobs' || a.startsWith('--jobs=')) raw.jobs = Number(takeValue('--jobs'));
    else if (a === '--help' || a === '-h') throw new UsageError('');
    else if (a.startsWith('--')) throw new UsageError(`未知选项：${a}`);
    else if (command === undefined) command = a;
    else files.push(a);
  }
  raw.command = command;
  raw.files = files;
  const r = CliOptionsSchema.safeParse(raw);
  if (!r.success) throw new UsageError(r.error.issues.map((i) => i.message).join('\n'));
  return r.data;
}

/** A computed value as the fill list shows it: rates as percentages, scores with two decimals. */
function shownValue(e: CellEdit): string {
  if (typeof e.value === 'string') return `“${e.value}”`;
  return e.kind === 'rate' ? fmtPct(e.value) : fmt2(e.value);
}

const SEV_CN: Record<Finding['severity'], string> = { error: '错误', warning: '警告', info: '提示' };

function describeTable(t: TableResult, i: number): string[] {
  const lines: string[] = [];
  const year = t.year ? `（${t.year}年度）` : '';
  lines.push(`  [${i + 1}] ${t.sheet}!${t.range}  ${KIND_NAMES[t.kind]}「${t.name || '未命名'}」${year}`);
  if (t.kind === 'target') {
    const b = t.targetFunds?.budget;
    lines.push(`      预算数 ${b !== null && b !== undefined ? `${fmt2(b)} 万元` : '未填写'}，指标 ${t.indicators.length} 项`);
  } else if (t.funds) {
    const f = t.funds;
    const rate = f.rate !== null ? fmtPct(f.rate) : '无法计算';
    const parts = [
      `全年预算 ${f.budget !== null ? fmt2(f.budget) : '—'} 万元，执行 ${f.executed !== null ? fmt2(f.executed) : '—'} 万元`,
      `执行率 ${rate}（得分 ${f.score !== null ? fmt2(f.score) : '—'}）`,
    ];
    lines.push(`      ${parts.join('，')}`);
    lines.push(
      `      指标得分 ${t.indicatorScore !== null ? fmt2(t.indicatorScore) : '—'}，总分 ${t.totalScore !== null ? fmt2(t.totalScore) : '暂不计算'}，等级 ${t.grade ?? '—'}`,
    );
  } else {
    lines.push(`      指标 ${t.indicators.length} 项`);
  }
  if (t.findings.length === 0) lines.push('      未发现问题');
  for (const f of t.findings) lines.push(`      ${SEV_CN[f.severity]} ${f.code} ${f.sheet}!${f.cell}  ${f.message}`);
  return lines;
}

function describeFile(file: string, r: WorkbookResult): string[] {
  const lines = [`${file}（评分规则：${BUILTIN_PROFILES[r.profile as ProfileId]?.title ?? r.profile}）`];
  if (r.tables.length === 0) lines.push('  未找到绩效目标表或绩效自评表。');
  r.tables.forEach((t, i) => lines.push(...describeTable(t, i)));
  for (const f of r.findings) lines.push(`  ${SEV_CN[f.severity]} ${f.code} ${f.sheet}!${f.cell}  ${f.message}`);
  lines.push('');
  return lines;
}

// ---------------------------------------------------------------------------------------------------
// Output safety: an output is never the input, by any path (hard link, symbolic link, `..`, letter case on
// case-insensitive file systems), and is written whole or not at all.

const CASE_INSENSITIVE = process.platform === 'win32' || process.platform === 'darwin';

/** What a path names: its device and inode when it exists, else its real parent folder plus its name. */
function identity(p: string): { ino?: string; name: string } {
  const abs = path.resolve(p);
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(abs);
  } catch {
    st = undefined;
  }
  let name: string;
  try {
    name = path.join(realpathSync(path.dirname(abs)), path.basename(abs));
  } catch {
    name = abs;
  }
  if (CASE_INSENSITIVE) name = name.toLowerCase();
  return { ino: st ? `${st.dev}:${st.ino}` : undefined, name };
}

/** True when the two paths name the same file (or would, once the missing one is created). */
export function sameFile(a: string, b: string): boolean {
  const x = identity(a);
  const y = identity(b);
  if (x.ino !== undefined && y.ino !== undefined) return x.ino === y.ino;
  return x.name === y.name;
}

/** Writes the bytes to a temporary file beside the target, then renames it over the target. */
export function writeOutput(target: string, bytes: Uint8Array): void {
  const dir = path.dirname(path.resolve(target));
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.perfsheet-tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was left behind
    }
    throw new OutputError(target, e);
  }
}

class OutputError extends Error {
  constructor(target: string, reason: unknown) {
    super(`无法写入 ${target}：${fsReason(reason)}`);
  }
}

/** What --fill did with one file, as the JSON output lists it. */
export interface FillReport {
  output: string;
  overwrite: boolean;
  applied: { sheet: string; cell: string; label: string; value: number | string; previous: string }[];
  replaced: { sheet: string; cell: string; label: string; value: number | string; previous: string }[];
  skipped: { sheet: string; cell: string; label: string; value: number | string; current: string; reason: string }[];
}

export interface FileOutcome {
  file: string;
  result?: WorkbookResult;
  fill?: FillReport;
  /** Why the file could not be checked (or its output not written), in Chinese. */
  error?: string;
}

/** The `--json` document of a run (check and check --summary print the same one). */
export function jsonDocument(outcomes: readonly FileOutcome[], summary: Summary): string {
  const doc = {
    files: outcomes.map((o) => ({
      file: o.file,
      ...(o.result ? { profile: o.result.profile } : {}),
      ...(o.error !== undefined ? { error: o.error } : {}),
      tables: o.result?.tables ?? [],
      findings: o.result?.findings ?? [],
      ...(o.fill ? { fill: o.fill } : {}),
    })),
    summary,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** A Chinese reason for a file-system error (the code says what happened; the English text is not shown). */
function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return '文件或文件夹不存在。';
    case 'EISDIR':
      return '这是一个文件夹，不是文件。';
    case 'EACCES':
    case 'EPERM':
      return '没有权限（请检查文件的读写权限，或文件是否被其他程序占用）。';
    case 'EBUSY':
      return '文件正被其他程序占用。';
    case 'ENOSPC':
      return '磁盘空间不足。';
    case 'EROFS':
      return '所在位置是只读的。';
    case 'ENOTDIR':
      return '路径中的某一级不是文件夹。';
    case 'ENAMETOOLONG':
      return '路径太长。';
    case 'EMFILE':
    case 'ENFILE':
      return '同时打开的文件太多。';
    default:
      return `系统错误（${code ?? (e as Error)?.message ?? String(e)}）。`;
  }
}

/** Reads one input file, with a Chinese message for every way that can fail. */
export function readInput(file: string): Buffer {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') throw new InputError(`${file}：文件不存在。`);
    throw new InputError(`${file}：无法读取，${fsReason(e)}`);
  }
  if (st.isDirectory()) throw new InputError(`${file}：这是一个文件夹，不是 .xlsx 文件。`);
  if (!st.isFile()) throw new InputError(`${file}：不是普通文件，无法读取。`);
  try {
    return readFileSync(file);
  } catch (e) {
    throw new InputError(`${file}：无法读取，${fsReason(e)}`);
  }
}

/** The user's message for a failure while handling one file; the stack only with PERFSHEET_DEBUG=1. */
export function describeFailure(e: unknown): string {
  if (e instanceof InputError || e instanceof OutputError) return e.message;
  const msg = e instanceof Error ? e.message : String(e);
  const stack = process.env.PERFSHEET_DEBUG === '1' && e instanceof Error && e.stack ? `\n${e.stack}` : '';
  return `内部错误：${msg}${stack}`;
}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  // The year's other jobs (issue #9): new forms, 目标表 → 自评表, and a reviewer's summary of many workbooks.
  if (argv[0] === 'new') return (await import('./new')).runNew(argv.slice(1), out, err);
  if (argv[0] === 'convert') return (await import('./convert')).runConvert(argv.slice(1), out, err);
  if (argv[0] === 'draft') return (await import('./draft')).runDraft(argv.slice(1), out, err);
  if (argv[0] === 'check' && argv.some((a) => a === '--summary' || a.startsWith('--summary='))) {
    return (await import('./summary')).runSummary(argv.slice(1), out, err);
  }
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    const msg = (e as Error).message;
    err.write(msg ? `perfsheet：${msg}\n\n${USAGE}\n` : `${USAGE}\n`);
    return 2;
  }
  if (opts.fill && opts.report && sameFile(opts.fill, opts.report)) {
    err.write(`perfsheet：--fill 和 --report 不能写到同一个文件（${opts.report}）：后写的会覆盖先写的。请为两者指定不同的输出文件。\n`);
    return 2;
  }
  const outcomes: FileOutcome[] = [];
  let unusable = false;
  // Many files and nothing to write: checked on the machine's cores (issue #21), the outcomes in input order.
  const parallel =
    !opts.fill && !opts.report && opts.files.length > 1
      ? await checkAll(
          opts.files.map((file) => ({ file, profile: opts.profile, choices: true })),
          opts.jobs ?? defaultJobs(opts.files.length),
        )
      : null;
  for (const [i, file] of opts.files.entries()) {
    if (parallel) {
      const o = parallel[i];
      if (o.error !== undefined) {
        unusable = true;
        err.write(`perfsheet：${o.error}\n`);
      }
      outcomes.push({ file, ...o });
      continue;
    }
    const name = path.basename(file);
    const outcome: FileOutcome = { file };
    try {
      for (const target of [opts.fill, opts.report]) {
        if (target && sameFile(file, target)) throw new InputError(`输出文件不能与输入文件相同（${target}）：原文件不会被改写。`);
        // The output keeps the input's type: a macro-enabled workbook written under .xlsx would not open in Excel.
        if (target && /\.xlsm$/i.test(file) && !/\.xlsm$/i.test(target)) {
          throw new InputError(`${name} 是启用宏的工作簿（.xlsm），输出文件也须以 .xlsm 结尾（${target}）。`);
        }
      }
      const bytes = readInput(file);
      const { analyzeBytes } = await import('./check-file');
      const analysed = await analyzeBytes(bytes, name, opts.profile, true);
      const result = analysed.result;
      const choices = analysed.choices!;
      outcome.result = result;
      if (opts.fill) {
        const edits = result.tables.flatMap((t) => t.edits);
        const fill = await fillXlsx(bytes, edits, name, { overwrite: opts.overwrite });
        writeOutput(opts.fill, fill.bytes);
        const cell = (e: CellEdit) => ({ sheet: e.sheet, cell: e.cell, label: e.label, value: e.value });
        outcome.fill = {
          output: opts.fill,
          overwrite: opts.overwrite,
          applied: fill.applied.map((e) => ({ ...cell(e), previous: e.current })),
          replaced: fill.replaced.map((e) => ({ ...cell(e), previous: e.current })),
          skipped: fill.skipped.map((x) => ({ ...cell(x.edit), current: x.edit.current, reason: x.reason })),
        };
        if (!opts.json) {
          const replaced = fill.replaced.length ? `（其中替换已填写的值 ${fill.replaced.length} 个）` : '';
          err.write(`已写入 ${opts.fill}：填入 ${fill.applied.length} 个单元格${replaced}，跳过 ${fill.skipped.length} 个（含公式、已填写的值或无法写入）。\n`);
          for (const e of fill.replaced) err.write(`  替换 ${e.sheet}!${e.cell}（${e.label}）：“${e.current}” → ${shownValue(e)}\n`);
          for (const s of fill.skipped) err.write(`  跳过 ${s.edit.sheet}!${s.edit.cell}（${s.edit.label}）：${s.reason}\n`);
        }
      }
      if (opts.report) {
        const { addReportToXlsx } = await import('../xlsx/report');
        const reportBytes = await addReportToXlsx(bytes, result, {
          fileName: name,
          date: new Date().toISOString().slice(0, 10),
          reviews: choices.reviews,
        });
        writeOutput(opts.report, Buffer.from(reportBytes));
        if (!opts.json) err.write(`已生成报告 ${opts.report}。\n`);
      }
    } catch (e) {
      // One file's failure is that file's error line; the run goes on and keeps every other result.
      unusable = true;
      outcome.error = describeFailure(e);
      err.write(`perfsheet：${outcome.error}\n`);
    }
    outcomes.push(outcome);
  }
  const results = outcomes.filter((o) => o.result).map((o) => o.result!);
  const tables = results.flatMap((r) => r.tables);
  const summary = summarize(tables, results.flatMap((r) => r.findings));
  if (opts.json) {
    out.write(jsonDocument(outcomes, summary));
  } else {
    // Written file by file: a workbook with tens of thousands of tables makes hundreds of thousands of lines.
    const failed = outcomes.filter((o) => o.error !== undefined).length;
    for (const o of outcomes) {
      if (o.result) out.write(`${describeFile(o.file, o.result).join('\n')}\n`);
      if (o.error !== undefined) out.write(`${o.file}\n  无法检查：${o.error}\n\n`);
    }
    const failedNote = failed ? `，其中 ${failed} 个无法检查` : '';
    out.write(`合计：${opts.files.length} 个文件${failedNote}，${summary.tables} 张表；错误 ${summary.errors}，警告 ${summary.warnings}，提示 ${summary.infos}。\n`);
  }
  if (unusable) return 2;
  return summary.errors > 0 ? 1 : 0;
}
