/**
 * A finance officer steering the pane alone, in real Chromium at 320 px, on both preview hosts (the in-memory
 * Excel and WPS): findings worst first, 上一个 / 下一个 (buttons and keys) selecting each cell in the grid, the
 * rule help from each finding and the support page it links to, 复核 out of the counts and back with 取消复核,
 * 回填 on the current table with 全部表格 one click away, and the export where a download does nothing.
 * Screenshots go to test-artifacts/steer-<host>-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, previewUrl, shot } from './browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

interface Pane {
  page: Page;
  context: BrowserContext;
  errors: string[];
}

async function openPane(host: 'excel' | 'wps', query = '', init?: () => void): Promise<Pane> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(previewUrl()).origin });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${previewUrl()}?pane=320&host=${host}${query}`);
  await page.getByTestId('table-card').first().waitFor();
  await page.getByTestId('progress').waitFor({ state: 'detached' });
  return { page, context, errors };
}

const sim = <T,>(page: Page, fn: string) => page.evaluate(`(() => { const sim = window.perfsheetPreview.sim; return ${fn}; })()`) as Promise<T>;
const idle = (page: Page) => page.getByTestId('progress').waitFor({ state: 'detached' });
const current = (page: Page) => page.locator('[data-testid="table-card"] [data-testid="finding"][data-current="true"]');

async function selectionIs(page: Page, sheet: string, address: string): Promise<void> {
  await page.waitForFunction(
    ([s, a]) => {
      const sel = (window as unknown as { perfsheetPreview: { sim: { selection: { sheet: string; address: string } | null } } }).perfsheetPreview.sim.selection;
      return sel?.sheet === s && sel.address === a;
    },
    [sheet, address],
  );
}

describe.each(['excel', 'wps'] as const)('steering the pane alone (%s)', (host) => {
  test('worst first: warnings before infos, an info-only table after the tables with warnings; counts and order follow', async () => {
    const { page, context, errors } = await openPane(host);
    const severities = await page.locator('[data-testid="table-card"] [data-testid="finding"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')));
    // The workbook opens on 部门整体, whose only finding is an info: its card no longer comes first.
    const cards = await page.getByTestId('table-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-sheet')));
    expect(cards).toEqual(['劳模体检', '困难劳模帮扶', '党组织活动经费', '部门整体', '困难职工帮扶']);
    expect(severities.slice(0, 2)).toEqual(['warning', 'info']); // within a card: the warning first
    await expect(page.getByTestId('summary').textContent()).resolves.toBe('共找到 5 张表：错误 0，警告 3，提示 4');
    // The undo notice is one line, not five.
    const notice = await page.getByTestId('undo-notice').boundingBox();
    expect(notice!.height).toBeLessThan(30);
    await shot(page, `steer-${host}-01-worst-first`);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('下一个 / 上一个 and the keys step through every problem worst first, selecting its cell in the grid', async () => {
    const { page, context, errors } = await openPane(host);
    await page.getByTestId('btn-next').click();
    await selectionIs(page, '劳模体检', 'I16');
    await expect(page.getByTestId('step-position').textContent()).resolves.toBe('第 1 / 7 个');
    await expect(current(page).getAttribute('data-cell')).resolves.toBe('劳模体检!I16');
    // The finding stepped to explains its rule in the selection card.
    const help = page.getByTestId('selection-card').getByTestId('rule-help');
    await expect(help.getAttribute('data-code')).resolves.toBe('C07');
    await expect(help.textContent()).resolves.toContain('怎么改');
    await page.getByTestId('btn-next').click();
    await selectionIs(page, '困难劳模帮扶', 'I13');
    // Keys, with the focus in the pane: N next, P previous, Alt+↓ next.
    await page.getByTestId('step-position').click();
    await page.keyboard.press('n');
    await selectionIs(page, '党组织活动经费', 'I17');
    await page.keyboard.press('n');
    await selectionIs(page, '部门整体', 'F12'); // the infos after the warnings
    await expect(page.getByTestId('step-position').textContent()).resolves.toBe('第 4 / 7 个');
    await shot(page, `steer-${host}-02-stepped`);
    await page.keyboard.press('p');
    await selectionIs(page, '党组织活动经费', 'I17');
    await page.keyboard.press('Alt+ArrowDown');
    await selectionIs(page, '部门整体', 'F12');
    for (let i = 0; i < 3; i++) await page.getByTestId('btn-next').click();
    await selectionIs(page, '党组织活动经费', 'F17');
    await page.getByTestId('btn-next').click(); // wraps to the first
    await selectionIs(page, '劳模体检', 'I16');
    // Typing in a text box never steps.
    await page.getByTestId('settings').locator('summary').click();
    await page.getByTestId('reviewer').fill('np');
    await page.waitForTimeout(200);
    expect(await sim(page, 'sim.selection')).toEqual({ sheet: '劳模体检', address: 'I16' });
    // Stepping reads only.
    expect(await sim<number>(page, 'sim.writeCount')).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a sheet-tab click: the selection card of the other sheet goes, the new sheet’s tables come first', async () => {
    const { page, context, errors } = await openPane(host);
    await page.evaluate(`(() => { const p = window.perfsheetPreview; (p.wps ?? p.sim).userSelect('劳模体检', 'I16'); })()`);
    await page.getByTestId('selection-card').filter({ hasText: '劳模体检!I16' }).waitFor();
    await page.getByTestId('sheet-tab').filter({ hasText: '党组织活动经费' }).click();
    await page.getByTestId('selection-card').waitFor({ state: 'detached' });
    await expect(page.getByTestId('table-card').first().getAttribute('data-sheet')).resolves.toBe('党组织活动经费');
    await shot(page, `steer-${host}-08-sheet-tab`);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('rule help from a finding, and the support page it links to explains every rule and what 回填 writes', async () => {
    const { page, context, errors } = await openPane(host);
    const row = page.locator('[data-testid="table-card"][data-sheet="劳模体检"] [data-testid="finding"][data-code="C08"]');
    await row.getByTestId('btn-rule-help').click();
    const help = page.locator('[data-testid="table-card"][data-sheet="劳模体检"] [data-testid="rule-help"][data-code="C08"]');
    await expect(help.textContent()).resolves.toMatch(/规则 C08 指标值可能设置偏低为什么：.+怎么改：.+全部规则说明/);
    await shot(page, `steer-${host}-03-rule-help`);
    const href = await help.getByTestId('rule-help-link').getAttribute('href');
    expect(href).toBe('assets/support.html#C08');
    const support = await context.newPage();
    await support.goto(new URL(href!, page.url()).href);
    await expect(support.locator('#C08').textContent()).resolves.toContain('怎么改');
    await expect(support.locator('body').textContent()).resolves.toContain('您自己的表格');
    expect(await support.locator('section.rule').count()).toBeGreaterThanOrEqual(39);
    await support.close();
    // The pane's own help says the keys and links the page.
    await page.getByTestId('help').locator('summary').click();
    await expect(page.getByTestId('help').textContent()).resolves.toContain('N 或 Alt+↓');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('复核 takes a finding out of the counts and the steps; 取消复核 in the 已复核 list brings it back', async () => {
    const { page, context, errors } = await openPane(host);
    const row = page.locator('[data-testid="table-card"] [data-testid="finding"][data-cell="劳模体检!I16"]');
    await row.getByTestId('btn-review').click();
    await idle(page);
    await expect(page.getByTestId('summary').textContent()).resolves.toBe('共找到 5 张表：错误 0，警告 2，提示 4（已复核 1）');
    await expect(row.count()).resolves.toBe(0);
    await page.getByTestId('btn-next').click();
    await selectionIs(page, '困难劳模帮扶', 'I13'); // the reviewed one is skipped
    await expect(page.getByTestId('step-position').textContent()).resolves.toBe('第 1 / 6 个');
    await page.getByTestId('reviewed-summary').click();
    await expect(page.getByTestId('reviewed-item').getAttribute('data-cell')).resolves.toBe('劳模体检!I16');
    await page.getByTestId('reviewed').scrollIntoViewIfNeeded();
    await shot(page, `steer-${host}-04-reviewed`);
    await page.getByTestId('btn-unreview').click();
    await idle(page);
    await expect(page.getByTestId('summary').textContent()).resolves.toBe('共找到 5 张表：错误 0，警告 3，提示 4');
    await expect(page.getByTestId('reviewed').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('回填 opens on the current table; 全部表格 lists every table; 确认回填 writes only what is shown', async () => {
    const { page, context, errors } = await openPane(host);
    await page.getByTestId('sheet-tab').filter({ hasText: '困难劳模帮扶' }).click();
    // The user clicks C10 in the grid (through the host's own selection events: WPS's object model for WPS).
    await page.evaluate(`(() => { const p = window.perfsheetPreview; (p.wps ?? p.sim).userSelect('困难劳模帮扶', 'C10'); })()`);
    await page.getByTestId('selection-card').filter({ hasText: '困难劳模帮扶!C10' }).waitFor();
    await page.getByTestId('btn-fill').click();
    await expect(page.getByTestId('fill-scope').getAttribute('data-scope')).resolves.toBe('table');
    const groups = () => page.getByTestId('fill-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-sheet')));
    await expect(groups()).resolves.toEqual(['困难劳模帮扶']);
    await shot(page, `steer-${host}-05-fill-table`);
    await page.getByTestId('btn-fill-all').click();
    await expect(groups()).resolves.toHaveLength(5);
    await page.getByTestId('btn-fill-table').click();
    await expect(groups()).resolves.toEqual(['困难劳模帮扶']);
    const chosen = await page.locator('[data-testid="edit-row"][data-chosen="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-cell')));
    expect(chosen.length).toBeGreaterThan(0);
    expect(chosen.every((c) => c!.startsWith('困难劳模帮扶!'))).toBe(true);
    const before = await sim<string>(page, 'sim.cell("劳模体检", "H19").value');
    await page.getByTestId('btn-accept').click();
    await page.getByTestId('msg-success').waitFor();
    await idle(page);
    await expect(page.getByTestId('msg-success').textContent()).resolves.toContain(`已回填 ${chosen.length} 个单元格`);
    expect(await sim<string>(page, 'sim.cell("劳模体检", "H19").value')).toBe(before); // another table: untouched
    // The success message goes at the next action.
    await page.getByTestId('btn-next').click();
    await page.getByTestId('msg-success').waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await context.close();
  });

  test('export where a download does nothing (Excel for Mac): the clipboard, and 写入工作表 when that fails too', async () => {
    const { page, context, errors } = await openPane(host, '&download=0');
    await page.getByTestId('btn-more').click();
    await page.getByTestId('btn-csv').click();
    await page.getByTestId('msg-success').waitFor();
    await expect(page.getByTestId('msg-success').textContent()).resolves.toContain('已改为把 7 条问题连同表头复制到剪贴板');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied.split('\r\n')[0]).toBe('工作表\t单元格\t表格\t级别\t规则\t说明\t复核');
    expect(copied.split('\r\n')).toHaveLength(8);
    await shot(page, `steer-${host}-06-export-clipboard`);
    await context.close();

    // Neither a download nor the clipboard: a clear message and 写入工作表.
    const blocked = await openPane(host, '&download=0', () => {
      Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } });
      document.execCommand = () => false;
    });
    const p = blocked.page;
    await p.getByTestId('btn-more').click();
    await p.getByTestId('btn-csv').click();
    await p.getByTestId('msg-warning').waitFor();
    await expect(p.getByTestId('msg-warning').textContent()).resolves.toContain('既不能下载文件，也无法使用剪贴板');
    await shot(p, `steer-${host}-07-export-neither`);
    await p.getByTestId('btn-write-sheet').click();
    await p.getByTestId('msg-success').waitFor();
    await idle(p);
    await expect(p.getByTestId('msg-success').textContent()).resolves.toContain('已把问题清单写入工作表「绩效自评报告」');
    await expect(p.getByTestId('sheet-tab').filter({ hasText: '绩效自评报告' }).count()).resolves.toBe(1);
    expect([...errors, ...blocked.errors]).toEqual([]);
    await blocked.context.close();
  });
});
