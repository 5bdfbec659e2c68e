/**
 * `npm run commons -- …`: the commons repository and the repositories it follows.
 *
 *   npm run commons -- pull-upstream [--server URL] [--token T]   reprend les modifications du commun amont
 *   npm run commons -- status [--server URL] [--token T]          état de la synchronisation
 *
 * With a running server (at --server, by default http://127.0.0.1:$PORT), the command asks it
 * through its API with an administrator's token (--token or TERREAU_TOKEN): the server stays the
 * only writer of its commons. With no server answering, `pull-upstream` works on
 * DATA_DIR/commons itself; edits journaled but not committed are merged when the server starts.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { configFromEnvironment, resolveConfig } from '../editor-server/src/config.ts';
import { changedFiles, checkoutPaths, readHead } from '../editor-server/src/git/commons-repo.ts';
import { remoteEndpoint } from '../editor-server/src/git/remote-git.ts';
import { RemoteSync, type SyncStatus } from '../editor-server/src/git/remote-sync.ts';
import type { MergeOutcome } from '../editor-server/src/git/merge-commits.ts';
import { parseWithFriendlyErrors } from '../core/parse-input.ts';

const usage = `Usage :
  npm run commons -- pull-upstream [--server http://127.0.0.1:4321] [--token <jeton d’administrateur>]
  npm run commons -- status [--server …] [--token …]`;

const argumentsSchema = z.object({
  /** Address of the running server. */
  server: z.url({ protocol: /^https?$/, error: '--server : une adresse http(s)://…, par exemple http://127.0.0.1:4321' }),
  /** An administrator's personal token (`npm run admin -- token create`). */
  token: z.string().min(1).optional(),
});

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { server: { type: 'string' }, token: { type: 'string' } } });
  const command = positionals.join(' ');
  if (command !== 'pull-upstream' && command !== 'status') throw new Error(`commande inconnue « ${command} »\n${usage}`);
  const config = resolveConfig(configFromEnvironment(process.env));
  const args = parseWithFriendlyErrors(
    argumentsSchema,
    { server: values.server ?? `http://127.0.0.1:${config.port}`, token: values.token ?? process.env.TERREAU_TOKEN },
    'arguments',
  );
  const server = args.server.replace(/\/+$/, '');
  const running = await fetch(`${server}/api/health`).then(
    (response) => response.ok,
    () => false,
  );
  if (running) {
    if (!args.token) throw new Error(`un serveur répond à ${server} : donnez le jeton d’un administrateur (--token ou TERREAU_TOKEN)`);
    const response = await fetch(`${server}/api/sync${command === 'pull-upstream' ? '/pull-upstream' : ''}`, {
      method: command === 'pull-upstream' ? 'POST' : 'GET',
      headers: { Authorization: `Bearer ${args.token}`, Accept: 'application/json' },
    });
    const body = (await response.json().catch(() => ({}))) as { error?: string; outcome?: MergeOutcome | { kind: 'empty' }; upstream?: SyncStatus; remote?: SyncStatus };
    if (!response.ok) throw new Error(body.error ?? `le serveur a répondu ${response.status}`);
    if (body.outcome) console.log(describeOutcome(body.outcome));
    for (const status of [body.remote, body.upstream]) if (status) printStatus(status);
    return;
  }
  if (command === 'status') throw new Error(`aucun serveur ne répond à ${server} : l’état de la synchronisation vit dans le serveur`);
  if (!config.sync.upstream) throw new Error('aucun commun amont : définissez COMMONS_UPSTREAM (l’adresse <site>/commons.git d’un autre Terreau)');
  const repoDir = join(config.dataDir, 'commons');
  const upstream = new RemoteSync({
    repoDir,
    mode: 'upstream',
    endpoint: remoteEndpoint(config.sync.upstream),
    branch: config.sync.branch,
    name: 'upstream',
    timings: config.sync,
    committer: config.git.committer,
    // No server, no live document: the work tree only has to follow HEAD.
    writer: {
      async write(task) {
        const before = await readHead(repoDir);
        const result = await task(undefined);
        const after = await readHead(repoDir);
        if (after !== before) await checkoutPaths(repoDir, await changedFiles(repoDir, before, after));
        return result;
      },
      async commitPendingFiles() {},
    },
    log: (message) => console.log(message),
  });
  const { outcome } = await upstream.pull();
  console.log(describeOutcome(outcome));
}

function describeOutcome(outcome: MergeOutcome | { kind: 'empty' }): string {
  switch (outcome.kind) {
    case 'empty':
      return 'Le commun amont n’a encore rien publié sur cette branche.';
    case 'up-to-date':
      return 'Déjà à jour : le commun contient toutes les modifications de l’amont.';
    case 'fast-forward':
      return `Modifications de l’amont reprises (avance rapide jusqu’à ${outcome.head.slice(0, 8)}).`;
    case 'merged':
      return [
        `Modifications de l’amont fusionnées avec celles de ce commun (commit ${outcome.head.slice(0, 8)}).`,
        ...(outcome.conflicts.length
          ? ['À relire (les deux versions sont gardées dans l’entrée) :', ...outcome.conflicts.map((c) => `  ${c.file} : ${c.fields.join(', ')}`)]
          : []),
      ].join('\n');
  }
}

function printStatus(status: SyncStatus): void {
  console.log(`${status.mode === 'mirror' ? 'Dépôt distant' : 'Commun amont'} ${status.remote} : ${status.message}`);
  for (const conflict of status.conflicts) console.log(`  à relire : ${conflict.file} (${conflict.fields.join(', ')})`);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
