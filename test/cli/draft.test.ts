/**
 * `perfsheet draft <file.xlsx> -o 自评报告.docx [--sheet out.xlsx]` (issue #20), in-process and through the bin:
 * the Word document has Word's own heading styles with Chinese numbering, a table per indicator table, every
 * paragraph of the draft and every figure; the input is never written; usage and unusable input exit 2.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'fs';
import JSZip from 'jszip';
import os from 'os';
import path from 'path';
import { allRuns, buildDraft, DraftDoc, runsText, walkSections } from '../../src/domain/draft';
import { analyzeWorkbook } from '../../src/domain/engine';
import { readWorkbookBytes } from '../../src/xlsx/read';
import { runCli } from '../support/cli';

const ROOT = path.join(__dirname, '..', '..');
const FIX = path.join(ROOT, 'test', 'fixtures');
const SELF = path.join(FIX, '石家庄市总工会_2025_绩效自评表.xlsx');
const TARGET = path.join(FIX, '石家庄市总工会_2024_项目绩效目标表.xlsx');

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'perfsheet-draft-'));

/** The text of each <w:p> of a WordprocessingML part, and the style each names. */
function paragraphs(xml: string): { style: string | null; text: string; numbered: boolean }[] {
  const out: { style: string | null; text: string; numbered: boolean }[] = [];
  for (const m of xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)) {
    const p = m[0];
    const style = /<w:pStyle w:val="([^"]+)"/.exec(p)?.[1] ?? null;
    const text = [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('');
    out.push({
      style,
      text: text
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"'),
      numbered: p.includes('<w:numPr>'),
    });
  }
  return out;
}

async function draftOf(file: string): Promise<DraftDoc> {
  const r = analyzeWorkbook(await readWorkbookBytes(readFileSync(file), path.basename(file)), { profile: 'central' });
  return buildDraft(r, { date: new Date().toISOString().slice(0, 10), fileName: path.basename(file) });
}

describe('perfsheet draft', () => {
  it('writes a .docx with Word headings, Chinese numbering, the indicator tables and every paragraph and figure', async () => {
    const dir = tmp();
    const o = path.join(dir, '自评报告.docx');
    const before = statSync(SELF).mtimeMs;
    const res = await runCli(['draft', SELF, '-o', o]);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const doc = await draftOf(SELF);
    const prompts = allRuns(doc).filter((r) => r.t === 'prompt').length;
    expect(res.out).toBe(`已生成 ${o}：${doc.title}（草稿），${prompts} 处“请填写”待补写。\n`);
    expect(statSync(SELF).mtimeMs).toBe(before);

    const zip = await JSZip.loadAsync(readFileSync(o));
    const xml = await zip.file('word/document.xml')!.async('string');
    const numbering = await zip.file('word/numbering.xml')!.async('string');
    const styles = await zip.file('word/styles.xml')!.async('string');
    const ps = paragraphs(xml);

    // Headings: Word's Heading1–3 styles, numbered by Word (一、 （一） 1.), the number not typed into the text.
    const sections = doc.parts.flatMap((p) => walkSections(p.sections));
    const headings = ps.filter((p) => /^Heading[123]$/.test(p.style ?? ''));
    expect(headings.map((h) => [h.style, h.text])).toEqual(sections.map((s) => [`Heading${s.level}`, s.title]));
    expect(headings.every((h) => h.numbered)).toBe(true);
    expect(ps.find((p) => p.style === 'Title')?.text).toBe(`${doc.title}（草稿）`);
    expect(numbering).toContain('w:val="chineseCounting"');
    expect(numbering).toContain('w:val="%1、"');
    expect(numbering).toContain('w:val="（%2）"');
    for (const id of ['Heading1', 'Heading2', 'Heading3', 'Title']) expect(styles).toContain(`w:styleId="${id}"`);

    // Every paragraph of the draft, as it is; every table, with its header row repeated on each page.
    const texts = new Set(ps.map((p) => p.text));
    for (const s of sections) {
      for (const b of s.blocks) {
        if (b.type === 'paragraph') expect(texts).toContain(runsText(b.runs));
      }
    }
    const tables = sections.flatMap((s) => s.blocks.filter((b) => b.type === 'table'));
    expect((xml.match(/<w:tbl>/g) ?? []).length).toBe(tables.length);
    expect((xml.match(/<w:tblHeader\/>|<w:tblHeader w:val="true"\/>/g) ?? []).length).toBe(tables.length);
    for (const t of tables) {
      for (const row of t.rows) for (const c of row) if (c && c.length) expect(texts).toContain(runsText(c));
    }
    // Every figure is in the document as written.
    const all = ps.map((p) => p.text).join('\n');
    for (const f of allRuns(doc)) if (f.t === 'figure') expect(all).toContain(f.text);
    // A4 portrait.
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
  });

  it('with --sheet, also writes the workbook copy with the draft sheet, which the checker then flags', async () => {
    const dir = tmp();
    const o = path.join(dir, 'r.docx');
    const x = path.join(dir, 'r.xlsx');
    const res = await runCli(['draft', SELF, '-o', o, '--sheet', x]);
    expect(res.code).toBe(0);
    expect(res.out).toContain(`已生成 ${x}`);
    const check = await runCli(['check', x]);
    expect(check.code).toBe(0);
    expect(check.out).toContain('警告 D01 绩效自评报告（草稿）!A');
  });

  it.each([
    [['draft', SELF], '请用 -o 指定输出的 Word 文件'],
    [['draft', SELF, '-o', 'x.doc'], '输出文件须以 .docx 结尾'],
    [['draft', '-o', 'x.docx'], '请指定自评表文件'],
    [['draft', SELF, '-o', 'x.docx', '--sheet', 'x.csv'], '--sheet 的输出文件须以 .xlsx 结尾'],
    [['draft', SELF, '-o', 'x.docx', '--profile', 'xx'], '--profile 只能是 central 或 hebei'],
  ])('usage: %j exits 2 with a Chinese reason and the usage', async (args, says) => {
    const res = await runCli(args as string[]);
    expect(res.code).toBe(2);
    expect(res.err).toContain(says);
    expect(res.err).toContain('用法：perfsheet draft');
  });

  it('refuses a workbook without a 自评表, and a missing file, with exit 2 and writes nothing', async () => {
    const dir = tmp();
    const o = path.join(dir, 't.docx');
    const res = await runCli(['draft', TARGET, '-o', o]);
    expect(res.code).toBe(2);
    expect(res.err).toContain('无法生成自评报告草稿');
    expect(existsSync(o)).toBe(false);
    const missing = await runCli(['draft', path.join(dir, 'none.xlsx'), '-o', o]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('文件不存在');
  });

  it('is listed in the help of check, and runs through the bin (the compiled CLI resolves docx)', () => {
    const dir = tmp();
    const o = path.join(dir, 'bin.docx');
    const p = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'perfsheet.js'), 'draft', SELF, '-o', o], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(p.stderr).toBe('');
    expect(p.status).toBe(0);
    expect(readFileSync(o).subarray(0, 2).toString()).toBe('PK');
    const help = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'perfsheet.js'), 'check', '--help'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(help.stderr).toContain('perfsheet draft <文件.xlsx> -o 自评报告.docx');
  });
});
