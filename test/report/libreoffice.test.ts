/**
 * A second, independent reader: the report written by the ExcelJS renderer (as `perfsheet check --report`
 * writes it) is opened by LibreOffice, converted to PDF, and its pages and text are checked; the report's
 * pages are also rendered to PNG (test-artifacts/report/) for a person to look at.
 *
 * Skips, with a message, only when LibreOffice (`soffice`) is not installed; CI installs it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { addReportToXlsx } from '../../src/xlsx/report';
import { fixtureResult, SELF_EVAL_FIXTURE, TARGET_FIXTURE } from './helpers';

const hasSoffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status === 0;
const hasPoppler = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).status === 0;
if (!hasSoffice) {
  console.warn('LibreOffice (soffice) 未安装：跳过报告的 PDF 转换测试。CI 会安装它（apt-get install libreoffice-calc）。');
}
const maybe = hasSoffice ? describe : describe.skip;

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'report');

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Converts an xlsx to PDF with a throw-away LibreOffice profile; returns the text of every page. */
function toPdf(xlsx: string, dir: string): { pdf: string; pages: string[] } {
  run('soffice', [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, xlsx]);
  const pdf = xlsx.replace(/\.xlsx$/, '.pdf');
  expect(fs.existsSync(pdf)).toBe(true);
  if (!hasPoppler) throw new Error('pdftotext (poppler-utils) is required next to soffice');
  const text = run('pdftotext', ['-layout', pdf, '-']);
  // pdftotext separates pages with form feeds.
  const pages = text.split('\f');
  if (pages[pages.length - 1].trim() === '') pages.pop();
  return { pdf, pages };
}

const squash = (s: string) => s.replace(/\s+/g, '');

maybe('the report opened by LibreOffice', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-report-'));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    for (const f of fs.readdirSync(ARTIFACTS)) if (f.endsWith('.png')) fs.rmSync(path.join(ARTIFACTS, f));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('self-evaluation: a summary page, then one page per table, with the figures and conclusions', async () => {
    const { bytes, result } = await fixtureResult(SELF_EVAL_FIXTURE);
    const out = await addReportToXlsx(bytes, result, { fileName: path.basename(SELF_EVAL_FIXTURE), date: '2026-11-21' });
    const xlsx = path.join(dir, 'report-2025.xlsx');
    fs.writeFileSync(xlsx, out);
    const { pdf, pages } = toPdf(xlsx, dir);

    // The original sheets come first; the report's pages carry its title (repeated on every page).
    const title = '石家庄市总工会2025年度预算绩效自评结果';
    const first = pages.findIndex((p) => squash(p).includes(title));
    expect(first).toBeGreaterThan(0);
    const report = pages.slice(first).map(squash);
    expect(report.every((p) => p.includes(title))).toBe(true);
    // Summary and issue list first (one page here; the fit-to-width scale depends on the machine's fonts,
    // so allow a second), then exactly one page per table, each with its 自评结论.
    const detail = report.filter((p) => p.includes('自评结论'));
    expect(detail).toHaveLength(result.tables.length);
    const summaryPages = report.length - detail.length;
    expect(summaryPages).toBeGreaterThanOrEqual(1);
    expect(summaryPages).toBeLessThanOrEqual(2);
    expect(report.slice(summaryPages)).toEqual(detail);

    const summary = report.slice(0, summaryPages).join('');
    for (const s of ['一、汇总表', '二、问题清单', '合计', '228.64', '228.61', '99.99%', '95.24%', '90.52', '劳模体检!I16', '评价标准：中央标准']) {
      expect(summary).toContain(squash(s));
    }
    const conclusions: Record<string, string[]> = {
      石家庄市总工会: ['该部门预算安排3905.14万元', '自评总分99.8分，评价等级为优。'],
      省部级以上劳模体检费: ['该项目预算安排6.64万元', '绩效指标得分89.76分，自评总分99.76分，评价等级为优。', '922元/人'],
      提前下达2025年困难职工及劳模帮扶救助专项资金: ['全部达到年度指标值', '自评总分100分'],
      市级困难劳模帮扶救助专项资金: ['自评总分99.6分'],
      党组织活动经费: ['预算执行率95.24%，得分9.52分', '自评总分90.52分'],
    };
    result.tables.forEach((t, i) => {
      const page = detail[i];
      expect(page).toContain('自评结论');
      expect(page).toContain(squash(t.name));
      for (const s of conclusions[t.name]) expect(page).toContain(squash(s));
    });

    // PNGs of the report's pages, to look at.
    const prefix = path.join(ARTIFACTS, 'self-eval');
    run('pdftoppm', ['-r', '80', '-png', '-f', String(first + 1), '-l', String(pages.length), pdf, prefix]);
    const pngs = fs.readdirSync(ARTIFACTS).filter((f) => f.startsWith('self-eval') && f.endsWith('.png'));
    expect(pngs.length).toBeGreaterThanOrEqual(report.length);
    for (const f of pngs) expect(fs.statSync(path.join(ARTIFACTS, f)).size).toBeGreaterThan(20_000);
  }, 180_000);

  it('target-only: 绩效目标审核 on one page with the funds, spending plan and issues', async () => {
    const { bytes, result } = await fixtureResult(TARGET_FIXTURE);
    const out = await addReportToXlsx(bytes, result, { fileName: path.basename(TARGET_FIXTURE), date: '2026-11-21' });
    const xlsx = path.join(dir, 'report-2024.xlsx');
    fs.writeFileSync(xlsx, out);
    const { pdf, pages } = toPdf(xlsx, dir);
    const first = pages.findIndex((p) => squash(p).includes('石家庄市总工会2024年度预算绩效目标审核结果'));
    expect(first).toBeGreaterThan(0);
    expect(pages.length - first).toBe(1);
    const page = squash(pages[first]);
    for (const s of ['一、目标表汇总', '资金支出计划', '3月底', '12月底', '433.00', '13010024P0060X2100707', '二、问题清单', 'F03', 'V03']) {
      expect(page).toContain(squash(s));
    }
    run('pdftoppm', ['-r', '80', '-png', '-f', String(first + 1), '-l', String(first + 1), pdf, path.join(ARTIFACTS, 'target')]);
  }, 180_000);
});
