import { mkdtemp, rm } from 'node:fs/promises';
import * as nodeFs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, connect, startTestServer, type TestServer } from './helpers/editor-server.ts';
import { gitClient, gitOk } from './helpers/git-client.ts';

describe('the commons served at <site>/commons.git', { timeout: 300_000 }, () => {
  let t: TestServer;
  let work: string;
  let alice: { id: string };
  let bruno: { id: string };
  beforeAll(async () => {
    t = await startTestServer({ git: { idleCommitMs: 60_000 } });
    work = await mkdtemp(join(tmpdir(), 'terreau-clone-'));
    // Two people edit one entry: the commit has an author and a co-author.
    const a = await t.addUser('Alice Martin');
    const b = await t.addUser('Bruno Petit');
    [alice, bruno] = [a, b];
    const pa = await connect(t.wsUrl, 'fiches/jardin-partage', a.token);
    const pb = await connect(t.wsUrl, 'fiches/jardin-partage', b.token);
    appendParagraph(pa.document, 'Un conseil d’Alice sur le paillage.');
    await acknowledged(pa);
    appendParagraph(pb.document, 'Un conseil de Bruno sur l’arrosage.');
    await acknowledged(pb);
    const outcome = await t.server.gitSync.commitDocument('fiches/jardin-partage', t.server.hocuspocus.documents.get('fiches/jardin-partage')!);
    expect(outcome.state).toBe('committed');
    pa.destroy();
    pb.destroy();
  });
  afterAll(async () => {
    await t.close();
    await rm(work, { recursive: true, force: true });
  });

  it('clones with the stock git client, whole history and trailers intact, and passes git fsck', async () => {
    const dir = join(work, 'complet');
    await gitOk(['clone', '--quiet', `${t.httpUrl}/commons.git`, dir]);
    await gitOk(['fsck', '--full', '--strict'], { cwd: dir });
    const head = await gitOk(['rev-parse', 'HEAD'], { cwd: dir });
    expect(head.trim()).toBe(await gitOk(['-C', t.server.paths.repoDir, 'rev-parse', 'HEAD']).then((s) => s.trim()));
    const log = await gitOk(['log', '--format=%an <%ae>%n%B%n--', '--', 'fiches/jardin-partage.mdx'], { cwd: dir });
    expect(log).toContain(`Alice Martin <${alice.id}@contributeurs.terreau.invalid>`);
    expect(log).toContain(`Co-authored-by: Bruno Petit <${bruno.id}@contributeurs.terreau.invalid>`);
    expect(log).toContain('Amorcer le commun');
    const text = await gitOk(['show', 'HEAD:fiches/jardin-partage.mdx'], { cwd: dir });
    expect(text).toContain('Un conseil de Bruno sur l’arrosage.');
  });

  it('gives a shallow clone of the last commit only', async () => {
    const dir = join(work, 'superficiel');
    await gitOk(['clone', '--quiet', '--depth', '1', `${t.httpUrl}/commons.git`, dir]);
    expect((await gitOk(['rev-list', '--count', 'HEAD'], { cwd: dir })).trim()).toBe('1');
    expect((await gitOk(['rev-parse', '--is-shallow-repository'], { cwd: dir })).trim()).toBe('true');
    expect((await gitClient(['fsck'], { cwd: dir })).code).toBe(0);
  });

  it('clones with isomorphic-git too', async () => {
    const dir = join(work, 'isomorphic');
    await git.clone({ fs: nodeFs, http, dir, url: `${t.httpUrl}/commons.git`, singleBranch: true });
    const commits = await git.log({ fs: nodeFs, dir, ref: 'HEAD' });
    expect(commits.length).toBe(Number((await gitOk(['-C', t.server.paths.repoDir, 'rev-list', '--count', 'HEAD'])).trim()));
    expect(commits[0]!.commit.message).toContain('Co-authored-by: Bruno Petit');
  });

  it('sends a person who opens the address in a browser to the page that explains it', async () => {
    const response = await fetch(`${t.httpUrl}/commons.git`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/reutiliser/#copier-tout-le-commun');
    // Nothing else of .git/ is served.
    expect((await fetch(`${t.httpUrl}/commons.git/config`)).status).toBe(404);
  });
});
