/**
 * 「新建表格」 and 「转为自评表」 in real Chromium at a 320 px pane (issue #9's acceptance): a 自评表 from the
 * template, filled by typing in the grid, scored in the pane; the 2024 fixture's six 目标表 converted into six
 * 自评表 sheets. Screenshots: test-artifacts/newform-*.png.
 */
import * as os from 'os';
import * as path from 'path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { launch, previewUrl, shot } from './browser';

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const FIXTURE_2024 = path.resolve(__dirname, '..', 'fixtures', '石家庄市总工会_2024_项目绩效目标表.xlsx');
const SELF = '项目支出绩效自评表';

const card = (sheet: string) => page.locator(`[data-testid="table-card"][data-sheet="${sheet}"]`);
const gridCell = (addr: string) => page.locator(`[data-testid="grid"] td[data-addr="${addr}"]`);
const sim = <T,>(fn: string) => page.evaluate(`(() => { const sim = window.perfsheetPreview.sim; return ${fn}; })()`) as Promise<T>;

async function idle(): Promise<void> {
  await page.getByTestId('progress').waitFor({ state: 'detached' });
}

async function type(addr: string, text: string): Promise<void> {
  await gridCell(addr).dblclick();
  await page.getByTestId('cell-editor').fill(text);
  await page.getByTestId('cell-editor').press('Enter');
}

beforeAll(async () => {
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${previewUrl()}?pane=320`);
  await page.getByTestId('table-card').first().waitFor();
  await idle();
});

afterAll(async () => {
  await browser?.close();
});

test('新建表格 on an empty workbook: a 自评表 on a new sheet; typing a 一级 and an actual value gives the score', async () => {
  const file = path.join(os.tmpdir(), `perfsheet-newform-empty-${process.pid}.xlsx`);
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Sheet1').getCell('A1').value = '备忘';
  await wb.xlsx.writeFile(file);
  await page.getByTestId('file-input').setInputFiles(file);
  await page.getByTestId('msg-info').waitFor();
  await expect(page.getByTestId('msg-info').textContent()).resolves.toContain('新建表格');
  await page.getByTestId('btn-new-empty').click();
  await page.getByTestId('new-form').waitFor();
  await expect(page.getByTestId('new-form-rows').inputValue()).resolves.toBe('8');
  const overflow = await page.getByTestId('pane-frame').evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, 'newform-01-panel');

  await sim('sim.resetCounters()');
  await page.getByTestId('btn-new-create').click();
  await page.getByTestId('msg-success').waitFor();
  await idle();
  await card(SELF).waitFor();
  await expect(page.getByTestId('msg-success').textContent()).resolves.toContain(`已新建工作表「${SELF}」`);
  expect(await sim<string[]>('sim.sheetNames()')).toEqual(expect.arrayContaining(['Sheet1', SELF]));
  expect(await sim<string>('sim.cell("Sheet1", "A1").value')).toBe('备忘');
  // The form's sheet is the active one in the grid; the dropdown cells are there.
  await page.locator(`[data-testid="grid"][data-sheet="${SELF}"]`).waitFor();
  await expect(gridCell('B12').textContent()).resolves.toBe('一级指标');
  await shot(page, 'newform-02-created');

  // The 一级 column carries Excel's list validation on the add-in's defined name (the dropdown in Excel).
  const dv = await sim<Record<string, { type: string; formulae: string[] }>>(
    `sim.model.sheets.find((s) => s.ws.name === ${JSON.stringify(SELF)}).ws.dataValidations.model`,
  );
  const level1 = Object.entries(dv).find(([k]) => k.split(':')[0] === 'B13');
  expect(level1?.[1].type).toBe('list');
  expect(level1?.[1].formulae.join()).toContain('PerfSheet_L1');

  // Row 13: the 一级 from its dropdown list, then 二级, 三级, 年度指标值 and the actual value.
  await type('B13', '产出指标');
  await type('C13', '数量指标');
  await type('D13', '培训人数');
  await type('E13', '≥100人');
  await type('F13', '120人');
  await page.waitForFunction(
    (s) => {
      const row = [...document.querySelectorAll(`[data-testid="table-card"][data-sheet="${s}"] [data-testid="indicator"]`)].find((r) =>
        r.textContent?.includes('培训人数'),
      );
      return row?.querySelector('[data-testid="indicator-score"]')?.textContent === '12.50';
    },
    SELF,
  );
  await card(SELF).getByTestId('indicators').locator('summary').click();
  const row = card(SELF).getByTestId('indicator').filter({ hasText: '培训人数' });
  await expect(row.textContent()).resolves.toContain('≥100人 → 120人');
  await row.scrollIntoViewIfNeeded();
  await shot(page, 'newform-03-scored');
  expect(pageErrors).toEqual([]);
});

test('转为自评表: the 2024 fixture’s six targets become six 自评表 sheets and six self-eval cards', async () => {
  await page.getByTestId('file-input').setInputFiles(FIXTURE_2024);
  await page.waitForFunction(() => document.querySelector('[data-testid="file-name"]')?.textContent?.includes('2024'));
  await idle();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="table-card"]').length === 6);
  const sheetsBefore = await sim<string[]>('sim.sheetNames()');

  await page.getByTestId('btn-more').click();
  await page.getByTestId('btn-to-self-eval').waitFor();
  await expect(page.getByTestId('btn-new-form').isEnabled()).resolves.toBe(true);
  await page.waitForTimeout(400); // the menu's fade-in
  await shot(page, 'newform-04a-menu');
  await page.getByTestId('btn-to-self-eval').click();
  await page.getByTestId('convert').waitFor();
  const boxes = page.getByTestId('convert-table'); // Fluent puts the test id on the checkbox input
  await expect(boxes.count()).resolves.toBe(6);
  for (let i = 0; i < 6; i++) await expect(boxes.nth(i).isChecked()).resolves.toBe(true);
  await expect(page.getByTestId('btn-convert').textContent()).resolves.toBe('生成 6 张自评表');
  const overflow = await page.getByTestId('pane-frame').evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, 'newform-04-convert-panel');

  await page.getByTestId('btn-convert').click();
  await page.getByTestId('msg-success').waitFor();
  await idle();
  await expect(page.getByTestId('msg-success').textContent()).resolves.toContain('已生成 6 张自评表');
  const after = await sim<string[]>('sim.sheetNames()');
  const added = after.filter((n) => !sheetsBefore.includes(n));
  // Six 自评表 sheets and the add-in's list sheet of the dropdowns.
  expect(added).toHaveLength(7);
  const tabs = await page.getByTestId('sheet-tab').allTextContents();
  for (const n of added) expect(tabs).toContain(n);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="table-card"]').length === 12);
  const selfCards = page.getByTestId('table-card').filter({ hasText: '绩效自评表' });
  await expect(selfCards.count()).resolves.toBe(6);
  const selfSheets = await selfCards.evaluateAll((els) => els.map((e) => e.getAttribute('data-sheet')));
  expect(new Set(selfSheets).size).toBe(6);
  for (const s of selfSheets) expect(added).toContain(s);
  await page.getByTestId('pane-frame').evaluate((el) => el.scrollTo(0, 0));
  await shot(page, 'newform-05-converted');
  // The last converted table's card, its indicators open: the targets came over with 分值 from the profile.
  const last = selfCards.nth(5);
  await last.getByTestId('indicators').locator('summary').click();
  await expect(last.getByTestId('indicator').count()).resolves.toBeGreaterThan(0);
  await last.scrollIntoViewIfNeeded();
  await shot(page, 'newform-06-self-eval-card');
  expect(pageErrors).toEqual([]);
});
