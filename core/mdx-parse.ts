/**
 * The one MDX parser of Terreau: the validator, the site's renderer and the editor's bridge all
 * read a body through `parseMdxBody`, so they can never disagree on what a body says.
 */
import type { Root } from 'mdast';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';
import { forbiddenElements } from '../schemas/mdx-components.ts';
import { ProblemError, type Problem } from './problem.ts';

/**
 * The three GFM constructs the editor can hold: tables, ~~strikethrough~~ and task lists. Not all
 * of GFM: its literal autolinks would turn every bare URL or e-mail address of an existing file
 * into a link (rewritten on its first edit), and its footnotes have no place in the editor. A
 * single tilde stays text (`~30 €` is an approximation, not a deletion).
 */
function gfmSubset(this: Processor): void {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmTable(), gfmStrikethrough({ singleTilde: false }), gfmTaskListItem());
  (data.fromMarkdownExtensions ??= []).push(gfmTableFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTaskListItemFromMarkdown());
}

const processor = unified().use(remarkParse).use(remarkMdx).use(gfmSubset);

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
