/** A structure: an organisation that facilitates, funds or resources transition démarches. */
import { z } from 'zod';
import { departementCode, entryBase, httpUrl } from './common.ts';

/** Kinds of organisation. */
export const structureTypes = {
  association: 'Association',
  reseau: 'Réseau',
  cooperative: 'Coopérative',
  collectivite: 'Collectivité',
  etat: 'Service ou agence de l’État',
  fondation: 'Fondation',
  entreprise: 'Entreprise',
} as const;

/** Roles an organisation can play for a territory. */
export const structureRoles = {
  accompagner: 'Accompagne des territoires',
  former: 'Forme des élus, agents ou habitants',
  financer: 'Finance des démarches',
  outiller: 'Produit des outils et des ressources',
  'mettre-en-reseau': 'Met en réseau des acteurs',
} as const;

export const structureSchema = entryBase.extend({
  /** Kind of organisation. */
  type: z.enum(Object.keys(structureTypes) as [keyof typeof structureTypes, ...(keyof typeof structureTypes)[]], {
    error: (issue) => `type de structure ${JSON.stringify(issue.input)} inconnu ; valeurs admises : ${Object.keys(structureTypes).join(', ')}`,
  }),
  /** What it does for territories. */
  roles: z
    .array(
      z.enum(Object.keys(structureRoles) as [keyof typeof structureRoles, ...(keyof typeof structureRoles)[]], {
        error: (issue) => `rôle ${JSON.stringify(issue.input)} inconnu ; valeurs admises : ${Object.keys(structureRoles).join(', ')}`,
      }),
    )
    .min(1, 'indiquez au moins un rôle'),
  /** Where it works. */
  zone_intervention: z.strictObject({
    /** Works anywhere in France. */
    nationale: z.boolean().default(false),
    /** Départements where it works (codes). */
    departements: z.array(departementCode).default([]),
    /** Free description of the zone (a region, a massif). */
    description: z.string().optional(),
  }),
  /** Where it is based: the département code of its seat. */
  siege: departementCode.optional(),
  /** Its website. */
  site_web: httpUrl.optional(),
});

export type StructureInput = z.input<typeof structureSchema>;
export type Structure = z.output<typeof structureSchema>;
