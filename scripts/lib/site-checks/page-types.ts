/**
 * One page of each type the site renders, as the checkers visit them. Paths are those of the seed
 * commons (content/), which the test fixture includes too.
 */

/** A page type and the page that stands for it. */
export interface PageType {
  /** French name, for the report. */
  name: string;
  /** Path and query of the page. */
  path: string;
  /** Selector of what a script renders once the page is ready (pa11y waits for it). */
  readySelector?: string;
  /** Whether Lighthouse audits it (the types named by the floors), or pa11y only. */
  lighthouse: boolean;
}

/** The page types, in the order of the report. */
export const pageTypes: PageType[] = [
  { name: 'accueil', path: '/', lighthouse: true },
  { name: 'parcours guidé', path: '/parcours/', lighthouse: true },
  { name: 'résultat du parcours', path: '/parcours/?situation=rien&moyens=benevoles&taille=moins-1000&theme=alimentation', readySelector: '#feuille-de-route-contenu > *', lighthouse: true },
  { name: 'parcours type', path: '/parcours/type/rien/benevoles/', lighthouse: true },
  { name: 'liste', path: '/fiches/', lighthouse: true },
  { name: 'liste filtrée', path: '/fiches/filtre/phase/agir/', lighthouse: false },
  { name: 'fiche', path: '/fiches/jardin-partage/', lighthouse: true },
  { name: 'guide', path: '/guides/enquete-collective/', lighthouse: false },
  { name: 'retour d’expérience', path: '/retours/migne-auxances-instance-participative/', lighthouse: false },
  { name: 'structure', path: '/structures/la-traverse/', lighthouse: false },
  { name: 'territoire', path: '/territoires/combloux/', lighthouse: false },
  { name: 'historique', path: '/fiches/jardin-partage/historique/', lighthouse: true },
  { name: 'référentiel', path: '/referentiel/', lighthouse: false },
  { name: 'modifications récentes', path: '/modifications/', lighthouse: false },
  { name: 'recherche', path: '/recherche/', lighthouse: true },
  { name: 'recherche « cantine »', path: '/recherche/?q=cantine', readySelector: '#resultats li', lighthouse: true },
  { name: 'auto-diagnostic', path: '/autodiagnostic/', lighthouse: true },
  { name: 'carte', path: '/carte/', lighthouse: true },
  { name: 'réutiliser', path: '/reutiliser/', lighthouse: true },
];
