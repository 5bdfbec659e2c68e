/**
 * The editor's document model, shared by the browser editor and the server: Tiptap extensions whose
 * schema maps one to one onto the safe MDX subset (see `mdx-to-prosemirror.ts`). The browser adds
 * node views and collaboration on top; it must never add nodes or marks, or the server could not
 * serialise what it receives.
 */
import { getSchema, mergeAttributes, Node, type AnyExtension, type Attributes } from '@tiptap/core';
import { Code } from '@tiptap/extension-code';
import { Image } from '@tiptap/extension-image';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table';
import { StarterKit } from '@tiptap/starter-kit';
import type { Schema } from '@tiptap/pm/model';
import { mdxComponents } from '../../schemas/mdx-components.ts';

/** Links the editor accepts: https/http URLs, site paths and in-page anchors (as the validator). */
export const ALLOWED_LINK = /^(https?:\/\/|\/|#)/i;

/**
 * Names of the allow-listed components that are editor nodes of their own (the same name). A
 * `table` component (`<Tableau>`) is not: it is the caption and row headers of a table node.
 */
export const componentNames = Object.keys(mdxComponents).filter((name) => mdxComponents[name]!.kind !== 'table');

/** One attribute per component attribute; absent attributes are `null`, rendered as `data-*`. */
function componentAttributes(name: string): Attributes {
  const definition = mdxComponents[name]!;
  return Object.fromEntries(
    Object.keys(definition.attributes).map((attribute) => [
      attribute,
      {
        default: null,
        parseHTML: (element: HTMLElement) => element.getAttribute(`data-${attribute}`),
        renderHTML: (attrs: Record<string, unknown>) => (attrs[attribute] == null ? {} : { [`data-${attribute}`]: attrs[attribute] }),
      },
    ]),
  );
}

/** Builds the editor node of an allow-listed component: block components wrap blocks, atoms have none. */
function createComponentNode(name: string) {
  const definition = mdxComponents[name]!;
  const block = definition.kind === 'block';
  return Node.create({
    name,
    group: 'block',
    content: block ? 'block+' : undefined,
    atom: !block,
    // A component is a unit: pasting inside it must not split it, dragging moves it whole.
    defining: block,
    isolating: block,
    draggable: !block,
    selectable: true,
    addAttributes: () => componentAttributes(name),
    parseHTML: () => [{ tag: `${block ? 'section' : 'div'}[data-composant="${name}"]` }],
    renderHTML: ({ HTMLAttributes }) =>
      block
        ? ['section', mergeAttributes({ 'data-composant': name, class: `composant composant-${name}` }, HTMLAttributes), 0]
        : ['div', mergeAttributes({ 'data-composant': name, class: `composant composant-${name}` }, HTMLAttributes)],
  });
}

/** Editor nodes of the allow-listed components, by component name. */
export const componentNodes = Object.fromEntries(componentNames.map((name) => [name, createComponentNode(name)]));

/**
 * A GFM table: one line per row, so a cell holds one paragraph of text (no lists, no line breaks).
 * Its caption, when it has one, is written as `<Tableau titre="…">` around it.
 */
export const BodyTable = Table.extend({
  addAttributes() {
    return {
      caption: {
        default: null,
        parseHTML: (element: HTMLElement) => element.getAttribute('data-legende'),
        renderHTML: (attrs: Record<string, unknown>) => (attrs.caption ? { 'data-legende': attrs.caption } : {}),
      },
    };
  },
});
const BodyTableCell = TableCell.extend({ content: 'paragraph' });
const BodyTableHeader = TableHeader.extend({ content: 'paragraph' });

/**
 * An image of the commons, alone on its line: `![alt](/medias/…)`. Only images of the commons are
 * read from pasted HTML; another site's image must be uploaded (the validator refuses it).
 */
export const BodyImage = Image.extend({
  addAttributes() {
    return { src: { default: null }, alt: { default: null } };
  },
  parseHTML() {
    return [{ tag: 'img[src^="/medias/"]' }];
  },
}).configure({ inline: false, allowBase64: false });

/** The Tiptap extensions of an entry body; `undoRedo` must stay off under collaboration. */
export function createBodyExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      heading: { levels: [2, 3, 4] },
      underline: false,
      code: false,
      undoRedo: false,
      // Every client appending its own trailing paragraph on open would be an edit (and a commit)
      // per visit; the gap cursor already lets people type after a final component.
      trailingNode: false,
      link: {
        openOnClick: false,
        autolink: false,
        linkOnPaste: true,
        protocols: ['https', 'http'],
        HTMLAttributes: { target: null, rel: null, class: null },
        isAllowedUri: (url) => ALLOWED_LINK.test(url),
      },
    }),
    // Markdown lets code sit inside bold or a link; Tiptap's default code mark excludes every mark.
    Code.extend({ excludes: '' }),
    BodyTable,
    TableRow,
    BodyTableHeader,
    BodyTableCell,
    TaskList,
    TaskItem.configure({ nested: true }),
    BodyImage,
    ...Object.values(componentNodes),
  ];
}

/** The ProseMirror schema of an entry body (the same in the browser and on the server). */
export const bodySchema: Schema = getSchema(createBodyExtensions());
