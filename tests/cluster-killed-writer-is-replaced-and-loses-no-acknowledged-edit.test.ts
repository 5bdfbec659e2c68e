/**
 * The Git writer of three servers is killed with -9 while people edit on every server: another
 * server takes the lease within 10 s and commits, from the shared journal, every update that was
 * acknowledged (counted), each once, credited to its author; the shared repository stays sound.
 */
import { execFileSync } from 'node:child_process';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { remoteFile, remoteLog, useCluster, type ClusterInstance, type TestCluster } from './helpers/cluster.ts';
import { acknowledged, appendParagraph, connect, waitFor } from './helpers/editor-server.ts';
import { describeWithServices } from './helpers/services.ts';

describeWithServices('a Git writer killed with -9 during edits on every server', () => {
  let cluster: TestCluster;
  const providers = useCluster(['alpha', 'beta', 'gamma'], (started) => (cluster = started));

  it('is replaced within 10 s, and every acknowledged update reaches Git once, credited', async () => {
    const writer = await cluster.writer(60_000);
    const people = [await cluster.addUser('Alice Martin'), await cluster.addUser('Bob Durand'), await cluster.addUser('Chloé Petit')];
    const documents = ['fiches/jardin-partage', 'fiches/cantine-locale'];
    const acked: { document: string; marker: string }[] = [];
    let running = true;
    // One person per server, each on both documents.
    const editors: { instance: ClusterInstance; provider: HocuspocusProvider; document: string; d: number }[] = [];
    for (const [i, instance] of cluster.instances.entries()) {
      for (const [d, document] of documents.entries()) {
        const provider = await connect(instance.wsUrl, document, people[i]!.token, { timeoutMs: 60_000 });
        providers.push(provider);
        editors.push({ instance, provider, document, d });
      }
    }
    const loops = editors.map(async ({ instance, provider, document, d }) => {
      for (let n = 0; running; n++) {
        const marker = `marqueur-${instance.name}-d${d}-${n}`;
        appendParagraph(provider.document, marker);
        try {
          await acknowledged(provider, 5_000);
        } catch {
          return; // its server is gone: sent, never acknowledged
        }
        acked.push({ document, marker });
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    await waitFor(() => acked.length >= 60, 60_000, 'éditions');
    writer.child.kill('SIGKILL');
    const killedAt = Date.now();
    // The people on the other servers go on editing through the takeover. The lease is taken in
    // Redis (read there, every 50 ms), then the new writer fences the remote and catches up.
    const redis = new Redis(cluster.redis.url);
    let leaseTakenMs = Number.NaN;
    try {
      await waitFor(
        async () => {
          const holder = await redis.get('terreau:writer');
          if (!holder || holder.startsWith(`${writer.name} `)) return false;
          leaseTakenMs = Date.now() - killedAt;
          return true;
        },
        30_000,
        'bail repris',
      );
    } finally {
      redis.disconnect();
    }
    const survivors = cluster.instances.filter((i) => i !== writer);
    await waitFor(async () => (await Promise.all(survivors.map((i) => i.health().catch(() => undefined)))).some((h) => h?.writer), 60_000, 'un nouvel écrivain');
    const writingMs = Date.now() - killedAt;
    await new Promise((r) => setTimeout(r, 2_000));
    running = false;
    await Promise.all(loops);
    expect(leaseTakenMs).toBeLessThanOrEqual(10_000);
    expect(acked.length).toBeGreaterThan(60);

    for (const document of documents) {
      const expected = acked.filter((a) => a.document === document).map((a) => a.marker);
      await waitFor(() => {
        const text = remoteFile(cluster.remote, `${document}.mdx`);
        return expected.every((marker) => text.includes(marker));
      }, 120_000, `tout ${document} dans le dépôt partagé`);
      const text = remoteFile(cluster.remote, `${document}.mdx`);
      for (const marker of expected) expect(text.split(`${marker}\n`).length - 1, marker).toBe(1);
    }
    const log = remoteLog(cluster.remote);
    for (const name of ['Alice Martin', 'Bob Durand', 'Chloé Petit']) expect(log).toContain(name);
    execFileSync('git', ['-C', cluster.remote, 'fsck', '--strict', '--no-progress']);
    console.log(`${acked.length} mises à jour acquittées, toutes commitées une fois ; bail repris en ${leaseTakenMs} ms, écriture reprise en ${writingMs} ms`);
  }, 400_000);
});
