/**
 * Readers cannot crowd out writers: read-only connections have their own, lower budget per
 * document and per address, and never count against the people editing, who always get in up to
 * their own limit. One socket opens only so many documents.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, connect, startTestServer, type TestServer } from './helpers/editor-server.ts';

/** A provider whose socket arrives through the trusted proxy on behalf of `address`. */
function connectFrom(address: string, wsUrl: string, name: string, token: string | null): Promise<HocuspocusProvider> {
  const WebSocketFrom = class extends WebSocket {
    constructor(url: string) {
      super(url, { headers: { 'X-Forwarded-For': address } } as unknown as string[]);
    }
  };
  const websocketProvider = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: WebSocketFrom });
  const provider = new HocuspocusProvider({ websocketProvider, name, token, document: new Y.Doc() });
  // A provider given its socket is attached by hand.
  provider.attach();
  return settled(provider);
}

/** Resolves once the provider is synced, rejects with the server's reason if refused. */
function settled(provider: HocuspocusProvider): Promise<HocuspocusProvider> {
  return new Promise((resolvePromise, reject) => {
    provider.on('synced', () => resolvePromise(provider));
    provider.on('authenticationFailed', ({ reason }: { reason: string }) => reject(new Error(`refusé : ${reason}`)));
  });
}

describe('budgets of the collaboration server', () => {
  let t: TestServer;
  const opened: HocuspocusProvider[] = [];
  const keep = (p: HocuspocusProvider) => (opened.push(p), p);
  beforeAll(async () => {
    t = await startTestServer({
      trustProxy: ['127.0.0.1'],
      limits: { maxWritersPerDocument: 3, maxReadersPerDocument: 3, maxReadersPerAddress: 2, maxDocumentsPerSocket: 4, maxConnectionsPerIp: 100 },
    });
  });
  afterAll(async () => {
    for (const p of opened) p.destroy();
    await t.close();
  });

  it('let every writer in, however many readers watch the document', async () => {
    const doc = 'fiches/jardin-partage';
    keep(await connectFrom('203.0.113.1', t.wsUrl, doc, null));
    keep(await connectFrom('203.0.113.2', t.wsUrl, doc, null));
    keep(await connectFrom('203.0.113.3', t.wsUrl, doc, null));
    await expect(connectFrom('203.0.113.4', t.wsUrl, doc, null)).rejects.toThrow(/document complet pour la lecture \(3 lecteurs au plus/);
    // Three readers in a document of three writers: all three contributors still get in and write.
    for (const name of ['Alice', 'Bruno', 'Chloé']) {
      const writer = keep(await connect(t.wsUrl, doc, (await t.addUser(`${name} Rédige`)).token));
      expect(writer.authorizedScope).toBe('read-write');
      appendParagraph(writer.document, `${name} écrit malgré les lecteurs.`);
      await acknowledged(writer);
    }
    // Writers have their own limit.
    await expect(connect(t.wsUrl, doc, (await t.addUser('Denis Quatrième')).token)).rejects.toThrow(/document complet : 3 personnes au plus le modifient/);
  });

  it('keep one address from taking every reader seat', async () => {
    keep(await connectFrom('198.51.100.7', t.wsUrl, 'fiches/cantine-locale', null));
    keep(await connectFrom('198.51.100.7', t.wsUrl, 'fiches/repair-cafe', null));
    await expect(connectFrom('198.51.100.7', t.wsUrl, 'fiches/epicerie-solidaire', null)).rejects.toThrow(/trop de documents ouverts en lecture depuis votre adresse \(2 au plus\)/);
    // Another address still reads.
    keep(await connectFrom('198.51.100.8', t.wsUrl, 'fiches/epicerie-solidaire', null));
  });

  it('cap the documents one socket opens', async () => {
    const writer = await t.addUser('Eva Multiple');
    const websocketProvider = new HocuspocusProviderWebsocket({ url: t.wsUrl });
    const names = ['guides/enquete-collective', 'guides/diagnostic-sensible', 'guides/mise-en-recit', 'guides/exposition-evolutive', 'guides/methode-solucracy', 'guides/instance-participative'];
    const results: string[] = [];
    for (const name of names) {
      const provider = keep(new HocuspocusProvider({ websocketProvider, name, token: writer.token, document: new Y.Doc() }));
      provider.attach();
      results.push(await settled(provider).then(() => 'ouvert', (e: Error) => e.message));
    }
    expect(results.slice(0, 4)).toEqual(['ouvert', 'ouvert', 'ouvert', 'ouvert']);
    expect(results.slice(4)).toEqual([expect.stringMatching(/trop de documents ouverts sur une même connexion \(4 au plus\)/), expect.stringMatching(/trop de documents/)]);
  });
});
