/**
 * Communes by name for the guided path, in the browser: the official list of current communes
 * (@etalab/decoupage-administratif) is cut at build time into small files by name prefix, so that
 * typing « Lun » fetches a few kilobytes, never the national dataset. The same normalisation is
 * used on both sides: no accents, no case, hyphens and apostrophes as spaces.
 */

/** One commune in a name file: [name, INSEE code, population or null]. */
export type CommuneNameEntry = [nom: string, code: string, population: number | null];

/** The list of name files (their prefixes) and the names of the départements. */
export interface CommuneNameManifest {
  prefixes: string[];
  departements: Record<string, string>;
}

/** A commune found by name, with its département. */
export interface CommuneByName {
  nom: string;
  code: string;
  population: number | null;
  departement: string;
}

/** Where a name file is served. */
export const COMMUNE_NAMES_PATH = '/parcours/communes/noms';

/** Most communes in one name file; a larger group is split by a longer prefix. */
export const MAX_COMMUNES_PER_FILE = 600;

/** A commune name as compared: « Saint-Étienne-d’Orthe » → « saint etienne d orthe ». */
export function communeNameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** File name of a prefix (spaces are not welcome in URLs). */
export function prefixFileName(prefix: string): string {
  return prefix.replace(/ /g, '_');
}

/** An INSEE code typed alone, or at the end of a suggestion (« Lunas (34142) »). */
export function codeIn(value: string): string | undefined {
  const match = /^\s*(\d{5}|2[ABab]\d{3})\s*$/.exec(value) ?? /\((\d{5}|2[ABab]\d{3})\)\s*$/.exec(value);
  return match?.[1]?.toUpperCase();
}

/** The département code of an INSEE code (`86`, `2A`, `974`). */
export function departementOf(code: string): string {
  return code.startsWith('97') ? code.slice(0, 3) : code.slice(0, 2);
}

/** How a suggestion reads in the field, and back: the name and the code that tells homonyms apart. */
export function suggestionValue(commune: { nom: string; code: string }): string {
  return `${commune.nom} (${commune.code})`;
}

/** The prefixes whose files may hold names starting with `key`; empty when more letters are needed. */
export function prefixesFor(key: string, prefixes: readonly string[]): string[] {
  if (key.length < 2) return [];
  // Files of longer prefixes hold names that start with `key` too (« saint » → « saint a », « saint b »…).
  const longer = prefixes.filter((prefix) => prefix.length > key.length && prefix.startsWith(key));
  if (longer.length > 4) return [];
  let longest = '';
  for (const prefix of prefixes) if (key.startsWith(prefix) && prefix.length > longest.length) longest = prefix;
  return [...(longest ? [longest] : []), ...longer];
}

/** Edit distance, for « vouliez-vous dire … ? » (names are short: the plain algorithm is enough). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * What the list says about a typed name: communes with exactly that name, those whose name starts
 * with it (largest first), and, when neither, close spellings.
 */
export function searchCommunes(typed: string, entries: readonly CommuneNameEntry[], departements: Record<string, string>, limit = 8) {
  const key = communeNameKey(typed);
  const toCommune = ([nom, code, population]: CommuneNameEntry): CommuneByName => ({ nom, code, population, departement: departements[departementOf(code)] ?? departementOf(code) });
  const keyed = entries.map((entry) => ({ entry, key: communeNameKey(entry[0]) }));
  const exact = keyed.filter((k) => k.key === key).map((k) => toCommune(k.entry));
  const byPopulation = (a: CommuneNameEntry, b: CommuneNameEntry) => (b[2] ?? 0) - (a[2] ?? 0);
  const starting = keyed.filter((k) => k.key.startsWith(key)).map((k) => k.entry).sort(byPopulation).slice(0, limit).map(toCommune);
  const close =
    exact.length || starting.length
      ? []
      : keyed
          .map((k) => ({ entry: k.entry, d: distance(k.key, key) }))
          .filter((k) => k.d <= 2)
          .sort((a, b) => a.d - b.d || byPopulation(a.entry, b.entry))
          .slice(0, 3)
          .map((k) => toCommune(k.entry));
  return { exact, starting, close };
}
