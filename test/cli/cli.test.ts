/**
 * The headless command, run as a user runs it (`node bin/perfsheet.js`), and in-process for speed.
 */
import { execFileSync, spawnSync } from 'child_process';
import ExcelJS from 'exceljs';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'fs';
import os from 'os';
import path from 'path';
import { describeFailure, parseArgs } from '../../src/cli/main';
import { runCli } from '../support/cli';

const ROOT = path.join(__dirname, '..', '..');
const FIX = path.join(ROOT, 'test', 'fixtures');
const SELF = path.join(FIX, '石家庄市总工会_2025_绩效自评表.xlsx');
const TARGET = path.join(FIX, '石家庄市总工会_2024_项目绩效目标表.xlsx');

const run = runCli;

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'perfsheet-'));

describe('argument parsing (zod)', () => {
  it('accepts the documented options', () => {
    expect(parseArgs(['check', 'a.xlsx', 'b.xlsx', '--json', '--profile', 'hebei'])).toMatchObject({
      files: ['a.xlsx', 'b.xlsx'],
      json: true,
      profile: 'hebei',
    });
    expect(parseArgs(['check', 'a.xlsx', '--fill=out.xlsx'])).toMatchObject({ fill: 'out.xlsx' });
  });
  it.each([
    [['check'], '至少指定一个'],
    [['lint', 'a.xlsx'], '未知命令'],
    [['check', 'a.xlsx', '--profile', 'beijing'], 'central 或 hebei'],
    [['check', 'a.xlsx', 'b.xlsx', '--fill', 'o.xlsx'], '单个文件'],
    [['check', 'a.xlsx', '--bogus'], '未知选项'],
  ])('%j is refused with a Chinese message and exit 2', async (args, msg) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(msg);
  });
});

describe('check', () => {
  it('--json gives the documented document for both fixtures', async () => {
    const r = await run(['check', SELF, TARGET, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.summary).toEqual({ tables: 11, errors: 0, warnings: 6, infos: 4 });
    const ldm = doc.files[0].tables.find((t: { sheet: string }) => t.sheet === '劳模体检');
    expect(ldm).toMatchObject({
      sheet: '劳模体检',
      range: 'A1:J19',
      kind: 'self-eval',
      name: '省部级以上劳模体检费',
      year: 2025,
      funds: { budget: 6.64, executed: 6.64, rate: 1, weight: 10, score: 10 },
      totalScore: 99.76,
      grade: '优',
    });
    expect(ldm.indicators[0]).toMatchObject({
      row: 13,
      level1: '产出指标',
      level2: '数量指标',
      level3: '体检人数',
      target: '≥40人',
      actual: '72人',
      weight: 20,
      score: 20,
    });
    expect(ldm.findings[0]).toMatchObject({ code: 'C08', severity: 'info', sheet: '劳模体检', cell: 'F13' });
    const target = doc.files[1].tables[0];
    expect(target).toMatchObject({ kind: 'target', funds: null, totalScore: null, grade: null });
  });

  it('--profile hebei grades with the Hebei bands', async () => {
    const doc = JSON.parse((await run(['check', SELF, '--json', '--profile', 'hebei'])).out);
    expect(doc.files[0].tables.map((t: { grade: string }) => t.grade)).toEqual([
      '优秀',
      '优秀',
      '优秀',
      '优秀',
      '优秀',
    ]);
  });

  it('prints a readable Chinese summary', async () => {
    const r = await run(['check', SELF]);
    expect(r.out).toContain('劳模体检!A1:J19');
    expect(r.out).toContain('执行率 95.24%（得分 9.52）');
    expect(r.out).toContain('总分 99.76，等级 优');
    expect(r.out).toContain('反向指标：900 ÷ 922 × 10 = 9.76');
    expect(r.out).toContain('合计：1 个文件，5 张表；错误 0，警告 3，提示 4。');
  });

  it('exit 1 when there is an error finding', async () => {
    const dir = tmp();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(TARGET);
    wb.getWorksheet('项目绩效目标表')!.getCell('E4').value = 15; // 财政资金 ≠ 预算数 20 → F01
    const f = path.join(dir, 'bad.xlsx');
    await wb.xlsx.writeFile(f);
    const r = await run(['check', f]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('F01');
  });

  it('exit 2 with a Chinese message on unusable input: missing, not xlsx, encrypted, corrupt', async () => {
    const dir = tmp();
    const notXlsx = path.join(dir, 'a.xlsx');
    writeFileSync(notXlsx, 'hello');
    const ole = path.join(dir, 'enc.xlsx');
    writeFileSync(ole, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    const zip = path.join(dir, 'broken.xlsx');
    writeFileSync(zip, Buffer.from([0x50, 0x4b, 3, 4, 1, 2, 3]));
    const empty = path.join(dir, 'empty.xlsx');
    writeFileSync(empty, '');
    for (const [f, msg] of [
      [path.join(dir, 'none.xlsx'), '文件不存在'],
      [notXlsx, '不是 .xlsx'],
      [ole, '已加密'],
      [zip, '已损坏'],
      [empty, '文件是空的'],
    ]) {
      const r = await run(['check', f]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(msg);
    }
  });

  it('an empty workbook and a workbook without forms are fine', async () => {
    const dir = tmp();
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('空表');
    const f = path.join(dir, 'empty-book.xlsx');
    await wb.xlsx.writeFile(f);
    const r = await run(['check', f]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('未找到绩效目标表或绩效自评表');
  });
});

describe('--fill', () => {
  it('changes only the computed cells; every other cell, format and merge is untouched', async () => {
    const dir = tmp();
    const out = path.join(dir, 'filled.xlsx');
    const before = readFileSync(SELF);
    const r = await run(['check', SELF, '--fill', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(SELF).equals(before)).toBe(true); // input untouched
    const a = new ExcelJS.Workbook();
    await a.xlsx.readFile(SELF);
    const b = new ExcelJS.Workbook();
    await b.xlsx.readFile(out);
    const changed: string[] = [];
    a.eachSheet((wa) => {
      const wbSheet = b.getWorksheet(wa.name)!;
      expect(wbSheet.model.merges.sort()).toEqual(wa.model.merges.sort());
      const rows = Math.max(wa.rowCount, wbSheet.rowCount);
      const cols = Math.max(wa.columnCount, wbSheet.columnCount);
      for (let r = 1; r <= rows; r++) {
        for (let c = 1; c <= cols; c++) {
          const ca = wa.getCell(r, c);
          const cb = wbSheet.getCell(r, c);
          if (JSON.stringify(ca.value) !== JSON.stringify(cb.value) || ca.numFmt !== cb.numFmt)
            changed.push(`${wa.name}!${cb.address}=${cb.value}`);
          else expect(JSON.stringify(cb.style)).toBe(JSON.stringify(ca.style));
        }
      }
    });
    expect(changed).toContain('劳模体检!H19=99.76');
    expect(changed).toContain('劳模体检!H16=9.76');
    expect(changed).toContain('劳模体检!I6=1');
    expect(changed).toContain('党组织活动经费!I6=0.9524');
    expect(changed).toContain('党组织活动经费!H19=90.52');
    // 5 tables: rate + rate score + indicators + total; 困难职工帮扶!H16 already holds the user's 10.
    expect(changed).toHaveLength(2 * 5 + 9 + 6 * 4 - 1 + 5);
    expect(changed.every((c) => /![HIJ]\d+=/.test(c))).toBe(true);
    // Re-checking the filled copy: stated values now agree (no C04/C05/C06); the 21 written for the
    // 部分达成 indicator now stands as a score inside its band, so that C11 (default score used) is gone.
    const again = JSON.parse((await run(['check', out, '--json'])).out);
    expect(again.summary).toEqual({ tables: 5, errors: 0, warnings: 3, infos: 3 });
    const codes = again.files[0].tables.flatMap((t: { findings: { code: string }[] }) => t.findings.map((f) => f.code));
    expect(codes.filter((c: string) => /^C0[456]$/.test(c))).toEqual([]);
  });

  it('never overwrites a formula and never writes over its input', async () => {
    const dir = tmp();
    const src = path.join(dir, 'with-formula.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(SELF);
    wb.getWorksheet('劳模体检')!.getCell('H19').value = {
      formula: 'SUM(H13:H18)+J6',
      result: 0,
    } as ExcelJS.CellFormulaValue;
    await wb.xlsx.writeFile(src);
    const out = path.join(dir, 'out.xlsx');
    const r = await run(['check', src, '--fill', out]);
    expect(r.err).toContain('跳过 1 个');
    const b = new ExcelJS.Workbook();
    await b.xlsx.readFile(out);
    expect(b.getWorksheet('劳模体检')!.getCell('H19').formula).toBe('SUM(H13:H18)+J6');
    const same = await run(['check', src, '--fill', src]);
    expect(same.code).toBe(2);
    expect(same.err).toContain('不能与输入文件相同');
  });
});

describe('the perfsheet bin', () => {
  it('runs as installed, with the documented exit code', () => {
    const dir = tmp();
    const f = path.join(dir, '自评表.xlsx');
    copyFileSync(SELF, f);
    const out = execFileSync('node', [path.join(ROOT, 'bin', 'perfsheet.js'), 'check', f, '--json'], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out).summary.tables).toBe(5);
    const bad = spawnSync('node', [path.join(ROOT, 'bin', 'perfsheet.js'), 'check', path.join(dir, 'missing.xlsx')], {
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('文件不存在');
  }, 60_000); // two cold node + ts-node start-ups: seconds on a loaded 2-core machine

  it('check never loads ExcelJS (half of a one-file run’s start-up); --report does, when it renders', () => {
    const script = [
      "require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });",
      "require('./src/cli/main').main(process.argv.slice(1), { write() {} }, { write() {} }).then((code) => {",
      '  const loaded = Object.keys(require.cache).some((k) => /[\\\\/]node_modules[\\\\/]exceljs[\\\\/]/.test(k));',
      '  console.log(JSON.stringify({ code, loaded }));',
      '});',
    ].join('\n');
    const probe = (...args: string[]) =>
      JSON.parse(execFileSync(process.execPath, ['-e', script, ...args], { cwd: ROOT, encoding: 'utf8' }));
    expect(probe('check', SELF, TARGET, '--json')).toEqual({ code: 0, loaded: false });
    expect(probe('check', SELF, '--report', path.join(tmp(), 'r.xlsx'))).toEqual({ code: 0, loaded: true });
  }, 60_000);
});

describe('--report', () => {
  it('writes the report sheet; checking the result again ignores the add-in’s own report sheet', async () => {
    const dir = tmp();
    const out = path.join(dir, 'with-report.xlsx');
    const r = await run(['check', SELF, '--report', out]);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toContain('绩效自评报告');
    const again = JSON.parse((await run(['check', out, '--json'])).out);
    expect(again.summary).toEqual({ tables: 5, errors: 0, warnings: 3, infos: 4 });
    expect(again.files[0].tables.some((t: { sheet: string }) => t.sheet === '绩效自评报告')).toBe(false);
  });
});

describe('output safety', () => {
  it('refuses an output that is the input by another path: hard link, symbolic link, ./.. spelling', async () => {
    const dir = tmp();
    const input = path.join(dir, 'in.xlsx');
    copyFileSync(SELF, input);
    const before = readFileSync(input);
    const hard = path.join(dir, 'hard.xlsx');
    linkSync(input, hard);
    const soft = path.join(dir, 'soft.xlsx');
    symlinkSync(input, soft);
    mkdirSync(path.join(dir, 'sub'));
    const dotted = path.join(dir, 'sub', '..', '.', 'in.xlsx');
    for (const out of [hard, soft, dotted]) {
      for (const flag of ['--fill', '--report']) {
        const r = await run(['check', input, flag, out]);
        expect(r.code).toBe(2);
        expect(r.err).toContain('不能与输入文件相同');
      }
    }
    expect(readFileSync(input).equals(before)).toBe(true);
    // The input given through the link is protected the same way.
    expect((await run(['check', hard, '--fill', input])).err).toContain('不能与输入文件相同');
  });

  it('refuses --fill and --report to one file, by any spelling of its path', async () => {
    const dir = tmp();
    const out = path.join(dir, 'out.xlsx');
    for (const [a, b] of [
      [out, out],
      [out, path.join(dir, '.', 'out.xlsx')],
    ]) {
      const r = await run(['check', SELF, '--fill', a, '--report', b]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--fill 和 --report 不能写到同一个文件');
    }
    expect(existsSync(out)).toBe(false);
  });

  it('writes through a temporary file: an existing output is replaced whole, nothing is left beside it', async () => {
    const dir = tmp();
    const out = path.join(dir, 'out.xlsx');
    writeFileSync(out, 'old');
    const r = await run(['check', SELF, '--fill', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    expect(readdirSync(dir)).toEqual(['out.xlsx']);
    const bad = await run(['check', SELF, '--fill', path.join(dir, 'no-such-dir', 'x.xlsx')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('无法写入');
    expect(bad.err).not.toMatch(/ENOENT|Error:|\n\s+at /);
  });
});

describe('errors that keep the results', () => {
  it('200 files where one is a directory and one unreadable: two error lines, 198 results, exit 2', async () => {
    const dir = tmp();
    const files: string[] = [];
    for (let i = 0; i < 200; i++) {
      const f = path.join(dir, `f${String(i).padStart(3, '0')}.xlsx`);
      files.push(f);
      if (i === 50) mkdirSync(f);
      else if (i === 120) {
        // Unreadable for everyone, root included: a symbolic link that points at itself.
        symlinkSync(f, f);
      } else copyFileSync(TARGET, f);
    }
    const r = await run(['check', ...files, '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.out);
    expect(doc.files).toHaveLength(200);
    expect(doc.files[50].error).toContain('这是一个文件夹');
    expect(doc.files[120].error).toContain('无法读取');
    expect(doc.files.filter((f: { error?: string }) => f.error)).toHaveLength(2);
    expect(doc.files.filter((f: { tables: unknown[] }) => f.tables.length === 6)).toHaveLength(198);
    expect(doc.summary.tables).toBe(198 * 6);
    expect(r.err).not.toMatch(/Error:|\n\s+at |内部错误/);
    const text = await run(['check', files[0], files[50], files[1]]);
    expect(text.code).toBe(2);
    expect(text.out).toContain('无法检查：');
    expect(text.out).toContain('合计：3 个文件，其中 1 个无法检查，12 张表');
  }, 120_000);

  it('a file the process may not read is its own error line (when not running as root)', async () => {
    if (process.getuid?.() === 0) return; // root reads any file: the self-link above covers unreadable paths
    const dir = tmp();
    const f = path.join(dir, 'locked.xlsx');
    copyFileSync(TARGET, f);
    chmodSync(f, 0);
    const r = await run(['check', f, TARGET, '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).files[0].error).toContain('没有权限');
  });

  it('an unexpected exception is 内部错误 with its message; the stack only with PERFSHEET_DEBUG=1', () => {
    const e = new TypeError('boom');
    expect(describeFailure(e)).toBe('内部错误：boom');
    const saved = process.env.PERFSHEET_DEBUG;
    process.env.PERFSHEET_DEBUG = '1';
    try {
      expect(describeFailure(e)).toContain('TypeError: boom\n    at ');
    } finally {
      if (saved === undefined) delete process.env.PERFSHEET_DEBUG;
      else process.env.PERFSHEET_DEBUG = saved;
    }
  });

  it.each([
    ['ods_renamed.xlsx', 'OpenDocument 表格（.ods）'],
    ['zip_not_xlsx.xlsx', '普通的 zip 压缩包'],
    ['r19g_workbook_xml_missing.xlsx', '缺少工作簿主体部件'],
  ])('%s: exit 2 with what the file is', async (file, msg) => {
    const r = await run(['check', path.join(FIX, 'hostile', file)]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(msg);
    expect(r.err).not.toContain('内部错误');
  });

  it('c26: 60,000 header rows print without a stack overflow', async () => {
    const r = await run(['check', path.join(FIX, 'hostile', 'c26_60000_header_rows.xlsx')]);
    expect(r.err).not.toContain('内部错误');
    expect(r.out).toContain('合计：1 个文件');
  }, 120_000);
});

describe('r24: empty dates in docProps/core.xml', () => {
  it('check, --fill and --report work', async () => {
    const dir = tmp();
    const r = await run([
      'check',
      path.join(FIX, 'hostile', 'r24_core_dates_empty.xlsx'),
      '--fill',
      path.join(dir, 'f.xlsx'),
      '--report',
      path.join(dir, 'r.xlsx'),
    ]);
    expect(r.err).not.toContain('内部错误');
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['f.xlsx', 'r.xlsx']);
  });
});

describe('the profile the workbook stores (RULES §5: pane and CLI agree)', () => {
  async function withStoredProfile(profile: string): Promise<string> {
    const JSZip = (await import('jszip')).default;
    const zip = await JSZip.loadAsync(readFileSync(SELF));
    let xml = await zip.file('xl/workbook.xml')!.async('string');
    const name = `<definedName name="PerfSheet.Profile" hidden="1">"${profile}"</definedName>`;
    xml = xml.includes('<definedNames>')
      ? xml.replace('<definedNames>', `<definedNames>${name}`)
      : xml.replace('</sheets>', `</sheets><definedNames>${name}</definedNames>`);
    zip.file('xl/workbook.xml', xml);
    const file = path.join(tmp(), 'stored.xlsx');
    writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer' }));
    return file;
  }

  it('scores with the stored profile when --profile is not given', async () => {
    const file = await withStoredProfile('hebei');
    const doc = JSON.parse((await run(['check', file, '--json'])).out);
    expect(doc.files[0].profile).toBe('hebei');
    expect(doc.files[0].tables[0].grade).toBe('优秀');
  });

  it('--profile overrides what the workbook stores; a workbook without a choice is central', async () => {
    const file = await withStoredProfile('hebei');
    expect(JSON.parse((await run(['check', file, '--json', '--profile', 'central'])).out).files[0].profile).toBe(
      'central',
    );
    expect(JSON.parse((await run(['check', SELF, '--json'])).out).files[0].profile).toBe('central');
  });
});
