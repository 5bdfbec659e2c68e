/**
 * A small content tree with a real Git history (two authors, a co-author, a derived fiche), built
 * into a static site once per test file. Built by the project's own scripts, as CI would.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from './run-script.ts';

/** A built fixture site. */
export interface SiteFixture {
  root: string;
  contentDir: string;
  outDir: string;
  cleanup(): Promise<void>;
}

const git = (cwd: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync('git', args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });

function commitAs(dir: string, name: string, email: string, message: string, date: string) {
  git(dir, ['add', '-A']);
  git(dir, ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', message], {
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: 'Serveur Terreau',
    GIT_COMMITTER_EMAIL: 'serveur@terreau.invalid',
    GIT_COMMITTER_DATE: date,
  });
}

/** Writes the fixture content tree (with history unless `history: false`) into a temp dir. */
export async function makeFixtureContent(options: { history?: boolean } = {}): Promise<{ root: string; contentDir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'terreau-site-'));
  const contentDir = join(root, 'content');
  const generated = runScript('generate-synthetic', ['--count', '24', '--out', contentDir]);
  if (generated.status !== 0) throw new Error(`generate: ${generated.stderr}`);
  if (options.history === false) return { root, contentDir };

  git(contentDir, ['init', '-q', '-b', 'main']);
  commitAs(contentDir, 'Alice Martin', 'alice@example.org', 'Premier état du commun', '2025-01-10T10:00:00+01:00');

  const fiche = join(contentDir, 'fiches/jardin-partage.mdx');
  await writeFile(fiche, `${await readFile(fiche, 'utf8')}\nUn paragraphe ajouté par Bruno sur l’arrosage partagé.\n`);
  commitAs(
    contentDir,
    'Bruno Petit',
    'bruno@example.org',
    'Ajouter un conseil sur l’arrosage\n\nCo-authored-by: Chloé Durand <chloe@example.org>',
    '2025-02-03T15:30:00+01:00',
  );

  // An adaptation of the jardin partagé for a mountain commune: lineage on both pages.
  const original = await readFile(fiche, 'utf8');
  const derived = original
    .replace(/^titre: .*$/m, 'titre: Créer un jardin partagé en montagne')
    .replace(/^---\n/, '---\nderive_de:\n  source: fiches/jardin-partage\n  changements: "Calendrier adapté à une saison courte, serres froides"\n');
  await writeFile(join(contentDir, 'fiches/jardin-partage-montagne.mdx'), derived);
  commitAs(contentDir, 'Chloé Durand', 'chloe@example.org', 'Adapter le jardin partagé à la montagne', '2025-03-01T09:00:00+01:00');
  return { root, contentDir };
}

/** Runs `npm run build` (scripts/build-site.ts) on a content tree into `outDir`. */
export function buildSite(contentDir: string, outDir: string, cacheDir: string) {
  return runScript('build-site', [], { CONTENT_DIR: contentDir, SITE_OUT_DIR: outDir, ASTRO_CACHE_DIR: cacheDir });
}

/** Makes the fixture content and builds it; throws with the build output if the build fails. */
export async function buildFixtureSite(options: { history?: boolean } = {}): Promise<SiteFixture> {
  const { root, contentDir } = await makeFixtureContent(options);
  const outDir = join(root, 'site');
  const result = buildSite(contentDir, outDir, join(root, 'astro-cache'));
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
  return { root, contentDir, outDir, cleanup: () => rm(root, { recursive: true, force: true }) };
}
