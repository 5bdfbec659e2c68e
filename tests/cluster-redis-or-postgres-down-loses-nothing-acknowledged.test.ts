/**
 * Bad conditions for two servers sharing a commons, each with a clear log line and, for editors,
 * a French status; nothing acknowledged is lost:
 * - Redis down: each server goes on serving the documents it holds, Git writing pauses once the
 *   lease cannot be proven, and everything resumes (documents converge, edits reach Git) when it is back;
 * - PostgreSQL down: updates are neither applied nor acknowledged, editors are told « serveur
 *   momentanément indisponible » and keep their text, which goes through once it is back; a login
 *   or a token check answers « base de données momentanément indisponible ».
 */
import { expect, it } from 'vitest';
import { remoteFile, useCluster, type TestCluster } from './helpers/cluster.ts';
import { acknowledged, appendParagraph, bodyText, collectStatuses, connect, waitFor } from './helpers/editor-server.ts';
import { describeWithServices } from './helpers/services.ts';

describeWithServices('two servers when Redis or PostgreSQL goes away', () => {
  let cluster: TestCluster;
  const providers = useCluster(['alpha', 'beta'], (started) => (cluster = started));

  it('Redis down: documents stay served, Git pauses, and all resumes when it is back', async () => {
    const writer = await cluster.writer(60_000);
    const [alice, bob] = [await cluster.addUser('Alice Martin'), await cluster.addUser('Bob Durand')];
    const document = 'fiches/cantine-locale';
    const [onAlpha, onBeta] = [await connect(cluster.instances[0]!.wsUrl, document, alice.token, { timeoutMs: 60_000 }), await connect(cluster.instances[1]!.wsUrl, document, bob.token, { timeoutMs: 60_000 })];
    providers.push(onAlpha, onBeta);

    await cluster.redis.stop();
    appendParagraph(onAlpha.document, 'Écrit sur alpha sans Redis.');
    appendParagraph(onBeta.document, 'Écrit sur beta sans Redis.');
    // Still journaled and acknowledged by each server (PostgreSQL is there).
    await Promise.all([acknowledged(onAlpha), acknowledged(onBeta)]);
    await waitFor(() => /Redis injoignable/.test(writer.output()), 30_000, 'ligne de journal « Redis injoignable »');
    await waitFor(async () => (await writer.health()).writer === false, 30_000, 'écriture Git suspendue');
    const health = await writer.health();
    expect(health.status).toBe('dégradé');
    expect(health.redis?.reachable).toBe(false);
    expect(remoteFile(cluster.remote, `${document}.mdx`)).not.toContain('sans Redis');

    await cluster.redis.start();
    await cluster.writer(60_000);
    for (const provider of [onAlpha, onBeta]) {
      await waitFor(() => bodyText(provider.document).includes('Écrit sur alpha sans Redis.') && bodyText(provider.document).includes('Écrit sur beta sans Redis.'), 30_000, 'convergence après le retour de Redis');
    }
    await waitFor(() => {
      const text = remoteFile(cluster.remote, `${document}.mdx`);
      return text.includes('Écrit sur alpha sans Redis.') && text.includes('Écrit sur beta sans Redis.');
    }, 60_000, 'commit après le retour de Redis');
    expect(cluster.instances.some((i) => /Redis de nouveau joignable/.test(i.output()))).toBe(true);
  }, 300_000);

  it('PostgreSQL down: updates are refused unacknowledged, editors are told, and they go through once it is back', async () => {
    const carol = await cluster.addUser('Chloé Petit');
    const document = 'fiches/jardin-partage';
    const instance = cluster.instances[1]!;
    const provider = await connect(instance.wsUrl, document, carol.token, { timeoutMs: 60_000 });
    providers.push(provider);
    const statuses = collectStatuses(provider);

    await cluster.postgres.stop();
    appendParagraph(provider.document, 'Écrit pendant la panne de PostgreSQL.');
    await expect(acknowledged(provider, 3_000)).rejects.toThrow();
    await waitFor(() => statuses.some((s) => s.state === 'unavailable'), 15_000, 'statut « serveur momentanément indisponible »');
    expect(bodyText(provider.document)).toContain('Écrit pendant la panne de PostgreSQL.');
    await waitFor(() => /PostgreSQL injoignable/.test(instance.output()), 15_000, 'ligne de journal « PostgreSQL injoignable »');
    const health = await instance.health();
    expect(health.status).toBe('dégradé');
    expect(health.database.reachable).toBe(false);
    expect(health.journal.heldUpdates).toBeGreaterThan(0);
    // Accounts live in PostgreSQL too: a login or a token check says why it cannot answer, and nothing crashes.
    const login = await fetch(`${instance.httpUrl}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: carol.email, password: 'un mot de passe quelconque' }),
    });
    expect(login.status).toBe(503);
    expect(((await login.json()) as { error: string }).error).toMatch(/^base de données momentanément indisponible/);
    await expect(connect(instance.wsUrl, 'fiches/cantine-locale', carol.token, { timeoutMs: 15_000 })).rejects.toThrow(/base de données momentanément indisponible/);

    await cluster.postgres.start();
    await acknowledged(provider, 30_000);
    await waitFor(() => /PostgreSQL de nouveau joignable/.test(instance.output()), 15_000, 'ligne de journal du retour');
    await waitFor(() => remoteFile(cluster.remote, `${document}.mdx`).includes('Écrit pendant la panne de PostgreSQL.'), 60_000, 'commit après le retour de PostgreSQL');
  }, 300_000);
});
