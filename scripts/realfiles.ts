/**
 * `npm run realfiles -- <dir>... [--jobs N] [--lo N]`: runs the compiled command over real-world workbooks (the
 * test files of public spreadsheet libraries, hostile files) the way a bureau would, and counts what went wrong
 * (issue #21):
 * - `check --json`, `check --fill`, `check --report`, each with a 30 s limit: crashes (exit not 0/1/2, or a
 *   signal), hangs, English messages (an `内部错误` or a message without Chinese);
 * - parts: `--fill` may change only what the README names (the filled sheets, styles.xml, workbook.xml for
 *   fullCalcOnLoad, calcChain.xml); `--report` only adds parts and touches [Content_Types].xml, workbook.xml, its
 *   relationships, styles.xml and docProps/app.xml. Every other part must stay byte-identical, and none may go;
 * - with `--lo N`: N of the written outputs opened in LibreOffice (converted to PDF), which must succeed.
 * Prints one line per problem and the counts; exits 1 when any problem was found.
 */
import { spawn, spawnSync } from 'child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import JSZip from 'jszip';
import { partKey, resolveTarget } from '../src/xlsx/package';
import os from 'os';
import path from 'path';

const ROOT = path.resolve(__dirname, '..');
/**
 * The compiled command is copied aside before the run (scratch/realfiles-bin, without src/), so that editing the
 * sources during a long run neither switches the bin to ts-node nor mixes two versions in one count.
 */
const SNAP = path.join(ROOT, 'scratch', 'realfiles-bin');
const BIN = path.join(SNAP, 'bin', 'perfsheet.js');
const LIMIT_MS = 30_000;

interface Run {
  code: number | null;
  signal: string | null;
  out: string;
  err: string;
  ms: number;
  timedOut: boolean;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const t = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, LIMIT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        out: Buffer.concat(out).toString('utf8'),
        err: Buffer.concat(err).toString('utf8'),
        ms: Date.now() - t,
        timedOut,
      });
    });
  });
}

const CJK = /[\u4e00-\u9fff]/;

/** What is wrong with a run, or null. */
function runProblem(r: Run): string | null {
  if (r.timedOut) return `hang (> ${LIMIT_MS / 1000} s)`;
  if (r.signal) return `crash (signal ${r.signal})`;
  if (r.code !== 0 && r.code !== 1 && r.code !== 2) return `crash (exit ${r.code})`;
  const lines = r.err.split('\n').filter((l) => l.startsWith('perfsheet：'));
  if (/内部错误/.test(r.err)) return `internal error: ${lines.find((l) => /内部错误/.test(l)) ?? r.err.slice(0, 200)}`;
  const english = lines.find((l) => !CJK.test(l.slice('perfsheet：'.length)));
  if (english) return `English message: ${english}`;
  if (r.code === 2 && lines.length === 0 && !CJK.test(r.out)) return 'exit 2 without a Chinese message';
  return null;
}

async function parts(file: string): Promise<Map<string, Buffer> | null> {
  try {
    const zip = await JSZip.loadAsync(readFileSync(file));
    const out = new Map<string, Buffer>();
    for (const [name, entry] of Object.entries(zip.files)) if (!entry.dir) out.set(name, await entry.async('nodebuffer'));
    return out;
  } catch {
    return null;
  }
}

/** A part name as compared, as the package layer looks it up: forward slashes, no leading slash, lower case. */
const norm = partKey;

/** A relationship target resolved as the package layer resolves it, as a `norm` name. */
const partAt = (sourcePart: string, target: string) => norm(resolveTarget(sourcePart, target));

/** Where the package keeps its workbook, its relationships, styles and each sheet (by name), as `norm` names. */
function packageMap(p: Map<string, Buffer>): { workbook: string; rels: string; styles: string | null; sheets: Map<string, string> } {
  const byNorm = new Map([...p].map(([k, v]) => [norm(k), v.toString('utf8')]));
  const rootRels = byNorm.get('_rels/.rels') ?? '';
  const wbTarget = /Type="[^"]*officeDocument"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Type="[^"]*officeDocument"/.exec(rootRels);
  const workbook = partAt('', wbTarget?.[1] ?? wbTarget?.[2] ?? 'xl/workbook.xml');
  const dir = workbook.includes('/') ? workbook.slice(0, workbook.lastIndexOf('/')) : '';
  const rels = norm(`${dir ? `${dir}/` : ''}_rels/${workbook.slice(dir ? dir.length + 1 : 0)}.rels`);
  const targets = new Map<string, { type: string; target: string }>();
  for (const m of (byNorm.get(rels) ?? '').matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = /Id="([^"]+)"/.exec(m[0])?.[1];
    const target = /Target="([^"]+)"/.exec(m[0])?.[1];
    const type = /Type="([^"]+)"/.exec(m[0])?.[1] ?? '';
    if (id && target) targets.set(id, { type, target: partAt(workbook, target) });
  }
  const styles = [...targets.values()].find((t) => t.type.endsWith('/styles'))?.target ?? null;
  const sheets = new Map<string, string>();
  for (const m of (byNorm.get(workbook) ?? '').matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    const id = /\b(?:r|\w+):id="([^"]+)"/.exec(m[0])?.[1];
    const t = id ? targets.get(id) : undefined;
    if (name !== undefined && t) sheets.set(name.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'"), t.target);
  }
  return { workbook, rels, styles, sheets };
}

/**
 * Parts lost, and parts changed that the README does not name as changed: for `--fill`, the sheets it filled,
 * styles, the workbook (fullCalcOnLoad) and calcChain; for `--report`, the content types, the workbook, its
 * relationships, styles and docProps/app.xml.
 */
async function partProblems(input: string, output: string, kind: 'fill' | 'report', filledSheets: Set<string>): Promise<string[]> {
  const a = await parts(input);
  const b = await parts(output);
  if (!a) return [];
  if (!b) return ['output is no zip'];
  const map = packageMap(a);
  const may = new Set<string>([map.workbook]);
  if (map.styles) may.add(map.styles);
  if (kind === 'fill') {
    may.add(partAt(map.workbook, 'calcChain.xml'));
    for (const s of filledSheets) {
      const part = map.sheets.get(s);
      if (part) may.add(part);
    }
  } else {
    may.add(map.rels);
    may.add('[content_types].xml');
    may.add('docprops/app.xml');
  }
  const after = new Map([...b].map(([k, v]) => [norm(k), v]));
  const out: string[] = [];
  for (const [name, bytes] of a) {
    // The same name first: a package may hold two names that differ only in case.
    const got = b.get(name) ?? after.get(norm(name));
    if (!got) {
      out.push(`part lost: ${name}`);
      continue;
    }
    if (!got.equals(bytes) && !may.has(norm(name))) out.push(`part changed: ${name}`);
  }
  return out;
}

function files(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p).sort()) walk(path.join(p, e));
    else if (/\.(xlsx|xlsm)$/i.test(p)) out.push(p);
  };
  for (const d of dirs) walk(d);
  return out;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const jobs = Number(opt('--jobs') ?? 2);
  const lo = Number(opt('--lo') ?? 0);
  const list = files(args);
  if (list.length === 0) {
    console.error('usage: npm run realfiles -- <dir or file>... [--jobs N] [--lo N]');
    return 2;
  }
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-cli.js')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build-cli failed: ${build.stderr}`);
  rmSync(SNAP, { recursive: true, force: true });
  cpSync(path.join(ROOT, 'bin'), path.join(SNAP, 'bin'), { recursive: true });
  cpSync(path.join(ROOT, 'dist-cli'), path.join(SNAP, 'dist-cli'), { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'perfsheet-real-'));
  const counts = { files: list.length, checked: 0, refused: 0, crashes: 0, hangs: 0, english: 0, partsChanged: 0, partsLost: 0, unopenable: 0 };
  const problems: string[] = [];
  const written: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      const f = list[i];
      const name = path.relative(process.cwd(), f);
      const fill = path.join(tmp, `${i}-fill${path.extname(f)}`);
      const report = path.join(tmp, `${i}-report${path.extname(f)}`);
      const check = await run(['check', f, '--json']);
      const note = (what: string, r: Run) => {
        const p = runProblem(r);
        if (!p) return;
        if (p.startsWith('hang')) counts.hangs++;
        else if (p.startsWith('crash')) counts.crashes++;
        else counts.english++;
        problems.push(`${name} [${what}] ${p}`);
      };
      note('check', check);
      if (check.code === 2) counts.refused++;
      else counts.checked++;
      let filled = new Set<string>();
      if (check.code === 0 || check.code === 1) {
        try {
          const doc = JSON.parse(check.out) as { files: { tables?: { edits: { sheet: string; status?: string }[] }[] }[] };
          filled = new Set(doc.files[0]?.tables?.flatMap((t) => t.edits.map((e) => e.sheet)) ?? []);
        } catch {
          problems.push(`${name} [check] --json output does not parse (exit ${check.code}, ${check.out.length} bytes: ${JSON.stringify(check.out.slice(0, 120))})`);
        }
        const rf = await run(['check', f, '--fill', fill]);
        note('fill', rf);
        if (existsSync(fill)) {
          written.push(fill);
          for (const p of await partProblems(f, fill, 'fill', filled)) {
            if (p.startsWith('part lost')) counts.partsLost++;
            else counts.partsChanged++;
            problems.push(`${name} [fill] ${p}`);
          }
        }
        const rr = await run(['check', f, '--report', report]);
        note('report', rr);
        if (existsSync(report)) {
          written.push(report);
          for (const p of await partProblems(f, report, 'report', filled)) {
            if (p.startsWith('part lost')) counts.partsLost++;
            else counts.partsChanged++;
            problems.push(`${name} [report] ${p}`);
          }
        }
      }
      if ((i + 1) % 50 === 0) console.error(`… ${i + 1}/${list.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  // LibreOffice: a sample of the outputs, spread over the list.
  const sample = lo > 0 ? written.filter((_, k) => k % Math.max(1, Math.floor(written.length / lo)) === 0).slice(0, lo) : [];
  for (const w of sample) {
    const outDir = path.join(tmp, 'lo');
    const r = spawnSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', outDir, w], { encoding: 'utf8', timeout: 120_000 });
    const pdf = path.join(outDir, `${path.basename(w, path.extname(w))}.pdf`);
    if (r.status !== 0 || !existsSync(pdf)) {
      counts.unopenable++;
      problems.push(`${w} LibreOffice could not open it`);
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  for (const p of problems) console.log(p);
  console.log(
    `files ${counts.files} · checked ${counts.checked} · refused with a message ${counts.refused} · crashes ${counts.crashes} · hangs ${counts.hangs} · ` +
      `English/internal messages ${counts.english} · parts changed ${counts.partsChanged} · parts lost ${counts.partsLost} · ` +
      `opened in LibreOffice ${sample.length - counts.unopenable}/${sample.length}`,
  );
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
