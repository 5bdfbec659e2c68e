/**
 * The content history as pages read it: read once per build from Git (core/git-history.ts), or
 * kept up to date by the incremental publisher (incremental-hooks.ts), which reads only the new
 * commits. Pages read the history only through here.
 */
import { getContentHistory, type ContentHistory } from '../../../core/git-history.ts';
import { incrementalHooks, perGeneration } from './incremental-hooks.ts';
import { contentDir } from './paths.ts';
import { trackHistory } from './read-tracking.ts';

const historyOfGeneration = perGeneration((): { history?: Promise<ContentHistory> } => ({}));

/** The history of the content tree for this build (this content generation). */
export function getHistory(): Promise<ContentHistory> {
  const slot = historyOfGeneration();
  slot.history ??= loadHistory();
  return slot.history;
}

async function loadHistory(): Promise<ContentHistory> {
  const hooks = incrementalHooks();
  const history = await (hooks?.history() ?? getContentHistory(contentDir));
  return hooks?.tracking ? trackHistory(history) : history;
}
