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
import { commitFiles, readBlobOid, readFileAt, readHead, type FileToCommit, type GitIdentity } from '../git/commons-repo.ts';
import { OutsideCommits } from '../git/outside-commits.ts';
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
  /** Called whenever HEAD moves (a commit, an outside commit absorbed, a merge). */
  headMoved?: () => void;
}

/** Hocuspocus extension: Git seed, idle/departure commits, outside merges, publish. */
export class GitSync implements Extension {
  extensionName = 'GitSync';
  priority = 300;
  private readonly queue = new SerialQueue();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  private readonly outside: OutsideCommits;
  private readonly pipeline: CommitPipeline;
  private poller: NodeJS.Timeout | undefined;
  private instance: Hocuspocus | undefined;
  private stopped = false;

  private readonly config: GitSyncConfig;

  constructor(config: GitSyncConfig) {
    this.config = config;
    const findDocument = (name: string) => this.instance?.documents.get(name);
    const log = (message: string) => this.log(message);
    const headMoved = () => this.config.headMoved?.();
    this.outside = new OutsideCommits({ ...config, findDocument, log, headMoved });
    this.pipeline = new CommitPipeline({ ...config, outside: this.outside, findDocument, log, headMoved });
  }

  /** Knows HEAD, starts polling it, and commits what a previous run left uncommitted. */
  async onConfigure({ instance }: onConfigurePayload): Promise<void> {
    this.instance = instance;
    await this.queue.run(() => this.outside.start());
    if (this.stopped) return;
    this.poller = setInterval(() => void this.queue.run(() => this.outside.absorb()).catch((e) => this.log(`HEAD : ${e}`)), this.config.git.headPollMs);
    this.poller.unref();
    void this.commitLeftovers().catch((e) => this.log(`reprise : ${e}`));
  }

  /** Stops timers; pending work in the queue finishes. */
  async onDestroy(): Promise<void> {
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

  /**
   * Runs a task that writes the commons in the single writer's queue; whatever it changed at HEAD
   * is merged into live documents before it resolves.
   */
  write<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      const result = await task();
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
    for (const name of this.config.store.documentsWithPendingEdits()) {
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
      const head = await readHead(this.config.repoDir);
      const text = (await readFileAt(this.config.repoDir, head, address.path)) ?? null;
      const stored = this.config.store.load(documentName);
      if (stored.state === undefined) {
        if (text === null && connectionConfig.readOnly) throw { reason: `entrée introuvable : ${documentName}` };
        if (text !== null) await this.loadIntoEditor(document, text, address);
        this.config.store.saveSnapshot(documentName, document, { text });
      } else if (text !== null && text !== stored.baseText) {
        this.outside.merge(document, stored.baseState, text, address);
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
    const captured = this.pipeline.capture(address, document);
    if (typeof captured === 'string') return Promise.resolve({ state: captured });
    return this.queue
      .run(() => this.pipeline.commit(address, captured))
      .catch((error) => {
        this.log(`commit de ${documentName} : ${error?.stack ?? error}`);
        this.config.status.set(documentName, 'error');
        return { state: 'nothing' } as const;
      });
  }

  /**
   * Commits a new entry written outside the editor (a reader's experience a moderator accepted)
   * through the one Git queue, authored by `author`; refuses if the file exists. Publishes after.
   */
  async commitNewEntry(address: EntryAddress, text: string, author: GitIdentity, message: string): Promise<string> {
    const { commit } = await this.commitOnTop([{ path: address.path, content: text }], message, author, 'refuse');
    void this.config.publisher.publish().published.catch((error) => this.log(`publication : ${error}`));
    return commit;
  }

  /**
   * Commits files that are not documents (an uploaded image and its credits) through the same
   * queue, authored by `userId`. When the first file is already there (the same image uploaded
   * again), nothing is committed.
   */
  commitFiles(files: readonly FileToCommit[], message: string, userId: string): Promise<{ commit: string; created: boolean }> {
    const { git, accounts } = this.config;
    return this.commitOnTop(files, message, authorIdentity(accounts, git, userId), 'skip');
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
        const commit = await commitFiles(repoDir, head, files, message, author, git.committer);
        if (!commit) continue;
        this.outside.knownHead = commit;
        for (const file of files) validator.update(file.path, typeof file.content === 'string' ? file.content : '');
        this.log(`commit ${commit.slice(0, 8)} ${files.map((f) => f.path).join(', ')} par ${author.name}`);
        return { commit, created: true };
      }
      throw new Error('HEAD déplacé de l’extérieur pendant chaque essai de commit');
    });
  }

  /** Commits documents whose edits were journaled but never committed (crash, shutdown). */
  private async commitLeftovers(): Promise<void> {
    for (const name of this.config.store.documentsWithPendingEdits()) {
      if (this.stopped || !this.instance || 'refused' in parseDocumentName(name)) continue;
      const connection = await this.instance.openDirectConnection(name, { user: null, credential: null, address: 'serveur' } satisfies CollabContext);
      try {
        if (connection.document) await this.commitDocument(name, connection.document);
      } finally {
        await connection.disconnect();
      }
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


