/**
 * The 绩效自评报告 draft as data: a document of numbered sections, paragraphs and tables whose text is made of
 * runs that say where each piece comes from — the draft's own wording, text copied from the form, a figure
 * the engine computed (with the field it was taken from), or a prompt for what only a person can write.
 *
 * Two renderers consume it: the printable sheet 「绩效自评报告（草稿）」 (./sheet.ts → the report sheet spec,
 * drawn by every host's report renderer) and the Word document of the CLI (src/cli/docx.ts).
 */

/** Which computed figure of which table a number in the draft is. */
export type FigureField =
  | 'year'
  | 'initial'
  | 'budget'
  | 'executed'
  | 'rate'
  | 'rateScore'
  | 'rateWeight'
  | 'indicatorScore'
  | 'totalScore'
  | 'indicatorCount'
  | 'metCount'
  | 'belowCount'
  | 'unscoredCount'
  | 'level1Score'
  | 'score'
  | 'weight'
  | 'gradeMin';

export interface FigureRef {
  /** Index of the table in WorkbookResult.tables (-1 for a figure of the profile: grade bands). */
  table: number;
  field: FigureField;
  /** Indicators: the 1-based sheet row (Indicator.row). */
  row?: number;
  /** level1Score: the 一级 name. */
  level1?: string;
  /** gradeMin: the band's index in the profile's grades. */
  band?: number;
}

/** How a figure is written: money in 万元 with 2 decimals, a percentage, a score, a count. */
export type FigureFormat = 'money' | 'percent' | 'score' | 'count' | 'year';

export type Run =
  /** The draft's own words (never holds a number: every number is a figure or quoted from the form). */
  | { t: 'text'; text: string }
  /** Text as the form (or the user) wrote it: names, 指标值, 实际完成值, 偏差原因, the date. */
  | { t: 'quote'; text: string }
  | { t: 'figure'; text: string; value: number; format: FigureFormat; ref: FigureRef }
  /** What only a person can write: `【请填写：…】`, flagged by the checker while it is left in. */
  | { t: 'prompt'; text: string };

export interface DraftParagraph {
  type: 'paragraph';
  runs: Run[];
  /** A paragraph that is only a prompt (drawn as one in the sheet). */
  prompt?: boolean;
}

export interface DraftTableColumn {
  header: string;
  /** Relative width (character units of the sheet). */
  width: number;
  align: 'left' | 'center' | 'right';
}

export interface DraftTable {
  type: 'table';
  caption: string;
  columns: DraftTableColumn[];
  /**
   * Cells as runs, one array per row; `null` is a cell covered by the cell to its left (merged across).
   * Equal consecutive cells of the `mergeColumns` are merged down.
   */
  rows: (Run[] | null)[][];
  /** Columns whose equal consecutive cells are merged (一级, 二级 as in the official forms). */
  mergeColumns: number[];
}

export type DraftBlock = DraftParagraph | DraftTable;

export interface DraftSection {
  /** 1: 一、…; 2: （一）…; 3: 1. … */
  level: 1 | 2 | 3;
  /** The number as printed (`一、`, `（二）`, `3.`): the docx draws it with Word's own numbering instead. */
  number: string;
  title: string;
  blocks: DraftBlock[];
  children: DraftSection[];
}

export interface DraftPart {
  /** A part's own heading when the document holds several (one per project); null for a single part. */
  title: string | null;
  sections: DraftSection[];
}

export interface DraftDoc {
  /** `石家庄市总工会2025年度部门整体支出绩效自评报告`, without the （草稿） suffix. */
  title: string;
  outline: 'dept' | 'project';
  /** Lines under the title: the unit, the profile, the date, the source file (as quotes). */
  meta: Run[][];
  parts: DraftPart[];
}

export const text = (s: string): Run => ({ t: 'text', text: s });
export const quote = (s: string): Run => ({ t: 'quote', text: s });

/** The plain text of runs. */
export function runsText(runs: readonly Run[]): string {
  return runs.map((r) => r.text).join('');
}

/** Every section of a part, depth first. */
export function walkSections(sections: readonly DraftSection[]): DraftSection[] {
  return sections.flatMap((s) => [s, ...walkSections(s.children)]);
}

/** Every run of the document (meta, headings' text excluded, paragraphs, table cells). */
export function allRuns(doc: DraftDoc): Run[] {
  const out: Run[] = doc.meta.flat();
  for (const p of doc.parts) {
    for (const s of walkSections(p.sections)) {
      for (const b of s.blocks) {
        if (b.type === 'paragraph') out.push(...b.runs);
        else for (const row of b.rows) for (const c of row) if (c) out.push(...c);
      }
    }
  }
  return out;
}

/** One drawn cell of a draft table: where it starts, its runs, and how far it spans down and across. */
export interface DraftTableCell {
  r: number;
  i: number;
  cell: Run[];
  /** Rows it covers (merged down over equal cells of a merge column). */
  down: number;
  /** Its last column (merged across over the `null` cells to its right). */
  across: number;
}

/**
 * The cells of a draft table as every renderer draws them (the sheet and the .docx alike): a cell of a merge
 * column equal to the one above — the 二级 also under the same 一级 — is merged down into it; a cell merged
 * across is never merged down.
 */
export function tableCells(t: DraftTable): DraftTableCell[] {
  const text = (r: number, i: number) => {
    const c = t.rows[r][i];
    return c ? runsText(c) : null;
  };
  const mergeable = (r: number, i: number) =>
    t.mergeColumns.includes(i) && t.rows[r][i] !== null && text(r, i) !== '' && t.rows[r][i + 1] !== null;
  const sameAbove = (r: number, i: number): boolean =>
    r > 0 &&
    mergeable(r, i) &&
    mergeable(r - 1, i) &&
    text(r, i) === text(r - 1, i) &&
    (i === 0 || !t.mergeColumns.includes(i - 1) || sameAbove(r, i - 1));
  const out: DraftTableCell[] = [];
  t.rows.forEach((row, r) => {
    for (let i = 0; i < row.length; i++) {
      const cell = row[i];
      if (cell === null || sameAbove(r, i)) continue;
      let down = 1;
      while (r + down < t.rows.length && sameAbove(r + down, i)) down++;
      let across = i;
      while (across + 1 < row.length && row[across + 1] === null) across++;
      out.push({ r, i, cell, down, across });
    }
  });
  return out;
}
