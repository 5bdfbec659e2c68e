/**
 * Rebuilds the public site after commits. Builds never overlap: commits that arrive during a
 * build are published together by the next one. Each build writes to a staging directory that
 * replaces DATA_DIR/site only once complete, so readers never see a half-built site. Astro's
 * content-layer cache (kept under DATA_DIR, per content tree) makes the rebuilds incremental for
 * unchanged entries.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

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
  private next: Promise<void> | undefined;

  private readonly siteDir: string;
  private readonly build: SiteBuilder | undefined;

  constructor(siteDir: string, build: SiteBuilder | undefined) {
    this.siteDir = siteDir;
    this.build = build;
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
      const staging = `${this.siteDir}.next`;
      const previous = `${this.siteDir}.previous`;
      await rm(staging, { recursive: true, force: true });
      await this.build(staging);
      await rm(previous, { recursive: true, force: true });
      if (existsSync(this.siteDir)) await rename(this.siteDir, previous);
      await rename(staging, this.siteDir);
      await rm(previous, { recursive: true, force: true });
    } finally {
      this.running = undefined;
    }
  }
}
