/**
 * From a live document to a commit: the document is captured at one instant (text, state,
 * editors since the last commit, journal watermark), validated, and committed with the main
 * editor as author, every other editor as `Co-authored-by:`, and the server as committer.
 * Invalid content is not committed; editors get the problems through the status protocol, and
 * the journal keeps the edits. A commit from outside landing meanwhile is merged first, then the
 * document is serialized again, so nothing of theirs is reverted.
 *
 * The capture first brings into the document every update its pending editors journaled: with
 * several servers, some were received by another server and may not have reached this one yet
 * (nor, with one, been applied yet), and an editor is credited only for what the commit holds.
 *
 * The statut follows the editorial workflow (documents/statut-rules.ts): a « validé » that the
 * editors may not set is put back in the document before the text is taken, the reason goes to
 * the editors, and the rest of the edit is committed; a validation names its reviewers in
 * `Reviewed-by:`.
 */
import * as Y from 'yjs';
import { FRONTMATTER_FIELD, readField, serializeDocToEntry, textFieldsOf, writeField } from '../../../core/bridge/mdx-yjs.ts';
import { readEntry } from '../../../core/content-files.ts';
import type { EntryAddress } from '../../../core/document-name.ts';
import type { Problem } from '../../../core/problem.ts';
import { collections } from '../../../schemas/collections.ts';
import type { Accounts } from '../accounts/accounts.ts';
import { mayDo } from '../../../schemas/roles.ts';
import type { GitConfig } from '../config.ts';
import type { StatusBoard } from '../documents/status.ts';
import { decideStatut } from '../documents/statut-rules.ts';
import type { SitePublisher } from '../publish/site-publisher.ts';
import type { DocumentStore, PendingEditor, StoredDocument } from '../storage/document-store.ts';
import type { EntryValidator } from '../validation/entry-validator.ts';
import { commitEntry, readFileAt, readHead, type BeforeRefUpdate, type GitIdentity } from './commons-repo.ts';
import { serverOrigin, unabsorbedBase, type OutsideCommits } from './outside-commits.ts';

/** What a commit is made of, captured from a document at one instant. */
export interface CapturedDocument {
  text: string;
  state: Uint8Array;
  editorIds: string[];
  /** The pending editors as read, whose updates are all in `state` (forgotten once committed). */
  editors: PendingEditor[];
  /** Editors who validate the entry with this commit (`Reviewed-by:`); empty when it is no validation. */
  reviewerIds: string[];
  /** What the server did not keep of the edit (a statut the editors may not set), and why. */
  refused: Problem[];
}

/** Result of one commit attempt. */
export type CommitOutcome = { state: 'committed'; commit: string } | { state: 'unchanged' } | { state: 'invalid' } | { state: 'nothing' } | { state: 'error' };

/** What `CommitPipeline` works with. */
export interface CommitPipelineConfig {
  repoDir: string;
  git: GitConfig;
  store: DocumentStore;
  accounts: Accounts;
  status: StatusBoard;
  publisher: SitePublisher;
  validator: EntryValidator;
  outside: OutsideCommits;
  /** Readers owed a credit on an entry (their proposal was integrated): co-authors of its next commit. */
  readerCredits?: { owed(document: string): Promise<{ id: string; name: string }[]>; given(ids: readonly string[]): Promise<void> };
  /** The live document of a name, if it is loaded. */
  findDocument: (name: string) => Y.Doc | undefined;
  /**
   * Called with a new commit before the branch moves to it; false when the branch moved meanwhile
   * (try again), throws `FencedError` when this server may no longer move it (several servers: it
   * pushes the commit, fenced, to the remote).
   */
  beforeRefUpdate?: BeforeRefUpdate;
  log: (message: string) => void;
  /** Called once a commit has moved HEAD. */
  headMoved: () => void;
}

/** How many times a commit is tried again when HEAD moves from outside during the attempt. */
const MAX_ATTEMPTS = 5;

/** Captures, validates and commits documents. `commit` must run in the Git queue. */
export class CommitPipeline {
  private readonly config: CommitPipelineConfig;

  constructor(config: CommitPipelineConfig) {
    this.config = config;
  }

  /** A document's text, state and pending editors, with every update they journaled applied first. */
  async capture(address: EntryAddress, document: Y.Doc): Promise<CapturedDocument | 'nothing' | 'invalid'> {
    const editors = await this.config.store.pendingEditors(address.name);
    if (editors.length === 0) return 'nothing';
    // Read after the editors: it holds every update they had journaled when they were read.
    applyStored(document, await this.config.store.load(address.name));
    const editorIds = editors.map((e) => e.userId);
    const { reviewerIds, refused } = await this.applyStatutRules(address, document, editorIds);
    const state = Y.encodeStateAsUpdate(document);
    try {
      return { text: serializeDocToEntry(document, address.collection), state, editorIds, editors, reviewerIds, refused };
    } catch (error) {
      this.config.status.set(address.name, 'invalid', {
        problems: [{ file: address.path, line: 1, field: 'document', message: `contenu impossible à convertir : ${String((error as Error).message ?? error)}` }],
      });
      return 'invalid';
    }
  }

  /**
   * Puts back a statut the editors may not set (in the document itself, so every editor sees it
   * and the journal's next load agrees), and tells who validates.
   */
  private async applyStatutRules(address: EntryAddress, document: Y.Doc, editorIds: string[]): Promise<{ reviewerIds: string[]; refused: Problem[] }> {
    if (collections[address.collection].format !== 'mdx') return { reviewerIds: [], refused: [] };
    const frontmatter = document.getMap(FRONTMATTER_FIELD);
    const baseText = (await this.config.store.baseOf(address.name))?.text;
    const baseData = baseText ? (readEntry(address.path, baseText).data as { statut?: unknown } | undefined) : undefined;
    const byReviewers = (await Promise.all(editorIds.map((id) => this.mayValidate(id)))).every(Boolean);
    const decision = decideStatut({
      statut: readField(frontmatter, 'statut'),
      baseStatut: typeof baseData?.statut === 'string' ? baseData.statut : undefined,
      byReviewers,
      file: address.path,
    });
    if (decision.revertTo !== undefined) {
      const revertTo = decision.revertTo;
      // readField/writeField: the statut is a vocabulary code, plain JSON, but goes through the one way data fields are written.
      document.transact(() => (revertTo === null ? frontmatter.delete('statut') : writeField(frontmatter, 'statut', revertTo, textFieldsOf(address.collection))), serverOrigin);
      // The server's own change: stored at once, since the journal holds client updates only.
      await this.config.store.saveSnapshot(address.name, document);
      this.config.log(`statut de ${address.name} remis à « ${revertTo ?? 'brouillon'} »`);
    }
    return { reviewerIds: decision.validates ? editorIds : [], refused: decision.problem ? [decision.problem] : [] };
  }

  /** Whether an account may validate entries now (the role matrix's « validation », and not disabled). */
  private async mayValidate(userId: string): Promise<boolean> {
    const user = await this.config.accounts.findById(userId);
    return !!user && !user.disabled && mayDo(user.role, 'validation');
  }

  /** Commits a captured document on the current HEAD (merging outside commits first). */
  async commit(address: EntryAddress, captured: CapturedDocument): Promise<CommitOutcome> {
    const { repoDir, outside } = this.config;
    // Each pass: merge what was committed from outside since we last looked, then commit on top
    // of exactly that HEAD; a commit from outside landing in between makes the pass start again.
    for (let attempt = 1; ; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error('HEAD déplacé de l’extérieur pendant chaque essai de commit');
      const head = await readHead(repoDir);
      if (head !== outside.knownHead) {
        const changed = await outside.absorb();
        if (changed.includes(address.path)) {
          // The text was serialized before that outside change was merged: committing it would
          // revert it. Serialize again from the document that now holds both.
          const live = this.config.findDocument(address.name);
          const again = await this.capture(address, live ?? (await this.rebuildFromStore(address, outside.knownHead!)));
          if (typeof again === 'string') return { state: again };
          captured = again;
        }
        continue;
      }
      const { text, editorIds } = captured;
      const current = await readFileAt(repoDir, head, address.path);
      const base = current === undefined || current === text ? undefined : await unabsorbedBase(this.config.store, address.name, current);
      if (base) {
        // The file changed in Git and this document never took that change in (committed by a
        // writer that stopped before merging it): merge it now rather than revert it.
        const live = this.config.findDocument(address.name);
        if (live) await this.config.outside.merge(live, base.state, current!, address);
        const again = await this.capture(address, live ?? (await this.rebuildFromStore(address, head)));
        if (typeof again === 'string') return { state: again };
        captured = again;
        continue;
      }
      if (current === text) {
        await this.markCommitted(address, captured, head);
        return { state: 'unchanged' };
      }
      const problems = await this.config.validator.validate(address.collection, address.slug, text);
      if (problems.length > 0) {
        this.config.status.set(address.name, 'invalid', { problems, ...(captured.refused.length ? { refused: captured.refused } : {}) });
        return { state: 'invalid' };
      }
      const readers = (await this.config.readerCredits?.owed(address.name)) ?? [];
      const [author, ...coAuthors] = [...(await Promise.all(editorIds.map((id) => this.identityOf(id)))), ...readers.map((reader) => readerIdentity(reader, this.config.git))];
      const reviewers = await Promise.all(captured.reviewerIds.map((id) => this.identityOf(id)));
      const trailers = [
        ...coAuthors.map((c) => `Co-authored-by: ${c.name} <${c.email}>`),
        ...reviewers.map((r) => `Reviewed-by: ${r.name} <${r.email}>`),
      ];
      const message = [
        `${current === undefined ? 'Créer' : reviewers.length ? 'Valider' : 'Modifier'} ${address.name} depuis l’éditeur`,
        ...(trailers.length ? ['', ...trailers] : []),
        '',
      ].join('\n');
      await this.config.store.setCommitting(address.name, text, captured.state);
      const commit = await commitEntry(repoDir, head, address.path, text, message, author!, this.config.git.committer, this.config.beforeRefUpdate);
      if (!commit) continue;
      outside.knownHead = commit;
      if (readers.length) await this.config.readerCredits!.given(readers.map((reader) => reader.id));
      this.config.validator.update(address.path, text);
      await this.markCommitted(address, captured, commit);
      this.config.log(`commit ${commit.slice(0, 8)} ${address.name} par ${[author, ...coAuthors].map((a) => a!.name).join(', ')}`);
      this.config.headMoved();
      this.publish(address, commit);
      return { state: 'committed', commit };
    }
  }

  /** The file now holds the captured text: it is the document's new base, and its editors are credited. */
  private async markCommitted(address: EntryAddress, { text, state, editors, refused }: CapturedDocument, commit: string): Promise<void> {
    await this.config.store.setBase(address.name, text, state);
    await this.config.store.clearPendingEditors(address.name, editors);
    this.config.status.set(address.name, 'saved', { commit, ...(refused.length ? { refused } : {}) });
  }

  /** « publié » once the pages are out, « indexé pour la recherche » once search has them (if nothing newer was saved meanwhile). */
  private publish(address: EntryAddress, commit: string): void {
    const { published, indexed } = this.config.publisher.publish();
    const report = (state: 'published' | 'indexed') => () => {
      const saved = this.config.status.get(address.name);
      // Still the status of this commit: say so, and still what was refused in it.
      if (saved?.commit === commit) this.config.status.set(address.name, state, { commit, ...(saved.refused ? { refused: saved.refused } : {}) });
    };
    published.then(report('published'), (error) => this.config.log(`publication : ${error}`));
    // Reported after « publié », even when both settle at once (a full build).
    void Promise.all([published, indexed]).then(report('indexed'), () => undefined);
  }

  /**
   * A document that is no longer loaded, rebuilt from its snapshot and journal, with the file's
   * text at HEAD merged in and stored (as loading it would do).
   */
  private async rebuildFromStore(address: EntryAddress, head: string): Promise<Y.Doc> {
    const theirs = await readFileAt(this.config.repoDir, head, address.path);
    const document = new Y.Doc();
    applyStored(document, await this.config.store.load(address.name));
    const base = theirs === undefined ? undefined : await unabsorbedBase(this.config.store, address.name, theirs);
    if (base) await this.config.outside.merge(document, base.state, theirs!, address);
    return document;
  }

  private identityOf(userId: string): Promise<GitIdentity> {
    return authorIdentity(this.config.accounts, this.config.git, userId);
  }
}

/** Applies a stored snapshot and journal to a document (what it holds already changes nothing). */
function applyStored(document: Y.Doc, stored: StoredDocument): void {
  Y.transact(
    document,
    () => {
      if (stored.state) Y.applyUpdate(document, stored.state);
      for (const update of stored.updates) {
        try {
          Y.applyUpdate(document, update);
        } catch {
          // Undecodable: refused before it was journaled; nothing to bring in.
        }
      }
    },
    serverOrigin,
  );
}

/** The Git identity of a reader credited for a contribution sent through the site's forms. */
export function readerIdentity(reader: { id: string; name: string }, git: GitConfig): { name: string; email: string } {
  return { name: reader.name, email: `lecteur-${reader.id}@${git.authorEmailDomain}` };
}

/** How an account signs the commits it authors: its name, and a pseudonymous address. */
export async function authorIdentity(accounts: Accounts, git: GitConfig, userId: string): Promise<GitIdentity> {
  const user = await accounts.findById(userId);
  return { name: user?.name ?? 'Contributeur supprimé', email: `${userId}@${git.authorEmailDomain}` };
}
