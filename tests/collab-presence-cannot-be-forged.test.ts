/**
 * Presence (who is here, in which colour) cannot be forged: readers publish none, a connection
 * speaks only for its own client ids, the server writes each name and colour from the account,
 * oversized presence closes the connection before anyone receives it, and a flood is cut to a
 * steady rate. The editor shows colours only as classes of its palette, never in a style.
 */
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presenceColourOf, presenceColours } from '../core/presence.ts';
import { renderCaret, renderPresenceList, selectionAttributes } from '../site/src/editor/presence-view.ts';
import { connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';

const DOC = 'fiches/jardin-partage';
const hostileColour = 'url(https://evil.example/pixel.png)';

/** Sends a raw awareness message for `states` (client id → state, at `clock`) on a provider's socket. */
function sendAwareness(provider: HocuspocusProvider, states: Map<number, Record<string, unknown> | string>, clock: number): void {
  const scratch = new Awareness(new Y.Doc());
  for (const [id, state] of states) {
    scratch.states.set(id, typeof state === 'string' ? { user: { name: state } } : state);
    scratch.meta.set(id, { clock, lastUpdated: Date.now() });
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, DOC);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(scratch, [...states.keys()]));
  provider.configuration.websocketProvider.send(encoding.toUint8Array(encoder));
}

/** What an observer sees of a client: its presence state, or undefined. */
const seenBy = (observer: HocuspocusProvider, clientId: number) => observer.awareness!.getStates().get(clientId) as { user?: { name: string; color: string }; [key: string]: unknown } | undefined;

describe('presence', () => {
  let t: TestServer;
  let alice: { id: string; token: string };
  let observer: HocuspocusProvider;
  beforeAll(async () => {
    t = await startTestServer({ limits: { maxPresenceBytes: 4096, maxPresenceUpdatesPerSecond: 5 } });
    alice = await t.addUser('Alice Présente');
    observer = await connect(t.wsUrl, DOC, (await t.addUser('Olivier Observe')).token);
  });
  afterAll(async () => {
    observer.destroy();
    await t.close();
  });

  it('is written by the server from the account: name and palette colour, caret kept, nothing else', async () => {
    const a = await connect(t.wsUrl, DOC, alice.token);
    a.awareness!.setLocalState({ user: { name: 'Zorro', color: hostileColour }, cursor: { anchor: { type: null }, head: { type: null } }, extra: 'x'.repeat(200) });
    await waitFor(() => seenBy(observer, a.document.clientID)?.cursor !== undefined, 10_000, 'présence d’Alice');
    expect(seenBy(observer, a.document.clientID)).toEqual({
      user: { name: 'Alice Présente', color: presenceColourOf(alice.id) },
      cursor: { anchor: { type: null }, head: { type: null } },
    });
    a.destroy();
  });

  it('is never published for a read-only connection', async () => {
    const reader = await connect(t.wsUrl, DOC, null);
    reader.awareness!.setLocalState({ user: { name: 'Lecteur anonyme', color: hostileColour } });
    sendAwareness(reader, new Map([[reader.document.clientID, { user: { name: 'Lecteur insistant', color: hostileColour } }]]), 50);
    // A writer's presence sent after the reader's arrives, so the reader's would have too.
    const later = await connect(t.wsUrl, DOC, (await t.addUser('Paul Après')).token);
    later.awareness!.setLocalStateField('user', { name: 'Paul' });
    await waitFor(() => seenBy(observer, later.document.clientID) !== undefined, 10_000, 'présence de Paul');
    expect(seenBy(observer, reader.document.clientID)).toBeUndefined();
    reader.destroy();
    later.destroy();
  });

  it('cannot be overwritten by another account reusing a client id with a higher clock', async () => {
    const a = await connect(t.wsUrl, DOC, alice.token);
    a.awareness!.setLocalStateField('user', { name: 'Alice' });
    await waitFor(() => seenBy(observer, a.document.clientID) !== undefined, 10_000, 'présence d’Alice');
    const mallory = await connect(t.wsUrl, DOC, (await t.addUser('Mallory Usurpe')).token);
    sendAwareness(mallory, new Map([[a.document.clientID, { user: { name: 'Alice (usurpée)', color: hostileColour } }]]), 10_000);
    // Mallory's own presence, sent after the forgery, proves the forgery was handled.
    sendAwareness(mallory, new Map([[mallory.document.clientID, 'Mallory']]), 1);
    await waitFor(() => seenBy(observer, mallory.document.clientID) !== undefined, 10_000, 'présence de Mallory');
    expect(seenBy(observer, a.document.clientID)?.user).toEqual({ name: 'Alice Présente', color: presenceColourOf(alice.id) });
    expect(seenBy(observer, mallory.document.clientID)?.user?.name).toBe('Mallory Usurpe');
    a.destroy();
    mallory.destroy();
  });

  it('closes a connection that sends oversized presence, before anyone receives it', async () => {
    const flooder = await connect(t.wsUrl, DOC, (await t.addUser('Fanny Inonde')).token);
    let received = 0;
    observer.configuration.websocketProvider.on('message', ({ data }: { data: ArrayBuffer }) => (received += data.byteLength));
    const closed = new Promise<string>((resolvePromise) => flooder.on('close', ({ event }: { event: { reason: string } }) => resolvePromise(event.reason)));
    for (let i = 0; i < 5; i++) sendAwareness(flooder, new Map([[flooder.document.clientID, { user: { name: 'x'.repeat(900 * 1024) } }]]), 10 + i);
    expect(await closed).toMatch(/présence trop volumineuse/);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(received).toBeLessThan(16 * 1024);
    flooder.destroy();
  });

  it('passes at a steady rate however fast a connection sends it', async () => {
    const chatty = await connect(t.wsUrl, DOC, (await t.addUser('Charles Bavard')).token);
    let updates = 0;
    observer.awareness!.on('update', ({ updated, added }: { updated: number[]; added: number[] }) => {
      if ([...updated, ...added].includes(chatty.document.clientID)) updates++;
    });
    const started = Date.now();
    // 100 updates, one every 20 ms: 50 per second, ten times the rate allowed here.
    for (let i = 1; i <= 100; i++) {
      sendAwareness(chatty, new Map([[chatty.document.clientID, { user: { name: 'C' }, cursor: { n: i } }]]), i);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 300));
    const seconds = (Date.now() - started) / 1000;
    expect(updates).toBeGreaterThan(5);
    // A burst of twice the rate, then the rate: far from the 100 sent.
    expect(updates).toBeLessThanOrEqual(10 + Math.ceil(5 * seconds) + 1);
    chatty.destroy();
  });
});

describe('presence in the editor', () => {
  const window = new Window();
  const doc = window.document as unknown as Document;
  const styled = (root: { querySelectorAll(s: string): ArrayLike<unknown> }) => root.querySelectorAll('[style]').length;

  it('shows names as text and colours only as palette classes', () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: { name: 'Alice', color: presenceColours[2] } }],
      [2, { user: { name: '<img src=x onerror=alert(1)>', color: hostileColour } }],
      [3, { user: { name: 'Bruno', color: 'red; background-image: url(https://evil.example/)' } }],
      [4, { cursor: {} }],
    ]);
    const [label, list] = renderPresenceList(states, doc);
    const container = doc.createElement('div');
    container.append(label, list);
    expect(label.textContent).toBe('3 personnes ici :');
    expect(styled(container)).toBe(0);
    expect(container.querySelectorAll('img')).toHaveLength(0);
    expect([...container.querySelectorAll('.presents-pastille')].map((dot) => dot.className)).toEqual([
      'presents-pastille presence-couleur-2',
      'presents-pastille presence-sans-couleur',
      'presents-pastille presence-sans-couleur',
    ]);
    expect(container.innerHTML).not.toContain('evil.example');
  });

  it('draws carets and selections without any style from the network', () => {
    const caret = renderCaret({ name: 'Mallory', color: hostileColour }, doc);
    expect(caret.getAttribute('style')).toBeNull();
    expect(styled(caret)).toBe(0);
    expect(caret.className).toContain('presence-sans-couleur');
    expect(selectionAttributes({ color: hostileColour })).toEqual({ class: 'presence-selection presence-sans-couleur' });
    expect(selectionAttributes({ color: presenceColours[5] })).toEqual({ class: 'presence-selection presence-couleur-5' });
  });

  it('has a class in the stylesheet for every palette colour', () => {
    const css = readFileSync(join(import.meta.dirname, '../site/src/editor/editor.css'), 'utf8');
    presenceColours.forEach((colour, i) => expect(css).toContain(`.presence-couleur-${i} { --presence: ${colour}; }`));
  });
});
