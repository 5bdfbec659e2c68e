/**
 * Worker thread that keeps the commons content tree in memory and validates edited entries
 * against it (content-index.ts). Messages are handled in the order they arrive, so a check sent
 * after an update sees that update. It also turns entry files into Yjs documents for the editor
 * (`load`): parsing MDX into the editor's schema makes megabytes of short-lived objects, which here
 * never reach the collaboration thread's heap and its garbage collector.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';
import { loadEntryIntoDoc } from '../../../core/bridge/mdx-yjs.ts';
import { ProblemError } from '../../../core/problem.ts';
import type { CollectionName } from '../../../schemas/common.ts';
import { ContentIndex } from './content-index.ts';

/** A request to the worker. */
export type ValidationRequest =
  | { id: number; kind: 'validate'; collection: CollectionName; slug: string; text: string }
  | { id: number; kind: 'update'; file: string; text: string | undefined }
  | { id: number; kind: 'load'; collection: CollectionName; text: string };

const index = ContentIndex.load(workerData.contentDir as string);
index.then(
  () => parentPort!.postMessage({ ready: true }),
  (error) => parentPort!.postMessage({ ready: false, error: String((error as Error).stack ?? error) }),
);

parentPort!.on('message', async (request: ValidationRequest) => {
  try {
    if (request.kind === 'load') {
      const doc = new Y.Doc();
      try {
        loadEntryIntoDoc(doc, request.text, request.collection);
      } catch (error) {
        if (!(error instanceof ProblemError)) throw error;
        parentPort!.postMessage({ id: request.id, problems: error.problems });
        return;
      }
      parentPort!.postMessage({ id: request.id, update: Y.encodeStateAsUpdate(doc) });
      return;
    }
    const tree = await index;
    if (request.kind === 'update') {
      tree.update(request.file, request.text);
      parentPort!.postMessage({ id: request.id, problems: [] });
    } else {
      parentPort!.postMessage({ id: request.id, problems: tree.validate(request.collection, request.slug, request.text) });
    }
  } catch (error) {
    parentPort!.postMessage({ id: request.id, error: String((error as Error).stack ?? error) });
  }
});
