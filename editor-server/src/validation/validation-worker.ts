/**
 * Worker thread that validates entry texts against the commons content tree. Loading and checking
 * the whole tree takes about a second of CPU (schemas, INSEE codes, links): done here, it never
 * blocks the collaboration event loop, and the checked tree stays cached between commits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CollectionName } from '../../../schemas/common.ts';
import { inspectContentTree, validateEntryText, type CheckedEntry } from '../../../scripts/lib/validate-tree.ts';

/** A request to the worker. */
export type ValidationRequest = { id: number; kind: 'validate'; collection: CollectionName; slug: string; text: string } | { id: number; kind: 'reload' };

const contentDir: string = workerData.contentDir;
let tree: Promise<CheckedEntry[]> | undefined;

parentPort!.on('message', async (request: ValidationRequest) => {
  try {
    if (request.kind === 'reload') {
      tree = undefined;
      parentPort!.postMessage({ id: request.id, problems: [] });
      return;
    }
    tree ??= inspectContentTree(contentDir).then((t) => t.entries);
    const problems = validateEntryText(await tree, request.collection, request.slug, request.text);
    parentPort!.postMessage({ id: request.id, problems });
  } catch (error) {
    tree = undefined;
    parentPort!.postMessage({ id: request.id, error: String((error as Error).stack ?? error) });
  }
});
