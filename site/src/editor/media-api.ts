/** The editor server's image upload (see editor-server/src/http/media-upload.ts). */
import type { LicenceMedia } from '../../../schemas/vocabularies.ts';

/** What the uploader says of an image: who made it, under which licence, where it comes from. */
export interface ImageCredits {
  auteur: string;
  licence: LicenceMedia;
  source?: string;
}

/** Sends an image for the entry `doc`; resolves to its address, or rejects with the server's French reason. */
export async function uploadImage(doc: string, file: Blob, credits: ImageCredits): Promise<{ src: string; width: number; height: number }> {
  const query = new URLSearchParams({ doc, auteur: credits.auteur, licence: credits.licence, ...(credits.source ? { source: credits.source } : {}) });
  let response: Response;
  try {
    response = await fetch(`/api/medias?${query}`, {
      method: 'POST',
      credentials: 'same-origin',
      // The server reads the type from the bytes; this only says they are an image.
      headers: { 'Content-Type': file.type.startsWith('image/') ? file.type : 'application/octet-stream', Accept: 'application/json' },
      body: file,
    });
  } catch {
    throw new Error('le serveur ne répond pas : vérifiez la connexion et réessayez');
  }
  const body = (await response.json().catch(() => ({}))) as { src?: string; width?: number; height?: number; error?: string };
  if (!response.ok || !body.src) throw new Error(body.error ?? `envoi refusé (${response.status})`);
  return { src: body.src, width: body.width ?? 0, height: body.height ?? 0 };
}
