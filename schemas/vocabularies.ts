/**
 * Controlled vocabularies of the commons. Every value carries a French label and a one-line
 * definition, so the site, the editor form and the open-data Table Schema all say the same thing.
 * Plain data with no dependency, so browser scripts can import it without shipping zod.
 */
/** One value of a vocabulary, as shown to people. */
export interface VocabularyTerm {
  /** Short French label, as shown on badges and filters. */
  label: string;
  /** One-line French definition, as shown in help texts and exports. */
  definition: string;
}

/** A controlled vocabulary: its keys are the values written in files. */
export type Vocabulary<K extends string> = Readonly<Record<K, VocabularyTerm>>;

/** Phases of a territorial démarche, in the order they usually follow. */
export const phases = {
  sensibiliser: {
    label: 'Sensibiliser',
    definition: 'Faire comprendre les enjeux énergie-climat et la notion de résilience, créer une culture commune.',
  },
  'enqueter-diagnostiquer': {
    label: 'Enquêter, diagnostiquer',
    definition: 'Recueillir la parole des habitants et les données du territoire pour en dresser un état des lieux partagé.',
  },
  'construire-une-vision': {
    label: 'Construire une vision',
    definition: 'Écrire ensemble un horizon désirable et une trajectoire pour le territoire.',
  },
  decider: {
    label: 'Décider',
    definition: 'Arbitrer collectivement entre les options et inscrire les choix dans une feuille de route.',
  },
  agir: {
    label: 'Agir',
    definition: 'Mettre en œuvre des actions concrètes avec les acteurs du territoire.',
  },
  'evaluer-celebrer': {
    label: 'Évaluer, célébrer',
    definition: 'Mesurer la valeur créée sur le temps long, raconter le chemin parcouru et fêter les réussites.',
  },
} as const satisfies Vocabulary<string>;

/** Difficulty, defined for a commune with no technical staff. */
export const difficultes = {
  '1': {
    label: 'Très facile',
    definition: 'Quelques bénévoles ou un élu peuvent s’en charger seuls, sans compétence particulière.',
  },
  '2': {
    label: 'Facile',
    definition: 'Demande un peu d’organisation et quelques demi-journées, sans expertise extérieure.',
  },
  '3': {
    label: 'Intermédiaire',
    definition: 'Demande un pilote identifié, plusieurs partenaires et un suivi sur plusieurs mois.',
  },
  '4': {
    label: 'Exigeant',
    definition: 'Demande des compétences techniques ou juridiques que la commune doit aller chercher (intercommunalité, réseau, prestataire).',
  },
  '5': {
    label: 'Très exigeant',
    definition: 'Projet d’investissement ou de structuration lourde : portage politique fort, ingénierie dédiée, montage financier.',
  },
} as const satisfies Vocabulary<string>;

/** Cost bands, in euros, for the commune or the collective. */
export const couts = {
  '0': { label: '0 €', definition: 'Aucune dépense : du temps et des ressources déjà disponibles suffisent.' },
  'moins-1k': { label: '< 1 k€', definition: 'Moins de 1 000 € : petit matériel, impression, convivialité.' },
  '1k-10k': { label: '1 – 10 k€', definition: 'Entre 1 000 et 10 000 € : prestation courte, équipement modeste.' },
  '10k-100k': { label: '10 – 100 k€', definition: 'Entre 10 000 et 100 000 € : accompagnement long, équipement, petit investissement.' },
  'plus-100k': { label: '> 100 k€', definition: 'Plus de 100 000 € : investissement lourd, souvent cofinancé.' },
} as const satisfies Vocabulary<string>;

/** Duration bands, from the first step to the first visible result. */
export const durees = {
  'moins-1-mois': { label: '< 1 mois', definition: 'Réalisable en quelques semaines.' },
  '1-6-mois': { label: '1 – 6 mois', definition: 'Demande une saison de travail.' },
  '6-18-mois': { label: '6 – 18 mois', definition: 'Demande une à deux années scolaires ou budgétaires.' },
  'plus-18-mois': { label: '> 18 mois', definition: 'S’inscrit dans un mandat ou au-delà.' },
} as const satisfies Vocabulary<string>;

/** Kinds of actors who take part in or carry an action. */
export const acteurs = {
  elus: { label: 'Élus', definition: 'Maire, adjoints, conseillers municipaux ou communautaires.' },
  agents: { label: 'Agents', definition: 'Agents et techniciens des collectivités.' },
  'etat-territorial': { label: 'État territorial', definition: 'Préfecture, sous-préfecture, services déconcentrés et agences de l’État.' },
  'acteurs-socio-economiques': {
    label: 'Acteurs socio-économiques',
    definition: 'Entreprises, artisans, commerçants, structures de l’économie sociale et solidaire.',
  },
  habitants: { label: 'Habitants', definition: 'Habitantes et habitants, collectifs citoyens non constitués.' },
  associations: { label: 'Associations', definition: 'Associations locales et réseaux associatifs.' },
  ecoles: { label: 'Écoles', definition: 'Écoles, collèges, lycées, enseignants, parents d’élèves.' },
  agriculteurs: { label: 'Agriculteurs', definition: 'Agricultrices, agriculteurs et leurs organisations.' },
  intercommunalite: { label: 'Intercommunalité', definition: 'Communauté de communes, d’agglomération, syndicat, pays ou PETR.' },
} as const satisfies Vocabulary<string>;

/** Sizes of territory an action suits; commune bands are derived from the population. */
export const tailles = {
  'moins-1000': { label: 'Moins de 1 000 hab.', definition: 'Commune de moins de 1 000 habitants.' },
  '1000-3500': { label: '1 000 – 3 500 hab.', definition: 'Commune de 1 000 à 3 499 habitants.' },
  '3500-10000': { label: '3 500 – 10 000 hab.', definition: 'Commune de 3 500 à 9 999 habitants.' },
  'plus-10000': { label: 'Plus de 10 000 hab.', definition: 'Commune de 10 000 habitants ou plus.' },
  quartier: { label: 'Quartier', definition: 'Un quartier ou un hameau, à l’intérieur d’une commune.' },
  intercommunalite: { label: 'Intercommunalité', definition: 'Plusieurs communes réunies dans un EPCI ou un groupement.' },
  'bassin-de-vie': { label: 'Bassin de vie', definition: 'Un pays, un PNR ou un bassin de vie qui dépasse les limites administratives.' },
} as const satisfies Vocabulary<string>;

/** Themes, the everyday entry points into the transition. */
export const themes = {
  alimentation: { label: 'Alimentation', definition: 'Production, transformation, distribution et accès à l’alimentation.' },
  energie: { label: 'Énergie', definition: 'Sobriété, efficacité et production locale d’énergie.' },
  mobilite: { label: 'Mobilité', definition: 'Se déplacer autrement et moins dépendre de la voiture individuelle.' },
  habitat: { label: 'Habitat', definition: 'Logement, rénovation, urbanisme et foncier.' },
  education: { label: 'Éducation', definition: 'Écoles, éducation populaire, transmission des savoirs.' },
  'travail-et-revenus': { label: 'Travail et revenus', definition: 'Emploi local, activités économiques, monnaies et coopératives.' },
  sante: { label: 'Santé', definition: 'Santé environnementale, accès aux soins, prévention.' },
  gouvernance: { label: 'Gouvernance', definition: 'Participation citoyenne, démocratie locale, coopération entre acteurs.' },
  dechets: { label: 'Déchets', definition: 'Prévention, réemploi, réparation et gestion des déchets.' },
  eau: { label: 'Eau', definition: 'Ressource en eau, usages, qualité et partage.' },
  'biodiversite-et-patrimoine': {
    label: 'Biodiversité et patrimoine',
    definition: 'Milieux naturels, paysages, patrimoine bâti et culturel.',
  },
} as const satisfies Vocabulary<string>;

/** Editorial status of an entry. */
export const statuts = {
  brouillon: { label: 'Brouillon', definition: 'En cours d’écriture, pas encore relu.' },
  propose: { label: 'Proposé', definition: 'Soumis à la relecture des pairs.' },
  valide: { label: 'Validé', definition: 'Relu et validé par un relecteur ou une relectrice.' },
} as const satisfies Vocabulary<string>;

/**
 * Licences an image of the commons may carry: CC BY-SA 4.0 itself, or one that lets it be shared
 * inside a CC BY-SA page (attribution only, or none). Keys are SPDX identifiers.
 */
export const licencesMedias = {
  'CC-BY-SA-4.0': { label: 'CC BY-SA 4.0', definition: 'Partage et adaptation permis, en citant l’auteur et en partageant sous la même licence.' },
  'CC-BY-4.0': { label: 'CC BY 4.0', definition: 'Partage et adaptation permis, en citant l’auteur.' },
  'etalab-2.0': { label: 'Licence Ouverte 2.0 (Etalab)', definition: 'Licence des données et documents publics français : réutilisation libre, en citant la source.' },
  'CC0-1.0': { label: 'CC0 1.0', definition: 'L’auteur a renoncé à ses droits : réutilisation libre, sans condition.' },
  'CC-PDM-1.0': { label: 'Domaine public', definition: 'Œuvre dans le domaine public (auteur mort depuis plus de 70 ans, par exemple).' },
} as const satisfies Vocabulary<string>;

/** The five axes of local resilience, by their stable code. */
export const axes = {
  ALIM: { label: 'Résilience alimentaire', definition: 'Nourrir la population à partir de ressources locales et durables.' },
  ENER: { label: 'Résilience énergétique', definition: 'Réduire les besoins en énergie et produire localement ce qui reste nécessaire.' },
  SOCI: {
    label: 'Autonomie intellectuelle et solidarité sociale',
    definition: 'Partager les savoirs, renforcer les liens et les solidarités entre habitants.',
  },
  SANT: { label: 'Résilience sanitaire', definition: 'Protéger la santé des habitants et des milieux, garder l’accès aux soins.' },
  ECON: { label: 'Résilience économique', definition: 'Relocaliser les activités et les emplois qui répondent aux besoins essentiels.' },
} as const satisfies Vocabulary<string>;

export type Phase = keyof typeof phases;
export type Difficulte = keyof typeof difficultes;
export type Cout = keyof typeof couts;
export type Duree = keyof typeof durees;
export type Acteur = keyof typeof acteurs;
export type Taille = keyof typeof tailles;
export type Theme = keyof typeof themes;
export type Statut = keyof typeof statuts;
export type AxeCode = keyof typeof axes;
export type LicenceMedia = keyof typeof licencesMedias;

/** Every vocabulary by the field name that uses it, for forms, facets and exports. */
export const vocabularies = { phases, difficultes, couts, durees, acteurs, tailles, themes, statuts, axes } as const;

/** Derives the size band of a commune from its population. */
export function sizeFromPopulation(population: number): Taille {
  if (population < 1000) return 'moins-1000';
  if (population < 3500) return '1000-3500';
  if (population < 10000) return '3500-10000';
  return 'plus-10000';
}
