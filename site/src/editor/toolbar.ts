/**
 * The toolbar: only what the safe MDX subset can hold. Every action is a real <button> with an
 * aria-label; toggles say whether they are on with aria-pressed. Arrow keys move between buttons
 * (one tab stop for the whole bar, as the WAI toolbar pattern asks).
 */
import type { Editor } from '@tiptap/core';
import { ALLOWED_LINK } from '../../../core/bridge/body-extensions.ts';

interface ToolbarAction {
  label: string;
  /** Text on the button (a short symbol or word). */
  text: string;
  run(editor: Editor, tools: { linkDialog: { open(): void } }): void;
  /** For toggles: whether the action is on at the selection. */
  active?(editor: Editor): boolean;
  group: string;
}

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
  { group: 'blocs', label: 'Citation', text: '«»', run: (e) => e.chain().focus().toggleBlockquote().run(), active: (e) => e.isActive('blockquote') },
  { group: 'blocs', label: 'Séparateur', text: '—', run: (e) => e.chain().focus().setHorizontalRule().run() },
  { group: 'blocs', label: 'Retour à la ligne', text: '↵', run: (e) => e.chain().focus().setHardBreak().run() },
  { group: 'composants', label: 'Insérer un encadré', text: 'Encadré', run: (e) => insertComponent(e, 'Encadre', { type: 'info', titre: null }, true) },
  { group: 'composants', label: 'Insérer une étape', text: 'Étape', run: (e) => insertComponent(e, 'Etape', { titre: 'Nouvelle étape', duree: null }, true) },
  { group: 'composants', label: 'Insérer une ressource à télécharger', text: 'Ressource', run: (e) => insertComponent(e, 'Ressource', { href: null, titre: null, format: null }, false) },
  { group: 'composants', label: 'Insérer un renvoi « Voir aussi »', text: 'Voir aussi', run: (e) => insertComponent(e, 'VoirAussi', { cible: null }, false) },
  { group: 'historique', label: 'Annuler', text: '↶', run: (e) => e.chain().focus().undo().run() },
  { group: 'historique', label: 'Rétablir', text: '↷', run: (e) => e.chain().focus().redo().run() },
];

/** Renders the toolbar into `container` and keeps its pressed states in step with the selection. */
export function createToolbar(container: HTMLElement, editor: Editor): { setEditable(editable: boolean): void } {
  container.setAttribute('role', 'toolbar');
  container.setAttribute('aria-label', 'Mise en forme');
  const buttons: { button: HTMLButtonElement; action: ToolbarAction }[] = [];
  const tools = { linkDialog: createLinkDialog(editor) };
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
  const refresh = () => {
    for (const { button, action } of buttons) if (action.active) button.setAttribute('aria-pressed', String(action.active(editor)));
  };
  editor.on('transaction', refresh);
  editor.on('selectionUpdate', refresh);
  refresh();
  return {
    setEditable(editable) {
      for (const { button } of buttons) button.disabled = !editable;
    },
  };
}
