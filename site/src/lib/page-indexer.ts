/**
 * Pages go to the search index as Astro renders them, not after the build: Pagefind indexes in a
 * process of its own, on the core Astro leaves idle. scripts/build-site.ts opens the index and
 * registers it here before Astro builds; the middleware (site/src/middleware.ts), which Astro
 * bundles into a module of its own, finds it through a global symbol. The indexer also gives each
 * page its French typography and may write its file, so that a full build does all three outside
 * Astro's thread (scripts/lib/indexing-thread.ts). With no indexer registered (`astro dev`, a
 * bare `astro build`), pages are only typeset.
 */
import { typesetHtmlText } from '../../../core/typography.ts';
import { processSlot } from './process-slot.ts';

export interface PageIndexer {
  /**
   * One HTML page was rendered (its UTF-8 bytes, which the indexer may take over): resolves with
   * the page as the site writes it (typeset), once it is on its way to the index when it is meant
   * for search; or with undefined when the indexer wrote the page's file itself.
   */
  page(url: string, html: ArrayBuffer): Uint8Array<ArrayBuffer> | undefined | Promise<Uint8Array<ArrayBuffer> | undefined>;
  /**
   * A path made a file that is not a page. Every path is reported, indexed or not, so that the
   * index can take pages in the order of the site's paths (Pagefind's files depend on the order
   * pages are added).
   */
  other(url: string): void;
}

const slot = processSlot<PageIndexer>('pageIndexer');

/** Sets (or, with undefined, removes) the index that built pages go to. */
export function registerPageIndexer(indexer: PageIndexer | undefined): void {
  slot.set(indexer);
}

/** The index registered for this build, if any. */
export function registeredPageIndexer(): PageIndexer | undefined {
  return slot.get();
}

// The attribute on the page's own <main> (BaseLayout), not the words inside some contributed text.
const INDEXED_MAIN = /<main\b[^>]*\sdata-pagefind-body[\s=>]/;

/** Whether a page is meant for search: its own `<main>` carries `data-pagefind-body`. */
export function isSearchable(html: string): boolean {
  return INDEXED_MAIN.test(html);
}

/**
 * An indexer in this thread: typesets each page and reports it to `rendered` with its typeset
 * HTML when it is meant for search (so that search shows the same text as the page), else undefined.
 */
export function pageIndexer(rendered: (url: string, html: string | undefined) => void): PageIndexer {
  return {
    page(url, html) {
      const typeset = typesetHtmlText(Buffer.from(html).toString());
      rendered(url, isSearchable(typeset) ? typeset : undefined);
      return Buffer.from(typeset);
    },
    other: (url) => rendered(url, undefined),
  };
}
