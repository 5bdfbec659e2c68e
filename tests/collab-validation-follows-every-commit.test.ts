import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, connect, gitFromOutside, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';
import { readField } from '../core/bridge/mdx-yjs.ts';

/** Sets `acteurs_ressources` of a live fiche and tries to commit it. */
async function linkAndCommit(t: TestServer, token: string, fiche: string, structures: string[]) {
  const provider = await connect(t.wsUrl, fiche, token);
  provider.document.getMap('frontmatter').set('acteurs_ressources', structures);
  await acknowledged(provider);
  const outcome = await t.server.gitSync.commitDocument(fiche, t.server.hocuspocus.documents.get(fiche)!);
  provider.destroy();
  // The departure commits again: let it finish so that it never races the next step.
  await waitFor(() => !t.server.hocuspocus.documents.has(fiche));
  await t.server.gitSync.idle();
  return outcome;
}

describe('the validation of an edited entry', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ git: { idleCommitMs: 60_000, headPollMs: 100 } });
  });
  afterAll(() => t.close());

  it('sees the entries added and removed by commits made from outside since the start', async () => {
    const alice = await t.addUser('Alice Martin');
    const repo = t.server.paths.repoDir;
    expect((await linkAndCommit(t, alice.token, 'fiches/jardin-partage', ['arrivee-en-amont'])).state).toBe('invalid');

    const copy = readFileSync(join(repo, 'structures/colibris.mdx'), 'utf8');
    writeFileSync(join(repo, 'structures/arrivee-en-amont.mdx'), copy);
    gitFromOutside(repo, 'add', 'structures/arrivee-en-amont.mdx');
    gitFromOutside(repo, 'commit', '-q', '-m', 'Une structure ajoutée hors de l’éditeur');
    const head = gitFromOutside(repo, 'rev-parse', 'HEAD').trim();
    // The commit below absorbs the outside commit first (HEAD moved), whether or not polling did.
    const accepted = await linkAndCommit(t, alice.token, 'fiches/jardin-partage', ['arrivee-en-amont']);
    expect(accepted.state).toBe('committed');
    expect(gitFromOutside(repo, 'rev-parse', 'HEAD~1').trim()).toBe(head);

    gitFromOutside(repo, 'rm', '-q', 'structures/arrivee-en-amont.mdx');
    gitFromOutside(repo, 'commit', '-q', '-m', 'La structure retirée hors de l’éditeur');
    const outcome = await linkAndCommit(t, alice.token, 'fiches/cantine-locale', ['arrivee-en-amont']);
    expect(outcome.state).toBe('invalid');
  });

  it('sees the entries the editor itself committed', async () => {
    const alice = await t.addUser('Alice Créatrice');
    const repo = t.server.paths.repoDir;
    // A new structure written in the editor (a copy of an existing one under a new slug)…
    const created = await connect(t.wsUrl, 'structures/nouvelle-par-l-editeur', alice.token);
    const source = await connect(t.wsUrl, 'structures/colibris', null);
    created.document.getMap('frontmatter').set('titre', 'Nouvelle structure');
    // Plain values: a text field is a Y.Text of the other document, which cannot be moved into this one.
    for (const key of source.document.getMap('frontmatter').keys()) if (key !== 'titre') created.document.getMap('frontmatter').set(key, readField(source.document.getMap('frontmatter'), key));
    await acknowledged(created);
    source.destroy();
    const live = t.server.hocuspocus.documents.get('structures/nouvelle-par-l-editeur')!;
    expect((await t.server.gitSync.commitDocument('structures/nouvelle-par-l-editeur', live)).state).toBe('committed');
    created.destroy();
    await waitFor(() => gitFromOutside(repo, 'ls-files').includes('structures/nouvelle-par-l-editeur.mdx'));
    // …can be linked from a fiche right away.
    expect((await linkAndCommit(t, alice.token, 'fiches/epicerie-solidaire', ['nouvelle-par-l-editeur'])).state).toBe('committed');
  });
});
