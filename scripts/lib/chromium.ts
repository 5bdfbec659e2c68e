/** Launches Debian's Chromium through playwright-core for browser tests and benchmarks (never a downloaded browser). */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Chromium is: `CHROMIUM_PATH`, or Debian's package. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags every headless launch needs here; without the background-networking ones Chromium floods the closed network at start. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether Chromium is installed here (`apt-get install -y chromium`). */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Starts a headless Chromium; playwright gives every launch a fresh, temporary profile. Fails clearly when it is missing. */
export function launchChromium(): Promise<Browser> {
  if (!hasChromium()) {
    throw new Error(`Chromium introuvable à ${CHROMIUM_PATH} : installez-le (apt-get install -y chromium) ou indiquez CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}
