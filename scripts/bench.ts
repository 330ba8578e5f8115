/**
 * `npm run bench`: the engine's cost against ExcelJS loading the same workbook.
 *
 * Builds in memory a workbook of N self-evaluation tables (20 indicator rows each, 5 stacked per sheet),
 * writes it to xlsx bytes, then measures (median of several runs):
 *   - load:    ExcelJS reading the xlsx bytes
 *   - grid:    turning the ExcelJS workbook into the engine's grid (the xlsx adapter)
 *   - engine:  analyzeWorkbook on the grid (locate + parse + check + score + edits; the engine does not validate
 *              its own results with zod at run time: the tests hold that contract)
 * for N = 200 and N = 400, and prints the ratio engine/load (target < 10%) and the growth of the engine
 * time when the tables double (target ≤ 2×).
 */
import { spawnSync } from 'child_process';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { analyzeWorkbook, workbookYear } from '../src/domain/engine';
import { resolveProfile } from '../src/domain/profiles';
import { locateTables } from '../src/domain/reader/tables';
import { TableResultSchema } from '../src/domain/types';
import { defaultJobs } from '../src/cli/pool';
import { readWorkbookBytes, workbookFromExcelJS } from '../src/xlsx/read';
import { IndicatorSpec, SheetBuilder, writeSelfEval } from '../test/support/forms';

const PER_SHEET = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function indicators(seed: number): IndicatorSpec[] {
  const out: IndicatorSpec[] = [];
  const groups: [string, string, (i: number) => Partial<IndicatorSpec>][] = [
    ['产出指标', '数量指标', (i) => ({ target: `≥${100 + i}人`, actual: `${95 + ((i + seed) % 30)}人` })],
    ['产出指标', '质量指标', () => ({ target: '≥95%', actual: `${90 + (seed % 10)}%` })],
    ['产出指标', '时效指标', () => ({ target: '当年10月前', actual: `${8 + (seed % 4)}月完成` })],
    ['成本指标', '经济成本指标', (i) => ({ target: `≤${900 + i}元/人`, actual: `${880 + ((seed * 7 + i) % 60)}元/人` })],
    ['效益指标', '社会效益指标', () => ({ target: '有所提升', actual: seed % 5 === 0 ? '部分达成' : '达成' })],
    ['满意度指标', '服务对象满意度指标', () => ({ target: '≥90%', actual: `${88 + (seed % 12)}%` })],
  ];
  const counts = [5, 3, 3, 3, 4, 2]; // 20 rows
  const weights = [5, 5, 4, 4, 4.5, 4];
  groups.forEach(([l1, l2, f], g) => {
    for (let i = 0; i < counts[g]; i++) out.push({ l1, l2, l3: `${l2}${i + 1}`, weight: weights[g], ...f(i), deviation: i % 2 ? '已分析原因' : undefined } as IndicatorSpec);
  });
  return out;
}

async function buildXlsx(tables: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (let s = 0; s * PER_SHEET < tables; s++) {
    const b = new SheetBuilder(`项目${s + 1}`);
    let r = 0;
    for (let k = 0; k < PER_SHEET && s * PER_SHEET + k < tables; k++) {
      const seed = s * PER_SHEET + k;
      const budget = 10 + (seed % 50);
      r = writeSelfEval(b, { name: `项目${seed + 1}`, funds: { initial: budget, budget, executed: budget * (0.85 + (seed % 15) / 100) }, indicators: indicators(seed) }, r) + 2;
    }
    b.toExcelJS(wb);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measure(tables: number) {
  const bytes = await buildXlsx(tables);
  const load: number[] = [];
  const grid: number[] = [];
  const engine: number[] = [];
  let rows = 0;
  let found = 0;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    load.push(performance.now() - t);
    t = performance.now();
    const g = workbookFromExcelJS(wb, 'bench.xlsx');
    grid.push(performance.now() - t);
    t = performance.now();
    const r = analyzeWorkbook(g);
    engine.push(performance.now() - t);
    found = r.tables.length;
    rows = r.tables.reduce((a, x) => a + x.indicators.length, 0);
  }
  if (found !== tables) throw new Error(`engine found ${found} tables, expected ${tables}`);
  return { tables, rows, kb: Math.round(bytes.length / 1024), load: median(load), grid: median(grid), engine: median(engine) };
}

/**
 * Where the engine's time goes (information only, not part of the ratio): on one grid of `tables` tables,
 * analysed repeatedly, the reader (locateTables) against the whole engine, and what validating the results
 * with zod would add (the engine does not do it at run time).
 */
async function engineParts(tables: number): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await buildXlsx(tables)) as unknown as ArrayBuffer);
  const g = workbookFromExcelJS(wb, 'bench.xlsx');
  const profile = resolveProfile(undefined);
  const year = workbookYear(g);
  const reader: number[] = [];
  const engine: number[] = [];
  const zod: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    let t = performance.now();
    for (const s of g.sheets) locateTables(s, profile, year);
    const r1 = performance.now() - t;
    t = performance.now();
    const r = analyzeWorkbook(g);
    const e = performance.now() - t;
    t = performance.now();
    for (const x of r.tables) TableResultSchema.parse(x);
    const z = performance.now() - t;
    if (i < 2) continue; // warm-up
    reader.push(r1);
    engine.push(e);
    zod.push(z);
  }
  const f = (x: number) => `${x.toFixed(1)} ms`;
  const e = median(engine);
  const r = median(reader);
  console.log(
    `engine parts at ${tables} tables (same grid, median of ${RUNS}): engine ${f(e)} = reader ${f(r)} + check/score/edits/results ${f(e - r)}; ` +
      `zod validation of the results (not run by the engine) would add ${f(median(zod))}`,
  );
}

/** A one-sheet workbook with n merged areas (B:D of each row, over a value), as xlsx bytes. */
async function mergesXlsx(n: number): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('M').getCell('A1').value = 0;
  const zip = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
  const rows: string[] = [];
  const merges: string[] = [];
  for (let i = 1; i <= n; i++) {
    rows.push(`<row r="${i}"><c r="A${i}"><v>${i}</v></c><c r="B${i}" t="inlineStr"><is><t>x${i}</t></is></c><c r="D${i}"/></row>`);
    merges.push(`<mergeCell ref="B${i}:D${i}"/>`);
  }
  const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
  zip.file(
    'xl/worksheets/sheet1.xml',
    xml
      .replace(/<sheetData>[\s\S]*<\/sheetData>|<sheetData\/>/, `<sheetData>${rows.join('')}</sheetData>`)
      .replace('</sheetData>', `</sheetData><mergeCells count="${n}">${merges.join('')}</mergeCells>`),
  );
  return zip.generateAsync({ type: 'uint8array' });
}

/** Median time to read a workbook of n merged areas into the grid (the CLI's read), in ms. */
async function measureMerges(n: number): Promise<number> {
  const bytes = await mergesXlsx(n);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const g = await readWorkbookBytes(bytes, 'merges.xlsx');
    times.push(performance.now() - t);
    if (g.sheets[0].merges.length !== n) throw new Error(`read ${g.sheets[0].merges.length} merges, expected ${n}`);
  }
  return median(times);
}

/**
 * `perfsheet check <200 files> --summary` (issue #9) against ExcelJS loading the same 200 workbooks alone
 * (target < 2×). The files (1 to 5 self-evaluation tables each) are written to a temporary folder; the summary
 * run reads each from disk, checks it, and writes the reviewer's workbook.
 */
async function summaryBench(files = 200): Promise<void> {
  const { checkFiles, summaryWorkbook } = await import('../src/cli/summary');
  const fs = await import('fs');
  const os = await import('os');
  const path = await import('path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-bench-'));
  try {
    const variants = await Promise.all([1, 2, 3, 4, 5].map((n) => buildXlsx(n)));
    const paths: string[] = [];
    for (let i = 0; i < files; i++) {
      const p = path.join(dir, `单位${i + 1}_绩效自评表.xlsx`);
      fs.writeFileSync(p, variants[i % variants.length]);
      paths.push(p);
    }
    const loadAll = async () => {
      const t = performance.now();
      for (const p of paths) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(fs.readFileSync(p) as unknown as ArrayBuffer);
      }
      return performance.now() - t;
    };
    const summaryAll = async () => {
      const t = performance.now();
      const outcomes = await checkFiles(paths, 'central');
      fs.writeFileSync(path.join(dir, 'summary.xlsx'), await summaryWorkbook(outcomes));
      const ms = performance.now() - t;
      const tables = outcomes.reduce((a, o) => a + (o.result?.tables.length ?? 0), 0);
      if (tables !== 3 * files) throw new Error(`summary found ${tables} tables, expected ${3 * files}`);
      return ms;
    };
    await loadAll();
    await summaryAll(); // warm-up
    const runs = Math.max(3, Math.min(RUNS, 5));
    const load: number[] = [];
    const summary: number[] = [];
    for (let i = 0; i < runs; i++) {
      load.push(await loadAll());
      summary.push(await summaryAll());
    }
    const l = median(load);
    const s = median(summary);
    const ratio = s / l;
    console.log(
      `summary of ${files} workbooks (${3 * files} tables): ExcelJS load alone ${l.toFixed(0)} ms | check --summary ${s.toFixed(0)} ms | ×${ratio.toFixed(2)} (target < 2) ${ratio < 2 ? 'OK' : 'OVER'}`,
    );
    workersBench(paths);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `perfsheet check` over many files through the compiled bin: files per second on 1 worker and on one per core
 * (issue #21), interleaved so that a busy machine slows both alike.
 */
function workersBench(paths: readonly string[]): void {
  const root = path.resolve(__dirname, '..');
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-cli.js')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build-cli failed: ${build.stderr}`);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const once = (jobs: number): number => {
    const t = performance.now();
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'perfsheet.js'), 'check', ...paths, '--jobs', String(jobs)], {
      cwd: root,
      stdio: 'ignore',
    });
    if (r.status === 2 || r.status === null) throw new Error(`check --jobs ${jobs} exited ${r.status}`);
    return performance.now() - t;
  };
  const one: number[] = [];
  const many: number[] = [];
  for (let i = 0; i < 3; i++) {
    one.push(once(1));
    many.push(once(cores));
  }
  const fps = (ms: number) => ((paths.length / ms) * 1000).toFixed(1);
  const a = median(one);
  const b = median(many);
  console.log(
    `check of ${paths.length} files (dist-cli, median of 3): 1 worker ${fps(a)} files/s | ${cores} workers ${fps(b)} files/s | ×${(a / b).toFixed(2)}` +
      ` (default here: ${defaultJobs(paths.length) === 1 ? 'no workers' : `${defaultJobs(paths.length)} workers`})`,
  );
}

async function main() {
  // Warm up the JIT (ExcelJS's and the engine's alike) at full size, so that neither side is measured while
  // V8 is still compiling it.
  await measure(200);
  const a = await measure(200);
  const b = await measure(400);
  const f = (x: number) => `${x.toFixed(1).padStart(8)} ms`;
  // No forced GC between phases: a forced full collection makes V8 re-tier the engine's code and triples its
  // time (measured), which no user ever sees.
  console.log(`PerfSheet benchmark (median of ${RUNS} runs after a full-size warm-up, Node ${process.version})`);
  for (const m of [a, b]) {
    console.log(
      `${String(m.tables).padStart(4)} tables, ${m.rows} indicator rows, ${m.kb} KB xlsx: ` +
        `ExcelJS load ${f(m.load)} | grid ${f(m.grid)} | engine ${f(m.engine)} | engine/load ${((m.engine / m.load) * 100).toFixed(1)}%`,
    );
  }
  const ratio = a.engine / a.load;
  const growth = b.engine / a.engine;
  console.log(`engine/load at 200 tables: ${(ratio * 100).toFixed(1)}% (target < 10%) ${ratio < 0.1 ? 'OK' : 'OVER'}`);
  console.log(`engine time 400 vs 200 tables: ×${growth.toFixed(2)} (target ≤ 2) ${growth <= 2 ? 'OK' : 'OVER'}`);
  await engineParts(200);
  await measureMerges(20_000); // warm-up
  const m10 = await measureMerges(10_000);
  const m20 = await measureMerges(20_000);
  const mr = m20 / m10;
  console.log(
    `reading merged areas: 10,000 in ${m10.toFixed(1)} ms, 20,000 in ${m20.toFixed(1)} ms: ×${mr.toFixed(2)} (linear ⇒ ≈2, target ≤ 2.5) ${mr <= 2.5 ? 'OK' : 'OVER'}`,
  );
  await summaryBench();
}

/**
 * Start-up of the headless command: wall time of `node bin/perfsheet.js check <fixture>` (compiled dist-cli/)
 * against `node -e "require('exceljs')"`, the floor of any command that reads xlsx (target ≤ 3×); and, for
 * comparison, the same check through ts-node (what bin/perfsheet.js falls back to when dist-cli/ is stale).
 */
function cliStartup(): void {
  const root = path.resolve(__dirname, '..');
  const fixture = path.join(root, 'test', 'fixtures', '石家庄市总工会_2025_绩效自评表.xlsx');
  const runs = Number(process.env.BENCH_CLI_RUNS ?? 5);
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-cli.js')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build-cli failed: ${build.stderr}`);
  const once = (args: string[]): number => {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return ms;
  };
  const commands = {
    baseline: ['-e', "require('exceljs')"],
    compiled: [path.join(root, 'bin', 'perfsheet.js'), 'check', fixture],
    tsNode: [
      '-e',
      "require('ts-node').register({ transpileOnly: true }); require('./src/cli/main').main(process.argv.slice(1)).then((c) => process.exit(c))",
      'check',
      fixture,
    ],
  };
  // Interleaved, so that a busy machine slows all three alike.
  const times: Record<keyof typeof commands, number[]> = { baseline: [], compiled: [], tsNode: [] };
  for (let i = 0; i < runs; i++) for (const k of Object.keys(commands) as (keyof typeof commands)[]) times[k].push(once(commands[k]));
  const baseline = median(times.baseline);
  const compiled = median(times.compiled);
  const tsNode = median(times.tsNode);
  const ratio = compiled / baseline;
  const f = (x: number) => `${x.toFixed(0).padStart(6)} ms`;
  console.log(`CLI start-up (median of ${runs} runs): node -e "require('exceljs')" ${f(baseline)} | perfsheet check (dist-cli) ${f(compiled)} | same through ts-node ${f(tsNode)}`);
  console.log(`perfsheet check / require('exceljs'): ×${ratio.toFixed(2)} (target ≤ 3) ${ratio <= 3 ? 'OK' : 'OVER'}`);
}

main()
  .then(() => cliStartup())
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
