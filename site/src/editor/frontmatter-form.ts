/**
 * The form of an entry's data, generated from its collection's zod schema and bound to the Y.Map
 * `frontmatter`. Vocabularies become choices with their French labels. Nothing waits for the field
 * to lose focus: free-text fields (titre, résumé…) are bound to their Y.Text keystroke by keystroke,
 * every other field is written on each input, so what is typed is sent, journaled and acknowledged
 * at once (and the « modifications non enregistrées » warning knows about it). Every change is
 * validated at once; problems name fields by their French labels.
 */
import * as Y from 'yjs';
import type { z } from 'zod';
import { readEntryData, readField, writeField } from '../../../core/bridge/mdx-yjs.ts';
import { formatFieldPath, listProblems } from '../../../core/parse-input.ts';
import { guideTypes } from '../../../schemas/guides.ts';
import { sourceTexts } from '../../../schemas/source-texts.ts';
import { structureRoles, structureTypes } from '../../../schemas/structures.ts';
import { vocabularies } from '../../../schemas/vocabularies.ts';

/** French labels of the fields, by key. */
export const fieldLabels: Record<string, string> = {
  titre: 'Titre',
  resume: 'Résumé',
  credits: 'Structures créditées (slugs)',
  statut: 'Statut',
  licence: 'Licence (identifiant SPDX)',
  derive_de: 'Adapté de',
  source: 'Source (collection/slug ou URL)',
  changements: 'Ce qui a été adapté',
  phases: 'Phases de la démarche',
  difficulte: 'Difficulté',
  cout: 'Coût',
  duree: 'Durée',
  acteurs: 'Acteurs',
  tailles: 'Tailles de territoire',
  themes: 'Thèmes',
  objectifs: 'Objectifs du référentiel (codes)',
  exemples: 'Retours d’expérience liés (slugs)',
  acteurs_ressources: 'Structures ressources (slugs)',
  guides: 'Guides liés (slugs)',
  guides_lies: 'Guides liés (slugs)',
  fiches: 'Fiches liées (slugs)',
  bibliographie: 'Bibliographie',
  auteur: 'Auteur',
  annee: 'Année',
  url: 'Adresse (https://…)',
  type: 'Type',
  territoire: 'Territoire',
  nom: 'Nom',
  communes: 'Codes INSEE des communes',
  departements: 'Codes des départements',
  page: 'Page du territoire (slug)',
  periode: 'Période',
  debut: 'Début (AAAA ou AAAA-MM)',
  fin: 'Fin (AAAA ou AAAA-MM)',
  structures: 'Structures d’accompagnement (slugs)',
  freins: 'Freins',
  leviers: 'Leviers',
  resultats: 'Résultats observés',
  roles: 'Rôles',
  zone_intervention: 'Zone d’intervention',
  nationale: 'Intervient dans toute la France',
  description: 'Description',
  siege: 'Département du siège',
  site_web: 'Site web',
  nature: 'Nature du territoire',
  sources: 'Sources des faits',
  texte: 'Texte source du commun (ou laisser vide et donner titre et adresse)',
  faits: 'Ce que la source appuie',
  atteste: 'Structures dont elle atteste le travail (slugs)',
  code: 'Code',
  ordre: 'Ordre',
  corps: 'Texte',
  document: 'Document',
  frontmatter: 'Informations',
};

/** A field key as people read it: its label, or its words when it has none (never a raw `snake_case`). */
function labelOfKey(key: string): string {
  const label = fieldLabels[key];
  if (label) return label.replace(/ \([^)]*\)$/, '');
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A field path as people read it: `["bibliographie", 1, "titre"]` or `bibliographie[1].titre`
 * → « Bibliographie › élément 2 › Titre ».
 */
export function describeFieldPath(path: readonly PropertyKey[] | string): string {
  const parts = typeof path === 'string' ? [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!)) : path;
  if (parts.length === 0) return 'Informations';
  return parts.map((part) => (typeof part === 'number' ? `élément ${part + 1}` : labelOfKey(String(part)))).join(' › ');
}

/** Fields whose text is long enough to deserve several lines. */
const longTextFields = new Set(['resume', 'description', 'changements', 'faits']);

type Labels = Record<string, string>;
const labelTables: Labels[] = [
  ...Object.values(vocabularies).map((vocabulary) =>
    Object.fromEntries(Object.entries(vocabulary as Record<string, { label: string }>).map(([key, term]) => [key, term.label])),
  ),
  guideTypes,
  structureTypes,
  structureRoles,
  Object.fromEntries(Object.entries(sourceTexts).map(([id, text]) => [id, text.titre])),
];

/** French labels for the options of an enum: the vocabulary that holds all of them, or the values. */
function optionLabels(options: string[]): Labels {
  const table = labelTables.find((labels) => options.every((option) => option in labels));
  return Object.fromEntries(options.map((option) => [option, table?.[option] ?? option]));
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType; entries?: Record<string, string>; defaultValue?: unknown };

function defOf(schema: z.ZodType): Def {
  return schema._zod.def as unknown as Def;
}

/** Sees through optional/default/pipe wrappers; says whether the field may be left empty. */
function unwrap(schema: z.ZodType): { schema: z.ZodType; optional: boolean } {
  let current = schema;
  let optional = false;
  for (let depth = 0; depth < 10; depth++) {
    const def = defOf(current);
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault' || def.type === 'nullable') optional = true;
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else break;
  }
  return { schema: current, optional };
}

/** A rendered field: its element, how to show a value, and where its messages go. */
interface FieldView {
  element: HTMLElement;
  render(value: unknown): void;
  messages: HTMLElement;
}

/** Where a field reads its current value and writes a new one (`undefined` removes it). */
interface FieldBinding {
  read(): unknown;
  commit(value: unknown): void;
}

let idCounter = 0;
const nextId = (key: string) => `champ-${key}-${++idCounter}`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Shows a value in a text control, unless the person is typing in it (their text is what counts). */
function showText(control: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  if (control !== document.activeElement && control.value !== text) control.value = text;
}

/** Builds the view of one field. */
function buildField(key: string, fieldSchema: z.ZodType, binding: FieldBinding, insideOptional = false): FieldView {
  const unwrapped = unwrap(fieldSchema);
  const schema = unwrapped.schema;
  // Fields of an optional group (derive_de) are required only once the group is used.
  const optional = unwrapped.optional || insideOptional;
  const def = defOf(schema);
  const label = `${fieldLabels[key] ?? labelOfKey(key)}${optional ? '' : ' *'}`;
  const id = nextId(key);
  // Not a live region: it changes at every keystroke, and is read with its field (aria-describedby).
  const messages = el('p', { class: 'champ-messages', id: `${id}-messages` });
  const { commit } = binding;

  if (def.type === 'enum') {
    const options = Object.values(def.entries ?? {});
    const labels = optionLabels(options);
    const wrapper = el('div', { class: 'champ' });
    const select = el('select', { id, 'aria-describedby': messages.id });
    select.append(el('option', { value: '' }, optional ? '— aucun —' : '— choisir —'));
    for (const option of options) select.append(el('option', { value: option }, labels[option]));
    select.addEventListener('change', () => commit(select.value === '' ? undefined : select.value));
    wrapper.append(el('label', { for: id }, label), select, messages);
    return { element: wrapper, messages, render: (value) => (select.value = typeof value === 'string' ? value : '') };
  }

  if (def.type === 'array' && def.element) {
    const element = unwrap(def.element).schema;
    const elementDef = defOf(element);
    if (elementDef.type === 'enum') {
      const options = Object.values(elementDef.entries ?? {});
      const labels = optionLabels(options);
      const fieldset = el('fieldset', { class: 'champ champ-choix', 'aria-describedby': messages.id });
      fieldset.append(el('legend', {}, label));
      const boxes = options.map((option) => {
        const box = el('input', { type: 'checkbox', id: `${id}-${option}`, value: option });
        const row = el('label', { class: 'choix', for: box.id });
        row.append(box, document.createTextNode(` ${labels[option]}`));
        fieldset.append(row);
        return box;
      });
      const onChange = () => commit(boxes.filter((box) => box.checked).map((box) => box.value));
      boxes.forEach((box) => box.addEventListener('change', onChange));
      fieldset.append(messages);
      return {
        element: fieldset,
        messages,
        render: (value) => {
          const chosen = new Set(Array.isArray(value) ? value : []);
          boxes.forEach((box) => (box.checked = chosen.has(box.value)));
        },
      };
    }
    if (elementDef.type === 'object' && elementDef.shape) return buildObjectList(key, label, elementDef.shape, binding, messages);
    // Lists of strings (slugs, codes, sentences): one per line, written as they are typed.
    const wrapper = el('div', { class: 'champ' });
    const area = el('textarea', { id, rows: '3', 'aria-describedby': `${id}-aide ${messages.id}` });
    area.addEventListener('input', () => commit(area.value.split('\n').map((line) => line.trim()).filter(Boolean)));
    wrapper.append(el('label', { for: id }, label), el('p', { class: 'champ-aide', id: `${id}-aide` }, 'Un élément par ligne.'), area, messages);
    return { element: wrapper, messages, render: (value) => showText(area, Array.isArray(value) ? value.join('\n') : '') };
  }

  if (def.type === 'object' && def.shape) {
    const fieldset = el('fieldset', { class: 'champ champ-groupe' });
    fieldset.append(el('legend', {}, optional ? `${label} (facultatif)` : label));
    // Each keystroke of a sub-field rewrites the group from its current value in the document,
    // never from a copy taken when the group was drawn (which would undo the other sub-fields).
    const readGroup = () => {
      const value = binding.read();
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    };
    const views = Object.entries(def.shape).map(([subKey, subSchema]) => {
      const view = buildField(subKey, subSchema, {
        read: () => readGroup()[subKey],
        commit: (value) => {
          const next = { ...readGroup() };
          if (value === undefined || (Array.isArray(value) && value.length === 0 && optionalIn(subSchema))) delete next[subKey];
          else next[subKey] = value;
          commit(Object.keys(next).length || !optional ? next : undefined);
        },
      }, optional);
      fieldset.append(view.element);
      return [subKey, view] as const;
    });
    fieldset.append(messages);
    return {
      element: fieldset,
      messages,
      render: (value) => {
        const current = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
        for (const [subKey, view] of views) view.render(current[subKey]);
      },
    };
  }

  if (def.type === 'boolean') {
    const wrapper = el('div', { class: 'champ champ-case' });
    const box = el('input', { type: 'checkbox', id, 'aria-describedby': messages.id });
    box.addEventListener('change', () => commit(box.checked));
    const row = el('label', { for: id });
    row.append(box, document.createTextNode(` ${label}`));
    wrapper.append(row, messages);
    return { element: wrapper, messages, render: (value) => (box.checked = value === true) };
  }

  const numeric = def.type === 'number';
  const wrapper = el('div', { class: 'champ' });
  const input = longTextFields.has(key)
    ? el('textarea', { id, rows: '3', 'aria-describedby': messages.id })
    : el('input', { id, type: numeric ? 'number' : 'text', 'aria-describedby': messages.id });
  input.addEventListener('input', () => {
    const raw = input.value.trim();
    if (raw === '') commit(undefined);
    else if (!numeric) commit(input.value);
    else if (Number.isFinite(Number(raw))) commit(Number(raw));
  });
  wrapper.append(el('label', { for: id }, label), input, messages);
  return { element: wrapper, messages, render: (value) => showText(input, value === undefined || value === null ? '' : String(value)) };
}

/**
 * A free-text field bound to its Y.Text: each keystroke is sent as the characters it changed, and
 * what others type arrives in the field at once, the caret kept where it was in the text.
 */
function buildTextField(key: string, fieldSchema: z.ZodType, map: Y.Map<unknown>, textFields: ReadonlySet<string>): FieldView & { destroy(): void } {
  const { optional } = unwrap(fieldSchema);
  const label = `${fieldLabels[key] ?? labelOfKey(key)}${optional ? '' : ' *'}`;
  const id = nextId(key);
  const messages = el('p', { class: 'champ-messages', id: `${id}-messages` });
  const wrapper = el('div', { class: 'champ' });
  const input = longTextFields.has(key)
    ? el('textarea', { id, rows: '3', 'aria-describedby': messages.id })
    : el('input', { id, type: 'text', 'aria-describedby': messages.id });
  wrapper.append(el('label', { for: id }, label), input, messages);

  let bound: Y.Text | undefined;
  const onRemote = (event: Y.YTextEvent, transaction: Y.Transaction) => {
    if (transaction.origin === localOrigin) return;
    const focused = input === document.activeElement;
    const [start, end] = [input.selectionStart ?? 0, input.selectionEnd ?? 0];
    input.value = (event.target as Y.Text).toString();
    if (focused) input.setSelectionRange(shiftThrough(start, event.delta), shiftThrough(end, event.delta));
  };
  const bind = () => {
    const value = map.get(key);
    const text = value instanceof Y.Text ? value : undefined;
    if (text === bound) return;
    bound?.unobserve(onRemote);
    bound = text;
    bound?.observe(onRemote);
  };
  input.addEventListener('input', () => {
    map.doc!.transact(() => writeField(map, key, input.value, textFields), localOrigin);
    bind();
  });
  return {
    element: wrapper,
    messages,
    render: (value) => {
      bind();
      const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
      if (input.value !== text) {
        const [start, end] = [input.selectionStart, input.selectionEnd];
        input.value = text;
        if (input === document.activeElement && start !== null && end !== null) input.setSelectionRange(Math.min(start, text.length), Math.min(end, text.length));
      }
    },
    destroy: () => bound?.unobserve(onRemote),
  };
}

/** Origin of the form's own transactions, so its observers do not redraw what was just typed. */
const localOrigin = Symbol('formulaire');

/** Where a caret at `position` lands once a remote change (a Yjs delta) is applied before or around it. */
function shiftThrough(position: number, delta: Y.YTextEvent['delta']): number {
  let index = 0;
  let shifted = position;
  for (const op of delta) {
    if (op.retain !== undefined) index += op.retain;
    else if (typeof op.insert === 'string') {
      if (index <= position) shifted += op.insert.length;
      index += op.insert.length;
    } else if (op.delete !== undefined) {
      if (index < position) shifted -= Math.min(op.delete, position - index);
    }
  }
  return Math.max(0, shifted);
}

function optionalIn(schema: z.ZodType): boolean {
  return unwrap(schema).optional;
}

/** A list of objects (bibliographie): one group of fields per item, with add and remove buttons. */
function buildObjectList(key: string, label: string, shape: Record<string, z.ZodType>, binding: FieldBinding, messages: HTMLElement): FieldView {
  const fieldset = el('fieldset', { class: 'champ champ-liste' });
  fieldset.append(el('legend', {}, label));
  const items = el('ol', { class: 'champ-liste-elements' });
  const add = el('button', { type: 'button', class: 'bouton-secondaire' }, 'Ajouter un élément');
  fieldset.append(items, add, messages);
  const readList = () => {
    const value = binding.read();
    return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  };
  add.addEventListener('click', () => binding.commit([...readList(), {}]));
  let drawn: FieldView[][] = [];
  return {
    element: fieldset,
    messages,
    render: (value) => {
      const current = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
      // Same number of items: update them in place, so the field being typed in keeps its focus.
      if (current.length === drawn.length) {
        current.forEach((item, index) => Object.keys(shape).forEach((subKey, i) => drawn[index]![i]!.render(item?.[subKey])));
        return;
      }
      items.replaceChildren();
      drawn = current.map((item, index) => {
        const li = el('li', { class: 'champ-liste-element' });
        const views = Object.entries(shape).map(([subKey, subSchema]) => {
          const view = buildField(subKey, subSchema, {
            read: () => readList()[index]?.[subKey],
            commit: (subValue) => {
              const next = readList().map((entry) => ({ ...entry }));
              if (!next[index]) return;
              if (subValue === undefined) delete next[index]![subKey];
              else next[index]![subKey] = subValue;
              binding.commit(next);
            },
          });
          view.render(item?.[subKey]);
          li.append(view.element);
          return view;
        });
        const remove = el('button', { type: 'button', class: 'bouton-secondaire', 'aria-label': `Retirer l’élément ${index + 1} de ${labelOfKey(key)}` }, 'Retirer');
        remove.addEventListener('click', () => binding.commit(readList().filter((_, i) => i !== index)));
        li.append(remove);
        items.append(li);
        return views;
      });
    },
  };
}

/** One problem of the data, as the form shows it: the field's French label and what is wrong. */
export interface FormProblem {
  /** Path of the field, as the validator writes it (`territoire.communes[0]`). */
  field: string;
  /** What is wrong, as the schema says it. */
  message: string;
  /** « Territoire › Codes INSEE des communes › élément 1 : … » */
  text: string;
}

/** A form bound to a Y.Map; `problems` lists what the schema refuses, in French. */
export interface FrontmatterForm {
  setEditable(editable: boolean): void;
  /** Current problems of the data. */
  problems(): FormProblem[];
  destroy(): void;
}

/** Renders the form of `schema` into `container`, bound both ways to `map`. */
export function createFrontmatterForm(
  container: HTMLElement,
  map: Y.Map<unknown>,
  schema: z.ZodType,
  textFields: ReadonlySet<string>,
  onProblems: (problems: FormProblem[]) => void,
): FrontmatterForm {
  const shape = defOf(unwrap(schema).schema).shape ?? {};
  const form = el('div', { class: 'formulaire-donnees' });
  const views = new Map<string, FieldView & { destroy?(): void }>();
  for (const [key, fieldSchema] of Object.entries(shape)) {
    const binding: FieldBinding = {
      read: () => readField(map, key),
      commit: (value) => map.doc!.transact(() => (value === undefined ? map.delete(key) : writeField(map, key, value, textFields)), localOrigin),
    };
    const isText = textFields.has(key) && defOf(unwrap(fieldSchema).schema).type === 'string';
    const view = isText ? buildTextField(key, fieldSchema, map, textFields) : buildField(key, fieldSchema, binding);
    views.set(key, view);
    form.append(view.element);
  }
  container.replaceChildren(form);
  let problems: FormProblem[] = [];

  const validate = () => {
    const found = listProblems(schema, readEntryData(map.doc!));
    const byView = new Map<FieldView, string[]>();
    for (const problem of found) {
      const view = views.get(String(problem.path[0] ?? ''));
      if (!view) continue;
      const where = problem.path.length > 1 ? `${describeFieldPath(problem.path.slice(1))} : ` : '';
      const text = `${where}${problem.message}`;
      const list = byView.get(view) ?? [];
      if (!list.includes(text)) list.push(text);
      byView.set(view, list);
    }
    for (const view of views.values()) {
      const text = (byView.get(view) ?? []).join(' ');
      if (view.messages.textContent !== text) view.messages.textContent = text;
      view.element.classList.toggle('champ-invalide', text !== '');
      view.element.querySelectorAll('input, select, textarea').forEach((control) => control.toggleAttribute('aria-invalid', text !== ''));
    }
    const seen = new Set<string>();
    problems = [];
    for (const problem of found) {
      const text = `${describeFieldPath(problem.path)} : ${problem.message}`;
      if (seen.has(text)) continue;
      seen.add(text);
      problems.push({ field: formatFieldPath(problem.path), message: problem.message, text });
    }
    onProblems(problems);
  };

  const renderAll = (keys?: Iterable<string>) => {
    for (const key of keys ?? views.keys()) views.get(key)?.render(readField(map, key));
    validate();
  };
  let editable = true;
  const applyEditable = () =>
    form.querySelectorAll('input, select, textarea, button').forEach((control) => ((control as HTMLInputElement).disabled = !editable));
  const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    // Keys replaced or set (events on the map itself); typing inside a Y.Text is drawn by its field.
    const keys = new Set<string>();
    for (const event of events) if (event.target === map) for (const key of (event as Y.YMapEvent<unknown>).keysChanged) keys.add(key);
    renderAll(keys);
    applyEditable();
  };
  map.observeDeep(observer);
  // A list typed one item per line is tidied (blank lines, spaces) once the person leaves it.
  form.addEventListener('focusout', () => setTimeout(() => renderAll(), 0));
  renderAll();

  return {
    setEditable(value) {
      editable = value;
      applyEditable();
    },
    problems: () => problems,
    destroy() {
      map.unobserveDeep(observer);
      for (const view of views.values()) view.destroy?.();
    },
  };
}
