/**
 * `npm run accuracy`: runs the engine over the published corpus (test/corpus) and the fixtures (test/fixtures),
 * compares with their truth files and prints the figures per file and in total, the precision per rule code and
 * the list of every mismatch (file, sheet, table, row, field, expected vs got).
 *
 *   npm run accuracy                 figures + mismatch list
 *   npm run accuracy -- --summary    figures only
 *   npm run accuracy -- --findings   also every finding with how it was counted
 *   npm run accuracy -- --json       the structured report as JSON
 *   npm run accuracy -- <filter>     only the workbooks whose name contains <filter>
 *
 * Exit code 0 only when every figure is at 100% (and nothing false or spurious was read).
 */
import { readFileSync } from 'fs';
import path from 'path';
import { readWorkbookBytes } from '../src/xlsx/read';
import { MUTATIONS, runMutation } from '../test/support/mutations';
import {
  combine,
  formatMismatches,
  formatSummary,
  loadTruths,
  projectTruthDirs,
  runEntry,
} from '../test/support/accuracy';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const filters = args.filter((a) => !a.startsWith('--'));
  const entries = loadTruths(projectTruthDirs(path.resolve(__dirname, '..'))).filter(
    (e) => filters.length === 0 || filters.some((f) => e.id.includes(f)),
  );
  if (entries.length === 0) {
    console.error('没有找到匹配的真值文件（*.truth.json）。');
    return 2;
  }
  const files = [];
  for (const e of entries) files.push(await runEntry(e));
  const rep = combine(files);
  // The layout-mutation matrix: each mutation × the forms it applies to, read exactly as the original.
  const matrix: { id: string; title: string; exact: number; applicable: number; failed: string[] }[] = [];
  const books = [];
  for (const e of entries)
    books.push({ id: e.id, wb: await readWorkbookBytes(readFileSync(e.workbookPath), e.truth.file) });
  for (const m of MUTATIONS) {
    const row = { id: m.id, title: m.title, exact: 0, applicable: 0, failed: [] as string[] };
    for (const b of books) {
      const o = runMutation(b.wb, m);
      if (!o.applicable) continue;
      row.applicable++;
      if (o.exact) row.exact++;
      else row.failed.push(b.id);
    }
    matrix.push(row);
  }
  const mutationsPerfect = matrix.every((m) => m.exact === m.applicable);
  if (flags.has('--json')) {
    console.log(JSON.stringify({ ...rep, mutations: matrix }, null, 2));
    return rep.perfect && mutationsPerfect ? 0 : 1;
  }
  console.log(formatSummary(rep));
  console.log('\nLayout mutations (forms read exactly as the original / forms the mutation applies to)');
  for (const m of matrix) {
    const pct = m.applicable ? `${Math.round((100 * m.exact) / m.applicable)}%` : '—';
    console.log(
      `  ${m.id.padEnd(15)} ${`${m.exact}/${m.applicable}`.padStart(6)} ${pct.padStart(5)}  ${m.title}${m.failed.length ? `  FAILED: ${m.failed.join(', ')}` : ''}`,
    );
  }
  console.log(
    mutationsPerfect
      ? 'MUTATIONS: every applicable form read exactly.'
      : 'MUTATIONS: some forms read differently (listed above).',
  );
  if (!flags.has('--summary') && rep.mismatches.length) {
    console.log('\nMismatches (file | sheet | table | row | area.field: expected, got — note)');
    console.log(formatMismatches(rep));
  }
  if (flags.has('--findings')) {
    console.log('\nFindings and how they were counted');
    for (const f of rep.files) {
      for (const c of f.findings) {
        const x = c.finding;
        console.log(
          `${f.file.replace(/\.xlsx$/, '')} | ${x.sheet}!${x.cell} | ${x.severity} ${x.code} | ${c.cls} (${c.reason}) | ${x.message}`,
        );
      }
    }
  }
  return rep.perfect && mutationsPerfect ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
