/**
 * The WPS adapter driven through the in-memory WPS host: the grid it reads, its call budgets (a 40-sheet
 * workbook, a 50,000-row sheet), the never-overwrite rules, marks that leave no trace, live re-checks without
 * loops, stored choices that the CLI and Excel read too, the report and new forms.
 */
import * as fs from 'fs';
import * as path from 'path';
import ExcelJS from 'exceljs';
import { SimWps } from '../../src/wps-sim';
import { WpsSession } from '../../src/wps/session';
import { cellRows } from '../../src/wps/read';
import { readWorkbookBytes } from '../../src/xlsx/read';
import { readChoices } from '../../src/xlsx/choices';
import { XlsxPackage } from '../../src/xlsx/package';
import { MARK_SIGNATURE } from '../../src/domain/marks';
import { allFindings } from '../../src/domain/engine';
import { FIXTURE_2024, FIXTURE_2025, copySheet, loadExcelJs, waitFor } from '../excel/helpers';

/** A published form with defects (V03, V05 … on the 公开14表). */
const CORPUS_WITH_DEFECTS = path.join(__dirname, '..', 'corpus', 'selfeval', '云南临沧永德县明朗中学_2022_项目支出绩效自评表.xlsx');

async function openWps(file = FIXTURE_2025): Promise<SimWps> {
  return SimWps.open(fs.readFileSync(file), { fileName: path.basename(file) });
}

async function simOf(wb: ExcelJS.Workbook): Promise<SimWps> {
  return SimWps.open(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer), { fileName: 'test.xlsx' });
}

/**
 * The check's budget: per sheet a constant (sheet handle, used range and its values, formulas and errors,
 * the Find-by-format set-up: about 25 calls), four calls per merged area (FindNext, the match's address,
 * MergeArea, its address), and two per number-format rectangle (a form has a handful of formats: the 2025 fixture needs
 * about 10 rectangles a sheet); plus two per defined name. Nothing per cell or per row.
 */
const PER_SHEET = 30;
const PER_MERGE = 4;
const PER_NAME = 2;
const FORMAT_CALLS_PER_SHEET = 2 * 30;

function checkBudget(sheets: number, merges: number, names: number): number {
  return 10 + sheets * (PER_SHEET + FORMAT_CALLS_PER_SHEET) + merges * PER_MERGE + names * PER_NAME;
}

describe('reading', () => {
  // How WPS's Find treats merged cells when searching by format is not documented: read right either way.
  test.each(['every-cell', 'none'] as const)('merged areas are read right when Find by format matches %s', async (mode) => {
    const bytes = fs.readFileSync(FIXTURE_2025);
    const wps = await SimWps.open(bytes, { findByFormat: mode });
    const viaWps = (await new WpsSession(wps.app).check()).grid;
    const viaFile = await readWorkbookBytes(bytes);
    const sortM = (m: readonly { r0: number; c0: number }[]) => [...m].sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0);
    viaFile.sheets.forEach((f, i) => expect(sortM(viaWps.sheets[i].merges)).toEqual(sortM(f.merges)));
  });

  test.each([FIXTURE_2025, FIXTURE_2024])('the grid read through WPS equals the one read from the file (%s)', async (file) => {
    const sim = await openWps(file);
    const s = new WpsSession(sim.app);
    const viaWps = (await s.check()).grid;
    const viaFile = await readWorkbookBytes(fs.readFileSync(file));
    expect(viaWps.sheets.map((x) => x.name)).toEqual(viaFile.sheets.map((x) => x.name));
    viaFile.sheets.forEach((f, i) => {
      const w = viaWps.sheets[i];
      const sortM = (m: readonly { r0: number; c0: number }[]) => [...m].sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0);
      expect(sortM(w.merges)).toEqual(sortM(f.merges));
      for (let r = 0; r < Math.max(w.rowCount, f.rowCount); r++) {
        for (let c = 0; c < Math.max(w.colCount, f.colCount); c++) {
          const a = w.raw(r, c);
          const b = f.raw(r, c);
          expect([r, c, a?.value ?? null, a?.formula ?? null]).toEqual([r, c, b?.value ?? null, b?.formula ?? null]);
          // Number formats are read for the cells holding numbers: the only ones the engine reads them for.
          if (typeof b?.value === 'number') expect([r, c, a?.numFmt]).toEqual([r, c, b.numFmt]);
        }
      }
    });
  });

  test('formulas, their results and error values are read as the file reader reads them', async () => {
    const wb = await loadExcelJs();
    const ws = wb.getWorksheet('劳模体检')!;
    ws.getCell('H13').value = { formula: 'G13', result: 20 } as ExcelJS.CellValue;
    ws.getCell('H19').value = { formula: 'SUM(H13:H18)', result: 30 } as ExcelJS.CellValue;
    ws.getCell('K1').value = { formula: '1/0', result: { error: '#DIV/0!' } } as ExcelJS.CellValue;
    ws.getCell('K2').value = { error: '#REF!' } as ExcelJS.CellValue;
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const sim = await SimWps.open(bytes);
    const viaWps = (await new WpsSession(sim.app).check()).grid.sheets.find((x) => x.name === '劳模体检')!;
    const viaFile = (await readWorkbookBytes(bytes)).sheets.find((x) => x.name === '劳模体检')!;
    expect(viaWps.raw(18, 7)).toEqual({ value: 30, formula: 'SUM(H13:H18)' });
    expect(viaWps.raw(0, 10)).toEqual({ value: { error: '#DIV/0!' }, formula: '1/0' });
    expect(viaWps.raw(1, 10)).toEqual(viaFile.raw(1, 10));
    expect(viaWps.raw(12, 7)).toEqual(viaFile.raw(12, 7));
  });

  test('the 2025 fixture: its five tables, within the call budget', async () => {
    const sim = await openWps();
    const s = new WpsSession(sim.app);
    sim.resetCalls();
    const r = await s.check();
    expect(s.lastCalls).toBe(sim.callCount);
    const merges = r.grid.sheets.reduce((n, g) => n + g.merges.length, 0);
    expect(s.lastCalls).toBeLessThanOrEqual(checkBudget(r.grid.sheets.length, merges, 0));
    expect(r.result.tables.map((t) => t.sheet)).toEqual(['部门整体', '劳模体检', '困难职工帮扶', '困难劳模帮扶', '党组织活动经费']);
    const lm = r.result.tables.find((t) => t.sheet === '劳模体检')!;
    expect(lm.totalScore).toBeCloseTo(99.76, 10);
  });

  test('40 sheets: the budget grows with the sheets and their merges, not with their cells', async () => {
    const src = await loadExcelJs();
    const one = new ExcelJS.Workbook();
    copySheet(src.getWorksheet('劳模体检')!, one.addWorksheet('表1'));
    const wb = new ExcelJS.Workbook();
    for (let i = 0; i < 40; i++) copySheet(src.getWorksheet('劳模体检')!, wb.addWorksheet(`表${i + 1}`));
    const s1 = new WpsSession((await simOf(one)).app);
    await s1.check();
    const sim = await simOf(wb);
    const s = new WpsSession(sim.app);
    const r = await s.check();
    expect(r.result.tables).toHaveLength(40);
    expect(r.result.tables.every((t) => Math.abs((t.totalScore ?? 0) - 99.76) < 1e-9)).toBe(true);
    const merges = r.grid.sheets.reduce((n, g) => n + g.merges.length, 0);
    expect(s.lastCalls).toBeLessThanOrEqual(checkBudget(40, merges, 0));
    // Linear in the sheets: 40 copies cost 40 times one sheet, give or take the workbook's own calls.
    expect(s.lastCalls).toBeLessThanOrEqual(40 * s1.lastCalls);
    expect(s.lastCalls).toBeGreaterThan(30 * s1.lastCalls);

    // Every other action on the 40 sheets, each within its budget.
    const budgets: [string, number, number][] = [];
    const findings = allFindings(r.result);
    const marks = await s.highlight(findings);
    budgets.push(['标记', s.lastCalls, 10 + 40 * 6 + 12 * marks.added]);
    const edits = r.result.tables.flatMap((t) => t.edits);
    const out = await s.applyEdits(edits);
    budgets.push(['回填', s.lastCalls, 10 + 2 * 40 + 7 * out.written.length + 3 * out.skipped.length]);
    await s.revertEdits(out.before);
    budgets.push(['撤销回填', s.lastCalls, 10 + 8 * out.before.length]);
    await s.recheckSheet('表7');
    budgets.push(['实时检查（一张表）', s.lastCalls, checkBudget(1, r.grid.sheets[6].merges.length, 0)]);
    await s.select('表7', 'I16');
    budgets.push(['定位', s.lastCalls, 8]);
    const cleared = await s.clearMarks();
    expect(cleared.removed).toBe(marks.added);
    budgets.push(['清除标记', s.lastCalls, 10 + 40 * 6 + 3 * marks.added]); // per sheet: the sheet, its protection, its formats' count
    await s.saveProfile('hebei');
    budgets.push(['评分标准', s.lastCalls, 10]);
    if (process.env.PERFSHEET_BUDGETS) console.log(JSON.stringify({ check: s1.lastCalls, budgets }));
    for (const [action, calls, budget] of budgets) expect([action, calls <= budget, calls, budget]).toEqual([action, true, calls, budget]);
  });

  test('a 50,000-row sheet costs the calls of the form in it, not of its rows', async () => {
    const src = await loadExcelJs();
    const wb = new ExcelJS.Workbook();
    const big = wb.addWorksheet('明细');
    for (let r = 1; r <= 50_000; r++) {
      if (r > 29_990 && r < 30_030) continue;
      big.getRow(r).values = [r, `支出明细项目${r}`, r * 1.5, '石家庄市总工会', `备注${r % 97}`, r % 3 === 0 ? '是' : '否', r * 2, r * 3];
    }
    copySheet(src.getWorksheet('劳模体检')!, big, 30_000);
    const sim = await simOf(wb);
    const s = new WpsSession(sim.app);
    const r = await s.check();
    const lm = r.result.tables.find((t) => t.sheet === '明细');
    expect(lm?.totalScore).toBeCloseTo(99.76, 10);
    expect(r.notices.map((n) => n.message).join('')).toContain('只读取了「一级指标」表头附近');
    const merges = r.grid.sheets.reduce((n, g) => n + g.merges.length, 0);
    expect(s.lastCalls).toBeLessThanOrEqual(checkBudget(1, merges, 0));
  });
});

test('cells holding only a format far below the form do not change what is read (WPS UsedRange covers them)', async () => {
  const wb = await loadExcelJs();
  const ws = wb.getWorksheet('劳模体检')!;
  ws.getCell('Z30000').numFmt = '0.00';
  ws.getCell('Z30000').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
  const sim = await simOf(wb);
  expect(sim.app.ActiveWorkbook!.Worksheets.Item('劳模体检').UsedRange.Address()).toBe('$A$1:$Z$30000');
  const r = await new WpsSession(sim.app).check();
  expect(r.notices).toEqual([]);
  expect(r.result.tables.find((t) => t.sheet === '劳模体检')?.totalScore).toBeCloseTo(99.76, 10);
});

describe('writing only what the user asked for', () => {
  test('opening and checking write nothing', async () => {
    const sim = await openWps();
    const before = await sim.save();
    sim.resetCalls();
    await new WpsSession(sim.app).check();
    expect(sim.writeCount).toBe(0);
    const after = await sim.save();
    const a = await readWorkbookBytes(before);
    const b = await readWorkbookBytes(after);
    expect(JSON.stringify(b)).toEqual(JSON.stringify(a));
  });

  test('回填 writes the computed cells, never a formula, within its budget; 撤销回填 puts them back', async () => {
    const wb = await loadExcelJs();
    wb.getWorksheet('劳模体检')!.getCell('I13').value = { formula: 'H13*1', result: 1 } as ExcelJS.CellValue;
    const sim = await simOf(wb);
    const s = new WpsSession(sim.app);
    const r = await s.check();
    const edits = r.result.tables.find((t) => t.sheet === '劳模体检')!.edits;
    sim.resetCalls();
    const out = await s.applyEdits(edits);
    expect(out.written.length).toBeGreaterThan(0);
    expect(sim.writeCount).toBeGreaterThanOrEqual(out.written.length);
    expect(out.skipped.some((k) => k.edit.cell === 'I13' && k.reason === '公式单元格，不覆盖') || !edits.some((e) => e.cell === 'I13')).toBe(true);
    expect(s.lastCalls).toBeLessThanOrEqual(2 + 7 * out.written.length + 3 * out.skipped.length);
    const h19 = sim.app.ActiveWorkbook!.Worksheets.Item('劳模体检').Range('H19').Value2;
    expect(h19).toBeCloseTo(99.76, 10);
    const back = await s.revertEdits(out.before);
    expect(back.restored).toBe(out.before.length);
    expect(sim.app.ActiveWorkbook!.Worksheets.Item('劳模体检').Range('H19').Value2 ?? null).toBeNull();
  });

  test('marks are conditional formats with the signature, and 清除标记 leaves no trace', async () => {
    const sim = await openWps(CORPUS_WITH_DEFECTS);
    const s = new WpsSession(sim.app);
    const r = await s.check();
    expect(allFindings(r.result).some((f) => f.severity !== 'info')).toBe(true);
    const original = await sim.save();
    const m = await s.highlight(allFindings(r.result));
    expect(m.added).toBeGreaterThan(0);
    expect(s.lastCalls).toBeLessThanOrEqual(10 + r.grid.sheets.length * 6 + 12 * m.added);
    let sig = 0;
    const wbk = sim.app.ActiveWorkbook!;
    for (let i = 1; i <= wbk.Worksheets.Count; i++) {
      const fcs = wbk.Worksheets.Item(i).Cells.FormatConditions;
      for (let k = 1; k <= fcs.Count; k++) if (String(fcs.Item(k).Formula1).includes(MARK_SIGNATURE)) sig++;
    }
    expect(sig).toBe(m.added);
    const cleared = await s.clearMarks();
    expect(cleared.removed).toBe(m.added);
    const a = new ExcelJS.Workbook();
    await a.xlsx.load(original as unknown as ArrayBuffer);
    const b = new ExcelJS.Workbook();
    await b.xlsx.load((await sim.save()) as unknown as ArrayBuffer);
    a.worksheets.forEach((ws, i) => {
      const cf = (w: ExcelJS.Worksheet) => JSON.stringify((w as unknown as { conditionalFormattings: unknown[] }).conditionalFormattings ?? []);
      expect(cf(b.worksheets[i])).toEqual(cf(ws));
    });
  });

  test('the profile and 已复核 are stored in the workbook: a new session, the CLI and Excel read them', async () => {
    const sim = await openWps();
    const s = new WpsSession(sim.app);
    const r = await s.check();
    await s.saveProfile('hebei');
    // Names.Add, and the events/alerts switches around every write (read, off, restore).
    expect(s.lastCalls).toBeLessThanOrEqual(10);
    const f = allFindings(r.result)[0];
    await s.setReviewed(f, true, '张会计', new Date('2025-03-01T08:00:00Z'));
    const again = await new WpsSession(sim.app).check();
    expect(again.profile).toBe('hebei');
    expect(again.profileSource).toBe('workbook');
    expect([...again.reviews.values()][0]).toMatchObject({ by: '张会计', code: f.code });
    const choices = await readChoices(await XlsxPackage.open(await sim.save()));
    expect(choices.profile).toBe('hebei');
    expect(choices.reviews.size).toBe(1);
  });
});

describe('live validation', () => {
  test('a user edit re-checks its sheet (no write); PerfSheet own writes do not', async () => {
    const sim = await openWps();
    const s = new WpsSession(sim.app);
    const r = await s.check();
    const changes: string[] = [];
    await s.watch((id) => changes.push(id), 10);
    expect(r.result.tables.find((t) => t.sheet === '劳模体检')!.totalScore).toBeCloseTo(99.76, 10);
    sim.userEdit('劳模体检', 'F16', '880元/人');
    await waitFor(() => changes.length === 1);
    expect(changes).toEqual(['劳模体检']);
    const before = await sim.save();
    sim.resetCalls();
    const re = await s.recheckSheet('劳模体检');
    expect(sim.writeCount).toBe(0);
    expect(re.tables[0].totalScore).toBe(100);
    expect(JSON.stringify(await readWorkbookBytes(await sim.save()))).toEqual(JSON.stringify(await readWorkbookBytes(before)));
    await s.applyEdits(re.tables[0].edits);
    await new Promise((res) => setTimeout(res, 50));
    expect(changes).toEqual(['劳模体检']);
  });

  test('a user edit right after 回填 is re-checked; only an echo of the very cells written is ignored', async () => {
    const sim = await openWps();
    const s = new WpsSession(sim.app);
    const r = await s.check();
    const changes: string[] = [];
    await s.watch((id, address) => changes.push(`${id}!${address}`), 10);
    const out = await s.applyEdits(r.result.tables.find((t) => t.sheet === '劳模体检')!.edits);
    expect(out.written.map((e) => e.cell)).toContain('H19');
    // Should WPS raise SheetChange for PerfSheet's own write despite EnableEvents being off:
    const sheet = sim.model.sheetByKey('劳模体检')!;
    sim.cellsChanged(sheet, [{ r0: 18, c0: 7, r1: 18, c1: 7 }], true);
    // The user types into another cell at once.
    sim.userEdit('劳模体检', 'F16', '880元/人');
    await waitFor(() => changes.length === 1);
    await new Promise((res) => setTimeout(res, 50));
    expect(changes).toEqual(['劳模体检!F16']);
    expect(s.ignoredEvents).toBe(1);
  });

  test('selection changes reach the pane', async () => {
    const sim = await openWps();
    const s = new WpsSession(sim.app);
    await s.check();
    const seen: string[] = [];
    await s.watch(() => undefined, 10, (sheet, address) => seen.push(`${sheet}!${address}`));
    sim.userSelect('劳模体检', 'H19');
    await waitFor(() => seen.length === 1);
    expect(seen[0]).toBe('劳模体检!H19');
  });
});

describe('report and new forms', () => {
  // Cell by cell against the ExcelJS renderer: test/report/cross-renderer.test.ts. Here: through the session.
  test('生成报告 writes the report sheet, and a second run replaces only its own sheet', async () => {
    const sim = await openWps();
    const s = new WpsSession(sim.app);
    const r = await s.check();
    const out = await s.generateReport(r.result, '2025-03-01');
    expect(out.replaced).toBeNull();
    const again = await s.generateReport((await s.check()).result, '2025-03-01');
    expect(again.replaced).toBe(out.sheetName);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await sim.save()) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(out.sheetName)!;
    expect(ws).toBeDefined();
    expect(out.sheetName).toBe('绩效自评报告');
    expect(String(ws.getCell('A1').value)).toBe('石家庄市总工会2025年度预算绩效自评结果');
    expect(wb.worksheets.filter((w) => w.name.startsWith('绩效自评报告'))).toHaveLength(1);
    expect(wb.worksheets).toHaveLength(6);
  });

  test('新建表格 and 转为自评表 add new sheets only', async () => {
    const sim = await openWps(FIXTURE_2024);
    const s = new WpsSession(sim.app);
    const r = await s.check();
    const n0 = sim.app.ActiveWorkbook!.Worksheets.Count;
    const t = await s.insertTemplate('self-eval', 8);
    expect(sim.app.ActiveWorkbook!.Worksheets.Count).toBe(n0 + 2); // the form and the hidden list sheet
    const conv = await s.insertSelfEvals(r.result.tables.filter((x) => x.kind === 'target'));
    expect(conv.sheetNames.length).toBe(r.result.tables.filter((x) => x.kind === 'target').length);
    const after = await new WpsSession(sim.app).check();
    const fresh = after.result.tables.find((x) => x.sheet === t.sheetName);
    expect(fresh?.kind).toBe('self-eval');
  });
});

describe('what a host hands over', () => {
  test('Value2 and Formula as rows of cells, whether arrays or array-likes, and a scalar for one cell', () => {
    expect(cellRows(5, 1, 1)).toEqual([[5]]);
    expect(cellRows(undefined, 1, 1)).toEqual([[undefined]]);
    expect(cellRows([[1, 'a'], [null, 2]], 2, 2)).toEqual([[1, 'a'], [null, 2]]);
    const arrayLike = { length: 2, 0: { length: 2, 0: 1, 1: 'a' }, 1: { length: 2, 0: null, 1: 2 } };
    expect(cellRows(arrayLike, 2, 2)).toEqual([[1, 'a'], [null, 2]]);
  });
});
