/**
 * `perfsheet new <target|self-eval|dept-self-eval> [--profile central|hebei] [--rows N] [--year YYYY] -o out.xlsx`
 *
 * Writes a new workbook holding one blank form laid out as the official template, with Excel's own dropdowns
 * and checks in it. Exit code 0, or 2 on usage or output errors.
 */
import { MAX_ROWS, TEMPLATE_KINDS, TEMPLATE_TITLES, TemplateKind, buildTemplateSpec } from '../domain/templates';
import { templatesToXlsx } from '../xlsx/template';
import { describeFailure, writeOutput } from './main';
import { profileOption, splitArgs, UsageError } from './options';

export const NEW_USAGE = `用法：perfsheet new <target|self-eval|dept-self-eval> [--profile central|hebei] [--rows N] [--year 年份] -o 输出.xlsx

  target           项目支出绩效目标表
  self-eval        项目支出绩效自评表
  dept-self-eval   部门整体支出绩效自评表
  --rows N         指标行数（1–${MAX_ROWS}，默认 8）
  --year 年份      表头的年度（默认今年）
  --profile 名称   评分规则：决定一级/二级指标名称和默认分值（central 或 hebei）`;

type Stream = { write(s: string): unknown };

export async function runNew(argv: string[], out: Stream, err: Stream, now = new Date()): Promise<number> {
  let kind: TemplateKind;
  let output: string;
  let rows: number | undefined;
  let year: number;
  let profile: 'central' | 'hebei';
  try {
    const a = splitArgs(argv, { '--profile': '--profile', '--rows': '--rows', '--year': '--year', '-o': '-o', '--output': '-o' }, []);
    if (a.positional.length !== 1) throw new UsageError(a.positional.length ? '只能指定一种表格。' : '请指定表格种类：target、self-eval 或 dept-self-eval。');
    const k = a.positional[0];
    if (!(TEMPLATE_KINDS as readonly string[]).includes(k)) throw new UsageError(`未知的表格种类“${k}”：可选 target、self-eval、dept-self-eval。`);
    kind = k as TemplateKind;
    const o = a.values.get('-o');
    if (!o) throw new UsageError('请用 -o 指定输出文件。');
    output = o;
    const r = a.values.get('--rows');
    if (r !== undefined) {
      rows = Number(r);
      if (!Number.isInteger(rows) || rows < 1 || rows > MAX_ROWS) throw new UsageError(`--rows 应为 1 到 ${MAX_ROWS} 之间的整数。`);
    }
    const y = a.values.get('--year');
    year = y === undefined ? now.getFullYear() : Number(y);
    if (!Number.isInteger(year) || year < 1990 || year > 2100) throw new UsageError('--year 应为四位年份，如 2025。');
    profile = profileOption(a.values.get('--profile'));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err.write(e.message ? `perfsheet：${e.message}\n\n${NEW_USAGE}\n` : `${NEW_USAGE}\n`);
    return 2;
  }
  try {
    const spec = buildTemplateSpec({ kind, profile, rows, year });
    writeOutput(output, Buffer.from(await templatesToXlsx([spec])));
    out.write(`已生成 ${output}：${TEMPLATE_TITLES[kind]}（${year}年度，${spec.layout.lastIndicatorRow - spec.layout.firstIndicatorRow + 1} 行指标，工作表“${spec.sheetName}”）。\n`);
    return 0;
  } catch (e) {
    err.write(`perfsheet：${describeFailure(e)}\n`);
    return 2;
  }
}

