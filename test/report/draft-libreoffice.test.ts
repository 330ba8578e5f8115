/**
 * The 2025 fixture's 自评报告 draft opened by LibreOffice, a reader independent of the `docx` package and of
 * ExcelJS: the .docx (Writer) and the workbook with the draft sheet (Calc) are converted to PDF; the pages are
 * A4 portrait, Word's numbering comes out as 一、/（一）, and the text holds the draft's paragraphs and figures. The
 * pages are also rendered to PNG (test-artifacts/draft/) for a person to look at.
 *
 * Skips, with a message, only when LibreOffice (`soffice`) or its Writer is not installed; CI installs both.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { draftToDocx } from '../../src/cli/docx';
import { allRuns, buildDraft, DraftDoc, runsText, walkSections } from '../../src/domain/draft';
import { addDraftToXlsx } from '../../src/xlsx/draft';
import { fixtureResult, SELF_EVAL_FIXTURE } from './helpers';

const hasSoffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status === 0;
const hasWriter = hasSoffice && fs.existsSync('/usr/lib/libreoffice/program/libswlo.so');
const hasPoppler = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).status === 0;
if (!hasWriter) {
  console.warn(
    'LibreOffice Writer 未安装：跳过自评报告草稿的 PDF 转换测试。CI 会安装它（apt-get install libreoffice-writer）。',
  );
}
const maybe = hasWriter && hasPoppler ? describe : describe.skip;

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'draft');

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

function toPdf(file: string, dir: string): { pdf: string; pages: string[]; sizes: string[] } {
  run('soffice', [
    `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`,
    '--headless',
    '--convert-to',
    'pdf',
    '--outdir',
    dir,
    file,
  ]);
  const pdf = file.replace(/\.(docx|xlsx)$/, '.pdf');
  expect(fs.existsSync(pdf)).toBe(true);
  const pages = run('pdftotext', ['-layout', pdf, '-']).split('\f');
  if (pages[pages.length - 1].trim() === '') pages.pop();
  const sizes = [
    ...run('pdfinfo', ['-f', '1', '-l', String(pages.length), pdf]).matchAll(/Page\s+\d+ size:\s+([\d.]+ x [\d.]+)/g),
  ].map((m) => m[1]);
  return { pdf, pages, sizes };
}

const squash = (s: string) => s.replace(/\s+/g, '');

maybe('the 2025 draft opened by LibreOffice', () => {
  let dir: string;
  let doc: DraftDoc;
  beforeAll(async () => {
    const { result } = await fixtureResult(SELF_EVAL_FIXTURE);
    doc = buildDraft(result, { date: '2026-12-08', fileName: path.basename(SELF_EVAL_FIXTURE) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-draft-'));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    for (const f of fs.readdirSync(ARTIFACTS)) if (f.endsWith('.png')) fs.rmSync(path.join(ARTIFACTS, f));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the Word document: A4 portrait pages, Chinese numbering, every paragraph and figure', async () => {
    const file = path.join(dir, 'draft-2025.docx');
    fs.writeFileSync(file, await draftToDocx(doc));
    const { pdf, pages, sizes } = toPdf(file, dir);
    expect(pages.length).toBeGreaterThan(3);
    // A4 portrait: 595 × 842 points.
    for (const s of sizes) expect(s).toMatch(/^595\.\d+ x 841\.\d+|^595\.\d+ x 842(\.\d+)?$/);
    const text = squash(pages.join(''));
    const sections = doc.parts.flatMap((p) => walkSections(p.sections));
    // Word's list numbering is rendered by LibreOffice: 一、部门基本情况, （一）部门概况.
    for (const s of sections.filter((x) => x.level < 3)) expect(text).toContain(squash(`${s.number}${s.title}`));
    for (const s of sections) {
      for (const b of s.blocks) if (b.type === 'paragraph') expect(text).toContain(squash(runsText(b.runs)));
    }
    for (const f of allRuns(doc)) if (f.t === 'figure') expect(text).toContain(f.text);
    expect(pages[0]).toContain('第 1 页，共');
    run('pdftoppm', ['-png', '-r', '60', pdf, path.join(ARTIFACTS, 'docx')]);
  });

  it('a 项目支出 draft of several projects: Word numbering restarts at 一、 for each project', async () => {
    const { result } = await fixtureResult(SELF_EVAL_FIXTURE);
    // The same workbook without its 部门整体 table: one 项目支出 outline per project.
    const projects = { ...result, tables: result.tables.filter((t) => t.kind === 'self-eval') };
    const d = buildDraft(projects, { date: '2026-12-08' });
    expect(d.parts.length).toBe(4);
    const file = path.join(dir, 'draft-projects.docx');
    fs.writeFileSync(file, await draftToDocx(d));
    const text = squash(toPdf(file, dir).pages.join(''));
    expect(text.split('一、项目支出概况').length - 1).toBe(d.parts.length);
    expect(text.split('六、有关建议').length - 1).toBe(d.parts.length);
    expect(text).not.toContain('七、');
  });

  it('the draft sheet: A4 portrait pages after the forms, with the same paragraphs', async () => {
    const { bytes, result } = await fixtureResult(SELF_EVAL_FIXTURE);
    const file = path.join(dir, 'draft-2025.xlsx');
    fs.writeFileSync(
      file,
      await addDraftToXlsx(bytes, result, { date: '2026-12-08', fileName: path.basename(SELF_EVAL_FIXTURE) }),
    );
    const { pdf, pages, sizes } = toPdf(file, dir);
    const first = pages.findIndex((p) => p.includes('绩效自评报告（草稿）'));
    expect(first).toBeGreaterThan(0);
    const draftPages = pages.slice(first);
    for (const s of sizes.slice(first)) expect(s).toMatch(/^595\.\d+ x 84[12](\.\d+)?$/);
    const text = squash(draftPages.join(''));
    for (const s of doc.parts.flatMap((p) => walkSections(p.sections))) {
      expect(text).toContain(squash(`${s.number}${s.title}`));
      for (const b of s.blocks) if (b.type === 'paragraph') expect(text).toContain(squash(runsText(b.runs)));
    }
    run('pdftoppm', ['-png', '-r', '60', '-f', String(first + 1), pdf, path.join(ARTIFACTS, 'sheet')]);
  });
});
