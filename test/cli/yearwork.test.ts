/**
 * `perfsheet new`, `perfsheet convert` and `perfsheet check --summary` (issue #9), in-process and through the bin.
 */
import { spawnSync } from 'child_process';
import ExcelJS from 'exceljs';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { analyzeWorkbook } from '../../src/domain/engine';
import { buildTemplateSpec } from '../../src/domain/templates';
import { readWorkbookBytes } from '../../src/xlsx/read';
import { templatesToXlsx } from '../../src/xlsx/template';
import { runCli } from '../support/cli';

const ROOT = path.join(__dirname, '..', '..');
const FIX = path.join(ROOT, 'test', 'fixtures');
const SELF = path.join(FIX, '石家庄市总工会_2025_绩效自评表.xlsx');
const TARGET = path.join(FIX, '石家庄市总工会_2024_项目绩效目标表.xlsx');
const CORPUS = ['selfeval', 'target'].flatMap((d) =>
  readdirSync(path.join(ROOT, 'test', 'corpus', d))
    .filter((f) => f.endsWith('.xlsx'))
    .map((f) => path.join(ROOT, 'test', 'corpus', d, f)),
);

const run = runCli;

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'perfsheet-yw-'));

async function analyzeFile(file: string) {
  return analyzeWorkbook(await readWorkbookBytes(readFileSync(file), path.basename(file)));
}

async function load(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

describe('perfsheet new', () => {
  it.each([
    ['target', '项目支出绩效目标表'],
    ['self-eval', '项目支出绩效自评表'],
    ['dept-self-eval', '部门整体支出绩效自评表'],
  ])('%s writes a form the checker reads as one, with the rows asked for', async (kind, title) => {
    const dir = tmp();
    const o = path.join(dir, 'new.xlsx');
    const r = await run(['new', kind, '--rows', '12', '--year', '2025', '-o', o]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(title);
    const wb = await load(o);
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([
      [title, 'visible'],
      ['指标名称列表', 'hidden'],
    ]);
    const a = await analyzeFile(o);
    expect(a.tables.map((t) => [t.kind, t.year])).toEqual([[kind, 2025]]);
    expect(a.summary.errors).toBe(0);
    // 12 indicator rows: the 一级 column holds 12 prefilled names under its header.
    const ws = wb.getWorksheet(title)!;
    let names = 0;
    // 成本指标 is a 一级 of its own in the template (RULES §1, S02).
    const level1 = new Set(['产出指标', '成本指标', '效益指标', '满意度指标']);
    ws.eachRow((row) => row.eachCell((c) => (names += level1.has(String(c.value)) ? 1 : 0)));
    expect(names).toBe(12);
    expect(readdirSync(dir)).toEqual(['new.xlsx']);
  });

  it('--profile hebei and the default year work; bad arguments are refused in Chinese with exit 2', async () => {
    const dir = tmp();
    const o = path.join(dir, 'h.xlsx');
    const r = await run(['new', 'self-eval', '--profile', 'hebei', '-o', o]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${new Date().getFullYear()}年度`);
    for (const [args, msg] of [
      [['new'], '请指定表格种类'],
      [['new', 'report', '-o', o], '未知的表格种类'],
      [['new', 'target'], '-o'],
      [['new', 'target', '--rows', '0', '-o', o], '--rows'],
      [['new', 'target', '--rows', 'x', '-o', o], '--rows'],
      [['new', 'target', '--profile', 'beijing', '-o', o], 'central 或 hebei'],
      [['new', 'target', '--bogus', '-o', o], '未知选项'],
    ] as [string[], string][]) {
      const x = await run(args);
      expect(x.code).toBe(2);
      expect(x.err).toContain(msg);
      expect(x.err).toContain('用法：perfsheet new');
    }
    const bad = await run(['new', 'target', '-o', path.join(dir, 'no-such-dir', 'x.xlsx')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/无法写入.*不存在/);
  });
});

describe('perfsheet convert', () => {
  it('turns the six 2024 targets into six 自评表 sheets; the input is not written', async () => {
    const dir = tmp();
    const o = path.join(dir, 'selfeval.xlsx');
    const before = readFileSync(TARGET);
    const r = await run(['convert', TARGET, '-o', o]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('6 张项目支出绩效自评表');
    expect(readFileSync(TARGET).equals(before)).toBe(true);
    const a = await analyzeFile(o);
    const src = await analyzeFile(TARGET);
    expect(a.tables.map((t) => t.kind)).toEqual(Array(6).fill('self-eval'));
    expect(a.tables.map((t) => t.name)).toEqual(src.tables.map((t) => t.name));
    for (const t of a.tables) {
      expect(Math.round(t.indicators.reduce((s, x) => s + (x.weight ?? 0), 0) * 100)).toBe(9000);
    }
  });

  it('says what the user must add when a 目标表 has no 满意度 row', async () => {
    const dir = tmp();
    const input = path.join(dir, 'target.xlsx');
    const spec = buildTemplateSpec({
      kind: 'target',
      profile: 'central',
      year: 2025,
      prefill: {
        name: '职工培训项目',
        indicators: [
          { level1: '产出指标', level2: '数量指标', level3: '培训人数', target: '≥100人' },
          { level1: '效益指标', level2: '社会效益指标', level3: '技能提升', target: '有所提升' },
        ],
      },
    });
    writeFileSync(input, Buffer.from(await templatesToXlsx([spec])));
    const r = await run(['convert', input, '-o', path.join(dir, 'out.xlsx')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('注意：');
    expect(r.out).toContain('“满意度指标”（10 分）');
    expect(r.out).toContain('合计为 80，应为 90');
  });

  it('a file without target tables, a missing file, and the input as output are refused with exit 2', async () => {
    const dir = tmp();
    const o = path.join(dir, 'x.xlsx');
    const none = await run(['convert', SELF, '-o', o]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('未找到绩效目标表');
    expect(existsSync(o)).toBe(false);
    const missing = await run(['convert', path.join(dir, 'nope.xlsx'), '-o', o]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('文件不存在');
    const same = await run(['convert', TARGET, '-o', TARGET]);
    expect(same.code).toBe(2);
    expect(same.err).toContain('不能与输入文件相同');
    const usage = await run(['convert', TARGET]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('用法：perfsheet convert');
  });
});

describe('perfsheet check --summary', () => {
  let dir: string;
  let out: string;
  let json: {
    files: { file: string; error?: string; tables: { sheet: string; name: string; findings: unknown[]; totalScore: number | null; funds: { rate: number | null; budget: number | null } | null; targetFunds: { budget: number | null } | null; kind: string }[]; findings: unknown[] }[];
    summary: { tables: number; errors: number; warnings: number; infos: number };
  };
  let r: { code: number; out: string; err: string };
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    dir = tmp();
    out = path.join(dir, 'summary.xlsx');
    const notXlsx = path.join(dir, 'notes.xlsx');
    writeFileSync(notXlsx, 'this is not a workbook');
    r = await run(['check', SELF, TARGET, ...CORPUS, notXlsx, path.join(dir, 'missing.xlsx'), '--summary', out, '--json']);
    json = JSON.parse(r.out);
    wb = await load(out);
  });

  it('exit 2 (two files could not be read), progress on stderr, the same JSON as check --json', async () => {
    expect(r.code).toBe(2);
    const n = CORPUS.length + 4;
    expect(CORPUS.length).toBeGreaterThanOrEqual(10);
    for (let i = 1; i <= n; i++) expect(r.err).toContain(`[${i}/${n}]`);
    expect(r.err).toContain('missing.xlsx');
    const plain = await run(['check', SELF, TARGET, ...CORPUS, '--json']);
    const p = JSON.parse(plain.out);
    expect(json.files.slice(0, n - 2)).toEqual(p.files);
    expect(json.summary).toEqual(p.summary);
  });

  it('汇总: one row per table plus a row per unreadable file, worst first, filters on', () => {
    const ws = wb.getWorksheet('汇总')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['文件', '工作表', '类型', '名称', '预算（万元）', '执行率', '总分', '等级', '错误', '警告', '提示', '最严重的问题']);
    expect(ws.autoFilter).toBeTruthy();
    const rows: unknown[][] = [];
    ws.eachRow((row, n) => n > 1 && rows.push((row.values as unknown[]).slice(1)));
    const tables = json.files.flatMap((f) => f.tables.map((t) => ({ ...t, file: path.basename(f.file) })));
    // Files without any form get a row saying so.
    const empty = json.files.filter((f) => !f.error && f.tables.length === 0).length;
    expect(rows).toHaveLength(tables.length + 2 + empty);
    // Unreadable files first, each saying why.
    expect(rows.slice(0, 2).map((x) => x[0]).sort()).toEqual(['missing.xlsx', 'notes.xlsx']);
    expect(String(rows[0][11])).toContain('无法检查');
    // Then sorted by errors, then warnings, descending.
    const rest = rows.slice(2);
    for (let i = 1; i < rest.length; i++) {
      const [e0, w0] = [Number(rest[i - 1][8]), Number(rest[i - 1][9])];
      const [e1, w1] = [Number(rest[i][8]), Number(rest[i][9])];
      expect(e0 > e1 || (e0 === e1 && w0 >= w1)).toBe(true);
    }
    // Figures equal the JSON's, table by table.
    for (const t of tables) {
      const row = rest.find((x) => x[0] === t.file && x[1] === t.sheet && x[3] === t.name)!;
      expect(row).toBeDefined();
      const budget = t.kind === 'target' ? t.targetFunds?.budget : t.funds?.budget;
      expect(row[4] ?? null).toEqual(budget ?? null);
      expect(row[5] ?? null).toEqual(t.funds?.rate ?? null);
      expect(row[6] ?? null).toEqual(t.totalScore);
      const n = (sev: string) => (t.findings as { severity: string }[]).filter((f) => f.severity === sev).length;
      expect([row[8], row[9], row[10]]).toEqual([n('error'), n('warning'), n('info')]);
    }
  });

  it('问题清单: every finding with file, sheet, cell, code and message', () => {
    const ws = wb.getWorksheet('问题清单')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['文件', '工作表', '单元格', '级别', '代码', '问题说明']);
    expect(ws.autoFilter).toBeTruthy();
    const all = json.files.flatMap((f) => [...f.tables.flatMap((t) => t.findings), ...f.findings]) as { sheet: string; cell: string; code: string; message: string }[];
    expect(ws.rowCount - 1).toBe(all.length);
    expect(all.length).toBe(json.summary.errors + json.summary.warnings + json.summary.infos);
    const listed = new Set<string>();
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const v = (row.values as unknown[]).slice(1);
      listed.add(`${v[1]}!${v[2]} ${v[4]} ${v[5]}`);
    });
    for (const f of all) expect(listed.has(`${f.sheet}!${f.cell} ${f.code} ${f.message}`)).toBe(true);
  });

  it('refuses the summary onto an input, and --fill with --summary', async () => {
    const same = await run(['check', SELF, '--summary', SELF]);
    expect(same.code).toBe(2);
    expect(same.err).toContain('不能与输入文件相同');
    const fill = await run(['check', SELF, '--summary', path.join(dir, 's2.xlsx'), '--fill', path.join(dir, 'f.xlsx')]);
    expect(fill.code).toBe(2);
    expect(fill.err).toContain('--summary 不能与 --fill');
  });

  it('on a terminal, progress is one line updated in place and cleared at the end', async () => {
    const { code, err } = await runCli(['check', SELF, TARGET, '--summary', path.join(dir, 'tty.xlsx')], { ttyErr: true });
    expect(code).toBe(0);
    expect(err).toContain('\r\x1b[K检查中 [1/2]');
    expect(err).toContain('\r\x1b[K检查中 [2/2]');
    expect(err.endsWith('\r\x1b[K')).toBe(true);
    expect(err).not.toContain('\n');
  });

  it('runs through the bin as installed', () => {
    const o = path.join(dir, 'bin-summary.xlsx');
    const p = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'perfsheet.js'), 'check', SELF, TARGET, '--summary', o], { encoding: 'utf8', timeout: 120_000 });
    expect(p.status).toBe(0);
    expect(p.stdout).toContain('已生成汇总');
    expect(p.stderr).toContain('[2/2]');
    expect(existsSync(o)).toBe(true);
  });
});
