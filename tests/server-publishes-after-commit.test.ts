/**
 * `npm start` end to end, as on a fresh clone: an empty DATA_DIR, the site built at start from the
 * commons repository it creates, then an edit made through the collaboration WebSocket, committed,
 * published (« publié »: its pages) and indexed (« indexé pour la recherche »). One full build at
 * start, then the incremental publisher: slow, so one file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, collectStatuses, connect, waitFor } from './helpers/editor-server.ts';
import { runScript } from './helpers/run-script.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('npm start on an empty data directory', () => {
  let dataDir: string;
  let server: ChildProcess;
  let baseUrl: string;
  let output = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'terreau-start-'));
    // Its own process group, so that stopping it also stops the site build it may be running.
    server = spawn('npm', ['start', '--silent'], {
      cwd: root,
      detached: true,
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', IDLE_COMMIT_SECONDS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await new Promise<string>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start n’a pas démarré :\n${output}`)), 280_000);
      const read = (chunk: Buffer) => {
        output += String(chunk);
        const match = /Terreau : http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
        if (match) {
          clearTimeout(timer);
          resolvePromise(match[1]!);
        }
      };
      server.stdout!.on('data', read);
      server.stderr!.on('data', read);
      server.on('exit', (code) => reject(new Error(`npm start s’est arrêté (code ${code}) :\n${output}`)));
    });
    baseUrl = `http://127.0.0.1:${port}`;
  }, 300_000);

  afterAll(async () => {
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      process.kill(-server.pid, 'SIGTERM');
      await exited;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('builds and serves the site, then publishes an edit with its author in the history', async () => {
    const home = await fetch(`${baseUrl}/`);
    expect(home.status).toBe(200);
    const before = await (await fetch(`${baseUrl}/fiches/jardin-partage/`)).text();
    // The search index: the hash of each of its shards.
    const searchIndexHash = async () => {
      const { shards } = (await (await fetch(`${baseUrl}/pagefind/shards.json`)).json()) as { shards: string[] };
      const entries = await Promise.all(shards.map(async (shard) => (await (await fetch(`${baseUrl}${shard}pagefind-entry.json`)).json()) as { languages: Record<string, { hash: string }> }));
      return entries.map((entry) => entry.languages.fr!.hash).join(' ');
    };
    const indexBefore = await searchIndexHash();
    expect(before).toContain('Créer un jardin partagé');

    const env = { DATA_DIR: dataDir };
    const email = 'camille@exemple.fr';
    expect(runScript('admin', ['user', 'add', '--email', email, '--name', 'Camille Éditrice', '--role', 'contributeur'], env).status).toBe(0);
    const created = runScript('admin', ['token', 'create', '--email', email], env);
    expect(created.status).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;

    const provider = await connect(`${baseUrl.replace('http', 'ws')}/collab`, 'fiches/jardin-partage', token);
    const statuses = collectStatuses(provider);
    const sentence = 'Une phrase écrite dans l’éditeur et publiée après le commit.';
    appendParagraph(provider.document, sentence);
    await acknowledged(provider);
    await waitFor(() => statuses.some((s) => s.state === 'published'), 240_000, `« publié » (statuts : ${statuses.map((s) => s.state).join(', ')})`);
    // The page shows the edit as soon as « publié » arrives; the search index follows.
    expect(await (await fetch(`${baseUrl}/fiches/jardin-partage/`)).text()).toContain(sentence);
    await waitFor(() => statuses.some((s) => s.state === 'indexed'), 240_000, `« indexé » (statuts : ${statuses.map((s) => s.state).join(', ')})`);
    const states = statuses.map((s) => s.state);
    expect(states.indexOf('saved')).toBeLessThan(states.indexOf('published'));
    expect(states.indexOf('published')).toBeLessThan(states.indexOf('indexed'));
    expect(statuses.find((s) => s.state === 'indexed')!.commit).toBe(statuses.find((s) => s.state === 'saved')!.commit);
    provider.destroy();

    const page = await (await fetch(`${baseUrl}/fiches/jardin-partage/`)).text();
    expect(page).toContain(sentence);
    expect(page).toContain('Camille Éditrice');
    const history = await (await fetch(`${baseUrl}/fiches/jardin-partage/historique/`)).text();
    expect(history).toContain('Camille Éditrice');
    // The build at start kept Astro's content-layer cache under DATA_DIR, not in the checkout.
    expect(existsSync(join(dataDir, 'cache', 'astro', 'data-store.json'))).toBe(true);
    // The edit reached search too: Pagefind's index (named after its content) was made again.
    expect(await searchIndexHash()).not.toBe(indexBefore);
  }, 300_000);
});
