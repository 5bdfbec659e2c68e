/**
 * Markdown that is easy to get wrong goes through the editor's model and back without changing
 * meaning; what is not canonical is rewritten once, then stays; what the editor cannot hold is
 * refused with its line and how to fix it.
 */
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { mdxToProseMirror } from '../core/bridge/mdx-to-prosemirror.ts';
import { formatProblem, ProblemError } from '../core/problem.ts';
import { serializeBody } from '../core/bridge/prosemirror-to-mdx.ts';
import { meaningOf } from './bridge-mdx-meaning.ts';

const roundTrip = (markdown: string) => serializeBody(mdxToProseMirror(markdown));
const longLine = `${'Une phrase longue, avec des accents et des virgules, qui ne sera jamais coupée. '.repeat(30).trim()}\n`;

/** Bodies already in canonical form: written back byte for byte. */
const canonical: Record<string, string> = {
  'nested lists': '- un\n  - deux\n    - trois\n  - quatre\n- cinq\n',
  'numbered list starting at 3': '3. trois\n4. quatre\n5. cinq\n',
  'list items with several paragraphs': '- premier paragraphe\n\n  second paragraphe\n- suite\n',
  'emphasis inside links': 'Voir [un *lien* **fort** et `code`](https://exemple.fr/page) ici.\n',
  'links inside emphasis': '*Lire [la fiche](/fiches/jardin-partage/) avant tout.*\n',
  'escaped characters': '1\\. pas une liste\n\n\\# pas un titre\n\n\\- pas une puce\n\n\\*pas\\* \\_souligné\\_ \\<pas une balise> \\{pas une expression}\n',
  'underscores inside words': 'Le fichier mon_fichier_final reste lisible.\n',
  'components with nested lists': '<Encadre type="astuce" titre="Listes imbriquées">\n\n- un\n  - deux\n\n1. premier\n2. second\n\n</Encadre>\n',
  'empty components': '<Encadre type="info" />\n\n<Etape titre="Étape vide" />\n',
  'atoms keep every attribute in schema order': '<Ressource href="/fichiers/questionnaire.pdf" titre="Questionnaire type" format="PDF" />\n\n<VoirAussi cible="fiches/jardin-partage" />\n',
  'components nested in components': '<Etape titre="Préparer" duree="une soirée">\n\nTexte.\n\n<Encadre type="attention">\n\nÀ ne pas oublier.\n\n</Encadre>\n\n</Etape>\n',
  'components inside list items': '- avant\n\n  <VoirAussi cible="guides/enquete-collective" />\n- après\n',
  'attribute values with quotes and ampersands': '<Encadre type="exemple" titre="Le &quot;bon&quot; moment &amp;#38; R&D">\n\nTexte.\n\n</Encadre>\n',
  accents: 'Élus, agents et habitants : « Par où commencer ? » — l’œuvre d’une commune de 800 habitants… 🌱\n',
  'long lines are never wrapped': longLine,
  'hard breaks': 'Ligne un\\\nligne deux\n',
  headings: '## Deux\n\n### Trois *en italique*\n\n#### Quatre avec [lien](/guides/)\n',
  'blockquote with a list': '> Citation\n>\n> - avec\n> - liste\n',
  'inline code with backticks': 'Écrire ``a ` b`` ou `c`.\n',
  'fenced code': '```yaml\ntitre: "Exemple"\n```\n',
  'bold and italic together': '**_tout_** puis **gras *et italique* dedans** puis *italique __et gras__*\n',
  'marks inside words': 'in**croy**able et a*b*c\n',
  'thematic break': 'Avant\n\n---\n\nAprès\n',
  'two lists in a row keep apart': '- un\n- deux\n\n* trois\n',
  'link with a title': '[Terreau](https://exemple.fr "Le commun")\n',
  'paragraphs that start with the words import and export': '&#x69;mport de semences locales\n\n&#x65;xport des surplus\n\nimporter et exporter\n',
};

/** Bodies written otherwise: rewritten once into the canonical form shown. */
const rewritten: [string, string, string][] = [
  ['star bullets become dashes', '* un\n* deux\n', '- un\n- deux\n'],
  ['loose lists become tight', '- un\n\n- deux\n', '- un\n- deux\n'],
  ['parenthesis numbers become dots', '1) un\n2) deux\n', '1. un\n2. deux\n'],
  ['underscore emphasis becomes stars', '_un_ et __deux__\n', '*un* et **deux**\n'],
  ['wrapped paragraphs are joined', 'Une ligne\ncoupée en\ndeux.\n', 'Une ligne coupée en deux.\n'],
  ['two-space hard breaks become backslashes', 'Ligne un  \nligne deux\n', 'Ligne un\\\nligne deux\n'],
  ['setext headings become ATX', 'Titre\n-----\n', '## Titre\n'],
  ['closed ATX headings are opened', '## Titre ##\n', '## Titre\n'],
  ['rules become dashes', '***\n\n___\n', '---\n\n---\n'],
  ['reference links become inline links', 'Voir [la fiche][f].\n\n[f]: /fiches/x/\n', 'Voir [la fiche](/fiches/x/).\n'],
  ['empty component written open and closed is self-closed', '<Encadre type="info"></Encadre>\n', '<Encadre type="info" />\n'],
  ['indented component children are unindented', '<Encadre type="info">\n  Texte.\n</Encadre>\n', '<Encadre type="info">\n\nTexte.\n\n</Encadre>\n'],
  ['needless escapes are dropped', 'mon\\_fichier\\_final\n', 'mon_fichier_final\n'],
  ['triple stars become strong around emphasis', '***tout***\n', '**_tout_**\n'],
  ['entities are decoded', 'Pierre &amp; Marie, caf&eacute;\n', 'Pierre & Marie, café\n'],
];

describe('tricky Markdown round-trips through the editor model', () => {
  it.each(Object.entries(canonical))('%s: written back byte for byte', (_name, markdown) => {
    expect(roundTrip(markdown)).toBe(markdown);
  });

  it.each(rewritten)('%s: rewritten once, then stable, same meaning', (_name, markdown, expected) => {
    const once = roundTrip(markdown);
    expect(once).toBe(expected);
    expect(roundTrip(once)).toBe(once);
    expect(meaningOf(once)).toEqual(meaningOf(markdown));
  });
});

const text = (value: string, ...marks: JSONContent['marks'] & object): JSONContent => (marks.length ? { type: 'text', text: value, marks } : { type: 'text', text: value });
const bold = { type: 'bold' };
const italic = { type: 'italic' };
const code = { type: 'code' };
const paragraph = (...content: JSONContent[]): JSONContent => (content.length ? { type: 'paragraph', content } : { type: 'paragraph' });
const doc = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content });

describe('what people type in the editor is written as Markdown that reads back the same', () => {
  it.each([
    ['characters that would start a block', ['# pas un titre', '- pas une puce', '+ pas une puce', '1. pas une liste', '> pas une citation', '---', '<Encadre type="info" />', '{expression}', '*étoiles*', '[pas un lien](x)', '    quatre espaces', '```']],
  ])('%s stay text', (_name, lines) => {
    const input = doc(...lines.map((line) => paragraph(text(line.trim()))));
    const markdown = serializeBody(input);
    expect(mdxToProseMirror(markdown)).toEqual(input);
    expect(serializeBody(mdxToProseMirror(markdown))).toBe(markdown);
  });

  it('moves spaces out of bold and italic, where Markdown would not see the emphasis', () => {
    const input = doc(paragraph(text('Du '), text('gras ', bold), text('puis'), text(' italique', italic), text(' fin')));
    expect(serializeBody(input)).toBe('Du **gras** puis *italique* fin\n');
  });

  it('nests overlapping marks so they read back as typed', () => {
    const input = doc(paragraph(text('a', bold), text('b', bold, italic), text('c', italic), text(' '), text('d', bold, code)));
    const markdown = serializeBody(input);
    expect(mdxToProseMirror(markdown)).toEqual(input);
  });

  it('drops empty paragraphs, edge spaces and trailing hard breaks, which Markdown cannot hold', () => {
    const input = doc(paragraph(), paragraph(text('  texte  '), { type: 'hardBreak' }), paragraph(), paragraph(text('fin')));
    expect(serializeBody(input)).toBe('texte\n\nfin\n');
    expect(serializeBody(doc(paragraph()))).toBe('');
  });

  it('writes line breaks typed inside a text as spaces', () => {
    expect(serializeBody(doc(paragraph(text('une\nligne'))))).toBe('une ligne\n');
  });

  it('keeps list items whose text was emptied', () => {
    const input = doc({ type: 'bulletList', content: [{ type: 'listItem', content: [paragraph()] }, { type: 'listItem', content: [paragraph(text('b'))] }] });
    const markdown = serializeBody(input);
    expect(markdown).toBe('-\n- b\n');
    expect(mdxToProseMirror(markdown)).toEqual(input);
  });
});

describe('what the editor cannot hold is refused with its line', () => {
  const refusal = (markdown: string) => {
    try {
      mdxToProseMirror(markdown);
    } catch (error) {
      if (error instanceof ProblemError) return error.problems.map(formatProblem).join('\n');
      throw error;
    }
    throw new Error('accepted');
  };

  it('names the line and the fix', () => {
    expect(refusal('Texte\n\n# Titre\n')).toMatchInlineSnapshot(`"3: titre: titre de niveau 1 (#) interdit dans le corps : le titre vient du frontmatter, commencez à ##"`);
    expect(refusal('![photo](/img.png)\n')).toMatchInlineSnapshot(`"1: image: adresse d’image inconnue (/img.png) : une image du commun s’écrit /medias/<collection>/<slug>/<nom>.jpg, .png ou .webp ; téléversez l’image depuis l’éditeur"`);
    expect(refusal('Voir <VoirAussi cible="fiches/x" /> ici.\n')).toMatchInlineSnapshot(`"1: <VoirAussi>: composant au milieu d’un paragraphe : placez <VoirAussi … /> seul sur sa ligne, précédé et suivi d’une ligne vide"`);
    expect(refusal('Un {calcul}.\n')).toMatchInlineSnapshot(`"1: expression: expression {…} interdite : écrivez le texte tel quel (pour une accolade, écrivez \\{ )"`);
    expect(refusal('<Carte />\n')).toMatchInlineSnapshot(`"1: <Carte>: composant <Carte> non autorisé (composants autorisés : Encadre, Etape, Ressource, Tableau, VoirAussi)"`);
    expect(refusal('<Ressource href="/x.pdf" titre="X">texte</Ressource>\n')).toMatchInlineSnapshot(`"1: <Ressource>: composant au milieu d’un paragraphe : placez <Ressource … /> seul sur sa ligne, précédé et suivi d’une ligne vide"`);
    expect(refusal('<Encadre type={x} />\n')).toMatchInlineSnapshot(`"1: <Encadre type>: valeur non littérale interdite : écrivez la valeur entre guillemets, par exemple titre="Étape 1""`);
    expect(refusal('<Encadre type="info" couleur="rouge" />\n')).toMatchInlineSnapshot(`"1: <Encadre couleur>: attribut inconnu ; attributs admis : type, titre"`);
    expect(refusal('Un <b>gras</b> HTML.\n')).toMatchInlineSnapshot(`"1: <b>: composant <b> non autorisé (composants autorisés : Encadre, Etape, Ressource, Tableau, VoirAussi) ; le HTML brut n’est pas accepté, écrivez en Markdown"`);
  });
});
