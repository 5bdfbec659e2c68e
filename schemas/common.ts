/**
 * Fields and formats shared by several collections: slugs, codes, references, credits, lineage.
 */
import { z } from 'zod';
import './french-messages.ts';
import { phases, difficultes, couts, durees, acteurs, tailles, themes, statuts } from './vocabularies.ts';
import { vocabularyEnum } from './vocabulary-enum.ts';
import { sourceTexts, type SourceTextId } from './source-texts.ts';

/** The collections of the commons, each a folder under `content/`. */
export const collectionNames = [
  'referentiel',
  'fiches',
  'guides',
  'retours',
  'structures',
  'territoires',
  'autodiagnostic',
] as const;
export type CollectionName = (typeof collectionNames)[number];

/** Collections whose entries are MDX files (a frontmatter and a body). */
export const mdxCollections = ['fiches', 'guides', 'retours', 'structures', 'territoires'] as const;
export type MdxCollectionName = (typeof mdxCollections)[number];

/** Collections whose entries are YAML data files. */
export const dataCollections = ['referentiel', 'autodiagnostic'] as const;

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A slug: lowercase letters, digits and single hyphens (it is also the file name). */
export const slug = z
  .string()
  .regex(SLUG_PATTERN, 'slug invalide : minuscules sans accents, chiffres et tirets simples (ex. « jardin-partage »)');

/** A stable code of the référentiel: `ALIM`, `ALIM-02` or `ALIM-02-03`. */
export const referentielCode = z
  .string()
  .regex(/^(ALIM|ENER|SOCI|SANT|ECON)(-\d{2}){0,2}$/, 'code invalide : attendu « AXE », « AXE-01 » ou « AXE-01-02 » (axes ALIM, ENER, SOCI, SANT, ECON)');

/** An objectif code (three levels): `ALIM-02-03`. */
export const objectifCode = z
  .string()
  .regex(/^(ALIM|ENER|SOCI|SANT|ECON)-\d{2}-\d{2}$/, 'code d’objectif invalide : attendu « AXE-01-02 », par exemple « ALIM-01-02 »');

/** An INSEE commune code (five characters; Corsica uses 2A/2B). */
export const inseeCode = z
  .string()
  .regex(/^(\d{5}|2[AB]\d{3})$/, 'code INSEE invalide : cinq caractères, par exemple « 86158 » (2A/2B pour la Corse)');

/** A département code: `01`…`95`, `2A`, `2B`, `971`…`976`. */
export const departementCode = z
  .string()
  .regex(/^(\d{2}|2[AB]|97\d)$/, 'code de département invalide : par exemple « 79 », « 2A » ou « 974 »');

/** An absolute http(s) URL; other schemes are refused. */
export const httpUrl = z
  .url({ protocol: /^https?$/, error: 'URL invalide : une adresse complète commençant par https:// est attendue' });

/** Kinds of territory; a quartier is sized as a quartier, never as its whole commune. */
export const territoryNatures = ['commune', 'groupement', 'quartier', 'intercommunalite', 'bassin-de-vie'] as const;
export type TerritoryNature = (typeof territoryNatures)[number];

/** The kind of a territory, from `territoryNatures`. */
export const territoryNature = z.enum(territoryNatures, {
  error: (issue) => `nature ${JSON.stringify(issue.input)} inconnue ; valeurs admises : ${territoryNatures.join(', ')}`,
});

/** A reference to another entry of the commons: `<collection>/<slug>`. */
export const entryRef = z
  .string()
  .regex(
    /^(fiches|guides|retours|structures|territoires)\/[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'référence invalide : attendu « collection/slug », par exemple « fiches/jardin-partage »',
  );

/** A book, report, website or podcast to read further. */
export const bibliographyItem = z.strictObject({
  /** Title of the work. */
  titre: z.string().min(2),
  /** Author(s) or publishing organisation. */
  auteur: z.string().optional(),
  /** Year of publication. */
  annee: z.number().int().min(1900).max(2100).optional(),
  /** Where to find it. */
  url: httpUrl.optional(),
});

const sourceTextIds = Object.keys(sourceTexts) as [SourceTextId, ...SourceTextId[]];

/**
 * Where facts of an entry come from: either one of the source texts of the commons (`texte`), or
 * a public reference (`titre` and `url`). `atteste` names the structures whose work the source
 * attests, which is what justifies crediting them.
 */
export const sourceItem = z
  .strictObject({
    /** A source text of the commons, by identifier, when the facts come from it. */
    texte: z
      .enum(sourceTextIds, {
        error: (issue) => `texte source ${JSON.stringify(issue.input)} inconnu ; textes connus : ${sourceTextIds.join(', ')} (pour une autre source, donnez « titre » et « url »)`,
      })
      .optional(),
    /** Title of a public reference (page, report, law), when the facts come from elsewhere. */
    titre: z.string().min(2, 'titre trop court').optional(),
    /** Author or publisher of the reference. */
    auteur: z.string().min(2).optional(),
    /** Year the reference was published. */
    annee: z.number().int().min(1900).max(2100).optional(),
    /** Address of the reference (a source text already has its own). */
    url: httpUrl.optional(),
    /** Which facts of the entry the source supports, in a few words. */
    faits: z.string().min(3, 'faits : dites en quelques mots ce que la source appuie'),
    /** Structures (slugs) whose work described by the entry this source attests: it justifies their credit. */
    atteste: z.array(slug).default([]),
  })
  .superRefine((item, ctx) => {
    if (item.texte !== undefined) {
      for (const key of ['titre', 'auteur', 'annee', 'url'] as const) {
        if (item[key] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'inutile avec « texte » : le texte source a déjà son titre, son auteur, son année et son adresse ; retirez ce champ, ou faites-en une référence à part' });
        }
      }
      return;
    }
    if (item.titre === undefined) ctx.addIssue({ code: 'custom', path: ['texte'], message: 'indiquez « texte » (un texte source du commun) ou « titre » et « url » (une référence publique)' });
    else if (item.url === undefined) ctx.addIssue({ code: 'custom', path: ['url'], message: 'une référence publique a besoin de son adresse (https://…) pour que chacun puisse la vérifier' });
  });

/** What an entry adapts, and what was changed (lineage across territories). */
export const derivation = z.strictObject({
  /** The entry (`collection/slug`) or the URL this entry adapts. */
  source: z.union([entryRef, httpUrl], {
    error: 'derive_de.source : attendu « collection/slug » ou une URL https://',
  }),
  /** What was adapted, in one or two sentences. */
  changements: z.string().min(3, 'derive_de.changements : dites en une phrase ce qui a été adapté'),
  /** The territory the adaptation was made for, as people there name it (« Vallée de la Clarée, Hautes-Alpes »). */
  territoire: z.string().trim().min(2, 'derive_de.territoire : nommez le territoire, par exemple « Vallée de la Clarée (Hautes-Alpes) »').max(120).optional(),
});

/** Fields every entry of an MDX collection carries. */
export const entryBase = z.strictObject({
  /** Title, as shown on the page and in search results. */
  titre: z.string().min(3, 'titre trop court (3 caractères au moins)').max(140, 'titre trop long (140 caractères au plus)'),
  /** One- or two-sentence summary, shown in lists and search results. */
  resume: z.string().min(10, 'résumé trop court (10 caractères au moins)').max(400, 'résumé trop long (400 caractères au plus)'),
  /** Organisations (structure slugs) whose method or experience this entry describes, as its sources attest. */
  credits: z.array(slug).default([]),
  /** Where the facts of the entry come from: source texts of the commons or public references. */
  sources: z.array(sourceItem).default([]),
  /** Editorial status. */
  statut: vocabularyEnum(statuts, 'statut').default('brouillon'),
  /** Licence of the entry, as an SPDX identifier. */
  licence: z.string().regex(/^[A-Za-z0-9.+-]+$/, 'licence : un identifiant SPDX est attendu, par exemple « CC-BY-SA-4.0 »').default('CC-BY-SA-4.0'),
  /** The entry or URL this one adapts, if any. */
  derive_de: derivation.optional(),
});

/** Facets shared by fiches and guides, used by search filters and the guided path. */
export const toolFacets = z.strictObject({
  /** Phases of the démarche this tool serves. */
  phases: z.array(vocabularyEnum(phases, 'phases')).min(1, 'indiquez au moins une phase'),
  /** Difficulty for a commune without technical staff (1 to 5). */
  difficulte: vocabularyEnum(difficultes, 'difficulte'),
  /** Cost band. */
  cout: vocabularyEnum(couts, 'cout'),
  /** Duration band. */
  duree: vocabularyEnum(durees, 'duree'),
  /** Actors who take part. */
  acteurs: z.array(vocabularyEnum(acteurs, 'acteurs')).min(1, 'indiquez au moins un type d’acteur'),
  /** Territory sizes the tool suits. */
  tailles: z.array(vocabularyEnum(tailles, 'tailles')).min(1, 'indiquez au moins une taille de territoire'),
  /** Themes. */
  themes: z.array(vocabularyEnum(themes, 'themes')).min(1, 'indiquez au moins un thème'),
});
