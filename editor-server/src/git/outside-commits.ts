/**
 * Commits that reach the commons from outside the editor (a `git` user, a fetch from a remote):
 * HEAD is compared with the last HEAD the server knew, the work tree is brought up to date, and
 * every changed file is merged into its live document. The bridge replays the outside change as a
 * Yjs diff from the document state that matched the old text, so the CRDT keeps the edits made
 * since and nothing is duplicated. Documents that are not loaded are merged when next loaded.
 */
import type { Document } from '@hocuspocus/server';
import type * as Y from 'yjs';
import { applyEntryToDoc, mergeExternalEntry } from '../../../core/bridge/mdx-yjs.ts';
import { parseDocumentName, type EntryAddress } from '../../../core/document-name.ts';
import type { SitePublisher } from '../publish/site-publisher.ts';
import type { DocumentStore } from '../storage/document-store.ts';
import type { EntryValidator } from '../validation/entry-validator.ts';
import { changedFiles, checkoutPaths, readFileAt, readHead } from './commons-repo.ts';

/** Transaction origin of changes the server makes itself (seed, outside merges). */
export const serverOrigin = { source: 'local' as const, skipStoreHooks: false, context: { user: null } };

/** What `OutsideCommits` works with. */
export interface OutsideCommitsConfig {
  repoDir: string;
  store: DocumentStore;
  validator: EntryValidator;
  publisher: SitePublisher;
  /** The live document of a name, if it is loaded. */
  findDocument: (name: string) => Document | undefined;
  log: (message: string) => void;
  /** Called once HEAD is seen to have moved. */
  headMoved: () => void;
}

/** Tracks HEAD and merges what others committed into live documents. Call it through the Git queue. */
export class OutsideCommits {
  /** The HEAD every live document has absorbed. */
  knownHead: string | undefined;

  private readonly config: OutsideCommitsConfig;

  constructor(config: OutsideCommitsConfig) {
    this.config = config;
  }

  /** Starts from the current HEAD. */
  async start(): Promise<void> {
    this.knownHead = await readHead(this.config.repoDir);
  }

  /** Merges commits made since `knownHead` into live documents; returns the files they changed. */
  async absorb(): Promise<string[]> {
    const { repoDir, store, validator } = this.config;
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
      validator.update(file, theirs);
      const live = this.config.findDocument(name);
      if (!live) continue; // merged when next loaded, from its stored base text
      const stored = store.load(name);
      if (theirs === undefined || theirs === stored.baseText) continue;
      this.merge(live, stored.baseState, theirs, address);
      this.config.log(`commit extérieur fusionné dans ${name}`);
    }
    this.config.log(`HEAD déplacé de l’extérieur : ${previous.slice(0, 8)} → ${head.slice(0, 8)}`);
    this.config.headMoved();
    void this.config.publisher.publish().published.catch((error) => this.config.log(`publication : ${error}`));
    return files;
  }

  /** Merges a file's new text into a document, from the state that matched its base text, and stores the result. */
  merge(document: Y.Doc, baseState: Uint8Array | undefined, text: string, address: EntryAddress): void {
    if (baseState) mergeExternalEntry(document, baseState, text, address.collection, serverOrigin);
    else applyEntryToDoc(document, text, address.collection, serverOrigin);
    // The merge is the server's own change: stored at once, since the journal holds client updates only.
    this.config.store.saveSnapshot(address.name, document, { text });
  }
}
