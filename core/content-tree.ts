/**
 * A validated content tree, as the site and the editor server read it: entries with their schema
 * output, lookups by reference, the référentiel and the self-assessment grid in order.
 */
import type { CollectionName } from '../schemas/common.ts';
import type { Referentiel } from '../schemas/referentiel.ts';
import type { Autodiagnostic } from '../schemas/autodiagnostic.ts';
import type { AxeCode } from '../schemas/vocabularies.ts';
import { inspectContentTree, type CheckedEntry } from './validate-tree.ts';
import { ProblemError } from './problem.ts';

/** An objectif of the référentiel with its ancestors. */
export interface ObjectifInfo {
  code: string;
  titre: string;
  orientation: { code: string; titre: string };
  axe: { code: AxeCode; titre: string };
}

/** A whole content tree, valid. */
export interface ContentTree {
  dir: string;
  entries: CheckedEntry[];
  /** The entry `collection/slug`, if it exists. */
  get(ref: string): CheckedEntry | undefined;
  /** Entries of one collection, sorted by slug. */
  byCollection(collection: CollectionName): CheckedEntry[];
  /** The axes of the référentiel, in their order. */
  referentiel: Referentiel[];
  /** Every objectif by code. */
  objectifs: Map<string, ObjectifInfo>;
  /** The self-assessment grid, one section per axe, in the référentiel's order. */
  autodiagnostic: Autodiagnostic[];
}

/** Indexes every objectif of the référentiel by code, with its orientation and axe. */
export function indexObjectifs(referentiel: readonly Referentiel[]): Map<string, ObjectifInfo> {
  const objectifs = new Map<string, ObjectifInfo>();
  for (const axe of referentiel) {
    for (const orientation of axe.orientations) {
      for (const objectif of orientation.objectifs) {
        objectifs.set(objectif.code, {
          code: objectif.code,
          titre: objectif.titre,
          orientation: { code: orientation.code, titre: orientation.titre },
          axe: { code: axe.code, titre: axe.titre },
        });
      }
    }
  }
  return objectifs;
}

/** Loads and validates a content tree; throws `ProblemError` listing every problem. */
export async function loadContentTree(dir: string): Promise<ContentTree> {
  const { problems, entries } = await inspectContentTree(dir);
  if (problems.length) throw new ProblemError(problems);
  return buildContentTree(dir, entries);
}

/** Indexes already validated entries. */
export function buildContentTree(dir: string, entries: CheckedEntry[]): ContentTree {
  const byRef = new Map(entries.map((e) => [`${e.collection}/${e.slug}`, e]));
  const referentiel = entries
    .filter((e) => e.collection === 'referentiel')
    .map((e) => e.data as unknown as Referentiel)
    .sort((a, b) => a.ordre - b.ordre);
  const objectifs = indexObjectifs(referentiel);
  const axisOrder = new Map(referentiel.map((axe) => [axe.code as string, axe.ordre]));
  const autodiagnostic = entries
    .filter((e) => e.collection === 'autodiagnostic')
    .map((e) => e.data as unknown as Autodiagnostic)
    .sort((a, b) => (axisOrder.get(a.axe) ?? 9) - (axisOrder.get(b.axe) ?? 9));
  return {
    dir,
    entries,
    get: (ref) => byRef.get(ref),
    byCollection: (collection) => entries.filter((e) => e.collection === collection).sort((a, b) => a.slug.localeCompare(b.slug)),
    referentiel,
    objectifs,
    autodiagnostic,
  };
}
