/**
 * A commit on the remote to the very entry someone is editing live. The live edits are committed
 * first, then merged with the remote's commit through the Yjs bridge: changes to different places
 * both stay; the same passage changed on both sides keeps both versions in the entry, flagged for
 * a reviewer. Every acknowledged edit reaches the remote, the remote's commit reaches the document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFLICT_TITLE } from '../core/bridge/merge-entries.ts';
import { acknowledged, appendParagraph, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';
import { startTestRemote, type TestRemote } from './helpers/git-remote.ts';
import { gitOk } from './helpers/git-client.ts';
import { callWebhook, commonsHead, rewriteParagraph } from './helpers/sync.ts';

const secret = 'un-secret-partage-avec-la-forge-42';

describe('a remote commit to the entry being edited live', { timeout: 300_000 }, () => {
  let remote: TestRemote;
  let t: TestServer;
  beforeAll(async () => {
    remote = await startTestRemote();
    t = await startTestServer({
      git: { idleCommitMs: 60_000 },
      sync: { remote: remote.urlWithCredentials, webhookSecret: secret, pushDelayMs: 100, fetchIntervalMs: 600_000, retryMinMs: 300 },
    });
    await waitFor(async () => (await remote.head()) === (await commonsHead(t)), 60_000, 'premier envoi');
  });
  afterAll(async () => {
    await t?.close();
    await remote?.close();
  });

  it('keeps the live edits and the remote’s changes when they touch different places', async () => {
    const alice = await t.addUser('Alice Martin');
    const provider = await connect(t.wsUrl, 'fiches/jardin-partage', alice.token);
    const body = () => provider.document.getXmlFragment('default').toString();
    appendParagraph(provider.document, 'Alice écrit ceci en direct.');
    await acknowledged(provider);
    const theirs = await remote.commit(
      'fiches/jardin-partage.mdx',
      (text) => text.replace(/^resume: .*$/m, 'resume: Un résumé revu sur la forge, pendant qu’Alice écrit.').replace(/^Un jardin partagé ne nourrira pas.*$/m, 'Un premier paragraphe revu sur la forge.'),
      'Revoir le début depuis la forge',
    );
    expect((await callWebhook(t, secret)).status).toBe(202);
    await waitFor(() => body().includes('Un premier paragraphe revu sur la forge.'), 90_000, 'fusion dans le document');
    expect(String(provider.document.getMap('frontmatter').get('resume'))).toBe('Un résumé revu sur la forge, pendant qu’Alice écrit.');
    expect(body().match(/Alice écrit ceci en direct\./g)).toHaveLength(1);
    expect(body()).not.toContain('ne nourrira pas');
    expect(body()).not.toContain(CONFLICT_TITLE);

    // Alice goes on; everything reaches the remote, on top of its commit.
    appendParagraph(provider.document, 'Alice continue après la fusion.');
    await acknowledged(provider);
    provider.destroy();
    await waitFor(async () => (await t.server.store.pendingEditors('fiches/jardin-partage')).length === 0, 90_000, 'commit');
    await t.server.gitSync.idle();
    const head = await commonsHead(t);
    await waitFor(() => remote.contains(head), 90_000, 'envoi');
    expect(await remote.contains(theirs)).toBe(true);
    const text = await remote.show('fiches/jardin-partage.mdx');
    for (const sentence of ['Alice écrit ceci en direct.', 'Alice continue après la fusion.', 'Un premier paragraphe revu sur la forge.']) {
      expect(text.split(sentence)).toHaveLength(2);
    }
  });

  it('keeps both versions of a passage changed on both sides, in the entry, flagged for a reviewer', async () => {
    const alice = await t.addUser('Alice Relue');
    const admin = await t.addUser('Claire Admin', 'administrateur');
    const provider = await connect(t.wsUrl, 'fiches/repair-cafe', alice.token);
    const body = () => provider.document.getXmlFragment('default').toString();
    rewriteParagraph(provider.document, 'Un grille-pain', 'Version d’Alice : on répare ensemble un samedi par mois.');
    await acknowledged(provider);
    await remote.commit(
      'fiches/repair-cafe.mdx',
      (text) => text.replace(/^Un grille-pain.*$/m, 'Version de la forge : on répare ensemble chaque mercredi.'),
      'Réécrire le même paragraphe sur la forge',
    );
    expect((await callWebhook(t, secret)).status).toBe(202);
    await waitFor(() => body().includes('Version de la forge'), 90_000, 'fusion dans le document');
    const live = body();
    const mine = live.indexOf('Version d’Alice : on répare ensemble un samedi par mois.');
    const box = live.indexOf(CONFLICT_TITLE);
    const other = live.indexOf('Version de la forge : on répare ensemble chaque mercredi.');
    expect(mine).toBeGreaterThan(-1);
    expect(box).toBeGreaterThan(mine);
    expect(other).toBeGreaterThan(box);
    expect(live.match(/Version d’Alice/g)).toHaveLength(1);
    expect(live.match(/Version de la forge/g)).toHaveLength(1);

    const sync = await (await fetch(`${t.httpUrl}/api/sync`, { headers: { Authorization: `Bearer ${admin.token}` } })).json();
    expect(sync.remote.conflicts).toEqual([expect.objectContaining({ file: 'fiches/repair-cafe.mdx', fields: ['corps'] })]);
    const message = await gitOk(['-C', t.server.paths.repoDir, 'log', '-1', '--format=%B', sync.remote.conflicts[0].commit]);
    expect(message).toContain('À relire (les deux versions sont gardées) :\n- fiches/repair-cafe.mdx : corps');
    // A reader without an account cannot see the list.
    expect((await fetch(`${t.httpUrl}/api/sync`)).status).toBe(401);

    provider.destroy();
    const head = await commonsHead(t);
    await waitFor(() => remote.contains(head), 90_000, 'envoi');
    const text = await remote.show('fiches/repair-cafe.mdx');
    expect(text).toContain('Version d’Alice');
    expect(text).toContain(CONFLICT_TITLE);
    expect(text).toContain('Version de la forge');
  });
});
