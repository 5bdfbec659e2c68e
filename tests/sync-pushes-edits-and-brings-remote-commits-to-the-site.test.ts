/**
 * A commons with its remote on a forge (a real smart-HTTP server with authentication): every
 * acknowledged edit reaches the remote, pushed in batches; a commit made on the remote, announced
 * by its webhook, reaches live documents and the public page (a real site build). Credentials,
 * given in the remote's URL, never show.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { acknowledged, appendParagraph, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';
import { startTestRemote, type TestRemote } from './helpers/git-remote.ts';
import { callWebhook, commonsHead } from './helpers/sync.ts';

const secret = 'secret-du-webhook-de-test-0123456789';

describe('a commons that syncs with a remote', { timeout: 300_000 }, () => {
  let remote: TestRemote;
  let t: TestServer;
  const output: string[] = [];
  beforeAll(async () => {
    const keep = (...args: unknown[]) => void output.push(args.map(String).join(' '));
    vi.spyOn(console, 'log').mockImplementation(keep);
    vi.spyOn(console, 'error').mockImplementation(keep);
    remote = await startTestRemote();
    t = await startTestServer({
      quiet: false,
      siteBuild: true,
      git: { idleCommitMs: 60_000 },
      sync: { remote: remote.urlWithCredentials, webhookSecret: secret, pushDelayMs: 1_000, fetchIntervalMs: 600_000, retryMinMs: 200 },
    });
  });
  afterAll(async () => {
    await t?.close();
    await remote?.close();
    vi.restoreAllMocks();
  });

  it('fills an empty remote with the whole commons, then pushes every acknowledged edit, several commits at once', async () => {
    await waitFor(async () => (await remote.head()) === (await commonsHead(t)), 60_000, 'premier envoi');
    const alice = await t.addUser('Alice Martin');
    const a = await connect(t.wsUrl, 'fiches/jardin-partage', alice.token);
    const b = await connect(t.wsUrl, 'fiches/cantine-locale', alice.token);
    appendParagraph(a.document, 'Une phrase d’Alice pour le jardin.');
    appendParagraph(b.document, 'Une phrase d’Alice pour la cantine.');
    await Promise.all([acknowledged(a), acknowledged(b)]);
    const pushesBefore = remote.server.requests.filter((r) => r === 'POST /commun.git/git-receive-pack').length;
    const first = await t.server.gitSync.commitDocument('fiches/jardin-partage', t.server.hocuspocus.documents.get('fiches/jardin-partage')!);
    const second = await t.server.gitSync.commitDocument('fiches/cantine-locale', t.server.hocuspocus.documents.get('fiches/cantine-locale')!);
    expect([first.state, second.state]).toEqual(['committed', 'committed']);
    const head = await commonsHead(t);
    await waitFor(() => remote.contains(head), 90_000, 'envoi des commits');
    expect(await remote.show('fiches/jardin-partage.mdx')).toContain('Une phrase d’Alice pour le jardin.');
    expect(await remote.show('fiches/cantine-locale.mdx')).toContain('Une phrase d’Alice pour la cantine.');
    // Both commits went in one push.
    expect(remote.server.requests.filter((r) => r === 'POST /commun.git/git-receive-pack').length - pushesBefore).toBe(1);
    a.destroy();
    b.destroy();
  });

  it('brings a commit made on the remote, announced by its webhook, to live documents and the public page', async () => {
    const reader = await connect(t.wsUrl, 'fiches/marche-de-producteurs', null);
    const sentence = 'Un paragraphe ajouté sur la forge.';
    const commit = await remote.commit('fiches/marche-de-producteurs.mdx', (text) => `${text.trimEnd()}\n\n${sentence}\n`, 'Compléter depuis la forge');
    expect((await callWebhook(t, 'mauvais-secret-mauvais-secret')).status).toBe(401);
    const accepted = await callWebhook(t, secret);
    expect(accepted.status).toBe(202);
    await waitFor(() => reader.document.getXmlFragment('default').toString().includes(sentence), 90_000, 'document à jour');
    expect(await commonsHead(t)).toBe(commit);
    expect(await readFile(join(t.server.paths.repoDir, 'fiches/marche-de-producteurs.mdx'), 'utf8')).toContain(sentence);
    // The first site build starts with this change: the public page follows.
    await waitFor(
      async () => (await fetch(`${t.httpUrl}/fiches/marche-de-producteurs/`).then((r) => (r.ok ? r.text() : ''))).includes(sentence),
      240_000,
      'page publique à jour',
    );
    reader.destroy();
  }, 300_000);

  it('never shows the credentials: not in logs, health, sync status, pages or the repository', async () => {
    const admin = await t.addUser('Administratrice', 'administrateur');
    const health = await (await fetch(`${t.httpUrl}/api/health`)).json();
    expect(health.sync).toMatchObject({ state: 'ok' });
    const status = await (await fetch(`${t.httpUrl}/api/sync`, { headers: { Authorization: `Bearer ${admin.token}` } })).text();
    expect(status).toContain(remote.url);
    const page = await (await fetch(`${t.httpUrl}/reutiliser/`)).text();
    const config = await readFile(join(t.server.paths.repoDir, '.git/config'), 'utf8');
    for (const text of [output.join('\n'), JSON.stringify(health), status, page, config]) {
      expect(text).not.toContain(remote.auth.password);
    }
    expect(output.join('\n')).toContain('poussé');
  });
});
