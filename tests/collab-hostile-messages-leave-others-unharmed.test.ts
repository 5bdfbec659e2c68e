import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, bodyText, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';

/** Opens a raw WebSocket and resolves with its close event (or null if still open after `ms`). */
function rawSocket(url: string): Promise<WebSocket> {
  return new Promise((resolvePromise, reject) => {
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => resolvePromise(socket);
    socket.onerror = () => reject(new Error('connexion impossible'));
  });
}

function closed(socket: WebSocket, ms = 3_000): Promise<{ code: number; reason: string } | null> {
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => resolvePromise(null), ms);
    socket.addEventListener('close', (event) => {
      clearTimeout(timer);
      resolvePromise({ code: event.code, reason: event.reason });
    });
  });
}

/** A Hocuspocus frame: document name, message type, then raw bytes. */
function frame(documentName: string, type: number, ...parts: ((e: encoding.Encoder) => void)[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  encoding.writeVarUint(encoder, type);
  for (const part of parts) part(encoder);
  return encoding.toUint8Array(encoder);
}

describe('random, truncated and oversized messages', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ limits: { maxMessageBytes: 64 * 1024 } });
  });
  afterAll(() => t.close());

  it('leave the server up and the other documents working', async () => {
    const alice = await t.addUser('Alice Martin');
    const bob = await t.addUser('Bob Durand');
    const a = await connect(t.wsUrl, 'fiches/jardin-partage', alice.token);
    const b = await connect(t.wsUrl, 'fiches/jardin-partage', bob.token);

    // Random bytes.
    for (let i = 0; i < 20; i++) {
      const socket = await rawSocket(t.wsUrl);
      const bytes = crypto.getRandomValues(new Uint8Array(1 + Math.floor(Math.random() * 2000)));
      socket.send(bytes);
      socket.send(crypto.getRandomValues(new Uint8Array(17)));
      setTimeout(() => socket.close(), 100);
    }
    // A well-addressed, authenticated-looking frame cut in the middle of the token.
    const truncatedAuth = frame('fiches/jardin-partage', 2, (e) => encoding.writeVarUint(e, 0), (e) => encoding.writeVarString(e, alice.token));
    const socket1 = await rawSocket(t.wsUrl);
    socket1.send(truncatedAuth.slice(0, truncatedAuth.length - 10));
    // A proper auth, then a sync update whose payload is garbage.
    const socket2 = await rawSocket(t.wsUrl);
    socket2.send(frame('fiches/jardin-partage', 2, (e) => encoding.writeVarUint(e, 0), (e) => encoding.writeVarString(e, alice.token)));
    await new Promise((r) => setTimeout(r, 200));
    socket2.send(frame('fiches/jardin-partage', 0, (e) => encoding.writeVarUint(e, 2), (e) => encoding.writeVarUint8Array(e, crypto.getRandomValues(new Uint8Array(300)))));
    socket2.send(frame('fiches/jardin-partage', 0, (e) => encoding.writeVarUint(e, 2), (e) => encoding.writeVarUint8Array(e, new Uint8Array([1, 1, 200]))));
    // Oversized: closed by the WebSocket layer with 1009 and a reason.
    const socket3 = await rawSocket(t.wsUrl);
    const oversized = closed(socket3);
    socket3.send(new Uint8Array(100 * 1024));
    const oversizedClose = await oversized;
    expect(oversizedClose?.code).toBe(1009);

    const health = await fetch(`${t.httpUrl}/api/health`);
    expect(health.status).toBe(200);
    appendParagraph(a.document, 'Toujours là après les attaques.');
    await acknowledged(a);
    await waitFor(() => bodyText(b.document).includes('Toujours là après les attaques.'));
    const other = await connect(t.wsUrl, 'fiches/cantine-locale', bob.token);
    appendParagraph(other.document, 'Un autre document va bien.');
    await acknowledged(other);
    expect(bodyText(t.server.hocuspocus.documents.get('fiches/cantine-locale')!)).toContain('Un autre document va bien.');
    // Nothing undecodable reached the journal: the document reloads.
    expect((await t.server.store.load('fiches/jardin-partage')).updates.length).toBeGreaterThan(0);
    for (const s of [socket1, socket2]) s.close();
    for (const p of [a, b, other]) p.destroy();
  });
});
