import { existsSync } from 'node:fs';
import { glob, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, makeFixtureContent } from './helpers/site-fixture.ts';

let root: string;
let contentDir: string;
// A whole site is built (typeset, indexed): minutes, not seconds, on two shared cores.
const BUILD_TIMEOUT_MS = 300_000;

beforeAll(async () => {
  ({ root, contentDir } = await makeFixtureContent({ history: false }));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Builds into `name` with the fiche jardin-partage changed by `change`, then puts it back. */
async function buildWithFicheChanged(change: (text: string) => string, name: string) {
  const file = join(contentDir, 'fiches/jardin-partage.mdx');
  const original = await readFile(file, 'utf8');
  await writeFile(file, change(original));
  try {
    const outDir = join(root, name);
    return { outDir, result: buildSite(contentDir, outDir, join(root, `cache-${name}`)) };
  } finally {
    await writeFile(file, original);
  }
}

describe('building the site', () => {
  it('stops on an invalid file with the validator’s lines, no stack trace and no site', async () => {
    const { outDir, result } = await buildWithFicheChanged((text) => text.replace(/^difficulte: .*$/m, 'difficulte: "9"'), 'invalid-site');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^fiches\/jardin-partage\.mdx:\d+: difficulte: valeur "9" inconnue pour « difficulte »/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(outDir)).toBe(false);
  });

  it('builds a content tree that has no Git history', async () => {
    const outDir = join(root, 'site');
    const result = buildSite(contentDir, outDir, join(root, 'cache'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // Without SITE_URL the build says which address its absolute URLs use.
    expect(result.stdout).toMatch(/^Adresse du site : http:\/\/\S+\/ \(SITE_URL n’est pas défini : c’est l’adresse où le serveur écoute/m);
    const page = await readFile(join(outDir, 'fiches/jardin-partage/index.html'), 'utf8');
    expect(page).toContain('Citer et réutiliser');
    expect(await readFile(join(outDir, 'fiches/jardin-partage/historique/index.html'), 'utf8')).toContain('Aucun historique');
    expect(JSON.parse(await readFile(join(outDir, 'pagefind/shards.json'), 'utf8'))).toEqual({ shards: ['/pagefind/0/'] });
    expect(existsSync(join(outDir, 'pagefind/0/pagefind.js'))).toBe(true);
  }, BUILD_TIMEOUT_MS);

  it('indexes for search the pages whose <main> says so, whatever an entry’s text mentions', async () => {
    // The summary is shown on list pages, which are not indexed: the words must not make them so.
    const summary = 'resume: "Un jardin où le mot data-pagefind-body n’est qu’un mot du résumé."';
    const { outDir, result } = await buildWithFicheChanged((text) => text.replace(/^resume: .*$/m, summary), 'site-search');
    expect(result.status).toBe(0);
    const indexed = Number(/\((\d+) pages indexées\)/.exec(result.stdout)?.[1]);
    let marked = 0;
    for await (const page of glob('**/index.html', { cwd: outDir })) {
      if (/<main\b[^>]*\sdata-pagefind-body[\s=>]/.test(await readFile(join(outDir, page), 'utf8'))) marked++;
    }
    expect(marked).toBeGreaterThan(50);
    expect(indexed).toBe(marked);
  }, BUILD_TIMEOUT_MS);
});
