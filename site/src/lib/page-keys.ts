/**
 * Cache keys for Astro's incremental build (`experimental.incrementalBuild`): a page returned by
 * getStaticPaths with a `cacheKey` is copied from the previous build when its key and its code are
 * unchanged. Each key hashes everything its page shows, so editing one entry re-renders that
 * entry's page and the pages that show its title or facets, and nothing else. Only pages that
 * cost more to render than to copy have keys (entry and list pages): a history page or a feed
 * renders in less time than Astro takes to store and restore its copy.
 */
import { createHash } from 'node:crypto';
import type { Commons, Entry } from './commons.ts';
import type { FileHistory } from './history.ts';

/** A short hash of any JSON-serialisable data. */
export function hashOf(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 24);
}

/** What a change shows on a page (its diff too: history pages and feeds print it). */
function changesKey(history: FileHistory | undefined): unknown {
  return history?.changes.map((c) => [c.commit, c.status]) ?? null;
}

const referentielKeys = new WeakMap<Commons, string>();

/** Key of an entry's page: its data and body, its neighbours' titles, the référentiel, its history. */
export function entryPageKey(entry: Entry, commons: Commons, history: FileHistory | undefined): string {
  let referentiel = referentielKeys.get(commons);
  if (!referentiel) referentielKeys.set(commons, (referentiel = hashOf(commons.referentiel)));
  const neighbours = new Set<string>();
  for (const link of commons.outgoing.get(entry.ref) ?? []) neighbours.add(link.to);
  for (const link of commons.incoming.get(entry.ref) ?? []) neighbours.add(link.from);
  for (const adaptation of commons.adaptations.get(entry.ref) ?? []) neighbours.add(adaptation.ref);
  if (entry.data.derive_de) neighbours.add(entry.data.derive_de.source);
  for (const slug of entry.data.credits) neighbours.add(`structures/${slug}`);
  const shown = [...neighbours].sort().map((ref) => {
    const other = commons.byRef.get(ref);
    return other ? [ref, other.data.titre, other.data.derive_de?.changements ?? null] : [ref];
  });
  return hashOf(entry.source.digest ?? entry.source.body, entry.data, entry.axes, entry.territory ?? null, shown, referentiel, changesKey(history));
}
