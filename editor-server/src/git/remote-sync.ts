/**
 * Keeps the commons in step with another repository, never rewriting history on either side.
 *
 * - `mirror` (COMMONS_REMOTE, a forge): commits are pushed shortly after they are made, together;
 *   the remote is fetched on a timer and when its webhook calls. What was fetched is merged
 *   (`merge-commits.ts`) through the single Git writer, then reaches live documents as any outside
 *   commit does. A push the remote refuses because it moved is followed by a fetch, a merge and a
 *   new push; never by a force-push.
 * - `upstream` (COMMONS_UPSTREAM, another Terreau): fetched and merged only when asked.
 *
 * When the remote is down or refuses, the server keeps committing locally and tries again with a
 * growing wait; `status()` says since when the commons is late, and everything is pushed once the
 * remote answers again.
 */
import { readHead, isAncestor, changedFiles } from './commons-repo.ts';
import type { BeforeRefUpdate, GitIdentity } from './commons-repo.ts';
import { integrateCommit, type MergeConflict, type MergeOutcome } from './merge-commits.ts';
import { RemoteError, remoteFailure, runGit, type RemoteEndpoint, type RemoteFailureKind } from './remote-git.ts';

/** The reason of a lag as anyone may read it (the full one, with the address, is for administrators). */
const failureReasons: Record<RemoteFailureKind | 'internal', string> = {
  credentials: 'le dépôt distant refuse les identifiants',
  unreachable: 'dépôt distant injoignable',
  rejected: 'envoi refusé par le dépôt distant',
  missing: 'branche absente du dépôt distant',
  other: 'erreur de Git avec le dépôt distant',
  internal: 'erreur de synchronisation',
};

/** The single Git writer, as remote sync uses it (implemented by `GitSync`). */
export interface CommonsWriter {
  /**
   * Runs a task in the writer's queue, given what must run before the branch moves (several
   * servers: the fenced push); HEAD moves it makes reach live documents before it resolves.
   */
  write<T>(task: (beforeRefUpdate: BeforeRefUpdate | undefined) => Promise<T>): Promise<T>;
  /** Commits now the uncommitted edits of live documents among these files. */
  commitPendingFiles(files: readonly string[]): Promise<void>;
}

/** Timings of a mirror. */
export interface RemoteSyncTimings {
  pushDelayMs: number;
  fetchIntervalMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  networkTimeoutMs: number;
}

/** Configuration of one `RemoteSync`. */
export interface RemoteSyncConfig {
  repoDir: string;
  mode: 'mirror' | 'upstream';
  endpoint: RemoteEndpoint;
  branch: string;
  /** Remote-tracking name: `origin` for the mirror, `upstream` for an upstream commons. */
  name: string;
  timings: RemoteSyncTimings;
  committer: GitIdentity;
  writer: CommonsWriter;
  log: (message: string) => void;
}

/** A conflict a merge kept in both versions, for a reviewer. */
export interface RecordedConflict extends MergeConflict {
  /** The merge commit. */
  commit: string;
  at: string;
}

/** Where the sync stands, as /api/health and the administrators see it. */
export interface SyncStatus {
  mode: 'mirror' | 'upstream';
  /** Address without credentials. */
  remote: string;
  /** `ok`: last attempt succeeded (or none yet failed); `late`: attempts fail since `lateSince`. */
  state: 'ok' | 'late';
  /** French sentence to show as is, to anyone (/api/health): no address, a short reason. */
  message: string;
  lateSince?: string;
  lastSuccessAt?: string;
  /** Why the last attempt failed, in full (French, no credentials; for administrators). */
  lastError?: string;
  /** Local commits the remote does not have yet, when known. */
  pendingCommits?: number;
  /** Conflicts kept in both versions since the server started. */
  conflicts: RecordedConflict[];
}

/** Result of fetching and merging once. */
export interface PullResult {
  outcome: MergeOutcome | { kind: 'empty' };
}

/** Keeps the commons in step with one other repository. */
export class RemoteSync {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private pushTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private fetchTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private lateSince: Date | undefined;
  private lastSuccess: Date | undefined;
  private lastError: string | undefined;
  private lastFailure: RemoteFailureKind | 'internal' | undefined;
  private pending: number | undefined;
  private readonly conflicts: RecordedConflict[] = [];
  /** Stops the Git processes under way when the server stops. */
  private readonly abort = new AbortController();

  private readonly config: RemoteSyncConfig;

  constructor(config: RemoteSyncConfig) {
    this.config = config;
  }

  private get trackingRef(): string {
    return `refs/remotes/${this.config.name}/${this.config.branch}`;
  }

  /** Mirror: syncs once now, then on a timer. Upstream: nothing until asked. */
  start(): void {
    if (this.config.mode !== 'mirror') return;
    void this.sync();
    this.fetchTimer = setInterval(() => {
      if (!this.retryTimer) void this.sync();
    }, this.config.timings.fetchIntervalMs);
    this.fetchTimer.unref();
  }

  /** Stops the timers and waits for the attempt under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    clearInterval(this.fetchTimer);
    clearTimeout(this.pushTimer);
    clearTimeout(this.retryTimer);
    await this.running?.catch(() => undefined);
  }

  /** HEAD moved: push soon, together with whatever follows (unless waiting to retry anyway). */
  headMoved(): void {
    if (this.config.mode !== 'mirror' || this.stopped) return;
    // While late, the status counts the commits waiting to be sent: keep it true between attempts.
    if (this.lateSince) void this.countPending().catch(() => undefined);
    if (this.retryTimer) return;
    this.pushTimer ??= setTimeout(() => {
      this.pushTimer = undefined;
      void this.sync();
    }, this.config.timings.pushDelayMs);
    this.pushTimer.unref?.();
  }

  /** Fetches, merges and pushes now (a webhook, an administrator); resolves when done. */
  sync(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.attempt();
        } while (this.again && !this.stopped);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Upstream: fetches and merges once; throws a `RemoteError` with a French message on failure. */
  async pull(): Promise<PullResult> {
    const fetched = await this.fetch();
    if (!fetched) return { outcome: { kind: 'empty' } };
    return { outcome: await this.integrate(fetched) };
  }

  /** Where the sync stands. */
  status(): SyncStatus {
    const { mode, endpoint } = this.config;
    const late = this.lateSince !== undefined;
    const pending = this.pending ? ` ; ${this.pending} commit${this.pending > 1 ? 's' : ''} en attente d’envoi` : '';
    const message = late
      ? `synchronisation en retard depuis le ${formatFrenchDate(this.lateSince!)} : ${failureReasons[this.lastFailure ?? 'internal']}${pending}. Les modifications sont gardées ici et seront envoyées dès que possible.`
      : this.lastSuccess
        ? `synchronisé avec le ${mode === 'mirror' ? 'dépôt distant' : 'commun amont'} le ${formatFrenchDate(this.lastSuccess)}`
        : mode === 'mirror'
          ? 'première synchronisation avec le dépôt distant en cours'
          : 'commun amont prêt à être suivi';
    return {
      mode,
      remote: endpoint.label,
      state: late ? 'late' : 'ok',
      message,
      ...(this.lateSince ? { lateSince: this.lateSince.toISOString() } : {}),
      ...(this.lastSuccess ? { lastSuccessAt: this.lastSuccess.toISOString() } : {}),
      ...(this.lastError && late ? { lastError: this.lastError } : {}),
      ...(this.pending !== undefined ? { pendingCommits: this.pending } : {}),
      conflicts: [...this.conflicts],
    };
  }

  private async attempt(): Promise<void> {
    try {
      const fetched = await this.fetch();
      if (fetched) await this.integrate(fetched);
      const pushed = await this.push(fetched);
      if (pushed === 'moved') {
        // The remote moved between our fetch and our push: fetch, merge and push again.
        this.again = true;
        return;
      }
      this.failures = 0;
      this.lateSince = undefined;
      this.lastError = undefined;
      this.lastFailure = undefined;
      this.lastSuccess = new Date();
    } catch (error) {
      // Stopping kills the Git process under way: not a failure to report.
      if (this.stopped) return;
      this.failures++;
      this.lateSince ??= new Date();
      this.lastError = error instanceof RemoteError ? error.message : `erreur de synchronisation : ${(error as Error).message ?? error}`;
      this.lastFailure = error instanceof RemoteError ? error.kind : 'internal';
      await this.countPending().catch(() => undefined);
      const wait = Math.min(this.config.timings.retryMinMs * 2 ** (this.failures - 1), this.config.timings.retryMaxMs);
      this.config.log(`${this.lastError} ; nouvel essai dans ${Math.round(wait / 1000)} s`);
      if (!this.stopped) {
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          void this.sync();
        }, wait);
        this.retryTimer.unref();
      }
    }
  }

  /** Fetches the branch into the remote-tracking ref; its commit, or undefined if the remote has no such branch yet. */
  private async fetch(): Promise<string | undefined> {
    const { repoDir, endpoint, branch, timings } = this.config;
    const run = await runGit(['fetch', '--no-tags', '--quiet', endpoint.url, `+refs/heads/${branch}:${this.trackingRef}`], {
      cwd: repoDir,
      endpoint,
      timeoutMs: timings.networkTimeoutMs,
      signal: this.abort.signal,
    });
    if (run.code !== 0) {
      const failure = remoteFailure(run, endpoint, 'récupération');
      if (failure.kind === 'missing') return undefined;
      throw failure;
    }
    return this.readTracking();
  }

  private async readTracking(): Promise<string | undefined> {
    const run = await runGit(['rev-parse', '--verify', '--quiet', this.trackingRef], { cwd: this.config.repoDir, timeoutMs: 30_000 });
    return run.code === 0 ? run.stdout.trim() : undefined;
  }

  /** Merges fetched commits through the writer, after committing the live edits they touch. */
  private async integrate(theirs: string): Promise<MergeOutcome> {
    const { repoDir, writer, mode, committer, endpoint } = this.config;
    const head = await readHead(repoDir);
    if (await isAncestor(repoDir, theirs, head)) return { kind: 'up-to-date', head };
    // Live edits to files the fetched commits change are committed first: the merge then sees
    // them, and keeps both versions where they conflict.
    await writer.commitPendingFiles(await changedFiles(repoDir, head, theirs));
    const label = mode === 'mirror' ? 'du dépôt distant' : 'du commun amont';
    const outcome = await writer.write((beforeRefUpdate) =>
      integrateCommit(repoDir, theirs, {
        beforeRefUpdate,
        theirsLabel: label,
        subject: mode === 'mirror' ? `Fusionner les modifications du dépôt distant ${endpoint.label}` : `Reprendre les modifications du commun amont ${endpoint.label}`,
        committer,
      }),
    );
    if (outcome.kind === 'merged') {
      const at = new Date().toISOString();
      for (const conflict of outcome.conflicts) this.conflicts.push({ ...conflict, commit: outcome.head, at });
      // Keep the list short: the boxes in the entries and the merge commits keep the rest.
      this.conflicts.splice(0, Math.max(0, this.conflicts.length - 50));
      this.config.log(`fusion ${outcome.head.slice(0, 8)} ${label}${outcome.conflicts.length ? ` ; à relire : ${outcome.conflicts.map((c) => c.file).join(', ')}` : ''}`);
    } else if (outcome.kind === 'fast-forward') {
      this.config.log(`avance rapide ${label} jusqu’à ${outcome.head.slice(0, 8)}`);
    }
    return outcome;
  }

  /** Pushes HEAD if the remote lacks it; `moved` when the remote moved meanwhile. Never forces. */
  private async push(remoteHead: string | undefined): Promise<'done' | 'moved'> {
    if (this.config.mode !== 'mirror') return 'done';
    const { repoDir, endpoint, branch, timings } = this.config;
    const head = await readHead(repoDir);
    if (remoteHead && (await isAncestor(repoDir, head, remoteHead))) {
      this.pending = 0;
      return 'done';
    }
    await this.countPending();
    // The commit itself, not the branch name: a commit made meanwhile waits for the next push.
    const run = await runGit(['push', '--porcelain', '--no-verify', endpoint.url, `${head}:refs/heads/${branch}`], {
      cwd: repoDir,
      endpoint,
      timeoutMs: timings.networkTimeoutMs,
      signal: this.abort.signal,
    });
    if (run.code === 0) {
      await runGit(['update-ref', this.trackingRef, head], { cwd: repoDir, timeoutMs: 30_000 });
      this.config.log(`poussé ${head.slice(0, 8)} vers ${endpoint.label}`);
      await this.countPending();
      return 'done';
    }
    // `--porcelain` prints one line per ref: « !\t<src>:<dst>\t[rejected] (fetch first) ».
    const refused = /^!\t\S+\t\[(remote )?rejected\] \((.*)\)$/m.exec(run.stdout);
    if (refused && !refused[1] && /fetch first|non-fast-forward/.test(refused[2] ?? '')) return 'moved';
    if (refused) throw new RemoteError('rejected', `envoi refusé par ${endpoint.label} (${refused[2]})`);
    throw remoteFailure(run, endpoint, 'envoi');
  }

  private async countPending(): Promise<void> {
    const tracking = await this.readTracking();
    const run = await runGit(['rev-list', '--count', tracking ? `${tracking}..HEAD` : 'HEAD'], { cwd: this.config.repoDir, timeoutMs: 30_000 });
    if (run.code === 0) this.pending = Number(run.stdout.trim());
  }
}

/** « 3 mars 2026 à 14 h 05 » (Europe/Paris: the people who read it are in France). */
export function formatFrenchDate(date: Date): string {
  const day = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(date);
  const time = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).formatToParts(date);
  const hour = time.find((p) => p.type === 'hour')?.value ?? '00';
  const minute = time.find((p) => p.type === 'minute')?.value ?? '00';
  return `${day} à ${Number(hour)}\u00a0h\u00a0${minute}`;
}
