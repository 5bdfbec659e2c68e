/**
 * After each commit of a sequence (create, rename a title others cite, change facets, rename a
 * file, delete), the site the publisher serves is, file for file and byte for byte, what a full
 * build of the same commit makes — and it got there incrementally, not by building it all again;
 * also when a commit arrives during the previous one's index step, which gives way to it.
 * The publisher runs as the editor server runs it: SitePublisher with the site worker process.
 * The search index is cut into several shards here (a large site's case), so that a commit makes
 * only the shards of the pages it changed again.
 */
import { execFileSync } from 'node:child_process';
import { readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SitePublisher } from '../editor-server/src/publish/site-publisher.ts';
import { SiteWorkerBuilder } from '../editor-server/src/publish/site-worker-builder.ts';
import type { SiteWorkerReply } from '../editor-server/src/publish/site-worker-protocol.ts';
import { buildSite, makeFixtureContent } from './helpers/site-fixture.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// About 1,400 paths: 24 shards, read by the site worker and the full builds this file starts.
process.env.SEARCH_PATHS_PER_SHARD = '60';
let root: string;
let contentDir: string;
let publisher: SitePublisher;
const steps: { step: 'publish' | 'finish'; reply: Extract<SiteWorkerReply, { ok: true }> }[] = [];

const siteDir = () => join(root, 'data', 'site');

function commitAs(message: string): void {
  execFileSync('git', ['add', '-A'], { cwd: contentDir });
  execFileSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', message], {
    cwd: contentDir,
    env: { ...process.env, GIT_AUTHOR_NAME: 'Dominique Leroy', GIT_AUTHOR_EMAIL: 'dominique@example.org', GIT_COMMITTER_NAME: 'Serveur Terreau', GIT_COMMITTER_EMAIL: 'serveur@terreau.invalid' },
  });
}

/** Every file under `dir` with its bytes, and every folder. */
async function readTree(dir: string): Promise<{ files: Map<string, Buffer>; folders: Set<string> }> {
  const files = new Map<string, Buffer>();
  const folders = new Set<string>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = relative(dir, join(entry.parentPath, entry.name));
    if (entry.isDirectory()) folders.add(path);
    else files.set(path, await readFile(join(dir, path)));
  }
  return { files, folders };
}

/** The differences between the served site and a full build of the same commit (empty: identical). */
async function differencesWithFullBuild(name: string): Promise<string[]> {
  const reference = join(root, `reference-${name}`);
  const built = buildSite(contentDir, reference, join(root, 'reference-cache'));
  if (built.status !== 0) throw new Error(`full build failed:\n${built.stdout}\n${built.stderr}`);
  const served = await readTree(await realpath(siteDir()));
  const full = await readTree(reference);
  const differences: string[] = [];
  for (const [path, bytes] of full.files) {
    const ours = served.files.get(path);
    if (!ours) differences.push(`missing ${path}`);
    else if (!ours.equals(bytes)) differences.push(`different ${path}`);
  }
  for (const path of served.files.keys()) if (!full.files.has(path)) differences.push(`extra ${path}`);
  for (const path of served.folders) if (!full.folders.has(path)) differences.push(`extra folder ${path}`);
  await rm(reference, { recursive: true, force: true });
  return differences;
}

/** Publishes HEAD; checks `whenPublished` on the site served after step 1, then waits for step 2. */
async function publishAndCompare(name: string, whenPublished: (page: (path: string) => Promise<string>) => Promise<void>): Promise<void> {
  const before = steps.length;
  const { published, indexed } = publisher.publish();
  await published;
  const served = await realpath(siteDir());
  await whenPublished((path) => readFile(join(served, path), 'utf8'));
  await indexed;
  const taken = steps.slice(before);
  expect(taken.map(({ step, reply }) => `${step}${reply.full ? ' (complète)' : ''}`)).toEqual(['publish', 'finish']);
  expect(await differencesWithFullBuild(name)).toEqual([]);
}

beforeAll(async () => {
  ({ root, contentDir } = await makeFixtureContent());
  const builder = new SiteWorkerBuilder({
    command: [process.execPath, 'scripts/site-worker.ts'],
    cwd: repoRoot,
    contentDir,
    cacheDir: join(root, 'worker-cache'),
    quiet: true,
    onStep: (step, reply) => steps.push({ step, reply }),
  });
  publisher = new SitePublisher(siteDir(), builder);
  await publisher.publish().indexed;
  expect(steps.map(({ reply }) => reply.full)).toEqual([true]);
}, 900_000);

afterAll(async () => {
  await publisher?.close();
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

describe('publishing commit after commit', () => {
  it('creates an entry: its pages, the lists and the page it cites', async () => {
    const fiche = await readFile(join(contentDir, 'fiches/repair-cafe.mdx'), 'utf8');
    const created = fiche
      .replace(/^titre: .*$/m, 'titre: "Construire un four à pain communal"')
      .replace(/^phases: .*$/m, 'phases: [construire-une-vision, agir]')
      .replace(/\n## Pourquoi agir\n/, '\n## Pourquoi agir\n\nUn four chauffe aussi le [jardin partagé](/fiches/jardin-partage/) voisin.\n');
    await writeFile(join(contentDir, 'fiches/four-a-pain-communal.mdx'), created);
    commitAs('Créer la fiche du four à pain');
    await publishAndCompare('creation', async (page) => {
      expect(await page('fiches/four-a-pain-communal/index.html')).toContain('Construire un four à pain communal');
      expect(await page('fiches/jardin-partage/index.html')).toContain('Construire un four à pain communal');
      expect(await page('fiches/index.html')).toContain('Construire un four à pain communal');
    });
  }, 900_000);

  it('renames a title others cite: every page that shows it', async () => {
    const path = join(contentDir, 'fiches/jardin-partage.mdx');
    await writeFile(path, (await readFile(path, 'utf8')).replace(/^titre: .*$/m, 'titre: "Cultiver un jardin partagé"'));
    commitAs('Renommer le jardin partagé');
    const bundle = () => readFile(join(siteDir(), 'telecharger/terreau-fiches.zip'));
    const bundleBefore = await bundle();
    await publishAndCompare('titre', async (page) => {
      expect(await page('fiches/jardin-partage/index.html')).toContain('Cultiver un jardin partagé');
      expect(await page('fiches/ateliers-savoir-faire/index.html')).toContain('Cultiver un jardin partagé');
      expect(await page('fiches/four-a-pain-communal/index.html')).toContain('Cultiver un jardin partagé');
      // The reuse bundles wait for the second step: « publié » does not wait for them.
      expect((await bundle()).equals(bundleBefore)).toBe(true);
    });
    expect((await bundle()).equals(bundleBefore)).toBe(false);
  }, 900_000);

  it('changes facets: the facet lists it leaves and joins', async () => {
    const path = join(contentDir, 'fiches/repair-cafe.mdx');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace(/^phases: .*$/m, 'phases: [sensibiliser, agir]').replace(/^difficulte: .*$/m, 'difficulte: "3"').replace(/^themes: .*$/m, 'themes: [dechets, energie]'));
    commitAs('Revoir les facettes du repair café');
    await publishAndCompare('facettes', async (page) => {
      expect(await page('fiches/filtre/difficulte/3/index.html')).toContain('Ouvrir un Repair Café');
      expect(await page('fiches/filtre/theme/energie/index.html')).toContain('Ouvrir un Repair Café');
    });
    // One page's filters changed: one shard of the search index was made again, of several.
    const { shards } = JSON.parse(await readFile(join(siteDir(), 'pagefind/shards.json'), 'utf8')) as { shards: string[] };
    expect(shards.length).toBeGreaterThanOrEqual(5);
    expect(steps.at(-1)!.reply.shards).toBe(1);
  }, 900_000);

  it('renames a file: the old pages lead to the new ones', async () => {
    execFileSync('git', ['mv', 'fiches/four-a-pain-communal.mdx', 'fiches/four-a-pain-du-village.mdx'], { cwd: contentDir });
    commitAs('Renommer le fichier du four à pain');
    await publishAndCompare('renommage', async (page) => {
      expect(await page('fiches/four-a-pain-du-village/index.html')).toContain('Construire un four à pain communal');
      const moved = await page('fiches/four-a-pain-communal/index.html');
      expect(moved).toContain('http-equiv="refresh"');
      expect(moved).toContain('/fiches/four-a-pain-du-village/');
      expect(await page('fiches/four-a-pain-communal/historique/index.html')).toContain('/fiches/four-a-pain-du-village/historique/');
    });
  }, 900_000);

  it('deletes an entry: its pages and the pages that led to it are gone', async () => {
    await rm(join(contentDir, 'fiches/four-a-pain-du-village.mdx'));
    commitAs('Retirer la fiche du four à pain');
    await publishAndCompare('suppression', async (page) => {
      await expect(page('fiches/four-a-pain-du-village/index.html')).rejects.toThrow();
      await expect(page('fiches/four-a-pain-communal/index.html')).rejects.toThrow();
      expect(await page('fiches/index.html')).not.toContain('four à pain');
    });
  }, 900_000);

  it('a commit during the index step: its pages go out first, then the index has both', async () => {
    const edit = async (file: string, sentence: string) => {
      const path = join(contentDir, file);
      await writeFile(path, (await readFile(path, 'utf8')).replace(/\n## Pourquoi agir\n/, `\n## Pourquoi agir\n\n${sentence}\n`));
    };
    await edit('fiches/repair-cafe.mdx', 'Un atelier par mois suffit pour commencer.');
    commitAs('Préciser le rythme du repair café');
    const before = steps.length;
    const first = publisher.publish();
    let firstIndexed = false;
    void first.indexed.then(() => (firstIndexed = true));
    await first.published;
    // The first commit's index step has started; the second commit arrives now.
    await edit('fiches/jardin-partage.mdx', 'Une parcelle peut être prêtée à l’école.');
    commitAs('Ajouter une parcelle pour l’école');
    const second = publisher.publish();
    await second.published;
    expect(await readFile(join(siteDir(), 'fiches/jardin-partage/index.html'), 'utf8')).toContain('Une parcelle peut être prêtée à l’école.');
    // Published before the first commit's index step ended: that step gave way.
    expect(firstIndexed).toBe(false);
    await Promise.all([first.indexed, second.indexed]);
    expect(steps.slice(before).map(({ step }) => step)).toEqual(['publish', 'publish', 'finish']);
    expect(await differencesWithFullBuild('interruption')).toEqual([]);
  }, 900_000);
});
