/**
 * A Git writer paused (SIGSTOP) past its lease, then resumed, must not commit: another server
 * takes over and commits the edits; the old one, on waking, finds its lease expired, says so, and
 * moves nothing. The shared history stays linear, each edit once.
 */
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { exampleEnvironment, remoteFile, useCluster, type TestCluster } from './helpers/cluster.ts';
import { acknowledged, appendParagraph, connect, waitFor } from './helpers/editor-server.ts';
import { describeWithServices } from './helpers/services.ts';

describeWithServices('a Git writer paused past its lease', () => {
  let cluster: TestCluster;
  const providers = useCluster(['alpha', 'beta'], (started) => (cluster = started));

  it('is replaced, and once resumed commits nothing', async () => {
    const writer = await cluster.writer(60_000);
    const other = cluster.instances.find((i) => i !== writer)!;
    const person = await cluster.addUser('Alice Martin');
    const document = 'fiches/jardin-partage';
    // Written on the writer, acknowledged, then the writer freezes before its idle commit.
    const onWriter = await connect(writer.wsUrl, document, person.token, { timeoutMs: 60_000 });
    providers.push(onWriter);
    appendParagraph(onWriter.document, 'Écrit juste avant la pause.');
    await acknowledged(onWriter);
    writer.child.kill('SIGSTOP');
    const pausedAt = Date.now();
    const heads = () => execFileSync('git', ['-C', cluster.remote, 'rev-list', '--count', 'main'], { encoding: 'utf8' }).trim();

    // The other server takes the lease and commits the edit from the shared journal.
    await waitFor(async () => (await other.health().catch(() => undefined))?.writer === true, 30_000, 'reprise par l’autre serveur');
    const onOther = await connect(other.wsUrl, document, person.token, { timeoutMs: 60_000 });
    providers.push(onOther);
    appendParagraph(onOther.document, 'Écrit pendant la pause.');
    await acknowledged(onOther);
    await waitFor(() => remoteFile(cluster.remote, `${document}.mdx`).includes('Écrit pendant la pause.'), 60_000, 'commit du nouvel écrivain');
    const leaseMs = Number(exampleEnvironment().WRITER_LEASE_SECONDS) * 1000;
    expect(Date.now() - pausedAt).toBeGreaterThan(leaseMs);

    // The old writer wakes up with a commit it was about to make: it must not make it.
    const before = { count: heads(), output: writer.output().length };
    writer.child.kill('SIGCONT');
    await waitFor(() => /bail d’écriture Git perdu|bail d’écriture expiré/.test(writer.output().slice(before.output)), 30_000, 'l’ancien écrivain sait son bail perdu');
    await new Promise((r) => setTimeout(r, 5_000));
    const after = writer.output().slice(before.output);
    expect(after).not.toMatch(/\[git\] commit [0-9a-f]{8}/);
    expect((await writer.health()).writer).toBe(false);
    expect(heads()).toBe(before.count);
    const text = remoteFile(cluster.remote, `${document}.mdx`);
    expect(text.split('Écrit juste avant la pause.')).toHaveLength(2);
    expect(text.split('Écrit pendant la pause.')).toHaveLength(2);
    execFileSync('git', ['-C', cluster.remote, 'fsck', '--strict', '--no-progress']);
  }, 400_000);
});
