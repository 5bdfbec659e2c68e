/**
 * Durable journal: every update a client sends is appended to the database (SQLite, or
 * PostgreSQL when several servers share the documents), in a committed transaction, before
 * Hocuspocus applies it and acknowledges it. Hocuspocus acknowledges an update as soon as it is
 * applied in memory and stores only after a debounce; without the journal first, a crash in
 * between would lose edits the editor was told were saved.
 *
 * Hook choice (Hocuspocus 4): `beforeSync` runs, awaited, in `MessageReceiver.readSyncMessage`
 * before `readSyncStep2`/`readUpdate` apply the update and before the sync-status acknowledgement
 * is sent; `onChange` runs after both, so it is too late. Read-only connections are never applied,
 * so they are never journaled. Updates another server relays through Redis were journaled by the
 * server their editor is connected to: they come without a connection and are not journaled again.
 *
 * Updates arriving together are journaled together (storage/journal-writer.ts: one transaction
 * per batch), which keeps the journal's cost per update small with many clients. When the
 * database cannot be reached, updates wait, unapplied and unacknowledged, and their editors see
 * « serveur momentanément indisponible » until they go through.
 *
 * Load: snapshot, then the journal in order. Store (debounced by Hocuspocus): a new snapshot,
 * then the journal rows it contains are deleted (compaction).
 */
import type { beforeSyncPayload, Extension, onLoadDocumentPayload, onStoreDocumentPayload } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { StatusBoard } from '../documents/status.ts';
import type { DocumentStore } from '../storage/document-store.ts';
import { JournalWriter, type JournalWriterEvents } from '../storage/journal-writer.ts';
import type { CollabContext } from './authentication.ts';

/** Configuration of `DurableJournal`. */
export interface DurableJournalConfig {
  store: DocumentStore;
  /** Tells editors when their updates wait for the database. */
  status?: StatusBoard;
  /** Measures of each committed batch (metrics). */
  onBatch?: JournalWriterEvents['onBatch'];
  quiet?: boolean;
}

// y-protocols sync message types.
const syncStep2 = 1;
const yjsUpdate = 2;

/** Hocuspocus extension: journal before apply, snapshot + journal on load, compaction on store. */
export class DurableJournal implements Extension {
  extensionName = 'DurableJournal';
  priority = 400;
  readonly writer: JournalWriter;

  private readonly config: DurableJournalConfig;

  constructor(config: DurableJournalConfig) {
    this.config = config;
    const name = config.store.kind === 'postgres' ? 'PostgreSQL' : 'SQLite';
    this.writer = new JournalWriter(config.store, {
      onBatch: config.onBatch,
      onUnavailable: (documents, error, first) => {
        if (first) console.error(`[journal] ${name} injoignable (${describeError(error)}) : les modifications reçues sont retenues, ni appliquées ni acquittées, jusqu’à son retour`);
        for (const document of documents) config.status?.set(document, 'unavailable');
      },
      onAvailable: (documents) => {
        console.error(`[journal] ${name} de nouveau joignable : les modifications retenues (${documents.length} document${documents.length > 1 ? 's' : ''}) sont journalisées et acquittées`);
        for (const document of documents) config.status?.set(document, 'modified');
      },
    });
  }

  async onLoadDocument({ document, documentName }: onLoadDocumentPayload): Promise<void> {
    const stored = await this.config.store.load(documentName);
    if (stored.state) Y.applyUpdate(document, stored.state);
    for (const update of stored.updates) {
      try {
        Y.applyUpdate(document, update);
      } catch (error) {
        console.error(`journal de ${documentName} : mise à jour ignorée (${String(error)})`);
      }
    }
  }

  async beforeSync({ documentName, type, payload, connection, context }: beforeSyncPayload<CollabContext>): Promise<void> {
    if ((type !== syncStep2 && type !== yjsUpdate) || connection.readOnly) return;
    // An empty update (no structs, no deletions) is what every client sends on connect.
    if (payload.byteLength <= 2 && payload[0] === 0 && payload[1] === 0) return;
    await this.writer.append(documentName, payload, context.user?.id ?? null);
  }

  async onStoreDocument({ document, documentName }: onStoreDocumentPayload): Promise<void> {
    await this.config.store.saveSnapshot(documentName, document);
  }

  async onDestroy(): Promise<void> {
    await this.writer.close();
  }
}

function describeError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return [e?.code, e?.message].filter(Boolean).join(' ') || String(error);
}
