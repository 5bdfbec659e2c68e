import { expect, it } from 'vitest';
import { findAxeViolations } from './helpers/axe.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { useSiteInChromium } from './helpers/site-in-chromium.ts';

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

describeInChromium('every page type', () => {
  const env = useSiteInChromium();

  for (const path of pages) {
    it(`has no WCAG 2.1 A/AA violation found by axe-core: ${path}`, async () => {
      for (const width of [1280, 360]) {
        const page = await env.browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(`${env.server.url}${path}`);
        // Results are drawn once the index answers: check the page with them.
        if (path.startsWith('/recherche/')) await page.locator('#resultats a').first().waitFor();
        const violations = await findAxeViolations(page);
        expect(violations, `${path} at ${width}px`).toEqual([]);
        await page.close();
      }
    });
  }
});
