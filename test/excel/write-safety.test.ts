/**
 * 回填 in both hosts never writes over what the user typed after the check, and writes all or nothing: a
 * failure injected at each sync (Excel) or at each call into WPS leaves every cell as it was, and the pane is
 * told so in Chinese.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ExcelSession } from '../../src/excel/session';
import { WpsSession } from '../../src/wps/session';
import { SimWps } from '../../src/wps-sim';
import { SimExcel } from '../../src/excel-sim';
import { CHANGED_SINCE_CHECK, SessionError, WorkbookSession } from '../../src/domain/session';
import type { CellEdit } from '../../src/domain/types';
import { describeOutcome } from '../../src/taskpane/controller';
import { FIXTURE_2025, openFixture } from './helpers';

const SHEET = '劳模体检';
const CELLS = ['I6', 'J6', 'H13', 'H14', 'H15', 'H16', 'H17', 'H18', 'H19'];

interface Host {
  name: string;
  open(): Promise<{ excel: SimExcel; session: WorkbookSession; wps?: SimWps }>;
}

const hosts: Host[] = [
  {
    name: 'Excel',
    async open() {
      const excel = await openFixture();
      return { excel, session: new ExcelSession(excel) };
    },
  },
  {
    name: 'WPS',
    async open() {
      const wps = await SimWps.open(fs.readFileSync(FIXTURE_2025), { fileName: path.basename(FIXTURE_2025) });
      return { excel: wps.excel, wps, session: new WpsSession(wps.app) };
    },
  },
];

const snapshot = (excel: SimExcel) => CELLS.map((c) => excel.cell(SHEET, c));

/** The fixture with the user's 7 in H14 (so that 回填 proposes 10 over it), checked. */
async function checked(h: Host) {
  const o = await h.open();
  if (o.wps) o.wps.userEdit(SHEET, 'H14', 7);
  else o.excel.userEdit(SHEET, 'H14', 7);
  const r = await o.session.check();
  const edits = r.result.tables.find((t) => t.sheet === SHEET)!.edits;
  return { ...o, edits };
}

describe.each(hosts)('回填 re-reads every target cell ($name)', (h) => {
  test('7 → the user types 8 → 回填 keeps 8 and lists the cell as 已被修改，未覆盖', async () => {
    const { excel, wps, session, edits } = await checked(h);
    const h14 = edits.find((e) => e.cell === 'H14')!;
    expect(h14).toMatchObject({ status: 'change', current: '7', value: 10 });
    if (wps) wps.userEdit(SHEET, 'H14', 8);
    else excel.userEdit(SHEET, 'H14', 8);
    const out = await session.applyEdits(edits);
    expect(excel.cell(SHEET, 'H14').value).toBe(8);
    expect(out.skipped.map((x) => [x.edit.cell, x.edit.current, x.reason])).toEqual([
      ['H14', '8', CHANGED_SINCE_CHECK],
    ]);
    expect(out.written.map((e) => e.cell)).toEqual(CELLS.filter((c) => c !== 'H14'));
    expect(out.before.map((p) => p.cell)).not.toContain('H14');
  });

  test('an unchanged cell the check saw a value in is written; one holding the computed value already is left', async () => {
    const { excel, session, edits } = await checked(h);
    await session.applyEdits(edits);
    expect(excel.cell(SHEET, 'H14').value).toBe(10);
    const again = await h.open();
    const r = await again.session.check();
    const list = r.result.tables.find((t) => t.sheet === SHEET)!.edits;
    if (again.wps) again.wps.userEdit(SHEET, 'H13', 20);
    else again.excel.userEdit(SHEET, 'H13', 20);
    const o2 = await again.session.applyEdits(list);
    expect(o2.skipped.map((x) => [x.edit.cell, x.reason])).toEqual([['H13', '已是计算结果']]);
  });
});

describe('回填 is all or nothing (Excel: a failure at each sync)', () => {
  test('the read sync fails: nothing written, the error is Chinese', async () => {
    const { excel, session, edits } = await checked(hosts[0]);
    const before = snapshot(excel);
    excel.failSync(1);
    const err = await session.applyEdits(edits).catch((e: unknown) => e);
    expect(session.describeError(err)).toMatch(/[\u4e00-\u9fff]/);
    expect(snapshot(excel)).toEqual(before);
  });

  test('the write sync fails after each of its operations: every written cell is put back in a third sync', async () => {
    const probe = await checked(hosts[0]);
    probe.excel.resetCounters();
    await probe.session.applyEdits(probe.edits);
    const writeOps = probe.excel.syncLog[1].ops;
    expect(writeOps).toBeGreaterThan(CELLS.length); // values and number formats
    for (let k = 0; k <= writeOps; k++) {
      const { excel, session, edits } = await checked(hosts[0]);
      const before = snapshot(excel);
      excel.resetCounters();
      excel.failSync(2, k);
      const err = await session.applyEdits(edits).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SessionError);
      expect(session.describeError(err)).toMatch(/^回填未完成，工作簿未改动.*已恢复为回填前的内容/);
      expect(excel.syncCount).toBe(3);
      expect(snapshot(excel)).toEqual(before);
    }
  });

  test('a write batch refused as too large ran nothing: no restoring sync, the size is explained', async () => {
    const { excel, session, edits } = await checked(hosts[0]);
    const before = snapshot(excel);
    // The re-read goes through; Excel refuses the write batch for its size before running any of it.
    excel.resetCounters();
    excel.failSync(2, 0, 'RequestPayloadSizeLimitExceeded');
    const err = await session.applyEdits(edits).catch((e: unknown) => e);
    expect(excel.syncCount).toBe(2);
    expect(session.describeError(err)).toContain('超出 Excel 单次传输上限');
    expect(snapshot(excel)).toEqual(before);
  });

  test('the restoring sync fails too: the error names the cells to look at', async () => {
    const { excel, session, edits } = await checked(hosts[0]);
    excel.failSync(2, 3);
    excel.failSync(3);
    const err = await session.applyEdits(edits).catch((e: unknown) => e);
    expect(session.describeError(err)).toMatch(/恢复原内容时再次出错.*劳模体检!I6、劳模体检!J6/);
  });
});

describe('回填 is all or nothing (WPS: a failure at each call)', () => {
  test('a call into WPS throws at every point of 回填: the workbook is left as it was', async () => {
    const probe = await checked(hosts[1]);
    probe.wps!.resetCalls();
    await probe.session.applyEdits(probe.edits);
    const calls = probe.wps!.callCount;
    expect(calls).toBeGreaterThan(CELLS.length * 3);
    const messages = new Set<string>();
    for (let k = 1; k <= calls; k++) {
      const { excel, wps, session, edits } = await checked(hosts[1]);
      const before = snapshot(excel);
      wps!.resetCalls();
      wps!.failAtCall = k;
      const err = await session.applyEdits(edits).then(
        () => null,
        (e: unknown) => e,
      );
      // The last calls (events switched back on) come after every write: the 回填 itself is complete then.
      if (err === null) {
        expect(excel.cell(SHEET, 'H19').value).toBe(99.76);
        continue;
      }
      expect(snapshot(excel)).toEqual(before);
      messages.add(session.describeError(err).replace(/（.*）/, ''));
    }
    expect([...messages].some((m) => m.startsWith('回填未完成，工作簿未改动'))).toBe(true);
  });

  test('an edit list whose cells all changed since the check writes nothing', async () => {
    const { excel, wps, session, edits } = await checked(hosts[1]);
    for (const c of CELLS) wps!.userEdit(SHEET, c, 1);
    const out = await session.applyEdits(edits as CellEdit[]);
    expect(out.written).toEqual([]);
    expect(CELLS.map((c) => excel.cell(SHEET, c).value)).toEqual(CELLS.map(() => 1));
  });
});

describe('the pane says what 回填 left alone', () => {
  test('the cells changed since the check are named', async () => {
    const { excel, session, edits } = await checked(hosts[0]);
    excel.userEdit(SHEET, 'H14', 8);
    excel.userEdit(SHEET, 'H16', '9');
    const out = await session.applyEdits(edits);
    expect(describeOutcome(out.written.length, out.skipped)).toBe(
      '已回填 7 个单元格，2 个单元格在检查后已被修改，未覆盖（劳模体检!H14、劳模体检!H16）。可点击「撤销回填」恢复原内容。',
    );
  });
});

describe.each(hosts)('the report never writes a non-finite number ($name)', (h) => {
  test('an infinite rate and a NaN score are shown as —', async () => {
    const { excel, session } = await h.open();
    const r = await session.check();
    const t = r.result.tables.find((x) => x.sheet === SHEET)!;
    t.funds = { ...t.funds!, rate: Infinity, score: NaN };
    const { sheetName } = await session.generateReport(r.result, '2026-12-08');
    const ws = excel.model.sheetByKey(sheetName)!.ws;
    const numbers: unknown[] = [];
    ws.eachRow((row) => row.eachCell((c) => typeof c.value === 'number' && numbers.push(c.value)));
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers.filter((v) => !Number.isFinite(v as number))).toEqual([]);
  });
});

describe('撤销回填 is all or nothing too', () => {
  test('Excel: its write sync fails after each operation → every cell holds what 回填 wrote again', async () => {
    const probe = await checked(hosts[0]);
    const first = await probe.session.applyEdits(probe.edits);
    probe.excel.resetCounters();
    await probe.session.revertEdits(first.before);
    const ops = probe.excel.syncLog[1].ops;
    for (let k = 0; k <= ops; k++) {
      const { excel, session, edits } = await checked(hosts[0]);
      const out = await session.applyEdits(edits);
      const filled = snapshot(excel);
      excel.resetCounters();
      excel.failSync(2, k);
      const err = await session.revertEdits(out.before).then(
        () => null,
        (e: unknown) => e,
      );
      expect(session.describeError(err)).toMatch(/^撤销回填未完成，工作簿未改动/);
      expect(snapshot(excel)).toEqual(filled);
      // … and it can be retried.
      const again = await session.revertEdits(out.before);
      expect(again.restored).toBe(out.before.length);
    }
  });

  test('WPS: a call throws at every point of 撤销回填 → the cells hold what 回填 wrote, or it completed', async () => {
    const probe = await checked(hosts[1]);
    const first = await probe.session.applyEdits(probe.edits);
    probe.wps!.resetCalls();
    await probe.session.revertEdits(first.before);
    const calls = probe.wps!.callCount;
    for (let k = 1; k <= calls; k++) {
      const { excel, wps, session, edits } = await checked(hosts[1]);
      const out = await session.applyEdits(edits);
      const filled = snapshot(excel);
      wps!.resetCalls();
      wps!.failAtCall = k;
      const err = await session.revertEdits(out.before).then(
        () => null,
        (e: unknown) => e,
      );
      if (err === null) continue; // only the events switch failed, after every write
      expect(session.describeError(err)).toMatch(/^撤销回填未完成|^操作失败/);
      expect(snapshot(excel)).toEqual(filled);
    }
  });
});
