/**
 * The reader on the country's forms: every workbook of the published corpus (test/corpus, copied from
 * ../shared/corpus) and the 石家庄 fixtures (test/fixtures, truth written from their README) at 100% — every
 * table, funds figure, indicator row, computed 执行率/score/总分/等级 and defect right, nothing false.
 * A failure prints the harness's mismatch list for that workbook (`npm run accuracy` prints all of them).
 */
import { existsSync, readFileSync } from 'fs';
import path from 'path';
import { analyzeWorkbook } from '../../src/domain/engine';
import { TableResultSchema } from '../../src/domain/types';
import { readWorkbookBytes } from '../../src/xlsx/read';
import { formatMismatch, isPerfect, loadTruths, projectTruthDirs, runEntry } from '../support/accuracy';

const ROOT = path.join(__dirname, '..', '..');
const entries = loadTruths(projectTruthDirs(ROOT));

describe('corpus and fixtures at 100%', () => {
  it('holds the ten corpus workbooks and the two fixtures, each with its truth', () => {
    expect(entries.filter((e) => !e.id.startsWith('fixtures/'))).toHaveLength(10);
    expect(entries.filter((e) => e.id.startsWith('fixtures/'))).toHaveLength(2);
    for (const e of entries) expect(existsSync(e.workbookPath)).toBe(true);
  });

  it.each(entries.map((e) => [e.id, e] as const))('%s', async (_id, entry) => {
    const r = await runEntry(entry);
    // The list of what the engine got wrong, one line each (file | sheet | table | row | field: expected, got).
    expect(r.mismatches.map(formatMismatch)).toEqual([]);
    expect(isPerfect(r.figures)).toBe(true);
  });
});

// The engine does not validate its own results at run time (they are built from typed values, and the check
// cost a fifth of its time): the contract is held here, on every real form, under both profiles.
describe('results of the real forms match the result schema', () => {
  it.each(entries.map((e) => [e.id, e] as const))('%s', async (_id, entry) => {
    const wb = await readWorkbookBytes(readFileSync(entry.workbookPath), entry.truth.file);
    for (const profile of ['central', 'hebei'] as const) {
      const r = analyzeWorkbook(wb, { profile });
      expect(r.findings.filter((f) => f.code === 'S01')).toEqual([]);
      expect(r.tables.length).toBeGreaterThan(0);
      for (const t of r.tables) TableResultSchema.parse(t);
    }
  });
});
