/**
 * Validates an edited entry before it is committed, in a worker thread that keeps the content
 * tree in memory (content-index.ts); the same thread turns entry files into Yjs documents for the
 * editor (`loadEntry`). A check takes a few milliseconds, so the thread is not there
 * for CPU time: it keeps the tree and the INSEE communes data that checking it loads (about
 * 80 MB) out of the collaboration thread's heap. With them in that heap, the collector's pauses
 * under load reached 80–140 ms (vs about 25 ms without) and showed as fan-out p99 of 60 ms where
 * bare Hocuspocus had 5 ms (bench-reports/collab.md).
 */
import { Worker } from 'node:worker_threads';
import type { CollectionName } from '../../../schemas/common.ts';
import { ProblemError, type Problem } from '../../../core/problem.ts';
import type { ValidationRequest } from './validation-worker.ts';

type Reply = { problems: Problem[]; update?: Uint8Array };
type Pending = { resolve: (reply: Reply) => void; reject: (error: Error) => void };
type Request = ValidationRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** Validation of entry texts against one content tree, off the main thread. */
export class EntryValidator {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  private readonly contentDir: string;

  private constructor(contentDir: string) {
    this.contentDir = contentDir;
  }

  /** Starts the worker and resolves once it has read and checked the tree at `contentDir`. */
  static async start(contentDir: string): Promise<EntryValidator> {
    const validator = new EntryValidator(contentDir);
    await validator.spawn();
    return validator;
  }

  /** Problems of `text` as the new content of `collection/slug` (empty: valid). */
  async validate(collection: CollectionName, slug: string, text: string): Promise<Problem[]> {
    return (await this.request({ kind: 'validate', collection, slug, text })).problems;
  }

  /** An entry file as a Yjs update holding its editor document; a file the editor cannot hold throws its problems. */
  async loadEntry(collection: CollectionName, text: string): Promise<Uint8Array> {
    const { problems, update } = await this.request({ kind: 'load', collection, text });
    if (!update) throw new ProblemError(problems);
    return update;
  }

  /** Records the committed text of `file` (relative to the tree), or its removal (undefined). */
  update(file: string, text: string | undefined): void {
    // Ordered before any later check; a failure is logged by the caller of that check.
    void this.request({ kind: 'update', file, text }).catch(() => undefined);
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private async request(message: Request): Promise<Reply> {
    // A worker that died is started again: it reads the tree anew from the work tree (= HEAD).
    if (!this.worker) await this.spawn();
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ ...message, id });
    });
  }

  private spawn(): Promise<void> {
    const worker = new Worker(new URL('./validation-worker.ts', import.meta.url), { workerData: { contentDir: this.contentDir }, execArgv: loaderArguments() });
    worker.unref();
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      worker.on('message', (reply: { id?: number; ready?: boolean; problems?: Problem[]; update?: Uint8Array; error?: string }) => {
        if (reply.ready !== undefined) return reply.ready ? resolve() : reject(new Error(reply.error));
        const pending = this.pending.get(reply.id!);
        this.pending.delete(reply.id!);
        if (reply.error) pending?.reject(new Error(reply.error));
        else pending?.resolve({ problems: reply.problems ?? [], ...(reply.update ? { update: reply.update } : {}) });
      });
      worker.on('error', (error) => {
        reject(error);
        this.failAll(error);
      });
      worker.on('exit', () => {
        if (this.worker === worker) this.worker = undefined;
        reject(new Error('le processus de validation s’est arrêté'));
        this.failAll(new Error('le processus de validation s’est arrêté'));
      });
    });
    return this.ready;
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/**
 * The worker loads TypeScript like the main thread (Node strips the types) and keeps its loaders,
 * but not the process-wide flags a worker refuses (--expose-gc, --cpu-prof…).
 */
function loaderArguments(): string[] {
  const loaders: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (/^--(import|require|loader|experimental-loader)=/.test(flag)) loaders.push(flag);
    else if (/^--(import|require|loader|experimental-loader)$/.test(flag) && argv[i + 1]) loaders.push(flag, argv[++i]!);
  }
  return loaders;
}
