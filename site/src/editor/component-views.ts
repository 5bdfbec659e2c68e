/**
 * How the allow-listed components look in the editor: a labelled frame whose attributes are real
 * form fields (validated with the allow-list's own schemas), and, for Encadre and Etape, the
 * editable content inside. Only views are added here: the schema stays the bridge's.
 */
import type { AnyExtension, Editor } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { componentNodes } from '../../../core/bridge/body-extensions.ts';
import { mdxComponents } from '../../../schemas/mdx-components.ts';

/** French names of the components and of their attributes, as shown in the editor. */
export const componentLabels: Record<string, { name: string; attributes: Record<string, string> }> = {
  Encadre: { name: 'Encadré', attributes: { type: 'Type', titre: 'Titre' } },
  Etape: { name: 'Étape', attributes: { titre: 'Titre de l’étape', duree: 'Durée' } },
  Ressource: { name: 'Ressource', attributes: { href: 'Adresse (https://… ou /fichiers/…)', titre: 'Titre', format: 'Format (PDF, ODT…)' } },
  VoirAussi: { name: 'Voir aussi', attributes: { cible: 'Entrée (collection/slug)' } },
};

const encadreTypes: Record<string, string> = { info: 'Information', astuce: 'Astuce', attention: 'Attention', exemple: 'Exemple' };

let viewCounter = 0;

/** Builds the node view of one component. */
function createComponentView(name: string, node: ProseMirrorNode, editor: Editor, getPos: () => number | undefined) {
  const definition = mdxComponents[name]!;
  const labels = componentLabels[name]!;
  const block = definition.kind === 'block';
  const dom = document.createElement(block ? 'section' : 'div');
  dom.className = `composant composant-${name}`;
  dom.dataset.composant = name;
  const header = document.createElement('div');
  header.className = 'composant-entete';
  header.contentEditable = 'false';
  const title = document.createElement('span');
  title.className = 'composant-nom';
  title.textContent = labels.name;
  header.append(title);
  const id = `composant-${++viewCounter}`;
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const messages = document.createElement('p');
  messages.className = 'composant-messages';
  messages.setAttribute('aria-live', 'polite');

  for (const attribute of Object.keys(definition.attributes)) {
    const field = document.createElement('label');
    field.className = 'composant-attribut';
    const required = definition.required.includes(attribute);
    field.append(document.createTextNode(`${labels.attributes[attribute] ?? attribute}${required ? ' *' : ''} `));
    let input: HTMLInputElement | HTMLSelectElement;
    if (name === 'Encadre' && attribute === 'type') {
      input = document.createElement('select');
      for (const [value, label] of Object.entries(encadreTypes)) input.append(new Option(label, value));
    } else {
      input = document.createElement('input');
      input.type = 'text';
    }
    input.id = `${id}-${attribute}`;
    input.addEventListener('change', () => {
      const position = getPos();
      if (position === undefined) return;
      const value = input.value.trim();
      editor.chain().command(({ tr }) => {
        tr.setNodeAttribute(position, attribute, value === '' ? null : value);
        return true;
      }).run();
    });
    inputs.set(attribute, input);
    field.append(input);
    header.append(field);
  }
  header.append(messages);
  dom.append(header);
  let contentDOM: HTMLElement | undefined;
  if (block) {
    contentDOM = document.createElement('div');
    contentDOM.className = 'composant-contenu';
    dom.append(contentDOM);
  }

  const show = (current: ProseMirrorNode) => {
    const problems: string[] = [];
    for (const [attribute, input] of inputs) {
      const value = current.attrs[attribute] as string | null;
      if (document.activeElement !== input) input.value = value ?? (input instanceof HTMLSelectElement ? 'info' : '');
      input.disabled = !editor.isEditable;
      const schema = definition.attributes[attribute]!;
      if (value == null || value === '') {
        if (definition.required.includes(attribute)) problems.push(`${labels.attributes[attribute] ?? attribute} : obligatoire`);
        continue;
      }
      const result = schema.safeParse(value);
      if (!result.success) problems.push(result.error.issues.map((issue) => issue.message).join(' ; '));
    }
    messages.textContent = problems.join(' · ');
    dom.classList.toggle('composant-invalide', problems.length > 0);
  };
  show(node);

  return {
    dom,
    contentDOM,
    update(updated: ProseMirrorNode) {
      if (updated.type.name !== name) return false;
      show(updated);
      return true;
    },
    // Typing in the attribute fields is not an edit of the document's text.
    stopEvent: (event: Event) => header.contains(event.target as globalThis.Node),
    ignoreMutation: (mutation: MutationRecord | { type: 'selection'; target: globalThis.Node }) =>
      header.contains(mutation.target as globalThis.Node),
  };
}

/** The component nodes of the bridge, with their editor views. */
export function createComponentViewExtensions(): AnyExtension[] {
  return Object.entries(componentNodes).map(([name, node]) =>
    node.extend({
      addNodeView() {
        return ({ node: current, editor, getPos }) => createComponentView(name, current, editor, getPos as () => number | undefined);
      },
    }),
  );
}
