/**
 * The remote stops in the middle of a session: the server goes on committing locally, says since
 * when it is late (/api/health), retries with a growing wait, and once the remote is back every
 * acknowledged edit reaches it, with nothing lost and no history rewritten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';
import { gitOk } from './helpers/git-client.ts';
import { startTestRemote, type TestRemote } from './helpers/git-remote.ts';
import { commonsHead } from './helpers/sync.ts';

describe('a remote that stops mid-session', { timeout: 300_000 }, () => {
  let remote: TestRemote;
  let t: TestServer;
  beforeAll(async () => {
    remote = await startTestRemote();
    t = await startTestServer({
      git: { idleCommitMs: 300 },
      sync: { remote: remote.urlWithCredentials, pushDelayMs: 100, fetchIntervalMs: 600_000, retryMinMs: 300, retryMaxMs: 1_500, networkTimeoutMs: 10_000 },
    });
    await waitFor(async () => (await remote.head()) === (await commonsHead(t)), 60_000, 'premier envoi');
    // The first push is over on the server's side too: stopping the remote before its answer arrives
    // would leave the push's outcome unknown, and the commons would count those commits as unsent.
    await waitFor(() => t.server.mirror!.status().pendingCommits === 0, 60_000, 'premier envoi confirmé');
  });
  afterAll(async () => {
    await t?.close();
    await remote?.close();
  });

  it('keeps every edit, reports the lag, and sends everything when the remote is back', async () => {
    const before = await remote.head();
    await remote.server.stop();
    const alice = await t.addUser('Alice Martin');
    const sentences: string[] = [];
    for (const [i, doc] of ['fiches/jardin-partage', 'fiches/repair-cafe', 'fiches/jardin-partage'].entries()) {
      const provider = await connect(t.wsUrl, doc, alice.token);
      const sentence = `Modification ${i + 1} faite pendant la panne du dépôt distant.`;
      appendParagraph(provider.document, sentence);
      await acknowledged(provider);
      sentences.push(sentence);
      provider.destroy(); // the last editor leaves: committed locally at once
      await waitFor(async () => (await t.server.store.pendingEditors(doc)).length === 0, 90_000, `commit ${i + 1}`);
    }
    await t.server.gitSync.idle();
    const local = await commonsHead(t);
    expect(local).not.toBe(before);

    await waitFor(async () => (await (await fetch(`${t.httpUrl}/api/health`)).json()).sync?.state === 'late', 90_000, 'retard signalé');
    const health = await (await fetch(`${t.httpUrl}/api/health`)).json();
    const said = /^synchronisation en retard depuis le \d{1,2} \S+ \d{4} à \d{1,2}\u00a0h\u00a0\d{2} : dépôt distant injoignable ; (\d+) commits? en attente d’envoi\. /.exec(health.sync.message);
    expect(said, health.sync.message).not.toBeNull();
    // Counted at the last attempt: at most the commits the remote lacks.
    const lacking = Number((await gitOk(['-C', t.server.paths.repoDir, 'rev-list', '--count', `${before}..${local}`])).trim());
    expect(lacking).toBe(3);
    expect(Number(said![1])).toBeGreaterThanOrEqual(1);
    expect(Number(said![1])).toBeLessThanOrEqual(lacking);
    expect(new Date(health.sync.lateSince).getTime()).toBeLessThanOrEqual(Date.now());
    expect(await remote.head()).toBe(before);

    await remote.server.start();
    await waitFor(async () => (await remote.head()) === local, 90_000, 'envoi après la panne');
    // Fast-forward from what the remote had: history kept as it was.
    expect(await remote.contains(before!)).toBe(true);
    const texts = (await remote.show('fiches/jardin-partage.mdx')) + (await remote.show('fiches/repair-cafe.mdx'));
    for (const sentence of sentences) expect(texts).toContain(sentence);
    await waitFor(async () => (await (await fetch(`${t.httpUrl}/api/health`)).json()).sync?.state === 'ok', 90_000, 'retour à la normale');
  });
});
