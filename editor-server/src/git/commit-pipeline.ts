/**
 * From a live document to a commit: the document is captured at one instant (text, state,
 * editors since the last commit, journal watermark), validated, and committed with the main
 * editor as author, every other editor as `Co-authored-by:`, and the server as committer.
 * Invalid content is not committed; editors get the problems through the status protocol, and
 * the journal keeps the edits. A commit from outside landing meanwhile is merged first, then the
 * document is serialized again, so nothing of theirs is reverted.
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
import type { DocumentStore } from '../storage/document-store.ts';
import type { EntryValidator } from '../validation/entry-validator.ts';
import { commitEntry, readFileAt, readHead, type GitIdentity } from './commons-repo.ts';
import { serverOrigin, type OutsideCommits } from './outside-commits.ts';

/** What a commit is made of, captured from a document at one instant. */
export interface CapturedDocument {
  text: string;
  state: Uint8Array;
  editorIds: string[];
  /** Journal id up to which the editors' updates are in `state`. */
  watermark: number;
  /** Editors who validate the entry with this commit (`Reviewed-by:`); empty when it is no validation. */
  reviewerIds: string[];
  /** What the server did not keep of the edit (a statut the editors may not set), and why. */
  refused: Problem[];
}

/** Result of one commit attempt. */
export type CommitOutcome = { state: 'committed'; commit: string } | { state: 'unchanged' } | { state: 'invalid' } | { state: 'nothing' };

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

  /** A document's text, state, pending editors and journal watermark, read at one instant. */
  capture(address: EntryAddress, document: Y.Doc): CapturedDocument | 'nothing' | 'invalid' {
    const editors = this.config.store.pendingEditors(address.name);
    if (editors.length === 0) return 'nothing';
    const editorIds = editors.map((e) => e.userId);
    const { reviewerIds, refused } = this.applyStatutRules(address, document, editorIds);
    const watermark = this.config.store.lastJournalId();
    const state = Y.encodeStateAsUpdate(document);
    try {
      return { text: serializeDocToEntry(document, address.collection), state, editorIds, watermark, reviewerIds, refused };
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
  private applyStatutRules(address: EntryAddress, document: Y.Doc, editorIds: string[]): { reviewerIds: string[]; refused: Problem[] } {
    if (collections[address.collection].format !== 'mdx') return { reviewerIds: [], refused: [] };
    const frontmatter = document.getMap(FRONTMATTER_FIELD);
    const baseText = this.config.store.baseTextOf(address.name);
    const baseData = baseText ? (readEntry(address.path, baseText).data as { statut?: unknown } | undefined) : undefined;
    const decision = decideStatut({
      statut: readField(frontmatter, 'statut'),
      baseStatut: typeof baseData?.statut === 'string' ? baseData.statut : undefined,
      byReviewers: editorIds.every((id) => this.mayValidate(id)),
      file: address.path,
    });
    if (decision.revertTo !== undefined) {
      const revertTo = decision.revertTo;
      // readField/writeField: the statut is a vocabulary code, plain JSON, but goes through the one way data fields are written.
      document.transact(() => (revertTo === null ? frontmatter.delete('statut') : writeField(frontmatter, 'statut', revertTo, textFieldsOf(address.collection))), serverOrigin);
      // The server's own change: stored at once, since the journal holds client updates only.
      this.config.store.saveSnapshot(address.name, document);
      this.config.log(`statut de ${address.name} remis à « ${revertTo ?? 'brouillon'} »`);
    }
    return { reviewerIds: decision.validates ? editorIds : [], refused: decision.problem ? [decision.problem] : [] };
  }

  /** Whether an account may validate entries now (the role matrix's « validation », and not disabled). */
  private mayValidate(userId: string): boolean {
    const user = this.config.accounts.findById(userId);
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
          const again = this.capture(address, live ?? (await this.rebuildFromStore(address, outside.knownHead!)));
          if (typeof again === 'string') return { state: again };
          captured = again;
        }
        continue;
      }
      const { text, state, editorIds, watermark } = captured;
      const current = await readFileAt(repoDir, head, address.path);
      if (current === text) {
        this.markCommitted(address, captured, head);
        return { state: 'unchanged' };
      }
      const problems = await this.config.validator.validate(address.collection, address.slug, text);
      if (problems.length > 0) {
        this.config.status.set(address.name, 'invalid', { problems, ...(captured.refused.length ? { refused: captured.refused } : {}) });
        return { state: 'invalid' };
      }
      const readers = (await this.config.readerCredits?.owed(address.name)) ?? [];
      const [author, ...coAuthors] = [...editorIds.map((id) => this.identityOf(id)), ...readers.map((reader) => readerIdentity(reader, this.config.git))];
      const reviewers = captured.reviewerIds.map((id) => this.identityOf(id));
      const trailers = [
        ...coAuthors.map((c) => `Co-authored-by: ${c.name} <${c.email}>`),
        ...reviewers.map((r) => `Reviewed-by: ${r.name} <${r.email}>`),
      ];
      const message = [
        `${current === undefined ? 'Créer' : reviewers.length ? 'Valider' : 'Modifier'} ${address.name} depuis l’éditeur`,
        ...(trailers.length ? ['', ...trailers] : []),
        '',
      ].join('\n');
      const commit = await commitEntry(repoDir, head, address.path, text, message, author!, this.config.git.committer);
      if (!commit) continue;
      outside.knownHead = commit;
      if (readers.length) await this.config.readerCredits!.given(readers.map((reader) => reader.id));
      this.config.validator.update(address.path, text);
      this.markCommitted(address, captured, commit);
      this.config.log(`commit ${commit.slice(0, 8)} ${address.name} par ${[author, ...coAuthors].map((a) => a!.name).join(', ')}`);
      this.config.headMoved();
      this.publish(address, commit);
      return { state: 'committed', commit };
    }
  }

  /** The file now holds the captured text: it is the document's new base, and its editors are credited. */
  private markCommitted(address: EntryAddress, { text, state, watermark, refused }: CapturedDocument, commit: string): void {
    this.config.store.setBase(address.name, text, state);
    this.config.store.clearPendingEditors(address.name, watermark);
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
    const stored = this.config.store.load(address.name);
    if (stored.state) Y.applyUpdate(document, stored.state);
    for (const update of stored.updates) Y.applyUpdate(document, update);
    if (theirs !== undefined && theirs !== stored.baseText) this.config.outside.merge(document, stored.baseState, theirs, address);
    return document;
  }

  private identityOf(userId: string): GitIdentity {
    return authorIdentity(this.config.accounts, this.config.git, userId);
  }
}

/** The Git identity of a reader credited for a contribution sent through the site's forms. */
export function readerIdentity(reader: { id: string; name: string }, git: GitConfig): { name: string; email: string } {
  return { name: reader.name, email: `lecteur-${reader.id}@${git.authorEmailDomain}` };
}

/** How an account signs the commits it authors: its name, and a pseudonymous address. */
export function authorIdentity(accounts: Accounts, git: GitConfig, userId: string): GitIdentity {
  const user = accounts.findById(userId);
  return { name: user?.name ?? 'Contributeur supprimé', email: `${userId}@${git.authorEmailDomain}` };
}
