/**
 * `npm run bench -- site [--sizes 2000,10000]`: Terreau's full build (validation, Astro, Pagefind)
 * against a bare Astro + MDX site rendering the same files with a minimal layout, side by side on
 * the same synthetic trees; rebuild after one entry changes; peak memory; weight of a fiche page;
 * bytes fetched by the first search. Writes bench-reports/site.md.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cpus, loadavg, totalmem } from 'node:os';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { parseArgs, stripVTControlCharacters } from 'node:util';
import { z } from 'zod';
import { parseWithFriendlyErrors } from '../core/parse-input.ts';
import { treeSizesOption } from './lib/bench-args.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// Inside the repository so the bare site resolves astro from node_modules; ignored by Git.
const workDir = resolve(repoRoot, 'bench-reports/tmp/site');

const argsSchema = z.object({
  /** Tree sizes to measure, comma-separated. */
  sizes: treeSizesOption,
  /** Full builds of each site per size, alternated; the fastest of each counts (the machine is shared). */
  rounds: z.coerce.number().int().min(1).max(10).default(2),
});

interface Timed {
  seconds: number;
  /** Peak resident memory of the process tree, MiB (from /usr/bin/time), if measured. */
  peakMiB?: number;
  /** Processor time of the process and the children it waited for (user + system, from /usr/bin/time), if measured. */
  cpuSeconds?: number;
  ok: boolean;
  output: string;
}

/** Runs a command, timing it and, where /usr/bin/time exists, reading its peak memory. */
function timed(command: string, args: string[], env: Record<string, string> = {}, cwd = repoRoot): Promise<Timed> {
  const useTime = existsSync('/usr/bin/time');
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(useTime ? '/usr/bin/time' : command, useTime ? ['-v', command, ...args] : args, {
      cwd,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(output);
      const user = /User time \(seconds\): ([\d.]+)/.exec(output);
      const system = /System time \(seconds\): ([\d.]+)/.exec(output);
      done({
        seconds: (performance.now() - started) / 1000,
        ...(peak ? { peakMiB: Number(peak[1]) / 1024 } : {}),
        ...(user && system ? { cpuSeconds: Number(user[1]) + Number(system[1]) } : {}),
        ok: code === 0,
        output,
      });
    });
  });
}

const node = process.execPath;

/**
 * Before each timed build: writes out the files the last one left in memory and, where the bench
 * may (root, Linux), empties the kernel's page, directory and inode caches, then reads the
 * installed packages and the content tree again, so that each build starts warm, as the first one
 * did, but without the files of the builds before. Measured here: after a few builds of 12,000
 * files each, the same build took 1–3 s longer, in system time, until the caches were emptied.
 * True when they were emptied.
 */
function settle(contentDir: string): boolean {
  execFileSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3');
  } catch {
    return false;
  }
  // Best effort: Git may be packing the tree's objects meanwhile, and find then misses a file.
  spawnSync('find', ['-L', 'node_modules', contentDir, '-type', 'f', '-exec', 'cat', '{}', '+'], { cwd: repoRoot, stdio: 'ignore' });
  return true;
}

/** Generates a synthetic tree and commits it, as a commons lives: in Git, so every entry has a history. */
async function generate(count: number, out: string): Promise<void> {
  const result = await timed(node, ['scripts/generate-synthetic.ts', '--count', String(count), '--out', out]);
  if (!result.ok) throw new Error(`generate: ${result.output}`);
  git(out, 'init', '--quiet');
  commitAll(out, 'Import du commun de mesure');
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Mesure', '-c', 'user.email=mesure@example.org', ...args], { cwd, stdio: 'ignore' });
}

function commitAll(cwd: string, message: string): void {
  git(cwd, 'add', '--all');
  git(cwd, 'commit', '--quiet', '--message', message);
}

/** What a Terreau build reports: its phases, and how many MDX bodies the content loader rendered or reused from its cache. */
interface TerreauBuild extends Timed {
  phases: string;
  rendered: number;
  reused: number;
}

/**
 * Builds with `npm run build`'s script; time spent waiting for another build's lock is not
 * counted. Astro logs at `info` level so that the content loader's counts can be read.
 */
async function buildTerreau(contentDir: string, outDir: string, cacheDir: string): Promise<TerreauBuild> {
  const result = await timed(node, ['scripts/build-site.ts'], { CONTENT_DIR: contentDir, SITE_OUT_DIR: outDir, ASTRO_CACHE_DIR: cacheDir, ASTRO_LOG_LEVEL: 'info' });
  const waited = Number(/attente ([\d.]+) s/.exec(result.output)?.[1] ?? 0);
  const phases = /^Site construit .* s : (.*)\.$/m.exec(result.output)?.[1] ?? '';
  const counts = [...stripVTControlCharacters(result.output).matchAll(/(\d+) corps rendu\(s\), (\d+) repris du cache/g)];
  const sum = (group: 1 | 2) => counts.reduce((total, match) => total + Number(match[group]), 0);
  return { ...result, seconds: result.seconds - waited, phases, rendered: sum(1), reused: sum(2) };
}

/** Size of a file, raw and gzip-compressed (as a server would send it). */
async function fileWeight(path: string): Promise<{ raw: number; gzip: number }> {
  const bytes = await readFile(path);
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
}

/** Writes a bare Astro + MDX project that renders the same collections with a minimal layout. */
export async function writeBareSite(dir: string, contentDir: string, outDir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'src/pages/[collection]'), { recursive: true });
  await mkdir(join(dir, 'src/components'), { recursive: true });
  await writeFile(
    join(dir, 'astro.config.mjs'),
    `import { defineConfig } from 'astro/config';\nimport mdx from '@astrojs/mdx';\nexport default defineConfig({ outDir: ${JSON.stringify(outDir)}, integrations: [mdx()], vite: { build: { rolldownOptions: { onLog(level, log, handler) { if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log); } } } } });\n`,
  );
  await writeFile(
    join(dir, 'src/content.config.ts'),
    `import { defineCollection } from 'astro:content';\nimport { glob } from 'astro/loaders';\nconst c = (name) => defineCollection({ loader: glob({ base: ${JSON.stringify(contentDir)} + '/' + name, pattern: '*.mdx' }) });\nexport const collections = { fiches: c('fiches'), guides: c('guides'), retours: c('retours'), structures: c('structures'), territoires: c('territoires') };\n`,
  );
  // The MDX bodies use the allow-listed components: the bare site maps them to plain wrappers.
  await writeFile(join(dir, 'src/components/Box.astro'), '<div><slot /></div>\n');
  await writeFile(
    join(dir, 'src/pages/[collection]/[slug].astro'),
    `---\nimport { getCollection, render } from 'astro:content';\nimport Box from '../../components/Box.astro';\nexport async function getStaticPaths() {\n  const names = ['fiches', 'guides', 'retours', 'structures', 'territoires'];\n  const all = (await Promise.all(names.map((n) => getCollection(n)))).flat();\n  return all.map((entry) => ({ params: { collection: entry.collection, slug: entry.id }, props: { entry } }));\n}\nconst { entry } = Astro.props;\nconst { Content } = await render(entry);\n---\n<html lang="fr"><head><meta charset="utf-8" /><title>{entry.data.titre}</title></head><body><h1>{entry.data.titre}</h1><Content components={{ Encadre: Box, Etape: Box, Ressource: Box, VoirAussi: Box }} /></body></html>\n`,
  );
}

async function dirSize(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}

/** Bytes of a page's HTML plus the stylesheets it links. */
async function pageWeight(outDir: string, path: string): Promise<{ html: number; css: number }> {
  const html = await readFile(join(outDir, path, 'index.html'), 'utf8');
  let css = 0;
  for (const match of html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)) css += (await stat(join(outDir, match[1]!))).size;
  return { html: Buffer.byteLength(html), css };
}

/** Bytes the browser fetches to load the search page and run a first query (Chromium). */
async function searchBytes(outDir: string): Promise<{ page: number; pagefind: number; requests: number } | undefined> {
  const { hasChromium, launchChromium } = await import('./lib/chromium.ts');
  if (!hasChromium()) return undefined;
  const { serveSite } = await import('./lib/site-server.ts');
  const server = await serveSite(outDir);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/recherche/`);
    await page.locator('#resultats li').first().waitFor({ timeout: 60_000 });
    const before = new Map(server.bytesSent);
    await page.locator('#recherche-mots').fill('jardin');
    await page.getByText(/\d+ résultats? pour « jardin »/).first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500);
    let pagefind = 0;
    let requests = 0;
    for (const [path, bytes] of server.bytesSent) {
      const delta = bytes - (before.get(path) ?? 0);
      if (delta > 0) (pagefind += delta), requests++;
    }
    const page0 = [...before.values()].reduce((a, b) => a + b, 0);
    return { page: page0, pagefind, requests };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Processor time of a build, all its threads and child processes (Pagefind's) together. */
const cpu = (run: Timed) => (run.cpuSeconds === undefined ? '?' : `${run.cpuSeconds.toFixed(1)} s`);

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Runs the benchmark and writes bench-reports/site.md. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { sizes: { type: 'string' }, rounds: { type: 'string' } } });
  const { sizes, rounds } = parseWithFriendlyErrors(argsSchema, values, 'npm run bench -- site');
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  const rows: string[] = [];
  const notes: string[] = [];
  const catalogues: string[] = [];
  let fiche: { html: number; css: number } | undefined;
  let search: Awaited<ReturnType<typeof searchBytes>>;
  let cachesEmptied = false;

  for (const size of sizes) {
    const contentDir = join(workDir, `content-${size}`);
    const terreauOut = join(workDir, `terreau-${size}`);
    const bareOut = join(workDir, `bare-out-${size}`);
    const cacheDir = join(workDir, `cache-${size}`);
    console.log(`\n— ${size} entrées : génération…`);
    await generate(size, contentDir);

    const bareDir = join(workDir, `bare-${size}`);
    await writeBareSite(bareDir, contentDir, bareOut);
    const loadBefore = loadavg()[0]!.toFixed(1);
    // Rounds alternate the two sites, each from a cold cache; the fastest round of each counts.
    const terreauRounds: TerreauBuild[] = [];
    const bareRounds: Timed[] = [];
    for (let round = 1; round <= rounds; round++) {
      console.log(`  tour ${round}/${rounds} : construction Terreau (validation + Astro + Pagefind)…`);
      await rm(cacheDir, { recursive: true, force: true });
      cachesEmptied = settle(contentDir);
      const terreau = await buildTerreau(contentDir, terreauOut, cacheDir);
      if (!terreau.ok) throw new Error(`Terreau build failed at ${size}:\n${terreau.output.slice(-3000)}`);
      console.log(`  ${terreau.seconds.toFixed(1)} s (${terreau.phases}), pic ${terreau.peakMiB?.toFixed(0) ?? '?'} Mio`);
      terreauRounds.push(terreau);

      console.log(`  tour ${round}/${rounds} : construction Astro + MDX nu…`);
      await rm(join(bareDir, 'node_modules/.astro'), { recursive: true, force: true });
      settle(contentDir);
      const bare = await timed(node, [resolve(repoRoot, 'node_modules/astro/bin/astro.mjs'), 'build', '--root', bareDir, '--silent'], {}, bareDir);
      if (!bare.ok) throw new Error(`bare build failed at ${size}:\n${bare.output.slice(-3000)}`);
      console.log(`  ${bare.seconds.toFixed(1)} s, pic ${bare.peakMiB?.toFixed(0) ?? '?'} Mio`);
      bareRounds.push(bare);
    }
    const fastest = <T extends Timed>(list: T[]) => list.reduce((best, run) => (run.seconds < best.seconds ? run : best));
    const terreau = fastest(terreauRounds);
    const bare = fastest(bareRounds);
    const built = await dirSize(terreauOut);
    const catalogue = await fileWeight(join(terreauOut, 'parcours/catalogue.json'));
    catalogues.push(`${size} entrées : ${kib(catalogue.raw)} (${kib(catalogue.gzip)} compressé en gzip)`);

    // One entry changes: the content layer's cache (kept in cacheDir) only re-parses that file.
    const fiches = (await readdir(join(contentDir, 'fiches'))).filter((f) => f.endsWith('.mdx')).sort();
    const changed = join(contentDir, 'fiches', fiches[0]!);
    await writeFile(changed, `${await readFile(changed, 'utf8')}\nUne phrase ajoutée pour mesurer la reconstruction.\n`);
    commitAll(contentDir, 'Une phrase de plus');
    console.log('  reconstruction après modification d’une fiche…');
    settle(contentDir);
    const rebuild = await buildTerreau(contentDir, terreauOut, cacheDir);
    if (!rebuild.ok) throw new Error(`rebuild failed at ${size}:\n${rebuild.output.slice(-3000)}`);
    console.log(`  ${rebuild.seconds.toFixed(1)} s (${rebuild.phases}), ${rebuild.rendered} corps rendus, ${rebuild.reused} repris du cache`);
    notes.push(
      `- ${size} entrées (charge moyenne avant la première construction : ${loadBefore}) : tours Terreau ${terreauRounds.map((r) => r.seconds.toFixed(1)).join(' / ')} s, Astro nu ${bareRounds.map((r) => r.seconds.toFixed(1)).join(' / ')} s ; ` +
        `meilleur tour Terreau ${terreau.phases} (${terreau.rendered} corps MDX rendus) ; ` +
        `reconstruction ${rebuild.phases}, ${rebuild.rendered} corps rendu(s) et ${rebuild.reused} repris du cache.`,
    );

    const ratio = terreau.seconds / bare.seconds;
    rows.push(
      `| ${size} | ${built.files} | ${terreau.seconds.toFixed(1)} s | ${bare.seconds.toFixed(1)} s | **${ratio.toFixed(2)}** | ${cpu(terreau)} / ${cpu(bare)} | ${rebuild.seconds.toFixed(1)} s | ${terreau.peakMiB?.toFixed(0) ?? '?'} Mio | ${bare.peakMiB?.toFixed(0) ?? '?'} Mio |`,
    );
    if (size === sizes[0]) {
      fiche = await pageWeight(terreauOut, `fiches/${fiches[1]!.replace(/\.mdx$/, '')}`);
      search = await searchBytes(terreauOut);
    }
    await rm(bareOut, { recursive: true, force: true });
  }

  const ficheTotal = fiche ? fiche.html + fiche.css : 0;
  const lines = [
    '# Benchmark du site (`npm run bench -- site`)',
    '',
    `Machine : ${cpus().length} cœurs, ${(totalmem() / 2 ** 30).toFixed(0)} Gio, Node ${process.version}. Arbres synthétiques de \`npm run generate\` (graine 1), versionnés dans Git par un commit d’import : chaque entrée a son historique (page avec la différence, flux Atom).`,
    '',
    'Terreau = validation du contenu (dans deux threads à côté d’Astro, chacun un fichier sur deux, qui rendent aussi les corps MDX qu’ils analysent : le chargeur de contenu les reprend) + construction Astro (pages d’entrée, listes à facettes, historiques, flux, exports ; les fichiers des routes à paramètres qui ne sont pas des pages, comme le flux et le JSON de chaque entrée, sont écrits par un appel direct de leur route, sans la requête ni le middleware d’Astro) + typographie, écriture et index Pagefind de chaque page dans un thread à côté de celui d’Astro, dès qu’elle est rendue (la partie cherchable de la page, son `<main>`, va dans l’ordre des chemins du site à la part de l’index dont elle relève : une part par processus Pagefind, écrites côte à côte à la fin).',
    'Astro nu = Astro 7 + MDX, mêmes fichiers, une page par entrée avec une mise en page minimale, sans index.',
    'Reconstruction = même arbre après l’ajout d’une phrase à une fiche, avec le cache de la construction précédente.',
    'Temps processeur = temps utilisateur + système de la construction, tous fils et processus enfants compris (validation, Pagefind) : sur une machine à peu de cœurs, c’est lui qui borne la durée.',
    '',
    '| entrées | fichiers écrits (Terreau) | Terreau | Astro nu | rapport | temps processeur Terreau / Astro nu | reconstruction après 1 modification | pic mémoire Terreau | pic mémoire Astro nu |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Page d’une fiche : ${fiche ? `${kib(fiche.html)} de HTML + ${kib(fiche.css)} de CSS = **${kib(ficheTotal)}**` : 'non mesurée'} (plancher : 50 Ko).`,
    '',
    search
      ? `Première recherche (« jardin », arbre de ${sizes[0]} entrées) : la page /recherche/ charge ${kib(search.page)} (HTML, CSS, JS de l’interface, point d’entrée et WebAssembly de Pagefind, filtres), puis la première requête récupère **${kib(search.pagefind)}** en ${search.requests} fichiers (fragments d’index et extraits des résultats).`
      : 'Première recherche : non mesurée (Chromium absent).',
    '',
    `Catalogue du parcours guidé (/parcours/catalogue.json) : ${catalogues.join(' ; ')}.`,
    '',
    'Détail par taille (« démarrage » = chargement d’Astro et de Pagefind, compté ; « attente » = attente du verrou d’une autre construction, retirée des durées ci-dessus ; la validation tourne en même temps qu’Astro, et Pagefind indexe pendant le rendu : sa ligne est ce qui reste après Astro) :',
    '',
    ...notes,
    '',
    `Mesuré sur une machine partagée : les durées absolues varient d’une exécution à l’autre (voir la charge notée pour chaque taille). Terreau et Astro nu sont construits en alternance sur le même arbre, ${rounds} fois chacun, chaque fois sans cache ; le tableau donne le meilleur tour de chacun. ${cachesEmptied ? 'Avant chaque construction, les fichiers en attente sont écrits sur le disque (`sync`) et les caches du noyau (pages, répertoires, inodes) vidés, puis les paquets installés et l’arbre de contenu relus : chaque construction part du même état, sans les fichiers des précédentes (sans cela, une construction prenait 1 à 3 s de plus, en temps système, après quelques autres).' : 'Avant chaque construction, les fichiers en attente sont écrits sur le disque (`sync`) ; les caches du noyau n’ont pas pu être vidés (il faut être root) : les durées peuvent s’allonger au fil des constructions.'}`,
    '',
    '## Ce qui est incrémental',
    '',
    '- Contenu : le chargeur des collections MDX (site/src/lib/entry-loader.ts) garde dans le cache du content layer (`data-store.json` dans `ASTRO_CACHE_DIR`, ou `site/.astro/cache/<arbre+sortie>`) le HTML de chaque corps : il ne reprend que ceux des fichiers modifiés. Les threads de validation, eux, lisent et analysent tout l’arbre à chaque construction (ils le valident) et en rendent tous les corps : d’où une reconstruction à peine plus courte qu’une construction complète.',
    '- Pages : `npm run build` les rend toutes. La publication par le serveur, elle, est incrémentale : un processus garde le site compilé après une construction complète et ne rend de nouveau, après un commit, que les pages qui lisent ce qu’il a changé (voir `bench-reports/publish.md`). `experimental.incrementalBuild` d’Astro 7 (copie des pages inchangées) a été mesuré le 22 novembre 2026 : 3 s de plus sur une construction complète à 2 000 entrées, rien de gagné sur la reconstruction ; il reste désactivé.',
    '- Pas incrémental dans `npm run build` : la validation (tout l’arbre, en parallèle d’Astro) et Pagefind (pas d’API pour mettre à jour un index : toutes les pages indexées lui sont données de nouveau, au fil du rendu). Le regroupement Vite ne porte que sur le code du site : les corps ne sont pas compilés en modules.',
    '',
    '## Relancer',
    '',
    '```sh',
    'uptime                      # attendre une charge moyenne < 2 : les durées en dépendent',
    'npm run bench -- site       # 2 000 et 10 000 entrées, deux tours chacune, environ 17 minutes (caches vidés en root)',
    'npm run bench -- site --sizes 2000 --rounds 3',
    '```',
  ];
  await mkdir(resolve(repoRoot, 'bench-reports'), { recursive: true });
  await writeFile(resolve(repoRoot, 'bench-reports/site.md'), `${lines.join('\n')}\n`);
  console.log(`\n${lines.join('\n')}`);
}
