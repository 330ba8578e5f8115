/**
 * `perfsheet check --jobs N` (issue #21): many files are checked on worker threads, and the outcomes come out in
 * input order, byte for byte what one worker gives, a file that cannot be read included.
 */
import { spawnSync } from 'child_process';
import { readdirSync } from 'fs';
import os from 'os';
import path from 'path';
import { runCli } from '../support/cli';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'perfsheet.js');

const files = ['test/fixtures', 'test/corpus/selfeval', 'test/corpus/target'].flatMap((d) =>
  readdirSync(path.join(ROOT, d))
    .filter((f) => f.endsWith('.xlsx'))
    .map((f) => `${d}/${f}`),
);

const bin = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });

beforeAll(() => {
  // The workers run the compiled command (dist-cli), as an installed perfsheet does.
  const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-cli.js')], { cwd: ROOT, encoding: 'utf8' });
  expect(b.status).toBe(0);
});

describe('perfsheet check --jobs', () => {
  it('the compiled command has its worker', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pool = require(path.join(ROOT, 'dist-cli', 'cli', 'pool.js')) as { workerScript(): string | null };
    expect(pool.workerScript()).toBe(path.join(ROOT, 'dist-cli', 'cli', 'worker.js'));
  });

  it('3 workers give the same JSON and text as 1, in input order, a missing file in its place', () => {
    const args = ['check', ...files, 'test/nope.xlsx', ...files.slice(0, 3)];
    const one = bin([...args, '--json', '--jobs', '1']);
    const three = bin([...args, '--json', '--jobs', '3']);
    expect(three.status).toBe(2);
    expect(one.status).toBe(2);
    expect(three.stdout).toBe(one.stdout);
    const doc = JSON.parse(three.stdout) as { files: { file: string; error?: string }[] };
    expect(doc.files.map((f) => f.file)).toEqual(args.slice(1));
    expect(doc.files[files.length].error).toContain('文件不存在');
    expect(bin([...args, '--jobs', '3']).stdout).toBe(bin([...args, '--jobs', '1']).stdout);
  });

  it('the summary workbook of many files too', () => {
    const one = bin(['check', ...files, '--summary', path.join(os.tmpdir(), 'ps-jobs-1.xlsx'), '--json', '--jobs', '1']);
    const two = bin(['check', ...files, '--summary', path.join(os.tmpdir(), 'ps-jobs-2.xlsx'), '--json', '--jobs', '2']);
    expect(two.status).toBe(one.status);
    expect(two.stdout).toBe(one.stdout);
  });

  it('refuses a --jobs that is no count, in Chinese', async () => {
    for (const v of ['0', 'x', '1.5']) {
      const r = await runCli(['check', files[0], '--jobs', v]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--jobs 须是 1 到 256 之间的整数');
    }
  });

  it('from the sources (no compiled worker) --jobs runs in this thread with the same result', async () => {
    const a = await runCli(['check', ...files.slice(0, 4), '--json', '--jobs', '2']);
    const b = await runCli(['check', ...files.slice(0, 4), '--json', '--jobs', '1']);
    expect(a.out).toBe(b.out);
    expect(a.code).toBe(b.code);
  });
});
