/**
 * The servers the collaboration benchmarks measure, each in a process of its own: Terreau (the
 * whole editor server, without site builds), a bare Hocuspocus 4 server, and the y-websocket
 * reference server (@y/websocket-server 0.1.1, the last release on Yjs 13, installed at bench time
 * in bench-reports/tmp/, never in the project's node_modules). This file is also the entry point
 * of the server processes (`TERREAU_BENCH_SERVER`).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const isolatedDir = join(root, 'bench-reports', 'tmp', 'y-websocket-server');
const profileDir = join(root, 'bench-reports', 'tmp', 'profiles');

/** Which server a benchmark process runs. */
export type ServerKind = 'terreau' | 'hocuspocus' | 'y-websocket';
export const serverLabels: Record<ServerKind, string> = {
  terreau: 'Terreau (journal + Git)',
  hocuspocus: 'Hocuspocus nu',
  'y-websocket': '@y/websocket-server',
};

export interface ServerHandle {
  kind: ServerKind;
  port: number;
  token: string | null;
  child: ChildProcess;
  memory(): Promise<{ rss: number; heapUsed: number }>;
  stop(): Promise<void>;
}

/** Installs @y/websocket-server in its own folder (once). */
export function installYWebsocketServer(): void {
  if (existsSync(join(isolatedDir, 'node_modules', '@y', 'websocket-server'))) return;
  mkdirSync(isolatedDir, { recursive: true });
  writeFileSync(join(isolatedDir, 'package.json'), JSON.stringify({ name: 'bench-y-websocket-server', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', '--silent', '@y/websocket-server@0.1.1', 'yjs@13', 'ws@8'], {
    cwd: isolatedDir,
    stdio: 'inherit',
  });
}

const yWebsocketServerSource = `
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
const server = http.createServer();
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port, token: null }));
process.on('message', (m) => {
  if (m === 'memory') { globalThis.gc?.(); process.send({ memory: process.memoryUsage() }); }
  if (m === 'stop') process.exit(0);
});
`;

/** Settings of one Terreau server of a benchmark beyond the defaults. */
export interface StartOptions {
  /** Names its data directory (several servers of one kind). */
  name?: string;
  /** Environment settings, as `npm start` reads them (DATABASE_URL, REDIS_URL, COMMONS_REMOTE, …). */
  env?: Record<string, string>;
}

/** Starts one server under test in a process of its own; `profile` writes CPU profiles (one per thread) on stop. */
export async function startServer(kind: ServerKind, work: string, seed: string, profile: boolean, options: StartOptions = {}): Promise<ServerHandle> {
  let child: ChildProcess;
  // One folder per server, one file per thread (Terreau's worker threads would overwrite a fixed name).
  const profiling = profile ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, options.name ?? kind)}`] : [];
  if (kind === 'y-websocket') {
    writeFileSync(join(isolatedDir, 'server.mjs'), yWebsocketServerSource);
    child = fork(join(isolatedDir, 'server.mjs'), [], { cwd: isolatedDir, execArgv: ['--expose-gc', ...profiling], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  } else {
    child = fork(join(root, 'scripts', 'lib', 'collab-servers.ts'), [], {
      cwd: root,
      execArgv: ['--expose-gc', ...profiling],
      env: {
        ...process.env,
        TERREAU_BENCH_SERVER: kind,
        TERREAU_BENCH_DATA: join(work, `data-${options.name ?? kind}`),
        TERREAU_BENCH_SEED: seed,
        TERREAU_BENCH_ENV: JSON.stringify(options.env ?? {}),
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
  }
  const ready = await new Promise<{ port: number; token: string | null }>((resolvePromise, reject) => {
    child.once('message', (m) => resolvePromise(m as { port: number; token: string | null }));
    child.once('exit', (code) => reject(new Error(`serveur ${kind} arrêté (code ${code})`)));
  });
  return {
    kind,
    port: ready.port,
    token: ready.token,
    child,
    memory: () =>
      new Promise((resolvePromise) => {
        child.once('message', (m) => resolvePromise((m as { memory: { rss: number; heapUsed: number } }).memory));
        child.send('memory');
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      // A clean exit lets --cpu-prof write its profile; a server that hangs is killed.
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// Child mode: one server process of the benchmark.
async function serveForBenchmark(kind: 'terreau' | 'hocuspocus'): Promise<void> {
  const send = (message: unknown) => process.send!(message);
  process.on('message', (m) => {
    if (m === 'memory') {
      globalThis.gc?.();
      send({ memory: process.memoryUsage() });
    }
    if (m === 'stop') process.exit(0);
  });
  if (kind === 'hocuspocus') {
    const { Server } = await import('@hocuspocus/server');
    const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false });
    await server.listen();
    send({ port: server.address.port, token: null });
    return;
  }
  const { configFromEnvironment, resolveConfig } = await import('../../editor-server/src/config.ts');
  const { createEditorServer } = await import('../../editor-server/src/server.ts');
  // Only the settings the benchmark gives, never those of the shell it runs in.
  const config = resolveConfig(configFromEnvironment(JSON.parse(process.env.TERREAU_BENCH_ENV ?? '{}')), {
    port: 0,
    dataDir: process.env.TERREAU_BENCH_DATA!,
    seedContentDir: process.env.TERREAU_BENCH_SEED!,
    siteBuild: false,
    quiet: true,
    limits: { maxWritersPerDocument: 1000, maxConnectionsPerIp: 10_000 },
  });
  const server = await createEditorServer(config);
  // Several servers may share one database (DATABASE_URL): the first makes the account, the others find it.
  const email = 'banc@exemple.fr';
  const user =
    (await server.accounts.findByEmail(email)) ??
    (await server.accounts.addUser({ email, name: 'Banc d’essai', role: 'contributeur' }).catch(async (error: unknown) => {
      const found = await server.accounts.findByEmail(email);
      if (!found) throw error;
      return found;
    }));
  const { token } = await server.accounts.createToken(user.id);
  send({ port: await server.listen(), token });
}

const childKind = process.env.TERREAU_BENCH_SERVER;
if (childKind === 'terreau' || childKind === 'hocuspocus') void serveForBenchmark(childKind);
