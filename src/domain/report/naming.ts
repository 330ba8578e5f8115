/**
 * Which sheet the report goes to, and how the add-in recognises the sheets it wrote.
 *
 * Marker: the add-in marks a report sheet with a workbook-scoped defined name that refers to the sheet's
 * A1 cell — `PerfSheet_SelfEvalReport` for 绩效自评报告, `PerfSheet_TargetReport` for 绩效目标审核. Both hosts
 * read and write workbook names (ExcelJS `workbook.definedNames`, Office.js `workbook.names`), the name
 * survives save/load in Excel, LibreOffice and ExcelJS, and because it is a reference it follows the sheet
 * when the sheet is renamed and turns into `#REF!` when the sheet is deleted — so a sheet the user made
 * later under the same name is never mistaken for the add-in's.
 */
import { sheetRef, ReportMarker } from './spec';

export type ReportKind = 'self-eval' | 'target' | 'draft';

export const REPORT_BASE_NAME: Record<ReportKind, string> = {
  'self-eval': '绩效自评报告',
  target: '绩效目标审核',
  draft: '绩效自评报告（草稿）',
};

export const MARKER_NAME: Record<ReportKind, string> = {
  'self-eval': 'PerfSheet_SelfEvalReport',
  target: 'PerfSheet_TargetReport',
  draft: 'PerfSheet_SelfEvalDraft',
};

const MARKER_NAMES = new Set(Object.values(MARKER_NAME));

export function isMarkerName(name: string): boolean {
  return MARKER_NAMES.has(name);
}

/**
 * The sheets the reader leaves out: the add-in's report sheets, but not its 自评报告 draft — the checker reads
 * the draft to flag the prompts left in it (src/domain/draft/prompts.ts), and finds no form there.
 */
export function unreadSheetsFromNames(names: readonly { name: string; ref: string }[]): string[] {
  return addinSheetsFromNames(names.filter((n) => n.name !== MARKER_NAME.draft));
}

/** The add-in's 自评报告 draft sheets, by their marker name (WorkbookGrid.draftSheets). */
export function draftSheetsFromNames(names: readonly { name: string; ref: string }[]): string[] {
  return addinSheetsFromNames(names.filter((n) => n.name === MARKER_NAME.draft));
}

export interface ExistingSheet {
  name: string;
  /** True when the add-in wrote this sheet (a marker name refers to it). */
  createdByAddin: boolean;
}

export function markerFor(kind: ReportKind, sheetName: string): ReportMarker {
  return { name: MARKER_NAME[kind], ref: sheetRef(sheetName, '$A$1') };
}

/**
 * The sheet a reference points at: `='绩效自评报告'!$A$1`, `绩效自评报告!$A$1`, `'It''s'!A1` → the sheet name;
 * null for `#REF!`, constants, or references without a sheet.
 */
export function sheetOfReference(ref: string): string | null {
  let s = ref.trim();
  if (s.startsWith('=')) s = s.slice(1).trim();
  if (s.startsWith("'")) {
    let name = '';
    for (let i = 1; i < s.length; i++) {
      if (s[i] === "'") {
        if (s[i + 1] === "'") {
          name += "'";
          i++;
          continue;
        }
        return s[i + 1] === '!' && name !== '' ? name : null;
      }
      name += s[i];
    }
    return null;
  }
  const bang = s.indexOf('!');
  if (bang <= 0) return null;
  const name = s.slice(0, bang);
  if (name.includes('#') || /[\s,()]/.test(name)) return null;
  return name;
}

/**
 * The sheets the add-in wrote, from the workbook's defined names (`{ name, ref }`, ref as the host gives
 * it: Office.js `NamedItem.formula`, ExcelJS `definedNames.model[].ranges[0]`).
 */
export function addinSheetsFromNames(names: readonly { name: string; ref: string }[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    if (!isMarkerName(n.name)) continue;
    const sheet = sheetOfReference(n.ref);
    if (sheet !== null && !out.includes(sheet)) out.push(sheet);
  }
  return out;
}

/** Excel compares sheet names case-insensitively. */
function sameName(a: string, b: string): boolean {
  return a.toLocaleLowerCase() === b.toLocaleLowerCase();
}

/**
 * The naming rule: the report goes to `base`; when a sheet of that name exists and the add-in did not
 * write it, to `base(2)`, `base(3)`, … — the first name that is free or that holds the add-in's own earlier
 * report, which is then replaced. A sheet the user made is never chosen.
 */
export function chooseReportSheet(
  kind: ReportKind,
  existing: readonly ExistingSheet[],
): { sheetName: string; replaces: string | null } {
  const base = REPORT_BASE_NAME[kind];
  for (let k = 1; ; k++) {
    const candidate = k === 1 ? base : `${base}(${k})`;
    const hit = existing.find((s) => sameName(s.name, candidate));
    if (!hit) return { sheetName: candidate, replaces: null };
    if (hit.createdByAddin) return { sheetName: hit.name, replaces: hit.name };
  }
}
