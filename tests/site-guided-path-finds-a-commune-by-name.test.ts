/**
 * In Chromium, the guided path's commune field takes a commune's name: typing « Luna » suggests
 * Lunas from the official list, with its code; the roadmap then derives the size from it, and a
 * name the list does not know is explained. Without JavaScript the browser no longer refuses a
 * name (it used to demand five digits).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../scripts/lib/chromium.ts';
import { serveSite, type SiteServer } from '../scripts/lib/site-server.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { builtSeedSite } from './helpers/seed-site.ts';

const LABEL = 'Ou votre commune (nom ou code INSEE)';

describeInChromium('the commune of the guided path', () => {
  let server: SiteServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await serveSite(await builtSeedSite());
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is suggested by name, and its size derived for the roadmap', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/parcours/`);
    const field = page.getByLabel(LABEL);
    await field.pressSequentially('Luna', { delay: 40 });
    await expect.poll(() => page.locator('#parcours-commune-suggestions option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)), { timeout: 10_000 }).toContain('Lunas (24246)');
    await field.fill('Lunas');
    await field.press('Tab');
    await expect.poll(() => page.locator('#parcours-commune-trouvee').textContent(), { timeout: 10_000 }).toMatch(/^Lunas \(24246\), \d+ habitants\.$/);
    expect(await page.getByLabel('Taille ou nature du territoire').inputValue()).toBe('moins-1000');

    await page.getByRole('button', { name: 'Voir ma feuille de route' }).click();
    await page.locator('#feuille-de-route').waitFor({ state: 'visible' });
    expect(new URL(page.url()).searchParams.get('commune')).toBe('Lunas');
    expect(await page.locator('#parcours-notice').isHidden()).toBe(true);

    await page.goto(`${server.url}/parcours/?situation=rien&moyens=benevoles&commune=Jazeneul`);
    await expect.poll(() => page.locator('#parcours-notice').textContent(), { timeout: 10_000 }).toMatch(/^Aucune commune actuelle ne s’appelle « Jazeneul » ; vouliez-vous dire Jazeneuil \(Vienne, 86116\) \?/);
    await page.close();
  }, 150_000);

  it('accepts a name without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/parcours/`);
    await page.getByLabel(LABEL).fill('Lunas');
    await Promise.all([page.waitForURL(/commune=Lunas/), page.getByRole('button', { name: 'Voir ma feuille de route' }).click()]);
    await context.close();
  }, 150_000);
});
