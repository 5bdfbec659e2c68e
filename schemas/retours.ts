/** A retour d'expérience: what a territory did, with whom, and what it taught. */
import { z } from 'zod';
import { departementCode, entryBase, inseeCode, slug, territoryNature } from './common.ts';
import { phases, themes } from './vocabularies.ts';
import { vocabularyEnum } from './vocabulary-enum.ts';

/** A year (`2021`) or a month (`2021-03`). */
const yearOrMonth = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, 'date invalide : attendu « AAAA » ou « AAAA-MM », par exemple « 2021-03 »');

export const retourSchema = entryBase.extend({
  /** The territory: its name as people say it, and the INSEE codes of its communes. */
  territoire: z
    .strictObject({
      /** Name of the territory (a commune, a group of communes, a pays). */
      nom: z.string().min(2),
      /** INSEE codes of the communes concerned; population and département are derived from them. */
      communes: z.array(inseeCode).default([]),
      /** Départements, only when the sources do not name the communes. */
      departements: z.array(departementCode).default([]),
      /** Page of the territory in the `territoires` collection, if any. */
      page: slug.optional(),
      /** Kind of territory when it is not its communes taken whole: `quartier` for a part of the commune given. */
      nature: territoryNature.optional(),
    })
    .refine((t) => t.communes.length > 0 || t.departements.length > 0, {
      message: 'indiquez les codes INSEE des communes (ou, à défaut, le code du département)',
      path: ['communes'],
    }),
  /** When it happened; leave it out rather than guess. */
  periode: z
    .strictObject({
    /** Start (`AAAA` or `AAAA-MM`). */
    debut: yearOrMonth,
    /** End, absent while it goes on. */
    fin: yearOrMonth.optional(),
  })
    .optional(),
  /** Structures (slugs) that accompanied the territory; empty when the territory went alone. */
  structures: z.array(slug).default([]),
  /** Fiches-actions (slugs) that were used. */
  fiches: z.array(slug).default([]),
  /** Guides (slugs) that were used. */
  guides: z.array(slug).default([]),
  /** Phases the experience went through. */
  phases: z.array(vocabularyEnum(phases, 'phases')).default([]),
  /** Themes. */
  themes: z.array(vocabularyEnum(themes, 'themes')).min(1, 'indiquez au moins un thème'),
  /** What held the démarche back. */
  freins: z.array(z.string().min(3)).default([]),
  /** What helped. */
  leviers: z.array(z.string().min(3)).default([]),
  /** Observed results; leave empty rather than guess. */
  resultats: z.array(z.string().min(3)).default([]),
});

export type RetourInput = z.input<typeof retourSchema>;
export type Retour = z.output<typeof retourSchema>;
