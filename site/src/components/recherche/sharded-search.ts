/**
 * The site's search index is made of shards, one Pagefind index each (scripts/lib/search-index.ts),
 * so that a commit makes only a few of them again. This searches them all as one: filter counts
 * are added up; results by relevance are merged by Pagefind's score (as its own merging of
 * indexes does); results in an order (title, date) are merged by the sort key each page carries as
 * metadata (`tri_<key>`, site/src/components/SearchMeta.astro), loading only the pages that reach
 * the front, since every shard gives its results already in that order.
 *
 * A shard that holds no word beginning like the one searched does not answer « nothing »:
 * Pagefind falls back, in that index, to a shorter word that begins the one searched (« a » for
 * « abonnement »). One index would not, since the other shards hold the word: those fallbacks
 * are left out (`withoutFallbacks`), so that a rare word finds its pages, not hundreds of others.
 *
 * Each shard is searched by its own copy of Pagefind's module: instances made by one module share
 * its WebAssembly state, and a second index loaded breaks the first (Pagefind 1.6: « unreachable »,
 * « memory access out of bounds »). With several shards they run in the page, not in a worker
 * each; a shard is a fraction of the index, and its work is short.
 */
import { frenchStem } from '../../../../core/french-stem.ts';
import { compareSortKeys } from '../../lib/search-sort.ts';

/** What Pagefind's JS API returns, as far as the search page uses it. */
export interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
  /** The page's text, and where in it (in words) the searched words are. */
  content: string;
  locations: number[];
}
export type FilterCounts = Record<string, Record<string, number>>;
type Sort = Record<string, 'asc' | 'desc'>;
interface PagefindResult {
  score: number;
  data(): Promise<PagefindResultData>;
}
interface PagefindSearch {
  results: PagefindResult[];
  filters?: FilterCounts;
}
interface PagefindInstance {
  options(options: Record<string, unknown>): Promise<void>;
  filters(): Promise<FilterCounts>;
  preload(term: string): Promise<void>;
  search(term: string | null, options: { filters?: Record<string, string[]>; sort?: Sort }): Promise<PagefindSearch>;
}
interface PagefindModule {
  createInstance(options: { basePath: string; noWorker?: boolean }): PagefindInstance;
}

/** One search over every shard: its count, the counts beside each filter value, and its results in order. */
export interface MergedSearch {
  total: number;
  filters: FilterCounts;
  /** The next `count` results (fewer at the end). */
  next(count: number): Promise<PagefindResultData[]>;
}

/** Adds up filter counts of several shards. */
function addCounts(all: FilterCounts[]): FilterCounts {
  const sum: FilterCounts = {};
  for (const counts of all) {
    for (const [name, values] of Object.entries(counts)) {
      const group = (sum[name] ??= {});
      for (const [value, n] of Object.entries(values)) group[value] = (group[value] ?? 0) + n;
    }
  }
  return sum;
}

export class ShardedSearch {
  private readonly shards: PagefindInstance[];

  private constructor(shards: PagefindInstance[]) {
    this.shards = shards;
  }

  /** Calls `call` on every shard. */
  private each<T>(call: (shard: PagefindInstance) => Promise<T>): Promise<T[]> {
    return Promise.all(this.shards.map(call));
  }

  /** Opens the shards `manifest` lists (`{ shards: ['/pagefind/0/', …] }`), with Pagefind's options. */
  static async open(manifest: string, options: Record<string, unknown>): Promise<ShardedSearch> {
    const response = await fetch(manifest);
    if (!response.ok) throw new Error(`index de recherche introuvable (${response.status})`);
    const { shards } = (await response.json()) as { shards: string[] };
    if (!shards.length) throw new Error('index de recherche vide');
    const instances = await Promise.all(
      shards.map(async (basePath) => {
        const module = `${basePath}pagefind.js`;
        const pagefind = (await import(/* @vite-ignore */ module)) as PagefindModule;
        const instance = pagefind.createInstance({ basePath, noWorker: shards.length > 1 });
        await instance.options(options);
        return instance;
      }),
    );
    return new ShardedSearch(instances);
  }

  /** Every filter value of the index, with how many pages have it. */
  async filters(): Promise<FilterCounts> {
    return addCounts(await this.each((shard) => shard.filters()));
  }

  async preload(term: string): Promise<void> {
    await this.each((shard) => shard.preload(term));
  }

  async search(term: string | null, filters: Record<string, string[]>, sort: Sort | undefined): Promise<MergedSearch> {
    const answers = await this.each((shard) => shard.search(term, { filters, ...(sort ? { sort } : {}) }));
    const searches = term?.trim() ? await withoutFallbacks(term, answers) : answers;
    const lists = searches.map((search) => search.results);
    const [key, direction] = Object.entries(sort ?? {})[0] ?? [];
    return {
      total: lists.reduce((sum, list) => sum + list.length, 0),
      filters: addCounts(searches.map((search) => search.filters ?? {})),
      next: key ? sortedMerge(lists, `tri_${key}`, direction === 'desc' ? -1 : 1) : relevanceMerge(lists),
    };
  }
}

/** A word without its punctuation (an apostrophe, a hyphen, a full stop after it). */
const lettersOf = (word: string) => word.replace(/[^\p{L}\p{N}]/gu, '');

/** A word's stem, accents aside (Pagefind matches « a » and « à » alike). */
const stemOf = (word: string) => frenchStem(word).normalize('NFD').replace(/\p{M}/gu, '');

/**
 * How a shard found one searched word (`stem`), told from the words its best result matched:
 * `found` when one of them stems to a word beginning with it, `fallback` when none does and one
 * stems to a shorter word it begins with, `unknown` when the result says nothing of that word.
 */
function howFound(stem: string, matched: string[]): 'found' | 'fallback' | 'unknown' {
  let fallback = false;
  for (const word of matched) {
    // A word written with an apostrophe or a hyphen is indexed whole and in parts.
    for (const part of [lettersOf(word), ...word.split(/[^\p{L}\p{N}]+/u)]) {
      if (!part) continue;
      const partStem = stemOf(part);
      if (partStem.startsWith(stem)) return 'found';
      if (stem.startsWith(partStem)) fallback = true;
    }
  }
  return fallback ? 'fallback' : 'unknown';
}

/**
 * The shards' answers, without those of shards that only fell back for a word other shards
 * hold (their results and filter counts are left out). Read from each shard's best result.
 */
async function withoutFallbacks(term: string, searches: PagefindSearch[]): Promise<PagefindSearch[]> {
  // The search's words as Pagefind reads them: lowercase, split on spaces, punctuation aside.
  const stems = term.toLowerCase().split(/\s+/).map(lettersOf).filter(Boolean).map(stemOf);
  const matched = await Promise.all(
    searches.map(async ({ results }) => {
      if (!results.length) return undefined;
      const { content, locations } = await results[0]!.data();
      const words = content.split(/\s+/);
      return locations.flatMap((at) => words[at]?.toLowerCase() ?? []);
    }),
  );
  const found = stems.map((stem) => matched.map((words) => (words ? howFound(stem, words) : 'unknown')));
  const dropped = new Set<number>();
  for (const byShard of found) {
    if (!byShard.includes('found')) continue;
    byShard.forEach((how, shard) => how === 'fallback' && dropped.add(shard));
  }
  return searches.map((search, shard) => (dropped.has(shard) ? { results: [], filters: {} } : search));
}

/** Results of every shard by Pagefind's score, best first (ties in shard order). */
function relevanceMerge(lists: PagefindResult[][]): MergedSearch['next'] {
  const all = lists.flat().sort((a, b) => b.score - a.score);
  let at = 0;
  return (count) => {
    const page = all.slice(at, at + count);
    at += page.length;
    return Promise.all(page.map((result) => result.data()));
  };
}

/**
 * Results of every shard, each list already in the order asked for, merged by the key `meta`
 * (ascending, or descending with `sign` -1; ties in shard order). Only the front of each list is
 * loaded: the one result of each shard that may come next.
 */
function sortedMerge(lists: PagefindResult[][], meta: string, sign: 1 | -1): MergedSearch['next'] {
  const positions = lists.map(() => 0);
  const fronts = new Map<number, Promise<PagefindResultData>>();
  const front = (shard: number) => {
    let data = fronts.get(shard);
    if (!data) fronts.set(shard, (data = lists[shard]![positions[shard]!]!.data()));
    return data;
  };
  return async (count) => {
    const page: PagefindResultData[] = [];
    while (page.length < count) {
      const open = lists.map((_, shard) => shard).filter((shard) => positions[shard]! < lists[shard]!.length);
      if (!open.length) break;
      const candidates = await Promise.all(open.map(async (shard) => ({ shard, data: await front(shard) })));
      let best = candidates[0]!;
      for (const candidate of candidates.slice(1)) {
        if (sign * compareSortKeys(candidate.data.meta[meta] ?? '', best.data.meta[meta] ?? '') < 0) best = candidate;
      }
      page.push(best.data);
      fronts.delete(best.shard);
      positions[best.shard]!++;
    }
    return page;
  };
}
