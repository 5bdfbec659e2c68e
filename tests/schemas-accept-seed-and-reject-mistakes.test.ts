import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collections } from '../schemas/collections.ts';
import { collectionNames } from '../schemas/common.ts';
import { ficheSchema } from '../schemas/fiches.ts';
import { retourSchema } from '../schemas/retours.ts';
import { referentielSchema } from '../schemas/referentiel.ts';
import { autodiagnosticSchema } from '../schemas/autodiagnostic.ts';
import { collectionJsonSchema } from '../schemas/json-schema.ts';
import { parseWithFriendlyErrors } from '../core/parse-input.ts';
import { ProblemError } from '../core/problem.ts';
import { readEntry } from '../core/content-files.ts';

const contentDir = new URL('../content', import.meta.url).pathname;

function seedEntries(collection: string) {
  return readdirSync(join(contentDir, collection)).map((name) => readEntry(`${collection}/${name}`, readFileSync(join(contentDir, collection, name), 'utf8')));
}

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) return error.message;
    throw error;
  }
  throw new Error('expected a ProblemError');
}

const validFiche = {
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

describe('the collection schemas', () => {
  it.each(collectionNames)('accept every seed entry of %s', (collection) => {
    const entries = seedEntries(collection);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      const result = collections[collection].schema.safeParse(entry.data);
      expect(result.success, `${entry.collection}/${entry.slug}: ${result.error?.message}`).toBe(true);
    }
  });

  it('apply the defaults a contributor may leave out', () => {
    const fiche = parseWithFriendlyErrors(ficheSchema, validFiche, 'fiches/jardin.mdx');
    expect(fiche).toMatchObject({ statut: 'brouillon', licence: 'CC-BY-SA-4.0', credits: [], exemples: [] });
  });

  it('reject a fiche with a wrong vocabulary value, a missing field and a typo, naming each field', () => {
    const { resume: _resume, ...withoutResume } = validFiche;
    const message = errorOf(() =>
      parseWithFriendlyErrors(ficheSchema, { ...withoutResume, cout: 'gratuit', objectif: ['ALIM-02-02'] }, 'fiches/jardin.mdx'),
    );
    expect(message).toMatchInlineSnapshot(`
      "fiches/jardin.mdx: resume: champ obligatoire manquant
      fiches/jardin.mdx: cout: valeur "gratuit" inconnue pour « cout » ; valeurs admises : 0, moins-1k, 1k-10k, 10k-100k, plus-100k
      fiches/jardin.mdx: objectif: champ inconnu : vouliez-vous dire « objectifs » ?"
    `);
  });

  it('reject a fiche attached to a malformed objectif code', () => {
    const message = errorOf(() => parseWithFriendlyErrors(ficheSchema, { ...validFiche, objectifs: ['ALIM-2-2'] }, 'fiches/jardin.mdx'));
    expect(message).toMatchInlineSnapshot(`"fiches/jardin.mdx: objectifs[0]: code d’objectif invalide : attendu « AXE-01-02 », par exemple « ALIM-01-02 »"`);
  });

  it('reject a retour without any commune or département, and a malformed date', () => {
    const message = errorOf(() =>
      parseWithFriendlyErrors(
        retourSchema,
        { titre: 'Un retour', resume: 'Ce que la commune a fait.', territoire: { nom: 'Jazeneuil' }, periode: { debut: 'mars 2021' }, themes: ['gouvernance'] },
        'retours/jazeneuil.mdx',
      ),
    );
    expect(message).toMatchInlineSnapshot(`
      "retours/jazeneuil.mdx: territoire.communes: indiquez les codes INSEE des communes (ou, à défaut, le code du département)
      retours/jazeneuil.mdx: periode.debut: date invalide : attendu « AAAA » ou « AAAA-MM », par exemple « 2021-03 »"
    `);
  });

  it('reject a référentiel whose codes do not nest', () => {
    const message = errorOf(() =>
      parseWithFriendlyErrors(
        referentielSchema,
        { code: 'ALIM', ordre: 1, titre: 'Alimentation', description: 'Nourrir le territoire localement.', orientations: [{ code: 'ENER-01', titre: 'Mauvais axe', objectifs: [{ code: 'ALIM-01-01', titre: 'Mal rangé' }] }] },
        'referentiel/alim.yaml',
      ),
    );
    expect(message).toMatchInlineSnapshot(`
      "referentiel/alim.yaml: orientations[0].code: le code doit commencer par « ALIM- »
      referentiel/alim.yaml: orientations[0].objectifs[0].code: le code doit commencer par « ENER-01- »"
    `);
  });

  it('reject a self-assessment question with no zero-point answer', () => {
    const question = (id: string) => ({ id, question: 'La commune a-t-elle un jardin partagé ?', reponses: [{ libelle: 'Oui', points: 3 }, { libelle: 'Un peu', points: 1 }] });
    const message = errorOf(() =>
      parseWithFriendlyErrors(
        autodiagnosticSchema,
        { axe: 'ALIM', titre: 'Alimentation', bornes: { zero: 'Rien encore', dix: 'Tout est en place' }, questions: ['alim-1', 'alim-2', 'alim-3', 'alim-4'].map(question) },
        'autodiagnostic/alim.yaml',
      ),
    );
    expect(message.split('\n')).toHaveLength(4);
    expect(message.split('\n')[0]).toMatchInlineSnapshot(`"autodiagnostic/alim.yaml: questions[0].reponses: une réponse doit valoir 0 point (borne basse explicite)"`);
  });

  it.each(collectionNames)('export a JSON Schema for %s that lists its fields', (collection) => {
    const schema = collectionJsonSchema(collection);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.properties as object).length).toBeGreaterThan(3);
  });
});
