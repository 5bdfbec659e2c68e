/**
 * The form of an entry's data, generated from its collection's zod schema and bound to the Y.Map
 * `frontmatter` (one key per top-level field, plain JSON values). Vocabularies become choices
 * with their French labels; every change is validated at once, with the schema's French messages.
 */
import type * as Y from 'yjs';
import type { z } from 'zod';
import { listProblems, formatFieldPath } from '../../../core/parse-input.ts';
import { guideTypes } from '../../../schemas/guides.ts';
import { sourceTexts } from '../../../schemas/source-texts.ts';
import { structureRoles, structureTypes } from '../../../schemas/structures.ts';
import { vocabularies } from '../../../schemas/vocabularies.ts';

/** French labels of the fields, by key (the key itself is shown when absent). */
const fieldLabels: Record<string, string> = {
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
};

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

let idCounter = 0;
const nextId = (key: string) => `champ-${key}-${++idCounter}`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Builds the view of one field; `commit` receives the new value (`undefined` removes the field). */
function buildField(key: string, fieldSchema: z.ZodType, commit: (value: unknown) => void, insideOptional = false): FieldView {
  const unwrapped = unwrap(fieldSchema);
  const schema = unwrapped.schema;
  // Fields of an optional group (derive_de) are required only once the group is used.
  const optional = unwrapped.optional || insideOptional;
  const def = defOf(schema);
  const label = `${fieldLabels[key] ?? key}${optional ? '' : ' *'}`;
  const id = nextId(key);
  const messages = el('p', { class: 'champ-messages', id: `${id}-messages`, 'aria-live': 'polite' });

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
    if (elementDef.type === 'object' && elementDef.shape) return buildObjectList(key, label, elementDef.shape, commit, messages);
    // Lists of strings (slugs, codes, sentences): one per line.
    const wrapper = el('div', { class: 'champ' });
    const area = el('textarea', { id, rows: '3', 'aria-describedby': `${id}-aide ${messages.id}` });
    area.addEventListener('change', () => commit(area.value.split('\n').map((line) => line.trim()).filter(Boolean)));
    wrapper.append(el('label', { for: id }, label), el('p', { class: 'champ-aide', id: `${id}-aide` }, 'Un élément par ligne.'), area, messages);
    return { element: wrapper, messages, render: (value) => (area.value = Array.isArray(value) ? value.join('\n') : '') };
  }

  if (def.type === 'object' && def.shape) {
    const fieldset = el('fieldset', { class: 'champ champ-groupe' });
    fieldset.append(el('legend', {}, optional ? `${label} (facultatif)` : label));
    let current: Record<string, unknown> = {};
    const views = Object.entries(def.shape).map(([subKey, subSchema]) => {
      const view = buildField(subKey, subSchema, (value) => {
        const next = { ...current };
        if (value === undefined || (Array.isArray(value) && value.length === 0 && optionalIn(subSchema))) delete next[subKey];
        else next[subKey] = value;
        commit(Object.keys(next).length || !optional ? next : undefined);
      }, optional);
      fieldset.append(view.element);
      return [subKey, view] as const;
    });
    fieldset.append(messages);
    return {
      element: fieldset,
      messages,
      render: (value) => {
        current = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
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
  input.addEventListener('change', () => {
    const raw = input.value.trim();
    if (raw === '') commit(undefined);
    else commit(numeric ? Number(raw) : raw);
  });
  wrapper.append(el('label', { for: id }, label), input, messages);
  return { element: wrapper, messages, render: (value) => (input.value = value === undefined || value === null ? '' : String(value)) };
}

function optionalIn(schema: z.ZodType): boolean {
  return unwrap(schema).optional;
}

/** A list of objects (bibliographie): one group of fields per item, with add and remove buttons. */
function buildObjectList(key: string, label: string, shape: Record<string, z.ZodType>, commit: (value: unknown) => void, messages: HTMLElement): FieldView {
  const fieldset = el('fieldset', { class: 'champ champ-liste' });
  fieldset.append(el('legend', {}, label));
  const items = el('ol', { class: 'champ-liste-elements' });
  const add = el('button', { type: 'button', class: 'bouton-secondaire' }, 'Ajouter un élément');
  fieldset.append(items, add, messages);
  let current: Record<string, unknown>[] = [];
  add.addEventListener('click', () => commit([...current, {}]));
  return {
    element: fieldset,
    messages,
    render: (value) => {
      current = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
      items.replaceChildren();
      current.forEach((item, index) => {
        const li = el('li', { class: 'champ-liste-element' });
        for (const [subKey, subSchema] of Object.entries(shape)) {
          const view = buildField(subKey, subSchema, (subValue) => {
            const next = current.map((entry) => ({ ...entry }));
            if (subValue === undefined) delete next[index]![subKey];
            else next[index]![subKey] = subValue;
            commit(next);
          });
          view.render(item[subKey]);
          li.append(view.element);
        }
        const remove = el('button', { type: 'button', class: 'bouton-secondaire', 'aria-label': `Retirer l’élément ${index + 1} de ${fieldLabels[key] ?? key}` }, 'Retirer');
        remove.addEventListener('click', () => commit(current.filter((_, i) => i !== index)));
        li.append(remove);
        items.append(li);
      });
    },
  };
}

/** A form bound to a Y.Map; `problems` lists what the schema refuses, in French. */
export interface FrontmatterForm {
  setEditable(editable: boolean): void;
  /** Current problems, as `field: message` lines. */
  problems(): string[];
  destroy(): void;
}

/** Renders the form of `schema` into `container`, bound both ways to `map`. */
export function createFrontmatterForm(container: HTMLElement, map: Y.Map<unknown>, schema: z.ZodType, onProblems: (problems: string[]) => void): FrontmatterForm {
  const shape = defOf(unwrap(schema).schema).shape ?? {};
  const form = el('div', { class: 'formulaire-donnees' });
  const views = new Map<string, FieldView>();
  for (const [key, fieldSchema] of Object.entries(shape)) {
    const view = buildField(key, fieldSchema, (value) => {
      map.doc!.transact(() => (value === undefined ? map.delete(key) : map.set(key, value)));
    });
    views.set(key, view);
    form.append(view.element);
  }
  container.replaceChildren(form);
  let problems: string[] = [];

  const validate = () => {
    const found = listProblems(schema, map.toJSON());
    for (const view of views.values()) view.messages.textContent = '';
    for (const problem of found) {
      const view = views.get(String(problem.path[0] ?? ''));
      const where = problem.path.length > 1 ? `${formatFieldPath(problem.path.slice(1))} : ` : '';
      if (view) view.messages.textContent += `${view.messages.textContent ? ' ' : ''}${where}${problem.message}`;
    }
    for (const view of views.values()) view.element.classList.toggle('champ-invalide', view.messages.textContent !== '');
    problems = found.map((problem) => `${formatFieldPath(problem.path) || '(données)'} : ${problem.message}`);
    onProblems(problems);
  };

  const renderAll = (keys?: Iterable<string>) => {
    for (const key of keys ?? views.keys()) {
      const view = views.get(key);
      // The field being typed in keeps its text; it is re-rendered when focus leaves it.
      if (view && !view.element.contains(document.activeElement)) view.render(map.get(key));
    }
    validate();
  };
  let editable = true;
  const applyEditable = () =>
    form.querySelectorAll('input, select, textarea, button').forEach((control) => ((control as HTMLInputElement).disabled = !editable));
  const observer = (event: Y.YMapEvent<unknown>) => {
    renderAll(event.keysChanged);
    applyEditable();
  };
  map.observe(observer);
  form.addEventListener('focusout', () => setTimeout(() => renderAll(), 0));
  renderAll();

  return {
    setEditable(value) {
      editable = value;
      applyEditable();
    },
    problems: () => problems,
    destroy() {
      map.unobserve(observer);
    },
  };
}
