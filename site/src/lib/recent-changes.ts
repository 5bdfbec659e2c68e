/** The latest changes of the whole commons, each tied to the entry it touched (when it still exists). */
import type { Commons, Entry } from './commons.ts';
import type { Change, ContentHistory } from '../../../core/git-history.ts';

/** A change with its entry, if the file is still an entry of the commons. */
export interface RecentChange {
  change: Change;
  entry?: Entry;
}

/** The `limit` most recent changes, newest first. */
export function recentChanges(history: ContentHistory, commons: Commons, limit: number): RecentChange[] {
  const byFile = new Map(commons.entries.map((e) => [e.file, e]));
  return history.changes.slice(0, limit).map((change) => {
    const entry = byFile.get(change.file);
    return entry ? { change, entry } : { change };
  });
}
