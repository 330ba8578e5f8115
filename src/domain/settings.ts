/**
 * Choices PerfSheet keeps in the workbook itself, so that they travel with the file and the task pane and
 * the CLI read the same ones: the scoring profile and the findings marked 已复核 (reviewed).
 *
 * They live in hidden workbook-scoped defined names holding a string constant — what both Office.js
 * (`workbook.names`, `NamedItem.formula` = `="hebei"`) and an .xlsx reader (`<definedName>` in
 * xl/workbook.xml, text `"hebei"`) can read and write. `workbook.settings` is not used for them: Office keys
 * those to the add-in's Id, so a workbook set to 河北 reopened as 中央 under another manifest.
 *
 *   PerfSheet.Profile      ="hebei"
 *   PerfSheet.Review.<n>   ="[""C07"",""劳模体检"",""I16"",""张三"",""2026-12-01T10:00:00.000Z""]"
 *
 * Pure: no Office.js, no Node APIs.
 */
import { z } from 'zod';

export const PROFILE_NAME = 'PerfSheet.Profile';
export const REVIEW_NAME_PREFIX = 'PerfSheet.Review.';
/** The old place of the profile (workbook.settings, keyed to the add-in's Id): read once, never written. */
export const LEGACY_PROFILE_SETTING = 'PerfSheet.profile';
/** Excel limits a text constant in a formula to 255 characters. */
export const MAX_CONSTANT = 255;

export const StoredProfileSchema = z.enum(['central', 'hebei']);
export type StoredProfile = z.infer<typeof StoredProfileSchema>;

export const ReviewSchema = z.object({
  code: z.string().regex(/^[A-Z]\d\d$/),
  sheet: z.string().min(1),
  cell: z.string().min(1),
  /** Who marked it reviewed (free text, may be empty). */
  by: z.string(),
  /** When, as an ISO 8601 timestamp. */
  at: z.string(),
});
export type Review = z.infer<typeof ReviewSchema>;

export interface NameEntry {
  name: string;
  /** The formula as Office.js gives it (`="x"`) or as xl/workbook.xml holds it (`"x"`). */
  ref: string;
}

/** The text of a string-constant formula (`="a""b"` → `a"b`), or null when it is not one. */
export function stringConstant(formula: string): string | null {
  const m = /^\s*=?\s*"((?:[^"]|"")*)"\s*$/.exec(formula);
  return m ? m[1].replace(/""/g, '"') : null;
}

/** The formula of a string constant, for `names.add` (`a"b` → `="a""b"`). Throws above 255 characters. */
export function constantFormula(text: string): string {
  if (text.length > MAX_CONSTANT) throw new RangeError(`constant longer than ${MAX_CONSTANT} characters`);
  return `="${text.replace(/"/g, '""')}"`;
}

/** The identity of a finding for 已复核: its rule, sheet and cell. */
export function reviewKey(x: { code: string; sheet: string; cell: string }): string {
  return `${x.code}|${x.sheet}|${x.cell.replace(/\$/g, '').toUpperCase()}`;
}

/** The constant stored for a review; long sheet or reviewer names are shortened to fit 255 characters. */
export function encodeReview(r: Review): string {
  let by = r.by;
  for (;;) {
    const text = JSON.stringify([r.code, r.sheet, r.cell, by, r.at]);
    if (text.replace(/"/g, '""').length + 3 <= MAX_CONSTANT || by === '') return text;
    by = by.slice(0, Math.max(0, by.length - 8));
  }
}

export function decodeReview(text: string): Review | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(raw) || raw.length !== 5) return null;
  const [code, sheet, cell, by, at] = raw;
  const r = ReviewSchema.safeParse({ code, sheet, cell, by, at });
  return r.success ? r.data : null;
}

export interface WorkbookChoices {
  /** The stored profile, or null when the workbook holds none (or an unknown one). */
  profile: StoredProfile | null;
  /** Reviewed findings by reviewKey, with the defined name that holds each (to remove it). */
  reviews: Map<string, Review & { name: string }>;
}

function isOurs(name: string, want: string): boolean {
  // Excel compares names case-insensitively.
  return name.toLowerCase() === want.toLowerCase();
}

/** Reads PerfSheet's choices from a workbook's defined names; anything malformed is ignored. */
export function parseChoices(names: NameEntry[]): WorkbookChoices {
  let profile: StoredProfile | null = null;
  const reviews = new Map<string, Review & { name: string }>();
  for (const n of names) {
    if (isOurs(n.name, PROFILE_NAME)) {
      const p = StoredProfileSchema.safeParse(stringConstant(n.ref));
      if (p.success) profile = p.data;
    } else if (n.name.toLowerCase().startsWith(REVIEW_NAME_PREFIX.toLowerCase())) {
      const text = stringConstant(n.ref);
      const r = text === null ? null : decodeReview(text);
      if (r) reviews.set(reviewKey(r), { ...r, name: n.name });
    }
  }
  return { profile, reviews };
}

/** A defined name for a new review that is not among `taken` (names compare case-insensitively). */
export function nextReviewName(taken: Iterable<string>): string {
  const used = new Set([...taken].map((t) => t.toLowerCase()));
  for (let i = 1; ; i++) {
    const name = `${REVIEW_NAME_PREFIX}${i}`;
    if (!used.has(name.toLowerCase())) return name;
  }
}
