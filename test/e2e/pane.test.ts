/**
 * The task pane through an office day, in real Chromium at Excel's narrowest pane (320 px) on a 1366×768
 * screen: opening writes nothing, the pane follows the selection, 回填 one table then 撤销回填, a default
 * qualitative score is not written as the user's, 已复核 survives reopening the file, the 待填 list.
 * Screenshots go to test-artifacts/pane-*.png.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { launch, previewUrl, shot } from './browser';

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const card = (sheet: string) => page.locator(`[data-testid="table-card"][data-sheet="${sheet}"]`);
const gridCell = (addr: string) => page.locator(`[data-testid="grid"] td[data-addr="${addr}"]`);
const sim = <T,>(fn: string) => page.evaluate(`(() => { const sim = window.perfsheetPreview.sim; return ${fn}; })()`) as Promise<T>;

async function openPreview(): Promise<void> {
  await page.goto(`${previewUrl()}?pane=320`);
  await page.getByTestId('table-card').first().waitFor();
  await page.getByTestId('progress').waitFor({ state: 'detached' });
}

async function showSheet(name: string): Promise<void> {
  await page.getByTestId('sheet-tab').filter({ hasText: name }).click();
  await page.locator(`[data-testid="grid"][data-sheet="${name}"]`).waitFor();
}

async function idle(): Promise<void> {
  await page.getByTestId('progress').waitFor({ state: 'detached' });
}

beforeAll(async () => {
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
});

describe('the pane at 320 px', () => {
  test('a workbook without forms says what to do next', async () => {
    await page.goto(`${previewUrl()}?pane=320`);
    await page.getByTestId('table-card').first().waitFor();
    const file = path.join(os.tmpdir(), '空白工作簿.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').getCell('A1').value = '备忘';
    await wb.xlsx.writeFile(file);
    await page.getByTestId('file-input').setInputFiles(file);
    await page.getByTestId('msg-info').waitFor();
    await expect(page.getByTestId('msg-info').textContent()).resolves.toContain('没有找到绩效表');
    await expect(page.getByTestId('table-card').count()).resolves.toBe(0);
    expect(await sim<number>('sim.writeCount')).toBe(0);
    await shot(page, 'pane-00-empty-workbook');
  });

  test('opening writes nothing; the toolbar fits on one line and the first finding is in view', async () => {
    await openPreview();
    expect(await sim<number>('sim.writeCount')).toBe(0);
    expect(await sim<number>('sim.syncCount')).toBe(4); // read 3 + register the handlers 1
    const frame = await page.getByTestId('pane-frame').boundingBox();
    expect(Math.round(frame!.width)).toBe(321); // 320 px and the 1 px border the preview draws left of it
    const bar = await page.getByTestId('toolbar').boundingBox();
    const check = await page.getByTestId('btn-check').boundingBox();
    expect(bar!.height).toBeLessThan(check!.height * 1.5); // not wrapped
    expect(bar!.x + bar!.width).toBeLessThanOrEqual(frame!.x + frame!.width);
    const overflow = await page.getByTestId('pane-frame').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // In Excel at 1366×768 the pane is about 560 px tall below the ribbon: the first finding lies within it.
    const first = await page.getByTestId('finding').first().boundingBox();
    expect(first!.y + first!.height - frame!.y).toBeLessThan(560);
    await shot(page, 'pane-01-opened-320');
    expect(pageErrors).toEqual([]);
  });

  test('a live re-check after an edit writes nothing and keeps the user’s undo step', async () => {
    await showSheet('劳模体检');
    await sim('sim.resetCounters()');
    await gridCell('F16').dblclick();
    await page.getByTestId('cell-editor').fill('880元/人');
    await page.getByTestId('cell-editor').press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid="table-card"][data-sheet="劳模体检"] [data-testid="total"]')?.textContent === '100.00');
    expect(await sim<number>('sim.writeCount')).toBe(0);
    expect(await sim<string[]>('sim.undoStack.map((u) => u.by)')).toEqual(['user']);
    // Worst first: the tables with a warning, then the current sheet's (now only an info left) before the others.
    const cards = await page.getByTestId('table-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-sheet')));
    expect(cards.slice(0, 3)).toEqual(['困难劳模帮扶', '党组织活动经费', '劳模体检']);
    await expect(page.getByTestId('live-stamp').textContent()).resolves.toContain('劳模体检');
  });

  test('while the user types in a cell, a check waits for Enter instead of failing (delayForCellEdit)', async () => {
    await gridCell('F16').dblclick();
    await page.getByTestId('cell-editor').fill('900元/人');
    await page.evaluate(() => {
      const w = window as unknown as { checkDone?: string };
      w.checkDone = 'pending';
      void window.perfsheetPreview!.session.check().then(
        () => (w.checkDone = 'ok'),
        (e: { code?: string }) => (w.checkDone = `failed ${e.code}`),
      );
    });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { checkDone: string }).checkDone)).toBe('pending');
    await page.getByTestId('cell-editor').press('Enter');
    await page.waitForFunction(() => (window as unknown as { checkDone: string }).checkDone !== 'pending');
    expect(await page.evaluate(() => (window as unknown as { checkDone: string }).checkDone)).toBe('ok');
  });

  test('selecting a cell in the sheet shows its finding at the top of the pane', async () => {
    await openPreview();
    await showSheet('党组织活动经费');
    await gridCell('I17').click();
    const selCard = page.getByTestId('selection-card');
    await selCard.waitFor();
    await expect(selCard.textContent()).resolves.toContain('党组织活动经费!I17');
    await expect(selCard.locator('[data-testid="finding"]').first().getAttribute('data-code')).resolves.toBe('C07');
    // The rule code is labelled as a rule, apart from the cell.
    await expect(selCard.locator('[data-testid="finding-cell"]').first().textContent()).resolves.toBe('I17');
    await expect(selCard.textContent()).resolves.toContain('规则 C07');
    await shot(page, 'pane-02-selection');
  });

  test('filters say when nothing matches', async () => {
    await page.getByTestId('filter').getByRole('tab', { name: /^错误/ }).click();
    await page.getByTestId('no-match').waitFor();
    await expect(page.getByTestId('no-match').textContent()).resolves.toContain('没有符合「错误」筛选的问题');
    await page.getByTestId('filter').getByRole('tab', { name: /^全部/ }).click();
  });

  test('回填 one table: the default qualitative score stays a proposal; then 撤销回填 restores the cells', async () => {
    await page.getByTestId('btn-fill').click();
    await page.getByTestId('edits').waitFor();
    // The confirm button is at the top of the panel.
    const panel = await page.getByTestId('edits').boundingBox();
    const accept = await page.getByTestId('btn-accept').boundingBox();
    expect(accept!.y - panel!.y).toBeLessThan(40);
    const proposal = page.locator('[data-testid="edit-row"][data-cell="党组织活动经费!H17"]');
    await expect(proposal.getAttribute('data-proposal')).resolves.toBe('true');
    await expect(proposal.getAttribute('data-chosen')).resolves.toBeNull();
    await expect(proposal.textContent()).resolves.toContain('默认分');
    await proposal.scrollIntoViewIfNeeded();
    await shot(page, 'pane-03-fill-proposal');
    // Untick every table but 党组织活动经费.
    const groups = page.getByTestId('fill-group');
    for (let i = 0; i < (await groups.count()); i++) {
      const g = groups.nth(i);
      if ((await g.getAttribute('data-sheet')) !== '党组织活动经费') await g.getByTestId('fill-group-check').uncheck();
    }
    await sim('sim.resetCounters()');
    await page.getByTestId('btn-accept').click();
    await page.getByTestId('msg-success').waitFor();
    await idle();
    await expect(page.getByTestId('msg-success').textContent()).resolves.toMatch(/已回填 \d+ 个单元格/);
    expect(await sim<string>('sim.cell("党组织活动经费", "I6").value')).toBe(0.9524);
    expect(await sim<string>('sim.cell("劳模体检", "H19").value')).toBe('');
    // Not written as the user's score: H17 and the total that would carry it stay as they were.
    expect(await sim<number | string>('sim.cell("党组织活动经费", "H17").value')).not.toBe(21);
    expect(await sim<string>('sim.cell("党组织活动经费", "H19").value')).toBe('');
    await expect(card('党组织活动经费').locator('[data-testid="finding"][data-code="C11"]').count()).resolves.toBe(1);
    // …and the pane's total says it carries an unconfirmed default.
    await expect(card('党组织活动经费').getByTestId('total-proposal').textContent()).resolves.toContain('含 1 个待确认的默认分');
    await shot(page, 'pane-04-filled-one-table');

    await page.getByTestId('btn-revert-fill').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="msg-success"]')?.textContent?.includes('已恢复'));
    await idle();
    expect(await sim<string>('sim.cell("党组织活动经费", "I6").value')).toBe('');
    await expect(page.getByTestId('btn-revert-fill').count()).resolves.toBe(0);
    await shot(page, 'pane-05-reverted');
  });

  test('还有 N 项待填 lists the missing 偏差原因 and selects its row', async () => {
    const todo = page.getByTestId('todo');
    await expect(page.getByTestId('todo-summary').textContent()).resolves.toBe('还有 3 项待填');
    await page.getByTestId('todo-summary').click();
    const item = todo.locator('[data-testid="todo-item"][data-range="劳模体检!A16:J16"]');
    await expect(item.textContent()).resolves.toContain('偏差原因');
    await item.locator('button').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="namebox"]')?.textContent === 'A16');
    expect(await sim<{ sheet: string; address: string }>('sim.selection')).toEqual({ sheet: '劳模体检', address: 'A16:J16' });
    await shot(page, 'pane-06-todo');
  });

  test('已复核 with the reviewer’s name is kept in the workbook and survives reopening the file', async () => {
    await page.getByTestId('settings').locator('summary').click();
    await page.getByTestId('reviewer').fill('张会计');
    const c07 = card('劳模体检').locator('[data-testid="finding"][data-code="C07"]');
    await c07.getByTestId('btn-review').click();
    // Reviewed: out of the card and the counts, into the 已复核 list with who did it.
    const item = page.locator('[data-testid="reviewed-item"][data-cell="劳模体检!I16"]');
    await page.getByTestId('reviewed-summary').click();
    await expect(item.textContent()).resolves.toContain('张会计');
    await expect(c07.count()).resolves.toBe(0);
    await item.scrollIntoViewIfNeeded();
    await shot(page, 'pane-07-reviewed');
    // Save the workbook and open the saved file: a fresh host and pane read the review back.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('btn-download').click()]);
    const file = await download.path();
    const copy = path.join(os.tmpdir(), 'perfsheet-reviewed.xlsx');
    fs.copyFileSync(file!, copy);
    await page.getByTestId('file-input').setInputFiles(copy);
    await page.waitForFunction(() => document.querySelector('[data-testid="file-name"]')?.textContent?.includes('reviewed'));
    await idle();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="table-card"]').length === 5);
    await page.getByTestId('reviewed-summary').click();
    await expect(page.locator('[data-testid="reviewed-item"][data-cell="劳模体检!I16"]').textContent()).resolves.toContain('张会计');
    await expect(card('劳模体检').locator('[data-testid="finding"][data-code="C07"]').count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
