/**
 * D01: a prompt of the 自评报告 draft (`【请填写：…】`) still in the workbook — on the draft sheet, where only a
 * person can write what it asks for, or pasted into a form's cell. The draft (src/domain/draft) writes these
 * prompts; the checker flags each one until it is replaced.
 */
import { a1, SheetGrid } from '../grid';
import { findPrompts, PROMPT_OPEN, promptCells } from '../draft/prompts';
import type { Finding } from '../types';
import { defineRule } from './rule';

export const D01 = defineRule({
  code: 'D01',
  severity: 'warning',
  title: '待填写内容未补写',
  why: '自评报告草稿中的「【请填写：…】」提示是只有您能写的内容，留着提示报送会被退回。',
  fix: '在草稿中找到该提示，写入实际内容后删除提示。',
  message: (p: { where: string; prompt: string }) =>
    `${p.where}仍有待填写的提示“${p.prompt}”：请写入实际内容并删除该提示。`,
  table({ t }, emit) {
    const g = t.sheet;
    for (let r = t.r0; r <= t.r1; r++) {
      const row = g.rowCells(r);
      for (let c = t.c0; c <= Math.min(t.c1, row.length - 1); c++) {
        const v = row[c]?.value;
        if (typeof v !== 'string' || !v.includes(PROMPT_OPEN)) continue;
        const found = findPrompts(v);
        if (found.length) emit({ r, c }, { where: '表中', prompt: found[0] });
      }
    }
  },
  examples: {
    fires: [
      {
        form: 'self-eval',
        rows: { 3: { deviation: '【请填写：偏差原因及改进措施】' } },
        says: '【请填写：偏差原因及改进措施】',
        count: 1,
      },
    ],
    quiet: [
      { form: 'self-eval' },
      { form: 'self-eval', rows: { 3: { deviation: '请填写人员已核实，详见附件【2】' } } },
    ],
  },
});

export const DRAFT_RULES = [D01] as const;

/** D01 on a draft sheet (prompts.ts isDraftSheet): one finding per cell that still holds a prompt. */
export function draftSheetFindings(sheet: SheetGrid): Finding[] {
  return promptCells(sheet).map((p) => ({
    code: D01.code,
    severity: D01.severity,
    sheet: sheet.name,
    cell: a1(p.r, p.c),
    message: D01.message({ where: '自评报告草稿中', prompt: p.prompt }),
  }));
}
