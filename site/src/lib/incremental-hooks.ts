/**
 * What the incremental publisher (scripts/lib/incremental-site.ts) plugs into the site, through a
 * global symbol as the page indexer does (the site runs inside Astro's bundle, the publisher
 * outside it). With no hooks registered (`astro dev`, `npm run build`), the site reads its
 * content once per build and records nothing.
 *
 * With hooks, one long-lived process renders the same compiled site again and again:
 * - content has a generation: every cache of the site is valid for one generation only;
 * - the MDX collections are held by the publisher, which replaces the entries a commit changed;
 * - each page records what it reads (`trackRead`: an entry, a collection's membership, a file's
 *   history, a shared computation), so that a commit re-renders only the pages that read what
 *   it changed;
 * - shared computations (`memoize`) are compared by value from one generation to the next: a page
 *   that reads one is rendered again only if its value changed.
 *
 * Rule for pages and libraries: read content only through `getCommons()`, `readCollection()` and
 * `getHistory()`, and cache only per generation (`memoize`, `perGeneration`). The equivalence test
 * (tests/site-incremental-publish-matches-a-full-build.test.ts) catches a page that does not.
 */
import type { ContentHistory } from '../../../core/git-history.ts';
import { processSlot } from './process-slot.ts';

/** Hooks of the incremental publisher (see the module comment). */
export interface IncrementalHooks {
  /** Generation of the content, increased by the publisher after each change. */
  readonly generation: number;
  /** Whether pages record what they read (the publisher's own builds). */
  readonly tracking: boolean;
  /** The entries of a collection as the publisher holds them, once adopted. */
  collection(name: string): unknown[] | undefined;
  /** Hands over a collection as Astro loaded it; the publisher keeps it up to date from then on. */
  adoptCollection(name: string, entries: unknown[]): void;
  /** The content history of this generation, if the publisher keeps it. */
  history(): Promise<ContentHistory> | undefined;
  /** Records that the page being rendered reads `key` (outside a page: ignored). */
  track(key: string): void;
  /** Runs a computation shared by pages without recording it on the page that happens to start it. */
  untracked<T>(compute: () => T): T;
  /** A computation shared by pages, once per generation; `compute` must read content only through the site's readers. */
  memo<T>(key: string, compute: () => T): T;
  /** Renders one page, recording what it reads. */
  renderPage(pathname: string, render: () => Promise<Response>): Promise<Response>;
  /**
   * Fingerprints of this generation's entries (`e:<ref>`) and collections (`c:<collection>`), and
   * how to load the content of a later generation (which describes it in turn).
   */
  describeContent(fingerprints: Map<string, string>, load: () => Promise<unknown>): void;
}

const slot = processSlot<IncrementalHooks>('incrementalHooks');

/** Sets (or, with undefined, removes) the hooks of the incremental publisher. */
export function registerIncrementalHooks(hooks: IncrementalHooks | undefined): void {
  slot.set(hooks);
}

/** The hooks registered in this process, if any. */
export function incrementalHooks(): IncrementalHooks | undefined {
  return slot.get();
}

/** The generation of the content being rendered (0 when nothing changes during the process). */
export function contentGeneration(): number {
  return slot.get()?.generation ?? 0;
}

/** Records that the page being rendered reads `key` (no-op unless the publisher tracks pages). */
export function trackRead(key: string): void {
  const hooks = slot.get();
  if (hooks?.tracking) hooks.track(key);
}

/** The read that marks a page as not worth waiting for: the publisher renders it in its second step. */
export const SECOND_STEP = 'plus-tard';

/**
 * Says that the page being rendered can wait for the publisher's second step (the one that ends
 * with « indexé pour la recherche »): a large download that a reader of the new text does not need
 * at once. A full build renders it as any page.
 */
export function renderInSecondStep(): void {
  trackRead(SECOND_STEP);
}

const plainMemos = new Map<string, unknown>();

/**
 * A computation shared by pages, made once per generation. `compute` must take everything from
 * `getCommons()`/`getHistory()` itself and return plain data: the publisher records what it
 * reads, keeps its value into the next generation when none of that changed, and otherwise makes
 * it again and compares the values to decide which pages to render again.
 */
export function memoize<T>(key: string, compute: () => T): T {
  const hooks = slot.get();
  if (hooks) return hooks.memo(key, compute);
  if (!plainMemos.has(key)) plainMemos.set(key, compute());
  return plainMemos.get(key) as T;
}

/** A cache object that lives for one generation (`create` makes a fresh one for each). */
export function perGeneration<T>(create: () => T): () => T {
  let current: { generation: number; value: T } | undefined;
  return () => {
    const generation = contentGeneration();
    if (current?.generation !== generation) current = { generation, value: create() };
    return current.value;
  };
}
