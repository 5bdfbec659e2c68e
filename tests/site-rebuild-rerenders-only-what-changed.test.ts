import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pagesInAstroLog, type LoggedPage } from './helpers/astro-log.ts';
import { makeFixtureContent } from './helpers/site-fixture.ts';
import { runScript } from './helpers/run-script.ts';

let root: string;
let contentDir: string;
let outDir: string;
let rebuilt: LoggedPage[];

// Astro logs every page at `info` level, marking those copied from its incremental cache.
const build = () => runScript('build-site', [], { CONTENT_DIR: contentDir, SITE_OUT_DIR: outDir, ASTRO_CACHE_DIR: join(root, 'cache'), ASTRO_LOG_LEVEL: 'info' });
const page = (path: string) => readFile(join(outDir, path, 'index.html'), 'utf8');

beforeAll(async () => {
  ({ root, contentDir } = await makeFixtureContent({ history: false }));
  outDir = join(root, 'site');
  const first = build();
  if (first.status !== 0) throw new Error(`first build failed:\n${first.stdout}\n${first.stderr}`);
  const fiche = join(contentDir, 'fiches/jardin-partage.mdx');
  await writeFile(fiche, (await readFile(fiche, 'utf8')).replace(/^titre: .*$/m, 'titre: Un jardin partagé renommé'));
  const second = build();
  if (second.status !== 0) throw new Error(`rebuild failed:\n${second.stdout}\n${second.stderr}`);
  rebuilt = pagesInAstroLog(second.stdout + second.stderr);
}, 180_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('rebuilding after one entry changes', () => {
  it('renders again the entry and every page that shows its title', async () => {
    expect(await page('fiches/jardin-partage')).toContain('Un jardin partagé renommé');
    // Cited in the body of another fiche, and listed on the fiches list.
    expect(await page('fiches/ateliers-savoir-faire')).toContain('Un jardin partagé renommé');
    expect(await page('fiches')).toContain('Un jardin partagé renommé');
    expect(await readFile(join(outDir, 'donnees/entrees.json'), 'utf8')).toContain('Un jardin partagé renommé');
  });

  it('copies the pages that do not show it from the previous build', async () => {
    const copied = rebuilt.filter((page) => page.copied && /^\/[a-z]+\/[a-z0-9-]+\/index\.html$/.test(page.path)).map((page) => page.path);
    expect(copied.length).toBeGreaterThan(20);
    expect(copied).not.toContain('/fiches/jardin-partage/index.html');
    expect(copied).not.toContain('/fiches/ateliers-savoir-faire/index.html');
    expect(rebuilt.map((page) => page.path)).toContain('/fiches/jardin-partage/index.html');
  });
});
