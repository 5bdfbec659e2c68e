import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixtureContent } from './helpers/site-fixture.ts';
import { runScript } from './helpers/run-script.ts';

let root: string;
let contentDir: string;
let outDir: string;
let rebuildLog: string;

// At `info` level the content loader says how many bodies it rendered and how many it reused.
const build = () => runScript('build-site', [], { CONTENT_DIR: contentDir, SITE_OUT_DIR: outDir, ASTRO_CACHE_DIR: join(root, 'cache'), ASTRO_LOG_LEVEL: 'info' });
const page = (path: string) => readFile(join(outDir, path, 'index.html'), 'utf8');
/** Every page of the paginated fiches list, joined: a title may sort onto any of them. */
async function fichesListing(): Promise<string> {
  const pages = [await page('fiches')];
  const count = Number(/page 1 sur (\d+)/.exec(pages[0]!)?.[1] ?? 1);
  for (let n = 2; n <= count; n++) pages.push(await page(`fiches/page/${n}`));
  return pages.join('\n');
}

beforeAll(async () => {
  ({ root, contentDir } = await makeFixtureContent({ history: false }));
  outDir = join(root, 'site');
  const first = build();
  if (first.status !== 0) throw new Error(`first build failed:\n${first.stdout}\n${first.stderr}`);
  const fiche = join(contentDir, 'fiches/jardin-partage.mdx');
  const text = await readFile(fiche, 'utf8');
  await writeFile(fiche, `${text.replace(/^titre: .*$/m, 'titre: Un jardin partagé renommé')}\nUne phrase ajoutée au corps.\n`);
  const second = build();
  if (second.status !== 0) throw new Error(`rebuild failed:\n${second.stdout}\n${second.stderr}`);
  // Astro colours its log when CI is set, even into a pipe: match on the plain text.
  rebuildLog = stripVTControlCharacters(second.stdout + second.stderr);
}, 180_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('rebuilding after one entry changes', () => {
  it('shows the change on the entry and on every page that shows its title', async () => {
    expect(await page('fiches/jardin-partage')).toContain('Un jardin partagé renommé');
    expect(await page('fiches/jardin-partage')).toContain('Une phrase ajoutée au corps.');
    // Cited in the body of another fiche, and listed on the fiches list.
    expect(await page('fiches/ateliers-savoir-faire')).toContain('Un jardin partagé renommé');
    expect(await fichesListing()).toContain('Un jardin partagé renommé');
    expect(await readFile(join(outDir, 'donnees/entrees.json'), 'utf8')).toContain('Un jardin partagé renommé');
  });

  it('renders again only the body that changed', () => {
    expect(rebuildLog).toMatch(/fiches : 1 corps rendu\(s\), \d+ repris du cache/);
    expect(rebuildLog).toMatch(/guides : 0 corps rendu\(s\), \d+ repris du cache/);
  });
});
