/**
 * `npm run bench -- images [--photo chemin.jpg]`: what a fiche with a table and an image weighs,
 * side by side with the same fiche without them, in one build of the seed content. A phone at
 * 360 px (device pixel ratio 1, 2 and 3) and a 1280 px screen load both pages in Chromium from
 * the production static server; the figures are the bytes of HTML + CSS and of the first image.
 * Budgets: HTML + CSS ≤ 50 KB, first image at 360 px ≤ 100 KB. Also times the images step of the
 * build, first with an empty variant cache, then with it. Writes bench-reports/images.md.
 *
 * Without `--photo`, the image is made here: noise at three scales, which compresses about as
 * badly as a detailed photo (a real one is better: pass it).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const workDir = resolve(repoRoot, 'bench-reports/tmp/images');
const BASE = 'fiches/jardin-partage';
const ILLUSTRATED = 'fiches/jardin-partage-illustre';
const IMAGE = '/medias/fiches/jardin-partage-illustre/jardin.jpg';

/** A detailed, photo-like picture: noise at three scales, softly blended. */
async function makeDetailedPicture(width: number, height: number): Promise<Buffer> {
  const layer = async (scale: number, sigma: number, blur: number) =>
    sharp(
      await sharp({ create: { width: Math.ceil(width / scale), height: Math.ceil(height / scale), channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma } } })
        .blur(blur)
        .png()
        .toBuffer(),
    )
      .resize(width, height)
      .png()
      .toBuffer();
  const [coarse, middle, detail] = await Promise.all([layer(16, 110, 1.5), layer(4, 70, 1), layer(1, 45, 0.5)]);
  return sharp(coarse).composite([{ input: middle, blend: 'soft-light' }, { input: detail, blend: 'soft-light' }]).jpeg({ quality: 85 }).toBuffer();
}

/** Runs `npm run build` on a tree; resolves with the seconds of each phase it prints. */
function build(contentDir: string, outDir: string, cacheDir: string): Promise<Record<string, number>> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['scripts/build-site.ts'], {
      cwd: repoRoot,
      env: { ...process.env, CONTENT_DIR: contentDir, SITE_OUT_DIR: outDir, ASTRO_CACHE_DIR: cacheDir, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`construction : ${output}`));
      const phases = /: (.*)\.\s*$/m.exec(output.trim().split('\n').at(-1) ?? '')?.[1] ?? '';
      done(Object.fromEntries([...phases.matchAll(/([^,]+?) ([\d.]+) s/g)].map((m) => [m[1]!.trim(), Number(m[2])])));
    });
  });
}

interface Load {
  label: string;
  base: number;
  illustrated: number;
  image: number;
  variant: string;
}

/** Runs the benchmark and writes bench-reports/images.md. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { photo: { type: 'string' } } });
  await rm(workDir, { recursive: true, force: true });
  const contentDir = join(workDir, 'content');
  await cp(resolve(repoRoot, 'content'), contentDir, { recursive: true });
  const picture = values.photo ? await readFile(values.photo) : await makeDetailedPicture(2400, 1600);
  const original = await sharp(picture).metadata();

  // The same fiche twice: as it is, and with a table and an image after its first paragraph.
  const base = await readFile(join(contentDir, `${BASE}.mdx`), 'utf8');
  const addition = [
    '<Tableau titre="Matériel pour dix bacs" entetes="colonne">',
    '',
    '| Matériel      | Quantité |  Coût |',
    '| :------------ | -------: | ----: |',
    '| Bacs en bois  |       10 | 800 € |',
    '| Terreau       |     2 m³ | 120 € |',
    '| Outils        |   un lot | 150 € |',
    '',
    '</Tableau>',
    '',
    `![Des bacs de légumes devant la mairie](${IMAGE})`,
    '',
  ].join('\n');
  const illustrated = base.replace(/^titre: .*$/m, 'titre: "Créer un jardin partagé (illustré)"').replace(/\n\n(## )/, `\n\n${addition}\n$1`);
  await writeFile(join(contentDir, `${ILLUSTRATED}.mdx`), illustrated);
  await mkdir(join(contentDir, 'medias', ILLUSTRATED), { recursive: true });
  await writeFile(join(contentDir, IMAGE), picture);
  await writeFile(join(contentDir, IMAGE.replace(/\.jpg$/, '.yaml')), 'auteur: "Mesure"\nlicence: CC0-1.0\n');
  execFileSync('git', ['init', '--quiet'], { cwd: contentDir });

  const loadBefore = loadavg()[0]!.toFixed(1);
  const outDir = join(workDir, 'site');
  const cacheDir = join(workDir, 'cache', 'astro');
  console.log('construction (cache des variantes vide)…');
  const cold = await build(contentDir, outDir, cacheDir);
  console.log('construction (cache des variantes plein)…');
  const warm = await build(contentDir, outDir, cacheDir);

  const { serveSite } = await import('./lib/site-server.ts');
  const { launchChromium } = await import('./lib/chromium.ts');
  const server = await serveSite(outDir);
  const browser = await launchChromium();
  const loads: Load[] = [];
  try {
    for (const [label, width, height, scale] of [
      ['360 px, densité 1', 360, 740, 1],
      ['360 px, densité 2', 360, 740, 2],
      ['360 px, densité 3', 360, 740, 3],
      ['1280 px, densité 1', 1280, 900, 1],
    ] as const) {
      // A fresh context for each page: nothing of the other page (CSS) comes from the cache.
      const weigh = async (path: string) => {
        server.bytesSent.clear();
        const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: scale });
        const page = await context.newPage();
        await page.goto(`${server.url}/${path}/`);
        let image = 0;
        let variant = '';
        const figure = page.locator('figure.media img').first();
        if (await figure.count()) {
          await figure.scrollIntoViewIfNeeded();
          await page.waitForFunction(() => {
            const img = document.querySelector<HTMLImageElement>('figure.media img');
            return !!img && img.complete && img.naturalWidth > 0;
          });
          await page.waitForTimeout(200);
          variant = new URL(await figure.evaluate((img) => (img as HTMLImageElement).currentSrc)).pathname;
          image = server.bytesSent.get(variant) ?? 0;
        }
        const page0 = [...server.bytesSent].filter(([p]) => p === `/${path}/` || p.endsWith('.css')).reduce((sum, [, bytes]) => sum + bytes, 0);
        await context.close();
        return { page: page0, image, variant };
      };
      const withBase = await weigh(BASE);
      const withImage = await weigh(ILLUSTRATED);
      loads.push({ label, base: withBase.page, illustrated: withImage.page, image: withImage.image, variant: withImage.variant.split('/').at(-1)! });
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} Ko`;
  const lines = loads.map(
    (l) =>
      `| ${l.label} | ${kb(l.base)} | ${kb(l.illustrated)} (× ${(l.illustrated / l.base).toFixed(2)}) | ${l.variant} : ${kb(l.image)} (${((l.image / picture.length) * 100).toFixed(1)} % de l’original) | ${l.illustrated <= 50 * 1024 && (!l.label.startsWith('360') || l.image <= 100 * 1024) ? 'oui' : '**non**'} |`,
  );
  for (const line of lines) console.log(line);
  const report = `# Images et tableaux : poids d’une fiche

\`npm run bench -- images${values.photo ? ' --photo <photo>' : ''}\` — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cœurs, charge ${loadBefore} au départ.

Image : ${values.photo ? 'une photo fournie' : 'une image détaillée faite par le banc (bruit à trois échelles, qui se compresse à peu près comme une photo chargée)'}, ${original.width} × ${original.height} px, ${kb(picture.length)} en ${original.format?.toUpperCase()}.
Variantes WebP : 360, 720, 1 080 et 1 440 px (jamais agrandies), qualité 70 jusqu’à 720 px, 55 au-delà.

Même fiche, sans puis avec un tableau et une image, chargée dans Chromium depuis le serveur statique de production.
Budgets : HTML + CSS ≤ 50 Ko ; première image à 360 px ≤ 100 Ko.

| écran | HTML + CSS sans | HTML + CSS avec (rapport) | première image | dans le budget |
| --- | --- | --- | --- | --- |
${lines.join('\n')}

Construction du site de départ (${cpus().length} cœurs partagés) : étape « images » ${cold.images?.toFixed(1)} s avec le cache des variantes vide, ${warm.images?.toFixed(1)} s avec le cache plein (astro ${cold.astro?.toFixed(1)} s puis ${warm.astro?.toFixed(1)} s).

À 360 px, le navigateur prend la variante de 360, 720 ou 1 080 px selon la densité de l’écran ; à 1 280 px, celle de 720 px (la colonne du texte fait 736 px).
`;
  await mkdir(resolve(repoRoot, 'bench-reports'), { recursive: true });
  await writeFile(resolve(repoRoot, 'bench-reports/images.md'), report);
  console.log('rapport : bench-reports/images.md');
  await rm(workDir, { recursive: true, force: true });
}
