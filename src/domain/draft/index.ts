/**
 * The 绩效自评报告 draft (issue 20): pure, host-independent. See docs/DRAFT.md.
 */
export * from './model';
export { buildDraft, DraftError, FIELD_FORMAT, formatFigure } from './build';
export type { DraftOptions } from './build';
export { buildDraftSheetSpec } from './sheet';
export { DRAFT_TITLE_SUFFIX, findPrompts, isDraftSheet, PROMPT_OPEN, promptCells, promptText } from './prompts';
