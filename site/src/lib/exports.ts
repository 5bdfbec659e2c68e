/**
 * Open data written at build time: every entry as JSON and as CSV described by a Table Schema,
 * retours as GeoJSON, and the JSON Schemas of the collections. Pure functions of the commons, so
 * the same exports can be checked without a build.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { splitFrontmatter } from '../../../core/frontmatter.ts';
import { collections } from '../../../schemas/collections.ts';
import { collectionNames } from '../../../schemas/common.ts';
import type { Commons, Entry } from './commons.ts';
import type { ContentHistory } from '../../../core/git-history.ts';
import { taillesOf } from './commons.ts';
import { authorsOf } from './attribution.ts';
import { authorNames, type Authors } from '../../../core/authors.ts';
import { contentDir } from './paths.ts';

/** One entry as published in the JSON export. */
export interface ExportedEntry {
  collection: string;
  slug: string;
  url: string;
  /** Schema output of the entry (defaults applied), as in the content tree. */
  donnees: Record<string, unknown>;
  /** MDX body, as written. */
  corps: string;
  axes: string[];
  /** People who wrote the entry, from Git (never a technical identity). */
  contributeurs: string[];
  /** Everyone credited as an author, as on its page: people, credited structures, the collective for imports. */
  auteurs: string[];
  territoire?: { population?: number; taille?: string; communes: { code: string; nom: string }[]; departements: { code: string; nom: string }[] };
}

/** The MDX body of an entry as written, read from its file (the content store keeps its HTML only). */
function bodyAsWritten(entry: Entry): string {
  return splitFrontmatter(readFileSync(join(contentDir, entry.file), 'utf8')).body;
}

/** One MDX entry, with what the site derives from it (axes, contributors, territory facts). */
function exportEntry(entry: Entry, authors: Authors, site: URL): ExportedEntry {
  return {
    collection: entry.collection,
    slug: entry.slug,
    url: new URL(entry.url, site).href,
    donnees: entry.data as unknown as Record<string, unknown>,
    corps: bodyAsWritten(entry),
    axes: entry.axes,
    contributeurs: authors.people.map((p) => p.name),
    auteurs: authorNames(authors),
    ...(entry.territory
      ? {
          territoire: {
            ...(entry.territory.population !== undefined ? { population: entry.territory.population } : {}),
            ...(entry.territory.taille ? { taille: entry.territory.taille } : {}),
            communes: entry.territory.communes.map((c) => ({ code: c.code, nom: c.nom })),
            departements: entry.territory.departements,
          },
        }
      : {}),
  };
}

/**
 * The text of one entry in an export, kept with its file as loaded (`entry.source`, the same object
 * while the file is unchanged) and what the entry derives from elsewhere: the incremental
 * publisher, which writes the exports after every commit, serializes again only the entries that
 * changed (at 10,000 entries, `entrees.json` is 40 MB).
 */
const serializedByFile = new WeakMap<object, Map<string, { derived: string; bytes: Buffer<ArrayBuffer> }>>();

/** `serialize()` of `entry` as UTF-8 bytes, made again only when the file or `derived` changed. */
function serializedOnce(entry: Entry, format: string, derived: unknown, serialize: () => string): Buffer<ArrayBuffer> {
  const key = JSON.stringify(derived);
  let byFormat = serializedByFile.get(entry.source);
  if (!byFormat) serializedByFile.set(entry.source, (byFormat = new Map()));
  const kept = byFormat.get(format);
  if (kept?.derived === key) return kept.bytes;
  const bytes = Buffer.from(serialize());
  byFormat.set(format, { derived: key, bytes });
  return bytes;
}

/** `parts` between `start` and `end`, separated by `separator`, in one buffer (no 40 MB string). */
function joinBytes(start: string, parts: Buffer[], separator: string, end: string): Buffer<ArrayBuffer> {
  const between = Buffer.from(separator);
  return Buffer.concat([Buffer.from(start), ...parts.flatMap((part, i) => (i ? [between, part] : [part])), Buffer.from(end)]);
}

/** Every MDX entry (`exportEntry`), as the UTF-8 bytes of the JSON `JSON.stringify` makes of the list. */
export function entriesJson(commons: Commons, history: ContentHistory, site: URL): Buffer<ArrayBuffer> {
  const texts = commons.entries.map((entry) => {
    const authors = authorsOf(entry, history.byFile.get(entry.file), commons, site);
    return serializedOnce(entry, 'json', [entry.url, entry.axes, entry.territory ?? null, authors], () => JSON.stringify(exportEntry(entry, authors, site)));
  });
  return joinBytes('[', texts, ',', ']');
}

/** A column of the CSV export: its Table Schema field and how to read it from an entry. */
interface Column {
  name: string;
  type: 'string' | 'integer';
  description: string;
  value(entry: Entry, authors: Authors): string | number | undefined;
}

const list = (values: readonly string[] | undefined) => (values && values.length ? values.join(';') : undefined);
const field = (entry: Entry, name: string) => (entry.data as unknown as Record<string, unknown>)[name];
const listField = (entry: Entry, name: string) => list(field(entry, name) as string[] | undefined);

/** Columns of `entrees.csv`; multi-valued cells are joined with « ; ». */
export const csvColumns: Column[] = [
  { name: 'collection', type: 'string', description: 'Collection : fiches, guides, retours, structures ou territoires.', value: (e) => e.collection },
  { name: 'slug', type: 'string', description: 'Identifiant de l’entrée dans sa collection (nom du fichier).', value: (e) => e.slug },
  { name: 'url', type: 'string', description: 'Adresse de la page de l’entrée.', value: () => undefined },
  { name: 'titre', type: 'string', description: 'Titre.', value: (e) => e.data.titre },
  { name: 'resume', type: 'string', description: 'Résumé en une ou deux phrases.', value: (e) => e.data.resume },
  { name: 'statut', type: 'string', description: 'Statut éditorial : brouillon, propose, valide.', value: (e) => e.data.statut },
  { name: 'licence', type: 'string', description: 'Licence (identifiant SPDX).', value: (e) => e.data.licence },
  { name: 'contributeurs', type: 'string', description: 'Personnes qui ont écrit l’entrée, d’après l’historique Git (jamais une identité technique), séparées par « ; ».', value: (_, authors) => list(authors.people.map((p) => p.name)) },
  { name: 'auteurs', type: 'string', description: 'Tous les auteurs crédités, comme sur la page : personnes, structures créditées et, pour ce qui vient de l’import initial, « Contributeurs de Terreau » ; séparés par « ; ».', value: (_, authors) => list(authorNames(authors)) },
  { name: 'credits', type: 'string', description: 'Structures créditées (slugs), séparées par « ; ».', value: (e) => list(e.data.credits) },
  { name: 'derive_de', type: 'string', description: 'Entrée (collection/slug) ou URL dont l’entrée est adaptée.', value: (e) => e.data.derive_de?.source },
  { name: 'type', type: 'string', description: 'Type de guide ou de structure.', value: (e) => field(e, 'type') as string | undefined },
  { name: 'axes', type: 'string', description: 'Axes du référentiel (codes), séparés par « ; ».', value: (e) => list(e.axes) },
  { name: 'objectifs', type: 'string', description: 'Objectifs du référentiel (codes), séparés par « ; ».', value: (e) => listField(e, 'objectifs') },
  { name: 'phases', type: 'string', description: 'Phases de la démarche, séparées par « ; ».', value: (e) => listField(e, 'phases') },
  { name: 'difficulte', type: 'string', description: 'Difficulté de 1 (très facile) à 5 (très exigeant).', value: (e) => field(e, 'difficulte') as string | undefined },
  { name: 'cout', type: 'string', description: 'Tranche de coût.', value: (e) => field(e, 'cout') as string | undefined },
  { name: 'duree', type: 'string', description: 'Tranche de durée.', value: (e) => field(e, 'duree') as string | undefined },
  { name: 'acteurs', type: 'string', description: 'Acteurs concernés, séparés par « ; ».', value: (e) => listField(e, 'acteurs') },
  { name: 'tailles', type: 'string', description: 'Tailles de territoire (déclarées pour les outils, déduites de la population pour les territoires).', value: (e) => list(taillesOf(e)) },
  { name: 'themes', type: 'string', description: 'Thèmes, séparés par « ; ».', value: (e) => listField(e, 'themes') },
  { name: 'territoire', type: 'string', description: 'Nom du territoire (retours).', value: (e) => (e.collection === 'retours' ? (field(e, 'territoire') as { nom: string }).nom : undefined) },
  { name: 'communes', type: 'string', description: 'Codes INSEE des communes, séparés par « ; ».', value: (e) => list(e.territory?.communes.map((c) => c.code)) },
  { name: 'departements', type: 'string', description: 'Codes des départements, séparés par « ; ».', value: (e) => list(e.territory?.departements.map((d) => d.code)) },
  { name: 'population', type: 'integer', description: 'Population municipale des communes (INSEE), quand elles sont connues.', value: (e) => e.territory?.population },
  { name: 'periode_debut', type: 'string', description: 'Début de la démarche (AAAA ou AAAA-MM).', value: (e) => (field(e, 'periode') as { debut?: string } | undefined)?.debut },
  { name: 'periode_fin', type: 'string', description: 'Fin de la démarche (AAAA ou AAAA-MM).', value: (e) => (field(e, 'periode') as { fin?: string } | undefined)?.fin },
];

/**
 * Quotes a CSV cell (RFC 4180). A text that begins like a formula (= + - @, tab, carriage return)
 * is run by spreadsheets when the file is opened: it gets a leading apostrophe, which they show as
 * text (OWASP's advice for CSV injection). Numbers are written as numbers.
 */
function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** All entries as CSV (UTF-8 bytes), one row each, columns as in `csvColumns`. */
export function entriesCsv(commons: Commons, history: ContentHistory, site: URL): Buffer<ArrayBuffer> {
  const rows = [Buffer.from(csvColumns.map((c) => c.name).join(','))];
  for (const entry of commons.entries) {
    const authors = authorsOf(entry, history.byFile.get(entry.file), commons, site);
    const row = () => csvColumns.map((c) => csvCell(c.name === 'url' ? new URL(entry.url, site).href : c.value(entry, authors))).join(',');
    rows.push(serializedOnce(entry, 'csv', [entry.url, entry.axes, entry.territory ?? null, authors], row));
  }
  return joinBytes('', rows, '\r\n', '\r\n');
}

/** The Table Schema (Frictionless) describing `entrees.csv`. */
export function entriesTableSchema(): Record<string, unknown> {
  return {
    $schema: 'https://specs.frictionlessdata.io/schemas/table-schema.json',
    fields: csvColumns.map((c) => ({
      name: c.name,
      type: c.type,
      description: c.description,
      ...(['collection', 'slug', 'url', 'titre', 'resume', 'statut', 'licence'].includes(c.name) ? { constraints: { required: true } } : {}),
    })),
    primaryKey: ['collection', 'slug'],
    missingValues: [''],
  };
}

/** The Data Package that lists the exports with their licence. */
export function dataPackage(site: URL): Record<string, unknown> {
  return {
    name: 'terreau',
    title: 'Terreau — commun de méthodes et d’outils pour la résilience des territoires',
    homepage: new URL('/', site).href,
    licenses: [{ name: 'CC-BY-SA-4.0', path: 'https://creativecommons.org/licenses/by-sa/4.0/', title: 'Creative Commons Attribution Share-Alike 4.0' }],
    resources: [
      { name: 'entrees', path: 'entrees.csv', format: 'csv', mediatype: 'text/csv', encoding: 'utf-8', schema: 'entrees.tableschema.json' },
      { name: 'entrees-json', path: 'entrees.json', format: 'json', mediatype: 'application/json' },
      { name: 'retours', path: 'retours.geojson', format: 'geojson', mediatype: 'application/geo+json' },
    ],
  };
}

/**
 * Retours as GeoJSON features. No package at hand gives commune coordinates, and coordinates are
 * never typed by hand: features carry INSEE and département codes to join on, and no geometry
 * (RFC 7946 allows unlocated features).
 */
export function retoursGeoJson(commons: Commons, site: URL): Record<string, unknown> {
  return {
    type: 'FeatureCollection',
    features: commons.byCollection.retours.map((retour) => ({
      type: 'Feature',
      id: retour.ref,
      geometry: null,
      properties: {
        titre: retour.data.titre,
        url: new URL(retour.url, site).href,
        territoire: retour.data.territoire.nom,
        communes: (retour.territory?.communes ?? []).map((c) => ({ code: c.code, nom: c.nom })),
        departements: retour.territory?.departements ?? [],
        population: retour.territory?.population ?? null,
        taille: retour.territory?.taille ?? null,
        themes: retour.data.themes,
        periode: retour.data.periode ?? null,
        licence: retour.data.licence,
      },
    })),
  };
}

/** JSON Schema of each collection's data (the frontmatter for MDX collections). */
export function collectionJsonSchemas(): Record<string, unknown> {
  return Object.fromEntries(
    collectionNames.map((name) => [name, z.toJSONSchema(collections[name].schema, { io: 'input', unrepresentable: 'any' })]),
  );
}
