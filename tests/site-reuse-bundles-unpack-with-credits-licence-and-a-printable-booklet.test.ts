/**
 * Reuse bundles of the built site, checked with independent tools: `unzip`, the Nu Html Checker,
 * Chromium's print to PDF. The whole-commons bundle is built with the site; an entry's and a
 * roadmap's are assembled in the browser from the static per-entry files.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkHtml } from '../scripts/lib/nu-html-checker.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { useSiteInChromium } from './helpers/site-in-chromium.ts';

const run = promisify(execFile);
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'terreau-dossier-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** Tests the archive with `unzip -t`, unpacks it, and lists its files. */
async function unpack(zip: string, name: string): Promise<{ dir: string; files: string[] }> {
  await run('unzip', ['-tq', zip]);
  const dir = join(work, name);
  await run('unzip', ['-q', zip, '-d', dir]);
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
  return { dir, files: files.sort() };
}

function frontmatterOf(text: string): Record<string, unknown> {
  return parseYaml(/^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '') as Record<string, unknown>;
}

describeInChromium('reuse bundles', () => {
  const env = useSiteInChromium();

  it('of the whole commons unpack with every source, an attribution line for each, the licence, REUSE metadata, JSON-LD and a data package', async () => {
    const { dir, files } = await unpack(join(env.site.outDir, 'telecharger/terreau-commun.zip'), 'commun');
    const sources = files.filter((f) => f.startsWith('contenu/'));
    expect(sources).toContain('contenu/fiches/jardin-partage.mdx');
    expect(sources.some((f) => f.startsWith('contenu/referentiel/') && f.endsWith('.yaml'))).toBe(true);
    const attribution = await readFile(join(dir, 'ATTRIBUTION.md'), 'utf8');
    const reuse = await readFile(join(dir, 'REUSE.toml'), 'utf8');
    const dataPackage = JSON.parse(await readFile(join(dir, 'datapackage.json'), 'utf8'));
    for (const file of sources) {
      const text = await readFile(join(dir, file), 'utf8');
      // The source as in the commons, byte for byte.
      expect(text).toBe(await readFile(join(env.site.contentDir, file.slice('contenu/'.length)), 'utf8'));
      const line = attribution.split('\n').find((l) => l.startsWith(`- \`${file}\` — « `));
      expect(line, `ligne d’attribution de ${file}`).toMatch(/, par .+ ; source : http:\/\/127\.0\.0\.1:4321\/\S+ ; licence : CC BY-SA 4\.0 \(https:\/\/creativecommons\.org\/licenses\/by-sa\/4\.0\/\) ; modifications : .+\.$/);
      expect(reuse).toContain(`path = "${file}"`);
      expect(dataPackage.resources.some((r: { path: string }) => r.path === file)).toBe(true);
      if (file.endsWith('.mdx')) expect(frontmatterOf(text).statut).not.toBe('brouillon');
    }
    // The authors are the people of the history, co-authors included, then the credited structures.
    const garden = attribution.split('\n').find((l) => l.startsWith('- `contenu/fiches/jardin-partage.mdx`'))!;
    // No structure credited on this fiche, and a person created it: three people, joined the French way.
    expect(garden).toContain('par Alice Martin, Bruno Petit et Chloé Durand ; source :');
    const mountain = attribution.split('\n').find((l) => l.startsWith('- `contenu/fiches/jardin-partage-montagne.mdx`'))!;
    expect(mountain).toContain('modifications : adaptation de « Créer un jardin partagé » (http://127.0.0.1:4321/fiches/jardin-partage/) : Calendrier adapté');
    // A brouillon is never in a bundle.
    for (const collection of ['fiches', 'guides', 'retours']) {
      for (const file of await readdir(join(env.site.contentDir, collection))) {
        const draft = frontmatterOf(await readFile(join(env.site.contentDir, collection, file), 'utf8')).statut === 'brouillon';
        expect(sources.includes(`contenu/${collection}/${file}`)).toBe(!draft);
      }
    }
    expect(await readFile(join(dir, 'LICENSES/CC-BY-SA-4.0.txt'), 'utf8')).toBe(await readFile(join(import.meta.dirname, '../LICENSES/CC-BY-SA-4.0.txt'), 'utf8'));
    expect(reuse).toMatch(/^version = 1$/m);
    expect(dataPackage.licenses[0].name).toBe('CC-BY-SA-4.0');
    const jsonLd = JSON.parse(await readFile(join(dir, 'entrees.jsonld'), 'utf8'));
    expect(jsonLd['@context']).toBe('https://schema.org');
    expect(jsonLd['@graph']).toHaveLength(sources.length);
    // Machines get the licence's canonical address (people follow the French deed from the page).
    expect(jsonLd['@graph'].find((n: { name: string }) => n.name === 'Créer un jardin partagé').license).toBe('https://creativecommons.org/licenses/by-sa/4.0/');
  });

  it('carry a booklet that is valid HTML, has a table of contents, and prints on A4 pages', async () => {
    const { dir, files } = await unpack(join(env.site.outDir, 'telecharger/terreau-fiches.zip'), 'fiches');
    const fiches = files.filter((f) => f.startsWith('contenu/fiches/'));
    const booklet = join(dir, 'livret.html');
    expect(await checkHtml({ files: [booklet] })).toEqual([]);
    const page = await env.browser.newPage();
    await page.goto(`file://${booklet}`);
    const contents = await page.locator('nav[aria-labelledby="sommaire"] a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).hash));
    expect(contents).toHaveLength(fiches.length);
    for (const hash of contents) expect(await page.locator(hash).count()).toBe(1);
    // The page size comes from the booklet's own print CSS (@page { size: A4 }).
    const pdf = Buffer.from(await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    // One article per page at least, plus the cover and the contents; every page A4 (210 × 297 mm).
    const pages = pdf.match(/\/Type\s*\/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThan(fiches.length + 1);
    const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)];
    expect(boxes.length).toBeGreaterThan(0);
    for (const [, width, height] of boxes) {
      expect(Math.abs((Number(width) * 25.4) / 72 - 210)).toBeLessThan(0.6);
      expect(Math.abs((Number(height) * 25.4) / 72 - 297)).toBeLessThan(0.6);
    }
    await page.close();
  }, 180_000);

  it('of one entry, or of a roadmap, are assembled in the browser from the static per-entry files', async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/fiches/jardin-partage/`);
    const button = page.getByRole('button', { name: 'Télécharger pour réutiliser (ZIP)' });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe('terreau-jardin-partage.zip');
    const zip = join(work, 'entree.zip');
    await download.saveAs(zip);
    const { dir, files } = await unpack(zip, 'entree');
    expect(files.filter((f) => f.startsWith('contenu/'))).toEqual(['contenu/fiches/jardin-partage.mdx']);
    expect(await readFile(join(dir, 'ATTRIBUTION.md'), 'utf8')).toContain('- `contenu/fiches/jardin-partage.mdx` — « Créer un jardin partagé », par Alice Martin, Bruno Petit et Chloé Durand ; source :');
    expect(files).toContain('LICENSES/CC-BY-SA-4.0.txt');
    await expect.poll(() => page.locator('[data-bundle-status]').innerText(), { timeout: 30_000 }).toContain('Dossier prêt');

    await page.goto(`${env.server.url}/parcours/?profil=elu&situation=rien&theme=alimentation&moyens=benevoles&taille=moins-1000`);
    await page.locator('#feuille-de-route .roadmap__step').first().waitFor();
    const linked = await page.locator('#feuille-de-route-contenu a[href^="/fiches/"], #feuille-de-route-contenu a[href^="/guides/"], #feuille-de-route-contenu a[href^="/retours/"]').evaluateAll((links) =>
      [...new Set(links.map((a) => new URL((a as HTMLAnchorElement).href).pathname).filter((p) => /^\/[a-z]+\/[a-z0-9-]+\/$/.test(p)))],
    );
    expect(linked.length).toBeGreaterThan(2);
    const [roadmap] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger ses fiches pour réutiliser (ZIP)' }).click()]);
    await roadmap.saveAs(join(work, 'feuille.zip'));
    const unpacked = await unpack(join(work, 'feuille.zip'), 'feuille');
    expect(unpacked.files.filter((f) => f.startsWith('contenu/')).sort()).toEqual(linked.map((p) => `contenu${p.slice(0, -1)}.mdx`).sort());
    await page.close();
  }, 120_000);
});
