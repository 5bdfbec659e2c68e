/**
 * The self-assessment grid: one data file per axe, with questions whose answers carry points.
 * An axe scores from 0 to 10: the sum of points chosen, divided by the sum of the highest points
 * of its questions, times 10. There is deliberately no overall score.
 */
import { z } from 'zod';
import { sourceItem } from './common.ts';
import { axes } from './vocabularies.ts';
import { vocabularyEnum } from './vocabulary-enum.ts';

/** One possible answer and the points it is worth. */
export const answerSchema = z.strictObject({
  /** What the answer says. */
  libelle: z.string().min(2),
  /** Points, from 0 (nothing yet) to 4 (well established). */
  points: z.number().int().min(0, 'points : de 0 à 4').max(4, 'points : de 0 à 4'),
});

/** One question of the grid. */
export const questionSchema = z
  .object({
    /** Stable identifier of the question within the grid (`alim-1`). */
    id: z.string().regex(/^[a-z]+-\d+$/, 'id invalide : attendu « axe-numéro », par exemple « alim-1 »'),
    /** The question, as asked to the commune. */
    question: z.string().min(10),
    /** Help text: what to look at to answer. */
    aide: z.string().optional(),
    /** Possible answers, from the weakest to the strongest. */
    reponses: z.array(answerSchema).min(2, 'une question compte au moins deux réponses'),
    /** Objectif codes that a weak answer points to. */
    objectifs: z.array(z.string().regex(/^(ALIM|ENER|SOCI|SANT|ECON)-\d{2}-\d{2}$/)).default([]),
  })
  .refine((q) => q.reponses.some((r) => r.points === 0), {
    message: 'une réponse doit valoir 0 point (borne basse explicite)',
    path: ['reponses'],
  });

export const autodiagnosticSchema = z.strictObject({
  /** Axe the questions assess. */
  axe: vocabularyEnum(axes, 'axe'),
  /** Title of the section. */
  titre: z.string().min(3),
  /** How the score of this axe reads: what 0 and 10 mean. */
  bornes: z.strictObject({
    /** What a score of 0 means. */
    zero: z.string().min(5),
    /** What a score of 10 means. */
    dix: z.string().min(5),
  }),
  /** Questions of this axe. */
  questions: z.array(questionSchema).min(4, 'un axe compte au moins quatre questions'),
  /** Where the axe and the grid come from. */
  sources: z.array(sourceItem).default([]),
});

export type AutodiagnosticInput = z.input<typeof autodiagnosticSchema>;
export type Autodiagnostic = z.output<typeof autodiagnosticSchema>;
