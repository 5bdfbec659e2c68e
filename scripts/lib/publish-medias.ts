/**
 * Puts the images of the commons into a built site: each original at its address (`/medias/…`),
 * and beside it the WebP variants pages offer in `srcset` (widths from core/medias.ts). A variant
 * is made once per image content and kept in a cache, so a rebuild after a commit makes only
 * those of new images; the site then gets hard links (or copies) of them.
 */
import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { MEDIA_FOLDER, parseMediaFile, variantSrc, variantWidths } from '../../core/medias.ts';

/**
 * Where image variants are kept between builds: beside Astro's cache when one is given (the
 * editor server keeps both under DATA_DIR/cache). Variants are named by the content of their
 * image, so builds of different trees may share them.
 */
export function mediaCacheDir(): string {
  const astroCache = process.env.ASTRO_CACHE_DIR;
  return astroCache ? resolve(dirname(astroCache), 'medias') : fileURLToPath(new URL('../../site/.astro/medias', import.meta.url));
}

/**
 * WebP quality of a variant: 70 up to 720 px (a detailed photo stays near 60 KB); less for the
 * wider ones, which are shown on screens of two or three pixels per point, where the finer
 * grain hides the coarser compression (so a phone of density 3 still gets about 100 KB at most).
 */
export function variantQuality(width: number): number {
  return width <= 720 ? 70 : 55;
}

/** How many images are resized at once (sharp also uses several threads for each). */
const CONCURRENCY = 2;

/** Copies the images of `contentDir` and their variants into `outDir`; resolves with counts. */
export async function publishMedias(contentDir: string, outDir: string, cacheDir: string): Promise<{ images: number; variantsMade: number }> {
  const folder = join(contentDir, MEDIA_FOLDER);
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  const medias = entries.flatMap((entry) => {
    if (!entry.isFile()) return [];
    const media = parseMediaFile(relative(contentDir, join(entry.parentPath, entry.name)).split(sep).join('/'));
    return media ? [media] : [];
  });
  await mkdir(cacheDir, { recursive: true });
  let variantsMade = 0;
  let next = 0;
  const worker = async () => {
    while (next < medias.length) {
      const media = medias[next++]!;
      const source = join(contentDir, media.file);
      const bytes = await readFile(source);
      const digest = createHash('sha256').update(bytes).digest('hex');
      const { width = 0, height = 0, orientation = 1 } = await sharp(bytes).metadata();
      const upright = orientation >= 5 ? height : width;
      await placeFile(source, join(outDir, media.file));
      for (const variantWidth of variantWidths(upright)) {
        const quality = variantQuality(variantWidth);
        const cached = join(cacheDir, `${digest}.${variantWidth}.${quality}.webp`);
        if (!(await stat(cached).catch(() => undefined))) {
          const temporary = `${cached}.${process.pid}.tmp`;
          await sharp(bytes).rotate().resize({ width: variantWidth }).webp({ quality }).toFile(temporary);
          await rename(temporary, cached);
          variantsMade++;
        }
        await placeFile(cached, join(outDir, ...variantSrc(media, variantWidth).slice(1).split('/')));
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { images: medias.length, variantsMade };
}

/** A hard link when both are on one file system (no copy, no space), a copy otherwise. */
async function placeFile(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await rm(to, { force: true });
  await link(from, to).catch(() => copyFile(from, to));
}
