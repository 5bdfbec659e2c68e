/**
 * A real PostgreSQL server for tests and benchmarks: Debian's binaries, a new cluster in a
 * temporary directory (initdb), listening on a free port of 127.0.0.1, stopped and restarted on
 * the same port and data when a test needs PostgreSQL to go away and come back. `initdb` and
 * `postgres` refuse to run as root: as root, they run as the `postgres` system user.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where PostgreSQL's programs are: `POSTGRES_BIN`, or the newest of Debian's versions. */
export function postgresBinDir(): string | undefined {
  if (process.env.POSTGRES_BIN) return process.env.POSTGRES_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/** Whether PostgreSQL is installed here (`apt-get install -y postgresql`). */
export function hasPostgres(): boolean {
  return postgresBinDir() !== undefined;
}

/** A running (or stopped) test PostgreSQL. */
export interface PostgresServer {
  port: number;
  /** Connection URL of a database (`postgres` by default). */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown: connections are cut), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

/** A free TCP port of 127.0.0.1 (free when asked: the server takes it just after). */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePromise(port));
    });
  });
}

function systemUser(name: string): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Initialises a cluster in a temporary directory and starts it on a free port. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL introuvable : installez-le (apt-get install -y postgresql) ou indiquez POSTGRES_BIN');
  const dir = await mkdtemp(join(tmpdir(), 'terreau-postgres-'));
  const user = systemUser('postgres');
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], { ...asUser, stdio: 'ignore', cwd: dir });
  let port = await freePort();
  let child: ChildProcess | undefined;
  const log = join(dir, 'postgres.log');

  const start = async () => {
    for (let attempt = 1; ; attempt++) {
      child = spawn(
        join(bin, 'postgres'),
        ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'logging_collector=off', '-c', `log_directory=${dir}`],
        { ...asUser, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let output = '';
      child.stderr!.on('data', (chunk) => (output = (output + String(chunk)).slice(-4000)));
      const exited = new Promise<number | null>((r) => child!.once('exit', r));
      const ready = await waitUntilReady(port, exited);
      if (ready) return;
      // The port was taken between choosing it and starting: choose another (first start only).
      if (attempt < 3 && /could not bind|Address already in use/.test(output)) {
        port = await freePort();
        continue;
      }
      throw new Error(`PostgreSQL n’a pas démarré :\n${output || (existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '')}`);
    }
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGINT'); // fast shutdown
    await exited;
  };

  await start();
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    get port() {
      return port;
    },
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
    start,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(port: number, exited: Promise<number | null>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !gone) {
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return true;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return false;
}
