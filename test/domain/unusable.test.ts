/**
 * Unusable values are findings (issue #12): a value the reader cannot use in a field it needs — an error
 * literal, a date in a money or 分值 cell, a currency sign — gives an S05 at that cell, never a silent substitute.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { analyzeWorkbook } from '../../src/domain/engine';
import { readWorkbookBytes } from '../../src/xlsx/read';

async function check(file: string) {
  const wb = await readWorkbookBytes(readFileSync(path.join(__dirname, '../fixtures/hostile', file)), file);
  return analyzeWorkbook(wb).tables[0];
}

describe('S05: unusable values', () => {
  it('c06a: #REF! / #DIV/0! / #N/A in every numeric field the checker needs', async () => {
    const t = await check('c06a_error_literals.xlsx');
    const cells = t.findings.filter((f) => f.code === 'S05').map((f) => f.cell);
    // Funds row and 其中 row, every 分值, the stated 得分 and 总分.
    for (const c of ['E6', 'F6', 'G6', 'H6', 'I6', 'J6', 'E7', 'F7', 'G7', 'G13', 'G14', 'G15', 'G16', 'G17', 'G18', 'H13', 'H14', 'H19']) {
      expect(cells).toContain(c);
    }
    // Nothing computed from them: no rate, no total, no score standing in for a missing one.
    expect(t.funds?.rate).toBeNull();
    expect(t.totalScore).toBeNull();
    expect(t.indicators.every((x) => x.weight === null)).toBe(true);
  });

  it('c08: dates in money and 分值 cells are findings, never 45663 万元', async () => {
    const t = await check('c08_dates_in_number_fields.xlsx');
    const s05 = t.findings.filter((f) => f.code === 'S05');
    expect(s05.map((f) => f.cell)).toEqual(expect.arrayContaining(['E6', 'F6', 'G6', 'H6', 'E7', 'F7', 'G7', 'G13', 'G18']));
    expect(s05.find((f) => f.cell === 'F6')?.message).toContain('日期');
    expect(t.funds?.budget ?? null).toBeNull();
    expect(t.findings.map((f) => f.message).join('|')).not.toContain('45663');
  });
});
