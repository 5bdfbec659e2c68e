/**
 * Presence (Yjs awareness): who else has an entry open, and in which colour. Shared by the server,
 * which writes each person's name and colour from their account, and the editor, which shows
 * only colours of this palette, so no text from the network ever reaches a `style`.
 *
 * The state a writer's connection publishes, once the server has rewritten it:
 *   { "user": { "name": "<account name>", "color": "<palette colour>" }, "cursor"?: <y-prosemirror cursor> }
 */

/** Colours for carets and names, dark enough for white text on them (WCAG AA). */
export const presenceColours = ['#1f5a86', '#8a3b12', '#2f5d3a', '#6b2d7b', '#9a2142', '#0b6e69', '#5b4a0a', '#3d4aa3'] as const;

/** What a presence colour must look like, on both sides: `#` and six lowercase hex digits. */
export const PRESENCE_COLOUR_PATTERN = /^#[0-9a-f]{6}$/;

/** Who a presence state says is here. */
export interface PresenceUser {
  name: string;
  color: string;
}

/** The colour of a person, the same on every screen. */
export function presenceColourOf(id: string | number): string {
  let hash = 0;
  for (const char of String(id)) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return presenceColours[Math.abs(hash) % presenceColours.length]!;
}

/** Whether a value is one of the palette's colours (anything else is never put in a style). */
export function isPresenceColour(value: unknown): value is (typeof presenceColours)[number] {
  return typeof value === 'string' && PRESENCE_COLOUR_PATTERN.test(value) && (presenceColours as readonly string[]).includes(value);
}

/** The palette index of a colour, for class names (`presence-couleur-3`), or undefined. */
export function presenceColourIndex(value: unknown): number | undefined {
  return isPresenceColour(value) ? presenceColours.indexOf(value) : undefined;
}
