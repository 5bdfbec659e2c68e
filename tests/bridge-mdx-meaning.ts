/**
 * What an MDX body means, independently of how it is written: its mdast without positions,
 * looseness, markers, soft line breaks or reference-style links. Two bodies with the same meaning
 * render the same page, so the bridge may rewrite one into the other.
 */
import type { Definition, Nodes } from 'mdast';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

// The same syntax as bodies (tables, strikethrough, task lists), read without the project's parser.
const processor = unified()
  .use(remarkParse)
  .use(remarkMdx)
  .use(function gfmSubset() {
    const data = this.data();
    (data.micromarkExtensions ??= []).push(gfmTable(), gfmStrikethrough({ singleTilde: false }), gfmTaskListItem());
    (data.fromMarkdownExtensions ??= []).push(gfmTableFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTaskListItemFromMarkdown());
  });
const IGNORED_KEYS = new Set(['position', 'spread', 'children', 'data', 'referenceType', 'identifier', 'label', 'meta']);

type Meaning = { type: string; children?: Meaning[]; [key: string]: unknown };

/** The meaning of an MDX body, as a plain tree comparable with `toEqual`. */
export function meaningOf(body: string): Meaning {
  const tree = processor.parse(body);
  const definitions = new Map<string, Definition>();
  const collect = (node: Nodes) => {
    if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node);
    if ('children' in node) node.children.forEach(collect);
  };
  collect(tree);
  return clean(tree, definitions)!;
}

function clean(input: Nodes, definitions: Map<string, Definition>): Meaning | null {
  let node: Nodes = input;
  if (node.type === 'definition') return null;
  if (node.type === 'linkReference') {
    const definition = definitions.get(node.identifier);
    node = { type: 'link', url: definition?.url ?? '', title: definition?.title ?? null, children: node.children };
  }
  const out: Meaning = { type: node.type };
  for (const [key, value] of Object.entries(node)) if (!IGNORED_KEYS.has(key) && key !== 'type') out[key] = value;
  if (node.type === 'text') out.value = node.value.replace(/[ \t]*\n[ \t]*/g, ' ');
  if (node.type === 'list') out.start = node.ordered ? (node.start ?? 1) : null;
  if (node.type === 'link') out.title = node.title ?? null;
  if (node.type === 'code') out.lang = node.lang ?? null;
  if ('attributes' in node) {
    out.attributes = node.attributes.map((attribute) => ('name' in attribute ? { name: attribute.name, value: attribute.value } : attribute));
  }
  if ('children' in node) {
    const children: Meaning[] = [];
    for (const child of node.children as Nodes[]) {
      const cleaned = clean(child, definitions);
      if (!cleaned) continue;
      const last = children.at(-1);
      if (last?.type === 'text' && cleaned.type === 'text') last.value = String(last.value) + String(cleaned.value);
      else children.push(cleaned);
    }
    out.children = children;
  }
  // GFM shows a short table row with empty cells: the same table as one written with them.
  if (out.type === 'table' && out.children?.length) {
    const columns = out.children[0]!.children?.length ?? 0;
    for (const row of out.children) while ((row.children ??= []).length < columns) row.children.push({ type: 'tableCell', children: [] });
  }
  // `***x***` is emphasis around strong, the editor writes strong around emphasis: same rendering.
  const only = out.children?.length === 1 ? out.children[0]! : undefined;
  if (out.type === 'emphasis' && only?.type === 'strong') return { type: 'strong', children: [{ type: 'emphasis', children: only.children }] };
  return out;
}
