/**
 * Pages go to the search index as Astro renders them, not after the build: Pagefind indexes in a
 * process of its own, on the core Astro leaves idle. scripts/build-site.ts opens the index and
 * registers it here before Astro builds; the middleware (site/src/middleware.ts), which Astro
 * bundles into a module of its own, finds it through a global symbol. With no index registered
 * (`astro dev`, a bare `astro build`), pages are served untouched.
 */
export interface PageIndexer {
  /** Indexes one page: its URL path and its HTML. */
  add(url: string, html: string): void;
}

const KEY = Symbol.for('terreau.pageIndexer');
const slot = globalThis as { [KEY]?: PageIndexer };

/** Sets (or, with undefined, removes) the index that built pages go to. */
export function registerPageIndexer(indexer: PageIndexer | undefined): void {
  slot[KEY] = indexer;
}

/** The index registered for this build, if any. */
export function registeredPageIndexer(): PageIndexer | undefined {
  return slot[KEY];
}
