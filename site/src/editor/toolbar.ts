/**
 * The toolbar: only what the safe MDX subset can hold. Every action is a real <button> with an
 * aria-label; toggles say whether they are on with aria-pressed; actions that do not apply where
 * the selection is (the table actions outside a table) are disabled. Arrow keys move between
 * buttons (one tab stop for the whole bar, as the WAI toolbar pattern asks). In a table, Tab and
 * Shift+Tab move between cells (Tab in the last cell adds a row).
 */
import type { Editor } from '@tiptap/core';
import { ALLOWED_LINK } from '../../../core/bridge/body-extensions.ts';
import { chooseImage, editImageDescription, selectedImage, type ImageContext } from './image-insertion.ts';
import { currentTable, editCaption, tableHeaders } from './table-tools.ts';

/** What the buttons work with besides the editor: the link dialog, and where images go (null: nowhere). */
interface ToolbarTools {
  linkDialog: { open(): void };
  images: ImageContext | null;
}

interface ToolbarAction {
  label: string;
  /** Text on the button (a short symbol or word). */
  text: string;
  run(editor: Editor, tools: ToolbarTools): void;
  /** For toggles: whether the action is on at the selection. */
  active?(editor: Editor): boolean;
  /** Whether the action applies where the selection is (always, when absent). */
  enabled?(editor: Editor): boolean;
  group: string;
}

const inTable = (editor: Editor) => currentTable(editor) !== undefined;
const headersOf = (editor: Editor) => {
  const table = currentTable(editor);
  return table ? tableHeaders(table.node) : { row: false, column: false };
};

/**
 * The link dialog, in the page (a modal <dialog>, not the browser's prompt()): the address is
 * checked as it is applied, a refusal is said next to the field, and the field keeps what was typed.
 */
function createLinkDialog(editor: Editor): { open(): void } {
  const dialog = document.createElement('dialog');
  dialog.className = 'dialogue-lien';
  dialog.setAttribute('aria-labelledby', 'dialogue-lien-titre');
  dialog.innerHTML = `<form method="dialog" class="editeur-formulaire-court">
    <h2 id="dialogue-lien-titre">Lien</h2>
    <label for="dialogue-lien-adresse">Adresse du lien</label>
    <input id="dialogue-lien-adresse" name="adresse" type="text" inputmode="url" autocomplete="off" spellcheck="false" aria-describedby="dialogue-lien-aide dialogue-lien-erreur" />
    <p id="dialogue-lien-aide" class="champ-aide">Une adresse https://… ou un chemin du site, comme /fiches/jardin-partage/</p>
    <p id="dialogue-lien-erreur" class="champ-messages" role="alert"></p>
    <div class="dialogue-boutons">
      <button type="submit" value="appliquer">Appliquer</button>
      <button type="button" class="bouton-secondaire" data-action="retirer">Retirer le lien</button>
      <button type="button" class="bouton-secondaire" data-action="annuler">Annuler</button>
    </div>
  </form>`;
  document.body.append(dialog);
  const form = dialog.querySelector('form')!;
  const input = dialog.querySelector<HTMLInputElement>('input')!;
  const error = dialog.querySelector<HTMLElement>('#dialogue-lien-erreur')!;
  const remove = dialog.querySelector<HTMLButtonElement>('[data-action="retirer"]')!;
  const close = () => {
    dialog.close();
    editor.commands.focus();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const href = input.value.trim();
    if (href === '') {
      editor.chain().focus().extendMarkRange('link').unsetLink().run();
      return close();
    }
    if (!ALLOWED_LINK.test(href)) {
      error.textContent = 'Adresse refusée : une adresse complète commençant par https:// (ou http://), ou un chemin du site commençant par /, est attendue.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    dialog.close();
    if (editor.state.selection.empty && !editor.isActive('link')) {
      // Nothing selected: the address becomes the text of the link.
      editor.chain().focus().insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
    } else {
      editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
    }
  });
  remove.addEventListener('click', () => {
    editor.chain().focus().extendMarkRange('link').unsetLink().run();
    dialog.close();
  });
  dialog.querySelector('[data-action="annuler"]')!.addEventListener('click', close);
  return {
    open() {
      input.value = (editor.getAttributes('link').href as string | undefined) ?? '';
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      remove.hidden = !editor.isActive('link');
      dialog.showModal();
      input.select();
    },
  };
}

function insertComponent(editor: Editor, type: string, attrs: Record<string, string | null>, block: boolean): void {
  const content = block ? [{ type: 'paragraph' }] : undefined;
  editor.chain().focus().insertContent({ type, attrs, ...(content ? { content } : {}) }).run();
}

const actions: ToolbarAction[] = [
  { group: 'texte', label: 'Gras', text: 'G', run: (e) => e.chain().focus().toggleBold().run(), active: (e) => e.isActive('bold') },
  { group: 'texte', label: 'Italique', text: 'I', run: (e) => e.chain().focus().toggleItalic().run(), active: (e) => e.isActive('italic') },
  { group: 'texte', label: 'Barré', text: 'S̶', run: (e) => e.chain().focus().toggleStrike().run(), active: (e) => e.isActive('strike') },
  { group: 'texte', label: 'Code', text: '</>', run: (e) => e.chain().focus().toggleCode().run(), active: (e) => e.isActive('code') },
  { group: 'texte', label: 'Lien', text: 'Lien', run: (_e, tools) => tools.linkDialog.open(), active: (e) => e.isActive('link') },
  ...([2, 3, 4] as const).map((level) => ({
    group: 'blocs',
    label: `Titre de niveau ${level}`,
    text: `T${level}`,
    run: (e: Editor) => e.chain().focus().toggleHeading({ level }).run(),
    active: (e: Editor) => e.isActive('heading', { level }),
  })),
  { group: 'blocs', label: 'Liste à puces', text: '•', run: (e) => e.chain().focus().toggleBulletList().run(), active: (e) => e.isActive('bulletList') },
  { group: 'blocs', label: 'Liste numérotée', text: '1.', run: (e) => e.chain().focus().toggleOrderedList().run(), active: (e) => e.isActive('orderedList') },
  { group: 'blocs', label: 'Liste à cocher', text: '☑', run: (e) => e.chain().focus().toggleTaskList().run(), active: (e) => e.isActive('taskList') },
  { group: 'blocs', label: 'Citation', text: '«»', run: (e) => e.chain().focus().toggleBlockquote().run(), active: (e) => e.isActive('blockquote') },
  { group: 'blocs', label: 'Séparateur', text: '—', run: (e) => e.chain().focus().setHorizontalRule().run() },
  // A table cell is one line of Markdown: no line break there.
  { group: 'blocs', label: 'Retour à la ligne', text: '↵', run: (e) => e.chain().focus().setHardBreak().run(), enabled: (e) => !inTable(e) },
  {
    group: 'tableau',
    label: 'Insérer un tableau',
    text: 'Tableau',
    run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
    enabled: (e) => !inTable(e),
  },
  { group: 'tableau', label: 'Ajouter une ligne', text: '+ ligne', run: (e) => e.chain().focus().addRowAfter().run(), enabled: inTable },
  { group: 'tableau', label: 'Ajouter une colonne', text: '+ colonne', run: (e) => e.chain().focus().addColumnAfter().run(), enabled: inTable },
  { group: 'tableau', label: 'Supprimer la ligne', text: '− ligne', run: (e) => e.chain().focus().deleteRow().run(), enabled: inTable },
  { group: 'tableau', label: 'Supprimer la colonne', text: '− colonne', run: (e) => e.chain().focus().deleteColumn().run(), enabled: inTable },
  { group: 'tableau', label: 'Ligne d’en-tête', text: 'En-tête', run: (e) => e.chain().focus().toggleHeaderRow().run(), active: (e) => headersOf(e).row, enabled: inTable },
  {
    group: 'tableau',
    label: 'Première colonne en en-tête',
    text: '1re col.',
    run: (e) => e.chain().focus().toggleHeaderColumn().run(),
    active: (e) => headersOf(e).column,
    enabled: inTable,
  },
  { group: 'tableau', label: 'Légende du tableau', text: 'Légende', run: (e) => void editCaption(e), enabled: inTable },
  { group: 'tableau', label: 'Supprimer le tableau', text: '✕ tableau', run: (e) => e.chain().focus().deleteTable().run(), enabled: inTable },
  { group: 'composants', label: 'Insérer un encadré', text: 'Encadré', run: (e) => insertComponent(e, 'Encadre', { type: 'info', titre: null }, true) },
  { group: 'composants', label: 'Insérer une étape', text: 'Étape', run: (e) => insertComponent(e, 'Etape', { titre: 'Nouvelle étape', duree: null }, true) },
  { group: 'composants', label: 'Insérer une ressource à télécharger', text: 'Ressource', run: (e) => insertComponent(e, 'Ressource', { href: null, titre: null, format: null }, false) },
  { group: 'composants', label: 'Insérer un renvoi « Voir aussi »', text: 'Voir aussi', run: (e) => insertComponent(e, 'VoirAussi', { cible: null }, false) },
  { group: 'composants', label: 'Insérer une image', text: 'Image', run: (e, tools) => tools.images && chooseImage(e, tools.images), enabled: (e) => !inTable(e) },
  { group: 'composants', label: 'Décrire l’image sélectionnée', text: 'Décrire', run: (e) => void editImageDescription(e), enabled: (e) => selectedImage(e) !== undefined },
  { group: 'historique', label: 'Annuler', text: '↶', run: (e) => e.chain().focus().undo().run() },
  { group: 'historique', label: 'Rétablir', text: '↷', run: (e) => e.chain().focus().redo().run() },
];

/**
 * Renders the toolbar into `container` and keeps its pressed and disabled states in step with the
 * selection; `context` says where images go (null: no image button works, as for a reader).
 */
export function createToolbar(container: HTMLElement, editor: Editor, context: ImageContext | null): { setEditable(editable: boolean): void } {
  container.setAttribute('role', 'toolbar');
  container.setAttribute('aria-label', 'Mise en forme');
  const buttons: { button: HTMLButtonElement; action: ToolbarAction }[] = [];
  const tools: ToolbarTools = { linkDialog: createLinkDialog(editor), images: context };
  let group: HTMLElement | undefined;
  for (const action of actions) {
    if (!group || group.dataset.groupe !== action.group) {
      group = document.createElement('div');
      group.className = 'barre-groupe';
      group.dataset.groupe = action.group;
      container.append(group);
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `bouton-outil outil-${action.group}`;
    button.textContent = action.text;
    button.setAttribute('aria-label', action.label);
    button.title = action.label;
    button.tabIndex = buttons.length === 0 ? 0 : -1;
    if (action.active) button.setAttribute('aria-pressed', 'false');
    // Keep the editor's selection: a mousedown on a button would otherwise blur it first.
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', () => action.run(editor, tools));
    group.append(button);
    buttons.push({ button, action });
  }
  container.addEventListener('keydown', (event) => {
    const index = buttons.findIndex(({ button }) => button === document.activeElement);
    if (index < 0) return;
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: buttons.length - 1 };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = buttons[(target + buttons.length) % buttons.length]!.button;
    buttons.forEach(({ button }) => (button.tabIndex = button === next ? 0 : -1));
    next.focus();
  });
  let editable = true;
  const refresh = () => {
    for (const { button, action } of buttons) {
      if (action.active) button.setAttribute('aria-pressed', String(action.active(editor)));
      button.disabled = !editable || (action.enabled ? !action.enabled(editor) : false);
    }
  };
  editor.on('transaction', refresh);
  editor.on('selectionUpdate', refresh);
  refresh();
  return {
    setEditable(value) {
      editable = value;
      refresh();
    },
  };
}
