/**
 * The latest changes of the whole commons, each tied to what it touched: a public entry, a data
 * file (référentiel, auto-diagnostic), or a file that no longer exists. Changes to brouillons are
 * left out: a draft appears in no list and no feed; so are files outside the collections (the
 * commons' .mailmap, a README), which are not content.
 */
import type { Commons, Entry } from './commons.ts';
import type { Change, ContentHistory } from '../../../core/git-history.ts';
import { collectionNames } from '../../../schemas/common.ts';

/** A change with what it touched. */
export interface RecentChange {
  change: Change;
  /** The entry, when the file is a public entry of the commons. */
  entry?: Entry;
  /** What to call the file and where to read it (an entry's page, a data file's section). */
  target?: { title: string; url: string };
  /** The file is gone from the commons (only then is it marked « supprimée »). */
  removed: boolean;
}

/** The `limit` most recent changes of public files, newest first. */
export function recentChanges(history: ContentHistory, commons: Commons, limit: number): RecentChange[] {
  const byFile = new Map(commons.entries.map((e) => [e.file, e]));
  const recent: RecentChange[] = [];
  for (const change of history.changes) {
    if (recent.length >= limit) break;
    if (commons.hiddenFiles.has(change.file) || !isContentFile(change.file)) continue;
    const entry = byFile.get(change.file);
    if (entry) {
      recent.push({ change, entry, target: { title: entry.data.titre, url: entry.url }, removed: false });
      continue;
    }
    const data = commons.dataFiles.get(change.file);
    recent.push(data ? { change, target: data, removed: false } : { change, removed: true });
  }
  return recent;
}

const collectionFolders = new Set<string>(collectionNames);

/** Whether a path of the tree is an entry or data file of a collection. */
function isContentFile(file: string): boolean {
  const [folder, name, ...rest] = file.split('/');
  return rest.length === 0 && !!name && collectionFolders.has(folder ?? '');
}
