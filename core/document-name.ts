/**
 * Collaboration document names are `<collection>/<slug>` of a known collection: the only way a
 * client names a file, so nothing else (paths, dots, other folders) can ever reach the disk.
 */
import { collections } from '../schemas/collections.ts';
import { collectionNames, SLUG_PATTERN, type CollectionName } from '../schemas/common.ts';

/** A document name resolved to its entry file. */
export interface EntryAddress {
  /** The document name, `<collection>/<slug>`. */
  name: string;
  collection: CollectionName;
  slug: string;
  /** Path of the file inside the commons repository, e.g. `fiches/jardin-partage.mdx`. */
  path: string;
}

/** Resolves a document name, or returns the French reason it is refused. */
export function parseDocumentName(name: string): EntryAddress | { refused: string } {
  const match = /^([a-z]+)\/([^/]+)$/.exec(name);
  if (!match) return { refused: 'nom de document invalide : attendu « collection/slug », par exemple « fiches/jardin-partage »' };
  const [, collection, slug] = match as unknown as [string, string, string];
  if (!(collectionNames as readonly string[]).includes(collection)) {
    return { refused: `collection inconnue « ${collection} » : ${collectionNames.join(', ')}` };
  }
  if (!SLUG_PATTERN.test(slug) || slug.length > 120) {
    return { refused: 'slug invalide : lettres minuscules sans accents, chiffres et tirets' };
  }
  const format = collections[collection as CollectionName].format;
  return { name, collection: collection as CollectionName, slug, path: `${collection}/${slug}.${format}` };
}
