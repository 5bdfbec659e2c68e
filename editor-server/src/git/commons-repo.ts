/**
 * The commons Git repository (DATA_DIR/commons): created from the seed content or cloned on
 * first start (by Git itself, which speaks every forge's HTTP), then written only through
 * `commitEntry` and `commitMerge`, which build the new tree from HEAD's tree (not from the
 * index), so a commit never reverts files changed by someone else meanwhile.
 */
import { existsSync } from 'node:fs';
import * as nodeFs from 'node:fs';
import { cp, mkdir, readdir, writeFile, rename } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import git from 'isomorphic-git';
import { commonsCollective, commonsMailmap, importIdentity, isCommonsCollective } from '../../../core/commons-identities.ts';
import { parsePersonTrailers } from '../../../core/git-history.ts';
import { remoteFailure, runGit, type RemoteEndpoint } from './remote-git.ts';

/**
 * Runs just before the branch moves from `parent` to `commit`; false leaves it, and it may refuse
 * by throwing (several servers: pushes the commit to the shared remote under the writer's fence).
 */
export type BeforeRefUpdate = (commit: string, parent: string) => Promise<boolean>;

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
  /** Who validated the entry with this commit (`Reviewed-by:`). */
  reviewers: { name: string }[];
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

/** Where a new commons comes from: its own remote, else an upstream commons, else the seed content. */
export interface CommonsOrigin {
  remote?: RemoteEndpoint;
  upstream?: RemoteEndpoint;
  branch: string;
  timeoutMs: number;
}

/**
 * Creates the commons repository if missing: a clone (whole history) of the remote, or of the
 * upstream commons when the remote has no branch yet, or else a first commit of `seedDir`, imported
 * by the import identity with a `.mailmap` that credits it (and every other technical identity,
 * the committer included) to the commons' collective, never to a machine.
 * Says where it came from; throws a `RemoteError` when a repository to clone cannot be read.
 */
export async function ensureCommonsRepo(dir: string, seedDir: string, origin: CommonsOrigin, committer: GitIdentity): Promise<'existing' | 'remote' | 'upstream' | 'seed'> {
  if (existsSync(join(dir, '.git'))) return 'existing';
  await mkdir(dirname(dir), { recursive: true });
  // Build in a sibling directory and rename, so a crash mid-way never leaves a half-made repo.
  const staging = `${dir}.creating-${process.pid}`;
  await nodeFs.promises.rm(staging, { recursive: true, force: true });
  for (const [source, endpoint] of [['remote', origin.remote], ['upstream', origin.upstream]] as const) {
    if (!endpoint) continue;
    const run = await runGit(['clone', '--quiet', '--no-tags', '--single-branch', '--branch', origin.branch, endpoint.url, staging], { endpoint, timeoutMs: origin.timeoutMs });
    if (run.code === 0) {
      await rename(staging, dir);
      return source;
    }
    await nodeFs.promises.rm(staging, { recursive: true, force: true });
    const failure = remoteFailure(run, endpoint, `clonage de ${source === 'remote' ? 'COMMONS_REMOTE' : 'COMMONS_UPSTREAM'}`);
    // An empty remote (a new repository on a forge) is filled by the first push.
    if (failure.kind !== 'missing') throw failure;
  }
  {
    await git.init({ fs, dir: staging, defaultBranch: origin.branch });
    await cp(seedDir, staging, { recursive: true, filter: (source) => !source.split(sep).some((part) => part.startsWith('.') && part.length > 1) });
    await writeFile(join(staging, '.mailmap'), commonsMailmap([committer]));
    for (const file of await listFiles(staging)) await git.add({ fs, dir: staging, filepath: file, cache });
    const when = { timestamp: Math.floor(Date.now() / 1000), timezoneOffset: 0 };
    await git.commit({
      fs,
      dir: staging,
      message: 'Amorcer le commun à partir du contenu initial',
      author: { ...importIdentity, ...when },
      committer: { ...committer, ...when },
      cache,
    });
  }
  await rename(staging, dir);
  return 'seed';
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
  beforeRefUpdate?: BeforeRefUpdate,
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
  beforeRefUpdate?: BeforeRefUpdate,
): Promise<string | undefined> {
  if ((await readHead(dir)) !== parent) return undefined;
  const blobs: [string, string][] = [];
  for (const file of files) blobs.push([file.path, await git.writeBlob({ fs, dir, blob: toBytes(file.content) })]);
  const oid = await writeCommit(dir, [parent], blobs, message, author, committer);
  // Several servers: the commit is pushed to the shared remote first, under the writer's fence;
  // false when the remote's branch moved meanwhile (the caller merges that first, as above).
  if (!(await moveBranch(dir, parent, oid, beforeRefUpdate))) return undefined;
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

/**
 * Moves the current branch from `from` to `to`, only if HEAD is still `from` (the window left is
 * the two calls below, and every writer goes through one queue); false if it moved meanwhile.
 * `beforeRefUpdate` runs first, as for a commit (several servers: pushes `to`, fenced).
 */
export async function moveBranch(dir: string, from: string, to: string, beforeRefUpdate?: BeforeRefUpdate): Promise<boolean> {
  const branch = await git.currentBranch({ fs, dir, fullname: true });
  if (!branch || (await readHead(dir)) !== from) return false;
  if (beforeRefUpdate && !(await beforeRefUpdate(to, from))) return false;
  await git.writeRef({ fs, dir, ref: branch, value: to, force: true });
  return true;
}

/** Whether `ancestor` is `commit` or one of its ancestors. */
export async function isAncestor(dir: string, ancestor: string, commit: string): Promise<boolean> {
  if (ancestor === commit) return true;
  return git.isDescendent({ fs, dir, oid: commit, ancestor, depth: -1, cache });
}

/** The best common ancestor of two commits; undefined when their histories are unrelated. */
export async function findMergeBase(dir: string, a: string, b: string): Promise<string | undefined> {
  const bases = await git.findMergeBase({ fs, dir, oids: [a, b], cache });
  return bases[0];
}

/** Object id of a file at a commit, or undefined if the file does not exist there. */
export async function readBlobOid(dir: string, commit: string, path: string): Promise<string | undefined> {
  try {
    return (await git.readBlob({ fs, dir, oid: commit, filepath: path, cache })).oid;
  } catch (error) {
    if ((error as { code?: string }).code === 'NotFoundError') return undefined;
    throw error;
  }
}

/** Every file path of a commit's tree. */
export async function listFilesAt(dir: string, commit: string): Promise<string[]> {
  return git.listFiles({ fs, dir, ref: commit, cache });
}

/**
 * Commits a merge of `theirs` into `ours` (the current HEAD): `ours`'s tree with `changes` applied
 * (a text, an existing blob id, or null to delete), both commits as parents. Moves the branch and
 * returns the commit, or undefined, changing nothing, if HEAD moved meanwhile.
 */
export async function commitMerge(
  dir: string,
  ours: string,
  theirs: string,
  changes: Map<string, { text: string } | { oid: string } | null>,
  message: string,
  committer: GitIdentity,
  beforeRefUpdate?: BeforeRefUpdate,
): Promise<string | undefined> {
  const blobs: [string, string | null][] = [];
  for (const [path, change] of changes) {
    blobs.push([path, change === null ? null : 'oid' in change ? change.oid : await git.writeBlob({ fs, dir, blob: Buffer.from(change.text, 'utf8') })]);
  }
  const oid = await writeCommit(dir, [ours, theirs], blobs, message, committer, committer);
  return (await moveBranch(dir, ours, oid, beforeRefUpdate)) ? oid : undefined;
}

/**
 * Writes a commit whose tree is the first parent's with `blobs` put at their paths (null removes
 * the file), without moving any branch; returns its id.
 */
async function writeCommit(
  dir: string,
  parents: string[],
  blobs: readonly [path: string, blob: string | null][],
  message: string,
  author: GitIdentity,
  committer: GitIdentity,
): Promise<string> {
  let { tree } = (await git.readCommit({ fs, dir, oid: parents[0]!, cache })).commit;
  for (const [path, blob] of blobs) tree = await replaceInTree(dir, tree, path.split('/'), blob);
  const when = { timestamp: Math.floor(Date.now() / 1000), timezoneOffset: 0 };
  return git.commit({ fs, dir, message, tree, parent: parents, author: { ...author, ...when }, committer: { ...committer, ...when }, noUpdateBranch: true, cache });
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
    // Technical identities are shown as the collective, as the .mailmap makes `git log` show them.
    author: { name: isCommonsCollective(commit.author) ? commonsCollective.name : commit.author.name },
    coAuthors: parsePersonTrailers(commit.message, 'Co-authored-by').map(({ name }) => ({ name })),
    reviewers: parsePersonTrailers(commit.message, 'Reviewed-by').map(({ name }) => ({ name })),
  }));
}

/** Makes a repository's work tree match HEAD for the given paths (after a commit from outside). */
export async function checkoutPaths(dir: string, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  // From HEAD's commit, not from the index (isomorphic-git's default for paths without a ref,
  // like `git checkout -- <path>`): a fetched commit is in HEAD, not yet in the index.
  await git.checkout({ fs, dir, ref: await readHead(dir), filepaths: paths, force: true, noUpdateHead: true, cache });
}

/** A tree with one file replaced (or removed: `blobOid` null; folders left empty go too). */
async function replaceInTree(dir: string, treeOid: string, parts: string[], blobOid: string | null): Promise<string> {
  const [name, ...rest] = parts as [string, ...string[]];
  const { tree } = await git.readTree({ fs, dir, oid: treeOid, cache });
  const entries = tree.filter((e) => e.path !== name);
  const existing = tree.find((e) => e.path === name);
  if (rest.length === 0) {
    if (blobOid !== null) entries.push({ mode: existing?.type === 'blob' ? existing.mode : '100644', path: name, oid: blobOid, type: 'blob' });
  } else {
    const subtree = existing?.type === 'tree' ? existing.oid : await git.writeTree({ fs, dir, tree: [] });
    const replaced = await replaceInTree(dir, subtree, rest, blobOid);
    const emptied = (await git.readTree({ fs, dir, oid: replaced, cache })).tree.length === 0;
    if (!emptied) entries.push({ mode: '040000', path: name, oid: replaced, type: 'tree' });
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
