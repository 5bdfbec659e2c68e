/**
 * The allow-list of components a contributed MDX body may use, with the attributes each accepts.
 * Attributes are literal strings only. The validator, the site and the editor all read this list,
 * so a component exists everywhere or nowhere.
 */
import { z } from 'zod';
import { entryRef, httpUrl } from './common.ts';

/** A component of the safe subset. */
export interface ComponentDefinition {
  /**
   * `block` components wrap Markdown children; `atom` components have none; a `table` component
   * wraps exactly one Markdown table and says what Markdown cannot (its caption, row headers).
   */
  kind: 'block' | 'atom' | 'table';
  /** What the component is for, in French (shown in the editor). */
  description: string;
  /** Accepted attributes, each a schema on a literal string. */
  attributes: Record<string, z.ZodType<string>>;
  /** Attributes that must be present. */
  required: string[];
}

/** A path on this site: exactly one leading `/` (browsers read `//host/x` as another host). */
const sitePath = /^\/(?!\/)[a-z0-9/_.-]+$/;

export const mdxComponents: Record<string, ComponentDefinition> = {
  Encadre: {
    kind: 'block',
    description: 'Un encadré : une astuce, une mise en garde, un exemple ou une information.',
    attributes: {
      type: z.enum(['info', 'astuce', 'attention', 'exemple'], {
        error: 'type : valeurs admises info, astuce, attention, exemple',
      }),
      titre: z.string().max(120, 'titre : 120 caractères au plus'),
    },
    required: ['type'],
  },
  Etape: {
    kind: 'block',
    description: 'Une étape numérotée d’une méthode, avec sa durée indicative.',
    attributes: {
      titre: z.string().min(2).max(120, 'titre : 120 caractères au plus'),
      duree: z.string().max(40, 'duree : 40 caractères au plus'),
    },
    required: ['titre'],
  },
  Ressource: {
    kind: 'atom',
    description: 'Un document à télécharger ou à consulter (questionnaire, affiche, modèle).',
    attributes: {
      href: z.union([httpUrl, z.string().regex(sitePath, 'href : chemin absolu du site, commençant par un seul /, par exemple /fichiers/questionnaire.pdf')], {
        error: 'href : une URL https:// ou un chemin du site commençant par /',
      }),
      titre: z.string().min(2).max(160),
      format: z.string().regex(/^[A-Za-z0-9]{2,5}$/, 'format : une extension, par exemple PDF ou ODT'),
    },
    required: ['href', 'titre'],
  },
  Tableau: {
    kind: 'table',
    description: 'Un tableau avec une légende, ou dont la première colonne donne le titre de chaque ligne.',
    attributes: {
      titre: z.string().min(2, 'titre : 2 caractères au moins').max(200, 'titre : 200 caractères au plus'),
      entetes: z.enum(['colonne'], { error: 'entetes : seule valeur admise « colonne » (la première colonne donne le titre de chaque ligne)' }),
    },
    required: [],
  },
  VoirAussi: {
    kind: 'atom',
    description: 'Un renvoi vers une autre entrée du commun.',
    attributes: {
      cible: entryRef,
    },
    required: ['cible'],
  },
};

/** HTML elements that never pass, whatever their attributes. */
export const forbiddenElements = ['script', 'style', 'iframe', 'object', 'embed', 'form', 'input', 'link', 'meta', 'base'];
