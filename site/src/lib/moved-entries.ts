/**
 * Entries whose file was renamed (Git's rename detection, in the history): their old pages lead
 * to the new ones. A chain of renames leads to the last name; an old name that an entry uses
 * again, or whose last target is gone, leads nowhere.
 */
import { getCommons } from './commons.ts';
import { getHistory } from './history.ts';
import { memoize } from './incremental-hooks.ts';

/** An old address of an entry: the ref it had, and the ref it has now. */
export interface MovedEntry {
  /** `collection/slug` before the rename. */
  from: string;
  /** `collection/slug` of the entry now. */
  to: string;
}

const refOf = (file: string) => /^([a-z]+\/[^/]+)\.mdx$/.exec(file)?.[1];

/** Every old ref of an entry that still exists, with the entry's ref now. */
export function movedEntries(): Promise<MovedEntry[]> {
  return memoize('movedEntries', async () => {
    const [commons, history] = await Promise.all([getCommons(), getHistory()]);
    const next = new Map<string, string>();
    // Oldest first, so that a later rename of the same name wins.
    for (const rename of [...history.renames].reverse()) {
      const from = refOf(rename.from);
      const to = refOf(rename.to);
      if (from && to) next.set(from, to);
    }
    const moved: MovedEntry[] = [];
    for (const from of [...next.keys()].sort()) {
      if (commons.byRef.has(from)) continue;
      let to = next.get(from)!;
      const seen = new Set([from]);
      while (!commons.byRef.has(to) && next.has(to) && !seen.has(to)) {
        seen.add(to);
        to = next.get(to)!;
      }
      if (commons.byRef.has(to)) moved.push({ from, to });
    }
    return moved;
  });
}
