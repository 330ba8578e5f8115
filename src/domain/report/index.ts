/**
 * The report sheet spec (issue 4): pure, host-independent. See docs/REPORT.md.
 */
export * from './spec';
export * from './naming';
export { buildReportSpec, reportKindOf } from './build';
export type { ReportOptions } from './build';
export { conclusionParagraph, shortfalls } from './conclusion';
export { REPORT_STYLES } from './styles';
export { textWidth } from './text';
export {
  cellMatrices,
  columnWidthPoints,
  excelTextValue,
  reportTargetProblem,
  rowHeightRuns,
  styleRectangles,
} from './host';
export type { StyleGroup } from './host';
