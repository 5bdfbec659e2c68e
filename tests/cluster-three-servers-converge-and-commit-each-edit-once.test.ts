/**
 * Three editor servers over Redis and PostgreSQL: people connected to different servers edit one
 * fiche together and see each other's text and carets; the one Git writer commits every server's
 * edits to the shared repository, credited to their authors, each once.
 */
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { useCluster, remoteFile, remoteLog, type TestCluster } from './helpers/cluster.ts';
import { acknowledged, appendParagraph, bodyText, connect, waitFor } from './helpers/editor-server.ts';
import { describeWithServices } from './helpers/services.ts';

describeWithServices('three servers sharing a commons', () => {
  let cluster: TestCluster;
  const providers = useCluster(['alpha', 'beta', 'gamma'], (started) => (cluster = started));

  it('elect one writer, and say so in /api/health', async () => {
    const writer = await cluster.writer(30_000);
    const healths = await Promise.all(cluster.instances.map((i) => i.health()));
    expect(healths.filter((h) => h.writer).map((h) => h.instance)).toEqual([writer.name]);
    for (const health of healths) {
      expect(health.lease?.holder).toBe(writer.name);
      expect(health.redis?.reachable).toBe(true);
      expect(health.database).toMatchObject({ kind: 'postgres', reachable: true });
    }
    // Every server cloned the one shared history.
    const heads = new Set(cluster.instances.map((i) => execFileSync('git', ['-C', `${i.dataDir}/commons`, 'rev-parse', 'HEAD'], { encoding: 'utf8' })));
    expect(heads.size).toBe(1);
  });

  it('let people on different servers edit together, see each other’s text and carets, and commit each edit once, credited', async () => {
    const people = [await cluster.addUser('Alice Martin'), await cluster.addUser('Bob Durand'), await cluster.addUser('Chloé Petit')];
    const document = 'fiches/jardin-partage';
    const editors = await Promise.all(people.map((person, i) => connect(cluster.instances[i]!.wsUrl, document, person.token, { timeoutMs: 60_000 })));
    providers.push(...editors);
    editors.forEach((provider, i) => provider.setAwarenessField('user', { name: people[i]!.email }));
    for (const [i, provider] of editors.entries()) {
      appendParagraph(provider.document, `Phrase écrite sur ${cluster.instances[i]!.name}.`);
      await acknowledged(provider);
    }
    for (const provider of editors) {
      await waitFor(() => cluster.instances.every((instance) => bodyText(provider.document).includes(`Phrase écrite sur ${instance.name}.`)), 15_000, 'convergence');
    }
    await waitFor(
      () => editors.every((provider) => [...provider.awareness!.getStates().values()].filter((s) => s.user).length === 3),
      15_000,
      'curseurs des autres',
    );

    await waitFor(() => {
      const text = remoteFile(cluster.remote, `${document}.mdx`);
      return cluster.instances.every((instance) => text.includes(`Phrase écrite sur ${instance.name}.`));
    }, 60_000, 'commit dans le dépôt partagé');
    const text = remoteFile(cluster.remote, `${document}.mdx`);
    for (const instance of cluster.instances) expect(text.split(`Phrase écrite sur ${instance.name}.`)).toHaveLength(2);
    const log = remoteLog(cluster.remote, `${document}.mdx`);
    for (const person of ['Alice Martin', 'Bob Durand', 'Chloé Petit']) expect(log).toContain(person);
    expect(log).toMatch(/Co-authored-by: (Alice Martin|Bob Durand|Chloé Petit)/);
  });

  it('commit a document edited only on a server that does not write Git', async () => {
    const writer = await cluster.writer();
    const other = cluster.instances.find((i) => i !== writer)!;
    const person = await cluster.addUser('Denis Roux');
    const provider = await connect(other.wsUrl, 'fiches/cantine-locale', person.token, { timeoutMs: 60_000 });
    providers.push(provider);
    appendParagraph(provider.document, 'Écrit loin de l’écrivain.');
    await acknowledged(provider);
    await waitFor(() => remoteFile(cluster.remote, 'fiches/cantine-locale.mdx').includes('Écrit loin de l’écrivain.'), 60_000, 'commit');
    expect(remoteLog(cluster.remote, 'fiches/cantine-locale.mdx')).toContain('Denis Roux');
    // Every server follows the shared repository.
    await waitFor(
      () => cluster.instances.every((i) => execFileSync('git', ['-C', `${i.dataDir}/commons`, 'show', 'HEAD:fiches/cantine-locale.mdx'], { encoding: 'utf8' }).includes('Écrit loin de l’écrivain.')),
      15_000,
      'dépôts suivis',
    );
    await waitFor(async () => (await other.health()).journal.backlogDocuments === 0, 15_000, 'journal vidé');
    execFileSync('git', ['-C', cluster.remote, 'fsck', '--strict']);
  });
});
