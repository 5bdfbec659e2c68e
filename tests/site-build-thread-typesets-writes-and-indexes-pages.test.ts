/**
 * A full build hands each rendered page to a thread beside Astro's (scripts/lib/indexing-thread.ts)
 * that typesets it, writes its file and adds it to the search index. Here the thread alone, with
 * real files and real Pagefind processes: what it writes is what the typography makes, what it
 * indexes is searchable, a page it cannot write fails that page with the reason, and once closed
 * it takes no more pages.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { typesetHtmlText } from '../core/typography.ts';
import { IndexingThread } from '../scripts/lib/indexing-thread.ts';
import { searchableHtml, type SearchPage } from '../scripts/lib/search-index.ts';

const page = (text: string, indexed = true) =>
  `<!DOCTYPE html><html lang="fr"><head><title>t</title></head><body><nav>Menu : accueil</nav><main${indexed ? ' data-pagefind-body' : ''}><h1>${text}</h1><p>Le jardin d'Anne... « oui » ?</p></main></body></html>`;
const bytes = (text: string) => new TextEncoder().encode(text).buffer;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'terreau-thread-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('writes each page typeset into its file, and indexes those meant for search in path order', async () => {
  const added: SearchPage[] = [];
  const thread = new IndexingThread((searchPage) => added.push(searchPage));
  try {
    const paths = ['/', '/fiches/jardin/', '/fiches/jardin/modifications.xml', '/apropos/'];
    thread.setOrder(paths, paths.map((path) => join(dir, path, 'index.html')));
    // Rendered out of order, as Astro's concurrent renders finish.
    const written = await Promise.all([
      thread.page('/fiches/jardin/', bytes(page('Jardin partagé : mode d’emploi'))),
      thread.page('/apropos/', bytes(page('À propos', false))),
      thread.page('/', bytes(page('Accueil'))),
    ]);
    thread.other('/fiches/jardin/modifications.xml');
    expect(written).toEqual([undefined, undefined, undefined]);

    const jardin = await readFile(join(dir, 'fiches/jardin/index.html'), 'utf8');
    expect(jardin).toBe(typesetHtmlText(page('Jardin partagé : mode d’emploi')));
    expect(jardin).toContain('Jardin partagé\u202F: mode d’emploi');
    expect(jardin).toContain('Le jardin d’Anne… «\u202Foui\u202F»\u202F?');

    const index = await thread.write(dir);
    expect(index).toEqual({ pages: 2, shards: 1 });
    // The site's order, not the order of rendering; the page whose <main> is not for search is left out.
    expect(added.map((searchPage) => searchPage.url)).toEqual(['/', '/fiches/jardin/']);
    expect(added[1]!.html).toBe(searchableHtml(jardin));
    expect(JSON.parse(await readFile(join(dir, 'pagefind/shards.json'), 'utf8'))).toEqual({ shards: ['/pagefind/0/'] });
    expect(await readdir(join(dir, 'pagefind/0'))).toContain('pagefind-entry.json');
  } finally {
    await thread.close();
  }
});

it('sends a page back typeset when it has no file to write it to', async () => {
  const thread = new IndexingThread();
  try {
    thread.setOrder(['/'], undefined);
    const back = await thread.page('/', bytes(page('Accueil : bienvenue')));
    expect(new TextDecoder().decode(back)).toBe(typesetHtmlText(page('Accueil : bienvenue')));
  } finally {
    await thread.close();
  }
});

it('fails the page it cannot write with the reason, and takes no page once closed', async () => {
  const thread = new IndexingThread();
  // A file where the page's folder should be.
  await writeFile(join(dir, 'fiches'), 'not a folder');
  thread.setOrder(['/fiches/jardin/', '/'], [join(dir, 'fiches/jardin/index.html'), join(dir, 'index.html')]);
  await expect(thread.page('/fiches/jardin/', bytes(page('Jardin')))).rejects.toThrow(/ENOTDIR|EEXIST/);
  // The other pages go on.
  await expect(thread.page('/', bytes(page('Accueil')))).resolves.toBeUndefined();
  await thread.close();
  await expect(thread.page('/', bytes(page('Accueil')))).rejects.toThrow(/s’est arrêté/);
});
