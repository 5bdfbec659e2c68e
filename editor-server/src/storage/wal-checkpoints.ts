/**
 * WAL checkpoints off the collaboration thread. SQLite copies the write-ahead log into the
 * database file every 1,000 pages by default, inside whichever transaction crosses the mark:
 * that is, inside a journal commit the collaboration thread is waiting on, with an fsync of the
 * database file. On a busy disk that took tens of milliseconds and showed as fan-out p99
 * (bench-reports/collab.md). Here the main connection never checkpoints; a worker thread with its
 * own connection does it every second (PASSIVE: it never blocks the writer). Durability is
 * unchanged: a transaction is committed, and acknowledged, once it is in the WAL, as before.
 */
import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';

/** Source of the checkpoint thread: small enough to live here, run with `eval`. */
const checkpointThread = `
const { DatabaseSync } = require('node:sqlite');
const { workerData } = require('node:worker_threads');
const db = new DatabaseSync(workerData.file);
db.exec('PRAGMA busy_timeout = 5000');
setInterval(() => {
  try { db.prepare('PRAGMA wal_checkpoint(PASSIVE)').get(); } catch { /* busy: next time */ }
}, workerData.intervalMs);
`;

/** Stops the checkpoints (the last connection to close checkpoints what is left). */
export interface WalCheckpoints {
  close(): Promise<void>;
}

/** Moves the WAL checkpoints of `db` (opened on `file`) to a thread of their own. */
export function checkpointInBackground(db: DatabaseSync, file: string, intervalMs = 1000): WalCheckpoints {
  if (file === ':memory:') return { close: async () => undefined };
  db.exec('PRAGMA wal_autocheckpoint = 0');
  const worker = new Worker(checkpointThread, { eval: true, workerData: { file, intervalMs } });
  worker.unref();
  return {
    async close() {
      await worker.terminate();
    },
  };
}
