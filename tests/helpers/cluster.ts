/**
 * A test cluster: real Redis and PostgreSQL servers, a bare Git repository as the shared commons
 * remote, and editor servers, each in its own process with its own DATA_DIR, configured by the
 * example environment file of docs/deploiement.md (docs/exemples/terreau.env), whose addresses
 * and data directory only are replaced.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Accounts } from '../../editor-server/src/accounts/accounts.ts';
import { openSqlDatabase } from '../../editor-server/src/storage/open-sql.ts';
import { startPostgres, type PostgresServer } from '../../scripts/lib/postgres-server.ts';
import { startRedis, type RedisServer } from '../../scripts/lib/redis-server.ts';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { waitFor } from './editor-server.ts';

const root = resolve(import.meta.dirname, '../..');

/** The settings of docs/exemples/terreau.env (KEY=value lines; `#` starts a comment). */
export function exampleEnvironment(): Record<string, string> {
  const text = readFileSync(join(root, 'docs', 'exemples', 'terreau.env'), 'utf8');
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!;
  }
  return env;
}

/** What /api/health answers (the parts the tests read). */
export interface Health {
  status: string;
  instance: string;
  writer: boolean;
  head: string;
  lease: { holder: string | null; token: number | null; ageMs: number | null } | null;
  redis: { reachable: boolean } | null;
  database: { kind: string; reachable: boolean };
  journal: { backlogDocuments: number | null; oldestPendingSeconds: number | null; heldUpdates: number };
  siteVersion: number | null;
}

/** One server of the cluster. */
export interface ClusterInstance {
  name: string;
  dataDir: string;
  port: number;
  httpUrl: string;
  wsUrl: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  health(): Promise<Health>;
  /** SIGTERM, and waits for it to exit (it gives the lease up on the way). */
  stop(): Promise<void>;
}

/** Servers and what they share. */
export interface TestCluster {
  redis: RedisServer;
  postgres: PostgresServer;
  databaseUrl: string;
  /** The bare repository every server pushes to or follows. */
  remote: string;
  instances: ClusterInstance[];
  /** Starts one more server. */
  startInstance(name: string, env?: Record<string, string>): Promise<ClusterInstance>;
  /** Creates an account (optionally with a password) and a personal token in the shared database: usable on every server. */
  addUser(name: string, role?: 'contributeur' | 'relecteur' | 'administrateur', password?: string): Promise<{ id: string; email: string; token: string }>;
  /** The server that says it is the Git writer, once exactly one of the running ones does. */
  writer(timeoutMs?: number): Promise<ClusterInstance>;
  /** Stops every server and removes everything. */
  close(): Promise<void>;
}

/** Options of `startCluster`. */
export interface ClusterOptions {
  /** Environment of every server (over the defaults below). */
  env?: Record<string, string>;
  /** Build the site with the stub builder (tests/helpers/stub-site-build.ts). */
  stubSite?: boolean;
}

/**
 * Registers the hooks of a describe block that runs against one cluster: starts it before the
 * tests (handing it to `started`), prints what each server said when a test fails, and closes the
 * editors the tests opened (the returned list) and the cluster after them.
 */
export function useCluster(names: string[], started: (cluster: TestCluster) => void, options: ClusterOptions = {}): HocuspocusProvider[] {
  let cluster: TestCluster | undefined;
  const providers: HocuspocusProvider[] = [];
  beforeAll(async () => {
    cluster = await startCluster(names, options);
    started(cluster);
  }, 400_000);
  afterEach(({ task }) => {
    if (task.result?.state === 'fail') for (const instance of cluster?.instances ?? []) console.log(`----- ${instance.name}\n${instance.output()}`);
  });
  afterAll(async () => {
    for (const provider of providers) provider.destroy();
    await cluster?.close();
  }, 60_000);
  return providers;
}

/** Starts Redis, PostgreSQL, an empty shared repository and `count` servers. */
export async function startCluster(names: string[], options: ClusterOptions = {}): Promise<TestCluster> {
  const work = await mkdtemp(join(tmpdir(), 'terreau-cluster-'));
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  const databaseUrl = await postgres.createDatabase('terreau');
  const remote = join(work, 'commons.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  const instances: ClusterInstance[] = [];
  const children: ChildProcess[] = [];
  let users = 0;

  const startInstance = async (name: string, env: Record<string, string> = {}): Promise<ClusterInstance> => {
    const dataDir = join(work, name);
    const child = spawn(process.execPath, ['tests/helpers/cluster-instance.ts'], {
      cwd: root,
      env: {
        ...process.env,
        ...exampleEnvironment(),
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: '0',
        REDIS_URL: redis.url,
        DATABASE_URL: databaseUrl,
        COMMONS_REMOTE: remote,
        INSTANCE_NAME: name,
        SITE_BUILD: options.stubSite ? 'on' : 'off',
        TERREAU_TEST_STUB_SITE: options.stubSite ? '1' : '0',
        ...options.env,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    const port = await new Promise<number>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} n’a pas démarré :\n${output}`)), 300_000);
      const read = (chunk: Buffer) => {
        output += String(chunk);
        const match = /Terreau : http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
        if (match) {
          clearTimeout(timer);
          resolvePromise(Number(match[1]));
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} s’est arrêté (code ${code}) :\n${output}`));
      });
    });
    const httpUrl = `http://127.0.0.1:${port}`;
    const instance: ClusterInstance = {
      name,
      dataDir,
      port,
      httpUrl,
      wsUrl: `ws://127.0.0.1:${port}/collab`,
      child,
      output: () => output,
      // A paused (SIGSTOP) server never answers: give up rather than wait forever.
      health: async () => (await (await fetch(`${httpUrl}/api/health`, { signal: AbortSignal.timeout(5_000) })).json()) as Health,
      stop: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      },
    };
    instances.push(instance);
    return instance;
  };

  // Together, as servers of one deployment start: they race to seed the empty repository.
  await Promise.all(names.map((name) => startInstance(name)));

  return {
    redis,
    postgres,
    databaseUrl,
    remote,
    instances,
    startInstance,
    async addUser(name, role = 'contributeur', password) {
      // Accounts live in the shared PostgreSQL database, as the admin command writes them there.
      const email = `personne${++users}-${Date.now()}@exemple.fr`;
      const database = await openSqlDatabase({ databaseUrl, dataDir: '' });
      try {
        const accounts = await Accounts.open(database.sql);
        const user = await accounts.addUser({ email, name, role, ...(password ? { password } : {}) });
        const { token } = await accounts.createToken(user.id);
          return { id: user.id, email, token };
      } finally {
        await database.close();
      }
    },
    async writer(timeoutMs = 20_000) {
      let found: ClusterInstance | undefined;
      await waitFor(
        async () => {
          const alive = instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null);
          const healths = await Promise.all(alive.map((i) => i.health().catch(() => undefined)));
          const writers = alive.filter((_, n) => healths[n]?.writer);
          found = writers.length === 1 ? writers[0] : undefined;
          return found !== undefined;
        },
        timeoutMs,
        'un seul écrivain Git',
      );
      return found!;
    },
    async close() {
      await Promise.all(instances.map((i) => i.stop()));
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await Promise.all([redis.destroy(), postgres.destroy()]);
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** Commits of the shared repository that touch `path`, newest first (subject and authors). */
export function remoteLog(remote: string, path?: string): string {
  return execFileSync('git', ['-C', remote, 'log', '--format=%H %an%n%B%n--', 'main', ...(path ? ['--', path] : [])], { encoding: 'utf8' });
}

/** A file's text at the shared repository's main branch. */
export function remoteFile(remote: string, path: string): string {
  return execFileSync('git', ['-C', remote, 'show', `main:${path}`], { encoding: 'utf8' });
}
