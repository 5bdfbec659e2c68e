/**
 * A reader's proposal, accepted by a relecteur, is attached to its entry: editors list it, and
 * once one marks it integrated, the entry's next commit credits the reader as co-author under the
 * name they chose. Only relecteurs and administrateurs moderate; a decision is taken once.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';

describe('a reader’s proposal', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ git: { idleCommitMs: 60_000 } });
  });
  afterAll(() => t.close());

  const api = (path: string, token: string, body?: unknown) =>
    fetch(`${t.httpUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('is listed on its entry once accepted, and credits the reader in the commit that integrates it', async () => {
    const sent = await fetch(`${t.httpUrl}/contribuer`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ type: 'amelioration', entree: 'fiches/jardin-partage', texte: 'Proposer des parcelles surélevées pour les personnes âgées.', nom: 'Yvette Rameau', consentement: 'oui' }),
    });
    expect(sent.status).toBe(303);
    const alice = await t.addUser('Alice Martin', 'contributeur');
    const claire = await t.addUser('Claire Martin', 'relecteur');

    expect((await api('/api/moderation', alice.token)).status).toBe(403);
    const { pending } = (await (await api('/api/moderation', claire.token)).json()) as { pending: { id: string; name: string }[] };
    const proposal = pending.find((c) => c.name === 'Yvette Rameau')!;
    const accepted = await api(`/api/moderation/${proposal.id}/accepter`, claire.token, {});
    expect(accepted.status).toBe(200);
    expect((await accepted.json()).result).toBe('fiches/jardin-partage');
    const again = await api(`/api/moderation/${proposal.id}/refuser`, claire.token, { raison: 'trop tard' });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toBe('cette contribution a déjà été traitée');

    const listed = (await (await api('/api/propositions?doc=fiches/jardin-partage', alice.token)).json()) as { proposals: { id: string; text: string }[] };
    expect(listed.proposals.map((p) => p.text)).toEqual(['Proposer des parcelles surélevées pour les personnes âgées.']);

    const editor = await connect(t.wsUrl, 'fiches/jardin-partage', alice.token);
    appendParagraph(editor.document, 'Prévoir des parcelles surélevées, accessibles en fauteuil.');
    await acknowledged(editor);
    expect((await api(`/api/propositions/${proposal.id}/integree`, alice.token, {})).status).toBe(200);
    editor.destroy();

    const repo = join(t.dataDir, 'commons');
    const lastCommit = () => execFileSync('git', ['-C', repo, 'log', '-1', '--format=%an%n%B', '--', 'fiches/jardin-partage.mdx'], { encoding: 'utf8' });
    await waitFor(() => lastCommit().includes('depuis l’éditeur'), 20_000, `commit (dernier : ${lastCommit()})`);
    expect(lastCommit()).toMatch(new RegExp(`^Alice Martin\\n[\\s\\S]*Co-authored-by: Yvette Rameau <lecteur-${proposal.id}@`));
    expect((await (await api('/api/propositions?doc=fiches/jardin-partage', alice.token)).json()).proposals).toEqual([]);
    expect((await t.server.contributions.decisions()).map((d) => d.action)).toEqual(['integree', 'acceptee']);
  }, 120_000);
});
