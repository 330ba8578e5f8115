/**
 * Table cards render again only when what they show changes (issue #21: a re-check re-rendered every card).
 */
import { readFileSync } from 'fs';
import path from 'path';
import { analyzeWorkbook } from '../../src/domain/engine';
import { reviewKey } from '../../src/domain/settings';
import type { Finding } from '../../src/domain/types';
import { sameCard } from '../../src/taskpane/components/TableCard';
import type { FindingHandlers } from '../../src/taskpane/components/Findings';
import { readWorkbookBytes } from '../../src/xlsx/read';

const FIXTURE = path.join(__dirname, '..', 'fixtures', '石家庄市总工会_2025_绩效自评表.xlsx');

test('sameCard: a selection, a step or a review elsewhere leaves a card alone; one in it, or a new table, does not', async () => {
  const r = analyzeWorkbook(await readWorkbookBytes(readFileSync(FIXTURE), 'f.xlsx'));
  const [a, b] = r.tables.filter((t) => t.findings.length > 0);
  const visible = () => true;
  const base: FindingHandlers = { onSelect: () => {}, onReview: () => {}, reviews: new Map(), selected: new Set(), current: null, helpUrl: 'x' };
  const card = (h: Partial<FindingHandlers>, table = a) => ({ table, visible, h: { ...base, ...h } });
  const inB: Finding = b.findings[0];
  const inA: Finding = a.findings[0];
  expect(sameCard(card({}), card({}))).toBe(true);
  expect(sameCard(card({}), card({ selected: new Set([reviewKey(inB)]), current: reviewKey(inB) }))).toBe(true);
  expect(sameCard(card({}), card({ selected: new Set([reviewKey(inA)]) }))).toBe(false);
  expect(sameCard(card({}), card({ current: reviewKey(inA) }))).toBe(false);
  expect(sameCard(card({}), card({ reviews: new Map() }))).toBe(false);
  expect(sameCard(card({}), card({}, { ...a }))).toBe(false);
  expect(sameCard(card({}), { ...card({}), visible: () => true })).toBe(false);
});
