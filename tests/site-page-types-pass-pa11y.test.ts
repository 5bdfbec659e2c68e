/** One page of each type passes pa11y (HTML_CodeSniffer, WCAG 2 AA) in Debian's Chromium, served by the production server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditWithPa11y } from '../scripts/lib/site-checks/pa11y-audit.ts';
import { pageTypes } from '../scripts/lib/site-checks/page-types.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { buildFixtureSite, type SiteFixture } from './helpers/site-fixture.ts';
import { serveSite, type SiteServer } from '../scripts/lib/site-server.ts';

let site: SiteFixture;
let server: SiteServer;

describeInChromium('pa11y, WCAG 2 AA', () => {
  beforeAll(async () => {
    site = await buildFixtureSite();
    server = await serveSite(site.outDir);
  });
  afterAll(async () => {
    await server?.close();
    await site?.cleanup();
  });

  for (const type of pageTypes) {
    it(`finds no error on the ${type.name} page (${type.path})`, async () => {
      const issues = await auditWithPa11y(`${server.url}${type.path}`, type.readySelector);
      expect(issues.filter((i) => i.type === 'error').map((i) => `${i.code} ${i.selector}: ${i.message}`)).toEqual([]);
    });
  }
});
