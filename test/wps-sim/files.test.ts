/**
 * The in-memory WPS host on real files: what its object model returns agrees with what the CLI's .xlsx reader
 * (src/xlsx, readWorkbookBytes) reads from the same bytes: values (errors as their codes, dates as serials),
 * formulas, number formats and merged areas.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { isCellError, SheetGrid } from '../../src/domain/grid';
import { ERROR_CODES, SimWps } from '../../src/wps-sim';
import { addressOf } from '../../src/wps-sim/cells';
import { readWorkbookBytes } from '../../src/xlsx/read';
import type { WpsRange } from '../../src/wps/api';

const root = join(__dirname, '..');
const xlsxIn = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.xlsx'))
    .map((f) => join(dir, f));

/** Every form the repository holds, and the hostile files that stress reading (not the unreadable ones). */
const FILES = [
  ...xlsxIn('fixtures'),
  ...xlsxIn('corpus/selfeval'),
  ...xlsxIn('corpus/target'),
  ...[
    'c04c_total_is_sum_formula',
    'c06a_error_literals',
    'c08_dates_in_number_fields',
    'c09i_weight_rate_score_merged_funds',
    'c09k_total_row_weight_and_score_merged',
    'c11a_sheet_names_quotes_bang',
    'c15_rich_links_notes_dv_cf',
    'c16_print_settings_views_autofilter',
    'r04_array_formulas_in_computed_cells',
    'r06_defined_names',
    'r07_protected_sheet_and_workbook',
    'r14_merges_10000',
  ].map((f) => `fixtures/hostile/${f}.xlsx`),
];

const bytesOf = (f: string) => readFileSync(join(root, f));

/** The grid's value of a stored cell as WPS's Value2 shows it. */
function expectedValue2(g: SheetGrid, r: number, c: number): unknown {
  const cell = g.raw(r, c);
  if (!cell || cell.value === null) return undefined;
  return isCellError(cell.value) ? ERROR_CODES[cell.value.error] : cell.value;
}

function at(rows: unknown, r: number, c: number): unknown {
  return Array.isArray(rows) ? (rows as unknown[][])[r]?.[c] : r === 0 && c === 0 ? rows : undefined;
}

test('the test data is there (a missing directory must not make the comparisons vacuous)', () => {
  expect(FILES.length).toBeGreaterThanOrEqual(24);
});

describe.each(FILES)('%s', (file) => {
  let sim: SimWps;
  let sheets: SheetGrid[];
  beforeAll(async () => {
    const bytes = bytesOf(file);
    sim = await SimWps.open(bytes, { fileName: file });
    sheets = (await readWorkbookBytes(bytes, file)).sheets;
  });

  test('the sheets, in order', () => {
    const wb = sim.app.ActiveWorkbook!;
    const names = Array.from({ length: wb.Worksheets.Count }, (_, i) => wb.Worksheets.Item(i + 1).Name);
    // The reader leaves out only PerfSheet's own report sheets (none in these files).
    expect(names).toEqual(sheets.map((s) => s.name));
  });

  test('UsedRange.Value2 and .Formula agree with the xlsx reader, cell by cell', () => {
    for (const g of sheets) {
      const ws = sim.app.ActiveWorkbook!.Worksheets.Item(g.name);
      const used = ws.UsedRange;
      const r0 = used.Row - 1;
      const c0 = used.Column - 1;
      const values = used.Value2;
      const formulas = used.Formula;
      let compared = 0;
      for (let r = 0; r < g.rowCount; r++) {
        for (let c = 0; c < g.colCount; c++) {
          const cell = g.raw(r, c);
          const got = at(values, r - r0, c - c0);
          if (got !== expectedValue2(g, r, c))
            throw new Error(
              `${g.name}!${addressOf({ r0: r, c0: c, r1: r, c1: c })}: Value2 ${String(got)}, reader ${JSON.stringify(cell?.value)}`,
            );
          if (cell?.formula) {
            expect([`${g.name}!${r},${c}`, at(formulas, r - r0, c - c0)]).toEqual([
              `${g.name}!${r},${c}`,
              `=${cell.formula}`,
            ]);
          }
          if (cell && cell.value !== null) compared++;
        }
      }
      // Nothing outside the used range holds a value.
      expect(compared).toBe(countValues(g));
    }
  });

  test('number formats agree with the xlsx reader', () => {
    for (const g of sheets) {
      const ws = sim.app.ActiveWorkbook!.Worksheets.Item(g.name);
      for (let r = 0; r < g.rowCount; r++) {
        for (let c = 0; c < g.colCount; c++) {
          const cell = g.raw(r, c);
          if (!cell || cell.value === null) continue;
          const want = cell.numFmt ?? 'General';
          const got = ws.Range(addressOf({ r0: r, c0: c, r1: r, c1: c })).NumberFormat;
          if (got !== want)
            throw new Error(
              `${g.name}!${addressOf({ r0: r, c0: c, r1: r, c1: c })}: NumberFormat ${got}, reader ${want}`,
            );
        }
      }
    }
  });

  test('merged areas agree with the xlsx reader (MergeCells, MergeArea, and Find by format finds each once)', () => {
    const app = sim.app;
    for (const g of sheets) {
      const ws = app.ActiveWorkbook!.Worksheets.Item(g.name);
      const want = [...g.merges].sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0).map((m) => addressOf(m));
      for (const m of g.merges.slice(0, 200)) {
        expect(ws.Range(addressOf(m)).MergeCells).toBe(true);
        expect(ws.Range(addressOf({ r0: m.r1, c0: m.c1, r1: m.r1, c1: m.c1 })).MergeArea.Address()).toBe(addressOf(m));
      }
      // Every merged area found once at its top-left cell, in row order, by Find/FindNext with FindFormat.
      app.FindFormat.Clear();
      app.FindFormat.MergeCells = true;
      const used = ws.UsedRange;
      // Find starts after `after`: from the used range's last cell, the search begins at its first.
      const last = { r0: used.Row + used.Rows.Count - 2, c0: used.Column + used.Columns.Count - 2 };
      const after = ws.Range(addressOf({ ...last, r1: last.r0, c1: last.c0 }));
      const found: string[] = [];
      const first = used.Find('', after, undefined, undefined, undefined, undefined, false, false, true);
      let hit: WpsRange | null = first;
      while (hit && found.length <= want.length) {
        found.push(hit.MergeArea.Address());
        hit = used.FindNext(hit);
        if (hit && hit.Address() === first!.Address()) break;
      }
      app.FindFormat.Clear();
      expect(found).toEqual(want);
    }
  });
});

function countValues(g: SheetGrid): number {
  let n = 0;
  for (let r = 0; r < g.rowCount; r++)
    for (let c = 0; c < g.colCount; c++) if ((g.raw(r, c)?.value ?? null) !== null) n++;
  return n;
}
