/** Browser tests run in Chromium; they never skip silently. */
import { describe } from 'vitest';
import { CHROMIUM_PATH, hasChromium } from '../../scripts/lib/chromium.ts';

const skip = !hasChromium() && !process.env.CI;
// Under CI a missing Chromium fails the run (launchChromium says why); on a workstation without
// it, the browser tests are skipped, loudly.
if (skip) console.warn(`⚠ Chromium introuvable (${CHROMIUM_PATH}) : les tests de navigateur sont IGNORÉS. Installez-le : apt-get install -y chromium`);

/** `describe` for a group of browser tests: skipped only outside CI when Chromium is missing. */
export const describeInChromium = skip ? describe.skip : describe;
