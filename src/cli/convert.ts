/**
 * `perfsheet convert <targets.xlsx> -o selfeval.xlsx [--profile central|hebei]`
 *
 * Reads every 绩效目标表 of the file and writes a new workbook with one 项目支出绩效自评表 per target table,
 * prefilled from it (src/domain/templates/convert.ts). The input is never written. Exit 0, or 2 when the file
 * cannot be read, holds no target table, or the output cannot be written.
 */
import path from 'path';
import { analyzeWorkbook } from '../domain/engine';
import { convertNotes, selfEvalsFromTargets } from '../domain/templates';
import { InputError, readWorkbookBytes } from '../xlsx/read';
import { templatesToXlsx } from '../xlsx/template';
import { describeFailure, readInput, sameFile, writeOutput } from './main';
import { profileOption, splitArgs, UsageError } from './options';

export const CONVERT_USAGE = `用法：perfsheet convert <目标表.xlsx> -o 自评表.xlsx [--profile central|hebei]

  将文件中的每张绩效目标表转换为一张项目支出绩效自评表（每表一个工作表）：预填项目名称、主管部门、实施单位、
  年初预算数、年度总体目标、全部指标及年度指标值；分值按评分规则的一级指标默认分值平均分配；实际完成值、
  得分、偏差原因留空待填。原文件不会被改写。`;

type Stream = { write(s: string): unknown };

export async function runConvert(argv: string[], out: Stream, err: Stream): Promise<number> {
  let input: string;
  let output: string;
  let profile: 'central' | 'hebei';
  try {
    const a = splitArgs(argv, { '--profile': '--profile', '-o': '-o', '--output': '-o' }, []);
    if (a.positional.length !== 1) throw new UsageError(a.positional.length ? '一次只能转换一个文件。' : '请指定目标表文件。');
    input = a.positional[0];
    const o = a.values.get('-o');
    if (!o) throw new UsageError('请用 -o 指定输出文件。');
    output = o;
    profile = profileOption(a.values.get('--profile'));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err.write(e.message ? `perfsheet：${e.message}\n\n${CONVERT_USAGE}\n` : `${CONVERT_USAGE}\n`);
    return 2;
  }
  try {
    if (sameFile(input, output)) throw new InputError(`输出文件不能与输入文件相同（${output}）：原文件不会被改写。`);
    const bytes = readInput(input);
    const result = analyzeWorkbook(await readWorkbookBytes(bytes, path.basename(input)), { profile });
    const targets = result.tables.filter((t) => t.kind === 'target');
    if (targets.length === 0) throw new InputError(`${input}：未找到绩效目标表，没有可转换的内容。`);
    const specs = selfEvalsFromTargets(targets, { profile });
    writeOutput(output, Buffer.from(await templatesToXlsx(specs)));
    out.write(`已生成 ${output}：${specs.length} 张项目支出绩效自评表\n`);
    specs.forEach((s, i) => {
      const t = targets[i];
      out.write(`  ${s.sheetName}（来自 ${t.sheet}!${t.range}，指标 ${t.indicators.length} 项）\n`);
      for (const n of convertNotes(t, profile)) out.write(`    注意：${n}\n`);
    });
    return 0;
  } catch (e) {
    err.write(`perfsheet：${describeFailure(e)}\n`);
    return 2;
  }
}
