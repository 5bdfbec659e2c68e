/**
 * Facets of each collection: what list pages filter on (pre-rendered links, no JavaScript) and what
 * entry pages hand to Pagefind as filters. One definition serves both, so they always agree.
 */
import { mdxCollections, type MdxCollectionName } from '../../../schemas/common.ts';
import type { Fiche } from '../../../schemas/fiches.ts';
import type { Guide } from '../../../schemas/guides.ts';
import type { Retour } from '../../../schemas/retours.ts';
import type { Structure } from '../../../schemas/structures.ts';
import { getDepartement } from '../../../core/communes.ts';
import type { Entry } from './commons.ts';
import { collectionLabel, kindLabel, labelOf, valuesOf } from './labels.ts';

/** One facet: a way to narrow a list. */
export interface Facet {
  /** URL segment of the facet (`phase`). */
  key: string;
  /** French name, also the Pagefind filter name (`Phase`). */
  label: string;
  /** Values an entry has for this facet (URL-safe keys). */
  valuesOf(entry: Entry): string[];
  /** French label of a value. */
  labelOf(value: string): string;
  /** Declared order of the values, when the vocabulary has one. */
  order?: string[];
}

const vocabularyFacet = (
  key: string,
  label: string,
  vocabulary: Parameters<typeof labelOf>[0],
  values: (entry: Entry) => string[],
): Facet => ({ key, label, valuesOf: values, labelOf: (v) => labelOf(vocabulary, v), order: valuesOf(vocabulary) });

const tool = (entry: Entry) => entry.data as Fiche | Guide;
const axe = vocabularyFacet('axe', 'Axe', 'axes', (e) => e.axes);
const toolFacets: Facet[] = [
  axe,
  vocabularyFacet('phase', 'Phase', 'phases', (e) => tool(e).phases),
  vocabularyFacet('difficulte', 'Difficulté', 'difficultes', (e) => [tool(e).difficulte]),
  vocabularyFacet('cout', 'Coût', 'couts', (e) => [tool(e).cout]),
  vocabularyFacet('duree', 'Durée', 'durees', (e) => [tool(e).duree]),
  vocabularyFacet('acteurs', 'Acteurs', 'acteurs', (e) => tool(e).acteurs),
  vocabularyFacet('taille', 'Taille de territoire', 'tailles', (e) => tool(e).tailles),
  vocabularyFacet('theme', 'Thèmes', 'themes', (e) => tool(e).themes),
];
const departementFacet = (values: (entry: Entry) => string[]): Facet => ({
  key: 'departement',
  label: 'Département',
  valuesOf: values,
  labelOf: (code) => `${getDepartement(code)?.nom ?? code} (${code})`,
});
const territoryDepartements = (e: Entry) => (e.territory?.departements ?? []).map((d) => d.code);

/** Facets by collection, in the order they are shown. */
export const facetsByCollection: Record<MdxCollectionName, Facet[]> = {
  fiches: toolFacets,
  guides: [
    { key: 'type', label: 'Type de guide', valuesOf: (e) => [(e.data as Guide).type], labelOf: (v) => kindLabel('guide', v) },
    ...toolFacets,
  ],
  retours: [
    axe,
    vocabularyFacet('phase', 'Phase', 'phases', (e) => (e.data as Retour).phases),
    vocabularyFacet('taille', 'Taille de territoire', 'tailles', (e) => (e.territory?.taille ? [e.territory.taille] : [])),
    vocabularyFacet('theme', 'Thèmes', 'themes', (e) => (e.data as Retour).themes),
    departementFacet(territoryDepartements),
  ],
  structures: [
    { key: 'type', label: 'Type de structure', valuesOf: (e) => [(e.data as Structure).type], labelOf: (v) => kindLabel('structure', v) },
    { key: 'role', label: 'Rôle', valuesOf: (e) => (e.data as Structure).roles, labelOf: (v) => kindLabel('role', v) },
    departementFacet((e) => (e.data as Structure).zone_intervention.departements),
  ],
  territoires: [
    vocabularyFacet('taille', 'Taille de territoire', 'tailles', (e) => (e.territory?.taille ? [e.territory.taille] : [])),
    departementFacet(territoryDepartements),
  ],
};

/** Every value of a facet present in a list, with its count, in vocabulary or alphabetical order. */
export function countFacet(facet: Facet, entries: Entry[]): { value: string; label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const entry of entries) for (const value of new Set(facet.valuesOf(entry))) counts.set(value, (counts.get(value) ?? 0) + 1);
  const values = [...counts.keys()];
  const order = facet.order;
  values.sort(order ? (a, b) => order.indexOf(a) - order.indexOf(b) : (a, b) => facet.labelOf(a).localeCompare(facet.labelOf(b), 'fr'));
  return values.map((value) => ({ value, label: facet.labelOf(value), count: counts.get(value)! }));
}

/** Pagefind filters of an entry: its type, then each facet with French labels as values. */
export function searchFiltersOf(entry: Entry): { name: string; values: string[] }[] {
  const filters = [{ name: 'Type', values: [collectionLabel(entry.collection)] }];
  for (const facet of facetsByCollection[entry.collection]) {
    const values = facet.valuesOf(entry).map((v) => facet.labelOf(v));
    if (values.length) filters.push({ name: facet.label, values });
  }
  return filters;
}

/** One group of the search page's filters. */
export interface SearchFilterGroup {
  /** Pagefind filter name, as entry pages declare it (`Phase`). */
  name: string;
  /** Name of its checkboxes, hence its URL parameter on /recherche/ (`phase`). */
  param: string;
  /**
   * Values known at build, in vocabulary order: URL key and French label (the indexed value).
   * Empty for open-ended groups (kinds of guide or structure, départements), whose values the
   * search page reads from the index.
   */
  values: { key: string; label: string }[];
}

/** The search page's filter groups, in the order shown: the same names and labels as searchFiltersOf. */
export function searchFilterGroups(): SearchFilterGroup[] {
  const groups: SearchFilterGroup[] = [
    { name: 'Type', param: 'type', values: mdxCollections.map((c) => ({ key: c, label: collectionLabel(c) })) },
  ];
  for (const collection of mdxCollections) {
    for (const facet of facetsByCollection[collection]) {
      if (groups.some((g) => g.name === facet.label)) continue;
      // « type » is taken by the collection: a guide's or structure's kind gets its collection's name.
      const param = groups.some((g) => g.param === facet.key) ? `${facet.key}-${collection}` : facet.key;
      groups.push({ name: facet.label, param, values: (facet.order ?? []).map((key) => ({ key, label: facet.labelOf(key) })) });
    }
  }
  // Vocabularies first (their values are known), open-ended groups after.
  return [...groups.filter((g) => g.values.length), ...groups.filter((g) => !g.values.length)];
}

/** Entries per list page. */
export const PAGE_SIZE = 50;

/** Splits a list into pages of PAGE_SIZE (at least one page, possibly empty). */
export function paginate<T>(items: T[]): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += PAGE_SIZE) pages.push(items.slice(i, i + PAGE_SIZE));
  return pages.length ? pages : [[]];
}
