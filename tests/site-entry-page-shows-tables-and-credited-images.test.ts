/**
 * A fiche with tables, a check-list and an image of the commons, built by `npm run build`: the
 * page has accessible tables (header scopes, caption, a region that scrolls sideways on a phone),
 * the image in responsive variants with its size and its credits under it and in the page's
 * attribution, valid HTML, search finds a word only a table holds, and on a 360 px phone the page
 * stays within its weight budget (HTML + CSS ≤ 50 KB, first image ≤ 100 KB).
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../scripts/lib/chromium.ts';
import { checkHtml } from '../scripts/lib/nu-html-checker.ts';
import { serveSite, type SiteServer } from '../scripts/lib/site-server.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { makePhoto } from './helpers/images.ts';
import { buildSite, makeFixtureContent } from './helpers/site-fixture.ts';

const FICHE = 'fiches/jardin-partage';
const IMAGE = '/medias/fiches/jardin-partage/bacs-devant-la-mairie.jpg';

/** What the fiche's body gets at its end: two tables, a check-list, struck text and an image. */
const ADDED_BODY = `
## Matériel et calendrier

<Tableau titre="Matériel pour dix bacs" entetes="colonne">

| Matériel               | Quantité |   Coût |
| :--------------------- | -------: | -----: |
| Bacs en bois de mélèze |       10 |  800 € |
| Terreau                |     2 m³ |  120 € |

</Tableau>

| Tâche   | Mars | Avril | Mai | Juin | Juillet | Août | Septembre | Octobre |
| ------- | ---- | ----- | --- | ---- | ------- | ---- | --------- | ------- |
| Semer   | oui  | oui   | oui |      |         |      |           |         |
| Récolter |      |       |     | oui  | oui     | oui  | oui       | oui     |

- [x] Trouver un terrain
- [ ] Réunir les habitants

Prix ~~1 200 €~~ 920 € une fois les bacs montés.

![Des bacs de légumes devant la mairie](${IMAGE})
`;

let root: string;
let outDir: string;
let server: SiteServer;
let browser: Browser;

describeInChromium('a fiche with tables and a credited image', () => {
  beforeAll(async () => {
    const fixture = await makeFixtureContent({ history: false });
    root = fixture.root;
    const file = join(fixture.contentDir, `${FICHE}.mdx`);
    await writeFile(file, `${await readFile(file, 'utf8')}${ADDED_BODY}`);
    const folder = join(fixture.contentDir, 'medias/fiches/jardin-partage');
    await mkdir(folder, { recursive: true });
    await writeFile(join(fixture.contentDir, IMAGE), await makePhoto(2000, 1333));
    await writeFile(join(folder, 'bacs-devant-la-mairie.yaml'), 'auteur: "Mairie de Migné-Auxances"\nlicence: CC-BY-4.0\n');
    outDir = join(root, 'site');
    const built = buildSite(fixture.contentDir, outDir, join(root, 'astro-cache'));
    if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}\n${built.stderr}`);
    server = await serveSite(outDir);
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const pageHtml = () => readFile(join(outDir, FICHE, 'index.html'), 'utf8');

  it('marks up tables with header scopes, a caption and a named, focusable region', async () => {
    const html = await pageHtml();
    expect(html).toContain('<div class="table-scroll" role="region" tabindex="0" aria-labelledby="legende-tableau-1"><table><caption id="legende-tableau-1">Matériel pour dix bacs</caption>');
    expect(html).toContain('<th scope="col" class="aligne-droite">Quantité</th>');
    expect(html).toContain('<th scope="row" class="aligne-gauche">Bacs en bois de mélèze</th>');
    expect(html).toContain('aria-label="Tableau : Tâche, Mars, Avril, Mai, Juin, Juillet, Août, Septembre, Octobre"');
    expect(html).toContain('<span class="visually-hidden">Fait\u202f: </span>Trouver un terrain');
    // Pages are typeset: a narrow no-break space groups thousands, a no-break space holds the unit.
    expect(html).toContain('<del>1\u202f200\u00a0€</del>');
  });

  it('shows the image in variants, with its size, lazily, and credits it under it and in the attribution', async () => {
    const html = await pageHtml();
    const figure = /<figure class="media">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? '';
    const srcset = /srcset="([^"]+)"/.exec(figure)?.[1] ?? '';
    const variants = srcset.split(', ').map((candidate) => candidate.split(' ')[0]!);
    expect(srcset.split(', ').map((candidate) => candidate.split(' ')[1])).toEqual(['360w', '720w', '1080w', '1440w']);
    for (const variant of variants) expect((await stat(join(outDir, variant))).size).toBeGreaterThan(0);
    expect((await stat(join(outDir, IMAGE))).size).toBeGreaterThan(0);
    expect(figure).toContain('width="2000" height="1333" alt="Des bacs de légumes devant la mairie" loading="lazy" decoding="async"');
    expect(figure).toContain('<figcaption class="media__credits">Image\u202f: <span class="media__auteur">Mairie de Migné-Auxances</span> · <a rel="license" href="https://creativecommons.org/licenses/by/4.0/deed.fr">CC BY 4.0</a></figcaption>');

    const attribution = /<section class="attribution"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(attribution).toContain('Des bacs de légumes devant la mairie</a> — Mairie de Migné-Auxances');
    expect(attribution).toMatch(/Image\u202f: Mairie de Migné-Auxances \(CC BY 4\.0\)\./);
    const jsonLd = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!) as { associatedMedia: unknown[] };
    expect(jsonLd.associatedMedia).toEqual([
      expect.objectContaining({ '@type': 'ImageObject', contentUrl: expect.stringMatching(/\/medias\/fiches\/jardin-partage\/bacs-devant-la-mairie\.jpg$/), creator: { name: 'Mairie de Migné-Auxances' } }),
    ]);
  });

  it('renders its body and attribution as valid HTML (Nu Html Checker)', async () => {
    const html = await pageHtml();
    const body = /<div class="entry__body">[\s\S]*?(?=<div class="entry__aside">)/.exec(html)![0];
    const attribution = /<section class="attribution"[\s\S]*?<\/section>/.exec(html)![0];
    const page = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Fiche</title></head><body><main>${body}${attribution}</main></body></html>`;
    expect(await checkHtml({ html: page })).toEqual([]);
  }, 120_000);

  it('finds a word that only a table cell holds', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/recherche/?q=mélèze`);
    await expect.poll(() => page.locator('#resultats').innerText(), { timeout: 20_000 }).toContain('jardin partagé');
    await page.close();
  });

  it('on a 360 px phone, scrolls the wide table sideways instead of the page, within the weight budget', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    server.bytesSent.clear();
    await page.goto(`${server.url}/${FICHE}/`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const wide = page.getByRole('region', { name: /^Tableau : Tâche/ });
    expect(await wide.evaluate((region) => region.scrollWidth > region.clientWidth)).toBe(true);
    // Keyboard: the region takes focus, and the arrow keys scroll it.
    // A loaded machine may drop a key press that lands before the page settles: press until it scrolls.
    await wide.focus();
    await expect.poll(() => wide.evaluate((region) => region === document.activeElement)).toBe(true);
    await expect.poll(async () => {
      await page.keyboard.press('ArrowRight');
      return wide.evaluate((region) => region.scrollLeft);
    }, { timeout: 10_000 }).toBeGreaterThan(0);

    const image = page.locator('figure.media img');
    await image.scrollIntoViewIfNeeded();
    await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).toBe(true);
    const chosen = new URL(await image.evaluate((img) => (img as HTMLImageElement).currentSrc)).pathname;
    expect(chosen).toMatch(/\.720\.webp$/);
    const imageBytes = server.bytesSent.get(chosen) ?? 0;
    const pageBytes = [...server.bytesSent].filter(([path]) => path === `/${FICHE}/` || path.endsWith('.css')).reduce((sum, [, bytes]) => sum + bytes, 0);
    console.log(`page ${FICHE} à 360 px : HTML + CSS ${pageBytes} octets, première image ${imageBytes} octets (${chosen})`);
    expect(pageBytes).toBeLessThanOrEqual(50 * 1024);
    expect(imageBytes).toBeGreaterThan(0);
    expect(imageBytes).toBeLessThanOrEqual(100 * 1024);
    await context.close();
  });
});
