/**
 * An entry's `sources`, resolved for display and for JSON-LD: a source text of the commons takes
 * its title, author, year and address from `schemas/source-texts.ts`; a public reference brings
 * its own; attested structures are named and linked.
 */
import type { z } from 'zod';
import type { sourceItem } from '../../../schemas/common.ts';
import { sourceTexts } from '../../../schemas/source-texts.ts';
import type { Commons, Entry } from './commons.ts';

/** One source as shown on a page. */
export interface DescribedSource {
  kind: 'texte' | 'reference';
  title: string;
  author?: string;
  year?: number;
  url?: string;
  /** What the source supports in the entry. */
  facts: string;
  /** Structures whose work the source attests, with their page when it exists. */
  attested: { name: string; url?: string }[];
}

/** The sources of an entry, in the order it lists them. */
export function describeSources(entry: Entry, commons: Commons): DescribedSource[] {
  return describeSourceItems(entry.data.sources, commons);
}

/** Resolves a list of `sources` items (an entry's, or a data file's such as an axe of the référentiel). */
export function describeSourceItems(items: readonly z.output<typeof sourceItem>[], commons: Pick<Commons, 'byRef'>): DescribedSource[] {
  return items.map((item) => {
    const attested = item.atteste.map((slug) => {
      const structure = commons.byRef.get(`structures/${slug}`);
      return structure ? { name: structure.data.titre, url: structure.url } : { name: slug };
    });
    if (item.texte) {
      const text = sourceTexts[item.texte];
      return { kind: 'texte', title: text.titre, author: text.auteur, ...('annee' in text ? { year: text.annee } : {}), ...('url' in text ? { url: text.url } : {}), facts: item.faits, attested };
    }
    return {
      kind: 'reference',
      title: item.titre ?? '',
      ...(item.auteur ? { author: item.auteur } : {}),
      ...(item.annee ? { year: item.annee } : {}),
      ...(item.url ? { url: item.url } : {}),
      facts: item.faits,
      attested,
    };
  });
}

/** The sources as schema.org `citation`: one CreativeWork each. */
export function citationsOf(sources: DescribedSource[]): Record<string, unknown>[] {
  return sources.map((source) => ({
    '@type': 'CreativeWork',
    name: source.title,
    ...(source.author ? { author: { '@type': 'Organization', name: source.author } } : {}),
    ...(source.year ? { datePublished: String(source.year) } : {}),
    ...(source.url ? { url: source.url } : {}),
  }));
}
