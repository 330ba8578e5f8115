/** The templates' named styles: the plain black-and-white look of the official forms (宋体, thin borders). */
import type { ReportStyle } from '../report/spec';
import { BODY_FONT as BODY, font, style, TITLE_FONT as TITLE } from '../report/styles';
import type { TemplateStyleName } from './spec';

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
