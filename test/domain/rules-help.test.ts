/**
 * The rule help is generated from the rule catalogue (scripts/rules-help.ts): the committed docs/RULES-HELP.md
 * and assets/support.html are what the script writes now, every rule is in both with its help and a real
 * example, and the support page says what the add-in writes into the user's own forms.
 */
import * as fs from 'fs';
import { RULES } from '../../src/domain/rules/catalogue';
import { MARKDOWN_FILE, ruleHelp, rulesHelpMarkdown, SUPPORT_FILE, supportHtml } from '../../scripts/rules-help';

const entries = ruleHelp();

test('docs/RULES-HELP.md is up to date (npx ts-node --transpile-only scripts/rules-help.ts)', () => {
  expect(fs.readFileSync(MARKDOWN_FILE, 'utf8')).toBe(rulesHelpMarkdown(entries));
});

test('assets/support.html is up to date (npx ts-node --transpile-only scripts/rules-help.ts)', () => {
  expect(fs.readFileSync(SUPPORT_FILE, 'utf8')).toBe(supportHtml(entries));
});

test('every rule has its help and an example the engine really gives', () => {
  expect(entries.map((e) => e.code).sort()).toEqual(RULES.map((r) => r.code).sort());
  for (const e of entries) {
    expect(e.example?.message).toMatch(/[\u4e00-\u9fff]/);
    expect(e.example?.cell).toMatch(/^[A-Z]+\d+$/);
  }
  const html = supportHtml(entries);
  for (const r of RULES) expect(html).toContain(`id="${r.code}"`);
});

test('the support page says 回填 writes into the user’s own forms, and no longer that it never does', () => {
  const html = supportHtml(entries);
  expect(html).toContain('您自己的表格');
  expect(html).toContain('执行率、执行率得分、每个指标的得分、总分和等级');
  expect(html).not.toMatch(/不会改动它没有创建的工作表/);
  // The buttons it names exist in the pane.
  const pane = fs.readFileSync(require.resolve('../../src/taskpane/App.tsx'), 'utf8') + fs.readFileSync(require.resolve('../../src/taskpane/components/Steps.tsx'), 'utf8');
  for (const b of ['检查', '回填', '标记', '↓ 下一个', '↑ 上一个', '取消复核']) expect(pane).toContain(b);
});
