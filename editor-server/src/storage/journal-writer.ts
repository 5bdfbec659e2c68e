/**
 * Group commit of the journal: the updates that arrive in the same turn of the event loop (from
 * every connection) are appended in one transaction, and each is released to be applied and
 * acknowledged only once that transaction is committed. A transaction costs 0.2–0.5 ms in SQLite
 * and a network round trip plus a WAL flush in PostgreSQL, whatever it holds, so with many clients
 * one per update was most of the server's work; durability is unchanged, since nothing is
 * acknowledged before its row is committed. One batch is written at a time: what arrives
 * meanwhile forms the next batch, so batches grow with the load instead of queueing up.
 *
 * When the database cannot be reached (PostgreSQL down), the batch is kept and written again
 * until it can be: its updates stay unapplied and unacknowledged (their editors keep them and
 * are told, through `onUnavailable`), and go through, in order, once the database is back.
 */
import type { DocumentStore, JournalAppend } from './document-store.ts';

type Waiting = JournalAppend & { resolve: () => void; reject: (error: unknown) => void };

/** What the journal writer tells the rest of the server. */
export interface JournalWriterEvents {
  /**
   * The database cannot be reached: these documents (more of them as they come) have updates
   * waiting; `first` for the first call of an outage.
   */
  onUnavailable?(documents: string[], error: unknown, first: boolean): void;
  /** The database answers again: the waiting updates of these documents are journaled. */
  onAvailable?(documents: string[]): void;
  /** A batch was committed: how many updates, in how many milliseconds. */
  onBatch?(updates: number, milliseconds: number): void;
}

/** Waits between attempts while the database is unreachable: from 100 ms, doubling, up to 2 s. */
const retryDelays = [100, 200, 400, 800, 1600, 2000];

/** Appends updates to the journal in batches, one transaction per batch. */
export class JournalWriter {
  private waiting: Waiting[] = [];
  private writing: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;
  /** Documents with updates held back since the database became unreachable. */
  private held: Set<string> | undefined;
  private heldCount = 0;

  private readonly store: DocumentStore;
  private readonly events: JournalWriterEvents;

  constructor(store: DocumentStore, events: JournalWriterEvents = {}) {
    this.store = store;
    this.events = events;
  }

  /** Resolves once the update is in a committed transaction. */
  append(document: string, update: Uint8Array, userId: string | null): Promise<void> {
    if (this.closed) return Promise.reject(new Error('journal fermé : serveur en cours d’arrêt'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ document, update, userId, resolve, reject });
      this.schedule();
    });
  }

  /** Whether updates are held back because the database cannot be reached. */
  get unavailable(): boolean {
    return this.held !== undefined;
  }

  /** How many updates are held back (unapplied, unacknowledged) while the database cannot be reached. */
  get heldUpdates(): number {
    return this.held ? this.heldCount : 0;
  }

  /** Refuses new updates and fails those still waiting (they were never acknowledged). */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('journal fermé : serveur en cours d’arrêt');
    for (const item of this.waiting.splice(0)) item.reject(error);
    await this.writing;
  }

  private schedule(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: every message read now joins.
    setImmediate(() => {
      this.scheduled = false;
      this.writing = this.writeBatches().finally(() => (this.writing = undefined));
    });
  }

  private async writeBatches(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      await this.writeBatch(batch);
      // Let the updates just released be applied, and the messages behind them be read.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async writeBatch(batch: Waiting[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      try {
        await this.store.appendUpdates(batch);
      } catch (error) {
        if (!this.store.isUnavailable(error) || this.closed) {
          for (const item of batch) item.reject(error);
          return;
        }
        this.hold(batch, error);
        this.heldCount = batch.length + this.waiting.length;
        await new Promise((resolve) => setTimeout(resolve, retryDelays[Math.min(attempt, retryDelays.length - 1)]));
        // Whatever arrived while waiting joins the retry, in order, so it is one batch again.
        batch.push(...this.waiting.splice(0));
        continue;
      }
      this.events.onBatch?.(batch.length, performance.now() - started);
      if (this.held) {
        const documents = [...this.held];
        this.held = undefined;
        this.events.onAvailable?.(documents);
      }
      for (const item of batch) item.resolve();
      return;
    }
  }

  private hold(batch: Waiting[], error: unknown): void {
    const first = !this.held;
    this.held ??= new Set();
    const fresh = [...new Set(batch.map((item) => item.document))].filter((document) => !this.held!.has(document));
    for (const document of fresh) this.held.add(document);
    if (fresh.length > 0) this.events.onUnavailable?.(fresh, error, first);
  }
}
