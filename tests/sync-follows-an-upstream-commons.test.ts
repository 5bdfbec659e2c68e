/**
 * A Terreau that follows another (COMMONS_UPSTREAM = the other's <site>/commons.git): it starts
 * from that commons with its whole history, then pulls its later changes on demand — through its
 * running server's API, or straight into its data directory when stopped — keeping its own.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';
import { gitOk } from './helpers/git-client.ts';
import { runScriptAsync } from './helpers/run-script.ts';
import { commonsHead } from './helpers/sync.ts';

async function edit(t: TestServer, doc: string, sentence: string): Promise<string> {
  const person = await t.addUser('Camille Martin');
  const provider = await connect(t.wsUrl, doc, person.token);
  appendParagraph(provider.document, sentence);
  await acknowledged(provider);
  provider.destroy();
  await waitFor(async () => (await t.server.store.pendingEditors(doc)).length === 0, 90_000, 'commit');
  await t.server.gitSync.idle();
  return commonsHead(t);
}

const isAncestor = async (repo: string, commit: string) => (await gitOk(['-C', repo, 'merge-base', '--is-ancestor', commit, 'HEAD']).then(() => true, () => false));

describe('a Terreau that follows an upstream commons', { timeout: 300_000 }, () => {
  let upstream: TestServer;
  let follower: TestServer;
  let followerData: string;
  let admin: { token: string };
  beforeAll(async () => {
    upstream = await startTestServer({ git: { idleCommitMs: 300 } });
    await edit(upstream, 'fiches/jardin-partage', 'Une première amélioration faite en amont.');
    followerData = await mkdtemp(join(tmpdir(), 'terreau-suiveur-'));
    follower = await startTestServer({ dataDir: followerData, git: { idleCommitMs: 300 }, sync: { upstream: `${upstream.httpUrl}/commons.git` } });
    admin = await follower.addUser('Claire Admin', 'administrateur');
  });
  afterAll(async () => {
    await follower?.close();
    await upstream?.close();
    await rm(followerData, { recursive: true, force: true });
  });

  it('starts from the upstream commons with its whole history', async () => {
    expect(await commonsHead(follower)).toBe(await commonsHead(upstream));
    const log = await gitOk(['-C', follower.server.paths.repoDir, 'log', '--format=%an%n%B']);
    expect(log).toContain('Camille Martin');
    expect(log).toContain('Amorcer le commun');
  });

  it('pulls the upstream’s later changes through the running server, keeping its own', async () => {
    const theirs = await edit(upstream, 'fiches/cantine-locale', 'Une amélioration de l’amont, plus tard.');
    const mine = await edit(follower, 'fiches/repair-cafe', 'Une adaptation propre à ce Terreau.');
    const refused = await runScriptAsync('commons', ['pull-upstream', '--server', follower.httpUrl]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('donnez le jeton d’un administrateur');
    const pulled = await runScriptAsync('commons', ['pull-upstream', '--server', follower.httpUrl, '--token', admin.token]);
    expect(pulled.stderr).toBe('');
    expect(pulled.stdout).toContain('Modifications de l’amont fusionnées avec celles de ce commun');
    const repo = follower.server.paths.repoDir;
    expect(await isAncestor(repo, theirs)).toBe(true);
    expect(await isAncestor(repo, mine)).toBe(true);
    expect(await readFile(join(repo, 'fiches/cantine-locale.mdx'), 'utf8')).toContain('Une amélioration de l’amont, plus tard.');
    expect(await readFile(join(repo, 'fiches/repair-cafe.mdx'), 'utf8')).toContain('Une adaptation propre à ce Terreau.');
    const again = await runScriptAsync('commons', ['pull-upstream', '--server', follower.httpUrl, '--token', admin.token]);
    expect(again.stdout).toContain('Déjà à jour');
  });

  it('pulls straight into the data directory when the server is stopped', async () => {
    const theirs = await edit(upstream, 'fiches/marche-de-producteurs', 'Encore une amélioration de l’amont.');
    await follower.close();
    const pulled = await runScriptAsync('commons', ['pull-upstream', '--server', 'http://127.0.0.1:9'], {
      DATA_DIR: followerData,
      COMMONS_UPSTREAM: `${upstream.httpUrl}/commons.git`,
    });
    expect(pulled.stderr).toBe('');
    expect(pulled.stdout).toMatch(/Modifications de l’amont (reprises|fusionnées)/);
    const repo = join(followerData, 'commons');
    expect(await isAncestor(repo, theirs)).toBe(true);
    expect(await readFile(join(repo, 'fiches/marche-de-producteurs.mdx'), 'utf8')).toContain('Encore une amélioration de l’amont.');
    expect((await gitOk(['-C', repo, 'status', '--porcelain'])).trim()).toBe('');
  });
});
