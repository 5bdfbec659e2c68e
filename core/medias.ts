/**
 * Images of the commons: where they live (`medias/<collection>/<slug>/<name>.<ext>`, with their
 * credits in `<name>.yaml` beside them), how a body's `![alt](/medias/…)` maps to a file, what a
 * file really is (by its first bytes, never by its name), and the widths a page offers it at.
 * No Node API: the validator, the editor server, the site build and the editor page share it.
 */
import { mdxCollections, type MdxCollectionName } from '../schemas/common.ts';

/** Folder of the commons, beside the collections, that holds the images. */
export const MEDIA_FOLDER = 'medias';

/** The image formats the commons accepts, by the name `sniffFileType` gives them. */
export const imageFormats = {
  jpeg: { extension: 'jpg', contentType: 'image/jpeg', label: 'JPEG' },
  png: { extension: 'png', contentType: 'image/png', label: 'PNG' },
  webp: { extension: 'webp', contentType: 'image/webp', label: 'WebP' },
} as const;

/** An accepted image format. */
export type ImageFormat = keyof typeof imageFormats;

const NAME = '[a-z0-9]+(?:-[a-z0-9]+)*';
const MEDIA_FILE = new RegExp(`^${MEDIA_FOLDER}/(${mdxCollections.join('|')})/(${NAME})/(${NAME})\\.(jpg|png|webp)$`);

/** An image of the commons, under every name it goes by. */
export interface MediaAddress {
  collection: MdxCollectionName;
  slug: string;
  /** File name without extension. */
  name: string;
  format: ImageFormat;
  /** Path in the commons: `medias/fiches/jardin-partage/3f2a9c1e.webp`. */
  file: string;
  /** Address on the site, as written in a body: `/medias/fiches/jardin-partage/3f2a9c1e.webp`. */
  src: string;
  /** Path of its credits in the commons: `medias/fiches/jardin-partage/3f2a9c1e.yaml`. */
  creditsFile: string;
}

/** The image at a path of the commons, or undefined when the path is not one an image may have. */
export function parseMediaFile(file: string): MediaAddress | undefined {
  const match = MEDIA_FILE.exec(file);
  if (!match) return undefined;
  const [, collection, slug, name, extension] = match as unknown as [string, MdxCollectionName, string, string, string];
  const format = (Object.keys(imageFormats) as ImageFormat[]).find((key) => imageFormats[key].extension === extension)!;
  return mediaAddress(collection, slug, name, format);
}

/** The image a body's `src` names (`/medias/…`), or undefined when it names none. */
export function parseMediaSrc(src: string): MediaAddress | undefined {
  return src.startsWith('/') ? parseMediaFile(src.slice(1)) : undefined;
}

/** The addresses of the image `name` of an entry. */
export function mediaAddress(collection: MdxCollectionName, slug: string, name: string, format: ImageFormat): MediaAddress {
  const base = `${MEDIA_FOLDER}/${collection}/${slug}/${name}`;
  const file = `${base}.${imageFormats[format].extension}`;
  return { collection, slug, name, format, file, src: `/${file}`, creditsFile: `${base}.yaml` };
}

/** What a file is, from its first bytes: an accepted image format, or what else it looks like. */
export function sniffFileType(bytes: Uint8Array): { format: ImageFormat; what: string } | { format?: undefined; what: string } {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  const startsWith = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (startsWith(0xff, 0xd8, 0xff)) return { format: 'jpeg', what: 'JPEG' };
  if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { format: 'png', what: 'PNG' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { format: 'webp', what: 'WebP' };
  if (ascii(0, 4) === 'GIF8') return { what: 'GIF' };
  if (ascii(0, 5) === '%PDF-') return { what: 'PDF' };
  if (ascii(4, 8) === 'ftyp') return { what: /^(heic|heix|mif1|msf1)/.test(ascii(8, 12)) ? 'HEIC' : ascii(8, 12).startsWith('avi') ? 'AVIF' : 'vidéo ou HEIF' };
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) return { what: 'archive ZIP ou document bureautique' };
  // Text formats may start with a byte-order mark, spaces, an XML declaration or comments.
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 1024)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg[\s>]/.test(head)) return { what: 'SVG' };
  if (/^(<!doctype html|<html|<head|<body|<script)/.test(head)) return { what: 'HTML' };
  if (bytes.length > 0 && !head.includes('\uFFFD') && !/[\x00-\x08\x0e-\x1f]/.test(head)) return { what: 'texte' };
  return { what: 'format inconnu' };
}

/** Widths, in pixels, at which pages offer images: phones, then tablets and wide screens. */
export const VARIANT_WIDTHS = [360, 720, 1080, 1440] as const;

/** The widths an image `width` pixels wide is published at, smallest first (never enlarged). */
export function variantWidths(width: number): number[] {
  const widths: number[] = VARIANT_WIDTHS.filter((w) => w < width);
  if (width <= VARIANT_WIDTHS.at(-1)!) widths.push(width);
  return widths;
}

/** Site address of the WebP variant of an image at one width: `/medias/…/<name>.<width>.webp`. */
export function variantSrc(media: MediaAddress, width: number): string {
  return `/${MEDIA_FOLDER}/${media.collection}/${media.slug}/${media.name}.${width}.webp`;
}
