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

  /**
   * Merges commits made since `knownHead` into live documents, and republishes; returns the files
   * they changed. Without `asWriter` (a server of several that does not write Git), only the work
   * tree and the validator follow: the writer merges, once, for every server.
   */
  async absorb(asWriter = true): Promise<string[]> {
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
      if (!asWriter) continue;
      const live = this.config.findDocument(name);
      if (!live || theirs === undefined) continue; // merged when next loaded, from its stored base text
      const base = await unabsorbedBase(store, name, theirs);
      if (!base) continue;
      await this.merge(live, base.state, theirs, address);
      this.config.log(`commit extérieur fusionné dans ${name}`);
    }
    if (!asWriter) return files;
    this.config.log(`HEAD déplacé de l’extérieur : ${previous.slice(0, 8)} → ${head.slice(0, 8)}`);
    this.config.headMoved();
    void this.config.publisher.publish().published.catch((error) => this.config.log(`publication : ${error}`));
    return files;
  }

  /** Merges a file's new text into a document, from the state that matched its base text, and stores the result. */
  async merge(document: Y.Doc, baseState: Uint8Array | undefined, text: string, address: EntryAddress): Promise<void> {
    if (baseState) mergeExternalEntry(document, baseState, text, address.collection, serverOrigin);
    else applyEntryToDoc(document, text, address.collection, serverOrigin);
    // The merge is the server's own change: stored at once, since the journal holds client updates only.
    await this.config.store.saveSnapshot(address.name, document, { text });
  }
}

/**
 * The base state a document must take its Git file's `headText` in from, or undefined when it
 * holds that text already: it is its base, or its own commit whose bookkeeping a stop interrupted
 * (then recorded as its base now, rather than merged in a second time).
 */
export async function unabsorbedBase(store: DocumentStore, name: string, headText: string): Promise<{ state: Uint8Array | undefined } | undefined> {
  const base = await store.baseOf(name);
  if (!base || base.text === headText) return undefined;
  if (base.committingText === headText && base.committingState) {
    await store.setBase(name, headText, base.committingState);
    return undefined;
  }
  return { state: base.state };
}
