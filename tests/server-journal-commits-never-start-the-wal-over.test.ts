import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../editor-server/src/storage/database.ts';
import { SqliteDocumentStore } from '../editor-server/src/storage/sqlite-document-store.ts';
import { checkpointInBackground, type WalCheckpoints } from '../editor-server/src/storage/wal-checkpoints.ts';

/** Salts of the WAL header: SQLite draws new ones each time the WAL starts over from its beginning. */
function walSalts(file: string): string {
  return readFileSync(`${file}-wal`).subarray(16, 24).toString('hex');
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`attendu en vain : ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('WAL checkpoints of the journal', () => {
  let dir: string | undefined;
  let db: DatabaseSync | undefined;
  let checkpoints: WalCheckpoints | undefined;
  afterEach(async () => {
    await checkpoints?.close();
    db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** When the checkpoint thread last started the WAL over, if it did. */
  const lastRestart = () => (db!.prepare('SELECT at FROM wal_restarts').get() as { at: number } | undefined)?.at;

  async function open(): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'terreau-wal-'));
    const file = join(dir, 'terreau.sqlite');
    db = openDatabase(file);
    checkpoints = checkpointInBackground(db, file, { pollMs: 10, quietMs: 50, maxDelayMs: 10_000 });
    // Creating the schema wrote to the WAL: the thread copies it at its first quiet moment.
    await waitFor(() => lastRestart() !== undefined, 'le fil des points de contrôle recommence le WAL');
    return file;
  }

  // Starting the WAL over costs an fsync in whichever connection writes next: never a journal
  // commit, which the collaboration thread waits on before fanning updates out.
  it('copy the journal into the database once it is quiet, and start the WAL over in their own thread', async () => {
    const file = await open();
    const store = new SqliteDocumentStore(db!);
    const append = (n: number) => store.appendUpdates([{ document: 'fiches/jardin-partage', update: new Uint8Array([n, 1, 2, 3]), userId: 'u1' }]);

    const first = lastRestart();
    for (let n = 0; n < 20; n++) await append(n);
    await waitFor(() => lastRestart() !== first, 'le WAL recommencé après les écritures du journal');
    // The journal's commits append to the WAL. Only the thread may start it over, and then it says
    // so: if this process stalled 50 ms between two appends (a loaded machine), try again.
    let checked = 0;
    for (let round = 1; round <= 5 && !checked; round++) {
      const salts = walSalts(file);
      const restarted = lastRestart();
      for (let n = 0; n < 20; n++) await append(round * 20 + n);
      if (lastRestart() !== restarted) continue;
      expect(walSalts(file)).toBe(salts);
      checked = round;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('leave a database nobody writes to alone', async () => {
    const file = await open();
    const at = lastRestart();
    const salts = walSalts(file);
    await new Promise((r) => setTimeout(r, 300));
    expect(lastRestart()).toBe(at);
    expect(walSalts(file)).toBe(salts);
  });
});
