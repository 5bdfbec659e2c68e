/**
 * « Par où commencer ? »: turns the answers of the guided path into a roadmap, phase by phase, with
 * the granular tools (fiches and guides) that fit the means and the size of the territory, and the
 * retours of territories of similar size. Pure: it runs at build (parcours types) and in the
 * browser (the reader's own roadmap) on the same catalogue.
 */
import { couts, difficultes, phases, tailles, themes, type Acteur, type Cout, type Difficulte, type Phase, type Taille, type Theme } from '../../../schemas/vocabularies.ts';
import { codeIn } from './commune-names.ts';

/** Who is asking. */
export const profils = {
  elu: { label: 'Élu ou élue', acteur: 'elus' },
  agent: { label: 'Agent d’une collectivité', acteur: 'agents' },
  collectif: { label: 'Collectif d’habitants', acteur: 'habitants' },
  association: { label: 'Association', acteur: 'associations' },
} as const satisfies Record<string, { label: string; acteur: Acteur }>;
export type Profil = keyof typeof profils;

/** Where the territory stands, and the phases of the démarche still ahead of it. */
export const situations = {
  rien: {
    label: 'Rien encore',
    intro: 'Tout commence par une culture commune : comprendre les enjeux, écouter le territoire, puis décider ensemble.',
    phases: ['sensibiliser', 'enqueter-diagnostiquer', 'construire-une-vision', 'decider', 'agir', 'evaluer-celebrer'],
  },
  initiatives: {
    label: 'Des initiatives isolées',
    intro: 'Des actions existent déjà : il s’agit de les relier par un état des lieux partagé et une vision commune.',
    phases: ['enqueter-diagnostiquer', 'construire-une-vision', 'decider', 'agir', 'evaluer-celebrer'],
  },
  demarche: {
    label: 'Une démarche engagée',
    intro: 'La vision est là : place aux choix, aux actions et à la mesure du chemin parcouru.',
    phases: ['decider', 'agir', 'evaluer-celebrer'],
  },
} as const satisfies Record<string, { label: string; intro: string; phases: Phase[] }>;
export type Situation = keyof typeof situations;

/** The means at hand, and the hardest and costliest tools they can carry. */
export const moyens = {
  benevoles: { label: 'Des bénévoles', difficulteMax: '2', coutMax: 'moins-1k' },
  'agent-partiel': { label: 'Un agent à temps partiel', difficulteMax: '3', coutMax: '1k-10k' },
  budget: { label: 'Un budget dédié', difficulteMax: '4', coutMax: '10k-100k' },
} as const satisfies Record<string, { label: string; difficulteMax: Difficulte; coutMax: Cout }>;
export type Moyens = keyof typeof moyens;

/** The answers of the guided path, as read from the URL. */
export interface Answers {
  /** Size or kind of territory; absent when unknown (no size filter then). */
  taille?: Taille;
  /** INSEE code of the commune, when given (the size is derived from it before recommending). */
  commune?: string;
  /** Name of the commune as typed, when no code was given (looked up in the official list). */
  communeName?: string;
  profil?: Profil;
  situation: Situation;
  themes: Theme[];
  moyens: Moyens;
}

/** A fiche or a guide, with the facets the guided path filters and ranks on. */
export interface CatalogueTool {
  collection: 'fiches' | 'guides';
  url: string;
  titre: string;
  /** Summary, shown under the title; left out of the catalogue sent to the browser. */
  resume?: string;
  phases: Phase[];
  difficulte: Difficulte;
  cout: Cout;
  acteurs: Acteur[];
  tailles: Taille[];
  themes: Theme[];
  /** Relu et validé (and unchanged since): recommended before the others. */
  reviewed?: true;
}

/** A retour d'expérience, with the size of its territory derived from INSEE codes. */
export interface CatalogueRetour {
  url: string;
  titre: string;
  territoire: string;
  taille?: Taille;
  themes: Theme[];
  /** Relu et validé (and unchanged since): shown before the others. */
  reviewed?: true;
}

/** Everything the guided path recommends from, written at build as /parcours/catalogue.json. */
export interface Catalogue {
  tools: CatalogueTool[];
  retours: CatalogueRetour[];
}

/** A recommended tool and why it was chosen. */
export interface RecommendedTool extends CatalogueTool {
  /** Themes it shares with the answers. */
  sharedThemes: Theme[];
  /** Whether it was already proposed at an earlier step (no other tool fitted this one). */
  repeated: boolean;
}

/** One step of the roadmap: a phase of the démarche and its tools. */
export interface RoadmapStep {
  phase: Phase;
  tools: RecommendedTool[];
}

/** A retour of a territory like the reader's. */
export interface RecommendedRetour extends CatalogueRetour {
  /** Why it is shown: same size band, a neighbouring band, or only shared themes. */
  likeness: 'meme-taille' | 'taille-voisine' | 'themes';
  sharedThemes: Theme[];
}

export interface Roadmap {
  answers: Answers;
  steps: RoadmapStep[];
  retours: RecommendedRetour[];
}

/** At most this many tools per step, and retours per roadmap. */
export const TOOLS_PER_STEP = 3;
export const RETOURS_PER_ROADMAP = 3;

const phaseOrder = Object.keys(phases) as Phase[];
const difficulteOrder = Object.keys(difficultes) as Difficulte[];
const coutOrder = Object.keys(couts) as Cout[];
// Commune bands in size order, then the kinds of territory beyond one commune: neighbours in this
// list count as « similar size ».
const tailleLadder: Taille[] = ['quartier', 'moins-1000', '1000-3500', '3500-10000', 'plus-10000', 'intercommunalite', 'bassin-de-vie'];

/** Reads the answers from a query string; unknown values are dropped, missing ones defaulted. */
export function readAnswers(params: URLSearchParams): Answers {
  const pick = <K extends string>(table: Record<K, unknown>, value: string | null): K | undefined =>
    value !== null && Object.hasOwn(table, value) ? (value as K) : undefined;
  const typedCommune = params.get('commune')?.trim() ?? '';
  const commune = codeIn(typedCommune);
  const answers: Answers = {
    situation: pick(situations, params.get('situation')) ?? 'rien',
    moyens: pick(moyens, params.get('moyens')) ?? 'benevoles',
    themes: [...new Set(params.getAll('theme'))].filter((t): t is Theme => Object.hasOwn(themes, t)),
  };
  const taille = pick(tailles, params.get('taille'));
  const profil = pick(profils, params.get('profil'));
  if (taille) answers.taille = taille;
  if (profil) answers.profil = profil;
  if (commune) answers.commune = commune;
  else if (/\p{L}/u.test(typedCommune)) answers.communeName = typedCommune.slice(0, 100);
  return answers;
}

/** Whether the guided path was answered at all (a bare /parcours/ shows only the form). */
export function hasAnswers(params: URLSearchParams): boolean {
  return params.has('situation') || params.has('moyens');
}

/** Whether a tool fits the means and the size of the territory. */
export function fits(tool: CatalogueTool, answers: Answers): boolean {
  const limits = moyens[answers.moyens];
  return (
    difficulteOrder.indexOf(tool.difficulte) <= difficulteOrder.indexOf(limits.difficulteMax) &&
    coutOrder.indexOf(tool.cout) <= coutOrder.indexOf(limits.coutMax) &&
    (answers.taille === undefined || tool.tailles.includes(answers.taille))
  );
}

/** Builds the roadmap: the phases still ahead, in order, each with up to three fitting tools, validated ones first. */
export function recommend(answers: Answers, catalogue: Catalogue): Roadmap {
  const candidates = catalogue.tools.filter((tool) => fits(tool, answers));
  const used = new Set<string>();
  const steps = situations[answers.situation].phases
    .slice()
    .sort((a, b) => phaseOrder.indexOf(a) - phaseOrder.indexOf(b))
    .map((phase): RoadmapStep => {
      const ranked = candidates
        .filter((tool) => tool.phases.includes(phase))
        // Validated tools first, then the best fitting.
        .sort((a, b) => Number(!!b.reviewed) - Number(!!a.reviewed) || rankTool(b, phase, answers) - rankTool(a, phase, answers) || a.titre.localeCompare(b.titre, 'fr'));
      const fresh = ranked.filter((tool) => !used.has(tool.url));
      // A tool appears once in the roadmap, unless nothing else fits a step.
      const chosen = pickMix(fresh.length > 0 ? fresh : ranked.slice(0, 1));
      for (const tool of chosen) used.add(tool.url);
      return {
        phase,
        tools: chosen.map((tool) => ({ ...tool, sharedThemes: shared(tool.themes, answers.themes), repeated: fresh.length === 0 })),
      };
    });
  return { answers, steps, retours: findSimilarRetours(answers, catalogue.retours) };
}

// Shared themes weigh most, then whether the reader's kind of actor takes part, then tools
// specific to the phase, then the easier ones.
function rankTool(tool: CatalogueTool, phase: Phase, answers: Answers): number {
  const acteur = answers.profil ? profils[answers.profil].acteur : undefined;
  return (
    4 * shared(tool.themes, answers.themes).length +
    (acteur && tool.acteurs.includes(acteur) ? 2 : 0) +
    (tool.phases[0] === phase ? 1 : 0) +
    1 / tool.phases.length +
    (5 - Number(tool.difficulte)) * 0.1
  );
}

// Up to two fiches (what to do) and one guide (how to run it), topped up from either kind.
function pickMix(ranked: CatalogueTool[]): CatalogueTool[] {
  const fiches = ranked.filter((t) => t.collection === 'fiches').slice(0, 2);
  const guides = ranked.filter((t) => t.collection === 'guides').slice(0, 1);
  const chosen = new Set([...fiches, ...guides]);
  for (const tool of ranked) {
    if (chosen.size >= TOOLS_PER_STEP) break;
    chosen.add(tool);
  }
  return ranked.filter((tool) => chosen.has(tool));
}

/** The retours of territories of the same size, then of a neighbouring size; validated ones first, then those sharing themes. */
export function findSimilarRetours(answers: Answers, retours: CatalogueRetour[]): RecommendedRetour[] {
  const likenessOf = (retour: CatalogueRetour): RecommendedRetour['likeness'] | undefined => {
    if (answers.taille === undefined) return 'themes';
    if (retour.taille === undefined) return undefined;
    const gap = Math.abs(tailleLadder.indexOf(retour.taille) - tailleLadder.indexOf(answers.taille));
    return gap === 0 ? 'meme-taille' : gap === 1 ? 'taille-voisine' : undefined;
  };
  const weight = { 'meme-taille': 2, 'taille-voisine': 1, themes: 0 };
  return retours
    .flatMap((retour) => {
      const likeness = likenessOf(retour);
      const sharedThemes = shared(retour.themes, answers.themes);
      if (!likeness || (likeness === 'themes' && answers.themes.length > 0 && sharedThemes.length === 0)) return [];
      return [{ ...retour, likeness, sharedThemes }];
    })
    .sort(
      (a, b) =>
        Number(!!b.reviewed) - Number(!!a.reviewed) ||
        weight[b.likeness] - weight[a.likeness] ||
        b.sharedThemes.length - a.sharedThemes.length ||
        a.titre.localeCompare(b.titre, 'fr'),
    )
    .slice(0, RETOURS_PER_ROADMAP);
}

function shared<T>(values: readonly T[], wanted: readonly T[]): T[] {
  return values.filter((value) => wanted.includes(value));
}

/** The key of the commune lookup file holding an INSEE code: its département prefix (`86`, `2A`, `974`). */
export function communeChunkKey(code: string): string {
  return code.startsWith('97') ? code.slice(0, 3) : code.slice(0, 2);
}
