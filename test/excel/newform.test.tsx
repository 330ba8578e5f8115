/**
 * 「新建表格」 and 「转为自评表」 in the pane: the controller's pure parts (panels, ticks, the row count) and the
 * session's two writes against the in-memory host — 2 syncs each, one undo step where Excel groups, new sheets
 * only (the user's sheets keep their content, a name already taken gets a free variant), and the re-check
 * reads back what was written.
 */
import ExcelJS from 'exceljs';
import { renderToStaticMarkup } from 'react-dom/server';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { ConvertPanel, NEW_FORM_UNDO_WARNING, NewFormPanel } from '../../src/taskpane/components/NewForms';
import { SimExcel } from '../../src/excel-sim';
import { ExcelSession } from '../../src/excel/session';
import { initialState, paneReducer, parseRows, tablesToConvert, tableKey, targetTables } from '../../src/taskpane/controller';
import { FIXTURE_2024, openFixture } from './helpers';

const noop = (): void => undefined;

async function emptyWorkbook(sheet = 'Sheet1', apiVersion?: string): Promise<SimExcel> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet(sheet).getCell('A1').value = '备忘';
  const buf = await wb.xlsx.writeBuffer();
  return SimExcel.open(new Uint8Array(buf as ArrayBuffer), { fileName: '空白.xlsx', ...(apiVersion ? { apiVersion } : {}) });
}

describe('controller: the panels', () => {
  test('the row count: 1–200 integers (full-width digits too), anything else a Chinese reason', () => {
    expect(parseRows('8')).toBe(8);
    expect(parseRows(' １２ ')).toBe(12);
    expect(parseRows('200')).toBe(200);
    for (const bad of ['0', '201', '', '3.5', '-1', 'abc']) expect(typeof parseRows(bad)).toBe('string');
    expect(parseRows('0')).toContain('1–200');
  });

  test('新建表格 opens with a 自评表 of 8 rows and closes the other panels', () => {
    let s = paneReducer(initialState(), { type: 'openNewForm' });
    expect(s.newForm).toEqual({ kind: 'self-eval', rows: '8' });
    s = paneReducer(s, { type: 'newForm', kind: 'target' });
    s = paneReducer(s, { type: 'newForm', rows: '12' });
    expect(s.newForm).toEqual({ kind: 'target', rows: '12' });
    s = paneReducer(s, { type: 'closeNewForm' });
    expect(s.newForm).toBeNull();
  });

  test('转为自评表 ticks every target table; unticking one leaves the others; without targets it does not open', async () => {
    const sim = await openFixture(FIXTURE_2024);
    const r = await new ExcelSession(sim).check();
    const targets = targetTables(r.result);
    expect(targets).toHaveLength(6);
    expect(paneReducer(initialState(), { type: 'openConvert' }).convert).toBeNull();
    let s = paneReducer({ ...initialState(), result: r.result }, { type: 'openConvert' });
    expect(tablesToConvert(s.result, s.convert!)).toHaveLength(6);
    s = paneReducer(s, { type: 'toggleConvert', key: tableKey(targets[1]), on: false });
    expect(tablesToConvert(s.result, s.convert!).map(tableKey)).toEqual(targets.filter((_, i) => i !== 1).map(tableKey));
    s = paneReducer(s, { type: 'toggleAllConvert', on: false });
    expect(tablesToConvert(s.result, s.convert!)).toEqual([]);
    s = paneReducer(s, { type: 'toggleAllConvert', on: true });
    expect(tablesToConvert(s.result, s.convert!)).toHaveLength(6);
  });
});

describe('session: new forms on new sheets', () => {
  test('新建表格 writes a 自评表 on a new sheet in 2 syncs; it hides its list sheet, which Excel cannot undo; the re-check reads it as a form', async () => {
    const sim = await emptyWorkbook('Sheet1', '1.20');
    const s = new ExcelSession(sim);
    await s.check();
    sim.resetCounters();
    const before = sim.undoStack.length;
    const out = await s.insertTemplate('self-eval', 5);
    expect(out.sheetName).toBe('项目支出绩效自评表');
    expect(s.lastSyncs).toBe(2);
    expect(sim.syncCount).toBe(2);
    // Worksheet.visibility and a name's comment (on the web) have no undo support: the history is cleared.
    expect(before).toBeGreaterThanOrEqual(0);
    expect(sim.undoStack).toEqual([]);
    expect(sim.memberLog).toEqual(expect.arrayContaining(['Worksheet.visibility', 'NamedItem.comment']));
    expect(sim.cell('Sheet1', 'A1').value).toBe('备忘');
    expect(sim.sheetNames()).toEqual(expect.arrayContaining(['Sheet1', '项目支出绩效自评表']));
    const r = await s.check();
    const t = r.result.tables.filter((x) => x.sheet === '项目支出绩效自评表');
    expect(t).toHaveLength(1);
    expect(t[0].kind).toBe('self-eval');
    // A user's typing in the form is scored: 实际完成值 meeting the 年度指标值 earns the row's 分值.
    sim.userEdit('项目支出绩效自评表', 'D13', '培训人数');
    sim.userEdit('项目支出绩效自评表', 'E13', '≥100人');
    sim.userEdit('项目支出绩效自评表', 'F13', '120人');
    const again = await s.recheckSheet(s.sheets.find((x) => x.name === '项目支出绩效自评表')!.id);
    const row = again.tables[0].indicators.find((x) => x.level3 === '培训人数')!;
    expect(row.weight).not.toBeNull();
    expect(row.score).toBe(row.weight);
  });

  test('a sheet the user named like the form is left alone: the new form takes a free name', async () => {
    const sim = await emptyWorkbook('项目支出绩效目标表');
    const s = new ExcelSession(sim);
    await s.check();
    const out = await s.insertTemplate('target', 3);
    expect(out.sheetName).toBe('项目支出绩效目标表(2)');
    expect(sim.cell('项目支出绩效目标表', 'A1').value).toBe('备忘');
    const r = await s.check();
    expect(r.result.tables.map((t) => [t.sheet, t.kind])).toEqual([['项目支出绩效目标表(2)', 'target']]);
  });

  test('转为自评表: the 2024 fixture’s six targets become six 自评表 sheets in 2 syncs, read back with their indicators', async () => {
    const sim = await openFixture(FIXTURE_2024);
    const s = new ExcelSession(sim);
    const r = await s.check();
    const targets = targetTables(r.result);
    const sheetsBefore = sim.sheetNames();
    sim.resetCounters();
    const out = await s.insertSelfEvals(targets);
    expect(s.lastSyncs).toBe(2);
    expect(out.sheetNames).toHaveLength(6);
    expect(new Set(out.sheetNames).size).toBe(6);
    for (const n of out.sheetNames) expect(sheetsBefore).not.toContain(n);
    const again = await s.check();
    const selfEvals = again.result.tables.filter((t) => t.kind === 'self-eval');
    expect(selfEvals.map((t) => t.sheet).sort()).toEqual([...out.sheetNames].sort());
    for (const t of targets) {
      const se = selfEvals.find((x) => x.name === t.name)!;
      expect(se).toBeDefined();
      expect(se.indicators.map((x) => x.level3)).toEqual(t.indicators.map((x) => x.level3));
    }
    // The targets themselves are still there, unchanged in number.
    expect(targetTables(again.result)).toHaveLength(6);
  });

  test('a user’s sheet named like the dropdown list sheet is left alone: the lists go to a free name', async () => {
    const sim = await emptyWorkbook('指标名称列表');
    const s = new ExcelSession(sim);
    await s.check();
    await s.insertTemplate('self-eval', 8);
    expect(sim.cell('指标名称列表', 'A1').value).toBe('备忘');
    expect(sim.sheetNames()).toEqual(expect.arrayContaining(['指标名称列表', '指标名称列表(2)', '项目支出绩效自评表']));
  });

  test('a second 新建表格 reuses the add-in’s list sheet and names the form 项目支出绩效自评表(2)', async () => {
    const sim = await emptyWorkbook();
    const s = new ExcelSession(sim);
    await s.check();
    await s.insertTemplate('self-eval', 8);
    await s.check();
    const n = sim.sheetNames().length;
    const out = await s.insertTemplate('self-eval', 8);
    expect(out.sheetName).toBe('项目支出绩效自评表(2)');
    expect(sim.sheetNames()).toHaveLength(n + 1);
  });
});

describe('the panels rendered', () => {
  test('转为自评表 lists every target ticked with 「生成 N 张自评表」; a re-check keeps the ticks of the tables still there', async () => {
    const sim = await openFixture(FIXTURE_2024);
    const r = await new ExcelSession(sim).check();
    const targets = targetTables(r.result);
    let st = paneReducer({ ...initialState(), result: r.result }, { type: 'openConvert' });
    st = paneReducer(st, { type: 'toggleConvert', key: tableKey(targets[0]), on: false });
    const html = renderToStaticMarkup(
      <FluentProvider theme={webLightTheme}>
        <ConvertPanel convert={st.convert!} targets={targets} busy={false} onToggle={noop} onToggleAll={noop} onConvert={noop} onCancel={noop} />
      </FluentProvider>,
    );
    expect(html.match(/data-testid="convert-table"/g)).toHaveLength(6);
    expect(html.match(/data-testid="convert-table"[^>]*checked=""/g)).toHaveLength(5);
    expect(html).toContain('生成 5 张自评表');
    expect(html).toContain(targets[1].name);
    // A re-check with only some of the targets left: the ticks follow; with none left the panel closes.
    const kept = { ...r.result, tables: r.result.tables.filter((t) => t !== targets[2]) };
    const st2 = paneReducer(st, { type: 'checked', result: kept, notices: [], profile: 'central', reviews: new Map(), active: null, syncInfo: '' });
    expect([...st2.convert!.chosen].sort()).toEqual(targets.slice(1).filter((_, i) => i !== 1).map(tableKey).sort());
    const none = { ...r.result, tables: [] };
    expect(paneReducer(st, { type: 'checked', result: none, notices: [], profile: 'central', reviews: new Map(), active: null, syncInfo: '' }).convert).toBeNull();
  });

  test('新建表格 with a row count out of range says why and cannot be confirmed', () => {
    const render = (rows: string) =>
      renderToStaticMarkup(
        <FluentProvider theme={webLightTheme}>
          <NewFormPanel form={{ kind: 'dept-self-eval', rows }} profile="hebei" busy={false} onChange={noop} onCreate={noop} onCancel={noop} />
        </FluentProvider>,
      );
    const bad = render('500');
    expect(bad).toContain('指标行数请填写 1–200 的整数');
    expect(bad).toMatch(/<button[^>]*disabled=""[^>]*data-testid="btn-new-create"|data-testid="btn-new-create"[^>]*disabled=""/);
    const good = render('10');
    expect(good).not.toContain('new-form-invalid');
    expect(good).toContain('部门整体支出绩效自评表');
    expect(good).toContain('河北省');
    expect(good).not.toMatch(/data-testid="btn-new-create"[^>]*disabled=""/);
  });
});

describe('large forms stay under the 5 MB request limit of Excel on the web', () => {
  test('a 200-row 自评表 (6.5 MB in one request, measured through Office.js) is written in more syncs, each under 5 MB', async () => {
    const sim = await emptyWorkbook();
    const s = new ExcelSession(sim);
    await s.check();
    sim.resetCounters();
    await s.insertTemplate('self-eval', 200);
    expect(s.lastSyncs).toBe(sim.syncCount);
    expect(sim.syncCount).toBeGreaterThan(2);
    expect(sim.maxPayload).toBeLessThan(5 * 1024 * 1024);
    const r = await s.check();
    expect(r.result.tables.filter((t) => t.sheet === '项目支出绩效自评表')).toHaveLength(1);
  });
});

describe('the pane says before 新建表格 / 转为自评表 that Excel cannot undo them', () => {
  test('where Excel keeps undo (ExcelApi 1.20) the panels warn; below it the undo notice has said so already', () => {
    const render = (warning: string | null) =>
      renderToStaticMarkup(
        <FluentProvider theme={webLightTheme}>
          <NewFormPanel form={{ kind: 'self-eval', rows: '5' }} profile="central" busy={false} undoWarning={warning} onChange={noop} onCreate={noop} onCancel={noop} />
          <ConvertPanel convert={{ chosen: new Set() }} targets={[]} busy={false} undoWarning={warning} onToggle={noop} onToggleAll={noop} onConvert={noop} onCancel={noop} />
        </FluentProvider>,
      );
    const warned = render(NEW_FORM_UNDO_WARNING);
    expect(warned).toContain('data-testid="new-form-undo"');
    expect(warned).toContain('data-testid="convert-undo"');
    expect(warned).toContain('Excel 无法撤消此操作');
    expect(render(null)).not.toContain('无法撤消');
  });
});
