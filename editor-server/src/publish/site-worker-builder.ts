/**
 * The site builder of the editor server: the site worker (scripts/site-worker.ts by default), a
 * process of its own that keeps the compiled site between commits, so that a commit renders only
 * the pages it affects. Started on first use; its first step builds the whole site. When a commit
 * needs a full build (the worker says so), or the worker fails or dies, a new worker is started
 * and builds the whole site again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import type { SiteBuilder } from './site-publisher.ts';
import type { SiteWorkerReply, SiteWorkerRequest } from './site-worker-protocol.ts';

/** How to start the worker. */
export interface SiteWorkerOptions {
  /** Program and arguments (the program gets an IPC channel). */
  command: string[];
  cwd: string;
  /** Content tree (the commons' work tree) and Astro's cache for it. */
  contentDir: string;
  cacheDir: string;
  quiet: boolean;
  /** The site's public address (SITE_URL of the worker), asked when the worker starts. */
  siteUrl?: () => string;
  /** Told about each step, for logs and benchmarks. */
  onStep?: (step: 'publish' | 'finish', reply: Extract<SiteWorkerReply, { ok: true }>) => void;
}

type Request = SiteWorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** A builder backed by the site worker. */
export class SiteWorkerBuilder implements SiteBuilder {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: SiteWorkerReply) => void>();
  private restartNext = false;

  private readonly options: SiteWorkerOptions;

  constructor(options: SiteWorkerOptions) {
    this.options = options;
  }

  async publish(dir: string, current: string | undefined): Promise<{ pending: boolean }> {
    if (this.restartNext) await this.stop();
    let reply = await this.request({ type: 'publish', dir, current });
    if (!reply.ok && reply.restart === 'now') {
      // Only a new worker makes a full build: ask it, for the same version.
      await this.stop();
      reply = await this.request({ type: 'publish', dir, current });
    }
    return { pending: this.check('publish', reply).pending ?? false };
  }

  async finish(dir: string, current: string): Promise<{ interrupted?: boolean }> {
    if (this.restartNext) await this.stop();
    let reply = await this.request({ type: 'finish', dir, current });
    if (!reply.ok && reply.restart === 'now') {
      await this.stop();
      reply = await this.request({ type: 'publish', dir, current });
    }
    if (reply.ok && reply.interrupted) return { interrupted: true };
    this.check('finish', reply);
    return {};
  }

  interrupt(): void {
    this.child?.send({ id: this.nextId++, type: 'interrupt' } satisfies SiteWorkerRequest);
  }

  async release(dir: string): Promise<void> {
    // With no worker running there is nothing to recycle it into.
    if (!this.child) return rm(dir, { recursive: true, force: true });
    this.check('release', await this.request({ type: 'release', dir }));
  }

  async close(): Promise<void> {
    await this.stop();
  }

  private check(step: 'publish' | 'finish' | 'release', reply: SiteWorkerReply): Extract<SiteWorkerReply, { ok: true }> {
    if (!reply.ok) {
      this.restartNext = true;
      throw new Error(`publication du site : ${reply.error}`);
    }
    if (step !== 'release') this.options.onStep?.(step, reply);
    return reply;
  }

  private request(message: Request): Promise<SiteWorkerReply> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      child.send({ ...message, id } satisfies SiteWorkerRequest);
    });
  }

  private start(): ChildProcess {
    const [program, ...args] = this.options.command as [string, ...string[]];
    const child = spawn(program, args, {
      cwd: this.options.cwd,
      env: { ...workerEnvironment(), CONTENT_DIR: this.options.contentDir, ASTRO_CACHE_DIR: this.options.cacheDir, ...(this.options.siteUrl ? { SITE_URL: this.options.siteUrl() } : {}) },
      stdio: ['ignore', this.options.quiet ? 'ignore' : 'inherit', this.options.quiet ? 'pipe' : 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    let errors = '';
    child.stderr?.on('data', (chunk) => (errors = (errors + String(chunk)).slice(-4000)));
    child.on('message', (reply: SiteWorkerReply) => {
      const resolve = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      resolve?.(reply);
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      // Whatever it was doing is lost: the next request starts a new worker (a full build).
      for (const [id, resolve] of this.pending) resolve({ id, ok: false, error: `le processus du site s’est arrêté (${signal ?? code})\n${errors}`, restart: 'later' });
      this.pending.clear();
    });
    this.child = child;
    this.restartNext = false;
    return child;
  }

  private async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.restartNext = false;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Disconnecting lets it delete its spare versions and leave; a stuck one is killed.
    child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The server's environment minus its secrets (remote credentials, webhook secret): the site needs none. */
function workerEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('COMMONS_')));
}
