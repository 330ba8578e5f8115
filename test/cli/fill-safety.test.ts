/**
 * `check --fill` never replaces a value the user stated unless `--overwrite` is given, and lists every cell it
 * replaced or kept, in the text output and in the JSON.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { runCli as run } from '../support/cli';

const SELF = path.join(__dirname, '..', 'fixtures', '石家庄市总工会_2025_绩效自评表.xlsx');

/** The fixture with a published 总分 of 96 and a stated score of 9 on 劳模体检. */
async function stated(): Promise<{ dir: string; src: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfsheet-fill-'));
  const src = path.join(dir, 'stated.xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(SELF);
  const ws = wb.getWorksheet('劳模体检')!;
  ws.getCell('H19').value = 96;
  ws.getCell('H14').value = 9;
  await wb.xlsx.writeFile(src);
  return { dir, src };
}

async function cell(file: string, address: string): Promise<unknown> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb.getWorksheet('劳模体检')!.getCell(address).value;
}

describe('--fill keeps what the user stated', () => {
  it('a stated 总分 96 stays 96 and is listed with the reason; empty computed cells are filled', async () => {
    const { dir, src } = await stated();
    const out = path.join(dir, 'out.xlsx');
    const r = await run(['check', src, '--fill', out]);
    expect(await cell(out, 'H19')).toBe(96);
    expect(await cell(out, 'H14')).toBe(9);
    expect(await cell(out, 'H16')).toBe(9.76);
    expect(r.err).toContain(
      '跳过 劳模体检!H19（总分）：单元格已有填写的值“96”，未覆盖（加 --overwrite 可改为计算结果）',
    );
    expect(r.err).toContain('跳过 劳模体检!H14');
    expect(r.err).not.toContain('替换');
  });

  it('--overwrite replaces them and lists every replaced cell with its old value', async () => {
    const { dir, src } = await stated();
    const out = path.join(dir, 'out.xlsx');
    const r = await run(['check', src, '--fill', out, '--overwrite']);
    expect(await cell(out, 'H14')).toBe(10);
    expect(await cell(out, 'H19')).toBe(99.76);
    expect(r.err).toMatch(/填入 \d+ 个单元格（其中替换已填写的值 2 个）/);
    expect(r.err).toContain('替换 劳模体检!H14（');
    expect(r.err).toContain('：“9” → 10.00');
    expect(r.err).toContain('替换 劳模体检!H19（总分）：“96” → 99.76');
  });

  it('the JSON lists applied, replaced and skipped cells', async () => {
    const { dir, src } = await stated();
    const kept = JSON.parse((await run(['check', src, '--json', '--fill', path.join(dir, 'a.xlsx')])).out);
    const fill = kept.files[0].fill;
    expect(fill.overwrite).toBe(false);
    expect(fill.replaced).toEqual([]);
    expect(fill.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          sheet: '劳模体检',
          cell: 'H19',
          current: '96',
          value: 99.76,
          reason: expect.stringContaining('未覆盖'),
        }),
      ]),
    );
    const over = JSON.parse(
      (await run(['check', src, '--json', '--fill', path.join(dir, 'b.xlsx'), '--overwrite'])).out,
    );
    expect(over.files[0].fill.replaced).toEqual([
      { sheet: '劳模体检', cell: 'H14', label: expect.any(String), value: 10, previous: '9' },
      { sheet: '劳模体检', cell: 'H19', label: '总分', value: 99.76, previous: '96' },
    ]);
    expect(over.files[0].fill.applied.length).toBe(fill.applied.length + 2);
  });

  it('--overwrite without --fill is a usage error', async () => {
    const r = await run(['check', SELF, '--overwrite']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--overwrite 只能与 --fill 一起使用');
  });
});
