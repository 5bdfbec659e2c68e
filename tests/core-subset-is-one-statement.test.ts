/**
 * One statement of the safe subset: every node and mark the editor can hold is accepted by the
 * validator, comes back unchanged through the editor, and is rendered by the site as valid HTML;
 * what one refuses, all three refuse, with the same line and words.
 */
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { renderBody } from '../core/body-html.ts';
import { bodySchema } from '../core/bridge/body-extensions.ts';
import { mdxToProseMirror } from '../core/bridge/mdx-to-prosemirror.ts';
import { serializeBody } from '../core/bridge/prosemirror-to-mdx.ts';
import { checkMdxBody } from '../core/mdx-safety.ts';
import { ProblemError, type Problem } from '../core/problem.ts';
import { checkHtml } from '../scripts/lib/nu-html-checker.ts';

/** Bodies in the editor's canonical form, together covering every node, mark and component. */
const accepted: Record<string, string> = {
  'paragraphes et marques': 'Un *atelier*, un **forum**, du `code` et [un lien](https://example.org "titre").\n\nUne ligne\\\npuis une autre.\n',
  'titres de niveau 2 à 4': '## Pourquoi\n\n### Comment\n\n#### Détail\n',
  listes: '- un\n- deux\n  - deux bis\n\n1. premier\n2. second\n',
  citation: '> Une parole d’habitant.\n',
  code: '```yaml\ncle: valeur\n```\n',
  séparateur: 'Avant.\n\n---\n\nAprès.\n',
  'lien interne': 'Voir [la fiche](/fiches/jardin-partage/).\n',
  Encadre: '<Encadre type="astuce" titre="À retenir">\n\nCommencez petit.\n\n</Encadre>\n',
  Etape: '<Etape titre="Réunir" duree="2 h">\n\nInviter largement.\n\n</Etape>\n',
  Ressource: '<Ressource href="/fichiers/questionnaire.pdf" titre="Questionnaire" format="pdf" />\n',
  VoirAussi: '<VoirAussi cible="fiches/jardin-partage" />\n',
  'composants imbriqués': '<Etape titre="Écouter">\n\n- une liste\n\n<Encadre type="attention">\n\nPrudence.\n\n</Encadre>\n\n</Etape>\n',
  barré: 'Un prix ~~barré~~, environ ~30 €.\n',
  'liste à cocher': '- [ ] réserver la salle\n- [x] inviter les élus\n  - [ ] le maire\n',
  tableau: '| Matériel        | Coût \\| HT | Qté |\n| :-------------- | ---------: | :-: |\n| Bêche **forte** |       30 € |  2  |\n| Arrosoir        |   ~~12 €~~ |     |\n',
  'tableau sans ligne d’en-tête': '|   |   |\n| - | - |\n| a | b |\n',
  'tableau avec légende et en-têtes de ligne':
    '<Tableau titre="Calendrier des semis" entetes="colonne">\n\n| Légume  | Mars | Avril |\n| ------- | ---- | ----- |\n| Radis   | x    | x     |\n| Carotte |      | x     |\n\n</Tableau>\n',
  image: 'Le jardin :\n\n![Des bacs de légumes devant la mairie](/medias/fiches/jardin-partage/3f2a9c1e.webp)\n',
};

/** Bodies outside the subset; each must be refused everywhere at the given line. */
const refused: Record<string, { body: string; line: number }> = {
  'composant au milieu d’un paragraphe': { body: 'Voir <VoirAussi cible="fiches/jardin-partage" /> ici.\n', line: 1 },
  'titre de niveau 1': { body: 'Texte.\n\n# Titre\n', line: 3 },
  'titre de niveau 5': { body: '##### Trop profond\n', line: 1 },
  expression: { body: 'Un {calcul}.\n', line: 1 },
  import: { body: "import X from './x.js'\n\nTexte.\n", line: 1 },
  'HTML brut': { body: 'Un <b>gras</b>.\n', line: 1 },
  'composant inconnu': { body: '<Carte />\n', line: 1 },
  'attribut inconnu': { body: '<Encadre type="info" couleur="rouge">\n\nx\n\n</Encadre>\n', line: 1 },
  'lien javascript': { body: '[clic](javascript:alert(1))\n', line: 1 },
  'lien javascript caché par une tabulation': { body: 'Texte.\n\n[clic](java&#9;script:alert(1))\n', line: 3 },
  'ressource hors du site': { body: '<Ressource href="//evil.example/x" titre="Questionnaire" />\n', line: 1 },
  script: { body: '<script>alert(1)</script>\n', line: 1 },
  'image sans texte alternatif': { body: 'Texte.\n\n![](/medias/fiches/jardin-partage/a.jpg)\n', line: 3 },
  'image externe': { body: '![Un jardin](https://exemple.org/jardin.jpg)\n', line: 1 },
  'image au milieu d’un texte': { body: 'Voici ![un jardin](/medias/fiches/jardin-partage/a.jpg) en été.\n', line: 1 },
  'image dans un tableau': { body: '| a |\n| - |\n| ![b](/medias/fiches/x/b.png) |\n', line: 3 },
  'image hors de /medias/': { body: '![Un jardin](/images/jardin.jpg)\n', line: 1 },
  'ligne de tableau trop longue': { body: '| a |\n| - |\n| b | c |\n', line: 3 },
  'liste mêlant cases et puces': { body: '- [ ] a\n- b\n', line: 1 },
  'liste numérotée à cocher': { body: '1. [ ] a\n2. [x] b\n', line: 1 },
  '<Tableau> sans tableau': { body: '<Tableau titre="Vide">\n\nTexte.\n\n</Tableau>\n', line: 1 },
};

function refusalOf(run: () => unknown): Problem[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) return error.problems;
    throw error;
  }
  return [];
}

function typesIn(node: JSONContent, found: Set<string>): Set<string> {
  if (node.type) found.add(node.type);
  for (const mark of node.marks ?? []) found.add(`mark:${mark.type}`);
  for (const child of node.content ?? []) typesIn(child, found);
  return found;
}

describe('the safe subset', () => {
  it('covers every node and mark of the editor with the bodies below', () => {
    const seen = new Set<string>();
    for (const body of Object.values(accepted)) typesIn(mdxToProseMirror(body), seen);
    const all = [...Object.keys(bodySchema.nodes), ...Object.keys(bodySchema.marks).map((m) => `mark:${m}`)];
    expect(all.filter((type) => !seen.has(type))).toEqual([]);
  });

  it.each(Object.entries(accepted))('accepts « %s » in the validator, round-trips it through the editor unchanged, and renders it', (_name, body) => {
    expect(checkMdxBody(body).problems).toEqual([]);
    expect(serializeBody(mdxToProseMirror(body))).toBe(body);
    expect(renderBody(body).html.length).toBeGreaterThan(0);
  });

  it('renders all of it as valid HTML (Nu Html Checker)', async () => {
    const main = Object.entries(accepted)
      .map(([name, body]) => `<section><h2>${name}</h2>${renderBody(body).html}</section>`)
      .join('\n');
    const page = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Sous-ensemble</title></head><body><main>${main}</main></body></html>`;
    expect(await checkHtml({ html: page })).toEqual([]);
  }, 120_000);

  it.each(Object.entries(refused))('refuses « %s » in the validator, the editor and the renderer alike', (_name, { body, line }) => {
    const validator = checkMdxBody(body).problems;
    expect(validator.length, 'le validateur accepte').toBeGreaterThan(0);
    expect(validator[0]!.line).toBe(line);
    expect(refusalOf(() => mdxToProseMirror(body))[0]).toEqual(validator[0]);
    expect(refusalOf(() => renderBody(body))[0]).toEqual(validator[0]);
  });
});
