/**
 * `POST /api/medias?doc=<collection>/<slug>&auteur=…&licence=…[&source=…]`: the body is the bytes
 * of an image. What it is is read from its content (first bytes, then the decoder), never from a
 * name or the declared type: JPEG, PNG and WebP pass, SVG (which can carry scripts) and the rest
 * do not. Sizes are checked before decoding, so a small file that would decode to gigabytes is
 * refused without being decoded. The image is stored re-encoded: turned upright, at most
 * `STORED_MAX_SIDE` pixels wide or high, and without its metadata (a phone's photo says where it
 * was taken). It is committed to the commons with its credits, authored by the uploader, through
 * the single Git writer; the answer is `{ src }` to write as `![alt](src)`.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import sharp, { type Metadata } from 'sharp';
import { z } from 'zod';
import { stringifyEntryYaml } from '../../../core/bridge/entry-yaml.ts';
import { parseDocumentName } from '../../../core/document-name.ts';
import { imageFormats, mediaAddress, sniffFileType, type ImageFormat } from '../../../core/medias.ts';
import { parseWithFriendlyErrors } from '../../../core/parse-input.ts';
import { ProblemError } from '../../../core/problem.ts';
import { mdxCollections, type MdxCollectionName } from '../../../schemas/common.ts';
import { mediaCredits } from '../../../schemas/medias.ts';
import { mayWrite, writeRefusal } from '../../../schemas/roles.ts';
import type { User } from '../accounts/accounts.ts';
import type { LimitsConfig } from '../config.ts';
import type { GitSync } from '../extensions/git-sync.ts';
import { HttpError, sendJson } from './http-utils.ts';

/** Longest side of a stored image: enough for a full-width page on a wide screen, twice over. */
export const STORED_MAX_SIDE = 2560;

/** What an upload needs from the rest of the server. */
export interface MediaUploadDependencies {
  gitSync: GitSync;
  limits: LimitsConfig;
}

const uploadQuery = z.object({
  /** The entry the image is for, `<collection>/<slug>`. */
  doc: z.string().min(1, 'paramètre doc obligatoire : l’entrée de l’image, par exemple fiches/jardin-partage'),
  ...mediaCredits.shape,
});

/** Upload times of each account in the last hour, to limit how many images one may send. */
const recentUploads = new Map<string, number[]>();

/** Handles one upload by `user` (already authenticated); answers 201 `{ src, width, height }`. */
export async function uploadMedia(deps: MediaUploadDependencies, user: User, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const query = readQuery(url);
  const address = parseDocumentName(query.doc);
  if ('refused' in address) throw new HttpError(400, `paramètre doc : ${address.refused}`);
  if (!(mdxCollections as readonly string[]).includes(address.collection)) {
    throw new HttpError(400, `paramètre doc : les entrées de « ${address.collection} » n’ont pas de texte où placer une image`);
  }
  if (!mayWrite(user.role, address.collection)) throw new HttpError(403, writeRefusal(user.role, address.collection));
  takeUploadSlot(user.id, deps.limits.maxMediaUploadsPerHour);
  const type = String(request.headers['content-type'] ?? '');
  // No HTML form can send these types, and a script on another site needs CORS consent to: a
  // session cookie cannot be used to upload from elsewhere.
  if (!/^(image\/|application\/octet-stream)/i.test(type)) {
    throw new HttpError(415, 'corps attendu : les octets d’une image JPEG, PNG ou WebP (Content-Type: image/jpeg, image/png ou image/webp)');
  }
  const bytes = await readBytes(request, deps.limits.maxMediaBytes);
  const image = await prepareImage(bytes, deps.limits.maxMediaPixels);
  const name = createHash('sha256').update(image.bytes).digest('hex').slice(0, 16);
  const media = mediaAddress(address.collection as MdxCollectionName, address.slug, name, image.format);
  const credits = stringifyEntryYaml({ auteur: query.auteur, licence: query.licence, source: query.source }, mediaCredits);
  const { created } = await deps.gitSync.commitFiles(
    [
      { path: media.file, content: image.bytes },
      { path: media.creditsFile, content: credits },
    ],
    `Ajouter une image à ${address.name}\n\nImage : ${query.auteur}, licence ${query.licence}\n`,
    user.id,
  );
  sendJson(response, created ? 201 : 200, { src: media.src, width: image.width, height: image.height });
}

function readQuery(url: URL): z.output<typeof uploadQuery> {
  try {
    return parseWithFriendlyErrors(uploadQuery, Object.fromEntries(url.searchParams), 'paramètres de l’adresse');
  } catch (error) {
    if (error instanceof ProblemError) throw new HttpError(400, error.message);
    throw error;
  }
}

function takeUploadSlot(userId: string, perHour: number): void {
  const now = Date.now();
  const times = (recentUploads.get(userId) ?? []).filter((time) => now - time < 3600_000);
  if (times.length >= perHour) {
    const seconds = Math.ceil((times[0]! + 3600_000 - now) / 1000);
    throw new HttpError(429, `trop d’images envoyées (${perHour} par heure au plus) : réessayez dans ${Math.ceil(seconds / 60)} min`, { 'Retry-After': String(seconds) });
  }
  times.push(now);
  recentUploads.set(userId, times);
}

async function readBytes(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, `image trop lourde : ${formatMegabytes(maxBytes)} au plus ; réduisez-la ou enregistrez-la en JPEG avant de l’envoyer`);
  // Refused before reading when the client says how much it sends.
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      request.destroy();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  if (size === 0) throw new HttpError(400, 'corps vide : envoyez les octets de l’image');
  return Buffer.concat(chunks);
}

/** Checks what an upload is, and re-encodes it as it is kept; throws `HttpError` with the reason. */
export async function prepareImage(bytes: Buffer, maxPixels: number): Promise<{ format: ImageFormat; bytes: Buffer; width: number; height: number }> {
  const sniffed = sniffFileType(bytes);
  if (sniffed.what === 'SVG') {
    throw new HttpError(415, 'image SVG refusée : un SVG peut contenir du code ; exportez-la en PNG (dessin, schéma) ou en JPEG (photo)');
  }
  if (!sniffed.format) {
    throw new HttpError(415, `ce fichier n’est pas une image JPEG, PNG ou WebP (contenu reconnu : ${sniffed.what}), quel que soit son nom ; enregistrez-la dans l’un de ces formats`);
  }
  const format = sniffed.format;
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new HttpError(415, `image ${imageFormats[format].label} illisible (fichier abîmé ou incomplet) : enregistrez-la de nouveau`);
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if (width * height > maxPixels) {
    throw new HttpError(
      413,
      `image trop grande : ${width} × ${height} pixels (${formatMegapixels(width * height)}), ${formatMegapixels(maxPixels)} au plus ; réduisez-la avant de l’envoyer`,
    );
  }
  try {
    const pipeline = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
      .rotate()
      .resize({ width: STORED_MAX_SIDE, height: STORED_MAX_SIDE, fit: 'inside', withoutEnlargement: true });
    const encoded =
      format === 'jpeg' ? pipeline.jpeg({ quality: 90, mozjpeg: true }) : format === 'png' ? pipeline.png() : pipeline.webp({ quality: 90 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { format, bytes: data, width: info.width, height: info.height };
  } catch {
    throw new HttpError(415, `image ${imageFormats[format].label} illisible (fichier abîmé ou incomplet) : enregistrez-la de nouveau`);
  }
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

function formatMegapixels(pixels: number): string {
  return `${(pixels / 1_000_000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} millions de pixels`;
}
