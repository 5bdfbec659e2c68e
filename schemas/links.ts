/**
 * The fields through which an entry names other entries, in one place: the validator checks
 * them, the site draws links both ways from them, the editor offers them as choices.
 */
import type { CollectionName, MdxCollectionName } from './common.ts';

/** A field holding references, and what it points to; `*` walks every item of a list. */
interface LinkField {
  path: readonly string[];
  target: MdxCollectionName | 'objectifs';
}

const credits: LinkField = { path: ['credits'], target: 'structures' };
const attested: LinkField = { path: ['sources', '*', 'atteste'], target: 'structures' };

export const linkFields: Record<CollectionName, readonly LinkField[]> = {
  fiches: [
    { path: ['objectifs'], target: 'objectifs' },
    { path: ['exemples'], target: 'retours' },
    { path: ['acteurs_ressources'], target: 'structures' },
    { path: ['guides'], target: 'guides' },
    credits,
    attested,
  ],
  guides: [
    { path: ['fiches'], target: 'fiches' },
    { path: ['guides_lies'], target: 'guides' },
    { path: ['acteurs_ressources'], target: 'structures' },
    credits,
    attested,
  ],
  retours: [
    { path: ['structures'], target: 'structures' },
    { path: ['fiches'], target: 'fiches' },
    { path: ['guides'], target: 'guides' },
    { path: ['territoire', 'page'], target: 'territoires' },
    credits,
    attested,
  ],
  structures: [credits, attested],
  territoires: [credits, attested],
  referentiel: [],
  autodiagnostic: [{ path: ['questions', '*', 'objectifs'], target: 'objectifs' }],
};

/** One reference held by an entry's data. */
export interface DataLink {
  /** Where it is in the data, e.g. `['exemples', 0]`. */
  path: PropertyKey[];
  /** Top-level field, e.g. `exemples`. */
  field: string;
  target: LinkField['target'];
  /** The slug or objectif code written in the file. */
  value: string;
}

/** Lists the references in an entry's data (schema output), field by field. */
export function listDataLinks(collection: CollectionName, data: unknown): DataLink[] {
  return linkFields[collection].flatMap(({ path, target }) =>
    valuesAt(data, path, []).map(({ value, at }) => ({ path: at, field: path[0]!, target, value })),
  );
}

function valuesAt(data: unknown, path: readonly string[], at: PropertyKey[]): { value: string; at: PropertyKey[] }[] {
  if (path.length === 0) {
    if (Array.isArray(data)) return data.map((value, i) => ({ value: String(value), at: [...at, i] }));
    return typeof data === 'string' ? [{ value: data, at }] : [];
  }
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '*') return Array.isArray(data) ? data.flatMap((item, i) => valuesAt(item, rest, [...at, i])) : [];
  if (data && typeof data === 'object') return valuesAt((data as Record<string, unknown>)[head], rest, [...at, head]);
  return [];
}
