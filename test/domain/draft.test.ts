/**
 * The 绩效自评报告 draft (src/domain/draft) over the fixtures and the published corpus: every number it states
 * is a figure the engine computed (or a grade band of the profile), written as the project writes it; the
 * engine's figures are all there; the outlines are the published ones; the sheet states what the document
 * states; the checker reads the draft sheet as no form and flags every prompt left in it (D01).
 */
import { readdirSync, readFileSync } from 'fs';
import path from 'path';
import {
  allRuns,
  buildDraft,
  buildDraftSheetSpec,
  DRAFT_TITLE_SUFFIX,
  DraftDoc,
  DraftError,
  FIELD_FORMAT,
  FigureRef,
  formatFigure,
  runsText,
  walkSections,
} from '../../src/domain/draft';
import { analyzeSheet, analyzeWorkbook } from '../../src/domain/engine';
import { SheetGrid } from '../../src/domain/grid';
import { BUILTIN_PROFILES, ProfileId } from '../../src/domain/profiles';
import { sum2 } from '../../src/domain/round';
import type { WorkbookResult } from '../../src/domain/types';
import { readWorkbookBytes } from '../../src/xlsx/read';

const ROOT = path.join(__dirname, '..');
const FIXTURES = path.join(ROOT, 'fixtures');
const SELF = '石家庄市总工会_2025_绩效自评表.xlsx';
const TARGET = '石家庄市总工会_2024_项目绩效目标表.xlsx';

function workbooks(): string[] {
  const out = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.xlsx'))
    .map((f) => path.join(FIXTURES, f));
  for (const dir of ['selfeval', 'target']) {
    const d = path.join(ROOT, 'corpus', dir);
    out.push(
      ...readdirSync(d)
        .filter((f) => f.endsWith('.xlsx'))
        .map((f) => path.join(d, f)),
    );
  }
  return out;
}

async function analyze(file: string, profile: ProfileId = 'central'): Promise<WorkbookResult> {
  const wb = await readWorkbookBytes(readFileSync(file), path.basename(file));
  return analyzeWorkbook(wb, { profile });
}

const DATE = '2026-12-08';

/** The engine's value of a figure, read straight from the table result (or the profile). */
function engineValue(r: WorkbookResult, ref: FigureRef): number | null | undefined {
  if (ref.field === 'gradeMin') return BUILTIN_PROFILES[r.profile as ProfileId].grades[ref.band!].min;
  const t = r.tables[ref.table];
  const ind = ref.row !== undefined ? t.indicators.find((i) => i.row === ref.row) : undefined;
  switch (ref.field) {
    case 'year':
      return t.year;
    case 'initial':
      return t.funds?.initial;
    case 'budget':
      return t.funds?.budget;
    case 'executed':
      return t.funds?.executed;
    case 'rate':
      return t.funds?.rate;
    case 'rateScore':
      return t.funds?.score;
    case 'rateWeight':
      return t.funds?.weight;
    case 'indicatorScore':
      return t.indicatorScore;
    case 'totalScore':
      return t.totalScore;
    case 'indicatorCount':
      return t.indicators.length;
    case 'metCount':
      return t.indicators.filter((i) => i.score !== null && (i.weight === null || i.score >= i.weight - 1e-9)).length;
    case 'belowCount':
      return t.indicators.filter((i) => i.score !== null && i.weight !== null && i.score < i.weight - 1e-9).length;
    case 'unscoredCount':
      return t.indicators.filter((i) => i.score === null).length;
    case 'level1Score':
      // The 一级's indicators' rounded scores, summed in hundredths (as every total of the engine).
      return sum2(t.indicators.filter((i) => (i.level1 || '其他指标') === ref.level1).map((i) => i.score!));
    case 'score':
      return ind?.score;
    case 'weight':
      return ind?.weight;
  }
}

const figures = (doc: DraftDoc) => allRuns(doc).filter((x) => x.t === 'figure');

describe.each(workbooks().map((f) => [path.basename(f), f] as const))('%s', (_name, file) => {
  for (const profile of ['central', 'hebei'] as const) {
    it(`states only the engine's figures, and all of them (${profile})`, async () => {
      const r = await analyze(file, profile);
      const scored = r.tables
        .map((t, i) => ({ t, i }))
        .filter((x) => x.t.kind === 'self-eval' || x.t.kind === 'dept-self-eval');
      if (scored.length === 0) {
        expect(() => buildDraft(r, { date: DATE })).toThrow(DraftError);
        return;
      }
      const doc = buildDraft(r, { date: DATE });
      const figs = figures(doc);
      expect(figs.length).toBeGreaterThan(0);
      for (const f of figs) {
        if (f.t !== 'figure') continue;
        expect({ ref: f.ref, value: f.value }).toEqual({ ref: f.ref, value: engineValue(r, f.ref) });
        expect(f.format).toBe(FIELD_FORMAT[f.ref.field]);
        expect(f.text).toBe(formatFigure(f.format, f.value));
      }
      // The draft's own words hold no number: every number is a figure or quoted from the form.
      for (const run of allRuns(doc)) if (run.t === 'text') expect(run.text).not.toMatch(/[0-9０-９]/);
      // Every computed figure of every scored table is stated.
      const stated = (i: number, field: FigureRef['field'], row?: number) =>
        figs.some(
          (f) =>
            f.t === 'figure' && f.ref.table === i && f.ref.field === field && (row === undefined || f.ref.row === row),
        );
      for (const { t, i } of scored) {
        if (t.funds?.budget != null) expect(stated(i, 'budget')).toBe(true);
        if (t.funds?.executed != null) expect(stated(i, 'executed')).toBe(true);
        if (t.funds?.rate != null) expect(stated(i, 'rate')).toBe(true);
        if (t.funds?.score != null) expect(stated(i, 'rateScore')).toBe(true);
        if (t.indicatorScore !== null) expect(stated(i, 'indicatorScore')).toBe(true);
        if (t.totalScore !== null) expect(stated(i, 'totalScore')).toBe(true);
        for (const ind of t.indicators) {
          if (ind.score !== null) expect(stated(i, 'score', ind.row)).toBe(true);
          if (ind.weight !== null) expect(stated(i, 'weight', ind.row)).toBe(true);
        }
        // 等级 as the engine graded it, and the money of the funds in 万元 with 2 decimals.
        const all = runsText(allRuns(doc));
        if (t.grade) expect(all).toContain(`评价等级为“${t.grade}”`);
        if (t.funds?.budget != null) expect(all).toContain(`预算安排${t.funds.budget.toFixed(2)}万元`);
      }
      // The grade bands are the profile's, each stated.
      const bands = BUILTIN_PROFILES[profile].grades;
      for (let b = 0; b < bands.length - 1; b++) {
        expect(
          figs.some(
            (f) => f.t === 'figure' && f.ref.field === 'gradeMin' && f.ref.band === b && f.value === bands[b].min,
          ),
        ).toBe(true);
      }
      for (const g of bands) expect(runsText(allRuns(doc))).toContain(`为“${g.name}”`);
    });
  }
});

describe('the 2025 fixture', () => {
  let r: WorkbookResult;
  let doc: DraftDoc;
  beforeAll(async () => {
    r = await analyze(path.join(FIXTURES, SELF));
    doc = buildDraft(r, { date: DATE });
  });

  const paragraphs = (d: DraftDoc) =>
    d.parts.flatMap((p) =>
      walkSections(p.sections).flatMap((s) =>
        s.blocks.filter((b) => b.type === 'paragraph').map((b) => runsText(b.runs)),
      ),
    );

  it('follows the 部门整体 outline, the projects under 分项', () => {
    expect(doc.outline).toBe('dept');
    expect(doc.title).toBe('石家庄市总工会2025年度部门整体支出绩效自评报告');
    const [part] = doc.parts;
    expect(part.sections.map((s) => s.number + s.title)).toEqual([
      '一、部门基本情况',
      '二、自评工作开展情况',
      '三、绩效目标实现情况及指标分析',
      '四、评价结论和评价等级',
      '五、存在的问题及改进措施',
    ]);
    expect(part.sections[0].children.map((s) => s.title)).toEqual(['部门概况', '部门收支预决算情况', '部门绩效目标']);
    expect(part.sections[2].children.map((s) => s.title)).toEqual(['总体情况', '分项情况']);
    expect(part.sections[2].children[1].children.map((s) => s.title)).toEqual([
      '部门整体支出绩效指标',
      ...r.tables.filter((t) => t.kind === 'self-eval').map((t) => t.name),
    ]);
    expect(part.sections[4].children.map((s) => s.title)).toEqual(['存在的问题', '改进措施']);
  });

  it('writes each project paragraph as the published reports do', () => {
    const ps = paragraphs(doc);
    expect(ps).toContain('该项目预算安排6.64万元，实际支出6.64万元，预算执行率100%，预算执行率自评得分为10分。');
    expect(ps).toContain('该项目预算安排0.63万元，实际支出0.60万元，预算执行率95.24%，预算执行率自评得分为9.52分。');
    expect(ps).toContain(
      '经济成本指标中，“人均体检费用”年度指标值≤900元/人，实际完成922元/人，得分9.76分（分值10分）。',
    );
    expect(ps).toContain('经自评，石家庄市总工会部门整体支出绩效自评总分为99.8分，评价等级为“优”。');
    expect(ps).toContain(
      '评价等级按中央标准（优≥90，良≥80，中≥60）划分：90分（含）以上为“优”，80分（含）至90分为“良”，60分（含）至80分为“中”，60分以下为“差”。',
    );
  });

  it('gives the 偏差原因 the form gives, and a prompt where it gives none', () => {
    const ps = paragraphs(doc);
    expect(ps).toContain(
      '“救助困难劳模人数”未达到年度指标值，表中所填偏差原因分析及改进措施：部分劳模不再符合救助条件，下年度据实调整指标值。',
    );
    expect(ps).toContain(
      '【请填写：“人均体检费用”未达到年度指标值的原因及改进措施（表中“偏差原因分析及改进措施”为空）】',
    );
  });

  it('draws the 问题 from the findings, every error and warning of every table', () => {
    const problems = doc.parts[0].sections[4].children[0].blocks
      .map((b) => (b.type === 'paragraph' ? runsText(b.runs) : ''))
      .join('\n');
    for (const t of r.tables) {
      for (const f of t.findings.filter((x) => x.severity !== 'info'))
        expect(problems).toContain(f.message.replace(/。$/, ''));
    }
  });

  it('leaves 自评工作开展情况 and 改进措施 to the user as prompts', () => {
    const s = doc.parts[0].sections;
    expect(s[1].blocks).toEqual([expect.objectContaining({ prompt: true })]);
    expect(s[4].children[1].blocks).toEqual([expect.objectContaining({ prompt: true })]);
  });

  it('grades under the chosen profile: hebei bands and grade', async () => {
    const h = await analyze(path.join(FIXTURES, SELF), 'hebei');
    const hd = buildDraft(h, { date: DATE });
    const ps = paragraphs(hd);
    expect(ps).toContain('经自评，石家庄市总工会部门整体支出绩效自评总分为99.8分，评价等级为“优秀”。');
    expect(
      ps.some(
        (p) =>
          p.startsWith('评价等级按河北省') && p.includes('85分（含）以上为“优秀”') && p.includes('60分以下为“较差”'),
      ),
    ).toBe(true);
  });

  it('writes one 项目支出 outline per project when there is no 部门整体 table', () => {
    const projects = {
      ...r,
      tables: r.tables.map((t) => (t.kind === 'dept-self-eval' ? { ...t, kind: 'completion' as const } : t)),
    };
    const d = buildDraft(projects, { date: DATE });
    expect(d.outline).toBe('project');
    expect(d.parts.map((p) => p.title)).toEqual(
      r.tables.filter((t) => t.kind === 'self-eval').map((t, k) => `项目${['一', '二', '三', '四'][k]}：${t.name}`),
    );
    expect(d.parts[0].sections.map((s) => s.number + s.title)).toEqual([
      '一、项目支出概况',
      '二、项目资金使用及管理情况',
      '三、项目支出组织实施情况',
      '四、项目支出绩效情况',
      '五、存在的问题及原因分析',
      '六、有关建议',
    ]);
  });

  it('refuses a workbook of target tables only', async () => {
    const t = await analyze(path.join(FIXTURES, TARGET));
    expect(() => buildDraft(t, { date: DATE })).toThrow('无法生成自评报告草稿');
  });
});

describe('a form that still holds the template instruction', () => {
  it('asks for the text instead of quoting the instruction as if the user wrote it', async () => {
    const r = await analyze(path.join(ROOT, 'corpus', 'selfeval', '四川眉山青神县发改局_2023_项目支出绩效自评表.xlsx'));
    expect(r.tables[0].goalActual).toBe('对照年度目标，说明相关任务目标的完成情况（100字以内）');
    const doc = buildDraft(r, { date: DATE });
    const prompts = allRuns(doc)
      .filter((x) => x.t === 'prompt')
      .map((x) => x.text);
    expect(prompts).toContain(
      '【请填写：项目年度总体目标的完成情况（表中仍是填报说明“对照年度目标，说明相关任务目标的完成情况（100字以内）”）】',
    );
    expect(allRuns(doc).some((x) => x.t === 'quote' && x.text.includes('100字以内'))).toBe(false);
  });
});

describe('the draft sheet', () => {
  let r: WorkbookResult;
  let doc: DraftDoc;
  beforeAll(async () => {
    r = await analyze(path.join(FIXTURES, SELF));
    doc = buildDraft(r, { date: DATE });
  });

  /** The sheet the spec draws, as the engine would read it back. */
  function gridOf(spec: ReturnType<typeof buildDraftSheetSpec>): SheetGrid {
    const values: (string | number | null)[][] = [];
    for (const c of spec.cells) (values[c.row] ??= [])[c.col] = c.value;
    return SheetGrid.fromValues(
      spec.sheetName,
      Array.from({ length: spec.rowCount }, (_, i) => values[i] ?? []),
      spec.merges,
    );
  }

  it('is an A4 portrait sheet named 绩效自评报告（草稿）, titled so, replacing only its own earlier draft', () => {
    const spec = buildDraftSheetSpec(doc, [{ name: '部门整体', createdByAddin: false }]);
    expect(spec.sheetName).toBe('绩效自评报告（草稿）');
    expect(spec.replaces).toBeNull();
    expect(spec.print).toMatchObject({ paperSize: 'A4', orientation: 'portrait', fitToWidth: 1 });
    expect(String(spec.cells[0].value)).toMatch(new RegExp(`${DRAFT_TITLE_SUFFIX}$`));
    expect(buildDraftSheetSpec(doc, [{ name: '绩效自评报告（草稿）', createdByAddin: true }]).replaces).toBe(
      '绩效自评报告（草稿）',
    );
    expect(buildDraftSheetSpec(doc, [{ name: '绩效自评报告（草稿）', createdByAddin: false }]).sheetName).toBe(
      '绩效自评报告（草稿）(2)',
    );
  });

  it('states every paragraph, heading and figure of the document', () => {
    const spec = buildDraftSheetSpec(doc, []);
    const texts = spec.cells.map((c) => (typeof c.value === 'string' ? c.value : '')).join('\n');
    const flat = texts.replace(/\n/g, '');
    for (const p of doc.parts) {
      for (const s of walkSections(p.sections)) {
        expect(texts).toContain(`${s.number}${s.title}`);
        for (const b of s.blocks) {
          if (b.type === 'paragraph') expect(flat).toContain(runsText(b.runs));
          else expect(texts).toContain(b.caption);
        }
      }
    }
    // A table cell that is one figure holds the engine's number itself.
    const numbers = spec.cells.filter((c) => typeof c.value === 'number').map((c) => c.value as number);
    for (const t of r.tables.filter((x) => x.kind !== 'target')) {
      if (t.totalScore !== null) expect(numbers).toContain(t.totalScore);
      for (const ind of t.indicators) if (ind.score !== null) expect(numbers).toContain(ind.score);
    }
    // Merges never overlap, and no row is taller than Excel allows.
    const covered = new Set<string>();
    for (const m of spec.merges) {
      for (let rr = m.r0; rr <= m.r1; rr++) {
        for (let cc = m.c0; cc <= m.c1; cc++) {
          expect(covered.has(`${rr}:${cc}`)).toBe(false);
          covered.add(`${rr}:${cc}`);
        }
      }
    }
    expect(Math.max(...spec.rowHeights)).toBeLessThanOrEqual(409);
  });

  it('is read by the checker as no form, with one D01 per prompt left in, and none once they are replaced', () => {
    const spec = buildDraftSheetSpec(doc, []);
    const grid = gridOf(spec);
    const read = analyzeSheet(grid, { workbookYear: 2025 });
    expect(read.tables).toEqual([]);
    const prompts = allRuns(doc).filter((x) => x.t === 'prompt');
    expect(read.findings.map((f) => f.code)).toEqual(prompts.map(() => 'D01'));
    expect(read.findings.every((f) => f.severity === 'warning' && f.sheet === spec.sheetName)).toBe(true);
    expect(read.findings[0].message).toContain('【请填写：部门职能职责');
    // The user writes the text in: the prompts are gone, so are the findings.
    const filled = spec.cells.map((c) =>
      typeof c.value === 'string' && c.value.includes('【请填写')
        ? { ...c, value: '本部门内设办公室、财务部等机构。' }
        : c,
    );
    expect(analyzeSheet(gridOf({ ...spec, cells: filled }), { workbookYear: 2025 }).findings).toEqual([]);
  });

  it('stays no form once the user has finished its title, while it keeps its name', () => {
    const spec = buildDraftSheetSpec(doc, []);
    const finished = spec.cells.map((c, i) => (i === 0 ? { ...c, value: doc.title } : c));
    expect(analyzeSheet(gridOf({ ...spec, cells: finished }), { workbookYear: 2025 }).tables).toEqual([]);
    // Renamed too, it is known by its marker name (WorkbookGrid.draftSheets → `draft`): still no form.
    const renamed = gridOf({ ...spec, sheetName: '自评报告', cells: finished });
    const read = analyzeSheet(renamed, { workbookYear: 2025, draft: true });
    expect(read.tables).toEqual([]);
    expect(read.findings.length).toBe(allRuns(doc).filter((x) => x.t === 'prompt').length);
    expect(analyzeWorkbook({ sheets: [renamed], draftSheets: ['自评报告'] }).tables).toEqual([]);
    // Without its marker it would be read as forms (its indicator tables are laid out as the forms are).
    expect(analyzeWorkbook({ sheets: [renamed] }).tables.length).toBeGreaterThan(0);
  });
});
