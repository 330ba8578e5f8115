/**
 * One engine, every host: each fixture and corpus workbook checked through the CLI's file reader, through the
 * Excel adapter on the in-memory Excel host, and through the WPS adapter on the in-memory WPS host gives the
 * same tables, scores, edits and findings. And 回填 writes the same cells with the same values in both hosts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SimExcel } from '../../src/excel-sim';
import { ExcelSession } from '../../src/excel/session';
import { SimWps } from '../../src/wps-sim';
import { WpsSession } from '../../src/wps/session';
import { analyzeWorkbook } from '../../src/domain/engine';
import { readWorkbookBytes } from '../../src/xlsx/read';
import type { WorkbookResult } from '../../src/domain/types';

const ROOT = path.join(__dirname, '..');
function xlsxUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    // test/fixtures/realworld: other libraries' test files, many of them no workbook at all (realworld.test.ts).
    if (d.isDirectory()) return d.name === 'realworld' ? [] : xlsxUnder(p);
    return d.name.endsWith('.xlsx') ? [p] : [];
  });
}
/**
 * The hostile workbooks that are readable forms or spreadsheets (error literals, dates in number fields,
 * merges over computed cells, a whole-sheet merge, 10,000 merges, defined names, protection, charts, array
 * formulas …); the ones that are not workbooks at all, and the 60,000-row one (slow, and read the same way
 * as the 50,000-row sheet of the adapter tests), are left out.
 */
const HOSTILE_LEFT_OUT = ['ods_renamed.xlsx', 'zip_not_xlsx.xlsx', 'r19g_workbook_xml_missing.xlsx', 'c26_60000_header_rows.xlsx'];
const FILES = [
  ...xlsxUnder(path.join(ROOT, 'fixtures')).filter((f) => !HOSTILE_LEFT_OUT.includes(path.basename(f))),
  ...xlsxUnder(path.join(ROOT, 'corpus')),
];

/** The results without what only says how they were obtained. */
function comparable(r: WorkbookResult): unknown {
  return JSON.parse(JSON.stringify(r));
}

test('there are fixtures and corpus workbooks to compare', () => {
  expect(FILES.length).toBeGreaterThanOrEqual(30);
});

describe.each(FILES.map((f) => [path.relative(ROOT, f), f]))('%s', (_name, file) => {
  const bytes = fs.readFileSync(file);
  const fileName = path.basename(file);

  test('the CLI, the Excel host and the WPS host give the same results', async () => {
    const cli = analyzeWorkbook(await readWorkbookBytes(bytes, fileName), { profile: 'central' });
    const excel = await new ExcelSession(await SimExcel.open(bytes, { fileName })).check();
    const wps = await new WpsSession((await SimWps.open(bytes, { fileName })).app).check();
    expect(wps.result.tables.length).toBe(cli.tables.length);
    expect(comparable(excel.result)).toEqual(comparable(cli));
    expect(comparable(wps.result)).toEqual(comparable(cli));
    expect(wps.notices).toEqual(excel.notices);
  });

  test('回填 writes the same cells with the same values in both hosts', async () => {
    const simX = await SimExcel.open(bytes, { fileName });
    const simW = await SimWps.open(bytes, { fileName });
    const x = new ExcelSession(simX);
    const w = new WpsSession(simW.app);
    const rx = await x.check();
    const rw = await w.check();
    const edits = rx.result.tables.flatMap((t) => t.edits);
    const ox = await x.applyEdits(edits);
    const ow = await w.applyEdits(rw.result.tables.flatMap((t) => t.edits));
    const key = (o: typeof ox) => o.written.map((e) => `${e.sheet}!${e.cell}=${e.value}`).sort();
    expect(key(ow)).toEqual(key(ox));
    expect(ow.skipped.map((s) => `${s.edit.sheet}!${s.edit.cell}:${s.reason}`).sort()).toEqual(
      ox.skipped.map((s) => `${s.edit.sheet}!${s.edit.cell}:${s.reason}`).sort(),
    );
    // Re-read after 回填: both workbooks now give the same results again.
    const again = comparable((await new WpsSession(simW.app).check()).result);
    expect(again).toEqual(comparable((await new ExcelSession(simX).check()).result));
  });
});
