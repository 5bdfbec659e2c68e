/** Every collection of the commons with its schema and its file format. */
import type { z } from 'zod';
import type { CollectionName } from './common.ts';
import { autodiagnosticSchema } from './autodiagnostic.ts';
import { ficheSchema } from './fiches.ts';
import { guideSchema } from './guides.ts';
import { referentielSchema } from './referentiel.ts';
import { retourSchema } from './retours.ts';
import { structureSchema } from './structures.ts';
import { territoireSchema } from './territoires.ts';

/** How a collection is stored and validated. */
export interface CollectionDefinition {
  /** Zod schema of an entry's data (the frontmatter for MDX collections). */
  schema: z.ZodType;
  /** File format of an entry. */
  format: 'mdx' | 'yaml';
  /** French label of the collection, plural. */
  label: string;
  /** French label of one entry. */
  singular: string;
}

export const collections: Record<CollectionName, CollectionDefinition> = {
  referentiel: { schema: referentielSchema, format: 'yaml', label: 'Référentiel', singular: 'axe du référentiel' },
  fiches: { schema: ficheSchema, format: 'mdx', label: 'Fiches-actions', singular: 'fiche-action' },
  guides: { schema: guideSchema, format: 'mdx', label: 'Guides et outils', singular: 'guide' },
  retours: { schema: retourSchema, format: 'mdx', label: 'Retours d’expérience', singular: 'retour d’expérience' },
  structures: { schema: structureSchema, format: 'mdx', label: 'Structures', singular: 'structure' },
  territoires: { schema: territoireSchema, format: 'mdx', label: 'Territoires', singular: 'territoire' },
  autodiagnostic: { schema: autodiagnosticSchema, format: 'yaml', label: 'Auto-diagnostic', singular: 'grille d’auto-diagnostic' },
};
