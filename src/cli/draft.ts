/**
 * `perfsheet draft <file.xlsx> -o 自评报告.docx [--sheet 输出.xlsx] [--profile central|hebei]`
 *
 * Checks the workbook and writes the 绩效自评报告 draft (src/domain/draft) as a Word document; with --sheet,
 * also a copy of the workbook with the printable sheet 「绩效自评报告（草稿）」. The input is never written.
 * Exit 0, or 2 when the file cannot be read, holds no self-evaluation table, or an output cannot be written.
 */
import path from 'path';
import { allRuns, buildDraft, DraftError } from '../domain/draft';
import { analyzeWorkbook } from '../domain/engine';
import type { ProfileId } from '../domain/profiles';
import { readChoices } from '../xlsx/choices';
import { XlsxPackage } from '../xlsx/package';
import { InputError, readWorkbookBytes } from '../xlsx/read';
import { describeFailure, readInput, sameFile, writeOutput } from './main';
import { profileOption, splitArgs, UsageError } from './options';

export const DRAFT_USAGE = `用法：perfsheet draft <自评表.xlsx> -o 自评报告.docx [--sheet 输出.xlsx] [--profile central|hebei]

  根据检查后的项目支出 / 部门整体支出绩效自评表生成绩效自评报告草稿（Word 文档）：按公开报告的提纲分节编号，
  预算执行率、各指标得分、总分、等级及等级划分均取自检查计算结果，逐项列出指标值与实际完成值及表中的偏差原因，
  问题取自检查发现；只能由填报人撰写的部分以“【请填写：…】”标出，未补写前检查会提示（D01）。
  --sheet <文件>     同时在工作簿副本中生成可打印的“绩效自评报告（草稿）”工作表
  --profile <名称>   评分规则：central（中央标准）或 hebei（河北省）；不指定时用工作簿中保存的选择，否则中央标准
  原文件不会被改写。`;

type Stream = { write(s: string): unknown };

export async function runDraft(argv: string[], out: Stream, err: Stream): Promise<number> {
  let input: string;
  let output: string;
  let sheet: string | undefined;
  let profile: 'central' | 'hebei' | undefined;
  try {
    const a = splitArgs(argv, { '--profile': '--profile', '-o': '-o', '--output': '-o', '--sheet': '--sheet' }, []);
    if (a.positional.length !== 1)
      throw new UsageError(a.positional.length ? '一次只能处理一个文件。' : '请指定自评表文件。');
    input = a.positional[0];
    const o = a.values.get('-o');
    if (!o) throw new UsageError('请用 -o 指定输出的 Word 文件（.docx）。');
    if (!/\.docx$/i.test(o)) throw new UsageError(`输出文件须以 .docx 结尾（${o}）。`);
    output = o;
    sheet = a.values.get('--sheet');
    if (sheet !== undefined && !/\.xls[xm]$/i.test(sheet))
      throw new UsageError(`--sheet 的输出文件须以 .xlsx 结尾（${sheet}）。`);
    if (sheet !== undefined && /\.xlsm$/i.test(input) !== /\.xlsm$/i.test(sheet)) {
      throw new UsageError(`--sheet 的输出文件须与输入文件类型相同（${path.extname(input)}）。`);
    }
    const p = a.values.get('--profile');
    profile = p === undefined ? undefined : profileOption(p);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err.write(e.message ? `perfsheet：${e.message}\n\n${DRAFT_USAGE}\n` : `${DRAFT_USAGE}\n`);
    return 2;
  }
  try {
    for (const target of [output, sheet]) {
      if (target && sameFile(input, target))
        throw new InputError(`输出文件不能与输入文件相同（${target}）：原文件不会被改写。`);
    }
    if (sheet && sameFile(output, sheet)) throw new InputError(`-o 和 --sheet 不能写到同一个文件（${sheet}）。`);
    const name = path.basename(input);
    const bytes = readInput(input);
    const grid = await readWorkbookBytes(bytes, name);
    // Scored as `check` scores it: the profile asked for, else the one the workbook stores, else central.
    const choices = await readChoices(await XlsxPackage.open(bytes, name));
    const result = analyzeWorkbook(grid, { profile: (profile ?? choices.profile ?? 'central') as ProfileId });
    const opts = { fileName: name, date: new Date().toISOString().slice(0, 10) };
    let doc;
    try {
      doc = buildDraft(result, opts);
    } catch (e) {
      if (e instanceof DraftError) throw new InputError(`${input}：${e.message}`);
      throw e;
    }
    const { draftToDocx } = await import('./docx');
    writeOutput(output, Buffer.from(await draftToDocx(doc)));
    const prompts = allRuns(doc).filter((r) => r.t === 'prompt').length;
    out.write(
      `已生成 ${output}：${doc.title}（草稿），${doc.parts.length > 1 ? `${doc.parts.length} 个项目，` : ''}${prompts} 处“请填写”待补写。\n`,
    );
    if (sheet) {
      const { addDraftToXlsx } = await import('../xlsx/draft');
      writeOutput(sheet, Buffer.from(await addDraftToXlsx(bytes, result, opts)));
      out.write(`已生成 ${sheet}：含“绩效自评报告（草稿）”工作表。\n`);
    }
    return 0;
  } catch (e) {
    err.write(`perfsheet：${describeFailure(e)}\n`);
    return 2;
  }
}
