/**
 * Durable storage of collaborative documents: a snapshot of each document's Yjs state, the text
 * of the Git file it was last in sync with, an append-only journal of every update received since,
 * and who made those updates (the authors of the next commit).
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import * as Y from 'yjs';
import { inTransaction } from './database.ts';

/** What is stored for one document. */
export interface StoredDocument {
  /** Yjs state of the last snapshot, if any. */
  state: Uint8Array | undefined;
  /** Text of the Git file the document was last in sync with (null: the file did not exist). */
  baseText: string | null | undefined;
  /** Yjs state of the document when it matched `baseText` (to replay outside changes as a diff). */
  baseState: Uint8Array | undefined;
  /** Updates journaled after the snapshot, oldest first. */
  updates: Uint8Array[];
}

/** An editor with updates not yet committed to Git. */
export interface PendingEditor {
  userId: string;
  updates: number;
  lastJournalId: number;
  firstAt: number;
}

/** One client update to journal, with its author (null: no account). */
export interface JournalAppend {
  document: string;
  update: Uint8Array;
  userId: string | null;
}

/** SQLite-backed store of snapshots, journal and pending editors. */
export class DocumentStore {
  private readonly insertUpdate: StatementSync;
  private readonly upsertEditor: StatementSync;

  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.insertUpdate = db.prepare('INSERT INTO journal (document, update_data, user_id, created_at) VALUES (?, ?, ?, ?)');
    this.upsertEditor = db.prepare(`INSERT INTO pending_editors (document, user_id, updates, last_journal_id, first_at) VALUES (?, ?, 1, ?, ?)
      ON CONFLICT (document, user_id) DO UPDATE SET updates = updates + 1, last_journal_id = excluded.last_journal_id`);
  }

  /** Appends client updates (in their order) and their authors in one committed transaction. */
  appendUpdates(appends: readonly JournalAppend[]): void {
    inTransaction(this.db, () => {
      const now = Date.now();
      for (const { document, update, userId } of appends) {
        const id = Number(this.insertUpdate.run(document, update, userId, now).lastInsertRowid);
        if (userId) this.upsertEditor.run(document, userId, id, now);
      }
    });
  }

  /** Reads a document's snapshot and the journal written after it. */
  load(document: string): StoredDocument {
    const row = this.db.prepare('SELECT state, base_text, base_state FROM documents WHERE name = ?').get(document) as
      | { state: Uint8Array; base_text: string | null; base_state: Uint8Array | null }
      | undefined;
    const updates = (this.db.prepare('SELECT update_data FROM journal WHERE document = ? ORDER BY id').all(document) as { update_data: Uint8Array }[]).map(
      (r) => r.update_data,
    );
    return { state: row?.state, baseText: row ? row.base_text : undefined, baseState: row?.base_state ?? undefined, updates };
  }

  /**
   * Stores a snapshot of the document and drops the journal rows it contains. Rows the snapshot
   * does not contain yet (an update being applied right now) are kept for the next one.
   */
  saveSnapshot(document: string, doc: Y.Doc, inSyncWith?: { text: string | null }): void {
    const state = Y.encodeStateAsUpdate(doc);
    const snapshot = Y.snapshot(doc);
    inTransaction(this.db, () => {
      const exists = this.db.prepare('SELECT 1 FROM documents WHERE name = ?').get(document);
      if (!exists) {
        this.db.prepare('INSERT INTO documents (name, state, stored_at) VALUES (?, ?, ?)').run(document, state, Date.now());
      } else {
        this.db.prepare('UPDATE documents SET state = ?, stored_at = ? WHERE name = ?').run(state, Date.now(), document);
      }
      if (inSyncWith) this.db.prepare('UPDATE documents SET base_text = ?, base_state = ? WHERE name = ?').run(inSyncWith.text, state, document);
      const rows = this.db.prepare('SELECT id, update_data FROM journal WHERE document = ?').all(document) as { id: number; update_data: Uint8Array }[];
      const remove = this.db.prepare('DELETE FROM journal WHERE id = ?');
      for (const row of rows) {
        if (containsUpdate(snapshot, row.update_data)) remove.run(row.id);
      }
    });
  }

  /** Records the Git text a document is now in sync with, and the document state that gave it. */
  setBase(document: string, text: string | null, state: Uint8Array): void {
    this.db.prepare('UPDATE documents SET base_text = ?, base_state = ? WHERE name = ?').run(text, state, document);
  }

  /** The Git text a document was last in sync with (null: no file yet; undefined: never loaded). */
  baseTextOf(document: string): string | null | undefined {
    const row = this.db.prepare('SELECT base_text FROM documents WHERE name = ?').get(document) as { base_text: string | null } | undefined;
    return row ? row.base_text : undefined;
  }

  /** Whether a snapshot exists (the document was loaded once from Git already). */
  hasSnapshot(document: string): boolean {
    return !!this.db.prepare('SELECT 1 FROM documents WHERE name = ?').get(document);
  }

  /** Whether a stored document holds anything (an entry being written that is not in Git yet). */
  hasContent(document: string): boolean {
    const stored = this.load(document);
    if (!stored.state && stored.updates.length === 0) return false;
    const doc = new Y.Doc();
    try {
      if (stored.state) Y.applyUpdate(doc, stored.state);
      for (const update of stored.updates) Y.applyUpdate(doc, update);
      return doc.getMap('frontmatter').size > 0 || doc.getXmlFragment('default').length > 0;
    } catch {
      return false;
    } finally {
      doc.destroy();
    }
  }

  /** Editors with uncommitted updates on a document, most active first. */
  pendingEditors(document: string): PendingEditor[] {
    return (this.db
      .prepare('SELECT user_id, updates, last_journal_id, first_at FROM pending_editors WHERE document = ? ORDER BY updates DESC, first_at')
      .all(document) as { user_id: string; updates: number; last_journal_id: number; first_at: number }[]).map((r) => ({
      userId: r.user_id,
      updates: r.updates,
      lastJournalId: r.last_journal_id,
      firstAt: r.first_at,
    }));
  }

  /** Forgets editors whose updates (up to `journalId`) are now in a commit. */
  clearPendingEditors(document: string, journalId: number): void {
    this.db.prepare('DELETE FROM pending_editors WHERE document = ? AND last_journal_id <= ?').run(document, journalId);
  }

  /** Highest journal id written so far (a watermark for what a commit contains). */
  lastJournalId(): number {
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  /** Documents with edits not yet in Git (to commit after a restart). */
  documentsWithPendingEdits(): string[] {
    return (this.db.prepare('SELECT DISTINCT document FROM pending_editors ORDER BY document').all() as { document: string }[]).map((r) => r.document);
  }

  /** Names of every stored document. */
  storedDocuments(): string[] {
    return (this.db.prepare('SELECT name FROM documents ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  }
}

function containsUpdate(snapshot: Y.Snapshot, update: Uint8Array): boolean {
  try {
    return Y.snapshotContainsUpdate(snapshot, update);
  } catch {
    // An update that cannot be decoded would fail again on every load: drop it.
    return true;
  }
}
