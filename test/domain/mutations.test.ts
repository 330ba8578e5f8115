/**
 * Generality proven by mutation (issue #16): every corpus form and fixture, changed the ways real forms differ
 * (test/support/mutations.ts), is read exactly as the original — tables, kind, name, funds, rows, scores and
 * findings with their cells mapped through the change. `npm run accuracy` prints the same matrix.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { WorkbookGrid } from '../../src/domain/grid';
import { readWorkbookBytes } from '../../src/xlsx/read';
import { loadTruths, projectTruthDirs } from '../support/accuracy';
import { MUTATIONS, runMutation } from '../support/mutations';

const entries = loadTruths(projectTruthDirs(path.join(__dirname, '..', '..')));
const books = new Map<string, WorkbookGrid>();
async function book(id: string): Promise<WorkbookGrid> {
  let wb = books.get(id);
  if (!wb) {
    const e = entries.find((x) => x.id === id)!;
    wb = await readWorkbookBytes(readFileSync(e.workbookPath), e.truth.file);
    books.set(id, wb);
  }
  return wb;
}

describe.each(MUTATIONS.map((m) => [m.id, m] as const))('mutation %s', (_id, m) => {
  it.each(entries.map((e) => [e.id] as const))('%s is read as the original', async (id) => {
    const o = runMutation(await book(id), m);
    if (!o.applicable) return;
    expect(o.actual).toEqual(o.expected);
  });

  it('applies to some forms', async () => {
    let n = 0;
    for (const e of entries) if (m.apply(await book(e.id))) n++;
    expect(n).toBeGreaterThan(0);
  });
});
