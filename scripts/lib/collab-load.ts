/**
 * Load for the collaboration benchmarks: clients of a Hocuspocus server or of the y-websocket
 * protocol, fan-out latency (from a send to its receipt at every other client of the document),
 * bursts, and a final check that every client holds every update sent to its document.
 */
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

/** Document name of each client's Y.Doc. */
const documentOf = new WeakMap<Y.Doc, string>();

/** One collaborating client, whatever the server. */
export interface BenchClient {
  doc: Y.Doc;
  close(): void;
  /** Updates sent and not yet acknowledged by the server (Hocuspocus clients only). */
  unacknowledged?(): number;
}

/** Connects a Hocuspocus provider to `url` (…/collab) and resolves once it is synced. */
export function connectHocuspocus(url: string, token: string | null, name: string, doc: Y.Doc): Promise<BenchClient> {
  documentOf.set(doc, name);
  const provider = new HocuspocusProvider({ url, name, token, document: doc });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} : pas de synchronisation`)), 60_000);
    provider.on('synced', () => {
      clearTimeout(timer);
      resolvePromise({ doc, close: () => provider.destroy(), unacknowledged: () => provider.unsyncedChanges });
    });
    provider.on('authenticationFailed', ({ reason }: { reason: string }) => reject(new Error(reason)));
  });
}

/** A minimal y-websocket client (sync protocol only): the y-websocket package would bring its own Yjs copy. */
export function connectYWebsocket(port: number, name: string, doc: Y.Doc): Promise<BenchClient> {
  documentOf.set(doc, name);
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

/** Records that `key` was written to the document of `client`. */
function recordSent(sent: Map<string, string[]>, client: BenchClient, key: string): void {
  const name = documentOf.get(client.doc)!;
  const keys = sent.get(name);
  if (keys) keys.push(key);
  else sent.set(name, [key]);
}

/**
 * Sends `count` updates from rotating clients every `intervalMs`; a sample is the time from the
 * send to the receipt at one other client of the document (so n − 1 samples per update).
 */
export async function measureLatency(clients: BenchClient[], count: number, intervalMs: number, sent: Map<string, string[]>): Promise<{ p50: number; p99: number }> {
  const latencies: number[] = [];
  const run = `l${Math.random().toString(36).slice(2, 8)}`;
  const sentAt = new Map<string, number>();
  let expected = 0;
  const observers = clients.map((client) => {
    const map = client.doc.getMap<number>('bench');
    const observer = (event: Y.YMapEvent<number>) => {
      if (event.transaction.local) return;
      const now = performance.now();
      for (const key of event.keysChanged) {
        const at = sentAt.get(key);
        if (at !== undefined) latencies.push(now - at);
      }
    };
    map.observe(observer);
    return () => map.unobserve(observer);
  });
  const peers = new Map<string, number>();
  for (const c of clients) peers.set(documentOf.get(c.doc)!, (peers.get(documentOf.get(c.doc)!) ?? 0) + 1);
  for (let i = 0; i < count; i++) {
    const sender = clients[(i * 7) % clients.length]!;
    expected += peers.get(documentOf.get(sender.doc)!)! - 1;
    const key = `${run}-${i}`;
    recordSent(sent, sender, key);
    sentAt.set(key, performance.now());
    sender.doc.getMap<number>('bench').set(key, i);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const deadline = Date.now() + 30_000;
  while (latencies.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const stop of observers) stop();
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

/** Every client sends its share of `total` updates at once; time until everyone has everything. */
export async function measureBurst(clients: BenchClient[], total: number, sent: Map<string, string[]>): Promise<{ updatesPerSecond: number }> {
  const run = `b${Math.random().toString(36).slice(2, 8)}`;
  const perClient = Math.ceil(total / clients.length);
  const count = perClient * clients.length;
  const start = performance.now();
  for (let i = 0; i < perClient; i++) {
    for (const [c, client] of clients.entries()) {
      const key = `${run}-${c}-${i}`;
      recordSent(sent, client, key);
      client.doc.getMap<number>('bench').set(key, i);
    }
  }
  const received = (client: BenchClient) => [...client.doc.getMap('bench').keys()].filter((k) => k.startsWith(run)).length;
  const deadline = Date.now() + 60_000;
  while (clients.some((c) => received(c) < count) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return { updatesPerSecond: count / ((performance.now() - start) / 1000) };
}

/** (client, update) pairs missing from the clients' final states, after up to 30 s to settle. */
export async function countMissingUpdates(clients: BenchClient[], sent: Map<string, string[]>): Promise<number> {
  const missing = () =>
    clients.reduce((sum, client) => {
      const map = client.doc.getMap('bench');
      return sum + (sent.get(documentOf.get(client.doc)!) ?? []).filter((key) => !map.has(key)).length;
    }, 0);
  const deadline = Date.now() + 30_000;
  while (missing() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return missing();
}

/** The q-quantile of sorted values. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

