import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, collectStatuses, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';

function gitLog(repo: string, path: string): string {
  return execFileSync('git', ['-C', repo, 'log', '-1', '--format=%an <%ae>%n%cn <%ce>%n%B', '--', path], { encoding: 'utf8' });
}

function gitShow(repo: string, path: string): string {
  return execFileSync('git', ['-C', repo, 'show', `HEAD:${path}`], { encoding: 'utf8' });
}

describe('commits made by the editor server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ git: { idleCommitMs: 60_000 } });
  });
  afterAll(() => t.close());

  it('name the main editor as author, the others as co-authors, and the server as committer', async () => {
    const alice = await t.addUser('Alice Martin');
    const bob = await t.addUser('Bob Durand');
    const a = await connect(t.wsUrl, 'fiches/jardin-partage', alice.token);
    const b = await connect(t.wsUrl, 'fiches/jardin-partage', bob.token);
    const statuses = collectStatuses(b);
    appendParagraph(a.document, 'Première phrase d’Alice.');
    appendParagraph(a.document, 'Deuxième phrase d’Alice.');
    await acknowledged(a);
    appendParagraph(b.document, 'Une phrase de Bob.');
    await acknowledged(b);
    a.destroy();
    await waitFor(() => statuses.some((s) => s.state === 'modified'));
    b.destroy(); // the last editor leaves: commit now
    await waitFor(() => gitLog(t.server.paths.repoDir, 'fiches/jardin-partage.mdx').includes('Alice'), 15_000, 'commit');
    await t.server.gitSync.idle();
    const log = gitLog(t.server.paths.repoDir, 'fiches/jardin-partage.mdx');
    expect(log).toContain(`Alice Martin <${alice.id}@contributeurs.terreau.invalid>`);
    expect(log).toContain('Serveur Terreau <serveur@terreau.invalid>');
    expect(log).toContain(`Co-authored-by: Bob Durand <${bob.id}@contributeurs.terreau.invalid>`);
    const text = gitShow(t.server.paths.repoDir, 'fiches/jardin-partage.mdx');
    expect(text).toContain('Première phrase d’Alice.');
    expect(text).toContain('Une phrase de Bob.');
    expect(await t.server.store.pendingEditors('fiches/jardin-partage')).toEqual([]);
  });

  it('tell editors « enregistré » then « publié »', async () => {
    const alice = await t.addUser('Alice Statut');
    const a = await connect(t.wsUrl, 'fiches/cantine-locale', alice.token);
    const statuses = collectStatuses(a);
    appendParagraph(a.document, 'Une modification à publier.');
    await acknowledged(a);
    const outcome = await t.server.gitSync.commitDocument('fiches/cantine-locale', t.server.hocuspocus.documents.get('fiches/cantine-locale')!);
    expect(outcome.state).toBe('committed');
    await waitFor(() => statuses.some((s) => s.state === 'published'));
    const states = statuses.map((s) => s.state);
    expect(states.indexOf('saved')).toBeGreaterThan(-1);
    expect(states.indexOf('saved')).toBeLessThan(states.indexOf('published'));
    a.destroy();
  });

  it('refuse invalid frontmatter, say why, and keep the edits', async () => {
    const alice = await t.addUser('Alice Invalide');
    const before = execFileSync('git', ['-C', t.server.paths.repoDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
    const a = await connect(t.wsUrl, 'fiches/epicerie-solidaire', alice.token);
    const statuses = collectStatuses(a);
    a.document.getMap('frontmatter').set('difficulte', '9');
    appendParagraph(a.document, 'Paragraphe à garder.');
    await acknowledged(a);
    const live = t.server.hocuspocus.documents.get('fiches/epicerie-solidaire')!;
    const outcome = await t.server.gitSync.commitDocument('fiches/epicerie-solidaire', live);
    expect(outcome.state).toBe('invalid');
    await waitFor(() => statuses.some((s) => s.state === 'invalid'));
    const invalid = statuses.find((s) => s.state === 'invalid')!;
    expect(invalid.problems?.some((p) => p.field === 'difficulte')).toBe(true);
    expect(execFileSync('git', ['-C', t.server.paths.repoDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' })).toBe(before);
    a.destroy();
    // Unloaded and reloaded: the refused edit is still there, and still pending.
    await waitFor(() => !t.server.hocuspocus.documents.has('fiches/epicerie-solidaire'));
    const again = await connect(t.wsUrl, 'fiches/epicerie-solidaire', alice.token);
    expect(again.document.getMap('frontmatter').get('difficulte')).toBe('9');
    expect(again.document.getXmlFragment('default').toString()).toContain('Paragraphe à garder.');
    expect((await t.server.store.pendingEditors('fiches/epicerie-solidaire')).map((e) => e.userId)).toEqual([alice.id]);
    again.destroy();
  });
});
