/**
 * A search that arrives from the home page's box keeps its words when the reader narrows it with
 * filters, with the mouse or the keyboard, and its address (words and filters) can be shared.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { describeInChromium } from './helpers/chromium.ts';
import { useSiteInChromium } from './helpers/site-in-chromium.ts';

const summaryOf = (page: Page) => page.locator('#resultats-resume').innerText();
const countIn = (summary: string) => Number(/^(\d+) résultats?/.exec(summary)?.[1] ?? 'NaN');
const shownPaths = (page: Page) =>
  page.locator('#resultats h3 a').evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));

/** What Pagefind itself answers for these words and filters, asked from the page (every shard of the index). */
function pagefindCount(page: Page, term: string | null, filters: Record<string, string[]>): Promise<number> {
  // A string, not a function: the test runner would rewrite a dynamic import() inside a function.
  return page.evaluate(`fetch('/pagefind/shards.json').then((r) => r.json()).then(async ({ shards }) => {
    const counts = await Promise.all(shards.map(async (basePath) => {
      const pagefind = await import(basePath + 'pagefind.js');
      const search = await pagefind.createInstance({ basePath, noWorker: shards.length > 1 }).search(${JSON.stringify(term)}, { filters: ${JSON.stringify(filters)} });
      return search.results.length;
    }));
    return counts.reduce((a, b) => a + b, 0);
  })`);
}

// An index in shards, as on a large site: the counts shown add up every shard's.
process.env.SEARCH_PATHS_PER_SHARD = '300';

describeInChromium('a search from the home page', () => {
  const env = useSiteInChromium();

  it('keeps « cantine » when the type « Fiches-actions » is ticked, and only narrows the results', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${env.server.url}/`);
    await page.getByLabel('Rechercher dans Terreau').fill('cantine');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/\/recherche\/\?q=cantine$/);
    await expect.poll(() => summaryOf(page), { timeout: 15_000 }).toMatch(/^\d+ résultats? pour « cantine »/);
    const words = countIn(await summaryOf(page));
    expect(words).toBe(await pagefindCount(page, 'cantine', {}));

    await page.getByRole('group', { name: 'Type', exact: true }).getByRole('checkbox', { name: /^Fiches-actions/ }).check();
    await expect.poll(() => summaryOf(page), { timeout: 15_000 }).toMatch(/pour « cantine » avec ces filtres/);
    const narrowed = countIn(await summaryOf(page));
    const allFiches = await pagefindCount(page, null, { Type: ['Fiches-actions'] });
    expect(narrowed).toBe(await pagefindCount(page, 'cantine', { Type: ['Fiches-actions'] }));
    expect(narrowed).toBeGreaterThan(0);
    expect(narrowed).toBeLessThanOrEqual(words);
    // The bug this guards against: the words dropped, every fiche listed.
    expect(narrowed).toBeLessThan(allFiches);
    expect(await page.getByLabel('Rechercher dans Terreau').inputValue()).toBe('cantine');
    for (const path of await shownPaths(page)) expect(path).toMatch(/^\/fiches\//);
    expect(await page.locator('#resultats mark').count()).toBeGreaterThan(0);

    // The address holds the whole search: opened elsewhere, it gives the same results.
    const address = new URL(page.url());
    expect(address.searchParams.get('q')).toBe('cantine');
    expect(address.searchParams.getAll('type')).toEqual(['fiches']);
    const shared = await env.browser.newPage();
    await shared.goto(address.href);
    await expect.poll(() => summaryOf(shared), { timeout: 15_000 }).toBe(await summaryOf(page));
    expect(await shared.getByRole('checkbox', { name: /^Fiches-actions/ }).isChecked()).toBe(true);
    expect(await shownPaths(shared)).toEqual(await shownPaths(page));
    await shared.close();
    await page.close();
  });

  it('can be typed, filtered and followed with the keyboard alone', async () => {
    const page = await env.browser.newPage({ viewport: { width: 360, height: 800 } });
    await page.goto(`${env.server.url}/recherche/`);
    await page.locator('#resultats li').first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Tab'); // skip link
    const focusOn = async (predicate: string, limit = 40) => {
      for (let i = 0; i < limit; i++) {
        if (await page.evaluate(predicate)) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`focus jamais atteint : ${predicate}`);
    };
    await focusOn(`document.activeElement?.id === 'recherche-mots'`);
    await page.keyboard.type('jardin');
    await page.keyboard.press('Enter');
    await expect.poll(() => summaryOf(page), { timeout: 15_000 }).toMatch(/^\d+ résultats? pour « jardin »\.$/);
    const words = countIn(await summaryOf(page));
    // On a phone the filters are folded: open them, then tick « Fiches-actions » with Space.
    await focusOn(`document.activeElement?.textContent === 'Filtres'`);
    await page.keyboard.press('Enter');
    await focusOn(`document.activeElement?.closest('label')?.textContent?.trim().startsWith('Fiches-actions') === true`);
    await page.keyboard.press('Space');
    await expect.poll(() => summaryOf(page), { timeout: 15_000 }).toMatch(/pour « jardin » avec ces filtres/);
    expect(countIn(await summaryOf(page))).toBeLessThanOrEqual(words);
    await focusOn(`document.activeElement?.closest('#resultats') !== null`, 200);
    const target = await page.evaluate(() => (document.activeElement as HTMLAnchorElement).pathname);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === target);
    await page.close();
  });
});
