import { describe, expect, it } from 'vitest';
import { exportAnswers, importAnswers, type Grid } from '../site/src/lib/scoring.ts';

const grids: Grid[] = [
  {
    axe: 'ALIM',
    titre: 'Résilience alimentaire',
    questions: [
      { id: 'alim-1', reponses: [{ libelle: 'Non', points: 0 }, { libelle: 'Un peu', points: 1 }, { libelle: 'Oui', points: 3 }], objectifs: [] },
      { id: 'alim-2', reponses: [{ libelle: 'Non', points: 0 }, { libelle: 'Oui', points: 2 }], objectifs: [] },
    ],
  },
];

describe('the auto-diagnostic answers file', () => {
  it('round-trips the answers through an export file that people can read', () => {
    const file = exportAnswers(grids, { 'alim-1': 2, 'alim-2': 0 }, new Date('2025-03-01T10:00:00Z'));
    expect(file).toEqual({
      format: 'terreau-autodiagnostic',
      version: 1,
      date: '2025-03-01T10:00:00.000Z',
      reponses: { 'alim-1': { reponse: 2, points: 3, libelle: 'Oui' }, 'alim-2': { reponse: 0, points: 0, libelle: 'Non' } },
    });
    expect(importAnswers(JSON.stringify(file), grids)).toEqual({ answers: { 'alim-1': 2, 'alim-2': 0 }, skipped: [] });
  });

  it('finds an answer by its wording when the grid was reordered, and skips questions it no longer has', () => {
    const text = JSON.stringify({ format: 'terreau-autodiagnostic', version: 1, reponses: { 'alim-1': { reponse: 0, libelle: 'Un peu' }, 'alim-9': { reponse: 1 } } });
    expect(importAnswers(text, grids)).toEqual({ answers: { 'alim-1': 1 }, skipped: ['alim-9'] });
  });

  it('refuses a file that is not an export, naming the file and the field', () => {
    expect(() => importAnswers('{"format":"autre","version":1,"reponses":{}}', grids, 'mes-reponses.json')).toThrowErrorMatchingInlineSnapshot(
      `[ProblemError: mes-reponses.json: format: ce fichier n’est pas un export d’auto-diagnostic Terreau (format « terreau-autodiagnostic » attendu)]`,
    );
    expect(() => importAnswers('{"format":"terreau-autodiagnostic","version":1,"reponses":{"alim-1":{"reponse":-1}}}', grids, 'f.json')).toThrowErrorMatchingInlineSnapshot(
      `[ProblemError: f.json: reponses.alim-1.reponse: position de réponse négative]`,
    );
    expect(() => importAnswers('pas du JSON', grids, 'notes.txt')).toThrowErrorMatchingInlineSnapshot(
      `[SyntaxError: notes.txt : ce n’est pas un fichier JSON lisible ; choisissez le fichier exporté depuis cette page]`,
    );
  });
});
