/**
 * Pushes the remote refuses: its hook declines them (the server retries until it accepts), or it
 * moved meanwhile (the server fetches, merges and pushes again; never forces). Every acknowledged
 * edit reaches the remote, every remote commit reaches the commons.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';
import { gitOk } from './helpers/git-client.ts';
import { startTestRemote, type TestRemote } from './helpers/git-remote.ts';
import { commonsHead } from './helpers/sync.ts';

describe('a push the remote refuses', { timeout: 300_000 }, () => {
  let remote: TestRemote;
  let t: TestServer;
  beforeAll(async () => {
    remote = await startTestRemote();
    t = await startTestServer({
      git: { idleCommitMs: 300 },
      sync: { remote: remote.urlWithCredentials, pushDelayMs: 100, fetchIntervalMs: 600_000, retryMinMs: 300, retryMaxMs: 1_000 },
    });
    await waitFor(async () => (await remote.head()) === (await commonsHead(t)), 60_000, 'premier envoi');
  });
  afterAll(async () => {
    await t?.close();
    await remote?.close();
  });

  async function edit(doc: string, sentence: string): Promise<void> {
    const alice = await t.addUser('Alice Martin');
    const provider = await connect(t.wsUrl, doc, alice.token);
    appendParagraph(provider.document, sentence);
    await acknowledged(provider);
    provider.destroy();
    await waitFor(async () => (await t.server.store.pendingEditors(doc)).length === 0, 90_000, 'commit');
    await t.server.gitSync.idle();
  }

  it('is tried again until the remote accepts it', async () => {
    await remote.refusePushes(true);
    await edit('fiches/repair-cafe', 'Une phrase envoyée malgré un refus.');
    await waitFor(async () => (await (await fetch(`${t.httpUrl}/api/health`)).json()).sync?.state === 'late', 90_000, 'retard signalé');
    const { sync } = await (await fetch(`${t.httpUrl}/api/health`)).json();
    expect(sync.message).toContain(' : envoi refusé par le dépôt distant ; 1 commit en attente d’envoi.');
    await remote.refusePushes(false);
    const head = await commonsHead(t);
    await waitFor(() => remote.contains(head), 90_000, 'envoi accepté');
    expect(await remote.show('fiches/repair-cafe.mdx')).toContain('Une phrase envoyée malgré un refus.');
  });

  it('merges the remote’s new commit and pushes again when the remote moved meanwhile, never forcing', async () => {
    // Someone commits on the remote; no webhook: the server learns it when its push is refused.
    const theirs = await remote.commit('fiches/cantine-locale.mdx', (text) => `${text.trimEnd()}\n\nAjout distant sur la cantine.\n`, 'Ajout distant');
    await edit('fiches/jardin-partage', 'Ajout local sur le jardin.');
    const mine = await commonsHead(t);
    await waitFor(async () => (await remote.contains(mine)) && (await remote.head()) !== theirs, 90_000, 'fusion envoyée');
    const head = (await remote.head())!;
    expect(await remote.contains(theirs)).toBe(true);
    // A merge commit whose parents are both sides.
    const parents = (await gitOk(['-C', remote.bareDir, 'rev-list', '--parents', '-n', '1', head])).trim().split(' ').slice(1);
    expect(parents.sort()).toEqual([mine, theirs].sort());
    expect(await remote.show('fiches/cantine-locale.mdx')).toContain('Ajout distant sur la cantine.');
    expect(await remote.show('fiches/jardin-partage.mdx')).toContain('Ajout local sur le jardin.');
    // The remote's commit reached the commons' work tree too.
    expect(await readFile(join(t.server.paths.repoDir, 'fiches/cantine-locale.mdx'), 'utf8')).toContain('Ajout distant sur la cantine.');
    expect(await commonsHead(t)).toBe(head);
  });
});
