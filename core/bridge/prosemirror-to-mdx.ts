/**
 * ProseMirror JSON of `body-extensions.ts` → MDX body, in one canonical form: ATX headings, `-`
 * bullets, `1.` numbers, `*emphasis*`, `**strong**`, `---` rules, fenced code, no line wrapping,
 * components alone on their lines with their children between blank lines, attributes in the
 * order of `schemas/mdx-components.ts`, `~~strikethrough~~`, `- [ ]` check-lists, images alone on
 * their line, and tables with their pipes aligned (as Prettier and GitHub's editor write them),
 * wrapped in `<Tableau …>` when they have a caption or row headers. Escaping is left to mdast-util-to-markdown, which knows
 * where `*`, `#`, `1.`, `<` or `{` would change the meaning of text.
 */
import type { JSONContent } from '@tiptap/core';
import type { AlignType, BlockContent, ListItem, PhrasingContent, Root, RootContent, Table, TableCell, TableRow } from 'mdast';
import { gfmStrikethroughToMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableToMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemToMarkdown } from 'mdast-util-gfm-task-list-item';
import type { MdxJsxAttribute, MdxJsxFlowElement } from 'mdast-util-mdx';
import { mdxToMarkdown } from 'mdast-util-mdx';
import { toMarkdown, type Handle, type Options, type Unsafe } from 'mdast-util-to-markdown';
import { mdxComponents } from '../../schemas/mdx-components.ts';

type Mark = { type: string; attrs?: Record<string, unknown> };
type InlineItem = { kind: 'text' | 'break'; text: string; marks: Mark[] };

/** Writes a component as the seed content does: tags alone on their lines, children between blank lines. */
const writeFlowComponent: Handle = (node: MdxJsxFlowElement, _parent, state, info) => {
  const attributes = node.attributes
    .map((attribute) => (attribute.type === 'mdxJsxAttribute' ? ` ${attribute.name}="${encodeAttribute(String(attribute.value))}"` : ''))
    .join('');
  if (node.children.length === 0) return `<${node.name}${attributes} />`;
  const exit = state.enter('mdxJsxFlowElement');
  const children = state.containerFlow(node, info);
  exit();
  return `<${node.name}${attributes}>\n\n${children}\n\n</${node.name}>`;
};

/**
 * Bodies are read with single tildes as text (`~30 €`), so only a tilde next to another one could
 * start a strikethrough and needs escaping; GFM's own rule escapes every tilde.
 */
const strikethrough: Options = {
  ...gfmStrikethroughToMarkdown(),
  unsafe: (['before', 'after'] as const).map(
    (side): Unsafe => ({ character: '~', [side]: '~', inConstruct: 'phrasing', notInConstruct: gfmStrikethroughToMarkdown().unsafe![0]!.notInConstruct }),
  ),
};

const markdownOptions: Options = {
  extensions: [mdxToMarkdown(), gfmTableToMarkdown({ tableCellPadding: true, tablePipeAlign: true }), strikethrough, gfmTaskListItemToMarkdown()],
  handlers: { mdxJsxFlowElement: writeFlowComponent },
  bullet: '-',
  bulletOrdered: '.',
  emphasis: '*',
  strong: '*',
  rule: '-',
  fence: '`',
  fences: true,
  listItemIndent: 'one',
  incrementListMarker: true,
  // MDX has no autolinks (`<https://…>` would open a tag): always write `[text](url)`.
  resourceLink: true,
  setext: false,
  closeAtx: false,
  tightDefinitions: true,
  // A paragraph that starts with the word import or export would be read by MDX as ESM (and
  // refused): write its first letter as a character reference, which reads back as the letter.
  unsafe: [
    { character: 'i', atBreak: true, after: 'mport\\b' },
    { character: 'e', atBreak: true, after: 'xport\\b' },
  ],
};

/** Serialises the ProseMirror JSON of a `doc` node to an MDX body ending with one newline ('' when empty). */
export function serializeBody(doc: JSONContent): string {
  const root: Root = { type: 'root', children: convertBlocks(doc.content ?? []) as RootContent[] };
  if (root.children.length === 0) return '';
  return toMarkdown(root, markdownOptions);
}

function convertBlocks(nodes: JSONContent[]): BlockContent[] {
  return nodes.flatMap((node) => convertBlock(node));
}

function convertBlock(node: JSONContent): BlockContent[] {
  switch (node.type) {
    case 'paragraph': {
      const children = convertInlines(node.content ?? []);
      // Empty paragraphs (the editor's trailing line, double Enter) have no Markdown form.
      return children.length ? [{ type: 'paragraph', children }] : [];
    }
    case 'heading': {
      const children = convertInlines(node.content ?? []);
      const depth = Math.min(Math.max(Number(node.attrs?.level ?? 2), 2), 4) as 2 | 3 | 4;
      return children.length ? [{ type: 'heading', depth, children }] : [];
    }
    case 'horizontalRule':
      return [{ type: 'thematicBreak' }];
    case 'blockquote': {
      const children = convertBlocks(node.content ?? []);
      return children.length ? [{ type: 'blockquote', children }] : [];
    }
    case 'image': {
      const src = typeof node.attrs?.src === 'string' ? node.attrs.src : '';
      const alt = typeof node.attrs?.alt === 'string' ? node.attrs.alt.replace(/\s+/g, ' ').trim() : '';
      return src ? [{ type: 'paragraph', children: [{ type: 'image', url: src, alt, title: null }] }] : [];
    }
    case 'table':
      return convertTable(node);
    case 'taskList': {
      const children: ListItem[] = (node.content ?? []).flatMap((item) => {
        const blocks = convertBlocks(item.content ?? []);
        // `- [ ]` with nothing after it is not a check-box in GFM: an emptied item has no form.
        if (blocks.length === 0) return [];
        const spread = blocks.some((block, index) => index > 0 && block.type !== 'list');
        return [{ type: 'listItem', spread, checked: item.attrs?.checked === true, children: blocks }];
      });
      return children.length ? [{ type: 'list', ordered: false, start: null, spread: false, children }] : [];
    }
    case 'bulletList':
    case 'orderedList': {
      const ordered = node.type === 'orderedList';
      const start = ordered ? Math.max(0, Math.trunc(Number(node.attrs?.start ?? 1))) : null;
      const children: ListItem[] = (node.content ?? []).map((item) => {
        const blocks = convertBlocks(item.content ?? []);
        // Only a sublist may follow an item's text on the next line; anything else (a component,
        // a quote) needs a blank line or it would be read as part of the paragraph.
        const spread = blocks.some((block, index) => index > 0 && block.type !== 'list');
        return { type: 'listItem', spread, children: blocks };
      });
      return [{ type: 'list', ordered, start, spread: false, children }];
    }
    case 'codeBlock': {
      const value = (node.content ?? []).map((child) => child.text ?? '').join('');
      const lang = typeof node.attrs?.language === 'string' && node.attrs.language ? node.attrs.language : null;
      return [{ type: 'code', lang, value }];
    }
    default:
      return convertComponent(node);
  }
}

function convertComponent(node: JSONContent): BlockContent[] {
  const definition = node.type ? mdxComponents[node.type] : undefined;
  // Unknown nodes cannot come from the editor's schema; dropping them would lose text silently.
  if (!definition || !node.type) throw new Error(`noeud « ${node.type} » inconnu du schéma de l’éditeur`);
  const attributes = Object.keys(definition.attributes).flatMap((name) => {
    const value = node.attrs?.[name];
    return value == null || value === '' ? [] : [{ type: 'mdxJsxAttribute' as const, name, value: String(value).replace(/\s*\n\s*/g, ' ') }];
  });
  const children = definition.kind === 'block' ? convertBlocks(node.content ?? []) : [];
  const element: MdxJsxFlowElement = { type: 'mdxJsxFlowElement', name: node.type, attributes, children };
  return [element];
}

/**
 * The editor's table as GFM, on a grid: merged cells (from a pasted HTML table) are spread back
 * over the cells they cover, the text first. Without a header row, an empty one is written (GFM
 * needs one; the reader takes an empty header row for « none »). Row headers and the caption go
 * to a `<Tableau>` around the table.
 */
function convertTable(node: JSONContent): BlockContent[] {
  const grid: (JSONContent | null)[][] = [];
  (node.content ?? []).forEach((row, rowIndex) => {
    grid[rowIndex] ??= [];
    let column = 0;
    for (const cell of row.content ?? []) {
      while (grid[rowIndex]![column] !== undefined) column++;
      const colspan = Math.max(1, Number(cell.attrs?.colspan ?? 1));
      const rowspan = Math.max(1, Number(cell.attrs?.rowspan ?? 1));
      for (let r = 0; r < rowspan; r++) {
        for (let c = 0; c < colspan; c++) (grid[rowIndex + r] ??= [])[column + c] = r === 0 && c === 0 ? cell : null;
      }
      column += colspan;
    }
  });
  const columns = Math.max(1, ...grid.map((row) => row.length));
  if (grid.length === 0) return [];
  const isHeader = (cell: JSONContent | null | undefined) => cell?.type === 'tableHeader';
  const hasHeaderRow = grid[0]!.every((cell) => cell === null || isHeader(cell)) && grid[0]!.some(isHeader);
  const body = hasHeaderRow ? grid.slice(1) : grid;
  const rowHeaders = body.length > 0 && body.every((row) => isHeader(row[0]));
  const align: AlignType[] = Array.from({ length: columns }, (_, column) => {
    // Cells added in the editor have no alignment of their own: the column's is the first one set.
    const value = grid.map((row) => row[column]).find((cell) => cell?.attrs?.align)?.attrs?.align;
    return value === 'left' || value === 'right' || value === 'center' ? value : null;
  });
  const toRow = (cells: (JSONContent | null | undefined)[]): TableRow => ({
    type: 'tableRow',
    children: Array.from({ length: columns }, (_, column): TableCell => ({ type: 'tableCell', children: cellInlines(cells[column]) })),
  });
  const rows = [hasHeaderRow ? toRow(grid[0]!) : toRow([]), ...body.map(toRow)];
  const table: Table = { type: 'table', align, children: rows };
  const caption = typeof node.attrs?.caption === 'string' ? node.attrs.caption.replace(/\s+/g, ' ').trim() : '';
  if (!caption && !rowHeaders) return [table];
  const attributes: MdxJsxAttribute[] = [
    ...(caption ? [{ type: 'mdxJsxAttribute' as const, name: 'titre', value: caption }] : []),
    ...(rowHeaders ? [{ type: 'mdxJsxAttribute' as const, name: 'entetes', value: 'colonne' }] : []),
  ];
  return [{ type: 'mdxJsxFlowElement', name: 'Tableau', attributes, children: [table] }];
}

/** A cell's text on one line: its paragraphs joined and its line breaks made spaces. */
function cellInlines(cell: JSONContent | null | undefined): PhrasingContent[] {
  const inlines = (cell?.content ?? []).flatMap((block, index) => [
    ...(index > 0 ? [{ type: 'text', text: ' ' }] : []),
    ...(block.content ?? []).map((inline) => (inline.type === 'hardBreak' ? { type: 'text', text: ' ', marks: inline.marks } : inline)),
  ]);
  return convertInlines(inlines);
}

/** Character references are decoded in MDX attribute values, so `"` and `&…;` must be encoded. */
function encodeAttribute(value: string): string {
  return value.replace(/&(?=#?[a-zA-Z0-9]+;)/g, '&amp;').replace(/"/g, '&quot;');
}

function convertInlines(nodes: JSONContent[]): PhrasingContent[] {
  const items: InlineItem[] = nodes.flatMap((node): InlineItem[] => {
    const marks = (node.marks ?? []) as Mark[];
    if (node.type === 'hardBreak') return [{ kind: 'break', text: '', marks }];
    if (node.type === 'text' && node.text) return [{ kind: 'text', text: node.text.replace(/\r?\n/g, ' '), marks }];
    return [];
  });
  trimEdges(items);
  return toPhrasing(items, []);
}

/** Markdown drops a paragraph's edge spaces and reads a final `\` as text: remove both first. */
function trimEdges(items: InlineItem[]): void {
  const isCode = (item: InlineItem) => item.marks.some((mark) => mark.type === 'code');
  while (items.length && (items[0]!.kind === 'break' || (!isCode(items[0]!) && !items[0]!.text.trim()))) items.shift();
  while (items.length && (items.at(-1)!.kind === 'break' || (!isCode(items.at(-1)!) && !items.at(-1)!.text.trim()))) items.pop();
  if (items.length && !isCode(items[0]!)) items[0] = { ...items[0]!, text: items[0]!.text.trimStart() };
  if (items.length && !isCode(items.at(-1)!)) items[items.length - 1] = { ...items.at(-1)!, text: items.at(-1)!.text.trimEnd() };
}

function sameMark(a: Mark, b: Mark): boolean {
  if (a.type !== b.type) return false;
  if (a.type !== 'link') return true;
  return a.attrs?.href === b.attrs?.href && (a.attrs?.title ?? null) === (b.attrs?.title ?? null);
}

const MARK_ORDER = ['link', 'bold', 'italic', 'strike'];

/**
 * Nests flat ProseMirror marks into mdast: at each point the mark that runs longest opens first,
 * so `**a *b***` stays one strong with an emphasis inside rather than two strongs.
 */
function toPhrasing(items: InlineItem[], open: Mark[]): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let index = 0;
  while (index < items.length) {
    const item = items[index]!;
    const candidates = item.marks
      .filter((mark) => MARK_ORDER.includes(mark.type) && !open.some((opened) => sameMark(opened, mark)))
      .sort((a, b) => MARK_ORDER.indexOf(a.type) - MARK_ORDER.indexOf(b.type));
    if (candidates.length === 0 || item.kind === 'break') {
      out.push(toLeaf(item));
      index++;
      continue;
    }
    let best = candidates[0]!;
    let bestEnd = index;
    for (const mark of candidates) {
      let end = index;
      while (end < items.length && items[end]!.kind === 'text' && items[end]!.marks.some((other) => sameMark(other, mark))) end++;
      if (end > bestEnd) {
        best = mark;
        bestEnd = end;
      }
    }
    out.push(...wrap(best, items.slice(index, bestEnd), [...open, best]));
    index = bestEnd;
  }
  return out;
}

function wrap(mark: Mark, items: InlineItem[], open: Mark[]): PhrasingContent[] {
  if (mark.type === 'link') {
    const title = typeof mark.attrs?.title === 'string' && mark.attrs.title ? mark.attrs.title : null;
    return [{ type: 'link', url: String(mark.attrs?.href ?? ''), title, children: toPhrasing(items, open) }];
  }
  // Emphasis on spaces alone has no Markdown form: the spaces stay, unemphasised.
  if (items.every((item) => item.kind === 'text' && !item.text.trim() && !item.marks.some((m) => m.type === 'code'))) {
    return toPhrasing(items, open);
  }
  // `** a**` is not strong in Markdown: spaces at the edges of emphasis move outside it.
  const before = leadingSpace(items);
  const after = trailingSpace(items);
  const children = toPhrasing(items.filter((item) => item.kind === 'break' || item.text), open);
  const node: PhrasingContent =
    mark.type === 'bold' ? { type: 'strong', children } : mark.type === 'strike' ? { type: 'delete', children } : { type: 'emphasis', children };
  return [...(before ? [{ type: 'text' as const, value: before }] : []), node, ...(after ? [{ type: 'text' as const, value: after }] : [])];
}

function leadingSpace(items: InlineItem[]): string {
  const first = items[0];
  if (!first || first.kind !== 'text' || first.marks.some((mark) => mark.type === 'code')) return '';
  const space = /^\s*/.exec(first.text)![0];
  items[0] = { ...first, text: first.text.slice(space.length) };
  return space;
}

function trailingSpace(items: InlineItem[]): string {
  const last = items.at(-1);
  if (!last || last.kind !== 'text' || last.marks.some((mark) => mark.type === 'code')) return '';
  const space = /\s*$/.exec(last.text)![0];
  items[items.length - 1] = { ...last, text: last.text.slice(0, last.text.length - space.length) };
  return space;
}

function toLeaf(item: InlineItem): PhrasingContent {
  if (item.kind === 'break') return { type: 'break' };
  if (item.marks.some((mark) => mark.type === 'code')) return { type: 'inlineCode', value: item.text };
  return { type: 'text', value: item.text };
}
