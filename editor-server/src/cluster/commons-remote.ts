/**
 * The commons remote that several servers share (COMMONS_REMOTE): every server clones it and
 * follows it; only the Git writer pushes to it, one push per commit, before its own branch moves.
 *
 * Fencing. The remote keeps a second ref, `refs/terreau/writer`, pointing at a small commit
 * that names the writer and its fencing token (an empty tree: nothing a clone would check out).
 * A writer that takes the lease first moves that ref to a fence of its own, refusing if it names a
 * higher token. Every push then moves the branch *and* the fence in one atomic push
 * (`git push --atomic`), each with `--force-with-lease` on the value this writer last saw: the
 * remote compares and swaps both under its ref lock, or neither. A writer whose lease expired
 * (frozen, cut off) finds the fence moved by its successor, and its push is refused whole: it can
 * never move the branch. This works with any Git server that supports atomic pushes (Git itself,
 * Forgejo, GitLab, GitHub).
 *
 * Git is run as a program (`git`), asynchronously: isomorphic-git has neither atomic pushes nor
 * leases, and a synchronous call would stop the server while the remote answers. What needs no
 * remote (the fence commit) is written in-process: each program started costs the writer's event
 * loop several milliseconds, and the writer pushes once per commit.
 */
import { execFile } from 'node:child_process';
import fs, { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import git from 'isomorphic-git';
import { FencedError } from '../git/fenced-error.ts';
import { ensureCommonsRepo, type GitIdentity } from '../git/commons-repo.ts';

/** The ref that carries the writer's fence on the remote. */
export const fenceRef = 'refs/terreau/writer';
/** Where the remote's branch is fetched to, locally. */
const trackingRef = 'refs/remotes/commons/branch';

/** Result of running git. */
interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git in `cwd`; never asks anything on a terminal. */
export function runGit(cwd: string, args: string[], env: Record<string, string> = {}): Promise<GitResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      'git',
      args,
      { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolvePromise({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
    // Nothing to read: a command that reads its input gets an empty one at once.
    child.stdin?.end();
  });
}

async function gitOutput(cwd: string, args: string[], env?: Record<string, string>): Promise<string> {
  const result = await runGit(cwd, args, env);
  if (result.code !== 0) throw new Error(`git ${args[0]} : ${result.stderr.trim() || result.stdout.trim()}`);
  return result.stdout;
}

/** Configuration of `CommonsRemote`. */
export interface CommonsRemoteConfig {
  repoDir: string;
  /** URL or path of the shared bare repository. */
  remote: string;
  instanceName: string;
  /** Identity of the fence commits. */
  committer: GitIdentity;
  log(message: string): void;
}

/** The shared remote, as one server sees it. */
export class CommonsRemote {
  /** The fence this writer last pushed (or found at takeover), and its token. */
  private fence: { oid: string | undefined; token: number } | undefined;
  private pushes = 0;
  /** The local branch, read once: this server's own clone never switches. */
  private localBranch: string | undefined;
  private warnedDiverged = false;

  private readonly config: CommonsRemoteConfig;

  constructor(config: CommonsRemoteConfig) {
    this.config = config;
  }

  /**
   * Makes `repoDir` a clone of the remote. An empty remote is first given the seed content, by
   * whichever server gets there first (a push that only creates the branch).
   */
  static async ensureClone(repoDir: string, remote: string, seedDir: string, committer: GitIdentity): Promise<void> {
    if (existsSync(join(repoDir, '.git'))) return;
    await mkdir(dirname(repoDir), { recursive: true });
    const staging = `${repoDir}.cloning-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    const heads = await gitOutput(dirname(repoDir), ['ls-remote', '--heads', '--', remote]);
    if (!heads.trim()) {
      await ensureCommonsRepo(staging, seedDir, { branch: 'main', timeoutMs: 60_000 }, committer);
      const pushed = await runGit(staging, ['push', '--quiet', '--force-with-lease=refs/heads/main:', '--', remote, 'main:refs/heads/main']);
      await rm(staging, { recursive: true, force: true });
      if (pushed.code !== 0 && !(await gitOutput(dirname(repoDir), ['ls-remote', '--heads', '--', remote])).trim()) {
        throw new Error(`impossible d’amorcer le dépôt du commun ${remote} : ${pushed.stderr.trim()}`);
      }
    }
    await gitOutput(dirname(repoDir), ['clone', '--quiet', '--no-tags', '--', remote, staging]);
    await rename(staging, repoDir);
  }

  /** The local branch (refs/heads/…), which the remote's branch of the same name mirrors. */
  private async branch(): Promise<string> {
    this.localBranch ??= (await gitOutput(this.config.repoDir, ['symbolic-ref', 'HEAD'])).trim();
    return this.localBranch;
  }

  /**
   * Fetches the remote's branch and moves the local branch to it when it is ahead (the work tree
   * and the documents follow through outside-commits.ts). The remote is the reference: history
   * rewritten there is followed too, with a clear log line.
   */
  async fetch(): Promise<void> {
    const { repoDir, remote } = this.config;
    const branch = await this.branch();
    await gitOutput(repoDir, ['fetch', '--quiet', '--no-tags', '--', remote, `+${branch}:${trackingRef}`]);
    const [local, fetched] = (await gitOutput(repoDir, ['rev-parse', branch, trackingRef])).trim().split('\n');
    if (!fetched || local === fetched) return;
    const behind = await runGit(repoDir, ['merge-base', '--is-ancestor', local!, fetched]);
    if (behind.code !== 0) {
      const ahead = await runGit(repoDir, ['merge-base', '--is-ancestor', fetched, local!]);
      // This server's own commit, pushed by the writer it was, not fetched yet by the remote's readers.
      if (ahead.code === 0) return;
      if (!this.warnedDiverged) this.config.log(`l’historique du dépôt distant a été réécrit : ${local!.slice(0, 8)} abandonné pour ${fetched.slice(0, 8)}`);
      this.warnedDiverged = true;
    }
    await gitOutput(repoDir, ['update-ref', '-m', 'terreau: suivre le dépôt partagé', branch, fetched, local!]);
  }

  /**
   * Takes the fence for `token` (this server just got the lease): refuses, with `FencedError`, if
   * the remote's fence names a higher token (a newer writer exists).
   */
  async takeFence(token: number): Promise<void> {
    const { repoDir, remote } = this.config;
    for (let attempt = 1; attempt <= 5; attempt++) {
      const current = await this.remoteRefs();
      const holder = current.fence ? await this.fenceToken(current.fence) : undefined;
      if (holder !== undefined && holder > token) throw new FencedError(`le dépôt partagé est tenu par un écrivain plus récent (jeton ${holder} > ${token})`, holder);
      const next = await this.makeFence(token);
      const pushed = await runGit(repoDir, ['push', '--porcelain', '--atomic', `--force-with-lease=${fenceRef}:${current.fence ?? ''}`, '--', remote, `${next}:${fenceRef}`]);
      if (pushed.code === 0) {
        this.fence = { oid: next, token };
        this.config.log(`dépôt partagé clôturé pour le jeton ${token}${holder !== undefined ? ` (précédent : ${holder})` : ''}`);
        return;
      }
    }
    throw new Error('la clôture du dépôt partagé a échoué cinq fois de suite');
  }

  /**
   * Pushes `commit` as the branch (whose remote value must still be `parent`) with a new fence, in
   * one atomic push. False when the remote's branch moved (fetched now: merge, then try again);
   * `FencedError` when the fence moved (another writer took over).
   */
  async push(commit: string, parent: string, token: number): Promise<boolean> {
    const { repoDir, remote } = this.config;
    if (!this.fence || this.fence.token !== token) throw new FencedError(`le dépôt partagé n’est pas clôturé pour le jeton ${token}`);
    const branch = await this.branch();
    const next = await this.makeFence(token);
    const pushed = await runGit(repoDir, [
      'push',
      '--porcelain',
      '--atomic',
      `--force-with-lease=${fenceRef}:${this.fence.oid ?? ''}`,
      `--force-with-lease=${branch}:${parent}`,
      '--',
      remote,
      `${commit}:${branch}`,
      `${next}:${fenceRef}`,
    ]);
    if (pushed.code === 0) {
      this.fence = { oid: next, token };
      return true;
    }
    const current = await this.remoteRefs();
    if (current.fence !== this.fence.oid) {
      const holder = current.fence ? await this.fenceToken(current.fence) : undefined;
      throw new FencedError(`poussée refusée : la clôture du dépôt partagé a changé (jeton ${holder ?? '?'} au lieu de ${token})`);
    }
    if (current.branch !== parent) {
      await this.fetch();
      return false;
    }
    throw new Error(`poussée vers le dépôt partagé refusée : ${pushed.stderr.trim() || pushed.stdout.trim()}`);
  }

  /** The remote's branch and fence, as it advertises them now. */
  private async remoteRefs(): Promise<{ branch: string | undefined; fence: string | undefined }> {
    const branch = await this.branch();
    const out = await gitOutput(this.config.repoDir, ['ls-remote', '--', this.config.remote, branch, fenceRef]);
    const refs = new Map(out.trim().split('\n').filter(Boolean).map((line) => line.split('\t').reverse() as [string, string]));
    return { branch: refs.get(branch), fence: refs.get(fenceRef) };
  }

  /** The token a fence commit names (fetched if this repository lacks it). */
  private async fenceToken(oid: string): Promise<number | undefined> {
    const { repoDir, remote } = this.config;
    if ((await runGit(repoDir, ['cat-file', '-e', `${oid}^{commit}`])).code !== 0) {
      await gitOutput(repoDir, ['fetch', '--quiet', '--no-tags', '--', remote, `+${fenceRef}:refs/terreau/remote-writer`]);
    }
    const message = await gitOutput(repoDir, ['log', '-1', '--format=%B', oid]);
    const match = /jeton (\d+)/.exec(message);
    return match ? Number(match[1]) : undefined;
  }

  /** A new fence commit for `token`: an empty tree, and a message unique to this push. */
  private async makeFence(token: number): Promise<string> {
    const { repoDir, instanceName, committer } = this.config;
    const emptyTree = await git.writeTree({ fs, dir: repoDir, tree: [] });
    const now = new Date();
    const identity = { ...committer, timestamp: Math.floor(now.getTime() / 1000), timezoneOffset: 0 };
    const message = `Écrivain Git de Terreau : ${instanceName}, jeton ${token}, poussée ${++this.pushes} (${now.toISOString()})\n`;
    return git.commit({ fs, dir: repoDir, message, tree: emptyTree, parent: [], author: identity, committer: identity, noUpdateBranch: true });
  }
}
