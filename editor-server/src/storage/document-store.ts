/**
 * Durable storage of collaborative documents, as one interface with two implementations:
 * SQLite for one server (sqlite-document-store.ts, the default) and PostgreSQL for several
 * (postgres-document-store.ts). For each document it keeps a snapshot of its Yjs state, the text
 * of the Git file it was last in sync with, an append-only journal of every update received
 * since, and who made those updates (the authors of the next commit).
 *
 * Several servers may write the same document at once (PostgreSQL): a snapshot is therefore
 * merged into the stored one, never written over it, and a document's first snapshot is created
 * by exactly one of them (`createSnapshot`).
 */
import * as Y from 'yjs';

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
  /** Id of this editor's last journaled update: what `clearPendingEditors` compares. */
  lastJournalId: number;
  firstAt: number;
}

/** One client update to journal, with its author (null: no account). */
export interface JournalAppend {
  document: string;
  update: Uint8Array;
  userId: string | null;
}

/** The Git text a document was last in sync with, and what it was being committed as. */
export interface DocumentBase {
  text: string | null;
  state: Uint8Array | undefined;
  /** Text of a commit of this document that may have landed without `setBase` (see `setCommitting`). */
  committingText: string | undefined;
  committingState: Uint8Array | undefined;
}

/** The Git text a document was last in sync with, and what it was being committed as. */
export interface DocumentBase {
  text: string | null;
  state: Uint8Array | undefined;
  /** Text of a commit of this document that may have landed without `setBase` (see `setCommitting`). */
  committingText: string | undefined;
  committingState: Uint8Array | undefined;
}

/** How much journaled work is not in Git yet. */
export interface JournalBacklog {
  /** Documents with edits not committed yet. */
  documents: number;
  /** When the oldest of those edits was journaled (ms since epoch), if any. */
  oldestAt: number | undefined;
}

/** The storage of documents and their journal, whatever the database. */
export interface DocumentStore {
  /** Which database holds the documents. */
  readonly kind: 'sqlite' | 'postgres';
  /** Appends client updates (in their order) and their authors; resolves once committed. */
  appendUpdates(appends: readonly JournalAppend[]): Promise<void>;
  /** Reads a document's snapshot and the journal written after it. */
  load(document: string): Promise<StoredDocument>;
  /**
   * Stores the first snapshot of a document (built from its Git file `text`) unless one exists;
   * false when another server or call stored one first: load that one instead.
   */
  createSnapshot(document: string, state: Uint8Array, text: string | null): Promise<boolean>;
  /**
   * Merges a snapshot of the document into the stored one and drops the journal rows it contains.
   * Rows it does not contain yet (an update being applied right now, or received by another
   * server) are kept for the next one. With `inSyncWith`, the document now matches that Git text.
   */
  saveSnapshot(document: string, doc: Y.Doc, inSyncWith?: { text: string | null }): Promise<void>;
  /** Records the Git text a document is now in sync with, and the document state that gave it (ends `setCommitting`). */
  setBase(document: string, text: string | null, state: Uint8Array): Promise<void>;
  /** Whether a snapshot exists (the document was loaded once from Git already). */
  hasSnapshot(document: string): Promise<boolean>;
  /** The Git text a document was last in sync with, and its state then; undefined without a snapshot. */
  baseOf(document: string): Promise<DocumentBase | undefined>;
  /**
   * Records the text and state about to be committed, before the branch moves: if the server stops
   * before `setBase`, the file at HEAD is recognised as this document's own commit, not as a
   * change from outside to merge into it (which would duplicate it).
   */
  setCommitting(document: string, text: string, state: Uint8Array): Promise<void>;
  /** Editors with uncommitted updates on a document, most active first. */
  pendingEditors(document: string): Promise<PendingEditor[]>;
  /**
   * Forgets the given editors, as `pendingEditors` returned them, now that their updates are in a
   * commit; an editor who journaled more since (another `lastJournalId`) stays pending.
   */
  clearPendingEditors(document: string, editors: readonly PendingEditor[]): Promise<void>;
  /** Documents with edits not yet in Git (to commit after a restart). */
  documentsWithPendingEdits(): Promise<string[]>;
  /** Documents with edits not yet in Git and none journaled for `idleMs` (to commit them). */
  idleDocuments(idleMs: number): Promise<string[]>;
  /** How much journaled work is not in Git yet. */
  backlog(): Promise<JournalBacklog>;
  /** Names of every stored document. */
  storedDocuments(): Promise<string[]>;
  /** Whether an error means the database cannot be reached (worth waiting for), not a refusal. */
  isUnavailable(error: unknown): boolean;
  /** Checks that the database answers; throws otherwise. */
  ping(): Promise<void>;
}

/** Whether a stored snapshot already contains a journaled update. */
export function containsUpdate(snapshot: Y.Snapshot, update: Uint8Array): boolean {
  try {
    return Y.snapshotContainsUpdate(snapshot, update);
  } catch {
    // An update that cannot be decoded would fail again on every load: drop it.
    return true;
  }
}

/**
 * What to store as a document's snapshot: the new state, or its union with the stored one when
 * the stored one holds something the new one lacks (saved by another server that had seen
 * updates this one had not received yet). Yjs states only ever grow, so nothing is taken away.
 */
export function mergeStates(stored: Uint8Array | undefined, state: Uint8Array, snapshot: Y.Snapshot): Uint8Array {
  if (!stored || containsUpdate(snapshot, stored)) return state;
  return Y.mergeUpdates([stored, state]);
}

/** Whether a stored document holds anything (an entry being written that is not in Git yet). */
export async function storedHasContent(store: DocumentStore, document: string): Promise<boolean> {
  const stored = await store.load(document);
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
