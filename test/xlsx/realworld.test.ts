/**
 * Real-world workbooks (issue #21): `npm run realfiles` over the committed sample — the compiled command's
 * check, --fill and --report on each — finds no crash, no hang, no English message, no part lost or changed that
 * the README does not name, and LibreOffice opens the outputs it tries.
 */
import { spawnSync } from 'child_process';
import path from 'path';

const ROOT = path.join(__dirname, '..', '..');

test('the real-world sample: no crash, no hang, no English message, nothing lost, outputs open in LibreOffice', () => {
  const r = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'scripts/realfiles.ts', 'test/fixtures/realworld', '--jobs', '2', '--lo', '3'],
    { cwd: ROOT, encoding: 'utf8', timeout: 240_000 },
  );
  const last = r.stdout.trim().split('\n').pop() ?? '';
  expect(r.stdout).toContain('files 16');
  expect(last).toMatch(/crashes 0 · hangs 0 · English\/internal messages 0 · parts changed 0 · parts lost 0 · opened in LibreOffice 3\/3/);
  expect(r.status).toBe(0);
}, 300_000);
