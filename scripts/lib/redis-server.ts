/**
 * A real Redis server for tests and benchmarks: Debian's `redis-server` on a free port of
 * 127.0.0.1, its directory temporary, nothing saved to disk; stopped and restarted on the same
 * port when a test needs Redis to go away and come back.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './postgres-server.ts';

/** The redis-server program: `REDIS_SERVER`, or the one on PATH. */
export function redisServerPath(): string | undefined {
  if (process.env.REDIS_SERVER) return process.env.REDIS_SERVER;
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Whether redis-server is installed here (`apt-get install -y redis-server`). */
export function hasRedis(): boolean {
  return redisServerPath() !== undefined;
}

/** A running (or stopped) test Redis. */
export interface RedisServer {
  port: number;
  url: string;
  /** Stops the server (its data goes with it: nothing is saved). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** Starts redis-server on a free port. */
export async function startRedis(): Promise<RedisServer> {
  const program = redisServerPath();
  if (!program) throw new Error('redis-server introuvable : installez-le (apt-get install -y redis-server) ou indiquez REDIS_SERVER');
  const dir = await mkdtemp(join(tmpdir(), 'terreau-redis-'));
  let port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    for (let attempt = 1; ; attempt++) {
      child = spawn(program, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const ready = await new Promise<boolean>((resolvePromise) => {
        const timer = setTimeout(() => resolvePromise(false), 30_000);
        const read = (chunk: Buffer) => {
          output = (output + String(chunk)).slice(-4000);
          if (/Ready to accept connections/.test(output)) {
            clearTimeout(timer);
            resolvePromise(true);
          }
        };
        child!.stdout!.on('data', read);
        child!.stderr!.on('data', read);
        child!.once('exit', () => {
          clearTimeout(timer);
          resolvePromise(false);
        });
      });
      if (ready) return;
      if (attempt < 3 && /Address already in use/.test(output)) {
        port = await freePort();
        continue;
      }
      throw new Error(`redis-server n’a pas démarré :\n${output}`);
    }
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    get port() {
      return port;
    },
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    stop,
    start,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
