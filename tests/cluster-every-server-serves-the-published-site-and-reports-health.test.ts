/**
 * Two servers sharing a commons: the Git writer publishes each version of the site and every
 * server serves the same version within seconds (shared through PostgreSQL); /api/health says who
 * writes, the lease's age, Redis and PostgreSQL reachability and the journal backlog; /metrics
 * answers in Prometheus text format, behind the token of docs/exemples/terreau.env.
 */
import { expect, it } from 'vitest';
import { exampleEnvironment, useCluster, type TestCluster } from './helpers/cluster.ts';
import { acknowledged, appendParagraph, connect, waitFor } from './helpers/editor-server.ts';
import { describeWithServices } from './helpers/services.ts';

describeWithServices('the published site and the health of two servers', () => {
  let cluster: TestCluster;
  const providers = useCluster(['alpha', 'beta'], (started) => (cluster = started), { stubSite: true });

  const page = async (url: string) => {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    return response?.ok ? response.text() : '';
  };

  it('serve on every server the version the writer published after an edit', async () => {
    const writer = await cluster.writer(60_000);
    const other = cluster.instances.find((i) => i !== writer)!;
    // The first version, built by the writer when it took the lease, reaches the other server.
    await waitFor(async () => (await page(`${other.httpUrl}/fiches/jardin-partage/`)).includes('jardin'), 60_000, 'première version servie partout');
    const person = await cluster.addUser('Alice Martin');
    const provider = await connect(other.wsUrl, 'fiches/jardin-partage', person.token, { timeoutMs: 60_000 });
    providers.push(provider);
    appendParagraph(provider.document, 'Phrase publiée par l’écrivain, servie par tous.');
    await acknowledged(provider);
    for (const instance of cluster.instances) {
      await waitFor(async () => (await page(`${instance.httpUrl}/fiches/jardin-partage/`)).includes('Phrase publiée par l’écrivain, servie par tous.'), 90_000, `nouvelle version sur ${instance.name}`);
    }
    const versions = await Promise.all(cluster.instances.map(async (i) => (await i.health()).siteVersion));
    expect(new Set(versions).size).toBe(1);
    expect(versions[0]).toBeGreaterThan(1);
  }, 300_000);

  it('say in /api/health who writes, since when, and what is reachable', async () => {
    const writer = await cluster.writer();
    const healths = await Promise.all(cluster.instances.map((i) => i.health()));
    for (const [n, health] of healths.entries()) {
      expect(health.instance).toBe(cluster.instances[n]!.name);
      expect(health.writer).toBe(cluster.instances[n] === writer);
      expect(health.lease).toMatchObject({ holder: writer.name });
      // Renewed every second or so: never older than the lease.
      expect(health.lease!.ageMs).toBeLessThan(Number(exampleEnvironment().WRITER_LEASE_SECONDS) * 1000);
      expect(health.redis).toMatchObject({ reachable: true });
      expect(health.database).toMatchObject({ kind: 'postgres', reachable: true });
      expect(health.journal.backlogDocuments).toBeGreaterThanOrEqual(0);
      expect(health.journal.heldUpdates).toBe(0);
    }
  });

  it('give Prometheus figures on /metrics, to the holder of the token only', async () => {
    const token = exampleEnvironment().METRICS_TOKEN!;
    const instance = await cluster.writer();
    expect((await fetch(`${instance!.httpUrl}/metrics`)).status).toBe(401);
    const response = await fetch(`${instance!.httpUrl}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    for (const name of ['terreau_connections', 'terreau_documents', 'terreau_journal_batch_seconds_count', 'terreau_journal_backlog_documents', 'terreau_git_writer', 'terreau_git_commits_total', 'terreau_site_publish_seconds_count']) {
      expect(text).toMatch(new RegExp(`^${name}(\\{[^}]*\\})? [0-9.e+-]+$`, 'm'));
    }
  });
});
