/**
 * Putting an image in the body: from the toolbar's file chooser, a paste or a drop, the file is
 * described and credited in a dialog, sent to the server (which commits it to the commons), then
 * inserted where it was asked for. An image already in the body can be described again.
 */
import type { Editor } from '@tiptap/core';
import { NodeSelection } from '@tiptap/pm/state';
import { askImage, askText, MAX_ALT_LENGTH } from './dialogs.ts';
import { uploadImage } from './media-api.ts';

/** What inserting an image needs to know of the open entry. */
export interface ImageContext {
  /** The entry, `collection/slug`. */
  doc: string;
  /** The name proposed as the image's author. */
  author: string;
}

/** The image files among dropped or pasted files (the server decides what they really are). */
export function imageFiles(files: FileList | null | undefined): File[] {
  return [...(files ?? [])].filter((file) => file.type.startsWith('image/') || /\.(jpe?g|png|webp)$/i.test(file.name));
}

/** Describes, credits, uploads and inserts `file` at `position` (the selection when absent). */
export async function insertImage(editor: Editor, context: ImageContext, file: File, position?: number): Promise<boolean> {
  let inserted: { src: string; alt: string } | undefined;
  const done = await askImage(file, { auteur: context.author }, async (alt, credits) => {
    const { src } = await uploadImage(context.doc, file, credits);
    inserted = { src, alt };
  });
  if (!done || !inserted) return false;
  const content = { type: 'image', attrs: inserted };
  const chain = editor.chain().focus();
  (position === undefined ? chain.insertContent(content) : chain.insertContentAt(Math.min(position, editor.state.doc.content.size), content)).run();
  return true;
}

/** Opens the file chooser, then inserts the chosen image at the selection. */
export function chooseImage(editor: Editor, context: ImageContext): void {
  const input = Object.assign(document.createElement('input'), { type: 'file', accept: 'image/jpeg,image/png,image/webp' });
  input.addEventListener('change', () => {
    const [file] = imageFiles(input.files);
    if (file) void insertImage(editor, context, file);
  });
  input.click();
}

/** The image node selected, if any. */
export function selectedImage(editor: Editor): { alt: string; position: number } | undefined {
  const { selection } = editor.state;
  if (!(selection instanceof NodeSelection) || selection.node.type.name !== 'image') return undefined;
  return { alt: String(selection.node.attrs.alt ?? ''), position: selection.from };
}

/** Asks again what the selected image shows. */
export async function editImageDescription(editor: Editor): Promise<void> {
  const image = selectedImage(editor);
  if (!image) return;
  const answer = await askText('Décrire l’image', 'Ce que montre l’image (texte alternatif)', image.alt, { required: true, maxLength: MAX_ALT_LENGTH });
  if (answer === null) return;
  editor.chain().focus().command(({ tr }) => {
    tr.setNodeAttribute(image.position, 'alt', answer);
    return true;
  }).run();
}
