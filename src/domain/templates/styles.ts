/** The templates' named styles: the plain black-and-white look of the official forms (宋体, thin borders). */
import type { ReportFont, ReportStyle } from '../report/spec';
import type { TemplateStyleName } from './spec';

const BODY = '宋体';
const TITLE = '黑体';

function font(name: string, size: number, extra: Partial<ReportFont> = {}): ReportFont {
  return { name, size, bold: false, italic: false, underline: false, color: '000000', ...extra };
}

function style(f: ReportFont, rest: Partial<Omit<ReportStyle, 'font'>> = {}): ReportStyle {
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

const body = font(BODY, 10);
const bold = font(BODY, 10, { bold: true });
const boxed = { border: true, wrap: true } as const;

export const TEMPLATE_STYLES: Record<TemplateStyleName, ReportStyle> = {
  title: style(font(TITLE, 16), { hAlign: 'center' }),
  subtitle: style(font(BODY, 11), { hAlign: 'center' }),
  unitNote: style(body, { hAlign: 'right' }),
  label: style(body, { ...boxed, hAlign: 'center' }),
  header: style(bold, { ...boxed, hAlign: 'center' }),
  input: style(body, { ...boxed }),
  inputCenter: style(body, { ...boxed, hAlign: 'center' }),
  money: style(body, { ...boxed, hAlign: 'right', numFmt: '0.00' }),
  percent: style(body, { ...boxed, hAlign: 'center', numFmt: '0%' }),
  weight: style(body, { ...boxed, hAlign: 'center', numFmt: '0.00' }),
  score: style(body, { ...boxed, hAlign: 'center', numFmt: '0.00' }),
  totalLabel: style(bold, { ...boxed, hAlign: 'center' }),
  totalScore: style(bold, { ...boxed, hAlign: 'center', numFmt: '0.00' }),
};
