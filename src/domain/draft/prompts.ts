/**
 * The draft's prompts — `【请填写：…】`, what only a person can write — and how the checker finds the ones
 * left in: on the draft sheet itself (recognised by its title, whatever the sheet is called) and in any cell
 * of a form (a prompt pasted into the 偏差原因 column).
 */
import type { SheetGrid } from '../grid';
import { a1 } from '../grid';

export const PROMPT_OPEN = '【请填写';

/** A prompt as the draft writes it. */
export function promptText(what: string): string {
  return `${PROMPT_OPEN}：${what}】`;
}

/** Every prompt in a text (an unclosed `【请填写…` counts up to the end of the text). */
export function findPrompts(s: string): string[] {
  return [...s.matchAll(/【请填写[^】]*】?/g)].map((m) => m[0]);
}

/** The title the draft sheet carries in A1: `…绩效自评报告（草稿）`. */
export const DRAFT_TITLE_SUFFIX = '绩效自评报告（草稿）';

/**
 * Whether a sheet is a 自评报告 draft the add-in wrote: its A1 holds the draft's title, or it still has the name
 * the add-in gave it (`绩效自评报告（草稿）`, `绩效自评报告（草稿）(2)`) — so that a draft whose title the user has
 * finished (dropping 「（草稿）」) is still not read as a form.
 */
export function isDraftSheet(sheet: SheetGrid): boolean {
  const v = sheet.raw(0, 0)?.value;
  if (typeof v === 'string' && v.trim().endsWith(DRAFT_TITLE_SUFFIX)) return true;
  return /^绩效自评报告（草稿）(\(\d+\))?$/.test(sheet.name);
}

/** Every cell of a sheet holding a prompt: its position and the first prompt in it. */
export function promptCells(sheet: SheetGrid): { r: number; c: number; address: string; prompt: string }[] {
  const out: { r: number; c: number; address: string; prompt: string }[] = [];
  for (const r of sheet.rowIndexes()) {
    const row = sheet.rowCells(r);
    for (let c = 0; c < row.length; c++) {
      const v = row[c]?.value;
      if (typeof v !== 'string' || !v.includes(PROMPT_OPEN)) continue;
      const found = findPrompts(v);
      if (found.length) out.push({ r, c, address: a1(r, c), prompt: found[0] });
    }
  }
  return out;
}
