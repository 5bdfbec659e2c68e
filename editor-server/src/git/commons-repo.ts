/**
 * The commons Git repository (DATA_DIR/commons): created from the seed content or cloned on
 * first start, then written only through `commitEntry`, which builds the new tree from HEAD's
 * tree (not from the index), so a commit never reverts files changed by someone else meanwhile.
 */
import { existsSync } from 'node:fs';
import * as nodeFs from 'node:fs';
import { cp, mkdir, readdir, writeFile, rename } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { parsePersonTrailers } from '../../../core/git-history.ts';

/** Who a commit is attributed to. */
export interface GitIdentity {
  name: string;
  email: string;
}

/** One commit of an entry's history. */
export interface HistoryItem {
  oid: string;
  date: string;
  message: string;
  author: { name: string };
  coAuthors: { name: string }[];
}

const cache = {};

let replacements = 0;

/**
 * node:fs for isomorphic-git, except that a file inside .git/ is replaced whole: written next to
 * the others, then renamed over the old one, as Git itself does. isomorphic-git rewrites refs and
 * the index in place, so a `git` reader could find no HEAD in the middle of a commit, and a crash
 * there would leave the commons without a branch. A crash's leftover is a file in .git/ itself,
 * which Git ignores.
 */
const fs = {
  ...nodeFs,
  promises: {
    ...nodeFs.promises,
    async writeFile(path: string, data: string | Uint8Array, options?: nodeFs.WriteFileOptions) {
      const gitDir = /^(.*[\\/]\.git)[\\/]/.exec(path)?.[1];
      if (!gitDir) return nodeFs.promises.writeFile(path, data, options);
      const next = join(gitDir, `terreau-${process.pid}-${++replacements}.tmp`);
      await nodeFs.promises.writeFile(next, data, options);
      // A missing folder fails the rename: isomorphic-git then creates it and writes again.
      await rename(next, path).catch(async (error: unknown) => {
        await nodeFs.promises.rm(next, { force: true });
        throw error;
      });
    },
  },
};

/** Creates the commons repository if missing: clone of `remote`, or first commit of `seedDir`. */
export async function ensureCommonsRepo(dir: string, seedDir: string, remote: string | undefined, committer: GitIdentity): Promise<void> {
  if (existsSync(join(dir, '.git'))) return;
  await mkdir(dirname(dir), { recursive: true });
  // Build in a sibling directory and rename, so a crash mid-way never leaves a half-made repo.
  const staging = `${dir}.creating-${process.pid}`;
  await nodeFs.promises.rm(staging, { recursive: true, force: true });
  if (remote) {
    await git.clone({ fs, http, dir: staging, url: remote, singleBranch: true });
  } else {
    await git.init({ fs, dir: staging, defaultBranch: 'main' });
    await cp(seedDir, staging, { recursive: true, filter: (source) => !source.split(sep).some((part) => part.startsWith('.') && part.length > 1) });
    for (const file of await listFiles(staging)) await git.add({ fs, dir: staging, filepath: file, cache });
    const identity = { ...committer, timestamp: Math.floor(Date.now() / 1000), timezoneOffset: 0 };
    await git.commit({ fs, dir: staging, message: 'Amorcer le commun à partir du contenu initial', author: identity, committer: identity, cache });
  }
  await rename(staging, dir);
}

/** The commit HEAD points to. */
export async function readHead(dir: string): Promise<string> {
  return git.resolveRef({ fs, dir, ref: 'HEAD' });
}

/** Text of a file at a commit, or undefined if the file does not exist there. */
export async function readFileAt(dir: string, commit: string, path: string): Promise<string | undefined> {
  try {
    const { blob } = await git.readBlob({ fs, dir, oid: commit, filepath: path, cache });
    return Buffer.from(blob).toString('utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'NotFoundError') return undefined;
    throw error;
  }
}

/**
 * Commits one file's new text on top of `parent`, updates the work tree, and returns the commit;
 * returns undefined, changing nothing, when HEAD is no longer `parent` (someone committed from
 * outside meanwhile: the caller merges that first, so that nothing of theirs is reverted).
 * `beforeRefUpdate` runs just before the branch moves: false leaves it (and returns undefined),
 * and it may refuse by throwing.
 */
export async function commitEntry(
  dir: string,
  parent: string,
  path: string,
  text: string,
  message: string,
  author: GitIdentity,
  committer: GitIdentity,
  beforeRefUpdate?: (commit: string, parent: string) => Promise<boolean>,
): Promise<string | undefined> {
  return commitFiles(dir, parent, [{ path, content: text }], message, author, committer, beforeRefUpdate);
}

/** A file to write in a commit: text (UTF-8) or bytes (an image). */
export interface FileToCommit {
  path: string;
  content: string | Uint8Array;
}

/** Commits several files at once on top of `parent`, as `commitEntry` does one. */
export async function commitFiles(
  dir: string,
  parent: string,
  files: readonly FileToCommit[],
  message: string,
  author: GitIdentity,
  committer: GitIdentity,
  beforeRefUpdate?: (commit: string, parent: string) => Promise<boolean>,
): Promise<string | undefined> {
  if ((await readHead(dir)) !== parent) return undefined;
  const { commit } = await git.readCommit({ fs, dir, oid: parent, cache });
  let tree = commit.tree;
  for (const file of files) {
    const blob = await git.writeBlob({ fs, dir, blob: toBytes(file.content) });
    tree = await replaceInTree(dir, tree, file.path.split('/'), blob);
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const oid = await git.commit({
    fs,
    dir,
    message,
    tree,
    parent: [parent],
    author: { ...author, timestamp, timezoneOffset: 0 },
    committer: { ...committer, timestamp, timezoneOffset: 0 },
    noUpdateBranch: true,
    cache,
  });
  // Move the branch only if HEAD is still the parent: the window left is the two calls below.
  const branch = await git.currentBranch({ fs, dir, fullname: true });
  if (!branch || (await readHead(dir)) !== parent) return undefined;
  // Several servers: the commit is pushed to the shared remote first, under the writer's fence;
  // false when the remote's branch moved meanwhile (the caller merges that first, as above).
  if (beforeRefUpdate && !(await beforeRefUpdate(oid, parent))) return undefined;
  await git.writeRef({ fs, dir, ref: branch, value: oid, force: true });
  // The site is built from the work tree: write it atomically, then refresh the index entry.
  for (const { path, content } of files) {
    const file = join(dir, ...path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(`${file}.tmp`, toBytes(content));
    await rename(`${file}.tmp`, file);
    await git.add({ fs, dir, filepath: path, cache });
  }
  return oid;
}

function toBytes(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

/** Whether a file exists at a commit (without reading it as text). */
export async function fileExistsAt(dir: string, commit: string, path: string): Promise<boolean> {
  try {
    await git.readBlob({ fs, dir, oid: commit, filepath: path, cache });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'NotFoundError') return false;
    throw error;
  }
}

/** Paths of entry files that differ between two commits. */
export async function changedFiles(dir: string, from: string, to: string): Promise<string[]> {
  const changed: string[] = [];
  await git.walk({
    fs,
    dir,
    cache,
    trees: [git.TREE({ ref: from }), git.TREE({ ref: to })],
    map: async (filepath, [a, b]) => {
      if (filepath === '.') return true;
      const [typeA, typeB] = [await a?.type(), await b?.type()];
      if (typeA === 'tree' || typeB === 'tree') return (await a?.oid()) !== (await b?.oid());
      if ((await a?.oid()) !== (await b?.oid())) changed.push(filepath);
      return false;
    },
  });
  return changed;
}

/** History of one file, newest first, with co-authors read from the commit trailers. */
export async function fileHistory(dir: string, path: string, depth = 200): Promise<HistoryItem[]> {
  let commits;
  try {
    commits = await git.log({ fs, dir, filepath: path, depth, cache, force: true });
  } catch (error) {
    if ((error as { code?: string }).code === 'NotFoundError') return [];
    throw error;
  }
  return commits.map(({ oid, commit }) => ({
    oid,
    date: new Date(commit.author.timestamp * 1000).toISOString(),
    message: commit.message.split('\n')[0] ?? '',
    author: { name: commit.author.name },
    coAuthors: parsePersonTrailers(commit.message, 'Co-authored-by').map(({ name }) => ({ name })),
  }));
}

/** Makes a repository's work tree match HEAD for the given paths (after a commit from outside). */
export async function checkoutPaths(dir: string, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  await git.checkout({ fs, dir, filepaths: paths, force: true, cache });
}

async function replaceInTree(dir: string, treeOid: string, parts: string[], blobOid: string): Promise<string> {
  const [name, ...rest] = parts as [string, ...string[]];
  const { tree } = await git.readTree({ fs, dir, oid: treeOid, cache });
  const entries = tree.filter((e) => e.path !== name);
  const existing = tree.find((e) => e.path === name);
  if (rest.length === 0) {
    entries.push({ mode: '100644', path: name, oid: blobOid, type: 'blob' });
  } else {
    const subtree = existing?.type === 'tree' ? existing.oid : await git.writeTree({ fs, dir, tree: [] });
    entries.push({ mode: '040000', path: name, oid: await replaceInTree(dir, subtree, rest, blobOid), type: 'tree' });
  }
  return git.writeTree({ fs, dir, tree: entries });
}

async function listFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.push(relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
  }
  return files.filter((f) => !f.startsWith('.git/')).sort();
}
