/**
 * The credits of an image of the commons: a YAML file beside the image, with the same name
 * (`medias/fiches/jardin-partage/3f2a9c1e.webp` → `…/3f2a9c1e.yaml`). Written by the editor
 * server when the image is uploaded, from what the uploader says; a licensee adding an image by
 * hand writes it too. The page shows it under the image and in its attribution.
 */
import { z } from 'zod';
import { httpUrl } from './common.ts';
import { licencesMedias } from './vocabularies.ts';
import { vocabularyEnum } from './vocabulary-enum.ts';

export const mediaCredits = z.strictObject({
  /** Who made the image (a person or an organisation), as it must be credited. */
  auteur: z.string().trim().min(2, 'auteur : indiquez qui a fait l’image (2 caractères au moins)').max(160, 'auteur : 160 caractères au plus'),
  /** Licence of the image, one that fits inside a CC BY-SA page. */
  licence: vocabularyEnum(licencesMedias, 'licence'),
  /** Where the image was first published, when it comes from elsewhere. */
  source: httpUrl.optional(),
});

export type MediaCreditsInput = z.input<typeof mediaCredits>;
export type MediaCredits = z.output<typeof mediaCredits>;
