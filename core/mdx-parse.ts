/**
 * The one MDX parser of Terreau: the validator, the site's renderer and the editor's bridge all
 * read a body through `parseMdxBody`, so they can never disagree on what a body says.
 */
import type { Root } from 'mdast';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { forbiddenElements } from '../schemas/mdx-components.ts';
import { ProblemError, type Problem } from './problem.ts';

const processor = unified().use(remarkParse).use(remarkMdx);

/** Parses an MDX body (no frontmatter) into mdast; throws `ProblemError` with body lines when it cannot. */
export function parseMdxBody(body: string): Root {
  try {
    return processor.parse(body);
  } catch (error) {
    throw new ProblemError(explainParseError(body, error));
  }
}

function explainParseError(body: string, error: unknown): Problem[] {
  // A forbidden tag often breaks parsing first (CSS braces read as expressions): name the tag.
  const forbidden = findForbiddenTags(body);
  if (forbidden.length) return forbidden;
  const place = error as { line?: number; reason?: string; message?: string };
  const reason = place.reason ?? place.message ?? '';
  return [{ line: place.line ?? 1, field: 'corps', message: `MDX illisible : ${reason}. ${parseHint(reason)}`.trim() }];
}

function findForbiddenTags(body: string): Problem[] {
  const pattern = new RegExp(`<(${forbiddenElements.join('|')})\\b`, 'i');
  return body.split('\n').flatMap((text, i) => {
    const match = pattern.exec(text);
    return match ? [{ line: i + 1, field: `<${match[1]}>`, message: `balise <${match[1]}> interdite dans un contenu contribué` }] : [];
  });
}

function parseHint(reason: string): string {
  if (/expression|acorn|\{/.test(reason)) return 'Une accolade { ouvre une expression, interdite : écrivez \\{ pour une accolade littérale.';
  if (/tag|<|jsx/i.test(reason)) return 'Un < ouvre une balise : écrivez \\< pour un chevron littéral, ou fermez le composant.';
  return '';
}
