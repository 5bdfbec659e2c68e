/**
 * What the site hands to Pagefind, and in which order. Pagefind's files depend on the order pages
 * are added, so pages go in the order of the site's paths (the order Astro's build takes them in),
 * whether a full build streams them as it renders or the incremental publisher adds them again
 * from its cache: the same pages give the same index, byte for byte.
 *
 * The index is made of shards, one Pagefind index each, in `pagefind/<n>/`, listed in
 * `pagefind/shards.json` for the search page, which searches them all and merges the results
 * (site/src/components/recherche/search-page.ts). A page's shard comes from a hash of its path, so
 * it never moves while the number of shards stays; that number grows with the site (one per
 * `pathsPerShard` paths). Pagefind has no way to update an index: after a commit, only the shards
 * of the pages whose searchable HTML changed are made again, a fraction of the whole at any size.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { normalizePathname } from './astro-renderer.ts';

/**
 * The part of a page Pagefind reads: its `<main data-pagefind-body>`, without the elements it is
 * told to ignore. Everything Pagefind indexes, filters and shows is inside `<main>`; the rest
 * (head, navigation, footer) only costs parsing. Scripts and ignored elements go too (see
 * `withoutIgnored`), so that what is handed to Pagefind changes only when what it indexes does:
 * a page whose count of changes or links to other entries moved keeps its searchable HTML, and
 * its shard of the index is not made again (lib/incremental-site.ts).
 */
export function searchableHtml(html: string): string {
  const start = html.indexOf('<main');
  const end = html.lastIndexOf('</main>');
  if (start === -1 || end === -1) return html;
  const main = html.slice(start, end + '</main>'.length).replace(scripts, ' ');
  return `<html lang="fr"><head></head><body>${withoutIgnored(main)}</body></html>`;
}

/** Scripts and styles: Pagefind reads no text in them (the self-assessment's data lists every fiche). */
const scripts = /<(script|style)\b[^>]*>[\s\S]*?<\/\1>/g;

/** Elements without a closing tag. */
const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const tags = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ignoreName = 'data-pagefind-ignore';
const ignoreAttribute = /\sdata-pagefind-ignore(?:\s*=\s*("|')?(index|all)?\1)?(?=[\s/]|$)/;
const keptInsideIgnored = /\sdata-pagefind-(?:filter|meta|sort)[\s=]/;

/**
 * `html` (well-formed, as the site renders it) without its `data-pagefind-ignore` elements, each
 * replaced by a space, as Pagefind would leave them out of the text. An ignored element that holds
 * filters, metadata or sort keys stays (Pagefind still reads those), unless it says `="all"`.
 */
export function withoutIgnored(html: string): string {
  let out = '';
  let kept = 0;
  // From one mention of the attribute to the next: the other tags need no look.
  for (let at = html.indexOf(ignoreName); at !== -1; at = html.indexOf(ignoreName, Math.max(at + 1, kept))) {
    const open = html.lastIndexOf('<', at);
    tags.lastIndex = open;
    const match = tags.exec(html);
    // A mention in the text, not in a tag.
    if (!match || match.index !== open || open + match[0].length <= at) continue;
    const [, closing, name, attributes = ''] = match;
    const ignore = ignoreAttribute.exec(attributes);
    if (!name || closing || !ignore || voidElements.has(name.toLowerCase()) || attributes.endsWith('/')) continue;
    // Its closing tag: the one that brings the depth back to zero.
    let depth = 1;
    let end = html.length;
    for (let inner = tags.exec(html); inner; inner = tags.exec(html)) {
      const [, innerClosing, innerName, innerAttributes = ''] = inner;
      if (!innerName || voidElements.has(innerName.toLowerCase()) || (!innerClosing && innerAttributes.endsWith('/'))) continue;
      depth += innerClosing ? -1 : 1;
      if (depth === 0) {
        end = inner.index + inner[0].length;
        break;
      }
    }
    // Kept whole (with what it holds) when Pagefind still reads something in it.
    if (ignore[2] !== 'all' && keptInsideIgnored.test(html.slice(open, end))) {
      at = end;
      continue;
    }
    out += `${html.slice(kept, open)} `;
    kept = end;
  }
  return out + html.slice(kept);
}

/** A page for the index: its URL path and searchable HTML. */
export interface SearchPage {
  url: string;
  html: string;
}

/**
 * Takes rendered pages as they come (in any order) and passes the indexed ones on in the order of
 * the site's paths, as soon as every path before them has been rendered.
 */
export class OrderedPages {
  private position = new Map<string, number>();
  private slots: (SearchPage | null | undefined)[] = [];
  private next = 0;
  private extras: SearchPage[] = [];

  private readonly add: (page: SearchPage) => void;

  constructor(add: (page: SearchPage) => void) {
    this.add = add;
  }

  /** The site's paths, in order (before the first page is rendered). */
  setOrder(pathnames: string[]): void {
    this.position = new Map(pathnames.map((pathname, i) => [normalizePathname(pathname), i]));
    this.slots = new Array(pathnames.length);
  }

  /** One page rendered, with its searchable HTML if it is indexed. */
  rendered(url: string, html: string | undefined): void {
    const page = html === undefined ? null : { url, html: searchableHtml(html) };
    const at = this.position.get(normalizePathname(url));
    if (at === undefined) {
      if (page) this.extras.push(page);
      return;
    }
    this.slots[at] = page;
    while (this.next < this.slots.length && this.slots[this.next] !== undefined) {
      const ready = this.slots[this.next];
      // Passed on: its slot no longer holds the page (a large site's pages would all stay in memory).
      this.slots[this.next++] = null;
      if (ready) this.add(ready);
    }
  }

  /** Passes on what is left: pages after a path that made no page, then pages of no listed path. */
  flush(): void {
    for (; this.next < this.slots.length; this.next++) {
      const ready = this.slots[this.next];
      if (ready) this.add(ready);
    }
    for (const page of this.extras.sort((a, b) => (a.url < b.url ? -1 : 1))) this.add(page);
    this.extras = [];
  }
}

type Pagefind = typeof import('pagefind');
type PagefindIndex = NonNullable<Awaited<ReturnType<Pagefind['createIndex']>>['index']>;

/** The search index's folder in the site, and the list of its shards the search page reads. */
export const searchIndexFolder = 'pagefind';
export const shardsFile = `${searchIndexFolder}/shards.json`;

/**
 * Site paths per shard (`SEARCH_PATHS_PER_SHARD` sets it, for tests of several shards on a small
 * site). 4,000 paths hold about 900 indexed pages: a shard is made again in about 2.5 seconds,
 * and a site of 10,000 entries has 11 of them to search.
 */
function pathsPerShard(): number {
  const set = Number(process.env.SEARCH_PATHS_PER_SHARD);
  return Number.isInteger(set) && set > 0 ? set : 4000;
}

/** How many shards a site of `pathCount` paths has. */
export function searchShardCount(pathCount: number): number {
  return Math.max(1, Math.ceil(pathCount / pathsPerShard()));
}

/** The shard of a page (by its path; FNV-1a, so the same everywhere). */
export function searchShardOf(pathname: string, count: number): number {
  let hash = 0x811c9dc5;
  for (const char of normalizePathname(pathname)) hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  return hash % count;
}

/** The folder of shard `n`, relative to the site. */
export function shardFolder(n: number): string {
  return `${searchIndexFolder}/${n}`;
}

/** The content of `pagefind/shards.json`: the folders of the shards that hold pages. */
export function shardsManifest(shards: number[]): string {
  return `${JSON.stringify({ shards: [...shards].sort((a, b) => a - b).map((n) => `/${shardFolder(n)}/`) })}\n`;
}

/**
 * Pagefind processes, each holding the indexes of some shards, so that shards are indexed and
 * written on every core at once. (Pagefind's module keeps one process; each import of it under
 * its own query string is a module, and a process, of its own.)
 */
export class PagefindProcesses {
  private readonly modules: Promise<Pagefind>[];

  /** `count` processes, started when first used. */
  constructor(count: number) {
    this.modules = Array.from({ length: count }, (_, n) => import(`${import.meta.resolve('pagefind')}?process=${n}`) as Promise<Pagefind>);
  }

  /** The Pagefind that holds shard `shard`. */
  of(shard: number): Promise<Pagefind> {
    return this.modules[shard % this.modules.length]!;
  }

  /** Runs `write` for each shard: one after the other in each process, the processes side by side. */
  async eachShard(shards: Iterable<number>, write: (shard: number, pagefind: Pagefind) => Promise<void>): Promise<void> {
    const sorted = [...shards].sort((a, b) => a - b);
    await Promise.all(
      this.modules.map(async (module, process) => {
        for (const shard of sorted) if (shard % this.modules.length === process) await write(shard, await module);
      }),
    );
  }

  /** Stops the processes. */
  async close(): Promise<void> {
    await Promise.all(this.modules.map(async (module) => (await module).close()));
  }
}

/**
 * The index of a whole site, filled as pages come (in path order) and written at the end: what a
 * full build makes (scripts/build-site.ts).
 */
export class ShardedSearchIndex {
  private readonly indexes = new Map<number, Promise<PagefindIndex>>();
  private readonly adding: Promise<{ errors: string[] }>[] = [];
  private readonly processes: PagefindProcesses;
  /** The number of shards. */
  readonly count: number;

  constructor(pathCount: number) {
    this.count = searchShardCount(pathCount);
    // A process per shard, two per core at most: the shards are written side by side once the last page is in.
    this.processes = new PagefindProcesses(Math.min(this.count, 2 * availableParallelism()));
  }

  /** Pages added so far. */
  get pages(): number {
    return this.adding.length;
  }

  add(page: SearchPage): void {
    const shard = searchShardOf(page.url, this.count);
    let index = this.indexes.get(shard);
    if (!index) {
      index = this.processes.of(shard).then(openIndex);
      this.indexes.set(shard, index);
    }
    this.adding.push(index.then((ready) => ready.addHTMLFile({ url: page.url, content: page.html })));
  }

  /** Writes every shard and the list of them into `siteDir`. */
  async write(siteDir: string): Promise<void> {
    const failures = (await Promise.all(this.adding)).flatMap((added) => added.errors);
    if (failures.length) throw new Error(`Pagefind : ${failures.join(', ')}`);
    await this.processes.eachShard(this.indexes.keys(), async (shard) => {
      const written = await (await this.indexes.get(shard)!).writeFiles({ outputPath: join(siteDir, shardFolder(shard)) });
      if (written.errors.length) throw new Error(`Pagefind : ${written.errors.join(', ')}`);
    });
    await mkdir(join(siteDir, searchIndexFolder), { recursive: true });
    await writeFile(join(siteDir, shardsFile), shardsManifest([...this.indexes.keys()]));
  }

  /** Stops its Pagefind processes. */
  close(): Promise<void> {
    return this.processes.close();
  }
}

/** A new, empty Pagefind index (French). */
async function openIndex(pagefind: Pagefind): Promise<PagefindIndex> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'fr' });
  if (!index) throw new Error(`Pagefind : ${errors.join(', ')}`);
  return index;
}

/** Pages given to Pagefind at once (its order is kept: each slice after the other). */
const indexSlice = 250;

/** Writes a Pagefind index of `pages` (in this order) to `outputPath`. */
export async function writeSearchIndex(pagefind: Pagefind, pages: Iterable<SearchPage>, outputPath: string, signal?: AbortSignal): Promise<void> {
  const index = await openIndex(pagefind);
  try {
    // In slices, so that `signal` can stop it between two.
    const all = [...pages];
    for (let start = 0; start < all.length; start += indexSlice) {
      signal?.throwIfAborted();
      const added = await Promise.all(all.slice(start, start + indexSlice).map((page) => index.addHTMLFile({ url: page.url, content: page.html })));
      const failures = added.flatMap((result) => result.errors);
      if (failures.length) throw new Error(`Pagefind : ${failures.join(', ')}`);
    }
    signal?.throwIfAborted();
    const written = await index.writeFiles({ outputPath });
    if (written.errors.length) throw new Error(`Pagefind : ${written.errors.join(', ')}`);
  } finally {
    await index.deleteIndex();
  }
}
