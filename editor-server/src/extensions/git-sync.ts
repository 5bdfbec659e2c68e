/**
 * The single Git writer of the commons, and the link between Git and live documents.
 *
 * - Load: a document seen for the first time is built from its file at HEAD (and its snapshot
 *   stored at once, so every later update has the same base); a document whose file changed in
 *   Git since it was last in sync gets that change merged in: the bridge replays the outside
 *   change as a Yjs diff from the document state that matched the old text, so the CRDT keeps
 *   the edits made since and nothing is duplicated.
 * - Commit: when a document has been idle `idleCommitMs`, or its last editor leaves, it is
 *   serialized, validated, and committed with the main editor as author, every other editor since
 *   the last commit as `Co-authored-by:`, and the server as committer. Invalid content is not
 *   committed; editors get the problems through the status protocol (documents/status.ts), and the
 *   journal keeps the edits.
 * - Commits from outside: HEAD is polled; changed files are merged into live documents.
 * - After each commit the site is republished; editors see « enregistré » then « publié ».
 * All Git work runs through one queue.
 */
import type {
  connectedPayload,
  Document,
  Extension,
  Hocuspocus,
  onChangePayload,
  onDisconnectPayload,
  onLoadDocumentPayload,
} from '@hocuspocus/server';
import * as Y from 'yjs';
import type { Accounts } from '../accounts/accounts.ts';
import { applyEntryToDoc, loadEntryIntoDoc, mergeExternalEntry, serializeDocToEntry } from '../bridge/mdx-yjs.ts';
import type { GitConfig } from '../config.ts';
import { parseDocumentName, type EntryAddress } from '../documents/document-name.ts';
import type { StatusBoard } from '../documents/status.ts';
import { changedFiles, checkoutPaths, commitEntry, readFileAt, readHead } from '../git/commons-repo.ts';
import { SerialQueue } from '../git/serial-queue.ts';
import type { SitePublisher } from '../publish/site-publisher.ts';
import type { DocumentStore } from '../storage/document-store.ts';
import type { EntryValidator } from '../validation/entry-validator.ts';
import type { CollabContext } from './authentication.ts';

/** Configuration of `GitSync`. */
export interface GitSyncConfig {
  repoDir: string;
  git: GitConfig;
  store: DocumentStore;
  accounts: Accounts;
  status: StatusBoard;
  publisher: SitePublisher;
  validator: EntryValidator;
  quiet: boolean;
}

/** Transaction origin of changes the server makes itself (seed, external merges). */
export const serverOrigin = { source: 'local' as const, skipStoreHooks: false, context: { user: null } };

/** What a commit is made of, captured from a document at one instant. */
interface CapturedDocument {
  text: string;
  state: Uint8Array;
  editorIds: string[];
  /** Journal id up to which the editors' updates are in `state`. */
  watermark: number;
}

/** Result of one commit attempt. */
export type CommitOutcome = { state: 'committed'; commit: string } | { state: 'unchanged' } | { state: 'invalid' } | { state: 'nothing' };

/** Hocuspocus extension: Git seed, idle/departure commits, external merges, publish. */
export class GitSync implements Extension {
  extensionName = 'GitSync';
  priority = 300;
  private readonly queue = new SerialQueue();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  private knownHead: string | undefined;
  private poller: NodeJS.Timeout | undefined;
  private instance: Hocuspocus | undefined;
  private stopped = false;

  private readonly config: GitSyncConfig;

  constructor(config: GitSyncConfig) {
    this.config = config;
  }

  /** Starts polling HEAD and commits what a previous run left uncommitted. */
  async start(instance: Hocuspocus): Promise<void> {
    this.instance = instance;
    this.knownHead = await readHead(this.config.repoDir);
    this.poller = setInterval(() => void this.queue.run(() => this.absorbExternalCommits()).catch((e) => this.log(`HEAD : ${e}`)), this.config.git.headPollMs);
    this.poller.unref();
    void this.commitLeftovers().catch((e) => this.log(`reprise : ${e}`));
  }

  /** Stops timers; pending work in the queue finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    await this.queue.idle();
  }

  /** Resolves when every queued Git operation has finished (tests, benchmarks). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  async onLoadDocument({ document, documentName, connectionConfig }: onLoadDocumentPayload): Promise<void> {
    const address = entryAddress(documentName);
    await this.queue.run(async () => {
      const head = await readHead(this.config.repoDir);
      const text = (await readFileAt(this.config.repoDir, head, address.path)) ?? null;
      const stored = this.config.store.load(documentName);
      if (stored.state === undefined) {
        if (text === null && connectionConfig.readOnly) throw { reason: `entrée introuvable : ${documentName}` };
        if (text !== null) loadEntryIntoDoc(document, text, address.collection);
        this.config.store.saveSnapshot(documentName, document, { text });
      } else if (text !== null && text !== stored.baseText) {
        this.mergeOutsideChange(document, stored.baseState, text, address);
      }
    });
  }

  async connected({ connection, documentName }: connectedPayload): Promise<void> {
    const status = this.config.status.get(documentName);
    if (status) connection.sendStateless(JSON.stringify(status));
  }

  async onChange({ documentName, connection, document }: onChangePayload<CollabContext>): Promise<void> {
    if (!connection || connection.readOnly || this.stopped) return;
    const current = this.config.status.get(documentName)?.state;
    if (current !== 'modified' && current !== 'invalid') this.config.status.set(documentName, 'modified');
    // Runs for every update: restart the idle timer in place rather than create one each time.
    const running = this.idleTimers.get(documentName);
    if (running) {
      running.refresh();
      return;
    }
    const timer = setTimeout(() => {
      this.idleTimers.delete(documentName);
      void this.commitDocument(documentName, this.instance?.documents.get(documentName) ?? document);
    }, this.config.git.idleCommitMs);
    timer.unref();
    this.idleTimers.set(documentName, timer);
  }

  async onDisconnect({ documentName, document }: onDisconnectPayload): Promise<void> {
    const editorsLeft = document.getConnections().some((c) => !c.readOnly);
    if (editorsLeft || this.stopped) return;
    clearTimeout(this.idleTimers.get(documentName));
    this.idleTimers.delete(documentName);
    void this.commitDocument(documentName, document);
  }

  /**
   * Serializes a document now and commits it through the queue. The text and the editors are
   * captured synchronously, so the document may be unloaded before the commit runs.
   */
  commitDocument(documentName: string, document: Y.Doc): Promise<CommitOutcome> {
    const address = entryAddress(documentName);
    const captured = this.capture(address, document);
    if (typeof captured === 'string') return Promise.resolve({ state: captured });
    return this.queue
      .run(() => this.commitText(address, captured))
      .catch((error) => {
        this.log(`commit de ${documentName} : ${error?.stack ?? error}`);
        this.config.status.set(documentName, 'error');
        return { state: 'nothing' } as const;
      });
  }

  /** A document's text, state, pending editors and journal watermark, read at one instant. */
  private capture(address: EntryAddress, document: Y.Doc): CapturedDocument | 'nothing' | 'invalid' {
    const editors = this.config.store.pendingEditors(address.name);
    if (editors.length === 0) return 'nothing';
    const watermark = this.config.store.lastJournalId();
    const state = Y.encodeStateAsUpdate(document);
    try {
      return { text: serializeDocToEntry(document, address.collection), state, editorIds: editors.map((e) => e.userId), watermark };
    } catch (error) {
      this.config.status.set(address.name, 'invalid', {
        problems: [{ file: address.path, line: 1, field: 'document', message: `contenu impossible à convertir : ${String((error as Error).message ?? error)}` }],
      });
      return 'invalid';
    }
  }

  private async commitText(address: EntryAddress, captured: CapturedDocument): Promise<CommitOutcome> {
    const { repoDir } = this.config;
    // Each pass: merge what was committed from outside since we last looked, then commit on top
    // of exactly that HEAD; a commit from outside landing in between makes the pass start again.
    for (let attempt = 1; ; attempt++) {
      if (attempt > 5) throw new Error('HEAD déplacé de l’extérieur pendant chaque essai de commit');
      const head = await readHead(repoDir);
      if (head !== this.knownHead) {
        const changed = await this.absorbExternalCommits();
        if (changed.includes(address.path)) {
          // The text was serialized before that outside change was merged: committing it would
          // revert it. Serialize again from the document that now holds both.
          const live = this.instance?.documents.get(address.name);
          const again = this.capture(address, live ?? (await this.rebuildFromStore(address, this.knownHead!)));
          if (typeof again === 'string') return { state: again };
          captured = again;
        }
        continue;
      }
      const { text, state, editorIds, watermark } = captured;
      const current = await readFileAt(repoDir, head, address.path);
      if (current === text) {
        this.config.store.setBase(address.name, text, state);
        this.config.store.clearPendingEditors(address.name, watermark);
        this.config.status.set(address.name, 'saved', { commit: head });
        return { state: 'unchanged' };
      }
      const problems = await this.config.validator.validate(address.collection, address.slug, text);
      if (problems.length > 0) {
        this.config.status.set(address.name, 'invalid', { problems });
        return { state: 'invalid' };
      }
      const [author, ...coAuthors] = editorIds.map((id) => this.identityOf(id));
      const message = [
        `${current === undefined ? 'Créer' : 'Modifier'} ${address.name} depuis l’éditeur`,
        ...(coAuthors.length ? ['', ...coAuthors.map((c) => `Co-authored-by: ${c.name} <${c.email}>`)] : []),
        '',
      ].join('\n');
      const commit = await commitEntry(repoDir, head, address.path, text, message, author!, this.config.git.committer);
      if (!commit) continue;
      this.knownHead = commit;
      this.config.validator.update(address.path, text);
      this.config.store.setBase(address.name, text, state);
      this.config.store.clearPendingEditors(address.name, watermark);
      this.config.status.set(address.name, 'saved', { commit });
      this.log(`commit ${commit.slice(0, 8)} ${address.name} par ${[author, ...coAuthors].map((a) => a!.name).join(', ')}`);
      void this.config.publisher.publish().then(
        () => {
          if (this.config.status.get(address.name)?.commit === commit) this.config.status.set(address.name, 'published', { commit });
        },
        (error) => this.log(`publication : ${error}`),
      );
      return { state: 'committed', commit };
    }
  }

  /**
   * A document that is no longer loaded, rebuilt from its snapshot and journal, with the file's
   * text at HEAD merged in and stored (as loading it would do).
   */
  private async rebuildFromStore(address: EntryAddress, head: string): Promise<Y.Doc> {
    const theirs = await readFileAt(this.config.repoDir, head, address.path);
    const document = new Y.Doc();
    const stored = this.config.store.load(address.name);
    if (stored.state) Y.applyUpdate(document, stored.state);
    for (const update of stored.updates) Y.applyUpdate(document, update);
    if (theirs !== undefined && theirs !== stored.baseText) this.mergeOutsideChange(document, stored.baseState, theirs, address);
    return document;
  }

  /**
   * Merges commits made to the repository from outside into live documents; returns the files
   * they changed (documents not loaded are merged when next loaded).
   */
  private async absorbExternalCommits(): Promise<string[]> {
    const { repoDir } = this.config;
    const head = await readHead(repoDir);
    const previous = this.knownHead;
    this.knownHead = head;
    if (!previous || head === previous) return [];
    const files = await changedFiles(repoDir, previous, head);
    // A fetch + update-ref leaves the work tree behind; the site is built from it.
    await checkoutPaths(repoDir, files.filter((f) => !f.startsWith('.')));
    for (const file of files) {
      const name = file.replace(/\.(mdx|yaml)$/, '');
      const address = parseDocumentName(name);
      if ('refused' in address || address.path !== file) continue;
      const theirs = await readFileAt(repoDir, head, file);
      this.config.validator.update(file, theirs);
      const live = this.instance?.documents.get(name);
      if (!live) continue; // merged when next loaded, from its stored base text
      const stored = this.config.store.load(name);
      if (theirs === undefined || theirs === stored.baseText) continue;
      this.mergeOutsideChange(live, stored.baseState, theirs, address);
      this.log(`commit extérieur fusionné dans ${name}`);
    }
    this.log(`HEAD déplacé de l’extérieur : ${previous.slice(0, 8)} → ${head.slice(0, 8)}`);
    void this.config.publisher.publish().catch((error) => this.log(`publication : ${error}`));
    return files;
  }

  private mergeOutsideChange(document: Y.Doc, baseState: Uint8Array | undefined, text: string, address: EntryAddress): void {
    if (baseState) mergeExternalEntry(document, baseState, text, address.collection, serverOrigin);
    else applyEntryToDoc(document, text, address.collection, serverOrigin);
    // The merge is the server's own change: stored at once, since the journal holds client updates only.
    this.config.store.saveSnapshot(address.name, document, { text });
  }

  /** Commits documents whose edits were journaled but never committed (crash, shutdown). */
  private async commitLeftovers(): Promise<void> {
    for (const name of this.config.store.documentsWithPendingEdits()) {
      if (this.stopped || !this.instance || 'refused' in parseDocumentName(name)) continue;
      const connection = await this.instance.openDirectConnection(name, { user: null } satisfies CollabContext);
      try {
        if (connection.document) await this.commitDocument(name, connection.document);
      } finally {
        await connection.disconnect();
      }
    }
  }

  private identityOf(userId: string): { name: string; email: string } {
    const user = this.config.accounts.findById(userId);
    return { name: user?.name ?? 'Contributeur supprimé', email: `${userId}@${this.config.git.authorEmailDomain}` };
  }

  private log(message: string): void {
    if (!this.config.quiet) console.log(`[git] ${message}`);
  }
}

function entryAddress(documentName: string): EntryAddress {
  const address = parseDocumentName(documentName);
  if ('refused' in address) throw { reason: address.refused };
  return address;
}

