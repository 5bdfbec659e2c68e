/**
 * Publishes the public site after commits, in two steps: « publié » once the pages a commit
 * affects are out, « indexé pour la recherche » once the search index has them too (the builder,
 * site-worker-builder.ts, does both). Steps never overlap: commits that arrive during a step are
 * published together by the next one, and a pending index step waits for them; an index step
 * under way is interrupted by a new commit (its pages go first), then started again.
 *
 * Each step writes a new version beside the others (DATA_DIR/site.v…), and DATA_DIR/site, a
 * symbolic link, moves to it only once it is complete: readers never see a half-built site, nor
 * none at all. The version being served and the one before it are kept (a request may still be
 * reading it); older ones go back to the builder, which recycles them.
 */
import { existsSync } from 'node:fs';
import { lstat, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** What builds the site into version directories. */
export interface SiteBuilder {
  /** Step 1 into `dir` (which does not exist yet), from `current`, the version being served if any. */
  publish(dir: string, current: string | undefined): Promise<{ pending: boolean }>;
  /** Step 2 into `dir`, from `current`; `interrupted` when `interrupt()` stopped it (nothing written). */
  finish(dir: string, current: string): Promise<{ interrupted?: boolean } | void>;
  /** Stops the step 2 under way, if any, so that a new commit's pages go out first. */
  interrupt?(): void;
  /** A version no reader uses any more. */
  release(dir: string): Promise<void>;
  /** Stops the builder. */
  close(): Promise<void>;
}

/** One request to publish: settled when the pages are out, and when search has them too. */
export interface Publication {
  published: Promise<void>;
  indexed: Promise<void>;
}

/** A builder from a function that builds the whole site, index included, into a directory. */
export function wholeSiteBuilder(build: (outDir: string) => Promise<void>): SiteBuilder {
  return {
    publish: async (dir) => {
      await build(dir);
      return { pending: false };
    },
    finish: async () => undefined,
    release: (dir) => rm(dir, { recursive: true, force: true }),
    close: async () => undefined,
  };
}

interface Waiter {
  published: Settler;
  indexed: Settler;
}
interface Settler {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function settler(): Settler {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((yes, no) => ((resolve = yes), (reject = no)));
  // Whoever asked may watch only one of the two: a failure must not go unhandled.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Coalescing, non-overlapping, two-step site publisher. */
export class SitePublisher {
  /** Names the versions: from the clock at start, so a restarted server never reuses a name. */
  private serial = Date.now();
  private waitingForPages: Waiter[] = [];
  private waitingForIndex: Waiter[] = [];
  private running: Promise<void> | undefined;
  /** Whether a step 2 (the search index) is under way. */
  private indexing = false;
  private readonly ours: string[] = [];
  private cleaned = false;
  private closed = false;

  private readonly siteDir: string;
  private readonly builder: SiteBuilder | undefined;

  private readonly afterSwitch: ((versionDir: string, milliseconds: number) => Promise<void>) | undefined;

  /** `afterSwitch` runs once each version is served, with how long it took (several servers: it shares it with the others). */
  constructor(siteDir: string, builder: SiteBuilder | ((outDir: string) => Promise<void>) | undefined, afterSwitch?: (versionDir: string, milliseconds: number) => Promise<void>) {
    this.siteDir = siteDir;
    this.builder = typeof builder === 'function' ? wholeSiteBuilder(builder) : builder;
    this.afterSwitch = afterSwitch;
  }

  /** Whether a built site is being served. */
  hasSite(): boolean {
    return existsSync(join(this.siteDir, 'index.html'));
  }

  /** Publishes everything committed before this call (with what comes in meanwhile). */
  publish(): Publication {
    const waiter = { published: settler(), indexed: settler() };
    if (this.closed) {
      const error = new Error('serveur arrêté : publication abandonnée');
      waiter.published.reject(error);
      waiter.indexed.reject(error);
      return { published: waiter.published.promise, indexed: waiter.indexed.promise };
    }
    this.waitingForPages.push(waiter);
    // Pages first: an index step under way gives way, and starts again after them.
    if (this.indexing) this.builder?.interrupt?.();
    this.start();
    return { published: waiter.published.promise, indexed: waiter.indexed.promise };
  }

  /** Stops the builder; a step under way fails and nothing more is published. */
  async close(): Promise<void> {
    this.closed = true;
    await this.builder?.close();
    await this.running;
  }

  /**
   * Runs the queue unless it runs already. A request made between the loop's last look at the
   * queues and the end of `run()` (a caller resuming on « publié » asks again at once) starts it again.
   */
  private start(): void {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
      if (!this.closed && (this.waitingForPages.length || this.waitingForIndex.length)) this.start();
    });
  }

  private async run(): Promise<void> {
    while (!this.closed && (this.waitingForPages.length || this.waitingForIndex.length)) {
      // Pages first: a commit waiting for « publié » goes before an index step left from before.
      if (this.waitingForPages.length) {
        const batch = this.waitingForPages.splice(0);
        try {
          if (!this.builder) {
            for (const waiter of batch) waiter.published.resolve(), waiter.indexed.resolve();
            continue;
          }
          const dir = this.nextVersion();
          const started = performance.now();
          const { pending } = await this.builder.publish(dir, await this.currentVersion());
          await this.switchTo(dir, performance.now() - started);
          for (const waiter of batch) waiter.published.resolve();
          this.waitingForIndex.push(...batch);
          if (!pending) for (const waiter of this.waitingForIndex.splice(0)) waiter.indexed.resolve();
        } catch (error) {
          for (const waiter of batch) waiter.published.reject(error), waiter.indexed.reject(error);
        }
        continue;
      }
      const batch = this.waitingForIndex.splice(0);
      try {
        const current = await this.currentVersion();
        if (!current) throw new Error('aucune version publiée à indexer');
        const dir = this.nextVersion();
        const started = performance.now();
        this.indexing = true;
        const outcome = await this.builder!.finish(dir, current).finally(() => (this.indexing = false));
        if (outcome?.interrupted) {
          this.waitingForIndex.unshift(...batch);
          continue;
        }
        await this.switchTo(dir, performance.now() - started);
        for (const waiter of batch) waiter.indexed.resolve();
      } catch (error) {
        for (const waiter of batch) waiter.indexed.reject(error);
      }
    }
    const error = new Error('serveur arrêté : publication abandonnée');
    for (const waiter of [...this.waitingForPages.splice(0), ...this.waitingForIndex.splice(0)]) waiter.published.reject(error), waiter.indexed.reject(error);
  }

  private nextVersion(): string {
    return `${this.siteDir}.v${(this.serial++).toString(36)}`;
  }

  /** The version being served (absolute path), if the site is a link to one. */
  private async currentVersion(): Promise<string | undefined> {
    const current = await lstat(this.siteDir).catch(() => undefined);
    if (!current?.isSymbolicLink()) return undefined;
    return join(dirname(this.siteDir), await readlink(this.siteDir));
  }

  /**
   * Points DATA_DIR/site at a new version in one step: a new symbolic link renamed over the old
   * one. A request reads one version throughout (static-site.ts resolves the link once), and the
   * version it may still be reading, the previous one, stays until the next publication.
   */
  private async switchTo(version: string, milliseconds: number): Promise<void> {
    const current = await lstat(this.siteDir).catch(() => undefined);
    // A site from before versions were kept is a plain folder: it becomes a version of its own.
    if (current?.isDirectory()) await rename(this.siteDir, `${this.siteDir}.v0`);
    const previous = current?.isSymbolicLink() ? join(dirname(this.siteDir), await readlink(this.siteDir)) : `${this.siteDir}.v0`;
    const link = `${this.siteDir}.link`;
    await rm(link, { force: true });
    await symlink(basename(version), link);
    await rename(link, this.siteDir);
    this.ours.push(version);
    if (existsSync(previous) && !this.ours.includes(previous)) this.ours.unshift(previous);
    const keep = new Set([version, previous]);
    const unused = this.ours.filter((dir) => !keep.has(dir));
    this.ours.splice(0, this.ours.length, ...this.ours.filter((dir) => keep.has(dir)));
    if (!this.cleaned) {
      // Versions left by an earlier run of the server.
      this.cleaned = true;
      const prefix = `${basename(this.siteDir)}.v`;
      for (const name of await readdir(dirname(this.siteDir))) {
        const dir = join(dirname(this.siteDir), name);
        if (name.startsWith(prefix) && !keep.has(dir) && !unused.includes(dir)) await rm(dir, { recursive: true, force: true });
      }
    }
    // Before older versions go back to the builder: the shared copy is read from this one.
    await this.afterSwitch?.(version, milliseconds).catch((error) => console.error(`[site] partage de la version : ${(error as Error).message}`));
    for (const dir of unused) await this.builder!.release(dir);
  }
}

/**
 * Points `siteDir` (a symbolic link) at `version` in one step, as `SitePublisher` does, for a
 * server that serves versions it did not build (cluster/site-mirror.ts, `site.partage-…`); its
 * earlier copies other than this one and the one before are removed.
 */
export async function switchSiteVersion(siteDir: string, version: string): Promise<void> {
  const current = await lstat(siteDir).catch(() => undefined);
  if (current?.isDirectory()) await rename(siteDir, `${siteDir}.v0`);
  const previous = current?.isSymbolicLink() ? await readlink(siteDir) : `${basename(siteDir)}.v0`;
  const link = `${siteDir}.link`;
  await rm(link, { force: true });
  await symlink(basename(version), link);
  await rename(link, siteDir);
  const keep = new Set([basename(version), basename(previous)]);
  const prefix = `${basename(siteDir)}.partage-`;
  for (const name of await readdir(dirname(siteDir))) {
    if (name.startsWith(prefix) && !keep.has(name)) await rm(join(dirname(siteDir), name), { recursive: true, force: true });
  }
}
