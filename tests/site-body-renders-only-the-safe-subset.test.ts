/** Contributed bodies become HTML without being compiled to code: Markdown, the allow-listed components, escaped text. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitFrontmatter } from '../core/frontmatter.ts';
import { linkCrossReferences, renderBody } from '../core/body-html.ts';
import { formatProblem, ProblemError } from '../core/problem.ts';

const html = (body: string) => renderBody(body).html;

function refusal(body: string): string[] {
  try {
    renderBody(body);
  } catch (error) {
    if (error instanceof ProblemError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('le corps aurait dû être refusé');
}

describe('a body', () => {
  it('renders Markdown with heading anchors and French typography outside code', () => {
    const { html: out, headings } = renderBody("## L'état des lieux\n\nUn *atelier* -- puis **deux**... Voir [la fiche](/fiches/x/).\n\n- un\n- deux\n\n`l'apostrophe du code`\n\n## L'état des lieux\n");
    expect(out).toBe(
      '<h2 id="létat-des-lieux">L’état des lieux</h2>\n<p>Un <em>atelier</em> – puis <strong>deux</strong>… Voir <a href="/fiches/x/">la fiche</a>.</p>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n<p><code>l\'apostrophe du code</code></p>\n<h2 id="létat-des-lieux-1">L’état des lieux</h2>',
    );
    expect(headings).toEqual([
      { depth: 2, slug: 'létat-des-lieux', text: 'L’état des lieux' },
      { depth: 2, slug: 'létat-des-lieux-1', text: 'L’état des lieux' },
    ]);
  });

  it('renders each allow-listed component', () => {
    expect(html('<Encadre type="astuce">\n\nCommencez petit.\n\n</Encadre>')).toBe(
      '<aside class="encadre encadre--astuce" aria-label="Astuce"><p class="encadre__titre">Astuce</p><p>Commencez petit.</p></aside>',
    );
    expect(html('<Etape titre="Réunir" duree="2 h">\n\nInviter.\n\n</Etape>')).toBe(
      '<section class="etape"><h3 class="etape__titre">Réunir<span class="etape__duree"> · 2 h</span></h3><p>Inviter.</p></section>',
    );
    expect(html('<Ressource href="/fichiers/q.pdf" titre="Questionnaire" format="pdf" />')).toBe(
      '<span class="ressource"><a href="/fichiers/q.pdf">Questionnaire</a><span class="ressource__format">PDF</span></span>',
    );
    expect(html('<VoirAussi cible="fiches/jardin-partage" />')).toBe(
      '<p class="voir-aussi">Voir aussi : <a href="/fiches/jardin-partage/" data-voir-aussi="fiches/jardin-partage">fiches/jardin-partage</a></p>',
    );
  });

  it('escapes what contributors write, in text and in attributes', () => {
    expect(html('Un \\<b> et un & ici.')).toBe('<p>Un &#x3C;b> et un &#x26; ici.</p>');
    expect(html('<Encadre type="info" titre=\'Dire "oui" & <non>\'>\n\nTexte.\n\n</Encadre>')).toContain(
      'aria-label="Dire &#x22;oui&#x22; &#x26; <non>"><p class="encadre__titre">Dire "oui" &#x26; &#x3C;non></p>',
    );
  });

  it('is refused, with its line, when it leaves the safe subset', () => {
    expect(refusal('Texte.\n\n<script>alert(1)</script>')).toEqual(['3: <script>: balise <script> interdite dans un contenu contribué']);
    expect(refusal('Un {1 + 1}.')[0]).toMatch(/^1: expression: /);
    expect(refusal("import X from 'y'\n\nTexte.")[0]).toMatch(/^1: import: /);
    expect(refusal('Texte.\n\n<Encadre type={x}>\n\nA\n\n</Encadre>')[0]).toMatch(/^3: <Encadre type>: valeur non littérale interdite/);
    expect(refusal('<Carte lieu="x" />')[0]).toMatch(/^1: <Carte>: composant <Carte> non autorisé/);
    expect(refusal('[lien](javascript:alert(1))')[0]).toMatch(/^1: lien: adresse de lien interdite/);
    expect(refusal('Un <b>gras</b>.')[0]).toMatch(/^1: <b>: composant <b> non autorisé/);
  });
});

describe('cross-references', () => {
  const body = html('<VoirAussi cible="fiches/jardin-partage" />\n\n<VoirAussi cible="guides/absent" />');

  it('take their target’s title, escaped, when the page is built', () => {
    const linked = linkCrossReferences(body, (ref) => (ref === 'fiches/jardin-partage' ? { url: '/fiches/jardin-partage/', title: 'Jardins <partagés> & co', kind: 'fiche' } : undefined));
    expect(linked).toBe(
      '<p class="voir-aussi">Voir aussi : <a href="/fiches/jardin-partage/">Jardins &lt;partagés&gt; &amp; co</a><span class="muted"> (fiche)</span></p>\n' +
        '<p class="voir-aussi">Voir aussi : <span>guides/absent</span></p>',
    );
  });
});

describe('the seed commons', () => {
  it('renders every body without a refusal', async () => {
    const root = join(import.meta.dirname, '../content');
    let count = 0;
    for (const collection of ['fiches', 'guides', 'retours', 'structures', 'territoires']) {
      for (const file of (await readdir(join(root, collection))).filter((f) => f.endsWith('.mdx'))) {
        const { body } = splitFrontmatter(await readFile(join(root, collection, file), 'utf8'));
        expect(() => renderBody(body), `${collection}/${file}`).not.toThrow();
        count++;
      }
    }
    expect(count).toBeGreaterThan(70);
  });
});
