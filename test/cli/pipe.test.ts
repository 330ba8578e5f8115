/**
 * The installed command's output through a real pipe: every byte reaches the reader before the process ends
 * (issue #21: `check … --json | program` delivered 65,536 bytes, a pipe's buffer, of a 137 KB document).
 */
import { spawn } from 'child_process';
import { readdirSync } from 'fs';
import path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'perfsheet.js');

/** Every fixture and corpus workbook, relative to ROOT (short arguments: hundreds of them fit a command line). */
function workbooks(): string[] {
  const dirs = ['test/fixtures', 'test/corpus/selfeval', 'test/corpus/target'];
  return dirs.flatMap((d) =>
    readdirSync(path.join(ROOT, d))
      .filter((f) => f.endsWith('.xlsx'))
      .map((f) => `${d}/${f}`),
  );
}

/** Runs the bin with stdout and stderr as pipes that this process reads; resolves with both, whole. */
function runThroughPipes(args: string[]): Promise<{ code: number | null; out: Buffer; err: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out), err: Buffer.concat(err) }));
  });
}

describe('output through a pipe', () => {
  it('a multi-megabyte --json document arrives whole and parses', async () => {
    const files = workbooks();
    expect(files.length).toBeGreaterThanOrEqual(12);
    const args = Array.from({ length: 24 }, () => files).flat();
    const r = await runThroughPipes(['check', ...args, '--json']);
    expect(r.err.toString('utf8')).not.toMatch(/内部错误|Error:/);
    expect(r.out.length).toBeGreaterThan(3 * 1024 * 1024);
    const doc = JSON.parse(r.out.toString('utf8'));
    expect(doc.files).toHaveLength(args.length);
    expect(doc.files.map((f: { file: string }) => f.file)).toEqual(args);
    // The last file's result is there in full, as the first copy of the same workbook had it.
    expect(doc.files[args.length - 1]).toEqual(doc.files[files.length - 1]);
    expect(doc.summary.tables).toBe(
      24 * doc.files.slice(0, files.length).reduce((n: number, f: { tables: unknown[] }) => n + f.tables.length, 0),
    );
    expect(r.code).toBe(doc.summary.errors > 0 ? 1 : 0);
  }, 180_000);

  it('stderr and the text summary arrive whole too (2,000 missing files: exit 2, every line)', async () => {
    const missing = Array.from({ length: 2000 }, (_, i) => `缺失-${String(i).padStart(4, '0')}.xlsx`);
    const r = await runThroughPipes(['check', ...missing]);
    expect(r.code).toBe(2);
    const err = r.err.toString('utf8').trimEnd().split('\n');
    expect(r.err.length).toBeGreaterThan(64 * 1024);
    expect(err).toHaveLength(2000);
    expect(err[1999]).toBe('perfsheet：缺失-1999.xlsx：文件不存在。');
    const out = r.out.toString('utf8');
    expect(out.length).toBeGreaterThan(64 * 1024);
    expect(out.trimEnd().split('\n').pop()).toBe(
      '合计：2000 个文件，其中 2000 个无法检查，0 张表；错误 0，警告 0，提示 0。',
    );
  }, 120_000);
});
