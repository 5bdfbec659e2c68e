/**
 * The fixture site built once for a test file, served on a free port, with a headless Chromium;
 * all three are torn down after the file. Call it inside the `describe` that uses them.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { buildFixtureSite, type SiteFixture } from './site-fixture.ts';
import { serveSite, type SiteServer } from '../../scripts/lib/site-server.ts';

/** What a browser test of the built site works with (set once `beforeAll` has run). */
export interface SiteInChromium {
  site: SiteFixture;
  server: SiteServer;
  browser: Browser;
}

/** Registers the build, server and browser of a test file; returns them for its tests. */
export function useSiteInChromium(): SiteInChromium {
  const env = {} as SiteInChromium;
  beforeAll(async () => {
    env.site = await buildFixtureSite();
    env.server = await serveSite(env.site.outDir);
    env.browser = await launchChromium();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
    await env.site?.cleanup();
  });
  return env;
}
