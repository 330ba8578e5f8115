/**
 * The report's named styles: 宋体/仿宋 body, 黑体 title and headings, thin borders, centred headers with a
 * light fill, money `0.00`, rates `0.00%`, scores `0.00`.
 */
import type { ReportFont, ReportStyle, StyleName } from './spec';

export const BODY_FONT = '宋体';
export const PROSE_FONT = '仿宋';
export const TITLE_FONT = '黑体';

export const HEADER_FILL = 'DDEBF7';
export const TOTAL_FILL = 'F2F2F2';
export const LINK_COLOR = '0563C1';
export const ERROR_COLOR = 'C00000';
/** The draft's prompts (`【请填写：…】`): dark red on light yellow, to be seen and replaced. */
export const PROMPT_COLOR = '9C0006';
export const PROMPT_FILL = 'FFF2CC';

/** A black, upright font of `name` and `size`, with `extra` on top (the report's and the templates' styles). */
export function font(name: string, size: number, extra: Partial<ReportFont> = {}): ReportFont {
  return { name, size, bold: false, italic: false, underline: false, color: '000000', ...extra };
}

/** A style of font `f`: no fill or border, left and centred, no wrap, `General`; `rest` on top. */
export function style(f: ReportFont, rest: Partial<Omit<ReportStyle, 'font'>> = {}): ReportStyle {
  return {
    font: f,
    fill: null,
    border: false,
    hAlign: 'left',
    vAlign: 'center',
    wrap: false,
    numFmt: 'General',
    ...rest,
  };
}

const body = font(BODY_FONT, 10.5);
const bodyBold = font(BODY_FONT, 10.5, { bold: true });
const cell = { border: true, wrap: true } as const;
const total = { border: true, wrap: true, fill: TOTAL_FILL } as const;

export const REPORT_STYLES: Record<StyleName, ReportStyle> = {
  title: style(font(TITLE_FONT, 18), { hAlign: 'center' }),
  meta: style(font(PROSE_FONT, 11), { hAlign: 'center' }),
  section: style(font(TITLE_FONT, 14)),
  subsection: style(font(TITLE_FONT, 12)),
  header: style(bodyBold, { ...cell, fill: HEADER_FILL, hAlign: 'center' }),
  text: style(body, { ...cell }),
  textCenter: style(body, { ...cell, hAlign: 'center' }),
  int: style(body, { ...cell, hAlign: 'center', numFmt: '0' }),
  money: style(body, { ...cell, hAlign: 'right', numFmt: '0.00' }),
  rate: style(body, { ...cell, hAlign: 'center', numFmt: '0.00%' }),
  score: style(body, { ...cell, hAlign: 'center', numFmt: '0.00' }),
  link: style(font(BODY_FONT, 10.5, { color: LINK_COLOR, underline: true }), { ...cell, hAlign: 'center' }),
  totalLabel: style(bodyBold, { ...total, hAlign: 'center' }),
  totalMoney: style(bodyBold, { ...total, hAlign: 'right', numFmt: '0.00' }),
  totalRate: style(bodyBold, { ...total, hAlign: 'center', numFmt: '0.00%' }),
  totalScore: style(bodyBold, { ...total, hAlign: 'center', numFmt: '0.00' }),
  totalInt: style(bodyBold, { ...total, hAlign: 'center', numFmt: '0' }),
  paragraphLabel: style(bodyBold, { ...cell, fill: HEADER_FILL, hAlign: 'center' }),
  paragraph: style(font(PROSE_FONT, 12), { ...cell, vAlign: 'top' }),
  note: style(font(PROSE_FONT, 10.5), { wrap: true, vAlign: 'top' }),
  partTitle: style(font(TITLE_FONT, 16), { hAlign: 'center' }),
  minorsection: style(font(PROSE_FONT, 12, { bold: true }), { wrap: true }),
  prose: style(font(PROSE_FONT, 12), { wrap: true, vAlign: 'top' }),
  prompt: style(font(PROSE_FONT, 12, { color: PROMPT_COLOR }), { wrap: true, vAlign: 'top', fill: PROMPT_FILL }),
  promptCell: style(font(BODY_FONT, 10.5, { color: PROMPT_COLOR }), { ...cell, fill: PROMPT_FILL }),
  caption: style(bodyBold, { hAlign: 'center' }),
  plainScore: style(body, { ...cell, hAlign: 'center' }),
};
