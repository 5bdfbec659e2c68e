/**
 * Tables in the editor: the table node shows its caption above it (edited through a dialog), and
 * the toolbar asks here whether the selection is in a table and which headers it has. Only the
 * view is added: the schema stays the bridge's.
 */
import { Extension, type AnyExtension, type Editor } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import type { EditorView, NodeView } from '@tiptap/pm/view';
import { TableView } from '@tiptap/extension-table';
import { BodyTable } from '../../../core/bridge/body-extensions.ts';
import { askText } from './dialogs.ts';

/** The table around the selection, with its position, or undefined outside tables. */
export function currentTable(editor: Editor): { node: ProseMirrorNode; position: number } | undefined {
  const { $from } = editor.state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth);
    if (node.type.name === 'table') return { node, position: $from.before(depth) };
  }
  return undefined;
}

/** Whether the first row, and the first cell of every other row, are header cells (as the MDX says). */
export function tableHeaders(table: ProseMirrorNode): { row: boolean; column: boolean } {
  const rows: ProseMirrorNode[] = [];
  table.forEach((row) => rows.push(row));
  const isHeader = (cell: ProseMirrorNode | null | undefined) => cell?.type.name === 'tableHeader';
  const first: ProseMirrorNode[] = [];
  rows[0]?.forEach((cell) => first.push(cell));
  const row = first.length > 1 ? first.slice(1).every(isHeader) : isHeader(first[0]);
  const body = row ? rows.slice(1) : rows;
  return { row, column: body.length > 0 && body.every((r) => isHeader(r.firstChild)) };
}

/** Asks for the caption of the table at the selection and sets it (empty removes it). */
export async function editCaption(editor: Editor): Promise<void> {
  const table = currentTable(editor);
  if (!table) return;
  const answer = await askText('Légende du tableau', 'Légende', String(table.node.attrs.caption ?? ''), {
    maxLength: 200,
    help: 'Ce que le tableau présente, en quelques mots ; laissez vide pour ne pas en mettre.',
  });
  if (answer === null) return;
  const position = currentTable(editor)?.position ?? table.position;
  editor.chain().focus().command(({ tr }) => {
    tr.setNodeAttribute(position, 'caption', answer || null);
    return true;
  }).run();
}

/** Tiptap's table view with the caption shown above the rows (not editable in place). */
class CaptionedTableView implements NodeView {
  private readonly inner: TableView;
  private readonly caption: HTMLTableCaptionElement;
  dom: HTMLElement;
  contentDOM: HTMLElement;

  constructor(node: ProseMirrorNode, view: EditorView) {
    this.inner = new TableView(node, 25, view);
    this.caption = document.createElement('caption');
    this.caption.contentEditable = 'false';
    this.caption.className = 'tableau-legende';
    this.inner.table.prepend(this.caption);
    this.dom = this.inner.dom;
    this.contentDOM = this.inner.contentDOM;
    this.show(node);
  }

  private show(node: ProseMirrorNode): void {
    const caption = typeof node.attrs.caption === 'string' ? node.attrs.caption : '';
    this.caption.textContent = caption;
    this.caption.hidden = !caption;
  }

  update(node: ProseMirrorNode): boolean {
    if (!this.inner.update(node)) return false;
    this.show(node);
    return true;
  }

  ignoreMutation(mutation: MutationRecord | { type: 'selection'; target: Node }): boolean {
    return this.caption.contains(mutation.target) || this.inner.ignoreMutation(mutation as MutationRecord);
  }
}

/** The table node of the bridge, with its editor view. */
export function createTableViewExtension(): AnyExtension {
  return BodyTable.extend({
    addNodeView() {
      return ({ node, view }) => new CaptionedTableView(node, view);
    },
  });
}

/** A table cell is one line of Markdown: the line-break keys do nothing there (Tab moves on). */
export function createTableLineBreakGuard(): AnyExtension {
  return Extension.create({
    name: 'tableLineBreakGuard',
    // Before the hard break's own shortcuts.
    priority: 1000,
    addKeyboardShortcuts() {
      const inCell = () => currentTable(this.editor) !== undefined;
      return { 'Shift-Enter': inCell, 'Mod-Enter': inCell };
    },
  });
}
