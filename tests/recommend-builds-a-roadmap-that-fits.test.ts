import { describe, expect, it } from 'vitest';
import { findSimilarRetours, fits, readAnswers, recommend, type Answers, type Catalogue, type CatalogueTool } from '../site/src/lib/recommend.ts';

function tool(titre: string, facets: Partial<CatalogueTool> = {}): CatalogueTool {
  return {
    collection: 'fiches',
    url: `/fiches/${titre}/`,
    titre,
    resume: `Résumé de ${titre}`,
    phases: ['agir'],
    difficulte: '1',
    cout: '0',
    acteurs: ['elus'],
    tailles: ['moins-1000', '1000-3500'],
    themes: ['gouvernance'],
    ...facets,
  };
}

const answers = (overrides: Partial<Answers> = {}): Answers => ({ situation: 'rien', moyens: 'benevoles', themes: [], ...overrides });

describe('the guided path', () => {
  it('reads the answers from the URL and drops values it does not know', () => {
    const read = readAnswers(new URLSearchParams('taille=moins-1000&profil=elu&situation=initiatives&theme=alimentation&theme=inconnu&theme=energie&moyens=budget&commune=2a004'));
    expect(read).toEqual({ taille: 'moins-1000', profil: 'elu', situation: 'initiatives', themes: ['alimentation', 'energie'], moyens: 'budget', commune: '2A004' });
    expect(readAnswers(new URLSearchParams('situation=nulle-part&moyens=beaucoup&taille=village&commune=123'))).toEqual({ situation: 'rien', moyens: 'benevoles', themes: [] });
  });

  it('orders the steps by phase of the démarche and starts where the territory stands', () => {
    const catalogue: Catalogue = { tools: [], retours: [] };
    expect(recommend(answers({ situation: 'rien' }), catalogue).steps.map((s) => s.phase)).toEqual([
      'sensibiliser', 'enqueter-diagnostiquer', 'construire-une-vision', 'decider', 'agir', 'evaluer-celebrer',
    ]);
    expect(recommend(answers({ situation: 'initiatives' }), catalogue).steps[0]!.phase).toBe('enqueter-diagnostiquer');
    expect(recommend(answers({ situation: 'demarche' }), catalogue).steps.map((s) => s.phase)).toEqual(['decider', 'agir', 'evaluer-celebrer']);
  });

  it('keeps only tools whose difficulty and cost the means can carry, and that suit the size of the territory', () => {
    const easy = tool('facile', { difficulte: '2', cout: 'moins-1k' });
    const technical = tool('technique', { difficulte: '3', cout: 'moins-1k' });
    const costly = tool('couteux', { difficulte: '1', cout: '1k-10k' });
    const urban = tool('urbain', { tailles: ['plus-10000'] });
    expect([easy, technical, costly, urban].filter((t) => fits(t, answers({ taille: 'moins-1000' })))).toEqual([easy]);
    expect([easy, technical, costly, urban].filter((t) => fits(t, answers({ taille: 'moins-1000', moyens: 'agent-partiel' })))).toEqual([easy, technical, costly]);
    expect(fits(urban, answers())).toBe(true);
  });

  it('proposes one to three tools per step, two fiches and a guide when it can', () => {
    const tools = [
      tool('a'), tool('b'), tool('c'), tool('d'),
      tool('guide', { collection: 'guides', url: '/guides/guide/' }),
    ];
    const step = recommend(answers({ situation: 'demarche' }), { tools, retours: [] }).steps.find((s) => s.phase === 'agir')!;
    expect(step.tools).toHaveLength(3);
    expect(step.tools.filter((t) => t.collection === 'guides')).toHaveLength(1);
  });

  it('ranks tools that share the reader’s themes and involve the reader first', () => {
    const tools = [
      tool('sans rapport', { themes: ['eau'], acteurs: ['agents'] }),
      tool('pour les habitants', { themes: ['eau'], acteurs: ['habitants'] }),
      tool('alimentation', { themes: ['alimentation'], acteurs: ['agents'] }),
      tool('autre', { themes: ['eau'], acteurs: ['agents'] }),
    ];
    const step = recommend(answers({ situation: 'demarche', themes: ['alimentation'], profil: 'collectif' }), { tools, retours: [] }).steps.find((s) => s.phase === 'agir')!;
    expect(step.tools.map((t) => t.titre)).toEqual(['alimentation', 'pour les habitants', 'autre']);
    expect(step.tools[0]!.sharedThemes).toEqual(['alimentation']);
  });

  it('does not propose the same tool twice unless nothing else fits a step', () => {
    const everywhere = tool('partout', { phases: ['decider', 'agir', 'evaluer-celebrer'] });
    const act = tool('agir', { phases: ['agir'] });
    const steps = recommend(answers({ situation: 'demarche' }), { tools: [everywhere, act], retours: [] }).steps;
    expect(steps.map((s) => s.tools.map((t) => `${t.titre}${t.repeated ? ' (déjà proposé)' : ''}`))).toEqual([
      ['partout'], ['agir'], ['partout (déjà proposé)'],
    ]);
  });

  it('leaves a step empty when no tool of that phase fits', () => {
    const steps = recommend(answers({ situation: 'demarche' }), { tools: [tool('lourd', { difficulte: '5' })], retours: [] }).steps;
    expect(steps.every((s) => s.tools.length === 0)).toBe(true);
  });

  it('shows retours of territories of the same size first, then of a neighbouring size, never of a distant one', () => {
    const retour = (titre: string, taille: CatalogueTool['tailles'][number] | undefined, themes: CatalogueTool['themes'] = ['gouvernance']) => ({
      url: `/retours/${titre}/`, titre, territoire: titre, themes, ...(taille ? { taille } : {}),
    });
    const retours = [retour('ville', 'plus-10000'), retour('bourg', '1000-3500'), retour('village', 'moins-1000'), retour('pays', undefined), retour('hameau', 'moins-1000', ['alimentation'])];
    expect(findSimilarRetours(answers({ taille: 'moins-1000', themes: ['alimentation'] }), retours).map((r) => [r.titre, r.likeness])).toEqual([
      ['hameau', 'meme-taille'], ['village', 'meme-taille'], ['bourg', 'taille-voisine'],
    ]);
    expect(findSimilarRetours(answers({ themes: ['alimentation'] }), retours).map((r) => r.titre)).toEqual(['hameau']);
  });
});
