/**
 * Rebuilds the public site after commits. Builds never overlap: commits that arrive during a
 * build are published together by the next one. Each build writes a new version beside the
 * others (DATA_DIR/site.v…), and DATA_DIR/site, a symbolic link, moves to it only once it is
 * complete: readers never see a half-built site, nor none at all. Astro's
 * content-layer cache (kept under DATA_DIR, per content tree) makes the rebuilds incremental for
 * unchanged entries.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** How to build the site into a directory. */
export type SiteBuilder = (outDir: string) => Promise<void>;

/** Builds with a command (by default `npm run build`), given CONTENT_DIR and SITE_OUT_DIR. */
export function commandSiteBuilder(command: string[], cwd: string, contentDir: string, cacheDir: string, quiet: boolean): SiteBuilder {
  return (outDir) =>
    new Promise((resolvePromise, reject) => {
      const [program, ...args] = command as [string, ...string[]];
      const child = spawn(program, args, {
        cwd,
        env: { ...process.env, CONTENT_DIR: contentDir, SITE_OUT_DIR: outDir, ASTRO_CACHE_DIR: cacheDir },
        stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'pipe'],
      });
      let errors = '';
      child.stderr.on('data', (chunk) => {
        errors = (errors + String(chunk)).slice(-4000);
        if (!quiet) process.stderr.write(chunk);
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`la construction du site a échoué (code ${code})\n${errors}`))));
    });
}

/** Coalescing, non-overlapping site publisher. */
export class SitePublisher {
  private running: Promise<void> | undefined;
  /** Names the versions: from the clock at start, so a restarted server never reuses a name. */
  private serial = Date.now();
  private next: Promise<void> | undefined;

  private readonly siteDir: string;
  private readonly build: SiteBuilder | undefined;
  private readonly afterSwitch: ((versionDir: string, milliseconds: number) => Promise<void>) | undefined;

  /** `afterSwitch` runs once each version is served (several servers: it shares it with the others). */
  constructor(siteDir: string, build: SiteBuilder | undefined, afterSwitch?: (versionDir: string, milliseconds: number) => Promise<void>) {
    this.siteDir = siteDir;
    this.build = build;
    this.afterSwitch = afterSwitch;
  }

  /** Whether a built site is being served. */
  hasSite(): boolean {
    return existsSync(join(this.siteDir, 'index.html'));
  }

  /** Resolves when a build that started after this call has been published. */
  publish(): Promise<void> {
    if (!this.running) return (this.running = this.runBuild());
    // A build is running with older content: queue exactly one more for everything after it.
    this.next ??= this.running.catch(() => undefined).then(() => {
      this.next = undefined;
      return (this.running = this.runBuild());
    });
    return this.next;
  }

  private async runBuild(): Promise<void> {
    try {
      if (!this.build) return;
      const next = `${this.siteDir}.v${(this.serial++).toString(36)}`;
      const started = performance.now();
      await this.build(next);
      await switchSiteVersion(this.siteDir, next);
      await this.afterSwitch?.(next, performance.now() - started);
    } finally {
      this.running = undefined;
    }
  }
}

/**
 * Points DATA_DIR/site at a new version in one step: a new symbolic link renamed over the old one.
 * A request reads one version throughout (static-site.ts resolves the link once), and the version
 * it may still be reading, the previous one, stays until the next publication.
 */
export async function switchSiteVersion(siteDir: string, version: string): Promise<void> {
  const current = await lstat(siteDir).catch(() => undefined);
  // A site from before versions were kept is a plain folder: it becomes a version of its own.
  if (current?.isDirectory()) await rename(siteDir, `${siteDir}.v0`);
  const previous = current?.isSymbolicLink() ? await readlink(siteDir) : `${basename(siteDir)}.v0`;
  const link = `${siteDir}.link`;
  await rm(link, { force: true });
  await symlink(basename(version), link);
  await rename(link, siteDir);
  const keep = new Set([basename(version), basename(previous)]);
  const prefix = `${basename(siteDir)}.v`;
  for (const name of await readdir(dirname(siteDir))) {
    if (name.startsWith(prefix) && !keep.has(name)) await rm(join(dirname(siteDir), name), { recursive: true, force: true });
  }
}
