/**
 * The document store of one server, in its SQLite database (database.ts). node:sqlite is
 * synchronous: each method does its work at once and returns a settled promise, so callers are
 * written once for both stores — unless a transaction of the accounts' SQL interface holds the
 * connection across an await (sql.ts), in which case it waits for its COMMIT.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import * as Y from 'yjs';
import { inTransaction } from './database.ts';
import { exclusive } from './sql.ts';
import { containsUpdate, mergeStates, type DocumentBase, type DocumentStore, type JournalAppend, type JournalBacklog, type PendingEditor, type StoredDocument } from './document-store.ts';

/** SQLite-backed store of snapshots, journal and pending editors. */
export class SqliteDocumentStore implements DocumentStore {
  readonly kind = 'sqlite';
  private readonly insertUpdate: StatementSync;
  private readonly upsertEditor: StatementSync;

  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.insertUpdate = db.prepare('INSERT INTO journal (document, update_data, user_id, created_at) VALUES (?, ?, ?, ?)');
    this.upsertEditor = db.prepare(`INSERT INTO pending_editors (document, user_id, updates, last_journal_id, first_at, last_at) VALUES (?, ?, 1, ?, ?, ?)
      ON CONFLICT (document, user_id) DO UPDATE SET updates = updates + 1, last_journal_id = excluded.last_journal_id, last_at = excluded.last_at`);
  }

  appendUpdates(appends: readonly JournalAppend[]): Promise<void> {
    return exclusive(this.db, () => {
      inTransaction(this.db, () => {
        const now = Date.now();
        for (const { document, update, userId } of appends) {
          const id = Number(this.insertUpdate.run(document, update, userId, now).lastInsertRowid);
          if (userId) this.upsertEditor.run(document, userId, id, now, now);
        }
      });
    });
  }

  load(document: string): Promise<StoredDocument> {
    return exclusive(this.db, () => {
      const row = this.db.prepare('SELECT state, base_text, base_state FROM documents WHERE name = ?').get(document) as
        | { state: Uint8Array; base_text: string | null; base_state: Uint8Array | null }
        | undefined;
      const updates = (this.db.prepare('SELECT update_data FROM journal WHERE document = ? ORDER BY id').all(document) as { update_data: Uint8Array }[]).map(
        (r) => r.update_data,
      );
      return { state: row?.state, baseText: row ? row.base_text : undefined, baseState: row?.base_state ?? undefined, updates };
    });
  }

  createSnapshot(document: string, state: Uint8Array, text: string | null): Promise<boolean> {
    return exclusive(this.db, () => {
      const result = this.db
        .prepare('INSERT INTO documents (name, state, base_text, base_state, stored_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING')
        .run(document, state, text, state, Date.now());
      return Number(result.changes) > 0;
    });
  }

  saveSnapshot(document: string, doc: Y.Doc, inSyncWith?: { text: string | null }): Promise<void> {
    // Taken at one instant, before anything else can change the document.
    const state = Y.encodeStateAsUpdate(doc);
    const snapshot = Y.snapshot(doc);
    return exclusive(this.db, () => inTransaction(this.db, () => {
      const stored = this.db.prepare('SELECT state FROM documents WHERE name = ?').get(document) as { state: Uint8Array } | undefined;
      if (!stored) {
        this.db.prepare('INSERT INTO documents (name, state, stored_at) VALUES (?, ?, ?)').run(document, state, Date.now());
      } else {
        this.db.prepare('UPDATE documents SET state = ?, stored_at = ? WHERE name = ?').run(mergeStates(stored.state, state, snapshot), Date.now(), document);
      }
      if (inSyncWith) this.db.prepare('UPDATE documents SET base_text = ?, base_state = ?, committing_text = NULL, committing_state = NULL WHERE name = ?').run(inSyncWith.text, state, document);
      const rows = this.db.prepare('SELECT id, update_data FROM journal WHERE document = ?').all(document) as { id: number; update_data: Uint8Array }[];
      const remove = this.db.prepare('DELETE FROM journal WHERE id = ?');
      for (const row of rows) {
        if (containsUpdate(snapshot, row.update_data)) remove.run(row.id);
      }
    }));
  }

  setBase(document: string, text: string | null, state: Uint8Array): Promise<void> {
    return exclusive(this.db, () => {
      this.db.prepare('UPDATE documents SET base_text = ?, base_state = ?, committing_text = NULL, committing_state = NULL WHERE name = ?').run(text, state, document);
    });
  }

  setCommitting(document: string, text: string, state: Uint8Array): Promise<void> {
    return exclusive(this.db, () => {
      this.db.prepare('UPDATE documents SET committing_text = ?, committing_state = ? WHERE name = ?').run(text, state, document);
    });
  }

  hasSnapshot(document: string): Promise<boolean> {
    return exclusive(this.db, () => {
      return !!this.db.prepare('SELECT 1 FROM documents WHERE name = ?').get(document);
    });
  }

  baseOf(document: string): Promise<DocumentBase | undefined> {
    return exclusive(this.db, () => {
      const row = this.db.prepare('SELECT base_text, base_state, committing_text, committing_state FROM documents WHERE name = ?').get(document) as
        | { base_text: string | null; base_state: Uint8Array | null; committing_text: string | null; committing_state: Uint8Array | null }
        | undefined;
      return row && { text: row.base_text, state: row.base_state ?? undefined, committingText: row.committing_text ?? undefined, committingState: row.committing_state ?? undefined };
    });
  }

  pendingEditors(document: string): Promise<PendingEditor[]> {
    return exclusive(this.db, () => {
      return (this.db
        .prepare('SELECT user_id, updates, last_journal_id, first_at FROM pending_editors WHERE document = ? ORDER BY updates DESC, first_at, user_id')
        .all(document) as { user_id: string; updates: number; last_journal_id: number; first_at: number }[]).map((r) => ({
        userId: r.user_id,
        updates: r.updates,
        lastJournalId: r.last_journal_id,
        firstAt: r.first_at,
      }));
    });
  }

  clearPendingEditors(document: string, editors: readonly PendingEditor[]): Promise<void> {
    return exclusive(this.db, () => {
      const remove = this.db.prepare('DELETE FROM pending_editors WHERE document = ? AND user_id = ? AND last_journal_id = ?');
      inTransaction(this.db, () => {
        for (const editor of editors) remove.run(document, editor.userId, editor.lastJournalId);
      });
    });
  }

  documentsWithPendingEdits(): Promise<string[]> {
    return exclusive(this.db, () => {
      return (this.db.prepare('SELECT DISTINCT document FROM pending_editors ORDER BY document').all() as { document: string }[]).map((r) => r.document);
    });
  }

  idleDocuments(idleMs: number): Promise<string[]> {
    return exclusive(this.db, () => {
      return (this.db
        .prepare('SELECT document FROM pending_editors GROUP BY document HAVING max(last_at) <= ? ORDER BY min(first_at), document')
        .all(Date.now() - idleMs) as { document: string }[]).map((r) => r.document);
    });
  }

  backlog(): Promise<JournalBacklog> {
    return exclusive(this.db, () => {
      const row = this.db.prepare('SELECT count(DISTINCT document) AS documents, min(first_at) AS oldest FROM pending_editors').get() as {
        documents: number;
        oldest: number | null;
      };
      return { documents: Number(row.documents), oldestAt: row.oldest ?? undefined };
    });
  }

  storedDocuments(): Promise<string[]> {
    return exclusive(this.db, () => {
      return (this.db.prepare('SELECT name FROM documents ORDER BY name').all() as { name: string }[]).map((r) => r.name);
    });
  }

  isUnavailable(): boolean {
    // A local file: an error is a refusal (disk full, corruption), not something to wait out.
    return false;
  }

  ping(): Promise<void> {
    return exclusive(this.db, () => {
      this.db.prepare('SELECT 1').get();
    });
  }
}
