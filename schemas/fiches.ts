/** A fiche-action: one concrete action, attached to one or more objectifs of the référentiel. */
import { z } from 'zod';
import { bibliographyItem, entryBase, objectifCode, slug, toolFacets } from './common.ts';

export const ficheSchema = entryBase.extend(toolFacets.shape).extend({
  /** Objectif codes of the référentiel this action serves (`ALIM-01-02`). */
  objectifs: z.array(objectifCode).min(1, 'rattachez la fiche à au moins un objectif du référentiel (ex. « ALIM-01-02 »)'),
  /** Retours d'expérience (slugs) that illustrate the action. */
  exemples: z.array(slug).default([]),
  /** Structures (slugs) to call on for this action. */
  acteurs_ressources: z.array(slug).default([]),
  /** Guides (slugs) useful to carry the action out. */
  guides: z.array(slug).default([]),
  /** Further reading. */
  bibliographie: z.array(bibliographyItem).default([]),
});

export type FicheInput = z.input<typeof ficheSchema>;
export type Fiche = z.output<typeof ficheSchema>;
