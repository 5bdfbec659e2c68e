import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, connect, startTestServer, type TestServer } from './helpers/editor-server.ts';

describe('limits of the collaboration server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ limits: { maxWritersPerDocument: 2, maxConnectionsPerIp: 6, maxDocumentBytes: 60 * 1024 } });
  });
  afterAll(() => t.close());

  it('refuse a client over the clients-per-document limit, with the reason', async () => {
    const alice = await t.addUser('Alice Martin');
    const first = await connect(t.wsUrl, 'fiches/jardin-partage', alice.token);
    const second = await connect(t.wsUrl, 'fiches/jardin-partage', alice.token);
    await expect(connect(t.wsUrl, 'fiches/jardin-partage', alice.token)).rejects.toThrow(/document complet/);
    first.destroy();
    second.destroy();
  });

  it('refuse document names outside the content tree', async () => {
    const alice = await t.addUser('Alice Chemins');
    for (const name of ['../etc/passwd', 'fiches/../../x', 'inconnue/x', 'fiches/A_B', 'fiches', 'fiches/x/y', 'fiches/.git']) {
      await expect(connect(t.wsUrl, name, alice.token)).rejects.toThrow(/nom de document invalide|collection inconnue|slug invalide/);
    }
    await expect(connect(t.wsUrl, 'fiches/nexiste-pas', null)).rejects.toThrow(/entrée introuvable/);
  });

  it('close a connection that makes a document too large, and only that one', async () => {
    const alice = await t.addUser('Alice Volume');
    const big = await connect(t.wsUrl, 'fiches/cantine-locale', alice.token);
    const closeReason = new Promise<string>((resolvePromise) => big.on('close', ({ event }: { event: { reason: string } }) => resolvePromise(event.reason)));
    appendParagraph(big.document, 'x'.repeat(80 * 1024));
    expect(await closeReason).toMatch(/document trop volumineux/);
    const other = await connect(t.wsUrl, 'fiches/epicerie-solidaire', alice.token);
    appendParagraph(other.document, 'Petit ajout');
    await acknowledged(other);
    big.destroy();
    other.destroy();
  });

  it('close connections over the per-address limit with code 4430 and a reason', async () => {
    const sockets: WebSocket[] = [];
    const closes: { code: number; reason: string }[] = [];
    for (let i = 0; i < 8; i++) {
      const socket = new WebSocket(t.wsUrl);
      socket.addEventListener('close', (e) => closes.push({ code: e.code, reason: e.reason }));
      await new Promise((r) => socket.addEventListener('open', r));
      sockets.push(socket);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(closes.length).toBe(2);
    expect(closes[0]).toMatchObject({ code: 4430 });
    expect(closes[0]!.reason).toMatch(/trop de connexions/);
    for (const socket of sockets) socket.close();
  });
});
