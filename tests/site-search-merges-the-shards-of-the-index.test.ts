/**
 * A large site's search index comes in shards (scripts/lib/search-index.ts); the search page
 * searches them all as one. Built here in about 5 shards: browsing in title order, the first pages of
 * results are the first titles of the whole site, across shards; by date, the latest first; the
 * count is every indexed entry's.
 */
import { glob, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { compareSortKeys } from '../site/src/lib/search-sort.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { useSiteInChromium } from './helpers/site-in-chromium.ts';

// About 1,400 paths: 5 shards (read by the build this file starts).
process.env.SEARCH_PATHS_PER_SHARD = '300';

const decode = (text: string) => text.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Every indexed page's sort keys, read from the built pages. */
async function sortKeys(outDir: string): Promise<{ path: string; titre: string; date?: string }[]> {
  const pages = [];
  for await (const file of glob('**/index.html', { cwd: outDir })) {
    const html = await readFile(join(outDir, file), 'utf8');
    const titre = /data-pagefind-sort="titre" data-pagefind-meta="tri_titre">([^<]*)</.exec(html)?.[1];
    if (!titre || !/<main\b[^>]*\sdata-pagefind-body/.test(html)) continue;
    const date = /data-pagefind-sort="date" data-pagefind-meta="tri_date">([^<]*)</.exec(html)?.[1];
    pages.push({ path: `/${file.replace(/index\.html$/, '')}`, titre: decode(titre), ...(date ? { date } : {}) });
  }
  return pages;
}

const shownPaths = (page: Page) => page.locator('#resultats h3 a').evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));

describeInChromium('a search over an index in shards', () => {
  const env = useSiteInChromium();

  it('is built in several shards, each listed for the search page', async () => {
    const { shards } = JSON.parse(await readFile(join(env.site.outDir, 'pagefind/shards.json'), 'utf8')) as { shards: string[] };
    expect(shards.length).toBeGreaterThanOrEqual(3);
    for (const shard of shards) expect(shard).toMatch(/^\/pagefind\/\d+\/$/);
  });

  it('browses every entry in title order across the shards, accents and case aside', async () => {
    const keys = await sortKeys(env.site.outDir);
    const expected = [...keys].sort((a, b) => compareSortKeys(a.titre, b.titre)).map((k) => k.path);
    expect(expected.length).toBeGreaterThan(50);
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/recherche/`);
    await expect.poll(() => page.locator('#resultats-resume').innerText(), { timeout: 15_000 }).toBe(`${expected.length} résultats.`);
    await expect.poll(() => shownPaths(page), { timeout: 10_000 }).toEqual(expected.slice(0, 10));
    await page.getByRole('button', { name: /Afficher plus/ }).click();
    await expect.poll(() => shownPaths(page), { timeout: 10_000 }).toEqual(expected.slice(0, 20));
    // The sort's default choice says the order it applies: by title without words, by relevance with.
    const chosenSort = () => page.locator('#recherche-tri option:checked').innerText();
    expect(await chosenSort()).toBe('titre (sans mots)');
    await page.locator('#recherche-mots').fill('jardin');
    await expect.poll(() => page.locator('#resultats-resume').innerText(), { timeout: 15_000 }).toMatch(/^\d+ résultats pour « jardin »/);
    expect(await chosenSort()).toBe('pertinence');
    await page.close();
  });

  it('sorts by date, the latest change first, across the shards', async () => {
    const dates = new Map((await sortKeys(env.site.outDir)).filter((k) => k.date).map((k) => [k.path, k.date!]));
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/recherche/?q=jardin&tri=date`);
    await expect.poll(() => page.locator('#resultats-resume').innerText(), { timeout: 15_000 }).toMatch(/^\d+ résultats pour « jardin »/);
    await expect.poll(async () => (await shownPaths(page)).length, { timeout: 10_000 }).toBeGreaterThan(1);
    const shown = (await shownPaths(page)).map((path) => dates.get(path)!);
    expect(shown.every(Boolean)).toBe(true);
    expect(shown).toEqual([...shown].sort().reverse());
    await page.close();
  });
});
