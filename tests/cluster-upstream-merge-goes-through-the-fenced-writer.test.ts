/**
 * Several servers following an upstream commons (COMMONS_UPSTREAM): taking the upstream's changes
 * moves the shared branch, so it is the Git writer's to do, pushed to the shared remote under its
 * fence like its own commits. A server that is not the writer refuses, in French, moving nothing;
 * the writer merges, the remote gets the merge with a new fence, and the other server follows.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { remoteFile, useCluster, type TestCluster } from './helpers/cluster.ts';
import { acknowledged, appendParagraph, connect, waitFor } from './helpers/editor-server.ts';
import { describeWithServices } from './helpers/services.ts';

const git = (args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();

describeWithServices('an upstream commons taken in by several servers', () => {
  const work = mkdtempSync(join(tmpdir(), 'terreau-amont-'));
  const upstream = join(work, 'amont.git');
  let cluster: TestCluster;
  const providers = useCluster(['alpha', 'beta'], (started) => (cluster = started), { env: { COMMONS_UPSTREAM: upstream } });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is merged by the writer alone, pushed under its fence, and followed by the others', async () => {
    const writer = await cluster.writer(60_000);
    const other = cluster.instances.find((i) => i !== writer)!;
    // The upstream: the commons as it was, plus a change of its own.
    git(['clone', '--quiet', '--bare', cluster.remote, upstream]);
    const checkout = join(work, 'travail');
    git(['clone', '--quiet', upstream, checkout]);
    const file = join(checkout, 'fiches', 'cantine-locale.mdx');
    writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\n\nUne précision venue du commun amont.\n`);
    git(['-C', checkout, '-c', 'user.name=Amont', '-c', 'user.email=amont@exemple.fr', 'commit', '--quiet', '-am', 'Précision de l’amont']);
    git(['-C', checkout, 'push', '--quiet', 'origin', 'HEAD:main']);

    // Meanwhile the commons gets a commit of its own: taking the upstream in is a true merge.
    const person = await cluster.addUser('Alice Martin');
    const editor = await connect(other.wsUrl, 'fiches/jardin-partage', person.token, { timeoutMs: 60_000 });
    providers.push(editor);
    appendParagraph(editor.document, 'Une adaptation propre à ce commun.');
    await acknowledged(editor);
    await waitFor(() => remoteFile(cluster.remote, 'fiches/jardin-partage.mdx').includes('Une adaptation propre à ce commun.'), 60_000, 'commit de l’écrivain');

    const admin = await cluster.addUser('Claire Admin', 'administrateur');
    const pull = (url: string) => fetch(`${url}/api/sync/pull-upstream`, { method: 'POST', headers: { Authorization: `Bearer ${admin.token}` } });
    const remoteHead = () => git(['-C', cluster.remote, 'rev-parse', 'main']);
    const fence = () => git(['-C', cluster.remote, 'rev-parse', 'refs/terreau/writer']);

    const otherHead = () => git(['-C', join(other.dataDir, 'commons'), 'rev-parse', 'HEAD']);
    // The other server has followed the writer's commit before anything is asked of it.
    await waitFor(() => otherHead() === remoteHead(), 30_000, 'l’autre serveur a suivi le commit');

    const before = { head: remoteHead(), fence: fence(), otherHead: otherHead() };
    const refused = await pull(other.httpUrl);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/ce serveur n’écrit pas Git en ce moment/);
    expect(remoteHead()).toBe(before.head);
    expect(otherHead()).toBe(before.otherHead);

    const merged = await pull(writer.httpUrl);
    expect(merged.status).toBe(200);
    expect(((await merged.json()) as { outcome: { kind: string } }).outcome.kind).toBe('merged');
    // On the remote: the merge, both sides, and a fence moved with it in the same push.
    expect(remoteHead()).not.toBe(before.head);
    expect(git(['-C', cluster.remote, 'rev-list', '--parents', '-n', '1', 'main']).split(' ')).toHaveLength(3);
    expect(remoteFile(cluster.remote, 'fiches/cantine-locale.mdx')).toContain('Une précision venue du commun amont.');
    expect(remoteFile(cluster.remote, 'fiches/jardin-partage.mdx')).toContain('Une adaptation propre à ce commun.');
    expect(fence()).not.toBe(before.fence);
    // The other server follows at the writer's announcement.
    await waitFor(() => otherHead() === remoteHead(), 15_000, 'l’autre serveur suit');
    execFileSync('git', ['-C', cluster.remote, 'fsck', '--strict', '--no-progress']);
  }, 400_000);
});
