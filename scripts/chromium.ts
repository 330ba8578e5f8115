/**
 * How PerfSheet starts Debian's Chromium (playwright-core drives it; no browser is ever downloaded).
 * The flags keep a headless root session from reaching for the network, which this machine cannot reach.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
