/** A guide: a granular method or tool of animation (enquête, exposition, diagnostic…). */
import { z } from 'zod';
import { bibliographyItem, entryBase, slug, toolFacets } from './common.ts';

/** Kinds of guide, each a family of methods. */
export const guideTypes = {
  enquete: 'Enquête collective',
  questionnaire: 'Questionnaire',
  exposition: 'Exposition',
  diagnostic: 'Diagnostic',
  atelier: 'Atelier',
  residence: 'Résidence',
  instance: 'Instance participative',
  formation: 'Formation',
  recit: 'Mise en récit',
  methode: 'Méthode de conduite du changement',
  autoevaluation: 'Auto-évaluation',
  repere: 'Repère pour comprendre',
} as const;

const { titre, resume, ...editorial } = entryBase.shape;

// Field order is the order files are written in: what the guide is, then its facets and links.
export const guideSchema = z.strictObject({
  titre,
  resume,
  /** Kind of guide. */
  type: z.enum(Object.keys(guideTypes) as [keyof typeof guideTypes, ...(keyof typeof guideTypes)[]], {
    error: (issue) => `type de guide ${JSON.stringify(issue.input)} inconnu ; valeurs admises : ${Object.keys(guideTypes).join(', ')}`,
  }),
  ...toolFacets.shape,
  /** Fiches-actions (slugs) this guide helps to carry out. */
  fiches: z.array(slug).default([]),
  /** Other guides (slugs) it pairs with, e.g. a guide and its questionnaire. */
  guides_lies: z.array(slug).default([]),
  /** Structures (slugs) that practise the method and can help. */
  acteurs_ressources: z.array(slug).default([]),
  /** Further reading. */
  bibliographie: z.array(bibliographyItem).default([]),
  ...editorial,
});

export type GuideInput = z.input<typeof guideSchema>;
export type Guide = z.output<typeof guideSchema>;
