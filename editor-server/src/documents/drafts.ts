/**
 * The brouillons of the commons, for the editor's list of drafts: entries whose statut in Git is
 * `brouillon` (or that name no statut: the schemas' default), and new entries that exist only in
 * the editor so far (never committed, e.g. still invalid). Brouillons are never public; this list
 * is for contributors only.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as Y from 'yjs';
import { FRONTMATTER_FIELD, readField } from '../../../core/bridge/mdx-yjs.ts';
import { readEntry } from '../../../core/content-files.ts';
import { parseDocumentName } from '../../../core/document-name.ts';
import { isPublicEntry } from '../../../core/editorial-status.ts';
import { mdxCollections } from '../../../schemas/common.ts';
import type { DocumentStore } from '../storage/document-store.ts';

const run = promisify(execFile);

/** One draft, as the editor lists it. */
export interface Draft {
  /** Document name, `collection/slug`. */
  doc: string;
  titre: string;
  /** Whether the draft is in the commons repository yet (false: only in the editor). */
  committed: boolean;
  /** Last change of the file (ISO date), when committed. */
  modifiedAt?: string;
}

/** Most drafts listed at once. */
const MAX_DRAFTS = 500;

/** Lists the drafts of the commons at `repoDir`, newest first, then those only in the editor. */
export async function listDrafts(repoDir: string, store: DocumentStore): Promise<Draft[]> {
  const pathspecs = mdxCollections.map((collection) => `${collection}/*.mdx`);
  // Two greps over HEAD: files whose statut is brouillon, and files that name no statut at all.
  const grep = async (args: string[]) => {
    const { stdout } = await run('git', ['-C', repoDir, 'grep', '-I', ...args, 'HEAD', '--', ...pathspecs], { maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { code?: number; stdout?: string }) => (error.code === 1 ? { stdout: '' } : Promise.reject(error)),
    );
    return stdout.split('\n').filter(Boolean).map((line) => line.replace(/^HEAD:/, ''));
  };
  const files = [...new Set([...(await grep(['-l', '-E', '^statut:[[:space:]]*["\']?brouillon'])), ...(await grep(['-L', '-E', '^statut:']))])];
  const drafts: Draft[] = [];
  for (const file of files.slice(0, MAX_DRAFTS)) {
    const path = join(repoDir, ...file.split('/'));
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const data = readEntry(file, text).data as { titre?: unknown; statut?: string } | undefined;
    if (data && isPublicEntry(data)) continue;
    const modified = await stat(path).catch(() => undefined);
    drafts.push({
      doc: file.replace(/\.mdx$/, ''),
      titre: typeof data?.titre === 'string' ? data.titre : file,
      committed: true,
      ...(modified ? { modifiedAt: modified.mtime.toISOString() } : {}),
    });
  }
  drafts.sort((a, b) => (b.modifiedAt ?? '').localeCompare(a.modifiedAt ?? ''));
  for (const name of await store.storedDocuments()) {
    const address = parseDocumentName(name);
    if ('refused' in address || !(mdxCollections as readonly string[]).includes(address.collection)) continue;
    if ((await store.baseOf(name))?.text !== null || (await store.pendingEditors(name)).length === 0) continue;
    const stored = await store.load(name);
    const doc = new Y.Doc();
    try {
      if (stored.state) Y.applyUpdate(doc, stored.state);
      for (const update of stored.updates) Y.applyUpdate(doc, update);
      // A free-text field is a Y.Text: read it as its string.
      const titre = readField(doc.getMap(FRONTMATTER_FIELD), 'titre');
      drafts.push({ doc: name, titre: typeof titre === 'string' && titre ? titre : name, committed: false });
    } finally {
      doc.destroy();
    }
  }
  return drafts;
}
