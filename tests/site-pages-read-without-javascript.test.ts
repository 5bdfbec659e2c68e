import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../scripts/lib/chromium.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { buildFixtureSite, type SiteFixture } from './helpers/site-fixture.ts';
import { serveSite, type SiteServer } from '../scripts/lib/site-server.ts';

let site: SiteFixture;
let server: SiteServer;
let browser: Browser;
let context: BrowserContext;

describeInChromium('reading with JavaScript off', () => {
  beforeAll(async () => {
    site = await buildFixtureSite();
    server = await serveSite(site.outDir);
    browser = await launchChromium();
    context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await site?.cleanup();
  });

  it('goes from the home page to a filtered list and to a fiche by links alone', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Fiches' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeDefined();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Fiches-actions');
    // Facets are plain links to pre-rendered lists.
    await page.getByRole('navigation', { name: 'Filtrer la liste' }).getByRole('link', { name: 'Agir', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe('/fiches/filtre/phase/agir/');
    // Pages are typeset: a narrow no-break space before the colon.
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Fiches-actions — Phase\u202F: Agir');
    const first = page.locator('.entry-list h2 a').first();
    const title = await first.innerText();
    await first.click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(title);
    await page.close();
  });

  it('shows a whole entry: badges, body, relations, lineage and attribution', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/fiches/jardin-partage/`);
    const main = await page.locator('main').innerText();
    expect(main).toContain('Difficulté\u202F:');
    expect(main).toContain('Pourquoi agir');
    expect(main).toContain('Objectifs du référentiel');
    expect(main).toContain('Lignée');
    expect(main).toContain('Créer un jardin partagé en montagne');
    expect(main).toContain('Citer et réutiliser');
    // The credit line is plain selectable text.
    expect(await page.getByLabel(/Ligne de crédit à copier/).inputValue()).toContain('CC BY-SA 4.0');
    await page.close();
  });

  it('lists a territory’s retours and a structure’s contributions', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/territoires/migne-auxances/`);
    expect(await page.locator('main').innerText()).toContain('Retours d’expérience sur ce territoire');
    await page.goto(`${server.url}/structures/la-traverse/`);
    // A structure page says why entries link to it: crediting it is not the same as recommending it.
    expect(await page.locator('main').innerText()).toMatch(/Entrées qui la créditent/);
    expect(await page.locator('main').innerText()).toMatch(/Fiches et guides qui la recommandent/);
    await page.close();
  });

  it('prints an entry without navigation and with link addresses', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/fiches/jardin-partage/`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    const after = await page.locator('.entry__aside a[href^="/"]').first().evaluate((a) => getComputedStyle(a, '::after').content);
    expect(after).toMatch(/http:\/\/127\.0\.0\.1:\d+\/referentiel\/#/);
    const pdf = await page.pdf({ format: 'A4' }).catch(() => undefined);
    if (pdf) expect(pdf.length).toBeGreaterThan(1000);
    await page.close();
  });
});
