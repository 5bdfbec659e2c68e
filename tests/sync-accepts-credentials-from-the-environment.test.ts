/**
 * The remote's credentials may also come from their own environment variables, the remote's
 * address then carrying none (as many forges document it): the server clones, pushes and fetches
 * with them just the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnvironment } from '../editor-server/src/config.ts';
import { acknowledged, appendParagraph, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';
import { startTestRemote, type TestRemote } from './helpers/git-remote.ts';
import { commonsHead } from './helpers/sync.ts';

describe('credentials in COMMONS_REMOTE_USER and COMMONS_REMOTE_PASSWORD', { timeout: 300_000 }, () => {
  let remote: TestRemote;
  let t: TestServer;
  beforeAll(async () => {
    remote = await startTestRemote();
    const fromEnvironment = configFromEnvironment({
      COMMONS_REMOTE: remote.url,
      COMMONS_REMOTE_USER: remote.auth.user,
      COMMONS_REMOTE_PASSWORD: remote.auth.password,
    });
    t = await startTestServer({ git: { idleCommitMs: 300 }, sync: { ...fromEnvironment.sync, pushDelayMs: 100, retryMinMs: 300 } });
  });
  afterAll(async () => {
    await t?.close();
    await remote?.close();
  });

  it('push and fetch like credentials in the address', async () => {
    await waitFor(async () => (await remote.head()) === (await commonsHead(t)), 60_000, 'premier envoi');
    const alice = await t.addUser('Alice Martin');
    const provider = await connect(t.wsUrl, 'fiches/repair-cafe', alice.token);
    appendParagraph(provider.document, 'Envoyé avec les identifiants de l’environnement.');
    await acknowledged(provider);
    provider.destroy();
    await waitFor(async () => (await t.server.store.pendingEditors('fiches/repair-cafe')).length === 0, 90_000, 'commit');
    const head = await commonsHead(t);
    await waitFor(() => remote.contains(head), 90_000, 'envoi');
    expect(await remote.show('fiches/repair-cafe.mdx')).toContain('Envoyé avec les identifiants de l’environnement.');
    const theirs = await remote.commit('fiches/repair-cafe.mdx', (text) => `${text.trimEnd()}\n\nRécupéré avec les mêmes identifiants.\n`, 'Ajout distant');
    await t.server.mirror!.sync();
    expect(await commonsHead(t)).toBe(theirs);
    expect(t.server.mirror!.status()).toMatchObject({ state: 'ok', remote: remote.url });
  });
});
