/** Launching Debian's Chromium for the e2e tests, and where screenshots go. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium';

export const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');

export function previewUrl(): string {
  return process.env.PERFSHEET_URL ?? fs.readFileSync(path.join(os.tmpdir(), 'perfsheet-e2e-url'), 'utf8');
}

export async function launch(): Promise<Browser> {
  // Playwright gives every launch a fresh, temporary profile (its own --user-data-dir).
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
