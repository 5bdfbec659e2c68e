/**
 * In-page dialogs of the editor (a modal <dialog>, never `prompt()`): one to describe and credit
 * an image before it is sent, one to edit a short text (a caption, an image's description). Each
 * resolves with what was entered, or null when cancelled; focus returns where it was.
 */
import { licencesMedias, type LicenceMedia } from '../../../schemas/vocabularies.ts';
import type { ImageCredits } from './media-api.ts';

/** Longest description of an image, as the validator accepts it. */
export const MAX_ALT_LENGTH = 250;

let dialogCount = 0;

/** Builds a modal dialog with a title and a form; `close` removes it from the page. */
function createDialog(title: string): { dialog: HTMLDialogElement; form: HTMLFormElement; message: HTMLParagraphElement; close(): void } {
  const id = `dialogue-${++dialogCount}`;
  const dialog = document.createElement('dialog');
  dialog.className = 'editeur editeur-dialogue';
  dialog.setAttribute('aria-labelledby', `${id}-titre`);
  const heading = Object.assign(document.createElement('h2'), { id: `${id}-titre`, textContent: title });
  const form = document.createElement('form');
  form.method = 'dialog';
  form.className = 'editeur-formulaire-court';
  const message = document.createElement('p');
  message.className = 'dialogue-message';
  message.setAttribute('role', 'alert');
  dialog.append(heading, form);
  document.body.append(dialog);
  const returnFocus = document.activeElement as HTMLElement | null;
  return {
    dialog,
    form,
    message,
    close() {
      dialog.close();
      dialog.remove();
      returnFocus?.focus();
    },
  };
}

function field(form: HTMLFormElement, label: string, control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, help?: string): void {
  control.id = `${form.closest('dialog')!.getAttribute('aria-labelledby')}-${control.name}`;
  const labelElement = Object.assign(document.createElement('label'), { htmlFor: control.id, textContent: label });
  form.append(labelElement, control);
  if (help) {
    const helpElement = Object.assign(document.createElement('p'), { className: 'champ-aide', id: `${control.id}-aide`, textContent: help });
    control.setAttribute('aria-describedby', helpElement.id);
    form.append(helpElement);
  }
}

function buttons(form: HTMLFormElement, submitText: string, onCancel: () => void): HTMLButtonElement {
  const row = document.createElement('div');
  row.className = 'dialogue-boutons';
  const submit = Object.assign(document.createElement('button'), { type: 'submit', textContent: submitText });
  const cancel = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Annuler', className: 'bouton-secondaire' });
  cancel.addEventListener('click', onCancel);
  row.append(submit, cancel);
  form.append(row);
  return submit;
}

/**
 * Asks what an image shows (its alternative text, required) and who made it under which licence,
 * with a preview; then runs `send` (the upload) and shows its error in the dialog, if any.
 */
export function askImage(file: Blob, defaults: { auteur: string }, send: (alt: string, credits: ImageCredits) => Promise<void>): Promise<boolean> {
  const { dialog, form, message, close } = createDialog('Insérer une image');
  const preview = document.createElement('img');
  preview.className = 'dialogue-apercu';
  preview.alt = '';
  const url = URL.createObjectURL(file);
  preview.src = url;
  form.append(preview);

  const alt = Object.assign(document.createElement('textarea'), { name: 'alt', required: true, maxLength: MAX_ALT_LENGTH, rows: 2 });
  field(form, 'Ce que montre l’image (texte alternatif) *', alt, 'Une phrase pour qui ne voit pas l’image : « Des bacs de légumes devant la mairie ».');
  const auteur = Object.assign(document.createElement('input'), { type: 'text', name: 'auteur', required: true, minLength: 2, maxLength: 160, value: defaults.auteur });
  field(form, 'Auteur ou autrice de l’image *', auteur);
  const licence = Object.assign(document.createElement('select'), { name: 'licence', required: true });
  for (const [value, term] of Object.entries(licencesMedias)) licence.append(new Option(term.label, value));
  field(form, 'Licence *', licence, 'Seules les licences compatibles avec CC BY-SA sont possibles.');
  // The chosen licence says what it allows, in words.
  const definition = form.querySelector<HTMLElement>(`#${licence.id}-aide`)!;
  const explain = () => (definition.textContent = `${licencesMedias[licence.value as LicenceMedia].definition} Seules les licences compatibles avec CC BY-SA sont possibles.`);
  licence.addEventListener('change', explain);
  explain();
  const source = Object.assign(document.createElement('input'), { type: 'url', name: 'source', placeholder: 'https://…' });
  field(form, 'Source (si l’image a été publiée ailleurs)', source);
  form.append(message);

  return new Promise((resolve) => {
    const finish = (done: boolean) => {
      URL.revokeObjectURL(url);
      close();
      resolve(done);
    };
    const submit = buttons(form, 'Envoyer et insérer', () => finish(false));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = alt.value.replace(/\s+/g, ' ').trim();
      if (!text) {
        message.textContent = 'Décrivez l’image : ce texte est lu à qui ne la voit pas.';
        alt.focus();
        return;
      }
      submit.disabled = true;
      message.textContent = 'Envoi de l’image…';
      try {
        await send(text, { auteur: auteur.value.trim(), licence: licence.value as LicenceMedia, ...(source.value.trim() ? { source: source.value.trim() } : {}) });
        finish(true);
      } catch (error) {
        message.textContent = `Image refusée : ${(error as Error).message}`;
        submit.disabled = false;
      }
    });
    dialog.showModal();
    alt.focus();
  });
}

/** Asks for a short text (a caption, an image's description); empty is allowed unless `required`. */
export function askText(title: string, label: string, value: string, options: { required?: boolean; maxLength: number; help?: string }): Promise<string | null> {
  const { dialog, form, message, close } = createDialog(title);
  const input = Object.assign(document.createElement('input'), { type: 'text', name: 'texte', value, maxLength: options.maxLength, required: !!options.required });
  field(form, label, input, options.help);
  form.append(message);
  return new Promise((resolve) => {
    const finish = (answer: string | null) => {
      close();
      resolve(answer);
    };
    buttons(form, 'Valider', () => finish(null));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(null);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = input.value.replace(/\s+/g, ' ').trim();
      if (options.required && !text) {
        message.textContent = 'Ce champ est obligatoire.';
        return;
      }
      finish(text);
    });
    dialog.showModal();
    input.select();
  });
}
