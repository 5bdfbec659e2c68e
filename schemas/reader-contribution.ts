/**
 * What a reader without an account sends through the forms of the site (report an error, propose
 * an improvement, tell their experience), as the form posts it (application/x-www-form-urlencoded,
 * French field names), and the French label of each field for the answer pages.
 */
import { z } from 'zod';
import { entryRef } from './common.ts';

/** Longest text a reader may send, in characters (a page or two). */
export const READER_TEXT_MAX = 5000;

/** Fields as people read them on the answer pages. */
export const readerFieldLabels: Record<string, string> = {
  type: 'Type d’envoi',
  entree: 'Entrée concernée',
  texte: 'Votre texte',
  nom: 'Nom à citer',
  email: 'Adresse e-mail',
  titre: 'Titre',
  commune: 'Commune ou territoire',
  consentement: 'Accord de publication',
  retour: 'Page d’origine',
};

/** Turns an empty form field into an absent one (a browser sends every field, empty or not). */
const optionalText = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

export const readerContributionSchema = z.object({
  /** What the reader sends: an error to report, an improvement to propose, their own experience. */
  type: z.enum(['erreur', 'amelioration', 'experience'], { error: 'choisissez « signaler une erreur », « proposer une amélioration » ou « raconter une expérience »' }),
  /** The entry the contribution is about (`fiches/jardin-partage`); required for errors and improvements. */
  entree: optionalText(entryRef),
  /** The reader's text, kept exactly as typed: never read as HTML or MDX. */
  texte: z
    .string({ error: 'écrivez votre texte' })
    .trim()
    .min(20, 'texte trop court : 20 caractères au moins, pour que l’équipe comprenne de quoi il s’agit')
    .max(READER_TEXT_MAX, `texte trop long : ${READER_TEXT_MAX} caractères au plus ; raccourcissez-le ou envoyez-le en deux fois`),
  /** Name (or pseudonym) the reader wants to be credited under, as published. */
  nom: z.string({ error: 'indiquez le nom sous lequel vous serez cité·e' }).trim().min(2, 'nom trop court : 2 caractères au moins').max(80, 'nom trop long : 80 caractères au plus'),
  /** Where to answer the reader; never published, erased once the contribution is handled. */
  email: optionalText(z.email('adresse e-mail invalide : par exemple prenom@exemple.fr ; ou laissez le champ vide').max(254)),
  /** Title the reader proposes for their experience. */
  titre: optionalText(z.string().trim().min(3, 'titre trop court : 3 caractères au moins').max(140, 'titre trop long : 140 caractères au plus')),
  /** The commune or territory of the experience, by name or INSEE code. */
  commune: optionalText(z.string().trim().max(100, '100 caractères au plus')),
  /** Explicit consent to publish under CC BY-SA 4.0 with the given name. */
  consentement: z.literal('oui', { error: 'cochez la case pour accepter la publication sous licence CC BY-SA 4.0 ; sans cet accord, nous ne pouvons pas publier votre texte' }),
  /** Path of the page the form was sent from, to lead the reader back to it. */
  retour: optionalText(z.string().max(300).regex(/^\/(?!\/)[^\s\\]*$/, 'page d’origine invalide')),
}).refine((value) => value.type === 'experience' || value.entree !== undefined, {
  message: 'un signalement ou une proposition porte sur une entrée : envoyez-le depuis la page de cette entrée',
  path: ['entree'],
});

export type ReaderContributionInput = z.input<typeof readerContributionSchema>;
export type ReaderContribution = z.output<typeof readerContributionSchema>;
