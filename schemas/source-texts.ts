/**
 * The texts Terreau was designed from, by stable identifier: an entry's `sources` names them by
 * that identifier instead of repeating their title and address. Plain data with no dependency, so
 * the site and browser scripts can import it without zod.
 */

/** One source text: what it is, who wrote it, when, and where the public can read it. */
export interface SourceText {
  /** Title, as the text gives it. */
  titre: string;
  /** Who wrote or published it. */
  auteur: string;
  /** Year it was written or last updated, when known. */
  annee?: number;
  /** Public page it comes from, when known. */
  url?: string;
  /** What the text is, in one sentence (French). */
  description: string;
}

export const sourceTexts = {
  'experimentons-les-transitions': {
    titre: 'Expérimentons les transitions : pour une transformation de nos territoires résiliente, écologiste et humaniste',
    auteur: 'Colibris, Démocratie Ouverte et Collectif pour une transition citoyenne',
    annee: 2020,
    description:
      'Document de présentation de l’initiative « Territoires d’expérimentations des transitions » : identifier, amplifier, accompagner et documenter des territoires en transition.',
  },
  'colibris-experimentons-2020': {
    titre: 'Expérimentons la transition sur nos territoires !',
    auteur: 'Colibris, réseau des groupes locaux',
    annee: 2020,
    url: 'https://colibris.cc/groupeslocaux/?ExperimenterTransition',
    description:
      'Actualité du projet publiée le 17 juillet 2020 et mise à jour le 21 octobre 2020 : intentions, thèmes de travail, partenaires sollicités et calendrier.',
  },
  'impulser-dynamiques-collectives': {
    titre: 'Impulser des dynamiques collectives vers la résilience locale : méthodes et outils',
    auteur: 'La Traverse, Solucracy, Les Localos, Resiliere et REACT',
    annee: 2021,
    url: 'https://wiki.resilience-territoire.ademe.fr/wiki/Impulser_des_dynamiques_collectives_vers_la_r%C3%A9silience_locale:_m%C3%A9thodes_et_outils',
    description:
      'Fiche du projet de commun présentée à l’appel à communs « Sobriété et résilience des territoires » de l’ADEME : structures, méthodes, outils, territoires accompagnés, budget et calendrier.',
  },
  'fabrique-des-transitions-presentation': {
    titre: 'La Fabrique des transitions : présentation et bilan 2023',
    auteur: 'La Fabrique des transitions',
    description:
      'Présentation de l’association et de son alliance : charte, conduite du changement, « 4 Fantastiques », 4 fondamentaux, 5 dimensions de la mise en récit, dispositifs et chiffres du bilan 2023.',
  },
} as const satisfies Record<string, SourceText>;

export type SourceTextId = keyof typeof sourceTexts;
