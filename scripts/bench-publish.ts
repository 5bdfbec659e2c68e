/**
 * `npm run bench -- publish [--sizes 2000,10000] [--edits 6]`: how long after « enregistré » an
 * edit is « publié », then « indexé pour la recherche », on a real server (`npm start`'s
 * entry point, in a process of its own, its site worker in another) with real edits sent over the
 * collaboration protocol; side by side with a full build of the same tree, from nothing and with
 * Astro's cache (what publishing cost before it was incremental). At the end, the served site is
 * compared file by file with the full build. Writes bench-reports/publish.md.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { z } from 'zod';
import { parseWithFriendlyErrors } from '../core/parse-input.ts';
import type { StatusMessage } from '../core/collab-protocol.ts';
import { percentile } from './lib/collab-load.ts';
import { treeSizesOption } from './lib/bench-args.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const workDir = resolve(repoRoot, 'bench-reports/tmp/publish');
const node = process.execPath;

const argsSchema = z.object({
  /** Tree sizes to measure, comma-separated. */
  sizes: treeSizesOption,
  /** Edits per size; every third one changes a title (more pages show it), the others add a paragraph. */
  edits: z.coerce.number().int().min(1).max(50).default(6),
});

/** One edit's times from « enregistré », in seconds, and the server's account of its two steps. */
interface EditTiming {
  kind: 'corps' | 'titre';
  published: number;
  indexed: number;
  steps: string[];
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Mesure', '-c', 'user.email=mesure@example.org', ...args], { cwd, stdio: 'ignore' });
}

/** A data directory whose commons is the synthetic tree, committed as an import (as a real commons lives). */
async function prepareDataDir(size: number, dataDir: string): Promise<string[]> {
  const commons = join(dataDir, 'commons');
  await rm(dataDir, { recursive: true, force: true });
  execFileSync(node, ['scripts/generate-synthetic.ts', '--count', String(size), '--out', commons], { cwd: repoRoot, stdio: 'ignore' });
  git(commons, 'init', '--quiet', '-b', 'main');
  git(commons, 'add', '--all');
  git(commons, 'commit', '--quiet', '--message', 'Import du commun de mesure');
  const env = { ...process.env, DATA_DIR: dataDir };
  execFileSync(node, ['scripts/admin.ts', 'user', 'add', '--email', 'mesure@exemple.fr', '--name', 'Camille Mesure', '--role', 'contributeur'], { cwd: repoRoot, env, stdio: 'ignore' });
  const token = execFileSync(node, ['scripts/admin.ts', 'token', 'create', '--email', 'mesure@exemple.fr'], { cwd: repoRoot, env, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  const fiches = (await readdir(join(commons, 'fiches'))).filter((f) => f.startsWith('synthetique-')).sort();
  return [token, ...fiches.map((f) => `fiches/${f.replace(/\.mdx$/, '')}`)];
}

/** Starts the server as `npm start` does; resolves once it listens (after its first full build). */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string; log: string[]; seconds: number }> {
  const started = performance.now();
  const child = spawn(node, ['editor-server/src/main.ts'], {
    cwd: repoRoot,
    detached: true,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', IDLE_COMMIT_SECONDS: '1', ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const url = await new Promise<string>((resolvePromise, reject) => {
    const read = (chunk: Buffer) => {
      for (const line of String(chunk).split('\n')) if (line.trim()) log.push(line);
      const match = /Terreau : (http:\/\/127\.0\.0\.1:\d+)\//.exec(log.join('\n'));
      if (match) resolvePromise(match[1]!);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`le serveur s’est arrêté (code ${code}) :\n${log.slice(-30).join('\n')}`)));
  });
  return { child, url, log, seconds: (performance.now() - started) / 1000 };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}

/** One real edit over the collaboration protocol; times from « enregistré » to « publié » and « indexé ». */
async function timeEdit(url: string, token: string, name: string, kind: EditTiming['kind'], log: string[]): Promise<EditTiming> {
  const document = new Y.Doc();
  const provider = new HocuspocusProvider({ url: `${url.replace('http', 'ws')}/collab`, name, token, document });
  try {
    const statuses: { message: StatusMessage; at: number }[] = [];
    provider.on('stateless', ({ payload }: { payload: string }) => {
      const message = JSON.parse(payload) as StatusMessage;
      if (message.type === 'terreau/status') statuses.push({ message, at: performance.now() });
    });
    await new Promise<void>((done, fail) => {
      provider.on('synced', () => done());
      provider.on('authenticationFailed', ({ reason }: { reason: string }) => fail(new Error(reason)));
    });
    const logged = log.length;
    const before = statuses.length;
    if (kind === 'titre') {
      const frontmatter = document.getMap('frontmatter');
      frontmatter.set('titre', `${String(frontmatter.get('titre'))} (revu)`);
    } else {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(`Une phrase ajoutée pour mesurer la publication, à ${new Date().toISOString()}.`)]);
      document.getXmlFragment('default').push([paragraph]);
    }
    const deadline = Date.now() + 30 * 60_000;
    const find = (state: string) => statuses.slice(before).find((s) => s.message.state === state);
    while (!find('indexed')) {
      const failed = statuses.slice(before).find((s) => s.message.state === 'invalid' || s.message.state === 'error');
      if (failed) throw new Error(`${name} : ${failed.message.label} ${JSON.stringify(failed.message.problems ?? [])}`);
      if (Date.now() > deadline) throw new Error(`${name} : pas de « indexé » (${statuses.map((s) => s.message.state).join(', ')})`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const saved = find('saved')!.at;
    return {
      kind,
      published: (find('published')!.at - saved) / 1000,
      indexed: (find('indexed')!.at - saved) / 1000,
      steps: log.slice(logged).filter((line) => line.startsWith('[site]')),
    };
  } finally {
    provider.destroy();
  }
}

/** Builds the tree with `npm run build`'s script; seconds. */
function fullBuild(contentDir: string, outDir: string, cacheDir: string, siteUrl: string): number {
  const started = performance.now();
  // The server's address, as its site worker had it: absolute links must match to compare the sites.
  execFileSync(node, ['scripts/build-site.ts'], { cwd: repoRoot, env: { ...process.env, CONTENT_DIR: contentDir, SITE_OUT_DIR: outDir, ASTRO_CACHE_DIR: cacheDir, SITE_URL: siteUrl }, stdio: 'ignore' });
  return (performance.now() - started) / 1000;
}

/** Files that differ between two built sites (empty: identical); a few files open at a time (43,000 at 10,000 entries). */
async function compareSites(a: string, b: string): Promise<string[]> {
  const list = async (dir: string) =>
    new Set((await readdir(dir, { withFileTypes: true, recursive: true })).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))));
  const [left, right] = await Promise.all([list(a), list(b)]);
  const differences = [...right].filter((path) => !left.has(path));
  const queue = [...left];
  const compareNext = async () => {
    for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
      if (!right.has(path)) differences.push(path);
      else if (!(await readFile(join(a, path))).equals(await readFile(join(b, path)))) differences.push(path);
    }
  };
  await Promise.all(Array.from({ length: 16 }, compareNext));
  return differences.sort();
}

const seconds = (s: number) => `${s.toFixed(2)} s`;

/** Runs the benchmark and writes bench-reports/publish.md. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { sizes: { type: 'string' }, edits: { type: 'string' } } });
  const { sizes, edits } = parseWithFriendlyErrors(argsSchema, values, 'npm run bench -- publish');
  await mkdir(workDir, { recursive: true });
  const rows: string[] = [];
  const details: string[] = [];
  const floors: string[] = [];
  for (const size of sizes) {
    const dataDir = join(workDir, `data-${size}`);
    console.log(`\n— ${size} entrées : préparation du commun…`);
    const [token, ...fiches] = await prepareDataDir(size, dataDir);
    const load = loadavg().map((l) => l.toFixed(1)).join(' / ');
    console.log(`  démarrage du serveur (construction complète par le processus du site)…`);
    const server = await startServer(dataDir);
    console.log(`  en ligne après ${seconds(server.seconds)}`);
    const timings: EditTiming[] = [];
    try {
      for (let i = 0; i < edits; i++) {
        const kind = i % 3 === 2 ? 'titre' : 'corps';
        const timing = await timeEdit(server.url, token!, fiches[i * 7 % fiches.length]!, kind, server.log);
        console.log(`  modification ${i + 1} (${kind}) : publié ${seconds(timing.published)}, indexé ${seconds(timing.indexed)}`);
        timings.push(timing);
      }
    } finally {
      await stopServer(server.child);
    }
    const served = await realpath(join(dataDir, 'site'));
    const loadAfter = loadavg().map((l) => l.toFixed(1)).join(' / ');
    console.log('  construction complète du même arbre, sans cache puis avec le cache d’Astro…');
    const out = join(workDir, `full-${size}`);
    const cache = join(workDir, `cache-${size}`);
    await rm(cache, { recursive: true, force: true });
    const cold = fullBuild(join(dataDir, 'commons'), out, cache, `${server.url}/`);
    const differences = await compareSites(served, out);
    const warm = fullBuild(join(dataDir, 'commons'), `${out}-2`, cache, `${server.url}/`);
    console.log(`  complète ${seconds(cold)}, avec cache ${seconds(warm)} ; site servi ${differences.length ? `différent (${differences.length} fichiers)` : 'identique'}`);
    await rm(`${out}-2`, { recursive: true, force: true });

    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    const published = sorted(timings.map((t) => t.published));
    const indexed = sorted(timings.map((t) => t.indexed));
    const p50 = (values: number[]) => percentile(values, 0.5);
    rows.push(
      `| ${size} | ${seconds(p50(published))} | ${seconds(published.at(-1)!)} | ${seconds(p50(indexed))} | ${seconds(indexed.at(-1)!)} | ${seconds(cold)} | ${seconds(warm)} | **${(warm / p50(published)).toFixed(0)}×** | ${differences.length ? `non (${differences.slice(0, 3).join(', ')}…)` : 'oui'} |`,
    );
    details.push(
      `- ${size} entrées (charge moyenne avant / après : ${load} → ${loadAfter}) : serveur en ligne après ${seconds(server.seconds)} (construction complète par le processus du site, qui garde le site compilé). Modifications :`,
      ...timings.map((t, i) => `  - ${i + 1}. ${t.kind} : publié ${seconds(t.published)}, indexé ${seconds(t.indexed)} — ${t.steps.join(' ; ').replace(/\[site\] /g, '')}`),
    );
    const floor = size <= 2000 ? 3 : 5;
    floors.push(`- ${size} entrées : « publié » p50 ${seconds(p50(published))} (plancher ${floor} s) — ${p50(published) <= floor ? 'tenu' : 'NON TENU'}`);
    if (size >= 10_000) floors.push(`- ${size} entrées : « indexé » p50 ${seconds(p50(indexed))}, pire ${seconds(indexed.at(-1)!)} (plancher 15 s) — ${indexed.at(-1)! <= 15 ? 'tenu' : p50(indexed) <= 15 ? 'tenu en p50' : 'NON TENU'}`);
    floors.push(`- ${size} entrées : site servi identique à une construction complète du même commit — ${differences.length ? 'NON' : 'oui'}`);
    await rm(out, { recursive: true, force: true });
  }
  const lines = [
    '# Publication incrémentale (`npm run bench -- publish`)',
    '',
    `Machine : ${cpus().length} cœurs, ${(totalmem() / 2 ** 30).toFixed(0)} Gio, Node ${process.version}. Arbres synthétiques de \`npm run generate\` (graine 1), importés dans le dépôt du commun par un commit.`,
    '',
    'Un vrai serveur (`editor-server/src/main.ts`, comme `npm start`, dans son propre processus ; son processus du site à côté) ; de vraies modifications envoyées par le protocole de collaboration (HocuspocusProvider, jeton personnel) : un paragraphe ajouté au corps d’une fiche, ou, une fois sur trois, son titre changé (la fiche est alors citée sur plus de pages : listes, pages qui la citent). Le temps est compté entre les messages de statut « enregistré » (commit fait) et « publié », puis « indexé pour la recherche », reçus par l’éditeur.',
    'En regard : la construction complète du même arbre (`npm run build`), sans cache puis avec le cache d’Astro — ce que coûtait une publication avant qu’elle soit incrémentale. Le rapport est celui de la construction avec cache à la médiane de « publié ».',
    '',
    '| entrées | « publié » p50 | « publié » pire | « indexé » p50 | « indexé » pire | construction complète | avec cache | rapport | site servi = construction complète |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
    '',
    '## Planchers',
    '',
    ...floors,
    '',
    '## Détail',
    '',
    'Étapes rapportées par le serveur pour chaque modification (millisecondes) : `copie` = préparation de la nouvelle version (liens physiques vers la précédente, ou version de réserve mise à jour), `git` = nouveaux commits et fichiers changés, `validation` = fichiers changés et liens de tout l’arbre, `contenu` = entrées changées rechargées, `chemins` = getStaticPaths de toutes les routes, `sélection` = pages touchées (les calculs partagés ne sont comparés que pour les pages que rien d’autre ne désigne), `suppressions` = pages disparues retirées, `rendu` = pages rendues et écrites (les téléchargements ZIP le sont à la seconde étape), `pagefind` = parts de l’index de recherche où une page a changé, refaites depuis le cache des pages.',
    '',
    ...details,
    '',
    'Machine partagée : les durées absolues varient avec la charge (notée pour chaque taille) ; les rapports, mesurés dans la même exécution, varient moins.',
    '',
    '## Relancer',
    '',
    '```sh',
    'uptime                                  # la charge moyenne pèse sur les durées',
    'npm run bench -- publish                # 2 000 et 10 000 entrées, 6 modifications chacune',
    'npm run bench -- publish --sizes 2000 --edits 9',
    '```',
  ];
  await writeFile(resolve(repoRoot, 'bench-reports/publish.md'), `${lines.join('\n')}\n`);
  console.log(`\n${lines.join('\n')}`);
}
