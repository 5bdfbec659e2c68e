/**
 * Validates an edited entry before it is committed (`validateEntryText` of the foundation
 * library), in a worker thread so that the second it takes to check a large tree never delays
 * the updates of people editing.
 */
import { Worker } from 'node:worker_threads';
import type { CollectionName } from '../../../schemas/common.ts';
import type { Problem } from '../../../scripts/lib/validate-tree.ts';
import type { ValidationRequest } from './validation-worker.ts';

type Pending = { resolve: (problems: Problem[]) => void; reject: (error: Error) => void };
type Request = ValidationRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** Validation of entry texts against one content tree, off the main thread. */
export class EntryValidator {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly contentDir: string) {}

  /** Problems of `text` as the new content of `collection/slug` (empty: valid). */
  validate(collection: CollectionName, slug: string, text: string): Promise<Problem[]> {
    return this.request({ kind: 'validate', collection, slug, text });
  }

  /** Forgets the cached tree (after the repository changed). */
  async reload(): Promise<void> {
    if (this.worker) await this.request({ kind: 'reload' });
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private request(message: Request): Promise<Problem[]> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolvePromise, reject) => {
      this.pending.set(id, { resolve: resolvePromise, reject });
      worker.postMessage({ ...message, id });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // The worker needs tsx's loader like the main thread (the sources use TypeScript-only syntax).
    const execArgv = process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx'];
    const worker = new Worker(new URL('./validation-worker.ts', import.meta.url), { workerData: { contentDir: this.contentDir }, execArgv });
    worker.unref();
    worker.on('message', (reply: { id: number; problems?: Problem[]; error?: string }) => {
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) pending?.reject(new Error(reply.error));
      else pending?.resolve(reply.problems ?? []);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      this.worker = undefined;
      this.failAll(new Error('le processus de validation s’est arrêté'));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
