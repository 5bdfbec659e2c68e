import { describe, expect, it } from 'vitest';
import { packCatalogue, unpackCatalogue } from '../site/src/lib/catalogue-codec.ts';
import { recommend, type Catalogue } from '../site/src/lib/recommend.ts';

const catalogue: Catalogue = {
  tools: [
    { collection: 'fiches', url: '/fiches/jardin-partage/', titre: 'Créer un jardin partagé', resume: 'Un jardin cultivé ensemble.', phases: ['agir', 'sensibiliser'], difficulte: '2', cout: 'moins-1k', acteurs: ['habitants', 'elus'], tailles: ['moins-1000', '1000-3500'], themes: ['alimentation'] },
    { collection: 'guides', url: '/guides/enquete-collective/', titre: 'Mener une enquête collective', resume: 'Écouter le territoire.', phases: ['enqueter-diagnostiquer'], difficulte: '3', cout: '0', acteurs: ['associations'], tailles: ['bassin-de-vie'], themes: ['gouvernance', 'eau'] },
  ],
  retours: [
    { url: '/retours/jazeneuil/', titre: 'Jazeneuil en transition', territoire: 'Jazeneuil', taille: 'moins-1000', themes: ['alimentation', 'energie'] },
    { url: '/retours/sans-taille/', titre: 'Un retour sans taille', territoire: 'Quelque part', themes: [] },
  ],
};

describe('the guided path catalogue sent to the browser', () => {
  it('keeps every facet and title the recommendation reads, and only drops summaries', () => {
    const unpacked = unpackCatalogue(JSON.parse(JSON.stringify(packCatalogue(catalogue))));
    expect(unpacked).toEqual({ ...catalogue, tools: catalogue.tools.map(({ resume: _, ...tool }) => tool) });
    const answers = { situation: 'rien', moyens: 'agent-partiel', themes: ['alimentation'], taille: 'moins-1000' } as const;
    const withoutSummaries = (roadmap: ReturnType<typeof recommend>) => JSON.parse(JSON.stringify(roadmap, (key, value) => (key === 'resume' ? undefined : value)));
    expect(recommend({ ...answers, themes: [...answers.themes] }, unpacked)).toEqual(withoutSummaries(recommend({ ...answers, themes: [...answers.themes] }, catalogue)));
  });

  it('weighs under half of the catalogue written as objects', () => {
    expect(JSON.stringify(packCatalogue(catalogue)).length).toBeLessThan(JSON.stringify(catalogue).length / 2);
  });
});
