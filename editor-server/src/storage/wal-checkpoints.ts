/**
 * WAL checkpoints off the collaboration thread. SQLite copies the write-ahead log into the
 * database file every 1,000 pages by default, inside whichever transaction crosses the mark:
 * that is, inside a journal commit the collaboration thread is waiting on, with an fsync of the
 * database file. On a busy disk that took tens of milliseconds and showed as fan-out p99
 * (bench-reports/collab.md). Here the main connection never checkpoints; a worker thread with its
 * own connection does it (PASSIVE: it never blocks the writer).
 *
 * A checkpoint that copies the whole WAL has a second cost: the next write starts the WAL over
 * from its beginning, and SQLite first makes the new WAL header durable with an fsync (even with
 * synchronous = NORMAL), in whichever connection writes next. When that was a journal commit, the
 * collaboration thread stopped for the fsync (0.5 to 15 ms, after every checkpoint, so about once
 * a second under load, seen with strace) and every update arriving meanwhile waited: a spike in
 * the fan-out latency that bare Hocuspocus does not have. So the thread checkpoints when the
 * database has been quiet for `quietMs` (or once `maxDelayMs` after a write, to bound the WAL
 * under constant load), and then makes that first write itself, one row of `wal_restarts`, so the
 * journal's next commit appends without an fsync.
 *
 * Durability is unchanged: a transaction is committed, and acknowledged, once it is in the WAL, as
 * before; the checkpoints and the WAL's restart still sync what they must.
 */
import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';

/** Source of the checkpoint thread: small enough to live here, run with `eval`. */
const checkpointThread = `
const { DatabaseSync } = require('node:sqlite');
const { workerData } = require('node:worker_threads');
const { file, pollMs, quietMs, maxDelayMs } = workerData;
const db = new DatabaseSync(file);
db.exec('PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL');
// data_version changes when another connection commits: how this thread sees the journal write.
const dataVersion = db.prepare('PRAGMA data_version');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const startOver = db.prepare('INSERT INTO wal_restarts (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at');
let version = dataVersion.get().data_version;
// What was written before this thread started is copied at its first quiet moment.
let firstWrite = Date.now();
let lastWrite = firstWrite;
setInterval(() => {
  try {
    const now = Date.now();
    const current = dataVersion.get().data_version;
    if (current !== version) {
      version = current;
      lastWrite = now;
      firstWrite ??= now;
    }
    if (firstWrite === undefined || (now - lastWrite < quietMs && now - firstWrite < maxDelayMs)) return;
    const { log, checkpointed } = checkpoint.get();
    // Frames written during the checkpoint are copied next time.
    firstWrite = checkpointed < log ? now : undefined;
    if (log > 0 && checkpointed === log) startOver.run(now);
  } catch { /* busy: next time */ }
}, pollMs);
`;

/** Stops the checkpoints (the last connection to close checkpoints what is left). */
export interface WalCheckpoints {
  close(): Promise<void>;
}

/** When the checkpoint thread looks, and how long it waits for the writes to pause. */
export interface CheckpointTiming {
  pollMs: number;
  /** Checkpoint once nothing was committed for this long. */
  quietMs: number;
  /** Checkpoint anyway this long after the first write not yet copied (the WAL grows meanwhile). */
  maxDelayMs: number;
}

const defaultTiming: CheckpointTiming = { pollMs: 100, quietMs: 300, maxDelayMs: 10_000 };

/** Moves the WAL checkpoints of `db` (opened on `file`) to a thread of their own. */
export function checkpointInBackground(db: DatabaseSync, file: string, timing: CheckpointTiming = defaultTiming): WalCheckpoints {
  if (file === ':memory:') return { close: async () => undefined };
  db.exec('PRAGMA wal_autocheckpoint = 0');
  const worker = new Worker(checkpointThread, { eval: true, workerData: { file, ...timing } });
  worker.unref();
  return {
    async close() {
      await worker.terminate();
    },
  };
}
