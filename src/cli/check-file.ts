/**
 * Checks one workbook file: what `perfsheet check` and `check --summary` do for each input, in the main thread
 * or in a worker thread (src/cli/worker.ts). Its outcome is plain data, so a worker can post it back.
 */
import path from 'path';
import { analyzeWorkbook } from '../domain/engine';
import { ProfileId } from '../domain/profiles';
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

export async function checkFile(job: CheckJob): Promise<CheckOutcome> {
  try {
    const bytes = readInput(job.file);
    const name = path.basename(job.file);
    const grid = await readWorkbookBytes(bytes, name);
    // The pane stores its profile choice in the workbook (RULES §5): the CLI scores as the pane does, unless told.
    const stored = job.choices && job.profile === undefined ? (await readChoices(await XlsxPackage.open(bytes, name))).profile : null;
    return { result: analyzeWorkbook(grid, { profile: (job.profile ?? stored ?? 'central') as ProfileId }) };
  } catch (e) {
    return { error: describeFailure(e) };
  }
}
