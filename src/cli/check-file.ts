/**
 * Checks one workbook file: what `perfsheet check` and `check --summary` do for each input, in the main thread
 * or in a worker thread (src/cli/worker.ts). Its outcome is plain data, so a worker can post it back.
 */
import path from 'path';
import { analyzeWorkbook } from '../domain/engine';
import { ProfileId } from '../domain/profiles';
import type { WorkbookChoices } from '../domain/settings';
import { WorkbookResult } from '../domain/types';
import { readChoices } from '../xlsx/choices';
import { XlsxPackage } from '../xlsx/package';
import { readWorkbookBytes } from '../xlsx/read';
import { describeFailure, readInput } from './main';

export interface CheckJob {
  file: string;
  /** The profile asked for; absent: the one the workbook stores (when `choices`), else central. */
  profile?: ProfileId;
  /** Whether to read the pane's choices stored in the workbook (the profile it chose). */
  choices: boolean;
}

export type CheckOutcome = { result: WorkbookResult; error?: undefined } | { error: string; result?: undefined };

/**
 * Reads a workbook's bytes and analyses them under `profile`, else (with `choices`) the profile the pane stored in
 * it (RULES §5: the CLI scores as the pane does, unless told), else central. With `choices`, also what the pane
 * stored (its 已复核 items, which the report carries).
 */
export async function analyzeBytes(
  bytes: Buffer,
  name: string,
  profile: ProfileId | undefined,
  choices: boolean,
): Promise<{ result: WorkbookResult; choices: WorkbookChoices | null }> {
  const grid = await readWorkbookBytes(bytes, name);
  const stored = choices ? await readChoices(await XlsxPackage.open(bytes, name)) : null;
  return { result: analyzeWorkbook(grid, { profile: (profile ?? stored?.profile ?? 'central') as ProfileId }), choices: stored };
}

export async function checkFile(job: CheckJob): Promise<CheckOutcome> {
  try {
    const bytes = readInput(job.file);
    // The stored choices are read only where they decide the profile.
    const { result } = await analyzeBytes(bytes, path.basename(job.file), job.profile, job.choices && job.profile === undefined);
    return { result };
  } catch (e) {
    return { error: describeFailure(e) };
  }
}
