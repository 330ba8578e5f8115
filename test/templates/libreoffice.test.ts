/**
 * A second, independent reader for issue #9's files: a new template, the 目标表 → 自评表 conversion and the
 * reviewer's summary are opened by LibreOffice, converted to PDF, and their pages and text checked; the pages
 * are also rendered to PNG (test-artifacts/templates/) for a person to look at.
 *
 * Skips, with a message, only when LibreOffice (`soffice`) is not installed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkFiles, summaryWorkbook } from '../../src/cli/summary';
import { analyzeWorkbook } from '../../src/domain/engine';
import { buildTemplateSpec, selfEvalsFromTargets } from '../../src/domain/templates';
import { readWorkbookBytes } from '../../src/xlsx/read';
import { renderTemplatesToExcelJS, templatesToXlsx } from '../../src/xlsx/template';
import ExcelJS from 'exceljs';
import { BUILTIN_PROFILES, findLevel1 } from '../../src/domain/profiles';

const hasSoffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status === 0;
const hasPoppler = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).status === 0;
if (!hasSoffice || !hasPoppler) {
  console.warn('LibreOffice (soffice) 或 pdftotext 未安装：跳过模板与汇总的 PDF 转换测试。');
}
const maybe = hasSoffice && hasPoppler ? describe : describe.skip;

const FIX = path.join(__dirname, '..', 'fixtures');
const TARGET = path.join(FIX, '石家庄市总工会_2024_项目绩效目标表.xlsx');
const SELF = path.join(FIX, '石家庄市总工会_2025_绩效自评表.xlsx');
const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'templates');

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

const squash = (s: string) => s.replace(/\s+/g, '');

/**
 * Whether `s` is in `text` as a wrapped cell prints it: its characters in order, the lines of neighbouring
 * cells printed between its own (pdftotext reads a page line by line), within a short window.
 */
function containsWrapped(text: string, s: string): boolean {
  const want = squash(s);
  for (let i = text.indexOf(want[0]); i >= 0; i = text.indexOf(want[0], i + 1)) {
    let k = 0;
    for (let j = i; j < text.length && j - i < want.length + 200 && k < want.length; j++) if (text[j] === want[k]) k++;
    if (k === want.length) return true;
  }
  return false;
}

maybe('issue #9 files opened by LibreOffice', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-templates-'));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function toPdf(name: string, bytes: Uint8Array): string[] {
    const xlsx = path.join(dir, `${name}.xlsx`);
    fs.writeFileSync(xlsx, bytes);
    run('soffice', [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, xlsx]);
    const pdf = xlsx.replace(/\.xlsx$/, '.pdf');
    spawnSync('pdftoppm', ['-png', '-r', '80', pdf, path.join(ARTIFACTS, name)]);
    const pages = run('pdftotext', ['-layout', pdf, '-']).split('\f');
    if (pages[pages.length - 1].trim() === '') pages.pop();
    return pages.map(squash);
  }

  it('a new 项目支出绩效自评表 prints on one A4 page with every block of the official form', async () => {
    const pages = toPdf('new-self-eval', await templatesToXlsx([buildTemplateSpec({ kind: 'self-eval', year: 2025 })]));
    expect(pages).toHaveLength(1);
    for (const s of ['项目支出绩效自评表', '（2025年度）', '项目名称', '主管部门', '实施单位', '项目资金（万元）', '年初预算数', '全年预算数', '全年执行数', '执行率', '年度总体目标', '预期目标', '实际完成情况', '一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '偏差原因分析及改进措施', '产出指标', '数量指标', '服务对象满意度指标', '总分', '100.00', '第1页，共1页']) {
      expect(pages[0]).toContain(s);
    }
    // The hidden list sheet is not printed.
    expect(pages[0]).not.toContain('生态环境成本指标');
  });

  it('LibreOffice resolves each row’s 二级 dropdown source to its 一级’s standard list', async () => {
    const spec = buildTemplateSpec({ kind: 'self-eval', rows: 8, year: 2025 });
    const wb = new ExcelJS.Workbook();
    renderTemplatesToExcelJS(wb, [spec]);
    const ws = wb.getWorksheet(spec.sheetName)!;
    const { firstIndicatorRow: r0, lastIndicatorRow: r1, cols } = spec.layout;
    const l2 = spec.validations.find((v) => v.type === 'list' && v.range.c0 === cols.level2)!;
    const source = l2.type === 'list' ? l2.source : '';
    // The validation's own formula, moved to each row, evaluated beside the form: its size and first entry.
    for (let r = r0; r <= r1; r++) {
      const f = source.replace(`$B${r0 + 1}`, `$B${r + 1}`);
      ws.getCell(r + 1, 12).value = { formula: `ROWS(${f})` } as ExcelJS.CellFormulaValue;
      ws.getCell(r + 1, 13).value = { formula: `INDEX(${f},1)` } as ExcelJS.CellFormulaValue;
    }
    const xlsx = path.join(dir, 'dropdowns.xlsx');
    fs.writeFileSync(xlsx, new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    run('soffice', [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', '--outdir', dir, xlsx]);
    const csv = fs.readdirSync(dir).find((f) => f.startsWith('dropdowns') && f.endsWith('.csv') && f.includes(spec.sheetName))!;
    const lines = fs.readFileSync(path.join(dir, csv), 'utf8').split(/\r?\n/);
    for (let r = r0; r <= r1; r++) {
      const cells = lines[r].split(',');
      const l1 = findLevel1(BUILTIN_PROFILES.central, cells[cols.level1])!;
      expect([cells[11], cells[12]]).toEqual([String(l1.level2.length), l1.level2[0]]);
    }
  });

  it('a new 项目支出绩效目标表 prints on one page', async () => {
    const pages = toPdf('new-target', await templatesToXlsx([buildTemplateSpec({ kind: 'target', year: 2025 })]));
    expect(pages).toHaveLength(1);
    for (const s of ['项目支出绩效目标表', '项目编码', '预算规模及资金用途', '资金支出计划', '3月底', '12月底', '绩效目标', '绩效指标描述', '指标值确定依据']) {
      expect(pages[0]).toContain(s);
    }
  });

  it('the six converted 自评表 print one per page with their projects and targets', async () => {
    const src = analyzeWorkbook(await readWorkbookBytes(fs.readFileSync(TARGET), path.basename(TARGET)));
    const specs = selfEvalsFromTargets(src.tables);
    const pages = toPdf('converted-2024', await templatesToXlsx(specs));
    expect(pages).toHaveLength(6);
    src.tables.forEach((t, i) => {
      expect(containsWrapped(pages[i], t.name)).toBe(true);
      for (const x of t.indicators) expect([x.target, containsWrapped(pages[i], x.target)]).toEqual([x.target, true]);
    });
  });

  it('the summary of the fixtures lists every table and every finding', async () => {
    const outcomes = await checkFiles([SELF, TARGET], 'central');
    const text = toPdf('summary', await summaryWorkbook(outcomes)).join('');
    const tables = outcomes.flatMap((o) => o.result!.tables);
    for (const t of tables) expect([t.name, containsWrapped(text, t.name)]).toEqual([t.name, true]);
    for (const f of tables.flatMap((t) => t.findings)) expect(text).toContain(`${f.code}`);
    for (const s of ['文件', '最严重的问题', '问题说明', '99.80', '95.24%']) expect(text).toContain(s);
  });
});
