/**
 * The profile choice and 已复核 marks live in the workbook itself (hidden defined names holding a text
 * constant), so they travel with the file: the pane and the CLI's .xlsx reader see the same ones.
 */
import {
  constantFormula,
  decodeReview,
  encodeReview,
  nextReviewName,
  parseChoices,
  reviewKey,
  stringConstant,
} from '../../src/domain/settings';
import { SimExcel } from '../../src/excel-sim';
import { ExcelSession } from '../../src/excel/session';
import { readChoices } from '../../src/xlsx/choices';
import { XlsxPackage } from '../../src/xlsx/package';
import { openFixture } from './helpers';

describe('the pure parser (src/domain/settings.ts)', () => {
  test('string constants as Office.js and workbook.xml write them', () => {
    expect(stringConstant('="hebei"')).toBe('hebei');
    expect(stringConstant('"hebei"')).toBe('hebei');
    expect(stringConstant('="a""b"')).toBe('a"b');
    expect(stringConstant('=Sheet1!$A$1')).toBeNull();
    expect(constantFormula('a"b')).toBe('="a""b"');
    expect(() => constantFormula('x'.repeat(256))).toThrow(RangeError);
  });

  test('profile and reviews are read from the names; malformed ones are ignored', () => {
    const review = { code: 'C07', sheet: '劳模体检', cell: 'I16', by: '张三', at: '2026-12-01T10:00:00.000Z' };
    const c = parseChoices([
      { name: 'perfsheet.profile', ref: '"hebei"' },
      { name: 'PerfSheet.Review.1', ref: constantFormula(encodeReview(review)) },
      { name: 'PerfSheet.Review.2', ref: '="not json"' },
      { name: 'PerfSheet.Review.3', ref: '=劳模体检!$A$1' },
      { name: 'Other', ref: '"central"' },
    ]);
    expect(c.profile).toBe('hebei');
    expect([...c.reviews.keys()]).toEqual([reviewKey(review)]);
    expect(c.reviews.get('C07|劳模体检|I16')).toEqual({ ...review, name: 'PerfSheet.Review.1' });
    expect(parseChoices([{ name: 'PerfSheet.Profile', ref: '"guangdong"' }]).profile).toBeNull();
    expect(nextReviewName(['PerfSheet.Review.1', 'perfsheet.review.2'])).toBe('PerfSheet.Review.3');
  });

  test('a review with a very long reviewer name still fits Excel’s 255-character constant', () => {
    const r = { code: 'C07', sheet: '劳模体检', cell: 'I16', by: '某'.repeat(300), at: '2026-12-01T10:00:00.000Z' };
    const text = encodeReview(r);
    expect(() => constantFormula(text)).not.toThrow();
    expect(decodeReview(text)).toMatchObject({ code: 'C07', sheet: '劳模体检', cell: 'I16' });
  });
});

describe('in the workbook', () => {
  test('opening writes nothing; the old add-in setting is read once when the workbook holds no choice', async () => {
    const sim = await openFixture();
    sim.model.settings.set('PerfSheet.profile', JSON.stringify('hebei'));
    const s = new ExcelSession(sim);
    const r = await s.check();
    expect(r.profile).toBe('hebei');
    expect(r.profileSource).toBe('legacy-setting');
    expect(sim.writeCount).toBe(0);
    // Once the user saves, the workbook's own choice wins over the old setting.
    await s.saveProfile('central');
    const again = await new ExcelSession(sim).check();
    expect(again.profile).toBe('central');
    expect(again.profileSource).toBe('workbook');
  });

  test('已复核 with who/when survives a new session and the saved file; the CLI reader sees it and the profile', async () => {
    const sim = await openFixture(undefined, { apiVersion: '1.20' });
    const s = new ExcelSession(sim);
    const r = await s.check();
    const c07 = r.result.tables.flatMap((t) => t.findings).find((f) => f.code === 'C07')!;
    sim.resetCounters();
    const rev = await s.setReviewed(c07, true, '张三', new Date('2026-12-01T10:00:00Z'));
    expect(sim.syncCount).toBe(1);
    expect(rev).toMatchObject({ by: '张三', at: '2026-12-01T10:00:00.000Z' });
    await s.saveProfile('hebei');
    expect(sim.undoStack).toHaveLength(2); // one undo step per action

    // Reopening the pane on the same workbook.
    const r2 = await new ExcelSession(sim).check();
    expect(r2.reviews.get(reviewKey(c07))).toMatchObject({ by: '张三', sheet: c07.sheet, cell: c07.cell });

    // The saved file: hidden names in xl/workbook.xml, read by the CLI's reader and by a fresh host.
    const bytes = await sim.save();
    const choices = await readChoices(await XlsxPackage.open(bytes, 'x.xlsx'));
    expect(choices.profile).toBe('hebei');
    expect(choices.reviews.get(reviewKey(c07))?.by).toBe('张三');
    const reopened = await SimExcel.open(bytes, { fileName: 'x.xlsx' });
    expect(reopened.model.constantNames.get('PerfSheet.Profile')?.visible).toBe(false);
    const r3 = await new ExcelSession(reopened).check();
    expect(r3.profile).toBe('hebei');
    expect(r3.reviews.size).toBe(1);

    // Taking the mark back removes the name.
    const s3 = new ExcelSession(reopened);
    await s3.check();
    await s3.setReviewed(c07, false, '');
    expect((await new ExcelSession(reopened).check()).reviews.size).toBe(0);
  });
});
