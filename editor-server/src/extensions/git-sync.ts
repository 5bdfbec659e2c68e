/**
 * The Hocuspocus extension that ties live documents to the commons repository, the single Git
 * writer. All Git work runs through one queue.
 *
 * - Load: a document seen for the first time is built from its file at HEAD (and its snapshot
 *   stored at once, so every later update has the same base); a document whose file changed in
 *   Git since it was last in sync gets that change merged in (`git/outside-commits.ts`).
 * - Commit: when a document has been idle `idleCommitMs`, or its last editor leaves, it is
 *   committed (`git/commit-pipeline.ts`); what a previous run left uncommitted is committed at start.
 * - Commits from outside: HEAD is polled and changed files are merged into live documents.
 * - After each commit the site is republished; editors see « enregistré », « publié », then
 *   « indexé pour la recherche ».
 * - Other writers (remote sync) run their work through `write`, and learn that HEAD moved
 *   through `headMoved`.
 *
 * Several servers (`shared`): each loads documents the same way, but only the holder of the
 * writer's lease writes Git (cluster/cluster-member.ts calls `startWriting` and `stopWriting`). The
 * writer commits every document idle for `idleCommitMs`, wherever its editors are connected,
 * loading it from the shared journal; the first snapshot of a document is made by one server only,
 * and only the writer merges commits from outside into documents, so nothing is merged twice.
 */
import type {
  connectedPayload,
  Extension,
  Hocuspocus,
  onChangePayload,
  onConfigurePayload,
  onDisconnectPayload,
  onLoadDocumentPayload,
} from '@hocuspocus/server';
import * as Y from 'yjs';
import { BRIDGE_ORIGIN } from '../../../core/bridge/mdx-yjs.ts';
import { parseDocumentName, type EntryAddress } from '../../../core/document-name.ts';
import { formatProblem, ProblemError } from '../../../core/problem.ts';
import type { Accounts } from '../accounts/accounts.ts';
import type { GitConfig } from '../config.ts';
import type { StatusBoard } from '../documents/status.ts';
import { authorIdentity, CommitPipeline, type CommitOutcome, type CommitPipelineConfig } from '../git/commit-pipeline.ts';
import { commitFiles, readBlobOid, readFileAt, readHead, type BeforeRefUpdate, type FileToCommit, type GitIdentity } from '../git/commons-repo.ts';
import { FencedError } from '../git/fenced-error.ts';
import { OutsideCommits, unabsorbedBase } from '../git/outside-commits.ts';
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
  /** Readers owed a credit in an entry's next commit (reader-moderation.ts). */
  readerCredits?: CommitPipelineConfig['readerCredits'];
  quiet: boolean;
  /** Several servers share the commons: write Git only between `startWriting` and `stopWriting`. */
  shared?: boolean;
  /** Called with each commit before the branch moves (several servers: pushes it, fenced). */
  beforeRefUpdate?: CommitPipelineConfig['beforeRefUpdate'];
  /**
   * Brings the shared remote's new commits into the local branch before they are absorbed:
   * `now`, or `if-due` for the writer's routine look (the remote rarely moves under it).
   */
  fetchRemote?: (when: 'now' | 'if-due') => Promise<void>;
  /** Whether another server holds a document open (to merge a commit from outside into it). */
  isOpenElsewhere?: (document: string) => Promise<boolean>;
  /** Told of every commit attempt, with its outcome and duration (metrics). */
  onCommit?: (outcome: CommitOutcome['state'], milliseconds: number) => void;
  /** Called whenever HEAD moves (a commit, an outside commit absorbed, a merge). */
  headMoved?: () => void;
}

/** How long a document whose commit failed waits before the writer tries it again (several servers). */
const retryFailedCommitMs = 30_000;

/** Hocuspocus extension: Git seed, idle/departure commits, outside merges, publish. */
export class GitSync implements Extension {
  extensionName = 'GitSync';
  priority = 300;
  private readonly queue = new SerialQueue();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  private readonly outside: OutsideCommits;
  private readonly pipeline: CommitPipeline;
  private poller: NodeJS.Timeout | undefined;
  private idlePoller: NodeJS.Timeout | undefined;
  private instance: Hocuspocus | undefined;
  private stopped = false;
  private writing = false;
  private committingIdle = false;
  /** Documents not to try again until their editors change (invalid) or a delay passes (error). */
  private readonly stuck = new Map<string, { editors: string; until: number }>();

  private readonly config: GitSyncConfig;

  constructor(config: GitSyncConfig) {
    this.config = config;
    const findDocument = (name: string) => this.instance?.documents.get(name);
    const log = (message: string) => this.log(message);
    const headMoved = () => this.config.headMoved?.();
    this.outside = new OutsideCommits({ ...config, findDocument, log, headMoved });
    this.pipeline = new CommitPipeline({ ...config, outside: this.outside, findDocument, log, headMoved });
  }

  /** Alone, this server is the Git writer from the start; several servers wait for the lease. */
  async onConfigure({ instance }: onConfigurePayload): Promise<void> {
    this.instance = instance;
    if (!this.config.shared) await this.startWriting();
    // Not the writer (yet): the repository follows the shared remote from the HEAD it has now.
    else await this.queue.run(() => this.outside.start());
  }

  /** Whether this server writes Git now. */
  get isWriting(): boolean {
    return this.writing;
  }

  /** Becomes the Git writer: knows HEAD, starts polling it, and commits what was left uncommitted. */
  async startWriting(): Promise<void> {
    if (this.writing || this.stopped) return;
    await this.queue.run(async () => {
      await this.config.fetchRemote?.('now');
      await this.outside.start();
    });
    if (this.stopped) return;
    this.writing = true;
    this.poller = setInterval(() => void this.absorb().catch((e) => this.log(`HEAD : ${e}`)), this.config.git.headPollMs);
    this.poller.unref();
    if (this.config.shared) {
      this.idlePoller = setInterval(() => void this.commitIdle().catch((e) => this.log(`commits : ${e}`)), Math.min(1_000, this.config.git.idleCommitMs / 2));
      this.idlePoller.unref();
    }
    void this.commitLeftovers().catch((e) => this.log(`reprise : ${e}`));
  }

  /** Stops writing Git (another server holds the lease now); a commit under way is refused by its fence. */
  stopWriting(): void {
    this.writing = false;
    clearInterval(this.poller);
    clearInterval(this.idlePoller);
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
  }

  /** Stops timers; pending work in the queue finishes. */
  async onDestroy(): Promise<void> {
    this.stopped = true;
    this.stopWriting();
    await this.queue.idle();
  }

  /** Resolves when every queued Git operation has finished (tests, benchmarks). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Runs a task that writes the commons in the single writer's queue, with what must run before
   * the branch moves; whatever it changed at HEAD is merged into live documents before it resolves.
   */
  write<T>(task: (beforeRefUpdate: BeforeRefUpdate | undefined) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      const result = await task(this.config.beforeRefUpdate);
      await this.outside.absorb();
      return result;
    });
  }

  /**
   * Commits now the documents with edits not yet committed among these files, so that a merge
   * about to touch them compares committed texts on both sides.
   */
  async commitPendingFiles(files: readonly string[]): Promise<void> {
    const wanted = new Set(files);
    for (const name of await this.config.store.documentsWithPendingEdits()) {
      const address = parseDocumentName(name);
      if ('refused' in address || !wanted.has(address.path) || !this.instance) continue;
      const live = this.instance.documents.get(name);
      if (live) {
        await this.commitDocument(name, live);
        continue;
      }
      const connection = await this.instance.openDirectConnection(name, { user: null, credential: null, address: 'serveur' } satisfies CollabContext);
      try {
        if (connection.document) await this.commitDocument(name, connection.document);
      } finally {
        await connection.disconnect();
      }
    }
  }

  async onLoadDocument({ document, documentName, connectionConfig }: onLoadDocumentPayload): Promise<void> {
    const address = entryAddress(documentName);
    await this.queue.run(async () => {
      const { repoDir } = this.config;
      const store = this.config.store;
      const head = await readHead(repoDir);
      const text = (await readFileAt(repoDir, head, address.path)) ?? null;
      if (!(await store.hasSnapshot(documentName))) {
        if (text === null && connectionConfig.readOnly) throw { reason: `entrée introuvable : ${documentName}` };
        // Built aside and stored only if no other server stored one first: two first loads of the
        // same file, on two servers, would otherwise make two copies of its text in the CRDT.
        const seed = new Y.Doc();
        if (text !== null) await this.loadIntoEditor(seed, text, address);
        const state = Y.encodeStateAsUpdate(seed);
        if (await store.createSnapshot(documentName, state, text)) Y.applyUpdate(document, state);
        else {
          const stored = await store.load(documentName);
          if (stored.state) Y.applyUpdate(document, stored.state);
        }
      } else if (text !== null && this.writing) {
        const base = await unabsorbedBase(store, documentName, text);
        if (base) await this.outside.merge(document, base.state, text, address);
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
    // Several servers: the writer commits idle documents wherever their editors are (commitIdle).
    if (this.config.shared) return;
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
    if (editorsLeft || this.stopped || this.config.shared) return;
    clearTimeout(this.idleTimers.get(documentName));
    this.idleTimers.delete(documentName);
    void this.commitDocument(documentName, document);
  }

  /**
   * Captures a document now and commits it through the queue. The text and the editors are taken
   * before the commit waits its turn, so the document may be unloaded before it runs.
   */
  async commitDocument(documentName: string, document: Y.Doc): Promise<CommitOutcome> {
    if (!this.writing) return { state: 'nothing' };
    const address = entryAddress(documentName);
    const started = performance.now();
    const outcome = await this.pipeline
      .capture(address, document)
      .then((captured) => (typeof captured === 'string' ? ({ state: captured } as const) : this.queue.run(() => this.pipeline.commit(address, captured))))
      .catch((error): CommitOutcome => {
        if (error instanceof FencedError) {
          this.log(`commit de ${documentName} abandonné : ${error.message} ; l’écrivain actuel le fera depuis le journal`);
          return { state: 'nothing' };
        }
        this.log(`commit de ${documentName} : ${error?.stack ?? error}`);
        this.config.status.set(documentName, 'error');
        return { state: 'error' };
      });
    this.config.onCommit?.(outcome.state, performance.now() - started);
    return outcome;
  }

  /**
   * Commits a new entry written outside the editor (a reader's experience a moderator accepted)
   * through the one Git queue, authored by `author`; refuses if the file exists. Publishes after.
   */
  async commitNewEntry(address: EntryAddress, text: string, author: GitIdentity, message: string): Promise<string> {
    // Several servers: only the Git writer commits, under its fence (like every other commit).
    if (this.config.shared && !this.writing) throw new Error('ce serveur n’écrit pas Git en ce moment (un autre serveur tient le bail d’écriture) : réessayez dans quelques secondes');
    const { commit } = await this.commitOnTop([{ path: address.path, content: text }], message, author, 'refuse');
    void this.config.publisher.publish().published.catch((error) => this.log(`publication : ${error}`));
    return commit;
  }

  /**
   * Commits files that are not documents (an uploaded image and its credits) through the same
   * queue, authored by `userId`. When the first file is already there (the same image uploaded
   * again), nothing is committed.
   */
  async commitFiles(files: readonly FileToCommit[], message: string, userId: string): Promise<{ commit: string; created: boolean }> {
    if (this.config.shared && !this.writing) throw new Error('ce serveur n’écrit pas Git en ce moment (un autre serveur tient le bail d’écriture) : réessayez dans quelques secondes');
    const { git, accounts } = this.config;
    return this.commitOnTop(files, message, await authorIdentity(accounts, git, userId), 'skip');
  }

  /**
   * Commits files through the one Git queue, on top of whatever was committed from outside (merged
   * into live documents first, as before any other commit). `ifFirstExists` says what to do when
   * the first file is already in the commons: leave it (`skip`) or fail (`refuse`).
   */
  private commitOnTop(files: readonly FileToCommit[], message: string, author: GitIdentity, ifFirstExists: 'skip' | 'refuse'): Promise<{ commit: string; created: boolean }> {
    const { repoDir, git, validator } = this.config;
    return this.queue.run(async () => {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const head = await readHead(repoDir);
        if (head !== this.outside.knownHead) {
          await this.outside.absorb();
          continue;
        }
        if ((await readBlobOid(repoDir, head, files[0]!.path)) !== undefined) {
          if (ifFirstExists === 'refuse') throw new Error(`${files[0]!.path} existe déjà`);
          return { commit: head, created: false };
        }
        const commit = await commitFiles(repoDir, head, files, message, author, git.committer, this.config.beforeRefUpdate);
        if (!commit) continue;
        this.outside.knownHead = commit;
        for (const file of files) validator.update(file.path, typeof file.content === 'string' ? file.content : '');
        this.log(`commit ${commit.slice(0, 8)} ${files.map((f) => f.path).join(', ')} par ${author.name}`);
        return { commit, created: true };
      }
      throw new Error('HEAD déplacé de l’extérieur pendant chaque essai de commit');
    });
  }

  /** Commits documents whose edits were journaled but never committed (crash, shutdown, another writer). */
  private async commitLeftovers(): Promise<void> {
    await this.commitStored(await this.config.store.documentsWithPendingEdits());
  }

  /** Several servers: commits every document idle for `idleCommitMs`, wherever it is edited. */
  private async commitIdle(): Promise<void> {
    if (this.committingIdle || !this.writing) return;
    this.committingIdle = true;
    try {
      const now = Date.now();
      const names = (await this.config.store.idleDocuments(this.config.git.idleCommitMs)).filter((name) => (this.stuck.get(name)?.until ?? 0) <= now);
      await this.commitStored(names);
    } finally {
      this.committingIdle = false;
    }
  }

  /** Commits stored documents, loading those not open here from the journal (and, through Redis, from the servers that hold them). */
  private async commitStored(names: string[]): Promise<void> {
    for (const name of names) {
      if (this.stopped || !this.writing || !this.instance || 'refused' in parseDocumentName(name)) continue;
      const editors = (await this.config.store.pendingEditors(name)).map((e) => `${e.userId}:${e.lastJournalId}`).join(',');
      const stuck = this.stuck.get(name);
      if (stuck && stuck.editors === editors && stuck.until > Date.now()) continue;
      const live = this.instance.documents.get(name);
      let outcome: CommitOutcome;
      if (live) outcome = await this.commitDocument(name, live);
      else {
        const connection = await this.instance.openDirectConnection(name, { user: null, credential: null, address: 'serveur' } satisfies CollabContext);
        try {
          outcome = connection.document ? await this.commitDocument(name, connection.document) : { state: 'nothing' };
        } finally {
          // Several servers: disconnecting waits for Redis to settle (a second): not in the way of the next commit.
          const closing = connection.disconnect();
          if (!this.config.shared) await closing;
          else void closing.catch((e) => this.log(`fermeture de ${name} : ${e}`));
        }
      }
      if (outcome.state === 'invalid') this.stuck.set(name, { editors, until: Number.POSITIVE_INFINITY });
      else if (outcome.state === 'error') this.stuck.set(name, { editors, until: Date.now() + retryFailedCommitMs });
      else this.stuck.delete(name);
    }
  }

  /** A server of several that does not write Git: brings the shared remote's commits into its own repository. */
  async followRemote(): Promise<void> {
    if (this.writing || this.stopped) return;
    await this.queue.run(async () => {
      if (this.writing) return;
      await this.config.fetchRemote?.('now');
      await this.outside.absorb(false);
    });
  }

  /** Absorbs commits from outside (several servers: from the shared remote first), and merges them into documents open elsewhere. */
  private async absorb(): Promise<void> {
    if (!this.writing) return;
    const changed = await this.queue.run(async () => {
      if (!this.writing) return [];
      await this.config.fetchRemote?.('if-due');
      return this.outside.absorb();
    });
    if (!this.config.isOpenElsewhere || !this.instance) return;
    for (const file of changed) {
      const name = file.replace(/\.(mdx|yaml)$/, '');
      const address = parseDocumentName(name);
      if ('refused' in address || address.path !== file || this.instance.documents.has(name)) continue;
      if (!(await this.config.isOpenElsewhere(name))) continue;
      // Loading it here merges the change (onLoadDocument), and Redis carries it to the others.
      const connection = await this.instance.openDirectConnection(name, { user: null, credential: null, address: 'serveur' } satisfies CollabContext);
      void connection.disconnect().catch((e) => this.log(`fermeture de ${name} : ${e}`));
      this.log(`commit extérieur fusionné dans ${name}, ouvert sur un autre serveur`);
    }
  }

  /**
   * Loads a file into a new document, converted in the validation thread (its garbage stays out of
   * this thread's heap); a file the editor cannot hold is refused with its lines.
   */
  private async loadIntoEditor(document: Y.Doc, text: string, address: EntryAddress): Promise<void> {
    let update: Uint8Array;
    try {
      update = await this.config.validator.loadEntry(address.collection, text);
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      throw { reason: `${address.path} ne peut pas s’ouvrir dans l’éditeur : ${error.problems.map(formatProblem).join(' ; ')}` };
    }
    Y.applyUpdate(document, update, BRIDGE_ORIGIN);
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


