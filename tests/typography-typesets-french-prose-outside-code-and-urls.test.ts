import { describe, expect, it } from 'vitest';
import { NARROW_NBSP as N, NBSP as S, typesetFrench, typesetHtmlText } from '../core/typography.ts';

// Shown with visible marks so a failing case says which space is wrong.
const show = (text: string) => text.replaceAll(N, '⍽').replaceAll(S, '·');

describe('French typography', () => {
  it.each([
    ["L'état des lieux d'aujourd'hui", 'L’état des lieux d’aujourd’hui'],
    ['Par où commencer ?', 'Par où commencer⍽?'],
    ['Pourquoi? Parce que!', 'Pourquoi⍽? Parce que⍽!'],
    ['Quoi ?!', 'Quoi⍽?!'],
    ['Trois temps ; puis la suite', 'Trois temps⍽; puis la suite'],
    ['Voir aussi : la fiche', 'Voir aussi⍽: la fiche'],
    ['« Des résidences pour la résilience »', '«⍽Des résidences pour la résilience⍽»'],
    ['«Expérimentons»', '«⍽Expérimentons⍽»'],
    ['1 410 organisations et 1 020 personnes', '1⍽410 organisations et 1⍽020 personnes'],
    ['5 510 € TTC pour 6 mois', '5⍽510·€ TTC pour 6 mois'],
    ['au moins 50 % de produits durables', 'au moins 50·% de produits durables'],
    ['à 30 km du bourg, 2 h de route, 3 ha de prés', 'à 30·km du bourg, 2·h de route, 3·ha de prés'],
    ['Un atelier -- puis un autre... et ---', 'Un atelier – puis un autre… et —'],
  ])('typesets %j', (input, expected) => {
    expect(show(typesetFrench(input))).toBe(expected);
  });

  it.each([
    ['a time', 'Rendez-vous à 10:30 à la mairie'],
    ['a year and an INSEE code', 'En 2021, la commune 86158 comptait 6285 habitants'],
    ['a word that starts like a unit', 'En 3 heures, 2 mois et 3 haies'],
    ['a colon with no space before it', 'Note: voir plus bas'],
    ['English quotes', 'He said "hello" and \'goodbye\''],
  ])('leaves %s unchanged', (_case, input) => {
    expect(typesetFrench(input)).toBe(input);
  });

  it('never touches URLs, e-mail addresses, code spans or HTML entities', () => {
    const input = "Voir https://example.org/a:b?c=1&d=2!x ; écrire à qui@example.org ; `l'a : b ?` ; A &amp; B &lt; C";
    expect(show(typesetFrench(input))).toBe("Voir https://example.org/a:b?c=1&d=2!x⍽; écrire à qui@example.org⍽; `l'a : b ?`⍽; A &amp; B &lt; C");
  });

  it('is idempotent: typeset text is left as it is', () => {
    const once = typesetFrench("« L'été » : 1 400 habitants, 50 %, à 10:30 ; pourquoi ? https://x.org/?a=b");
    expect(typesetFrench(once)).toBe(once);
    expect(typesetHtmlText(`<p>${once}</p>`)).toBe(`<p>${once}</p>`);
  });

  it('typesets the text of an HTML page but not its tags, attribute values, code or scripts', () => {
    const html = [
      '<title>Par où commencer ? — Terreau</title>',
      '<meta name="description" content="Par où commencer ?">',
      '<a href="/x/?a=b" title="l\'a : b">L&#39;état des lieux</a> : <em>«mot»</em>',
      "<pre><code>l'a : b ?</code></pre><code>x ; y</code>",
      '<script type="application/ld+json">{"name":"l\'a : b ?"}</script>',
      '<!-- l\'a : b ? --><p>Fin ?</p>',
    ].join('\n');
    expect(show(typesetHtmlText(html))).toBe(
      [
        '<title>Par où commencer⍽? — Terreau</title>',
        '<meta name="description" content="Par où commencer ?">',
        '<a href="/x/?a=b" title="l\'a : b">L’état des lieux</a>⍽: <em>«⍽mot⍽»</em>',
        "<pre><code>l'a : b ?</code></pre><code>x ; y</code>",
        '<script type="application/ld+json">{"name":"l\'a : b ?"}</script>',
        '<!-- l\'a : b ? --><p>Fin⍽?</p>',
      ].join('\n'),
    );
  });
});
