/**
 * What the site hands to Pagefind, and in which order. Pagefind's files depend on the order pages
 * are added, so pages go in the order of the site's paths (the order Astro's build takes them in),
 * whether a full build streams them as it renders or the incremental publisher adds them again
 * from its cache: the same pages give the same index, byte for byte.
 */
import { normalizePathname } from './astro-renderer.ts';

/**
 * The part of a page Pagefind reads: its `<main data-pagefind-body>`. Everything Pagefind indexes,
 * filters and shows is inside it; the rest (head, navigation, footer) only costs parsing, and the
 * index made from this is the same as from the whole page.
 */
export function searchableHtml(html: string): string {
  const start = html.indexOf('<main');
  const end = html.lastIndexOf('</main>');
  if (start === -1 || end === -1) return html;
  return `<html lang="fr"><head></head><body>${html.slice(start, end + '</main>'.length)}</body></html>`;
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
      const ready = this.slots[this.next++];
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

/** Pages given to Pagefind at once (its order is kept: each slice after the other). */
const indexSlice = 250;

/** Writes a Pagefind index of `pages` (in this order) to `outputPath`. */
export async function writeSearchIndex(pagefind: Pagefind, pages: Iterable<SearchPage>, outputPath: string, signal?: AbortSignal): Promise<void> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'fr' });
  if (!index) throw new Error(`Pagefind : ${errors.join(', ')}`);
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
