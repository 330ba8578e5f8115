/**
 * `perfsheet check <file.xlsx>... [--json] [--profile central|hebei] [--fill out.xlsx] [--report out.xlsx]`
 *
 * Exit code: 0 when no `error` finding, 1 when there is one, 2 on unusable input or usage.
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'fs';
import path from 'path';
import { z } from 'zod';
import { analyzeWorkbook, summarize } from '../domain/engine';
import { BUILTIN_PROFILES, ProfileId } from '../domain/profiles';
import { fmt2, fmtPct } from '../domain/round';
import { KIND_NAMES } from '../domain/rules/catalogue';
import { Finding, TableResult, WorkbookResult } from '../domain/types';
import { fillXlsx } from '../xlsx/fill';
import { InputError, loadWorkbook, workbookFromExcelJS } from '../xlsx/read';

const USAGE = `用法：perfsheet check <文件.xlsx>... [--json] [--profile central|hebei] [--fill 输出.xlsx] [--report 输出.xlsx]

  --json             输出 JSON（供程序读取）
  --profile <名称>   评分规则：central（中央标准，默认）或 hebei（河北省）
  --fill <文件>      将计算结果（执行率、得分、总分、等级）填入工作簿副本，原文件不变
  --report <文件>    在工作簿副本中生成“绩效自评报告 / 绩效目标审核”工作表

退出码：0 没有错误；1 发现错误级问题；2 输入无法使用。`;

export const CliOptionsSchema = z
  .object({
    command: z.literal('check', { error: () => '未知命令：目前只支持 check。' }),
    files: z.array(z.string().min(1)).min(1, { error: '请至少指定一个 .xlsx 文件。' }),
    json: z.boolean(),
    profile: z.enum(['central', 'hebei'], { error: () => '--profile 只能是 central 或 hebei。' }),
    fill: z.string().min(1).optional(),
    report: z.string().min(1).optional(),
  })
  .refine((o) => !(o.fill || o.report) || o.files.length === 1, {
    error: '--fill 和 --report 只能用于单个文件。',
  });
export type CliOptions = z.infer<typeof CliOptionsSchema>;

class UsageError extends Error {}

export function parseArgs(argv: string[]): CliOptions {
  const raw: Record<string, unknown> = { json: false, profile: 'central', files: [] as string[] };
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
    else if (a === '--profile' || a.startsWith('--profile=')) raw.profile = takeValue('--profile');
    else if (a === '--fill' || a.startsWith('--fill=')) raw.fill = takeValue('--fill');
    else if (a === '--report' || a.startsWith('--report=')) raw.report = takeValue('--report');
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

function samePath(a: string, b: string): boolean {
  const ra = path.resolve(a);
  const rb = path.resolve(b);
  if (ra === rb) return true;
  try {
    return existsSync(rb) && realpathSync(ra) === realpathSync(rb);
  } catch {
    return false;
  }
}

interface FileOutcome {
  file: string;
  result?: WorkbookResult;
  error?: string;
}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    const msg = (e as Error).message;
    err.write(msg ? `perfsheet：${msg}\n\n${USAGE}\n` : `${USAGE}\n`);
    return 2;
  }
  const outcomes: FileOutcome[] = [];
  let unusable = false;
  for (const file of opts.files) {
    const name = path.basename(file);
    try {
      if (!existsSync(file)) throw new InputError(`${file}：文件不存在。`);
      for (const target of [opts.fill, opts.report]) {
        if (target && samePath(file, target)) throw new InputError(`输出文件不能与输入文件相同（${target}）：原文件不会被改写。`);
      }
      const bytes = readFileSync(file);
      const wb = await loadWorkbook(bytes, name);
      const result = analyzeWorkbook(workbookFromExcelJS(wb, name), { profile: opts.profile as ProfileId });
      outcomes.push({ file, result });
      if (opts.fill) {
        const edits = result.tables.flatMap((t) => t.edits);
        const fill = await fillXlsx(bytes, edits, name);
        writeFileSync(opts.fill, fill.bytes);
        if (!opts.json) {
          err.write(`已写入 ${opts.fill}：填入 ${fill.applied.length} 个单元格，跳过 ${fill.skipped.length} 个（含公式或无法写入）。\n`);
          for (const s of fill.skipped) err.write(`  跳过 ${s.edit.sheet}!${s.edit.cell}（${s.edit.label}）：${s.reason}\n`);
        }
      }
      if (opts.report) {
        const { addReportToXlsx } = await import('../xlsx/report');
        const reportBytes = await addReportToXlsx(bytes, result, {
          fileName: name,
          date: new Date().toISOString().slice(0, 10),
        });
        writeFileSync(opts.report, Buffer.from(reportBytes));
        if (!opts.json) err.write(`已生成报告 ${opts.report}。\n`);
      }
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      unusable = true;
      outcomes.push({ file, error: e.message });
      err.write(`perfsheet：${e.message}\n`);
    }
  }
  const results = outcomes.filter((o) => o.result).map((o) => o.result!);
  const tables = results.flatMap((r) => r.tables);
  const summary = summarize(tables, results.flatMap((r) => r.findings));
  if (opts.json) {
    const doc = {
      files: outcomes.map((o) =>
        o.result
          ? { file: o.file, profile: o.result.profile, tables: o.result.tables, findings: o.result.findings }
          : { file: o.file, error: o.error, tables: [], findings: [] },
      ),
      summary,
    };
    out.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const lines: string[] = [];
    for (const o of outcomes) if (o.result) lines.push(...describeFile(o.file, o.result));
    lines.push(`合计：${opts.files.length} 个文件，${summary.tables} 张表；错误 ${summary.errors}，警告 ${summary.warnings}，提示 ${summary.infos}。`);
    out.write(`${lines.join('\n')}\n`);
  }
  if (unusable) return 2;
  return summary.errors > 0 ? 1 : 0;
}
