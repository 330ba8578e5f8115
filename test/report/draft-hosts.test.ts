/**
 * The sheet 「绩效自评报告（草稿）」 in every host: written by the pane's session in the in-memory Excel host
 * (Office.js renderer) and the in-memory WPS host (WPS renderer), and grafted into a file (ExcelJS renderer);
 * the three sheets hold the same cells and merges, print A4 portrait; the next check reads the same forms as
 * before plus one D01 per prompt; a second draft replaces the first.
 */
import ExcelJS from 'exceljs';
import { readFileSync } from 'fs';
import { allRuns, buildDraft } from '../../src/domain/draft';
import { analyzeWorkbook } from '../../src/domain/engine';
import type { WorkbookResult } from '../../src/domain/types';
import { SimExcel } from '../../src/excel-sim';
import { ExcelSession } from '../../src/excel/session';
import { SimWps } from '../../src/wps-sim';
import { WpsSession } from '../../src/wps/session';
import { addDraftToXlsx } from '../../src/xlsx/draft';
import { readWorkbookBytes } from '../../src/xlsx/read';
import { SELF_EVAL_FIXTURE, TARGET_FIXTURE } from './helpers';

const DATE = '2026-12-08';
const SHEET = '绩效自评报告（草稿）';

function cells(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.eachRow({ includeEmpty: false }, (row, r) =>
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      if (cell.type === ExcelJS.ValueType.Merge) return;
      const v = cell.value as unknown;
      const text = typeof v === 'object' && v !== null && 'text' in (v as object) ? (v as { text: string }).text : v;
      out.push(`${r}:${c}=${String(text)}`);
    }),
  );
  return out;
}

const merges = (ws: ExcelJS.Worksheet) => [...(ws.model as unknown as { merges: string[] }).merges].sort();

const summary = (r: WorkbookResult) =>
  r.tables.map((t) => [t.sheet, t.kind, t.name, t.totalScore, t.grade, t.findings.length]);

describe('the draft sheet in Excel, WPS and a file', () => {
  const bytes = new Uint8Array(readFileSync(SELF_EVAL_FIXTURE));
  let before: WorkbookResult;
  let prompts: number;
  let fileWs: ExcelJS.Worksheet;
  let fileBytes: Uint8Array;

  beforeAll(async () => {
    before = analyzeWorkbook(await readWorkbookBytes(bytes, 'f.xlsx'), { profile: 'central' });
    prompts = allRuns(buildDraft(before, { date: DATE })).filter((r) => r.t === 'prompt').length;
    fileBytes = await addDraftToXlsx(bytes, before, { date: DATE, fileName: before.fileName });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(fileBytes) as unknown as ArrayBuffer);
    fileWs = wb.getWorksheet(SHEET)!;
  });

  it('a file: the sheet is added, A4 portrait, the forms read as before, one D01 per prompt', async () => {
    expect(fileWs).toBeDefined();
    expect(fileWs.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait', fitToWidth: 1 });
    const after = analyzeWorkbook(await readWorkbookBytes(fileBytes, 'f.xlsx'), { profile: 'central' });
    expect(summary(after)).toEqual(summary(before));
    expect(after.findings.filter((f) => f.code === 'D01')).toHaveLength(prompts);
    expect(after.findings.every((f) => f.sheet === SHEET)).toBe(true);
    // A second draft replaces the first: still one draft sheet, no "(2)".
    const again = await addDraftToXlsx(fileBytes, after, { date: DATE, fileName: 'f.xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(again) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name).filter((n) => n.startsWith('绩效自评报告'))).toEqual([SHEET]);
  });

  it('a file: renamed and retitled by the user, the draft is still known by its marker name, not read as forms', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(fileBytes) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(SHEET)!;
    ws.name = '自评报告';
    ws.getCell('A1').value = String(ws.getCell('A1').value).replace('（草稿）', '');
    // Excel moves the marker's reference with the sheet; ExcelJS leaves it to us.
    const model = wb.definedNames.model as { name: string; ranges: string[] }[];
    wb.definedNames.model = model.map((n) =>
      n.name === 'PerfSheet_SelfEvalDraft' ? { ...n, ranges: ["'自评报告'!$A$1"] } : n,
    );
    const edited = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const after = analyzeWorkbook(await readWorkbookBytes(edited, 'f.xlsx'), { profile: 'central' });
    expect(summary(after)).toEqual(summary(before));
    expect(after.findings.filter((f) => f.code === 'D01' && f.sheet === '自评报告')).toHaveLength(prompts);
  });

  it('Excel (Office.js on the in-memory host): the same sheet, in 2 syncs, and the next check flags the prompts', async () => {
    const sim = await SimExcel.open(bytes, { fileName: 'f.xlsx' });
    const s = new ExcelSession(sim);
    const r = (await s.check()).result;
    await s.generateDraft(r, DATE);
    expect(s.lastSyncs).toBe(2);
    const ws = sim.model.wb.getWorksheet(SHEET)!;
    expect(cells(ws)).toEqual(cells(fileWs));
    expect(merges(ws)).toEqual(merges(fileWs));
    expect(ws.pageSetup.orientation).toBe('portrait');
    const next = (await s.check()).result;
    expect(summary(next)).toEqual(summary(r));
    expect(next.findings.filter((f) => f.code === 'D01')).toHaveLength(prompts);
    // A live re-check of the draft sheet (after an edit) reads it for D01 only.
    const live = await s.recheckSheet(s.sheets.find((x) => x.name === SHEET)!.id);
    expect(live.tables).toEqual([]);
    expect(live.findings.filter((f) => f.code === 'D01')).toHaveLength(prompts);
    const second = await s.generateDraft(next, DATE);
    expect(second).toMatchObject({ sheetName: SHEET, replaced: SHEET });
  });

  it('WPS (on the in-memory host): the same sheet, and the next check flags the prompts', async () => {
    const wps = await SimWps.open(bytes, { fileName: 'f.xlsx' });
    const s = new WpsSession(wps.app);
    const r = (await s.check()).result;
    await s.generateDraft(r, DATE);
    const ws = wps.model.wb.getWorksheet(SHEET)!;
    expect(cells(ws)).toEqual(cells(fileWs));
    expect(merges(ws)).toEqual(merges(fileWs));
    expect(ws.pageSetup.orientation).toBe('portrait');
    const next = (await s.check()).result;
    expect(summary(next)).toEqual(summary(r));
    expect(next.findings.filter((f) => f.code === 'D01')).toHaveLength(prompts);
    const live = await s.recheckSheet(s.sheets.find((x) => x.name === SHEET)!.id);
    expect(live.tables).toEqual([]);
    expect(live.findings.filter((f) => f.code === 'D01')).toHaveLength(prompts);
  });

  it('refuses a workbook of target tables only, in Chinese, writing nothing', async () => {
    const sim = await SimExcel.open(new Uint8Array(readFileSync(TARGET_FIXTURE)), { fileName: 't.xlsx' });
    const s = new ExcelSession(sim);
    const r = (await s.check()).result;
    const names = sim.model.wb.worksheets.map((w) => w.name);
    await expect(s.generateDraft(r, DATE)).rejects.toThrow('无法生成自评报告草稿');
    expect(s.describeError(await s.generateDraft(r, DATE).catch((e: unknown) => e))).toContain('无法生成自评报告草稿');
    expect(sim.model.wb.worksheets.map((w) => w.name)).toEqual(names);
  });
});
