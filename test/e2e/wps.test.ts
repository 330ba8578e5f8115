/**
 * The main journey on the in-memory WPS 表格 host (`?host=wps`): the same pane, through the WPS adapter.
 * Check, click a finding (WPS selects the cell), 回填, a live re-check after the user types (WPS's SheetChange),
 * and the report — in real Chromium at 320 px. Screenshots go to test-artifacts/wps-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { launch, previewUrl, shot } from './browser';

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const card = (sheet: string) => page.locator(`[data-testid="table-card"][data-sheet="${sheet}"]`);
const gridCell = (addr: string) => page.locator(`[data-testid="grid"] td[data-addr="${addr}"]`);
const preview = <T,>(fn: string) => page.evaluate(`(() => { const p = window.perfsheetPreview; return ${fn}; })()`) as Promise<T>;

async function idle(): Promise<void> {
  await page.getByTestId('progress').waitFor({ state: 'detached' });
}

async function showSheet(name: string): Promise<void> {
  await page.getByTestId('sheet-tab').filter({ hasText: name }).click();
  await page.locator(`[data-testid="grid"][data-sheet="${name}"]`).waitFor();
}

beforeAll(async () => {
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
});

describe('the pane on the WPS host', () => {
  test('opening checks the workbook through WPS’s object model and writes nothing', async () => {
    await page.goto(`${previewUrl()}?host=wps&pane=320`);
    await page.getByTestId('table-card').first().waitFor();
    await idle();
    expect(await preview<string>('p.host')).toBe('wps');
    expect(await preview<string>('p.session.hostKind')).toBe('wps');
    await expect(page.getByTestId('host-switch').inputValue()).resolves.toBe('wps');
    await expect(page.getByTestId('table-card').count()).resolves.toBe(5);
    // The same summary as on the Excel host (test/e2e/addin.test.ts).
    await expect(page.getByTestId('summary').textContent()).resolves.toBe('共找到 5 张表：错误 0，警告 3，提示 4');
    await expect(card('劳模体检').getByTestId('total').textContent()).resolves.toBe('99.76');
    // Reading went through WPS calls, and the workbook was not written.
    expect(await preview<number>('p.wps.callCount')).toBeGreaterThan(0);
    expect(await preview<number>('p.wps.writeCount')).toBe(0);
    expect(await preview<number>('p.wps.handlerCount("SheetChange")')).toBe(1);
    await shot(page, 'wps-01-opened-320');
    expect(pageErrors).toEqual([]);
  });

  test('标记 adds WPS conditional formats; clicking a finding activates its sheet and selects its cell', async () => {
    await page.getByTestId('btn-mark').click();
    await page.getByTestId('msg-success').waitFor();
    await expect(page.getByTestId('msg-success').textContent()).resolves.toMatch(/已用条件格式标记 \d+ 处/);
    await card('劳模体检').locator('[data-testid="finding"][data-cell="劳模体检!I16"] button').first().click();
    await page.locator('[data-testid="grid"][data-sheet="劳模体检"]').waitFor();
    await gridCell('I16').and(page.locator('[data-selected="true"]')).waitFor();
    expect(await preview<{ sheet: string; address: string }>('p.sim.selection')).toEqual({ sheet: '劳模体检', address: 'I16' });
    await expect(gridCell('I16').getAttribute('data-mark')).resolves.toBe('warning');
    await expect(page.getByTestId('selection-card').locator('[data-testid="finding"]').first().getAttribute('data-code')).resolves.toBe('C07');
    await shot(page, 'wps-02-marked-finding-selected');
  });

  test('回填 writes the computed cells through WPS, then 撤销回填 puts them back', async () => {
    await page.getByTestId('btn-fill').click();
    await page.getByTestId('edits').waitFor();
    const groups = page.getByTestId('fill-group');
    for (let i = 0; i < (await groups.count()); i++) {
      const g = groups.nth(i);
      if ((await g.getAttribute('data-sheet')) !== '劳模体检') await g.getByTestId('fill-group-check').uncheck();
    }
    await page.getByTestId('btn-accept').click();
    await page.getByTestId('msg-success').waitFor();
    await expect(page.getByTestId('msg-success').textContent()).resolves.toMatch(/已回填 \d+ 个单元格/);
    await idle();
    await showSheet('劳模体检');
    await expect(gridCell('H19').textContent()).resolves.toBe('99.76');
    // PerfSheet's own writes raised no re-check (events off while writing).
    expect(await preview<number>('p.session.ignoredEvents')).toBe(0);
    await shot(page, 'wps-03-filled');
    await page.getByTestId('btn-revert-fill').click();
    await page.getByTestId('msg-success').waitFor();
    await idle();
    await expect(gridCell('H19').textContent()).resolves.toBe('');
  });

  test('typing in a cell re-checks its sheet (WPS SheetChange), writing nothing', async () => {
    await showSheet('劳模体检');
    const writes = await preview<number>('p.wps.writeCount');
    await gridCell('F16').dblclick();
    await page.getByTestId('cell-editor').fill('880元/人');
    await page.getByTestId('cell-editor').press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid="table-card"][data-sheet="劳模体检"] [data-testid="total"]')?.textContent === '100.00');
    await expect(page.getByTestId('live-stamp').textContent()).resolves.toContain('劳模体检');
    // Only the user's own typing changed the workbook.
    expect(await preview<number>('p.wps.writeCount')).toBe(writes);
    await shot(page, 'wps-04-live-recheck');
  });

  test('生成报告 writes the report sheet through WPS', async () => {
    await page.getByTestId('btn-report').click();
    await page.getByTestId('msg-success').waitFor();
    await expect(page.getByTestId('msg-success').textContent()).resolves.toContain('绩效自评报告');
    await idle();
    await expect(page.getByTestId('table-card').count()).resolves.toBe(5);
    await showSheet('绩效自评报告');
    await expect(gridCell('A1').textContent()).resolves.toBe('石家庄市总工会2025年度预算绩效自评结果');
    await shot(page, 'wps-05-report');
    expect(pageErrors).toEqual([]);
  });

  test('the host switch goes back to Excel with the same workbook and the same results', async () => {
    await page.getByTestId('host-switch').selectOption('excel');
    await page.waitForURL((u) => !u.search.includes('host=wps'));
    await page.getByTestId('table-card').first().waitFor();
    await idle();
    expect(await preview<string>('p.host')).toBe('excel');
    await expect(page.getByTestId('summary').textContent()).resolves.toBe('共找到 5 张表：错误 0，警告 3，提示 4');
    await expect(card('劳模体检').getByTestId('total').textContent()).resolves.toBe('99.76');
  });
});
