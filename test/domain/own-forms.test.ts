/**
 * The tool's own forms are read back exactly (issue #16): every template kind × profile × row count × year —
 * blank, and as a user fills it in — is read as written, and 转为自评表 of every 目标表 of the fixtures and corpus
 * gives a 自评表 whose weights add up and whose only findings are the empty actuals. Pure: the spec is turned
 * into the grid a host would read (values, merges, number formats), no file in between.
 */
import fc from 'fast-check';
import { readFileSync } from 'fs';
import path from 'path';
import { analyzeWorkbook } from '../../src/domain/engine';
import { a1, SheetGrid } from '../../src/domain/grid';
import { BUILTIN_PROFILES, ProfileId } from '../../src/domain/profiles';
import {
  buildTemplateSpec,
  selfEvalsFromTargets,
  TEMPLATE_KINDS,
  TemplateKind,
  TemplateRow,
  TemplateSpec,
} from '../../src/domain/templates';
import type { TableResult } from '../../src/domain/types';
import { readWorkbookBytes } from '../../src/xlsx/read';
import { loadTruths, projectTruthDirs } from '../support/accuracy';

/** The grid a host reads of a template spec: values as typed (a formula's computed value), merges, formats. */
function gridOf(spec: TemplateSpec): SheetGrid {
  const values: (string | number | null)[][] = Array.from({ length: spec.rowCount }, () => []);
  const fmts: Record<string, string> = {};
  for (const c of spec.cells) {
    values[c.row][c.col] = c.value;
    const f = spec.styles[c.style].numFmt;
    if (f !== 'General' && c.value !== null) fmts[a1(c.row, c.col)] = f;
  }
  return SheetGrid.fromValues(spec.sheetName, values, [...spec.merges], fmts);
}

function read(spec: TemplateSpec, profile: ProfileId): TableResult[] {
  return analyzeWorkbook({ sheets: [gridOf(spec)] }, { profile }).tables;
}

const KIND_OF: Record<TemplateKind, TableResult['kind']> = {
  target: 'target',
  'self-eval': 'self-eval',
  'dept-self-eval': 'dept-self-eval',
};
const profiles = Object.keys(BUILTIN_PROFILES) as ProfileId[];

describe('a blank form the tool made is read as blank', () => {
  it('every kind × profile × row count × year: one table, no name, no funds, no indicators, only S08', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TEMPLATE_KINDS),
        fc.constantFrom(...profiles),
        fc.integer({ min: 1, max: 200 }),
        fc.option(fc.integer({ min: 2000, max: 2099 })),
        (kind, profile, rows, year) => {
          const tables = read(buildTemplateSpec({ kind, profile, rows, year }), profile);
          expect(tables).toHaveLength(1);
          const t = tables[0];
          expect(t.kind).toBe(KIND_OF[kind]);
          expect(t.name).toBe('');
          expect(t.department).toBeNull();
          expect(t.unit).toBeNull();
          expect(t.year).toBe(year);
          expect(t.indicators).toEqual([]);
          if (t.targetFunds) expect(t.targetFunds).toEqual({ budget: null, fiscal: null, other: null });
          if (t.funds) expect([t.funds.initial, t.funds.budget, t.funds.executed]).toEqual([null, null, null]);
          expect(t.findings.map((f) => f.code)).toEqual(['S08']);
        },
      ),
      { numRuns: 60 },
    );
  });
});

const NAMES = [
  '培训人数',
  '覆盖率',
  '完成及时率',
  '补助标准',
  '受益群众',
  '设施完好率',
  '资金到位率',
  '宣传场次',
  '群众满意度',
  '服务时长',
];

describe('a form the tool made, filled in, is read back as written', () => {
  it('every kind × profile × rows: name, 主管部门, 实施单位, amounts and every indicator row', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TEMPLATE_KINDS),
        fc.constantFrom(...profiles),
        fc.integer({ min: 1, max: 40 }),
        fc.option(fc.integer({ min: 2000, max: 2099 })),
        fc.integer({ min: 1, max: 99_999_999 }),
        (kind, profile, n, year, cents) => {
          const p = BUILTIN_PROFILES[profile];
          const tree = p.level1.flatMap((l) => l.level2.map((l2) => [l.name, l2] as const));
          const indicators: TemplateRow[] = Array.from({ length: n }, (_, i) => {
            const [level1, level2] = tree[(i * 7) % tree.length];
            const target = /成本/.test(level2)
              ? `≤${i + 1}万元`
              : /满意度/.test(level2)
                ? '≥90%'
                : /时效/.test(level2)
                  ? '当年12月底前'
                  : `≥${i + 1}人`;
            return { level1, level2, level3: `${NAMES[i % NAMES.length]}${i + 1}`, target };
          });
          const budget = cents / 100;
          const prefill = {
            name: '职工培训项目',
            department: '某市总工会',
            unit: '某市总工会机关',
            budget,
            indicators,
          };
          const tables = read(buildTemplateSpec({ kind, profile, year, prefill }), profile);
          expect(tables).toHaveLength(1);
          const t = tables[0];
          expect(t.kind).toBe(KIND_OF[kind]);
          expect(t.name).toBe('职工培训项目');
          if (kind !== 'dept-self-eval') expect([t.department, t.unit]).toEqual(['某市总工会', '某市总工会机关']);
          expect(t.year).toBe(year);
          if (kind === 'target') expect(t.targetFunds?.budget).toBe(budget);
          else expect(t.funds?.initial).toBe(budget);
          expect(t.indicators.map((x) => [x.level1, x.level2, x.level3, x.target])).toEqual(
            indicators.map((x) => [x.level1, x.level2, x.level3, x.target]),
          );
          // Nothing about the layout itself is ever a finding (S0x/C0x from a misread): what is left to fill is.
          for (const f of t.findings)
            expect(['S08', 'V01', 'F03', 'F04', 'S04', 'S07', 'C01', 'C02', 'F01', 'F02']).toContain(f.code);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('转为自评表 of every 目标表 of the fixtures and corpus', () => {
  const entries = loadTruths(projectTruthDirs(path.join(__dirname, '..', '..'))).filter((e) =>
    e.truth.tables.some((t) => t.kind === 'target'),
  );
  it.each(entries.map((e) => [e.id, e] as const))('%s', async (_id, e) => {
    const wb = await readWorkbookBytes(readFileSync(e.workbookPath), e.truth.file);
    const targets = analyzeWorkbook(wb).tables.filter((t) => t.kind === 'target');
    const specs = selfEvalsFromTargets(targets);
    expect(specs).toHaveLength(targets.length);
    specs.forEach((spec, i) => {
      const [t] = read(spec, 'central');
      const src = targets[i];
      expect(t.kind).toBe('self-eval');
      expect(t.name).toBe(src.name);
      expect(t.department).toBe(src.department);
      expect(t.indicators.map((x) => [x.level1, x.level2, x.level3, x.target])).toEqual(
        src.indicators.map((x) => [x.level1, x.level2, x.level3, x.target]),
      );
      // Weights add up to 100 where the 目标表 has a row under every weighted 一级 (a 目标表 without a 满意度 row
      // is not yet completed by convert: see the issue note).
      const weighted = BUILTIN_PROFILES.central.level1.filter((l) => l.defaultWeight > 0).map((l) => l.name);
      if (weighted.every((l) => src.indicators.some((x) => x.level1 === l))) {
        const cents =
          t.indicators.reduce((a, x) => a + Math.round((x.weight ?? 0) * 100), 0) + Math.round(t.funds!.weight * 100);
        expect(cents).toBe(10000);
      }
      // Besides the empty actuals, only what the checker already said of the values it copied.
      const own = new Set(src.findings.map((f) => f.code));
      expect(
        t.findings
          .filter((f) => f.code !== 'V01' && f.code !== 'C01' && !own.has(f.code))
          .map((f) => `${f.code} ${f.message}`),
      ).toEqual([]);
    });
  });
});
