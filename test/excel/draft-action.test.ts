/**
 * The ⋯ menu's 「生成自评报告草稿」 (src/taskpane/DraftAction.ts) on the in-memory Excel host: enabled only
 * with a self-evaluation table, it writes the draft sheet through the session, says how many prompts are
 * left to write, and re-checks the workbook.
 */
import { allRuns, buildDraft } from '../../src/domain/draft';
import { ExcelSession } from '../../src/excel/session';
import type { PaneActionContext } from '../../src/taskpane/App';
import { canDraft, generateDraftAction } from '../../src/taskpane/DraftAction';
import { FIXTURE_2024, FIXTURE_2025, openFixture } from './helpers';

async function context(file: string) {
  const sim = await openFixture(file);
  const session = new ExcelSession(sim);
  const { result } = await session.check();
  const messages: string[] = [];
  let rechecks = 0;
  const ctx: PaneActionContext = {
    session,
    result,
    busy: false,
    reviews: new Map(),
    runTask: async (_label, task) => {
      try {
        const m = await task();
        if (m) messages.push(m);
      } catch (e) {
        messages.push(`失败：${session.describeError(e)}`);
      }
    },
    recheck: async () => {
      rechecks++;
    },
  };
  return { sim, session, ctx, messages, rechecks: () => rechecks };
}

test('writes the draft sheet, names the prompts left to write, and re-checks', async () => {
  const { sim, ctx, messages, rechecks } = await context(FIXTURE_2025);
  expect(canDraft(ctx)).toBe(true);
  await generateDraftAction(ctx);
  expect(sim.model.wb.getWorksheet('绩效自评报告（草稿）')).toBeDefined();
  const prompts = allRuns(buildDraft(ctx.result!, { date: '2026-12-08' })).filter((r) => r.t === 'prompt').length;
  expect(messages).toEqual([
    `已生成「绩效自评报告（草稿）」：数字取自检查结果，${prompts} 处“请填写”须由您补写，补写前检查会逐处提示。`,
  ]);
  expect(rechecks()).toBe(1);
});

test('is disabled without a self-evaluation table, and refuses in Chinese if asked anyway', async () => {
  const { sim, ctx, messages, rechecks } = await context(FIXTURE_2024);
  expect(canDraft(ctx)).toBe(false);
  expect(canDraft({ result: null })).toBe(false);
  const before = sim.model.wb.worksheets.length;
  await generateDraftAction(ctx);
  expect(messages).toHaveLength(1);
  expect(messages[0]).toContain('无法生成自评报告草稿');
  expect(rechecks()).toBe(0);
  expect(sim.model.wb.worksheets.length).toBe(before);
});
