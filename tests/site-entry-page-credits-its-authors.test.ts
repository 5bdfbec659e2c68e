import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInChromium } from './helpers/chromium.ts';
import { useSiteInChromium } from './helpers/site-in-chromium.ts';

async function jsonLdOf(page: Page): Promise<Record<string, any>> {
  return JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}');
}

describeInChromium('an entry page', () => {
  const env = useSiteInChromium();

  it('shows title, every contributor, source and licence, with a credit line to copy', async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/fiches/jardin-partage/`);
    const block = page.getByRole('region', { name: 'Citer et réutiliser' });
    await expect(block.isVisible()).resolves.toBe(true);
    const text = await block.innerText();
    expect(text).toContain('Créer un jardin partagé');
    for (const name of ['Alice Martin', 'Bruno Petit', 'Chloé Durand']) expect(text).toContain(name);
    expect(text).toContain('/fiches/jardin-partage/');
    expect(await block.locator('a[rel="license"]').getAttribute('href')).toBe('https://creativecommons.org/licenses/by-sa/4.0/deed.fr');
    // The line is typeset like the page (narrow no-break spaces inside « »), so compare it with spaces.
    const credit = (await page.getByLabel(/Ligne de crédit à copier/).inputValue()).replace(/[\u00A0\u202F]/g, ' ');
    expect(credit).toMatch(/^« Créer un jardin partagé », par Alice Martin, Bruno Petit et Chloé Durand, Terreau, http:\/\/\S+\/fiches\/jardin-partage\/, licence CC BY-SA 4\.0/);
    expect(await page.getByRole('link', { name: 'Modifier' }).getAttribute('href')).toBe('/editer/?doc=fiches/jardin-partage');
    await page.close();
  });

  it('credits a structure its sources attest, and shows those sources on the page and in JSON-LD', async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/guides/enquete-collective/`);
    const block = await page.getByRole('region', { name: 'Citer et réutiliser' }).innerText();
    for (const name of ['La Traverse', 'Les Localos']) expect(block).toContain(name);
    const sources = await page.getByRole('region', { name: 'Sources' }).innerText();
    expect(sources).toContain('Impulser des dynamiques collectives vers la résilience locale');
    expect(sources).toMatch(/Atteste le travail de\s*:\s*La Traverse, Les Localos/);
    const data = await jsonLdOf(page);
    expect(data.author.filter((a: { '@type': string }) => a['@type'] === 'Organization').map((a: { name: string }) => a.name)).toEqual(['La Traverse', 'Les Localos']);
    expect(data.citation[0]).toMatchObject({ '@type': 'CreativeWork', datePublished: '2021', url: expect.stringContaining('wiki.resilience-territoire.ademe.fr') });
    await page.close();
  });

  it('describes a fiche as a HowTo in JSON-LD, with licence, authors, contributors and what it is based on', async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/fiches/jardin-partage-montagne/`);
    const data = await jsonLdOf(page);
    expect(data['@type']).toBe('HowTo');
    expect(data.license).toBe('https://creativecommons.org/licenses/by-sa/4.0/');
    expect(data.author.map((a: { name: string }) => a.name)).toContain('Chloé Durand');
    expect(data.contributor.map((a: { name: string }) => a.name)).toEqual(['Chloé Durand']);
    expect(data.isBasedOn.name).toBe('Créer un jardin partagé');
    expect(await page.getByText('Adapté de').first().isVisible()).toBe(true);
    await page.close();
  });

  it('describes a retour as a CreativeWork with its spatial coverage from INSEE codes', async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/retours/migne-auxances-instance-participative/`);
    const data = await jsonLdOf(page);
    expect(data['@type']).toBe('CreativeWork');
    expect(data.spatialCoverage).toMatchObject({ '@type': 'Place', name: 'Migné-Auxances', identifier: 'INSEE:86158' });
    expect(data.license).toContain('by-sa/4.0');
    // Territory facts are derived from the INSEE code, not typed in the file.
    expect(await page.locator('#territoire + dl').innerText()).toMatch(/Vienne \(86\)/);
    await page.close();
  });
});
