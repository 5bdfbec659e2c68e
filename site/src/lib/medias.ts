/**
 * The images of the commons as pages show them: size (read from the file's header), the WebP
 * variants the build writes beside it (scripts/lib/publish-medias.ts, same widths from
 * core/medias.ts), and the credits of its YAML file. Read once per build, shared by every page.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import sharp from 'sharp';
import { parse as parseYaml } from 'yaml';
import type { PlacedMedia } from '../../../core/body-html.ts';
import { MEDIA_FOLDER, parseMediaFile, variantSrc, variantWidths } from '../../../core/medias.ts';
import { mediaCredits, type MediaCredits } from '../../../schemas/medias.ts';
import { licencesMedias } from '../../../schemas/vocabularies.ts';
import { licenceOf } from './attribution.ts';
import { contentDir } from './paths.ts';

/** An image of the commons, ready to be placed in a page and credited. */
export interface MediaInfo extends PlacedMedia {
  src: string;
  credits: MediaCredits;
}

let medias: Promise<Map<string, MediaInfo>> | undefined;

/** Every image of the commons that has valid credits, by site address (`/medias/…`). */
export function getMedias(): Promise<Map<string, MediaInfo>> {
  medias ??= readMedias(contentDir);
  return medias;
}

async function readMedias(root: string): Promise<Map<string, MediaInfo>> {
  const found = new Map<string, MediaInfo>();
  const folder = join(root, MEDIA_FOLDER);
  const files = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const file of files) {
    if (!file.isFile()) continue;
    const media = parseMediaFile(relative(root, join(file.parentPath, file.name)).split(sep).join('/'));
    if (!media) continue;
    const credits = mediaCredits.safeParse(parseYaml(await readFile(join(root, media.creditsFile), 'utf8').catch(() => '')) ?? {});
    // The validator refuses an image without valid credits; a page never shows one uncredited.
    if (!credits.success) continue;
    const { width, height } = await uprightSize(join(root, media.file));
    const licence = licenceOf(credits.data.licence);
    found.set(media.src, {
      src: media.src,
      width,
      height,
      variants: variantWidths(width).map((w) => ({ src: variantSrc(media, w), width: w })),
      credits: credits.data,
      credit: {
        author: credits.data.auteur,
        licence: { name: licencesMedias[credits.data.licence].label, url: licence.deedUrl },
        ...(credits.data.source ? { source: credits.data.source } : {}),
      },
    });
  }
  return found;
}

/** Width and height as the image is shown: a photo turned by its EXIF orientation swaps them. */
async function uprightSize(path: string): Promise<{ width: number; height: number }> {
  const { width = 0, height = 0, orientation = 1 } = await sharp(path).metadata();
  return orientation >= 5 ? { width: height, height: width } : { width, height };
}
