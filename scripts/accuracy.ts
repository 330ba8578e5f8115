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
import path from 'path';
import { combine, formatMismatches, formatSummary, loadTruths, projectTruthDirs, runEntry } from '../test/support/accuracy';

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
  if (flags.has('--json')) {
    console.log(JSON.stringify(rep, null, 2));
    return rep.perfect ? 0 : 1;
  }
  console.log(formatSummary(rep));
  if (!flags.has('--summary') && rep.mismatches.length) {
    console.log('\nMismatches (file | sheet | table | row | area.field: expected, got — note)');
    console.log(formatMismatches(rep));
  }
  if (flags.has('--findings')) {
    console.log('\nFindings and how they were counted');
    for (const f of rep.files) {
      for (const c of f.findings) {
        const x = c.finding;
        console.log(`${f.file.replace(/\.xlsx$/, '')} | ${x.sheet}!${x.cell} | ${x.severity} ${x.code} | ${c.cls} (${c.reason}) | ${x.message}`);
      }
    }
  }
  return rep.perfect ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
