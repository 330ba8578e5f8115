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
  convertNotes,
  missingWeightedLevels,
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
      // Weights add up to 90 + 10 where the 目标表 has a row under every weighted 一级; where it has none under
      // one (no 满意度 row), convert keeps the profile's weights and says what the user must add, with the shortfall.
      const cents =
        t.indicators.reduce((a, x) => a + Math.round((x.weight ?? 0) * 100), 0) + Math.round(t.funds!.weight * 100);
      const missing = missingWeightedLevels(BUILTIN_PROFILES.central, src.indicators.map((x) => x.level1));
      const notes = convertNotes(src, 'central');
      if (missing.length === 0) {
        expect(cents).toBe(10000);
        expect(notes).toEqual([]);
      } else {
        const short = missing.reduce((a, m) => a + Math.round(m.weight * 100), 0);
        expect(cents).toBe(10000 - short);
        expect(notes).toHaveLength(1);
        for (const m of missing) expect(notes[0]).toContain(m.name);
        expect(notes[0]).toContain(`合计为 ${(9000 - short) / 100}`);
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

describe('转为自评表 of a 目标表 without a 满意度 row', () => {
  it('keeps the profile weights and says what the user must add (pane and CLI show this note)', () => {
    const spec = buildTemplateSpec({
      kind: 'target',
      profile: 'central',
      year: 2025,
      prefill: {
        name: '职工培训项目',
        indicators: [
          { level1: '产出指标', level2: '数量指标', level3: '培训人数', target: '≥100人' },
          { level1: '产出指标', level2: '质量指标', level3: '合格率', target: '≥95%' },
          { level1: '效益指标', level2: '社会效益指标', level3: '技能提升', target: '有所提升' },
        ],
      },
    });
    const [src] = read(spec, 'central');
    const notes = convertNotes(src, 'central');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('“满意度指标”（10 分）');
    expect(notes[0]).toContain('合计为 80，应为 90');
    const [t] = read(selfEvalsFromTargets([src])[0], 'central');
    expect(t.indicators.map((x) => x.weight)).toEqual([25, 25, 30]);
    // The converted form says the same through C01.
    expect(t.findings.some((f) => f.code === 'C01' && f.message.includes('= 80'))).toBe(true);
  });
});
