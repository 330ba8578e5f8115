/**
 * Forms published in other provinces, opened in the browser preview as a finance officer would: the pane
 * names every table as its form does (never 「未命名」 where the form has a title or 项目名称) and shows the
 * scores the engine computes. Screenshots: test-artifacts/corpus-*.png.
 */
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launch, previewUrl, shot } from './browser';

let browser: Browser;
let page: Page;
const CORPUS = path.resolve(__dirname, '..', 'corpus');

beforeAll(async () => {
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await context.newPage();
  await page.goto(`${previewUrl()}?pane=320`);
  await page.getByTestId('table-card').first().waitFor();
});

afterAll(async () => {
  await browser?.close();
});

/** Opens a workbook with the preview's file picker; resolves with the table names once `first` is shown. */
async function open(file: string, first: string): Promise<string[]> {
  await page.getByTestId('file-input').setInputFiles(path.join(CORPUS, file));
  await page.getByTestId('table-name').filter({ hasText: first }).first().waitFor();
  await page.getByTestId('progress').waitFor({ state: 'detached' });
  return page.getByTestId('table-name').allTextContents();
}

test('Yunnan 公开14表 (split 指标性质 | 指标值 | 度量单位, amounts in 元): its project name and 总分 99.80', async () => {
  const names = await open('selfeval/云南临沧永德县明朗中学_2022_项目支出绩效自评表.xlsx', '义务教育营养改善计划专项资金');
  expect(names.map((n) => n.trim())).toEqual(['义务教育营养改善计划专项资金']);
  await expect(page.getByTestId('table-card').first().textContent()).resolves.toContain('99.80');
  await shot(page, 'corpus-yunnan-selfeval');
});

test('Sichuan flat export: two projects under one header, each with its own name', async () => {
  const names = await open('target/四川乐山井研县马踏镇_2023_部门预算项目绩效目标申报表.xlsx', '村组干部报酬');
  expect(names.map((n) => n.trim())).toEqual(['村组干部报酬', '基层组织活动经费']);
  expect(names.join('')).not.toContain('未命名');
  await shot(page, 'corpus-sichuan-flat');
});
