/**
 * « Chemin du site » means a path on this site: it starts with exactly one `/`. `//evil.example/x`
 * (or `/\evil.example`) is read by browsers as another host, so <Ressource> refuses it, in the
 * validator, the editor and the renderer alike.
 */
import { describe, expect, it } from 'vitest';
import { renderBody } from '../core/body-html.ts';
import { mdxToProseMirror } from '../core/bridge/mdx-to-prosemirror.ts';
import { checkMdxBody } from '../core/mdx-safety.ts';
import { ProblemError } from '../core/problem.ts';

const resource = (href: string) => `Texte.\n\n<Ressource href="${href}" titre="Questionnaire" format="pdf" />\n`;

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) return error.problems[0];
    throw error;
  }
  return undefined;
}

describe('the href of a <Ressource>', () => {
  it.each(['//evil.example/x', '///evil.example/x', '//evil.example', '/\\evil.example/x'])('refuses %s, which leaves the site', (href) => {
    const body = resource(href);
    const [problem] = checkMdxBody(body).problems;
    expect(problem).toMatchObject({ line: 3, field: '<Ressource href>' });
    expect(problem!.message).toMatch(/chemin (absolu )?du site/);
    expect(refusal(() => mdxToProseMirror(body))).toEqual(problem);
    expect(refusal(() => renderBody(body))).toEqual(problem);
  });

  it('accepts a path of the site and an https address', () => {
    for (const href of ['/fichiers/questionnaire.pdf', '/a/b_c.odt', 'https://example.org/affiche.pdf']) {
      expect(checkMdxBody(resource(href)).problems).toEqual([]);
      expect(renderBody(resource(href)).html).toContain(`href="${href}"`);
    }
  });
});
