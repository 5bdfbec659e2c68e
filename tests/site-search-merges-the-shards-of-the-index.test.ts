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
import { frenchStem } from '../core/french-stem.ts';
import { searchableHtml } from '../scripts/lib/search-index.ts';
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

/**
 * A word of the indexed pages that only one page holds, with its stem (no word of another indexed
 * page stems to a word that begins like it, accents aside).
 */
async function wordOfOnePage(outDir: string): Promise<{ path: string; word: string; stem: string }> {
  const unaccented = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '');
  const stemsByPage = new Map<string, Map<string, string>>();
  for await (const file of glob('**/index.html', { cwd: outDir })) {
    const html = await readFile(join(outDir, file), 'utf8');
    if (!/<main\b[^>]*\sdata-pagefind-body[\s=>]/.test(html)) continue;
    // What the build hands to Pagefind: <main> without what it is told to ignore; Pagefind
    // itself leaves forms out (the self-assessment's answers).
    const text = decode(searchableHtml(html).replace(/<form\b[\s\S]*?<\/form>/g, ' ').replace(/<[^>]+>/g, ' ')).toLowerCase();
    const stems = new Map<string, string>();
    for (const word of text.split(/[^\p{L}]+/u)) if (word) stems.set(unaccented(frenchStem(word)), word);
    stemsByPage.set(`/${file.replace(/index\.html$/, '')}`, stems);
  }
  const holders = (stem: string) => [...stemsByPage].filter(([, stems]) => [...stems.keys()].some((other) => other.startsWith(stem))).map(([path]) => path);
  // A word of an entry's text.
  const entries = [...stemsByPage].filter(([path]) => /^\/(fiches|guides|retours|structures|territoires)\/[^/]+\/$/.test(path));
  for (const [path, stems] of entries.sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    for (const [stem, word] of [...stems].sort()) {
      // A plain lowercase word whose stem is long enough not to begin many others.
      if (stem.length < 9 || !/^[a-z]+$/.test(word) || holders(stem).length !== 1) continue;
      return { path, word, stem };
    }
  }
  throw new Error('aucun mot propre à une seule page');
}

/** How many results Pagefind gives for `term` in each shard, on its own. */
function countsByShard(page: Page, term: string): Promise<number[]> {
  // A string, not a function: the test runner would rewrite a dynamic import() inside a function.
  return page.evaluate(`fetch('/pagefind/shards.json').then((r) => r.json()).then(({ shards }) => Promise.all(shards.map(async (basePath) => {
    const pagefind = await import(basePath + 'pagefind.js');
    return (await pagefind.createInstance({ basePath, noWorker: true }).search(${JSON.stringify(term)})).results.length;
  })))`);
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

  it('finds the one page that holds a rare word, not the words other shards fall back to', async () => {
    const { path, word, stem } = await wordOfOnePage(env.site.outDir);
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/recherche/?q=${word}`);
    await expect.poll(() => page.locator('#resultats-resume').innerText(), { timeout: 15_000 }).toMatch(/pour « /);
    // Shards without the word answer with a shorter one that begins it: what this guards against.
    const counts = await countsByShard(page, word);
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(await page.locator('#resultats-resume').innerText()).toBe(`1 résultat pour « ${word} ».`);
    expect(await shownPaths(page)).toEqual([path]);
    expect((await page.locator('#resultats mark').first().innerText()).toLowerCase()).toMatch(new RegExp(`^${stem}`));
    await page.close();
  });
});
