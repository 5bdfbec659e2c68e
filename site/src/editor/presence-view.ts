/**
 * Presence as the editor shows it: the list of people here and their carets in the text. Colours
 * reach the page only as a class of the palette (`presence-couleur-N`, editor.css), never as text
 * from the network in a `style`: a colour such as `url(https://…)` would make every editor's
 * browser fetch it. The server writes names and colours from the accounts; this checks again.
 */
import type { DecorationAttrs } from '@tiptap/pm/view';
import { presenceColourIndex } from '../../../core/presence.ts';

/** A person present, as shown: their name and palette index (undefined: a neutral grey). */
export interface PresentPerson {
  name: string;
  colour: number | undefined;
}

/** The people an awareness map says are here (states without a name are not people). */
export function presentPeople(states: Map<number, Record<string, unknown>>): PresentPerson[] {
  const people: PresentPerson[] = [];
  for (const state of states.values()) {
    const user = state.user as { name?: unknown; color?: unknown } | undefined;
    if (typeof user?.name !== 'string' || !user.name.trim()) continue;
    people.push({ name: user.name.slice(0, 120), colour: presenceColourIndex(user.color) });
  }
  return people;
}

/** The class that gives an element a person's colour. */
export function colourClass(colour: number | undefined): string {
  return colour === undefined ? 'presence-sans-couleur' : `presence-couleur-${colour}`;
}

/** The « N personnes ici » label and the list of names, for the editor's presence area. */
export function renderPresenceList(states: Map<number, Record<string, unknown>>, doc: Document = document): [HTMLElement, HTMLElement] {
  const people = presentPeople(states);
  const list = doc.createElement('ul');
  list.className = 'presents-liste';
  for (const person of people) {
    const item = doc.createElement('li');
    const dot = doc.createElement('span');
    dot.className = `presents-pastille ${colourClass(person.colour)}`;
    dot.setAttribute('aria-hidden', 'true');
    item.append(dot, doc.createTextNode(person.name));
    list.append(item);
  }
  const label = doc.createElement('span');
  label.className = 'presents-titre';
  label.textContent = people.length > 1 ? `${people.length} personnes ici :` : people.length === 1 ? 'Ici :' : 'Personne d’autre ici';
  return [label, list];
}

/** Another person's caret in the text, with their name above it (CollaborationCaret `render`). */
export function renderCaret(user: { name?: unknown; color?: unknown }, doc: Document = document): HTMLElement {
  const caret = doc.createElement('span');
  caret.className = `collaboration-carets__caret ${colourClass(presenceColourIndex(user.color))}`;
  const label = doc.createElement('div');
  label.className = 'collaboration-carets__label';
  label.textContent = typeof user.name === 'string' ? user.name.slice(0, 120) : '';
  caret.append(label);
  return caret;
}

/** Another person's selection in the text, tinted by class (CollaborationCaret `selectionRender`). */
export function selectionAttributes(user: { color?: unknown }): DecorationAttrs {
  return { class: `presence-selection ${colourClass(presenceColourIndex(user.color))}` };
}
