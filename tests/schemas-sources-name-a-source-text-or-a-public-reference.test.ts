import { describe, expect, it } from 'vitest';
import { ficheSchema } from '../schemas/fiches.ts';
import { retourSchema } from '../schemas/retours.ts';
import { referentielSchema } from '../schemas/referentiel.ts';
import { listDataLinks } from '../schemas/links.ts';
import { parseWithFriendlyErrors } from '../core/parse-input.ts';
import { ProblemError } from '../core/problem.ts';

const fiche = {
  titre: 'Créer un jardin partagé',
  resume: 'Un jardin cultivé ensemble sur un terrain communal.',
  objectifs: ['ALIM-02-02'],
  phases: ['agir'],
  difficulte: '2',
  cout: 'moins-1k',
  duree: '1-6-mois',
  acteurs: ['habitants'],
  tailles: ['moins-1000'],
  themes: ['alimentation'],
};

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) return error.message;
    throw error;
  }
  throw new Error('expected a ProblemError');
}

describe('the sources field', () => {
  it('accepts a source text of the commons and a public reference, each saying what it supports and whom it attests', () => {
    const parsed = parseWithFriendlyErrors(
      ficheSchema,
      {
        ...fiche,
        credits: ['la-traverse'],
        sources: [
          { texte: 'impulser-dynamiques-collectives', faits: 'la méthode de La Traverse', atteste: ['la-traverse'] },
          { titre: 'Loi EGalim', auteur: 'Légifrance', annee: 2018, url: 'https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000037547946', faits: 'les seuils en restauration collective' },
        ],
      },
      'fiches/jardin.mdx',
    );
    expect(parsed.sources[1]!.atteste).toEqual([]);
    expect(listDataLinks('fiches', parsed).filter((link) => link.field === 'sources')).toEqual([
      { path: ['sources', 0, 'atteste', 0], field: 'sources', target: 'structures', value: 'la-traverse' },
    ]);
  });

  it('is optional, and empty by default', () => {
    expect(parseWithFriendlyErrors(ficheSchema, fiche, 'fiches/jardin.mdx').sources).toEqual([]);
  });

  it('refuses an unknown source text, a reference without address, a mixed item and a missing « faits », naming each field', () => {
    const message = errorOf(() =>
      parseWithFriendlyErrors(
        ficheSchema,
        {
          ...fiche,
          sources: [
            { texte: 'livre-inconnu', faits: 'tout' },
            { titre: 'Une page', faits: 'un chiffre' },
            { texte: 'impulser-dynamiques-collectives', url: 'https://example.org', faits: 'un fait' },
            { texte: 'impulser-dynamiques-collectives' },
            { faits: 'rien' },
            { titre: 'Une page', url: 'javascript:alert(1)', faits: 'un fait', atteste: ['La Traverse'] },
          ],
        },
        'fiches/jardin.mdx',
      ),
    );
    expect(message).toMatchInlineSnapshot(`
      "fiches/jardin.mdx: sources[0].texte: texte source "livre-inconnu" inconnu ; textes connus : experimentons-les-transitions, colibris-experimentons-2020, impulser-dynamiques-collectives, fabrique-des-transitions-presentation (pour une autre source, donnez « titre » et « url »)
      fiches/jardin.mdx: sources[1].url: une référence publique a besoin de son adresse (https://…) pour que chacun puisse la vérifier
      fiches/jardin.mdx: sources[2].url: inutile avec « texte » : le texte source a déjà son titre, son auteur, son année et son adresse ; retirez ce champ, ou faites-en une référence à part
      fiches/jardin.mdx: sources[3].faits: champ obligatoire manquant
      fiches/jardin.mdx: sources[4].texte: indiquez « texte » (un texte source du commun) ou « titre » et « url » (une référence publique)
      fiches/jardin.mdx: sources[5].url: URL invalide : une adresse complète commençant par https:// est attendue
      fiches/jardin.mdx: sources[5].atteste[0]: slug invalide : minuscules sans accents, chiffres et tirets simples (ex. « jardin-partage »)"
    `);
  });

  it('is available on the data files too: an axe of the référentiel names its sources', () => {
    const axe = {
      code: 'ALIM',
      titre: 'Résilience alimentaire',
      description: 'Nourrir le territoire.',
      ordre: 1,
      orientations: [{ code: 'ALIM-01', titre: 'Foncier', objectifs: [{ code: 'ALIM-01-01', titre: 'Connaître les terres' }] }],
      sources: [{ texte: 'impulser-dynamiques-collectives', faits: 'les 5 axes' }],
    };
    expect(referentielSchema.parse(axe).sources).toHaveLength(1);
  });

  it('lets a retour say its territory is a quartier of the commune given', () => {
    const retour = {
      titre: 'Un quartier',
      resume: 'Ce que le quartier a fait.',
      territoire: { nom: 'Quartier Levant', communes: ['01160'], nature: 'quartier' },
      themes: ['gouvernance'],
    };
    expect(retourSchema.parse(retour).territoire.nature).toBe('quartier');
    expect(errorOf(() => parseWithFriendlyErrors(retourSchema, { ...retour, territoire: { ...retour.territoire, nature: 'hameau' } }, 'retours/q.mdx'))).toMatchInlineSnapshot(
      `"retours/q.mdx: territoire.nature: nature "hameau" inconnue ; valeurs admises : commune, groupement, quartier, intercommunalite, bassin-de-vie"`,
    );
  });
});
