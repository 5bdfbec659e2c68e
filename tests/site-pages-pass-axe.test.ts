import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAxeViolations } from './helpers/axe.ts';
import { hasChromium, launchChromium } from './helpers/chromium.ts';
import { buildFixtureSite, type SiteFixture } from './helpers/site-fixture.ts';
import { serveSite, type SiteServer } from './helpers/site-server.ts';

let site: SiteFixture;
let server: SiteServer;
let browser: Browser;

/** One page of each type the site core renders. */
const pages = [
  '/',
  '/fiches/',
  '/fiches/filtre/phase/agir/',
  '/fiches/jardin-partage/',
  '/fiches/jardin-partage/historique/',
  '/guides/enquete-collective/',
  '/retours/',
  '/retours/migne-auxances-instance-participative/',
  '/structures/la-traverse/',
  '/territoires/combloux/',
  '/referentiel/',
  '/modifications/',
  '/reutiliser/',
  '/recherche/?q=jardin',
];

describe.skipIf(!hasChromium())('every page type', () => {
  beforeAll(async () => {
    site = await buildFixtureSite();
    server = await serveSite(site.outDir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await site?.cleanup();
  });

  for (const path of pages) {
    it(`has no WCAG 2.1 A/AA violation found by axe-core: ${path}`, async () => {
      for (const width of [1280, 360]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(`${server.url}${path}`);
        // Results render lazily as they scroll into view: wait for the summary, then for the first result.
        if (path.startsWith('/recherche/')) {
          await page.getByText(/\d+ résultats?/).first().waitFor();
          await page.locator('pagefind-results').scrollIntoViewIfNeeded();
          await page.locator('pagefind-results a').first().waitFor();
        }
        const violations = await findAxeViolations(page);
        expect(violations, `${path} at ${width}px`).toEqual([]);
        await page.close();
      }
    });
  }
});
