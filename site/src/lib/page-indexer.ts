/**
 * Pages go to the search index as Astro renders them, not after the build: Pagefind indexes in a
 * process of its own, on the core Astro leaves idle. scripts/build-site.ts opens the index and
 * registers it here before Astro builds; the middleware (site/src/middleware.ts), which Astro
 * bundles into a module of its own, finds it through a global symbol. With no index registered
 * (`astro dev`, a bare `astro build`), pages are served untouched.
 */
import { processSlot } from './process-slot.ts';

export interface PageIndexer {
  /**
   * One page was rendered: its URL path, and its HTML when it is meant for search. Every page is
   * reported, indexed or not, so that the index can take pages in the order of the site's paths
   * (Pagefind's files depend on the order pages are added).
   */
  rendered(url: string, html: string | undefined): void;
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
