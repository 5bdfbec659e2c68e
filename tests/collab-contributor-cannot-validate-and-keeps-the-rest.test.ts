/**
 * « Validé » is the reviewers' word, and the server enforces it: a contributor who sets the statut
 * of an entry to `valide` through the collaboration protocol gets it put back, with a French
 * reason, and everything else of the edit is committed; a contributor who edits a validated entry
 * sends it back to `propose` until a reviewer validates it again.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, collectStatuses, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';

const git = (repo: string, ...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });

describe('a contributor who sets « valide »', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ git: { idleCommitMs: 60_000 } });
  });
  afterAll(() => t.close());

  it('sees the statut put back with a French reason, and the rest of the edit committed', async () => {
    const alice = await t.addUser('Alice Contributrice', 'contributeur');
    const a = await connect(t.wsUrl, 'fiches/jardin-partage', alice.token);
    const statuses = collectStatuses(a);
    const frontmatter = a.document.getMap('frontmatter');
    expect(frontmatter.get('statut')).toBe('propose');
    frontmatter.set('statut', 'valide');
    frontmatter.set('resume', 'Un jardin cultivé ensemble, résumé repris par Alice.');
    appendParagraph(a.document, 'Un paragraphe d’Alice à garder.');
    await acknowledged(a);

    const outcome = await t.server.gitSync.commitDocument('fiches/jardin-partage', t.server.hocuspocus.documents.get('fiches/jardin-partage')!);
    expect(outcome.state).toBe('committed');
    const committed = git(t.server.paths.repoDir, 'show', 'HEAD:fiches/jardin-partage.mdx');
    expect(committed).toContain('statut: propose');
    expect(committed).toContain('Un paragraphe d’Alice à garder.');
    expect(committed).toContain('résumé repris par Alice');
    expect(git(t.server.paths.repoDir, 'log', '-1', '--format=%B')).not.toContain('Reviewed-by');

    // Put back in the document itself: Alice's own copy says « propose » again.
    await waitFor(() => frontmatter.get('statut') === 'propose', 10_000, 'statut remis dans le document');
    await waitFor(() => statuses.some((s) => s.state === 'saved'));
    const saved = statuses.find((s) => s.state === 'saved') as { refused?: { field: string; message: string }[] };
    expect(saved.refused).toEqual([
      {
        file: 'fiches/jardin-partage.mdx',
        field: 'statut',
        message: 'seul un relecteur, une relectrice ou un administrateur peut valider une entrée : le statut reste « proposé ». Vos autres modifications sont enregistrées.',
      },
    ]);
    a.destroy();
  });

  it('sends a validated entry back to « propose » when editing it, keeping the edit', async () => {
    const rose = await t.addUser('Rose Relectrice', 'relecteur');
    const r = await connect(t.wsUrl, 'fiches/cantine-locale', rose.token);
    r.document.getMap('frontmatter').set('statut', 'valide');
    await acknowledged(r);
    expect((await t.server.gitSync.commitDocument('fiches/cantine-locale', t.server.hocuspocus.documents.get('fiches/cantine-locale')!)).state).toBe('committed');
    expect(git(t.server.paths.repoDir, 'show', 'HEAD:fiches/cantine-locale.mdx')).toContain('statut: valide');
    r.destroy();

    const bruno = await t.addUser('Bruno Contributeur', 'contributeur');
    const b = await connect(t.wsUrl, 'fiches/cantine-locale', bruno.token);
    const statuses = collectStatuses(b);
    appendParagraph(b.document, 'Une précision de Bruno.');
    await acknowledged(b);
    expect((await t.server.gitSync.commitDocument('fiches/cantine-locale', t.server.hocuspocus.documents.get('fiches/cantine-locale')!)).state).toBe('committed');
    const committed = git(t.server.paths.repoDir, 'show', 'HEAD:fiches/cantine-locale.mdx');
    expect(committed).toContain('statut: propose');
    expect(committed).toContain('Une précision de Bruno.');
    await waitFor(() => b.document.getMap('frontmatter').get('statut') === 'propose');
    await waitFor(() => statuses.some((s) => s.state === 'saved'));
    expect((statuses.find((s) => s.state === 'saved') as { refused?: { message: string }[] }).refused?.[0]?.message).toMatch(/repasse en « proposé »/);
    b.destroy();
  });
});
