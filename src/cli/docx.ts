/**
 * The 自评报告 draft as a Word document (the `docx` package): the title, Word's own Heading 1–3 styles with
 * Word numbering (一、 / （一） / 1.) that restarts for each part, body paragraphs in 仿宋 with a two-character
 * first-line indent, prompts in dark red on yellow, the indicator tables with their 一级/二级 cells merged
 * down, A4 portrait with page numbers in the footer.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  LevelFormat,
  LevelSuffix,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import type { DraftDoc, DraftSection, DraftTable, Run } from '../domain/draft';
import { runsText, tableCells } from '../domain/draft';
import { PROMPT_COLOR, PROMPT_FILL } from '../domain/report/styles';

const NUMBERING = 'draft-sections';
/** A4 in twips; margins as the official documents use (top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm). */
const PAGE = { width: 11906, height: 16838, top: 2098, bottom: 1984, left: 1587, right: 1474 };
const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;

const font = (name: string) => ({ ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: name, cs: name });

/** Half-points. */
const SIZE = { title: 40, h1: 32, h2: 32, h3: 32, body: 32, meta: 24, table: 21 };

function runsOf(runs: readonly Run[], size: number): TextRun[] {
  return runs.map((r) =>
    r.t === 'prompt'
      ? new TextRun({
          text: r.text,
          size,
          color: PROMPT_COLOR,
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: PROMPT_FILL },
        })
      : new TextRun({ text: r.text, size }),
  );
}

function heading(s: DraftSection, part: number): Paragraph {
  const level =
    s.level === 1 ? HeadingLevel.HEADING_1 : s.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3;
  return new Paragraph({
    heading: level,
    numbering: { reference: NUMBERING, level: s.level - 1, instance: part + 1 },
    children: [new TextRun(s.title)],
  });
}

const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const borders = { top: thin, bottom: thin, left: thin, right: thin };

function cellParagraph(runs: readonly Run[], align: 'left' | 'center' | 'right', bold = false): Paragraph {
  const alignment =
    align === 'center' ? AlignmentType.CENTER : align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT;
  return new Paragraph({
    alignment,
    spacing: { line: 280 },
    children: bold ? [new TextRun({ text: runsText(runs), bold: true, size: SIZE.table })] : runsOf(runs, SIZE.table),
  });
}

function table(t: DraftTable): (Paragraph | Table)[] {
  const total = t.columns.reduce((a, c) => a + c.width, 0);
  const widths = t.columns.map((c) => Math.round((c.width / total) * TEXT_WIDTH));
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: t.columns.map(
      (c, i) =>
        new TableCell({
          width: { size: widths[i], type: WidthType.DXA },
          borders,
          verticalAlign: VerticalAlign.CENTER,
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'DDEBF7' },
          children: [cellParagraph([{ t: 'text', text: c.header }], 'center', true)],
        }),
    ),
  });
  const drawn = tableCells(t);
  const rows = t.rows.map((_row, r) => {
    const cells: TableCell[] = [];
    for (const { i, cell: c, down, across } of drawn.filter((x) => x.r === r)) {
      const width = widths.slice(i, across + 1).reduce((a, b) => a + b, 0);
      const prompt = c.some((x) => x.t === 'prompt');
      cells.push(
        new TableCell({
          width: { size: width, type: WidthType.DXA },
          columnSpan: across - i + 1,
          rowSpan: down,
          borders,
          verticalAlign: VerticalAlign.CENTER,
          shading: prompt ? { type: ShadingType.CLEAR, color: 'auto', fill: PROMPT_FILL } : undefined,
          children: [cellParagraph(c, across > i ? 'center' : t.columns[i].align, across > i)],
        }),
      );
    }
    return new TableRow({ cantSplit: true, children: cells });
  });
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      keepNext: true,
      spacing: { before: 120, after: 60 },
      children: [new TextRun({ text: t.caption, bold: true, size: SIZE.table + 3, font: font('黑体') })],
    }),
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      // Narrow cell margins (0.1 cm): the short columns (分值, 得分, 等级) keep their figures on one line.
      margins: { left: 57, right: 57 },
      rows: [header, ...rows],
    }),
    new Paragraph({ children: [] }),
  ];
}

function sectionContent(s: DraftSection, part: number): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [heading(s, part)];
  for (const b of s.blocks) {
    if (b.type === 'table') out.push(...table(b));
    else out.push(new Paragraph({ indent: { firstLine: 640 }, children: runsOf(b.runs, SIZE.body) }));
  }
  for (const c of s.children) out.push(...sectionContent(c, part));
  return out;
}

/** The .docx bytes of a draft. */
export async function draftToDocx(doc: DraftDoc): Promise<Uint8Array> {
  const body: (Paragraph | Table)[] = [
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      children: [new TextRun(`${doc.title}（草稿）`)],
    }),
    ...doc.meta.map(
      (line) =>
        new Paragraph({
          alignment: AlignmentType.CENTER,
          spacing: { after: 60 },
          children: runsOf(line, SIZE.meta),
        }),
    ),
    new Paragraph({ children: [] }),
  ];
  doc.parts.forEach((p, k) => {
    if (p.title) {
      body.push(
        new Paragraph({
          alignment: AlignmentType.CENTER,
          pageBreakBefore: k > 0,
          spacing: { before: 240, after: 240 },
          children: [new TextRun({ text: p.title, bold: true, size: SIZE.h1 + 4, font: font('黑体') })],
        }),
      );
    }
    for (const s of p.sections) body.push(...sectionContent(s, k));
  });
  const heading = (face: string, size: number, bold: boolean, before: number) => ({
    run: { font: font(face), size, bold, color: '000000' },
    paragraph: { spacing: { before, after: 120, line: 560 }, keepNext: true, keepLines: true },
  });
  const document = new Document({
    creator: 'PerfSheet 绩效表格助手',
    title: `${doc.title}（草稿）`,
    description: '由 PerfSheet 根据已检查的绩效自评表生成的自评报告草稿',
    styles: {
      default: {
        document: { run: { font: font('仿宋'), size: SIZE.body }, paragraph: { spacing: { line: 560 } } },
        title: {
          run: { font: font('黑体'), size: SIZE.title, bold: false, color: '000000' },
          paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 240, after: 240, line: 600 } },
        },
        heading1: heading('黑体', SIZE.h1, false, 240),
        heading2: heading('楷体', SIZE.h2, true, 120),
        heading3: heading('仿宋', SIZE.h3, true, 60),
      },
    },
    numbering: {
      config: [
        {
          reference: NUMBERING,
          levels: [
            {
              level: 0,
              format: LevelFormat.CHINESE_COUNTING,
              text: '%1、',
              alignment: AlignmentType.LEFT,
              suffix: LevelSuffix.NOTHING,
              style: { paragraph: { indent: { left: 0, firstLine: 640 } } },
            },
            {
              level: 1,
              format: LevelFormat.CHINESE_COUNTING,
              text: '（%2）',
              alignment: AlignmentType.LEFT,
              suffix: LevelSuffix.NOTHING,
              style: { paragraph: { indent: { left: 0, firstLine: 640 } } },
            },
            {
              level: 2,
              format: LevelFormat.DECIMAL,
              text: '%3.',
              alignment: AlignmentType.LEFT,
              suffix: LevelSuffix.NOTHING,
              style: { paragraph: { indent: { left: 0, firstLine: 640 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({
                    children: ['第 ', PageNumber.CURRENT, ' 页，共 ', PageNumber.TOTAL_PAGES, ' 页'],
                    size: 21,
                  }),
                ],
              }),
            ],
          }),
        },
        children: body,
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
