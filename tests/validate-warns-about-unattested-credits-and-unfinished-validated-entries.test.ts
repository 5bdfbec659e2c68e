import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listContentWarnings } from '../core/content-warnings.ts';
import { formatProblem } from '../core/problem.ts';
import { inspectContentTree } from '../core/validate-tree.ts';
import { runScript } from './helpers/run-script.ts';

const seed = new URL('../content', import.meta.url).pathname;
const trees: string[] = [];

const structure = `---
titre: La Traverse
resume: Une structure de test pour les avertissements.
type: association
roles: [accompagner]
zone_intervention:
  nationale: true
statut: propose
---

Une structure.
`;

/** A small tree: the seed's référentiel and one structure, plus the given fiches. */
function treeWith(fiches: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'terreau-warnings-'));
  trees.push(dir);
  cpSync(join(seed, 'referentiel'), join(dir, 'referentiel'), { recursive: true });
  mkdirSync(join(dir, 'structures'));
  writeFileSync(join(dir, 'structures/la-traverse.mdx'), structure);
  mkdirSync(join(dir, 'fiches'));
  for (const [slug, text] of Object.entries(fiches)) writeFileSync(join(dir, 'fiches', `${slug}.mdx`), text);
  return dir;
}

const fiche = (extra: string, body = '## Pourquoi agir\n\nUn texte.\n') => `---
titre: Fiche de test
resume: Une fiche de test pour les avertissements.
objectifs: [ALIM-01-01]
phases: [agir]
difficulte: "2"
cout: "0"
duree: 1-6-mois
acteurs: [elus]
tailles: [moins-1000]
themes: [alimentation]
${extra}
---

${body}`;

afterEach(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('npm run validate warnings', () => {
  it('warns about a credit no source attests and an « À compléter » left in a validated entry, at their lines', async () => {
    const dir = treeWith({
      'sans-source': fiche('credits: [la-traverse]\nstatut: propose'),
      'source-sans-attestation': fiche('credits: [la-traverse]\nsources:\n  - texte: impulser-dynamiques-collectives\n    faits: "les faits"\nstatut: propose'),
      'validee-incomplete': fiche('statut: valide', '## Pourquoi agir\n\nÀ compléter : les chiffres.\n'),
      'attestee': fiche('credits: [la-traverse]\nsources:\n  - texte: impulser-dynamiques-collectives\n    faits: "les faits"\n    atteste: [la-traverse]\nstatut: valide'),
      'proposee-incomplete': fiche('statut: propose', 'À compléter : tout.\n'),
    });
    const { problems, entries } = await inspectContentTree(dir);
    expect(problems).toEqual([]);
    expect(listContentWarnings(entries).map(formatProblem)).toMatchInlineSnapshot(`
      [
        "fiches/sans-source.mdx:12: credits[0]: avertissement : « la-traverse » est créditée mais aucune source ne l’atteste : ajoutez-la à « atteste » de la source qui décrit son travail, ou retirez ce crédit",
        "fiches/source-sans-attestation.mdx:12: credits[0]: avertissement : « la-traverse » est créditée mais aucune source ne l’atteste : ajoutez-la à « atteste » de la source qui décrit son travail, ou retirez ce crédit",
        "fiches/validee-incomplete.mdx:17: corps: avertissement : « À compléter » dans une entrée validée : complétez ce passage ou repassez l’entrée au statut « propose »",
      ]
    `);
  });

  it('prints warnings in the problem format but exits 0 when there is no problem', () => {
    const dir = treeWith({ 'sans-source': fiche('credits: [la-traverse]') });
    const { status, stdout, stderr } = runScript('validate', [dir]);
    expect(status).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([expect.stringMatching(/fiches\/sans-source\.mdx:12: credits\[0\]: avertissement : « la-traverse » est créditée/)]);
    expect(stderr).toMatch(/aucun problème, 1 avertissement\(s\)/);
  });

  it('still exits 1 when a problem comes with the warnings', () => {
    const dir = treeWith({ 'sans-source': fiche('credits: [la-traverse]'), 'cassee': fiche('difficulte_en_trop: "9"') });
    const { status, stdout, stderr } = runScript('validate', [dir]);
    expect(status).toBe(1);
    expect(stdout).toMatch(/fiches\/cassee\.mdx:\d+: difficulte_en_trop: champ inconnu/);
    expect(stdout).toMatch(/fiches\/sans-source\.mdx:12: credits\[0\]: avertissement : /);
    expect(stderr).toMatch(/1 problème\(s\), 1 avertissement\(s\)/);
  });
});
