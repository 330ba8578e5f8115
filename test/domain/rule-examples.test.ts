/**
 * Every rule's own examples (src/domain/rules/*): each is built as a form with the test builders, the engine
 * runs on it, and the rule must fire where it says it fires and stay quiet where it says it is quiet.
 */
import { RULES } from '../../src/domain/rules/catalogue';
import { Example } from '../../src/domain/rules/rule';
import { buildExample as build } from '../support/examples';

const describeExample = (ex: Example) => JSON.stringify({ ...ex, cells: ex.cells ? '…' : undefined });

describe.each(RULES.map((r) => [r.code, r] as const))('%s', (code, rule) => {
  it('has a title, a Chinese message and examples on both sides', () => {
    expect(rule.title).toMatch(/[\u4e00-\u9fff]/);
    expect(rule.why).toMatch(/[\u4e00-\u9fff]{6}/);
    expect(rule.fix).toMatch(/[\u4e00-\u9fff]{6}/);
    expect(rule.examples.fires.length).toBeGreaterThan(0);
    expect(rule.examples.quiet.length).toBeGreaterThan(0);
  });
  it.each(rule.examples.fires.map((ex) => [describeExample(ex), ex] as const))('fires on %s', (_d, ex) => {
    const tables = build(ex);
    expect(tables.length).toBeGreaterThan(0);
    const hits = tables.flatMap((t) => t.findings).filter((f) => f.code === code);
    if (ex.count !== undefined) expect(hits).toHaveLength(ex.count);
    else expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h.severity).toBe(rule.severity);
    if (ex.says) expect(hits.map((h) => h.message).join('|')).toContain(ex.says);
    if (ex.at) expect(hits.map((h) => h.cell)).toContain(ex.at);
  });
  it.each(rule.examples.quiet.map((ex) => [describeExample(ex), ex] as const))('stays quiet on %s', (_d, ex) => {
    const tables = build(ex);
    expect(tables.length).toBeGreaterThan(0);
    expect(tables.flatMap((t) => t.findings).filter((f) => f.code === code)).toEqual([]);
  });
});
