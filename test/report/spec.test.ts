/**
 * Unit tests of the report spec (src/domain/report): 合计 arithmetic, the 自评结论 paragraph of every
 * fixture table, hyperlink targets, the naming rule, the target-only variant, and the sheet's form.
 */
import {
  addinSheetsFromNames,
  buildReportSpec,
  chooseReportSheet,
  conclusionParagraph,
  excelTextValue,
  ReportCell,
  ReportSpec,
  sheetOfReference,
} from '../../src/domain/report';
import { needsTextEscape } from '../../src/domain/report/host';
import { textWidth } from '../../src/domain/report/text';
import { reviewKey } from '../../src/domain/settings';
import type { WorkbookResult } from '../../src/domain/types';
import { finding, fixtureResult, indicator, result, SELF_EVAL_FIXTURE, table, TARGET_FIXTURE } from './helpers';

const OPTS = { date: '2026-11-21', existingSheets: [] };

function cellAt(spec: ReportSpec, row: number, col: number): ReportCell | undefined {
  return spec.cells.find((c) => c.row === row && c.col === col);
}

function rowOf(spec: ReportSpec, text: string): number {
  const c = spec.cells.find((x) => x.value === text);
  if (!c) throw new Error(`no cell ${text}`);
  return c.row;
}

/** The cells of a row, left to right. */
function rowCells(spec: ReportSpec, row: number): ReportCell[] {
  return spec.cells.filter((c) => c.row === row).sort((a, b) => a.col - b.col);
}

/** Cells of the table whose header row starts with `header`, as rows of values. */
function tableRows(spec: ReportSpec, header: string, firstCol = '序号'): ReportCell[][] {
  const h = spec.cells.find((c) => c.value === firstCol && c.style === 'header' && rowCells(spec, c.row).some((x) => x.value === header));
  if (!h) throw new Error(`no table with ${header}`);
  const out: ReportCell[][] = [];
  for (let r = h.row + 1; r < spec.rowCount; r++) {
    const cells = rowCells(spec, r);
    if (!cells.length || cells.every((c) => c.style === 'note' || c.style === 'section')) break;
    out.push(cells);
  }
  return out;
}

let selfEval: WorkbookResult;
let target: WorkbookResult;
beforeAll(async () => {
  selfEval = (await fixtureResult(SELF_EVAL_FIXTURE)).result;
  target = (await fixtureResult(TARGET_FIXTURE)).result;
});

describe('汇总表 and its 合计 row', () => {
  it('lists every self-evaluation table of the 2025 fixture with the engine’s figures', () => {
    const spec = buildReportSpec(selfEval, OPTS);
    expect(spec.kind).toBe('self-eval');
    expect(spec.sheetName).toBe('绩效自评报告');
    expect(spec.title).toBe('石家庄市总工会2025年度预算绩效自评结果');
    const rows = tableRows(spec, '项目名称');
    const data = rows.filter((r) => typeof r[0].value === 'number');
    expect(data.map((r) => r[1].value)).toEqual(['部门整体', '劳模体检', '困难职工帮扶', '困难劳模帮扶', '党组织活动经费']);
    expect(data.map((r) => r.map((c) => c.value).slice(3))).toEqual([
      [3905.14, 3905.14, 1, 10, 89.8, 99.8, '优', 0, 0],
      [6.64, 6.64, 1, 10, 89.76, 99.76, '优', 0, 1],
      [131.37, 131.37, 1, 10, 90, 100, '优', 0, 0],
      [90, 90, 1, 10, 89.6, 99.6, '优', 0, 1],
      [0.63, 0.6, 0.6 / 0.63, 9.52, 81, 90.52, '优', 0, 1],
    ]);
  });

  it('sums the projects (not the department-wide table, which contains them) and recomputes 执行率 from the sums', () => {
    const spec = buildReportSpec(selfEval, OPTS);
    const total = tableRows(spec, '项目名称').find((r) => r[0].value === '合计')!;
    const v = total.map((c) => c.value);
    // 6.64 + 131.37 + 90 + 0.63 and 6.64 + 131.37 + 90 + 0.60, without float drift.
    expect(v[1]).toBe(228.64);
    expect(v[2]).toBe(228.61);
    expect(v[3]).toBe(228.61 / 228.64);
    // Not the average of the rates (0.99047…).
    expect(v[3]).not.toBeCloseTo((1 + 1 + 1 + 0.6 / 0.63) / 4, 6);
    expect(v.slice(-2)).toEqual([0, 3]);
    expect(spec.cells.some((c) => typeof c.value === 'string' && c.value.includes('不含部门整体'))).toBe(true);
  });

  it('rounds money half-up to 2 decimals as Excel’s ROUND, and sums without drift', () => {
    const r = result([
      table({ sheet: 'A', name: '甲', funds: { initial: null, budget: 1.005, executed: 0.1, rate: 0.1 / 1.005, weight: 10, score: 1, basis: null } }),
      table({ sheet: 'B', name: '乙', funds: { initial: null, budget: 2.675, executed: 0.2, rate: 0.2 / 2.675, weight: 10, score: 0.75, basis: null } }),
    ]);
    const spec = buildReportSpec(r, OPTS);
    const rows = tableRows(spec, '项目名称');
    expect(rows[0][3].value).toBe(1.01);
    expect(rows[1][3].value).toBe(2.68);
    const total = rows.find((x) => x[0].value === '合计')!;
    expect(total[1].value).toBe(3.69);
    expect(total[2].value).toBe(0.3); // 0.1 + 0.2, not 0.30000000000000004
    expect(total[3].value).toBe(0.3 / 3.69);
  });

  it('leaves 执行率 empty when no budget was reported, and sums department tables when there are no projects', () => {
    const r = result([
      table({ sheet: 'D1', name: '甲单位', kind: 'dept-self-eval', funds: { initial: null, budget: 100, executed: 90, rate: 0.9, weight: 10, score: 9, basis: null } }),
      table({ sheet: 'D2', name: '乙单位', kind: 'dept-self-eval', funds: { initial: null, budget: 50, executed: 50, rate: 1, weight: 10, score: 10, basis: null } }),
    ]);
    const total = tableRows(buildReportSpec(r, OPTS), '项目名称').find((x) => x[0].value === '合计')!;
    expect(total.slice(1, 4).map((c) => c.value)).toEqual([150, 140, 140 / 150]);
    const none = result([table({ sheet: 'A', name: '甲', funds: null })]);
    const t2 = tableRows(buildReportSpec(none, OPTS), '项目名称').find((x) => x[0].value === '合计')!;
    expect(t2.slice(1, 4).map((c) => c.value)).toEqual([null, null, null]);
  });
});

describe('自评结论', () => {
  const heads: Record<string, string> = {
    部门整体:
      '该部门预算安排3905.14万元，实际支出3905.14万元，预算执行率100%，得分10分；共设置绩效指标9项，其中8项达到年度指标值，1项未达到（救助困难劳模人数）；产出指标得分49.8分，成本指标得分10分，效益指标得分20分，满意度指标得分10分，绩效指标得分89.8分，自评总分99.8分，评价等级为优。',
    劳模体检:
      '该项目预算安排6.64万元，实际支出6.64万元，预算执行率100%，得分10分；共设置绩效指标6项，其中5项达到年度指标值，1项未达到（人均体检费用）；产出指标得分40分，成本指标得分9.76分，效益指标得分30分，满意度指标得分10分，绩效指标得分89.76分，自评总分99.76分，评价等级为优。',
    困难职工帮扶:
      '该项目预算安排131.37万元，实际支出131.37万元，预算执行率100%，得分10分；共设置绩效指标6项，全部达到年度指标值；产出指标得分40分，成本指标得分10分，效益指标得分30分，满意度指标得分10分，绩效指标得分90分，自评总分100分，评价等级为优。',
    困难劳模帮扶:
      '该项目预算安排90万元，实际支出90万元，预算执行率100%，得分10分；共设置绩效指标6项，其中5项达到年度指标值，1项未达到（救助困难劳模人数）；产出指标得分39.6分，成本指标得分10分，效益指标得分30分，满意度指标得分10分，绩效指标得分89.6分，自评总分99.6分，评价等级为优。',
    党组织活动经费:
      '该项目预算安排0.63万元，实际支出0.60万元，预算执行率95.24%，得分9.52分；共设置绩效指标6项，其中5项达到年度指标值，1项未达到（党员党性修养提升情况）；产出指标得分40分，成本指标得分10分，效益指标得分21分，满意度指标得分10分，绩效指标得分81分，自评总分90.52分，评价等级为优。',
  };

  it.each(Object.keys(heads))('%s: figures in the register of published reports', (sheet) => {
    const t = selfEval.tables.find((x) => x.sheet === sheet)!;
    const p = conclusionParagraph(t);
    expect(p.startsWith(heads[sheet])).toBe(true);
    // Problems named by the findings (warnings/errors numbered 一是、二是…), notes for infos.
    const problems = t.findings.filter((f) => f.severity !== 'info');
    if (problems.length) expect(p).toContain('经检查，存在以下问题：一是');
    else expect(p).toContain('经检查，未发现填报错误或需修改的问题。');
    if (t.findings.some((f) => f.severity === 'info')) expect(p).toContain('另需关注：');
  });

  it('gives the 偏差原因 of indicators that fell short (the user’s text, or that it is missing)', () => {
    const p = (sheet: string) => conclusionParagraph(selfEval.tables.find((x) => x.sheet === sheet)!);
    expect(p('劳模体检')).toContain(
      '偏差原因：人均体检费用（年度指标值≤900元/人，实际完成922元/人，得分9.76分，分值10分），未填写偏差原因分析及改进措施。',
    );
    expect(p('部门整体')).toContain(
      '偏差原因：救助困难劳模人数（年度指标值≥100人，实际完成98人，得分9.8分，分值10分），部分劳模不再符合救助条件，下年度据实调整指标值。',
    );
    expect(p('困难职工帮扶')).not.toContain('偏差原因');
  });

  it('names unscored indicators and withholds the total, without inventing numbers', () => {
    const t = table({
      sheet: 'X',
      name: '丙',
      indicators: [
        indicator({ row: 13, level3: '甲指标', weight: 50, score: 50 }),
        indicator({ row: 14, level1: '效益指标', level2: '社会效益指标', level3: '乙指标', target: '有所提升', actual: '见报告', weight: 40, score: null }),
      ],
      indicatorScore: null,
      totalScore: null,
      grade: null,
      findings: [
        finding({ code: 'C11', severity: 'info', sheet: 'X', cell: 'F14', message: '无法自动判定。' }),
        finding({ code: 'C05', severity: 'error', sheet: 'X', cell: 'H19', message: '总分与计算不符' }),
      ],
    });
    const p = conclusionParagraph(t);
    expect(p).toContain('1项无法自动评分（乙指标）');
    expect(p).toContain('绩效指标得分因存在未评分指标暂无法确定，自评总分暂缺。');
    expect(p).not.toContain('评价等级');
    expect(p).toContain('经检查，存在以下问题：一是总分与计算不符。另需关注：“乙指标”无法自动判定。');
  });
});

describe('问题清单', () => {
  it('puts errors first, then warnings, then notes, each 位置 an internal link to the finding’s cell', () => {
    const r = result([
      table({ sheet: '表一', name: '甲', findings: [finding({ code: 'C08', severity: 'info', sheet: '表一', cell: 'F13' }), finding({ code: 'C07', sheet: '表一', cell: 'I16' })] }),
      table({ sheet: "It's 表", name: '乙', findings: [finding({ code: 'C05', severity: 'error', sheet: "It's 表", cell: 'H19' })] }),
    ]);
    const spec = buildReportSpec(r, { ...OPTS, existingSheets: [{ name: '表一', createdByAddin: false }, { name: "It's 表", createdByAddin: false }] });
    const rows = tableRows(spec, '说明');
    expect(rows.map((x) => [x[1].value, x[2].value, x[3].value, x[4].value])).toEqual([
      ['错误', 'C05', "It's 表!H19", '乙'],
      ['警告', 'C07', '表一!I16', '甲'],
      ['提示', 'C08', '表一!F13', '甲'],
    ]);
    expect(rows.map((x) => x[3].link)).toEqual([
      { sheet: "It's 表", cell: 'H19', ref: "'It''s 表'!H19" },
      { sheet: '表一', cell: 'I16', ref: "'表一'!I16" },
      { sheet: '表一', cell: 'F13', ref: "'表一'!F13" },
    ]);
    expect(rows.every((x) => x[3].style === 'link')).toBe(true);
  });

  it('links every finding of the 2025 fixture to its own cell', () => {
    const spec = buildReportSpec(selfEval, OPTS);
    const rows = tableRows(spec, '说明');
    const all = selfEval.tables.flatMap((t) => t.findings);
    expect(rows).toHaveLength(all.length);
    for (const f of all) {
      const row = rows.find((x) => x[3].value === `${f.sheet}!${f.cell}` && x[2].value === f.code);
      expect(row?.[3].link).toEqual({ sheet: f.sheet, cell: f.cell, ref: `'${f.sheet}'!${f.cell}` });
    }
    expect(rows.map((x) => x[1].value)).toEqual(['警告', '警告', '警告', '提示', '提示', '提示', '提示']);
  });

  it('does not link to a sheet the workbook does not have, or to an unusable address', () => {
    const r = result([], [finding({ code: 'S01', severity: 'error', sheet: '', cell: '', message: '工作表无法读取' }), finding({ code: 'S01', sheet: '缺失', cell: 'A1' })]);
    const spec = buildReportSpec(r, { ...OPTS, existingSheets: [{ name: '其他', createdByAddin: false }] });
    const rows = tableRows(spec, '说明');
    expect(rows.map((x) => x[3].link)).toEqual([undefined, undefined]);
    expect(rows[0][4].value).toBe('—');
  });

  it('links the summary’s 工作表 to the table’s top-left cell', () => {
    const spec = buildReportSpec(selfEval, OPTS);
    const rows = tableRows(spec, '项目名称').filter((r) => typeof r[0].value === 'number');
    expect(rows.map((r) => r[1].link?.ref)).toEqual(["'部门整体'!A1", "'劳模体检'!A1", "'困难职工帮扶'!A1", "'困难劳模帮扶'!A1", "'党组织活动经费'!A1"]);
  });
});

describe('naming rule and marker', () => {
  it('writes to 绩效自评报告 when free, replaces the add-in’s own sheet, never a user’s', () => {
    expect(chooseReportSheet('self-eval', [])).toEqual({ sheetName: '绩效自评报告', replaces: null });
    expect(chooseReportSheet('self-eval', [{ name: '绩效自评报告', createdByAddin: true }])).toEqual({
      sheetName: '绩效自评报告',
      replaces: '绩效自评报告',
    });
    expect(chooseReportSheet('self-eval', [{ name: '绩效自评报告', createdByAddin: false }])).toEqual({
      sheetName: '绩效自评报告(2)',
      replaces: null,
    });
    expect(
      chooseReportSheet('self-eval', [
        { name: '绩效自评报告', createdByAddin: false },
        { name: '绩效自评报告(2)', createdByAddin: true },
      ]),
    ).toEqual({ sheetName: '绩效自评报告(2)', replaces: '绩效自评报告(2)' });
    expect(
      chooseReportSheet('target', [
        { name: '绩效目标审核', createdByAddin: false },
        { name: '绩效目标审核(2)', createdByAddin: false },
      ]),
    ).toEqual({ sheetName: '绩效目标审核(3)', replaces: null });
  });

  it('carries the choice into the spec, with the marker pointing at the report sheet', () => {
    const spec = buildReportSpec(selfEval, { ...OPTS, existingSheets: [{ name: '劳模体检', createdByAddin: false }, { name: '绩效自评报告', createdByAddin: false }] });
    expect(spec.sheetName).toBe('绩效自评报告(2)');
    expect(spec.replaces).toBeNull();
    expect(spec.marker).toEqual({ name: 'PerfSheet_SelfEvalReport', ref: "'绩效自评报告(2)'!$A$1" });
  });

  it('reads the marker names as each host gives them', () => {
    expect(sheetOfReference("='绩效自评报告'!$A$1")).toBe('绩效自评报告');
    expect(sheetOfReference('绩效自评报告!$A$1')).toBe('绩效自评报告');
    expect(sheetOfReference("'It''s'!A1")).toBe("It's");
    expect(sheetOfReference('=#REF!$A$1')).toBeNull();
    expect(sheetOfReference('="text"')).toBeNull();
    expect(
      addinSheetsFromNames([
        { name: 'PerfSheet_SelfEvalReport', ref: "='绩效自评报告(2)'!$A$1" },
        { name: 'PerfSheet_TargetReport', ref: '=#REF!$A$1' },
        { name: 'MyName', ref: "'绩效自评报告'!$A$1" },
      ]),
    ).toEqual(['绩效自评报告(2)']);
  });
});

describe('target-only workbooks', () => {
  it('builds 绩效目标审核 with funds, the four checkpoints, counts and the 问题清单', () => {
    const spec = buildReportSpec(target, OPTS);
    expect(spec.kind).toBe('target');
    expect(spec.sheetName).toBe('绩效目标审核');
    expect(spec.title).toBe('石家庄市总工会2024年度预算绩效目标审核结果');
    expect(spec.cells.some((c) => c.value === '资金支出计划' && c.style === 'header')).toBe(true);
    const rows = tableRows(spec, '项目编码');
    const data = rows.filter((r) => typeof r[0].value === 'number');
    expect(data.map((r) => r[1].value)).toEqual([
      '省部级以上劳模体检费',
      '专项业务培训费',
      '市级困难职工及劳模帮扶救助专项资金',
      '市级劳动模范一次性奖励资金',
      '提前下达2024年困难职工帮扶救助专项资金',
      '党组织活动经费',
    ]);
    expect(data[0].map((c) => c.value)).toEqual([1, '省部级以上劳模体检费', '13010024P0060X2100707', 20, 20, null, 0.25, 0.5, 0.83, 1, 6, 0]);
    expect(data[1][9].value).toBeNull(); // 12月底 left empty (F03)
    const total = rows.find((r) => r[0].value === '合计')!;
    expect(total[1].value).toBe(433);
    const issues = tableRows(spec, '说明').map((r) => [r[2].value, r[4].value]);
    expect(issues.map((x) => x[0]).sort()).toEqual(['F03', 'F03', 'V03']);
    expect(spec.cells.some((c) => c.value === '三、指标明细及自评结论')).toBe(false);
  });
});

describe('profiles', () => {
  it('names the hebei profile and colours its grade names', async () => {
    const { readWorkbookBytes } = await import('../../src/xlsx/read');
    const { analyzeWorkbook } = await import('../../src/domain/engine');
    const fs = await import('fs');
    const wb = await readWorkbookBytes(fs.readFileSync(SELF_EVAL_FIXTURE), 'x.xlsx');
    const hebei = analyzeWorkbook(wb, { profile: 'hebei' });
    const spec = buildReportSpec(hebei, OPTS);
    expect(spec.cells[1].value).toContain('评价标准：河北省');
    const grades = spec.conditionalFormats.filter((c) => c.type === 'expression' && /="[^"]+"$/.test(c.formula) && !c.formula.endsWith('="错误"'));
    expect(grades.map((g) => (g.type === 'expression' ? /"([^"]+)"$/.exec(g.formula)![1] : ''))).toEqual(['优秀', '良好', '一般', '较差']);
    const rows = tableRows(spec, '项目名称').filter((r) => typeof r[0].value === 'number');
    expect(rows.map((r) => r[9].value)).toEqual(['优秀', '优秀', '优秀', '优秀', '优秀']);
    const paragraph = spec.cells.find((c) => c.style === 'paragraph')!;
    expect(paragraph.value).toMatch(/^\u3000\u3000该部门预算安排3905.14万元/);
    expect(String(paragraph.value)).toContain('评价等级为优秀。');
  });
});

describe('workbooks without forms', () => {
  it('still gives a report: a line that no form was found, and the workbook-level findings', () => {
    const r = result([], [finding({ code: 'S01', severity: 'error', sheet: '数据', cell: 'A1', message: '表头已识别但缺少“分值”列' })]);
    const spec = buildReportSpec(r, { ...OPTS, existingSheets: [{ name: '数据', createdByAddin: false }] });
    expect(spec.kind).toBe('self-eval');
    expect(spec.title).toBe('预算绩效自评结果');
    expect(spec.cells.some((c) => typeof c.value === 'string' && c.value.startsWith('工作簿中未找到'))).toBe(true);
    expect(tableRows(spec, '说明').map((x) => [x[1].value, x[3].link?.ref])).toEqual([['错误', "'数据'!A1"]]);
    expect(spec.print.rowBreaks).toEqual([]);
  });
});

describe('form', () => {
  it('keeps every cell and merge inside the sheet, merges disjoint, every row and column sized', () => {
    for (const r of [selfEval, target]) {
      const spec = buildReportSpec(r, OPTS);
      expect(spec.columnWidths).toHaveLength(spec.colCount);
      expect(spec.rowHeights).toHaveLength(spec.rowCount);
      expect(spec.columnWidths.every((w) => w >= 2)).toBe(true);
      const seen = new Set<string>();
      for (const c of spec.cells) {
        expect(c.row + c.rowSpan).toBeLessThanOrEqual(spec.rowCount);
        expect(c.col + c.colSpan).toBeLessThanOrEqual(spec.colCount);
        for (let y = c.row; y < c.row + c.rowSpan; y++) {
          for (let x = c.col; x < c.col + c.colSpan; x++) {
            const k = `${y}:${x}`;
            expect(seen.has(k)).toBe(false);
            seen.add(k);
          }
        }
      }
      expect(spec.merges).toHaveLength(spec.cells.filter((c) => c.rowSpan > 1 || c.colSpan > 1).length);
    }
  });

  it('uses official fonts and formats: 黑体 title, 宋体/仿宋 body, money 0.00, rates 0.00%, scores 0.00', () => {
    const spec = buildReportSpec(selfEval, OPTS);
    expect(spec.styles.title.font.name).toBe('黑体');
    expect(spec.styles.text.font.name).toBe('宋体');
    expect(spec.styles.paragraph.font.name).toBe('仿宋');
    expect(spec.styles.header).toMatchObject({ hAlign: 'center', border: true, fill: expect.any(String) });
    const rows = tableRows(spec, '项目名称').filter((r) => typeof r[0].value === 'number');
    expect(rows[0].slice(3, 9).map((c) => spec.styles[c.style].numFmt)).toEqual(['0.00', '0.00', '0.00%', '0.00', '0.00', '0.00']);
    expect(spec.freeze).toEqual({ rows: 2, cols: 0 });
    expect(spec.print).toMatchObject({ paperSize: 'A4', orientation: 'landscape', fitToWidth: 1, fitToHeight: 0, titleRows: { first: 0, last: 1 } });
    // One page for the summary and the issue list, then one per table.
    expect(spec.print.rowBreaks).toHaveLength(selfEval.tables.length);
  });

  it('has data bars on 执行率, a colour per 等级, errors in red', () => {
    const spec = buildReportSpec(selfEval, OPTS);
    const bars = spec.conditionalFormats.filter((c) => c.type === 'dataBar');
    expect(bars).toHaveLength(1);
    const rateCol = cellAt(spec, rowOf(spec, '执行率'), bars[0].range.c0);
    expect(rateCol?.value).toBe('执行率');
    const grades = spec.conditionalFormats.filter((c) => c.type === 'expression' && /="(优|良|中|差)"$/.test(c.formula));
    expect(grades.map((g) => (g.type === 'expression' ? g.formula.slice(-4) : ''))).toEqual(['="优"', '="良"', '="中"', '="差"']);
    expect(new Set(grades.map((g) => (g.type === 'expression' ? g.fill : ''))).size).toBe(4);
    const red = spec.conditionalFormats.filter((c) => c.type === 'expression' && c.font?.color === 'C00000');
    expect(red.length).toBeGreaterThanOrEqual(2);
    expect(red.some((c) => c.type === 'expression' && /="错误"$/.test(c.formula))).toBe(true);
  });

  it('fits widths to Chinese text (CJK counts 2)', () => {
    expect(textWidth('劳模体检')).toBe(8);
    expect(textWidth('A1:J19')).toBe(6);
    expect(textWidth('≥900元/人')).toBe(2 + 3 + 2 + 1 + 2);
    const width = (spec: ReportSpec, c: ReportCell) => spec.columnWidths.slice(c.col, c.col + c.colSpan).reduce((a, x) => a + x, 0);
    // A name of 15 ideographs gets its 30 units (plus padding) on one line …
    const mid = '省部级以上劳模健康体检服务项目';
    const s1 = buildReportSpec(result([table({ sheet: 'A', name: mid })]), OPTS);
    const c1 = tableRows(s1, '项目名称')[0][2];
    expect(width(s1, c1)).toBeGreaterThanOrEqual(textWidth(mid) + 2);
    expect(s1.rowHeights[c1.row]).toBeLessThan(25);
    // … a much longer one wraps inside the column's cap, and its row grows to show every line.
    const long = '提前下达二〇二五年困难职工及劳模帮扶救助专项资金（含市级配套及上年结转部分）';
    const s2 = buildReportSpec(result([table({ sheet: 'A', name: long })]), OPTS);
    const c2 = tableRows(s2, '项目名称')[0][2];
    const lines = Math.ceil(textWidth(long) / (width(s2, c2) - 1.2));
    expect(lines).toBeGreaterThanOrEqual(2);
    expect(s2.rowHeights[c2.row]).toBeGreaterThanOrEqual(lines * 10.5 * 1.3);
  });
});

describe('text never becomes a formula', () => {
  it('escapes text Excel would turn into a formula, number or date when written through Range.values', () => {
    for (const s of ['=SUM(A1)', '+1', '-abc', '@x', "'quoted", '123', '1/2', '10%', '2024-01-01', 'TRUE', 'May 2025', '.5', '(5)']) {
      expect(needsTextEscape(s)).toBe(true);
      expect(excelTextValue(s)).toBe(`'${s}`);
    }
    for (const s of ['劳模体检', '≥40人', '错误', 'C07', '劳模体检!I16', '']) expect(excelTextValue(s)).toBe(s);
  });

  it('keeps formula-looking names and messages as plain text values in the spec', () => {
    const r = result([
      table({ sheet: '=Sheet', name: '=HYPERLINK("http://x","y")', findings: [finding({ code: 'V02', sheet: '=Sheet', cell: 'E13', message: '-占位符' })] }),
    ]);
    const spec = buildReportSpec(r, OPTS);
    expect(spec.cells.some((c) => c.value === '=HYPERLINK("http://x","y")')).toBe(true);
    expect(spec.cells.some((c) => c.value === '-占位符')).toBe(true);
  });
});

describe('已复核 findings (issue #8)', () => {
  it('a finding marked reviewed in the workbook says so, with who and when, in the 问题清单', async () => {
    const { result: r } = await fixtureResult(SELF_EVAL_FIXTURE);
    const f = r.tables.flatMap((t) => t.findings).find((x) => x.code === 'C07')!;
    const reviews = new Map([[reviewKey(f), { code: f.code, sheet: f.sheet, cell: f.cell, by: '张会计', at: '2026-12-01T10:00:00Z' }]]);
    const plain = buildReportSpec(r, OPTS);
    const spec = buildReportSpec(r, { ...OPTS, reviews });
    const texts = (s: typeof spec) => s.cells.map((c) => String(c.value ?? ''));
    expect(texts(spec)).toContain(`${f.message}（已复核：张会计，2026-12-01）`);
    expect(texts(plain).some((t) => t.includes('已复核'))).toBe(false);
    // Only that finding: every other message is as before.
    expect(texts(spec).filter((t) => t.includes('已复核'))).toHaveLength(1);
  });
});
