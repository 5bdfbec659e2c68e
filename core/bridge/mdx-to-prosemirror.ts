/**
 * MDX body → ProseMirror JSON of `body-extensions.ts`. Markdown that the editor cannot hold
 * (images inside text, inline components, expressions…) is refused with its line rather than dropped, so a
 * round trip through the editor never loses text silently. Differences that carry no meaning are
 * normalised: soft line breaks become spaces, reference links become inline links, list
 * looseness and markers are forgotten (the serialiser writes one canonical form).
 */
import type { JSONContent } from '@tiptap/core';
import type { BlockContent, Definition, DefinitionContent, ListItem, Nodes, PhrasingContent, Root, RootContent, Table } from 'mdast';
import type { MdxJsxAttribute, MdxJsxExpressionAttribute, MdxJsxFlowElement } from 'mdast-util-mdx';
import { mdxComponents } from '../../schemas/mdx-components.ts';
import { parseMdxBody } from '../mdx-parse.ts';
import { checkMdxTree } from '../mdx-safety.ts';
import { ProblemError } from '../problem.ts';

/** A body the editor cannot represent: one problem, at its body line, field `corps`. */
function refuse(line: number, message: string): ProblemError {
  return new ProblemError([{ line, field: 'corps', message }]);
}

type Mark = { type: string; attrs?: Record<string, unknown> };

/** Parses an MDX body (no frontmatter) into the ProseMirror JSON of a `doc` node; throws `ProblemError`. */
export function mdxToProseMirror(text: string): JSONContent {
  const tree: Root = parseMdxBody(text);
  // One rule set: what the validator refuses, the editor refuses, with the same words.
  const { problems } = checkMdxTree(tree);
  if (problems.length) throw new ProblemError(problems);
  const definitions = collectDefinitions(tree);
  const content = convertBlocks(tree.children, definitions);
  return { type: 'doc', content: content.length ? content : [{ type: 'paragraph' }] };
}

function collectDefinitions(tree: Root): Map<string, Definition> {
  const definitions = new Map<string, Definition>();
  const visit = (node: Nodes) => {
    if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return definitions;
}

function lineOf(node: Nodes): number {
  return node.position?.start.line ?? 1;
}

function convertBlocks(nodes: (RootContent | BlockContent | DefinitionContent)[], definitions: Map<string, Definition>): JSONContent[] {
  return nodes.flatMap((node) => convertBlock(node, definitions));
}

function convertBlock(node: RootContent, definitions: Map<string, Definition>): JSONContent[] {
  switch (node.type) {
    case 'paragraph':
      // An image alone on its line is a block of its own (the rule set refuses it anywhere else).
      if (node.children.length === 1 && node.children[0]!.type === 'image') {
        const image = node.children[0];
        return [{ type: 'image', attrs: { src: image.url, alt: image.alt ?? null } }];
      }
      return [paragraph(convertInlines(node.children, [], definitions))];
    case 'heading':
      if (node.depth < 2 || node.depth > 4) {
        throw refuse(lineOf(node), `titre de niveau ${node.depth} : l’éditeur accepte les niveaux 2 à 4 (##, ###, ####)`);
      }
      return [withContent({ type: 'heading', attrs: { level: node.depth } }, convertInlines(node.children, [], definitions))];
    case 'thematicBreak':
      return [{ type: 'horizontalRule' }];
    case 'blockquote':
      return [{ type: 'blockquote', content: nonEmptyBlocks(convertBlocks(node.children, definitions)) }];
    case 'list':
      if (node.children.some((item) => typeof item.checked === 'boolean')) {
        return [{ type: 'taskList', content: node.children.map((item) => ({ ...listItem(item, definitions), type: 'taskItem', attrs: { checked: item.checked === true } })) }];
      }
      return [
        node.ordered
          ? { type: 'orderedList', attrs: { start: node.start ?? 1 }, content: node.children.map((item) => listItem(item, definitions)) }
          : { type: 'bulletList', content: node.children.map((item) => listItem(item, definitions)) },
      ];
    case 'code':
      return [withContent({ type: 'codeBlock', attrs: { language: node.lang ?? null } }, node.value ? [{ type: 'text', text: node.value }] : [])];
    case 'definition':
      // Resolved into the links that use it.
      return [];
    case 'table':
      return [table(node, { caption: null, rowHeaders: false }, definitions)];
    case 'mdxJsxFlowElement':
      return [component(node, definitions)];
    case 'html':
      throw refuse(lineOf(node), 'HTML brut non pris en charge : écrivez en Markdown');
    case 'mdxFlowExpression':
      throw refuse(lineOf(node), 'expression {…} non prise en charge : écrivez \\{ pour une accolade');
    case 'mdxjsEsm':
      throw refuse(lineOf(node), 'import/export non pris en charge dans un contenu');
    default:
      throw refuse(lineOf(node), `élément « ${node.type} » non pris en charge par l’éditeur`);
  }
}

function listItem(item: ListItem, definitions: Map<string, Definition>): JSONContent {
  const blocks = convertBlocks(item.children, definitions);
  // The editor's list item starts with a paragraph; an empty one is dropped again on the way back.
  if (blocks[0]?.type !== 'paragraph') blocks.unshift({ type: 'paragraph' });
  return { type: 'listItem', content: blocks };
}

function component(node: MdxJsxFlowElement, definitions: Map<string, Definition>): JSONContent {
  const line = lineOf(node);
  const name = node.name ?? '';
  const definition = mdxComponents[name];
  if (!definition) throw notAllowed(line, name);
  const attrs: Record<string, string | null> = Object.fromEntries(Object.keys(definition.attributes).map((key) => [key, null]));
  for (const attribute of node.attributes as (MdxJsxAttribute | MdxJsxExpressionAttribute)[]) {
    if (attribute.type !== 'mdxJsxAttribute' || typeof attribute.value !== 'string') {
      throw refuse(line, `<${name}> : attributs littéraux seulement, sous la forme nom="valeur"`);
    }
    if (!(attribute.name in attrs)) {
      throw refuse(line, `<${name}> : attribut ${attribute.name} inconnu ; attributs admis : ${Object.keys(definition.attributes).join(', ')}`);
    }
    attrs[attribute.name] = attribute.value;
  }
  if (definition.kind === 'atom') {
    if (node.children.length > 0) throw refuse(line, `<${name}> n’a pas de contenu : écrivez-le fermé, <${name} … />`);
    return { type: name, attrs };
  }
  if (definition.kind === 'table') {
    const child = node.children[0];
    if (node.children.length !== 1 || child?.type !== 'table') throw refuse(line, `<${name}> entoure un seul tableau`);
    return table(child, { caption: attrs.titre ?? null, rowHeaders: attrs.entetes === 'colonne' }, definitions);
  }
  return { type: name, attrs, content: nonEmptyBlocks(convertBlocks(node.children as RootContent[], definitions)) };
}

/**
 * A GFM table as the editor's table. The first row holds the column headers, unless all its cells
 * are empty: GFM needs a header row, so an empty one stands for « no header row ». Rows shorter
 * than the header get empty cells, as GFM renders them; alignment is kept on every cell.
 */
function table(node: Table, options: { caption: string | null; rowHeaders: boolean }, definitions: Map<string, Definition>): JSONContent {
  const columns = node.children[0]!.children.length;
  const hasHeaderRow = node.children[0]!.children.some((cell) => cell.children.length > 0);
  // A table that is only an empty header row keeps it as its one (empty) row.
  const rows = hasHeaderRow || node.children.length === 1 ? node.children : node.children.slice(1);
  const content = rows.map((row, rowIndex) => ({
    type: 'tableRow',
    content: Array.from({ length: columns }, (_, column) => {
      const header = (hasHeaderRow && rowIndex === 0) || (options.rowHeaders && column === 0);
      const align = node.align?.[column] ?? null;
      const inlines = convertInlines(row.children[column]?.children ?? [], [], definitions);
      return { type: header ? 'tableHeader' : 'tableCell', ...(align ? { attrs: { align } } : {}), content: [paragraph(inlines)] };
    }),
  }));
  return { type: 'table', ...(options.caption ? { attrs: { caption: options.caption } } : {}), content };
}

function notAllowed(line: number, name: string | null | undefined): ProblemError {
  const hint = /^[a-z]/.test(name ?? '') ? ' ; le HTML brut n’est pas accepté, écrivez en Markdown' : '';
  return refuse(line, `composant <${name ?? ''}> non autorisé (composants autorisés : ${Object.keys(mdxComponents).join(', ')})${hint}`);
}

function nonEmptyBlocks(blocks: JSONContent[]): JSONContent[] {
  return blocks.length ? blocks : [{ type: 'paragraph' }];
}

function paragraph(content: JSONContent[]): JSONContent {
  return withContent({ type: 'paragraph' }, content);
}

function withContent(node: JSONContent, content: JSONContent[]): JSONContent {
  return content.length ? { ...node, content } : node;
}

function convertInlines(nodes: PhrasingContent[], marks: Mark[], definitions: Map<string, Definition>): JSONContent[] {
  const out: JSONContent[] = [];
  for (const node of nodes) {
    for (const converted of convertInline(node, marks, definitions)) {
      const last = out[out.length - 1];
      // Adjacent texts with the same marks are one ProseMirror text node.
      if (last && last.type === 'text' && converted.type === 'text' && sameMarks(last.marks, converted.marks)) {
        last.text = (last.text ?? '') + (converted.text ?? '');
      } else {
        out.push(converted);
      }
    }
  }
  return out;
}

function convertInline(node: PhrasingContent, marks: Mark[], definitions: Map<string, Definition>): JSONContent[] {
  switch (node.type) {
    case 'text':
      // A soft line break inside a paragraph means a space; the serialiser never wraps lines.
      return textNode(node.value.replace(/[ \t]*\r?\n[ \t]*/g, ' '), marks);
    case 'inlineCode':
      return textNode(node.value, addMark(marks, { type: 'code' }));
    case 'emphasis':
      return convertInlines(node.children, addMark(marks, { type: 'italic' }), definitions);
    case 'strong':
      return convertInlines(node.children, addMark(marks, { type: 'bold' }), definitions);
    case 'delete':
      return convertInlines(node.children, addMark(marks, { type: 'strike' }), definitions);
    case 'link':
      return convertInlines(node.children, addMark(marks, linkMark(node.url, node.title ?? null)), definitions);
    case 'linkReference': {
      const definition = definitions.get(node.identifier);
      if (!definition) throw refuse(lineOf(node), `lien « [${node.label ?? node.identifier}] » sans définition`);
      return convertInlines(node.children, addMark(marks, linkMark(definition.url, definition.title ?? null)), definitions);
    }
    case 'break':
      return [{ type: 'hardBreak' }];
    case 'image':
    case 'imageReference':
      throw refuse(lineOf(node), 'image au milieu d’un texte : placez ![…](…) seule sur sa ligne, précédée et suivie d’une ligne vide');
    case 'mdxJsxTextElement':
      if (!mdxComponents[node.name ?? '']) throw notAllowed(lineOf(node), node.name);
      throw refuse(
        lineOf(node),
        `composant <${node.name ?? ''}> au milieu d’un paragraphe : l’éditeur le veut seul sur sa ligne, précédé et suivi d’une ligne vide`,
      );
    case 'mdxTextExpression':
      throw refuse(lineOf(node), 'expression {…} non prise en charge : écrivez \\{ pour une accolade');
    case 'html':
      throw refuse(lineOf(node), 'HTML brut non pris en charge : écrivez en Markdown');
    default:
      throw refuse(lineOf(node), `élément « ${node.type} » non pris en charge par l’éditeur`);
  }
}

function linkMark(href: string, title: string | null): Mark {
  return { type: 'link', attrs: { href, title } };
}

function textNode(text: string, marks: Mark[]): JSONContent[] {
  if (!text) return [];
  return [marks.length ? { type: 'text', text, marks } : { type: 'text', text }];
}

// ProseMirror keeps marks in schema order; sorting here keeps the JSON stable whatever the nesting.
const MARK_ORDER = ['link', 'bold', 'italic', 'strike', 'code'];

function addMark(marks: Mark[], mark: Mark): Mark[] {
  // An inner link replaces an outer one, as in ProseMirror (links do not nest).
  const kept = marks.filter((existing) => existing.type !== mark.type);
  return [...kept, mark].sort((a, b) => MARK_ORDER.indexOf(a.type) - MARK_ORDER.indexOf(b.type));
}

function sameMarks(a: Mark[] | undefined, b: Mark[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}
