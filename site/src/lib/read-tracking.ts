/**
 * The commons and the history as pages read them under the incremental publisher: every read of
 * an entry, of a collection's list, of a file's history is recorded on the page being rendered
 * (incremental-hooks.ts). Keys: `e:<ref>` an entry's data, `b:<ref>` its file with the body,
 * `o:`/`i:`/`a:<ref>` the links leaving it, arriving at it and its adaptations, `c:<collection>`
 * which entries a collection holds and in what order, `h:<file>` a file's history, `h:*` the
 * whole history.
 * Only used when the publisher tracks pages: a plain build reads the objects themselves.
 */
import { mdxCollections } from '../../../schemas/common.ts';
import type { ContentHistory, FileHistory } from '../../../core/git-history.ts';
import type { Commons, Entry, Link } from './commons.ts';
import { trackRead } from './incremental-hooks.ts';

const everyCollection = mdxCollections.map((collection) => `c:${collection}`);
const trackAll = (keys: readonly string[]) => {
  for (const key of keys) trackRead(key);
};

/** A map whose lookups record `keyOf(key)` and whose walks record `allKeys`. */
class TrackedMap<K, V> extends Map<K, V> {
  private readonly keyOf: (key: K) => string;
  private readonly allKeys: readonly string[];

  constructor(source: Map<K, V>, keyOf: (key: K) => string, allKeys: readonly string[]) {
    super(source);
    this.keyOf = keyOf;
    this.allKeys = allKeys;
  }

  override get(key: K): V | undefined {
    trackRead(this.keyOf(key));
    return super.get(key);
  }

  override has(key: K): boolean {
    trackRead(this.keyOf(key));
    return super.has(key);
  }

  override get size(): number {
    trackAll(this.allKeys);
    return super.size;
  }

  override forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    trackAll(this.allKeys);
    super.forEach(callback, thisArg);
  }

  override entries(): MapIterator<[K, V]> {
    trackAll(this.allKeys);
    return super.entries();
  }

  override keys(): MapIterator<K> {
    trackAll(this.allKeys);
    return super.keys();
  }

  override values(): MapIterator<V> {
    trackAll(this.allKeys);
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    trackAll(this.allKeys);
    return super.entries();
  }
}

/** An array whose every read records `keys` (the list itself: which items, in which order). */
function trackedList<T>(items: T[], keys: readonly string[]): T[] {
  return new Proxy(items, {
    get(target, property, receiver) {
      trackAll(keys);
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * An entry whose every property read records `e:<ref>`, except `source` (the file as written, with
 * the body), which records `b:<ref>`: a page that shows titles is not rendered again when a body changes.
 */
function trackedEntry<E extends Entry>(entry: E): E {
  const key = `e:${entry.ref}`;
  const bodyKey = `b:${entry.ref}`;
  return new Proxy(entry, {
    get(target, property, receiver) {
      trackRead(property === 'source' ? bodyKey : key);
      return Reflect.get(target, property, receiver);
    },
  });
}

/** The same commons, with every read of content recorded on the page being rendered. */
export function trackCommons(commons: Commons): Commons {
  const wrapped = new Map<Entry, Entry>(commons.entries.map((entry) => [entry, trackedEntry(entry)]));
  const wrap = (entry: Entry) => wrapped.get(entry) ?? entry;
  const byCollection = Object.fromEntries(
    mdxCollections.map((collection) => [collection, trackedList(commons.byCollection[collection].map(wrap), [`c:${collection}`])]),
  ) as unknown as Commons['byCollection'];
  const keyed = (prefix: string) => (ref: string) => `${prefix}:${ref}`;
  return {
    ...commons,
    entries: trackedList(commons.entries.map(wrap), everyCollection),
    byCollection,
    byRef: new TrackedMap(new Map([...commons.byRef].map(([ref, entry]) => [ref, wrap(entry)])), keyed('e'), everyCollection),
    outgoing: new TrackedMap<string, Link[]>(commons.outgoing, keyed('o'), everyCollection),
    incoming: new TrackedMap<string, Link[]>(commons.incoming, keyed('i'), everyCollection),
    adaptations: new TrackedMap(new Map([...commons.adaptations].map(([ref, list]) => [ref, list.map(wrap)])), keyed('a'), everyCollection),
  };
}

/** The same history, with every read recorded: one file's (`h:<file>`) or all of it (`h:*`). */
export function trackHistory(history: ContentHistory): ContentHistory {
  return {
    ...history,
    byFile: new TrackedMap<string, FileHistory>(history.byFile, (file) => `h:${file}`, ['h:*']),
    changes: trackedList(history.changes, ['h:*']),
    renames: trackedList(history.renames, ['h:*']),
  };
}
