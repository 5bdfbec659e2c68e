/** The guided path and the self-assessment recommend entries relues et validées before the others. */
import { describe, expect, it } from 'vitest';
import { packCatalogue, unpackCatalogue } from '../site/src/lib/catalogue-codec.ts';
import { findSimilarRetours, recommend, type Answers, type CatalogueRetour, type CatalogueTool } from '../site/src/lib/recommend.ts';
import { suggestFiches, type Grid } from '../site/src/lib/scoring.ts';

function tool(titre: string, facets: Partial<CatalogueTool> = {}): CatalogueTool {
  return { collection: 'fiches', url: `/fiches/${titre}/`, titre, phases: ['sensibiliser'], difficulte: '1', cout: '0', acteurs: ['elus'], tailles: ['moins-1000'], themes: ['gouvernance'], ...facets };
}

const answers: Answers = { situation: 'rien', moyens: 'benevoles', themes: ['alimentation'], taille: 'moins-1000' };

describe('recommendations', () => {
  it('put a validated tool before a better-matching one that is not yet reviewed', () => {
    const matching = tool('a-propose', { themes: ['alimentation'] });
    const validated = tool('b-valide', { reviewed: true });
    const others = [tool('c-propose', { themes: ['alimentation'] }), tool('d-propose', { themes: ['alimentation'] })];
    const [first] = recommend(answers, { tools: [matching, ...others, validated], retours: [] }).steps;
    expect(first!.tools.map((t) => t.titre)).toEqual(['b-valide', 'a-propose', 'c-propose']);
    // Without the validation, the better match comes first and the other does not make the cut.
    const [unreviewed] = recommend(answers, { tools: [matching, ...others, { ...validated, reviewed: undefined }], retours: [] }).steps;
    expect(unreviewed!.tools.map((t) => t.titre)).toEqual(['a-propose', 'c-propose', 'd-propose']);
  });

  it('show validated retours first among territories like the reader’s', () => {
    const retour = (titre: string, extra: Partial<CatalogueRetour> = {}): CatalogueRetour => ({ url: `/retours/${titre}/`, titre, territoire: titre, taille: 'moins-1000', themes: ['alimentation'], ...extra });
    const found = findSimilarRetours(answers, [retour('a-propose'), retour('b-valide', { reviewed: true, themes: [] })]);
    expect(found.map((r) => r.titre)).toEqual(['b-valide', 'a-propose']);
  });

  it('keep the validation mark through the catalogue sent to the browser', () => {
    const catalogue = { tools: [tool('valide', { reviewed: true }), tool('propose')], retours: [{ url: '/retours/x/', titre: 'X', territoire: 'X', themes: [], reviewed: true as const }] };
    expect(unpackCatalogue(JSON.parse(JSON.stringify(packCatalogue(catalogue))))).toEqual(catalogue);
  });

  it('suggest validated fiches first in the self-assessment, weakest answers first among each kind', () => {
    const grid: Grid = {
      axe: 'ALIM',
      titre: 'Résilience alimentaire',
      questions: [
        { id: 'q1', objectifs: ['ALIM-01-01'], reponses: [{ libelle: 'non', points: 0 }, { libelle: 'oui', points: 2 }] },
        { id: 'q2', objectifs: ['ALIM-01-02'], reponses: [{ libelle: 'non', points: 0 }, { libelle: 'un peu', points: 1 }, { libelle: 'oui', points: 2 }] },
      ],
    };
    const fiches = {
      'ALIM-01-01': [{ url: '/fiches/cantine/', titre: 'Cantine' }],
      'ALIM-01-02': [{ url: '/fiches/jardin/', titre: 'Jardin', reviewed: true as const }, { url: '/fiches/marche/', titre: 'Marché' }],
    };
    expect(suggestFiches(grid, { q1: 0, q2: 1 }, fiches).map((f) => f.titre)).toEqual(['Jardin', 'Cantine', 'Marché']);
  });
});
