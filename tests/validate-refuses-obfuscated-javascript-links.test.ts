/**
 * A link whose scheme hides behind character references, tabs or line breaks (`java&#9;script:`)
 * is what a browser reads as `javascript:` once it strips them: the validator refuses it with its
 * line, as it refuses `javascript:`, and so do the editor and the renderer (one rule set).
 */
import { describe, expect, it } from 'vitest';
import { renderBody } from '../core/body-html.ts';
import { mdxToProseMirror } from '../core/bridge/mdx-to-prosemirror.ts';
import { checkMdxBody } from '../core/mdx-safety.ts';
import { ProblemError } from '../core/problem.ts';

const hidden: Record<string, string> = {
  'tabulation codée': 'Texte.\n\n[clic](java&#9;script:alert(1))\n',
  'saut de ligne codé': 'Texte.\n\n[clic](java&#10;script:alert(1))\n',
  'retour chariot codé': 'Texte.\n\n[clic](java&#13;script:alert(1))\n',
  'lettres codées et tabulation': 'Texte.\n\n[clic](&#x6A;ava&#x09;script:alert(1))\n',
  'espaces en tête': 'Texte.\n\n[clic](&#32;&#12;java&#9;script:alert(1))\n',
  'définition de lien': 'Texte.\n\n[clic][x]\n\n[x]: vb&#9;script:msgbox(1)\n',
  'data: coupé': 'Texte.\n\n[clic](da&#9;ta:text/html,x)\n',
};

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) return error.problems[0];
    throw error;
  }
  return undefined;
}

describe('links whose scheme is hidden', () => {
  it.each(Object.entries(hidden))('are refused with their line (%s)', (_name, body) => {
    const [problem] = checkMdxBody(body).problems;
    expect(problem).toMatchObject({ field: 'lien', message: expect.stringMatching(/adresse de lien interdite/) });
    expect(problem!.line).toBe(body.split('\n').findIndex((line) => /script|ta:/.test(line)) + 1);
    expect(refusal(() => mdxToProseMirror(body))).toEqual(problem);
    expect(refusal(() => renderBody(body))).toEqual(problem);
  });

  it('name the scheme the browser would see', () => {
    expect(checkMdxBody('[clic](java&#9;script:alert(1))\n').problems[0]!.message).toMatchInlineSnapshot(
      `"adresse de lien interdite (javascript:) : utilisez une adresse https:// ou un chemin du site"`,
    );
  });

  it('still accept ordinary links', () => {
    for (const url of ['https://example.org/java&#9;script', '/fiches/jardin-partage/', 'mailto:contact@example.org', '#etape-2']) {
      expect(checkMdxBody(`[lien](${url})\n`).problems).toEqual([]);
    }
  });
});
