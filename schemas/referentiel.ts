/**
 * The référentiel of local resilience: one data file per axe, each with its orientations and
 * their objectifs, every node with a stable code (`ALIM`, `ALIM-02`, `ALIM-02-03`).
 */
import { z } from 'zod';
import { sourceItem } from './common.ts';
import { axes } from './vocabularies.ts';
import { vocabularyEnum } from './vocabulary-enum.ts';

/** An objectif: the finest level, to which fiches are attached. */
export const objectifSchema = z.strictObject({
  /** Stable code, `AXE-NN-NN`, never reused once published. */
  code: z.string().regex(/^(ALIM|ENER|SOCI|SANT|ECON)-\d{2}-\d{2}$/, 'code d’objectif invalide : attendu « AXE-01-02 »'),
  /** Title of the objectif. */
  titre: z.string().min(3),
});

/** An orientation: a direction within an axe. */
export const orientationSchema = z.strictObject({
  /** Stable code, `AXE-NN`. */
  code: z.string().regex(/^(ALIM|ENER|SOCI|SANT|ECON)-\d{2}$/, 'code d’orientation invalide : attendu « AXE-01 »'),
  /** Title of the orientation. */
  titre: z.string().min(3),
  /** Objectifs of this orientation. */
  objectifs: z.array(objectifSchema).min(1, 'une orientation compte au moins un objectif'),
});

export const referentielSchema = z
  .object({
    /** Code of the axe. */
    code: vocabularyEnum(axes, 'code'),
    /** Title of the axe. */
    titre: z.string().min(3),
    /** What the axe is about, in a few sentences. */
    description: z.string().min(10),
    /** Rank of the axe in the référentiel (1 to 5). */
    ordre: z.number().int().min(1).max(5),
    /** Orientations of this axe. */
    orientations: z.array(orientationSchema).min(1, 'un axe compte au moins une orientation'),
    /** Where the axe and its wording come from. */
    sources: z.array(sourceItem).default([]),
  })
  .superRefine((axe, ctx) => {
    // Codes nest: ALIM-02-03 must sit under ALIM-02, which must sit under ALIM.
    axe.orientations.forEach((orientation, i) => {
      if (!orientation.code.startsWith(`${axe.code}-`)) {
        ctx.addIssue({ code: 'custom', path: ['orientations', i, 'code'], message: `le code doit commencer par « ${axe.code}- »` });
      }
      orientation.objectifs.forEach((objectif, j) => {
        if (!objectif.code.startsWith(`${orientation.code}-`)) {
          ctx.addIssue({
            code: 'custom',
            path: ['orientations', i, 'objectifs', j, 'code'],
            message: `le code doit commencer par « ${orientation.code}- »`,
          });
        }
      });
    });
  });

export type ReferentielInput = z.input<typeof referentielSchema>;
export type Referentiel = z.output<typeof referentielSchema>;
