/** A fiche-action: one concrete action, attached to one or more objectifs of the référentiel. */
import { z } from 'zod';
import { bibliographyItem, entryBase, objectifCode, slug, toolFacets } from './common.ts';

const { titre, resume, ...editorial } = entryBase.shape;

// Field order is the order files are written in: what the fiche is, where it sits, then its facets.
export const ficheSchema = z.strictObject({
  titre,
  resume,
  /** Objectif codes of the référentiel this action serves (`ALIM-01-02`). */
  objectifs: z.array(objectifCode).min(1, 'rattachez la fiche à au moins un objectif du référentiel (ex. « ALIM-01-02 »)'),
  ...toolFacets.shape,
  /** Retours d'expérience (slugs) that illustrate the action. */
  exemples: z.array(slug).default([]),
  /** Structures (slugs) to call on for this action. */
  acteurs_ressources: z.array(slug).default([]),
  /** Guides (slugs) useful to carry the action out. */
  guides: z.array(slug).default([]),
  /** Further reading. */
  bibliographie: z.array(bibliographyItem).default([]),
  ...editorial,
});

export type FicheInput = z.input<typeof ficheSchema>;
export type Fiche = z.output<typeof ficheSchema>;
