import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeInChromium } from './helpers/chromium.ts';
import { useSiteInChromium } from './helpers/site-in-chromium.ts';

describeInChromium('the search page', () => {
  const env = useSiteInChromium();

  it('narrows results to fiches of the phase « Agir » when both filters are ticked', async () => {
    const entries = JSON.parse(await readFile(join(env.site.outDir, 'donnees/entrees.json'), 'utf8')) as { collection: string; url: string; donnees: { phases?: string[] } }[];
    const expected = entries.filter((e) => e.collection === 'fiches' && e.donnees.phases?.includes('agir')).map((e) => new URL(e.url).pathname).sort();
    expect(expected.length).toBeGreaterThan(1);

    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/recherche/`);
    await page.getByRole('group', { name: 'Type', exact: true }).getByRole('checkbox', { name: /^Fiches-actions/ }).check();
    await page.getByRole('group', { name: 'Phase', exact: true }).getByRole('checkbox', { name: /^Agir/ }).check();
    await expect.poll(() => page.locator('#resultats-resume').innerText(), { timeout: 10_000 }).toMatch(new RegExp(`^${expected.length} résultats? avec ces filtres`));
    // The summary counts every match; the results shown (first page) must all be fiches « Agir ».
    await expect.poll(() => page.locator('#resultats a[href^="/"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const shown = await page.locator('#resultats a[href^="/"]').evaluateAll((links) => [...new Set(links.map((a) => new URL((a as HTMLAnchorElement).href).pathname))]);
    expect(shown.length).toBeGreaterThan(1);
    for (const path of shown) expect(expected).toContain(path);
    await page.close();
  });

  it('starts a search from the home page’s form and fetches only part of the index', async () => {
    const page = await env.browser.newPage();
    const bytes: number[] = [];
    page.on('response', async (response) => {
      if (response.url().includes('/pagefind/')) bytes.push((await response.body().catch(() => Buffer.alloc(0))).length);
    });
    await page.goto(`${env.server.url}/`);
    await page.getByLabel('Rechercher dans Terreau').fill('jardin');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/\/recherche\/\?q=jardin/);
    // Results appear one by one as their fragments arrive: wait for the one expected.
    await expect.poll(() => page.locator('#resultats').innerText(), { timeout: 10_000 }).toContain('Créer un jardin partagé');
    expect(bytes.length).toBeGreaterThan(0);
    await page.close();
  });
});
