/** The pre-rendered list pages of each collection: all entries, and one list per facet value. */
import { mdxCollections, type MdxCollectionName } from '../../../schemas/common.ts';
import { getCommons, type Commons, type Entry } from './commons.ts';
import { countFacet, facetsByCollection, paginate, type Facet } from './facets.ts';
import { memoize } from './incremental-hooks.ts';

/** What a list page shows. */
export interface ListingProps {
  collection: MdxCollectionName;
  /** Facet and value this page is narrowed to, if any. */
  filter?: { facet: string; value: string };
  /** 1-based page number. */
  page: number;
  pageCount: number;
  /** Refs of the entries on this page. */
  refs: string[];
  /** Total number of entries matching. */
  total: number;
}

/** URL of a list page. */
export function listingUrl(collection: string, filter: ListingProps['filter'], page = 1): string {
  const base = filter ? `/${collection}/filtre/${filter.facet}/${filter.value}/` : `/${collection}/`;
  return page > 1 ? `${base}page/${page}/` : base;
}

/** Every list page of every collection, each with the entries it shows (computed once: four routes and the sitemap ask). */
export function listingPages(): Promise<ListingProps[]> {
  return memoize('listingPages', async () => computeListingPages(await getCommons()));
}

function computeListingPages(commons: Commons): ListingProps[] {
  const pages: ListingProps[] = [];
  const addPages = (collection: MdxCollectionName, entries: Entry[], filter?: ListingProps['filter']) => {
    const chunks = paginate(entries);
    chunks.forEach((chunk, i) => {
      pages.push({ collection, ...(filter ? { filter } : {}), page: i + 1, pageCount: chunks.length, refs: chunk.map((e) => e.ref), total: entries.length });
    });
  };
  for (const collection of mdxCollections) {
    const entries = commons.byCollection[collection] as Entry[];
    addPages(collection, entries);
    for (const facet of facetsByCollection[collection]) {
      for (const { value } of countFacet(facet, entries)) {
        addPages(collection, entries.filter((e) => facet.valuesOf(e).includes(value)), { facet: facet.key, value });
      }
    }
  }
  return pages;
}

/** The facets of a collection with their values and counts, computed once per collection. */
export function facetSummaries(collection: MdxCollectionName): Promise<{ facet: Facet; values: ReturnType<typeof countFacet> }[]> {
  return memoize(`facets:${collection}`, async () => {
    const entries = (await getCommons()).byCollection[collection] as Entry[];
    return facetsByCollection[collection].map((facet) => ({ facet, values: countFacet(facet, entries) }));
  });
}
