/**
 * The crafted workbooks of issue #22 (test/support/crafted.ts): every encoding XML allows is read or refused in
 * Chinese, an .xlsb is named as such, backslash entry names work for check, fill and report alike, a broken
 * styles.xml is a Chinese message, comments and CDATA are never taken for elements, style tables are indexed
 * once, odd numbers are never blank or 26, nothing non-finite is written, and a user's own 「绩效自评报告」 is
 * never replaced.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { analyzeWorkbook } from '../../src/domain/engine';
import { fillXlsx } from '../../src/xlsx/fill';
import { EMPTY_NUMBER_TEXT } from '../../src/xlsx/grid-reader';
import { loadWorkbook, readWorkbookBytes } from '../../src/xlsx/read';
import { addReportToXlsx } from '../../src/xlsx/report';
import { runCli as run } from '../support/cli';
import { crafted, CraftedName, SELF_2025, SHEET_劳模体检 } from '../support/crafted';
import { cellValue, partsOf, sheetCells, stylesOnlyAppended } from './differ';

const original = () => new Uint8Array(readFileSync(SELF_2025));
const dir = mkdtempSync(path.join(os.tmpdir(), 'perfsheet-crafted-'));

/** The crafted file written to disk, for the CLI. */
async function onDisk(name: CraftedName): Promise<string> {
  const file = path.join(dir, `${name}.xlsx`);
  writeFileSync(file, await crafted[name]());
  return file;
}

async function tables(bytes: Uint8Array) {
  return analyzeWorkbook(await readWorkbookBytes(bytes, 'x.xlsx'), { profile: 'central' }).tables;
}

describe('encodings', () => {
  it('a UTF-16 sheet (LE, with mark) and sharedStrings (BE, without) read as the UTF-8 original', async () => {
    const bytes = await crafted.utf16();
    expect(await readWorkbookBytes(bytes, 'x.xlsx')).toEqual(await readWorkbookBytes(original(), 'x.xlsx'));
    expect((await tables(bytes)).map((t) => t.totalScore)).toEqual((await tables(original())).map((t) => t.totalScore));
  });

  it('a UTF-16 part written by --fill stays UTF-16, the UTF-8 ones UTF-8', async () => {
    const bytes = await crafted.utf16();
    const out = await fillXlsx(
      bytes,
      (await tables(bytes)).flatMap((t) => t.edits),
      'x.xlsx',
    );
    const parts = await partsOf(out.bytes);
    const sheet = parts.get(SHEET_劳模体检)!;
    expect([sheet[0], sheet[1]]).toEqual([0xff, 0xfe]);
    const cells = sheetCells(sheet.subarray(2).toString('utf16le')).cells;
    expect(cellValue(cells.get('H19'))).toBe(99.76);
    expect(parts.get('xl/sharedStrings.xml')!.equals((await partsOf(bytes)).get('xl/sharedStrings.xml')!)).toBe(true);
  });

  it.each(['utf16', 'gb18030', 'backslashes'] as const)(
    '%s: the ExcelJS model (in-memory hosts, preview) reads as the original',
    async (name) => {
      const cells = async (bytes: Uint8Array) => {
        const wb = await loadWorkbook(bytes, 'x.xlsx');
        return wb.worksheets.map((ws) => [
          ws.name,
          ws.getCell('C6').value,
          ws.getCell('G6').value,
          ws.getCell('E13').value,
        ]);
      };
      expect(await cells(await crafted[name]())).toEqual(await cells(original()));
    },
  );

  it('a part in a declared legacy encoding (GB18030) is read', async () => {
    expect(await readWorkbookBytes(await crafted.gb18030(), 'x.xlsx')).toEqual(
      await readWorkbookBytes(original(), 'x.xlsx'),
    );
  });

  it.each([
    ['utf32', '部件 xl/worksheets/sheet2.xml 使用 UTF-32 编码，无法读取'],
    ['unknownEncoding', '部件 xl/sharedStrings.xml 使用无法识别的字符编码“x-mac-klingon”，无法读取'],
  ] as const)('%s: check, --fill and --report exit 2 naming the part', async (name, message) => {
    const file = await onDisk(name);
    for (const extra of [
      [],
      ['--fill', path.join(dir, `${name}-f.xlsx`)],
      ['--report', path.join(dir, `${name}-r.xlsx`)],
    ]) {
      const r = await run(['check', file, ...extra]);
      expect([r.code, r.err]).toEqual([2, expect.stringContaining(message)]);
      expect(r.err).not.toContain('内部错误');
    }
  });
});

describe('formats and package names', () => {
  it('an .xlsb renamed .xlsx is named as such by check, --fill and --report (exit 2)', async () => {
    const file = await onDisk('xlsb');
    for (const extra of [[], ['--fill', path.join(dir, 'b-f.xlsx')], ['--report', path.join(dir, 'b-r.xlsx')]]) {
      const r = await run(['check', file, ...extra]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('这是 Excel 二进制工作簿（.xlsb 格式），只是扩展名改成了 .xlsx');
    }
  });

  it('zip entries named with backslashes: check, --fill and --report all find the workbook', async () => {
    const file = await onDisk('backslashes');
    const checked = JSON.parse((await run(['check', file, '--json'])).out);
    expect(checked.summary.tables).toBe(5);
    const fillOut = path.join(dir, 'bs-f.xlsx');
    const reportOut = path.join(dir, 'bs-r.xlsx');
    expect((await run(['check', file, '--fill', fillOut])).code).toBe(0);
    expect((await run(['check', file, '--report', reportOut])).code).toBe(0);
    const filled = (await tables(new Uint8Array(readFileSync(fillOut)))).find((t) => t.sheet === '劳模体检')!;
    expect(filled.edits.every((e) => e.status === 'same')).toBe(true);
    const again = JSON.parse((await run(['check', reportOut, '--json'])).out);
    expect(again.summary.tables).toBe(5); // the report sheet is the add-in's, not a form
    const names = [...(await partsOf(readFileSync(reportOut))).keys()];
    expect(names.some((n) => n.includes('\\'))).toBe(true); // the user's entries kept as they were
  });

  it.each([
    ['emptyStyles', '样式部件 xl/styles.xml 是空的，无法写入'],
    ['wrongRootStyles', '样式部件 xl/styles.xml 不是有效的样式表（根元素不是 styleSheet），无法写入'],
  ] as const)('%s: check reads the forms; --fill and --report exit 2 with a Chinese message', async (name, message) => {
    const file = await onDisk(name);
    expect(JSON.parse((await run(['check', file, '--json'])).out).summary.tables).toBe(5);
    for (const flag of ['--fill', '--report']) {
      const r = await run(['check', file, flag, path.join(dir, `${name}${flag}.xlsx`)]);
      expect([r.code, r.err]).toEqual([2, expect.stringContaining(message)]);
      expect(r.err).not.toMatch(/内部错误|styleSheet element/);
    }
  });

  it('a comment holding <sheetData/> receives no write, and CDATA is a value', async () => {
    const bytes = await crafted.commentSheetData();
    const t = (await tables(bytes)).find((x) => x.sheet === '劳模体检')!;
    expect(t.funds?.executed).toBe(6.64); // G6 as <v><![CDATA[6.64]]></v>
    const out = await fillXlsx(bytes, t.edits, 'x.xlsx');
    expect(out.applied.length).toBe(9);
    const xml = (await partsOf(out.bytes)).get(SHEET_劳模体检)!.toString();
    expect(xml).toContain('<!-- <sheetData/> --><sheetData>');
    expect(xml).toContain('<c r="H19" s="8"><v>99.76</v></c>');
    const again = (await tables(out.bytes)).find((x) => x.sheet === '劳模体检')!;
    expect(again.edits.every((e) => e.status === 'same')).toBe(true);
  });

  it('60,000 cell formats: --fill indexes the style table once (bounded time, formats appended once)', async () => {
    const bytes = await crafted.manyStyles();
    const edits = (await tables(bytes)).flatMap((t) => t.edits);
    const t0 = Date.now();
    const out = await fillXlsx(bytes, edits, 'x.xlsx');
    const ms = Date.now() - t0;
    expect(out.applied.length).toBe(47);
    // Before: about one scan of the 60,000 formats per cell written (5 s against a 2.4 s check on this machine).
    expect(ms).toBeLessThan(3000);
    const styles = (await partsOf(out.bytes)).get('xl/styles.xml')!.toString();
    const before = (await partsOf(bytes)).get('xl/styles.xml')!.toString();
    expect(stylesOnlyAppended(before, styles)).toEqual([]);
    expect(
      Number(/<cellXfs count="(\d+)"/.exec(styles)![1]) - Number(/<cellXfs count="(\d+)"/.exec(before)![1]),
    ).toBeLessThanOrEqual(3);
  });
});

describe('numbers', () => {
  it('1e309, NaN, an empty <v> and 0x1A reach the engine as text, never as a blank or as 26', async () => {
    const grid = await readWorkbookBytes(await crafted.badNumbers(), 'x.xlsx');
    const s = grid.sheets.find((g) => g.name === '劳模体检')!;
    expect([s.raw(5, 5)?.value, s.raw(5, 6)?.value, s.raw(12, 6)?.value, s.raw(13, 6)?.value]).toEqual([
      '1e309',
      'NaN',
      EMPTY_NUMBER_TEXT,
      '0x1A',
    ]);
    const t = analyzeWorkbook(grid, { profile: 'central' }).tables.find((x) => x.sheet === '劳模体检')!;
    // Nothing is computed from them: no infinite amount, no 分值 of 26, no edit of a non-finite number.
    expect(Object.values(t.funds!).filter((v) => typeof v === 'number' && !Number.isFinite(v))).toEqual([]);
    expect(t.indicators.map((i) => i.weight)).not.toContain(26);
    expect(t.edits.filter((e) => typeof e.value === 'number' && !Number.isFinite(e.value))).toEqual([]);
  });

  it('a formula without its cached value stays a formula without value; finite decimals are numbers', async () => {
    const { parseSheetXml } = await import('../../src/xlsx/grid-reader');
    const xml =
      '<worksheet><sheetData><row r="1"><c r="A1"><f>B1</f><v></v></c><c r="B1"><v> -1.5E2 </v></c><c r="C1"><v>.5</v></c><c r="D1"><v>Infinity</v></c><c r="E1"><v>1,234</v></c></row></sheetData></worksheet>';
    const row = parseSheetXml(xml, [], []).rows[0];
    expect(row.map((c) => c?.value)).toEqual([null, -150, 0.5, 'Infinity', '1,234']);
    expect(row[0]?.formula).toBe('B1');
  });

  it('the report never writes a non-finite number', async () => {
    const bytes = await crafted.badNumbers();
    const result = analyzeWorkbook(await readWorkbookBytes(bytes, 'x.xlsx'), { profile: 'central' });
    // A result as a careless caller could hand it (an infinite rate): the renderer writes no Infinity.
    const t = result.tables.find((x) => x.sheet === '劳模体检')!;
    t.funds = { ...t.funds!, rate: Infinity, score: NaN };
    const out = await addReportToXlsx(bytes, result, { fileName: 'x.xlsx', date: '2026-12-08' });
    const input = await partsOf(bytes);
    const added = [...(await partsOf(out))].filter(([name]) => !input.has(name));
    expect(added.length).toBeGreaterThan(0);
    for (const [name, data] of added)
      expect([name, /<v>(?:-?Infinity|NaN)<\/v>/.test(data.toString())]).toEqual([name, false]);
  });
});

describe('a user’s own sheet named 绩效自评报告', () => {
  it('is checked as a form and never replaced by --report, even with a marker name left pointing at it', async () => {
    const file = await onDisk('userReportSheet');
    const checked = JSON.parse((await run(['check', file, '--json'])).out);
    expect(checked.files[0].tables.map((t: { sheet: string }) => t.sheet)).toContain('绩效自评报告');
    const out = path.join(dir, 'user-report.xlsx');
    const r = await run(['check', file, '--report', out]);
    expect(r.code).toBe(0);
    const a = await partsOf(readFileSync(file));
    const b = await partsOf(readFileSync(out));
    expect(b.get('xl/worksheets/sheet5.xml')!.equals(a.get('xl/worksheets/sheet5.xml')!)).toBe(true);
    const wb = b.get('xl/workbook.xml')!.toString();
    expect(wb).toContain('name="绩效自评报告"');
    expect(wb).toContain('name="绩效自评报告(2)"');
    // One marker, pointing at the new report: the stale one is gone.
    expect(wb.match(/name="PerfSheet_SelfEvalReport"/g)).toHaveLength(1);
    expect(wb).toMatch(/name="PerfSheet_SelfEvalReport"[^>]*>'绩效自评报告\(2\)'!\$A\$1</);
    // A second --report replaces the add-in's report, and only it.
    const out2 = path.join(dir, 'user-report-2.xlsx');
    expect((await run(['check', out, '--report', out2])).code).toBe(0);
    const wb2 = (await partsOf(readFileSync(out2))).get('xl/workbook.xml')!.toString();
    expect(wb2.match(/<sheet /g)).toHaveLength(6);
    expect(
      (await partsOf(readFileSync(out2))).get('xl/worksheets/sheet5.xml')!.equals(a.get('xl/worksheets/sheet5.xml')!),
    ).toBe(true);
  });
});
