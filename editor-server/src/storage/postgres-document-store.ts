/**
 * The document store in PostgreSQL, shared by every server of a cluster (or used by one server
 * instead of SQLite). Same behaviour as the SQLite store, and the same test suite; what differs is
 * that several servers write at once:
 *
 * - a batch of updates is one statement (journal rows and their editors together), so one round
 *   trip and one WAL flush make it durable;
 * - a load reads the snapshot and the journal in one statement, so a snapshot being saved by
 *   another server is seen either whole or not at all;
 * - a snapshot is merged into the stored one under a row lock, and only the journal rows this
 *   server's own document contains are dropped;
 * - times of activity are PostgreSQL's clock, so idle documents are the same for every server.
 * The pool belongs to whoever opened it (the server), who ends it.
 */
import type pg from 'pg';
import * as Y from 'yjs';
import { containsUpdate, mergeStates, type DocumentBase, type DocumentStore, type JournalAppend, type JournalBacklog, type PendingEditor, type StoredDocument } from './document-store.ts';
import { databaseNowMs, inPostgresTransaction, isPostgresUnavailable } from './postgres-database.ts';

const appendStatement = `
WITH inserted AS (
  INSERT INTO journal (document, update_data, user_id, created_at)
  SELECT d, u, uid, ${databaseNowMs} FROM unnest($1::text[], $2::bytea[], $3::text[]) AS t (d, u, uid)
  RETURNING id, document, user_id
)
INSERT INTO pending_editors (document, user_id, updates, last_journal_id, first_at, last_at)
SELECT document, user_id, count(*), max(id), ${databaseNowMs}, ${databaseNowMs}
FROM inserted WHERE user_id IS NOT NULL GROUP BY document, user_id ORDER BY document, user_id
ON CONFLICT (document, user_id) DO UPDATE SET
  updates = pending_editors.updates + excluded.updates,
  last_journal_id = GREATEST(pending_editors.last_journal_id, excluded.last_journal_id),
  last_at = excluded.last_at`;

/** PostgreSQL-backed store of snapshots, journal and pending editors. */
export class PostgresDocumentStore implements DocumentStore {
  readonly kind = 'postgres';

  private readonly pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  async appendUpdates(appends: readonly JournalAppend[]): Promise<void> {
    if (appends.length === 0) return;
    await this.pool.query({
      name: 'terreau-append',
      text: appendStatement,
      values: [appends.map((a) => a.document), appends.map((a) => Buffer.from(a.update.buffer, a.update.byteOffset, a.update.byteLength)), appends.map((a) => a.userId)],
    });
  }

  async load(document: string): Promise<StoredDocument> {
    const { rows } = await this.pool.query<{ kind: number; state: Buffer | null; base_text: string | null; base_state: Buffer | null; update_data: Buffer | null }>({
      name: 'terreau-load',
      text: `SELECT 0 AS kind, state, base_text, base_state, NULL::bytea AS update_data, 0::bigint AS id FROM documents WHERE name = $1
             UNION ALL
             SELECT 1, NULL, NULL, NULL, update_data, id FROM journal WHERE document = $1
             ORDER BY kind, id`,
      values: [document],
    });
    const head = rows[0]?.kind === 0 ? rows[0] : undefined;
    return {
      state: head?.state ?? undefined,
      baseText: head ? head.base_text : undefined,
      baseState: head?.base_state ?? undefined,
      updates: rows.filter((r) => r.kind === 1).map((r) => r.update_data!),
    };
  }

  async createSnapshot(document: string, state: Uint8Array, text: string | null): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO documents (name, state, base_text, base_state, stored_at) VALUES ($1, $2, $3, $2, ${databaseNowMs}) ON CONFLICT (name) DO NOTHING`,
      [document, Buffer.from(state), text],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async saveSnapshot(document: string, doc: Y.Doc, inSyncWith?: { text: string | null }): Promise<void> {
    // Taken at one instant, before anything else can change the document.
    const state = Buffer.from(Y.encodeStateAsUpdate(doc));
    const snapshot = Y.snapshot(doc);
    await inPostgresTransaction(this.pool, async (client) => {
      await client.query(`INSERT INTO documents (name, state, stored_at) VALUES ($1, $2, ${databaseNowMs}) ON CONFLICT (name) DO NOTHING`, [document, state]);
      const stored = await client.query<{ state: Buffer }>('SELECT state FROM documents WHERE name = $1 FOR UPDATE', [document]);
      const merged = Buffer.from(mergeStates(stored.rows[0]?.state, state, snapshot));
      if (inSyncWith) {
        await client.query(
          `UPDATE documents SET state = $2, base_text = $3, base_state = $4, committing_text = NULL, committing_state = NULL, stored_at = ${databaseNowMs} WHERE name = $1`,
          [document, merged, inSyncWith.text, state],
        );
      } else {
        await client.query(`UPDATE documents SET state = $2, stored_at = ${databaseNowMs} WHERE name = $1`, [document, merged]);
      }
      const rows = await client.query<{ id: string; update_data: Buffer }>('SELECT id, update_data FROM journal WHERE document = $1', [document]);
      const contained = rows.rows.filter((row) => containsUpdate(snapshot, row.update_data)).map((row) => row.id);
      if (contained.length) await client.query('DELETE FROM journal WHERE id = ANY($1::bigint[])', [contained]);
    });
  }

  async setBase(document: string, text: string | null, state: Uint8Array): Promise<void> {
    await this.pool.query('UPDATE documents SET base_text = $2, base_state = $3, committing_text = NULL, committing_state = NULL WHERE name = $1', [document, text, Buffer.from(state)]);
  }

  async setCommitting(document: string, text: string, state: Uint8Array): Promise<void> {
    await this.pool.query('UPDATE documents SET committing_text = $2, committing_state = $3 WHERE name = $1', [document, text, Buffer.from(state)]);
  }

  async hasSnapshot(document: string): Promise<boolean> {
    return ((await this.pool.query('SELECT 1 FROM documents WHERE name = $1', [document])).rowCount ?? 0) > 0;
  }

  async baseOf(document: string): Promise<DocumentBase | undefined> {
    const { rows } = await this.pool.query<{ base_text: string | null; base_state: Buffer | null; committing_text: string | null; committing_state: Buffer | null }>(
      'SELECT base_text, base_state, committing_text, committing_state FROM documents WHERE name = $1',
      [document],
    );
    const row = rows[0];
    return row && { text: row.base_text, state: row.base_state ?? undefined, committingText: row.committing_text ?? undefined, committingState: row.committing_state ?? undefined };
  }

  async pendingEditors(document: string): Promise<PendingEditor[]> {
    const { rows } = await this.pool.query<{ user_id: string; updates: number; last_journal_id: string; first_at: string }>(
      'SELECT user_id, updates, last_journal_id, first_at FROM pending_editors WHERE document = $1 ORDER BY updates DESC, first_at, user_id',
      [document],
    );
    return rows.map((r) => ({ userId: r.user_id, updates: Number(r.updates), lastJournalId: Number(r.last_journal_id), firstAt: Number(r.first_at) }));
  }

  async clearPendingEditors(document: string, editors: readonly PendingEditor[]): Promise<void> {
    if (editors.length === 0) return;
    const ordered = [...editors].sort((a, b) => a.userId.localeCompare(b.userId));
    await this.pool.query(
      `DELETE FROM pending_editors WHERE document = $1 AND (user_id, last_journal_id) IN (SELECT * FROM unnest($2::text[], $3::bigint[]))`,
      [document, ordered.map((e) => e.userId), ordered.map((e) => e.lastJournalId)],
    );
  }

  async documentsWithPendingEdits(): Promise<string[]> {
    const { rows } = await this.pool.query<{ document: string }>('SELECT DISTINCT document FROM pending_editors ORDER BY document');
    return rows.map((r) => r.document);
  }

  async idleDocuments(idleMs: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ document: string }>(
      `SELECT document FROM pending_editors GROUP BY document HAVING max(last_at) <= ${databaseNowMs} - $1 ORDER BY min(first_at), document`,
      [Math.round(idleMs)],
    );
    return rows.map((r) => r.document);
  }

  async backlog(): Promise<JournalBacklog> {
    const { rows } = await this.pool.query<{ documents: string; oldest: string | null }>('SELECT count(DISTINCT document) AS documents, min(first_at) AS oldest FROM pending_editors');
    return { documents: Number(rows[0]!.documents), oldestAt: rows[0]!.oldest === null ? undefined : Number(rows[0]!.oldest) };
  }

  async storedDocuments(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>('SELECT name FROM documents ORDER BY name');
    return rows.map((r) => r.name);
  }

  isUnavailable(error: unknown): boolean {
    return isPostgresUnavailable(error);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }
}
