/**
 * French communes, départements and EPCI from `@etalab/decoupage-administratif`: populations,
 * départements and intercommunalités are always derived from an INSEE code, never typed by hand.
 */
import { createRequire } from 'node:module';
import { closest, distance } from 'fastest-levenshtein';
import { sizeFromPopulation, type Taille } from '../schemas/vocabularies.ts';

const require = createRequire(import.meta.url);

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  population?: number;
}
interface RawDepartement {
  code: string;
  nom: string;
}
interface RawEpci {
  code: string;
  nom: string;
  membres: { code: string }[];
}

/** A commune with what the commons derives from its INSEE code. */
export interface Commune {
  code: string;
  nom: string;
  /** Municipal population of the latest census in the dataset (absent for a few communes). */
  population?: number;
  departement: { code: string; nom: string };
  epci?: { code: string; nom: string };
}

interface Index {
  communes: Map<string, RawCommune>;
  departements: Map<string, RawDepartement>;
  epciByCommune: Map<string, RawEpci>;
}

let index: Index | undefined;
let namesIndex: Map<string, RawCommune[]> | undefined;

/**
 * Year of the Code officiel géographique the dataset follows: the package releases one major
 * version per year (1.x for 2021 … 6.x for 2026), as its README documents.
 */
export const geographyYear: number = 2020 + Number((require('@etalab/decoupage-administratif/package.json') as { version: string }).version.split('.')[0]);

// The dataset is ~8 MB of JSON: load it once, and only when a code is looked up.
function getIndex(): Index {
  if (index) return index;
  const rawCommunes = require('@etalab/decoupage-administratif/data/communes.json') as RawCommune[];
  const rawDepartements = require('@etalab/decoupage-administratif/data/departements.json') as RawDepartement[];
  const rawEpcis = require('@etalab/decoupage-administratif/data/epci.json') as RawEpci[];
  const communes = new Map<string, RawCommune>();
  for (const commune of rawCommunes) if (commune.type === 'commune-actuelle') communes.set(commune.code, commune);
  const epciByCommune = new Map<string, RawEpci>();
  for (const epci of rawEpcis) for (const member of epci.membres) epciByCommune.set(member.code, epci);
  index = {
    communes,
    departements: new Map(rawDepartements.map((d) => [d.code, d])),
    epciByCommune,
  };
  return index;
}

// Communes by normalised name, made on the first search by name (checking codes never needs it).
function getNamesByKey(): Map<string, RawCommune[]> {
  if (namesIndex) return namesIndex;
  namesIndex = new Map();
  for (const commune of getIndex().communes.values()) {
    const key = nameKey(commune.nom);
    const same = namesIndex.get(key);
    if (same) same.push(commune);
    else namesIndex.set(key, [commune]);
  }
  return namesIndex;
}

/** Normalises a place name for comparison: no accents, case, hyphens or apostrophes. */
function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/^(saint|sainte)\b/, (s) => (s === 'saint' ? 'st' : 'ste'))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Looks up a current commune by INSEE code. */
export function getCommune(code: string): Commune | undefined {
  const { communes, departements, epciByCommune } = getIndex();
  const raw = communes.get(code);
  if (!raw) return undefined;
  const departementCode = raw.departement ?? code.slice(0, 2);
  const epci = epciByCommune.get(code);
  return {
    code: raw.code,
    nom: raw.nom,
    ...(raw.population === undefined ? {} : { population: raw.population }),
    departement: { code: departementCode, nom: departements.get(departementCode)?.nom ?? departementCode },
    ...(epci ? { epci: { code: epci.code, nom: epci.nom } } : {}),
  };
}

/** Looks up a département by code (`79`, `2A`, `974`). */
export function getDepartement(code: string): { code: string; nom: string } | undefined {
  const departement = getIndex().departements.get(code);
  return departement ? { code: departement.code, nom: departement.nom } : undefined;
}

/** Current communes named exactly `name` (accents, case and hyphens aside): homonyms all. */
export function findCommunesByName(name: string): Commune[] {
  return (getNamesByKey().get(nameKey(name)) ?? []).map((raw) => getCommune(raw.code)).filter((commune): commune is Commune => commune !== undefined);
}

/** Suggests communes whose name is closest to `name` (exact name first, then close spellings). */
export function suggestCommunes(name: string, limit = 3): Commune[] {
  const namesByKey = getNamesByKey();
  const key = nameKey(name);
  const exact = namesByKey.get(key);
  const keys = exact ? [key] : [...namesByKey.keys()].filter((candidate) => distance(candidate, key) <= 2).sort((a, b) => distance(a, key) - distance(b, key));
  if (!exact && keys.length === 0) {
    const nearest = closest(key, [...namesByKey.keys()]);
    if (nearest) keys.push(nearest);
  }
  return keys
    .flatMap((k) => namesByKey.get(k) ?? [])
    .slice(0, limit)
    .map((raw) => getCommune(raw.code))
    .filter((commune): commune is Commune => commune !== undefined);
}

/** What a territory is, derived from its communes (and départements when communes are unknown). */
export interface TerritoryFacts {
  communes: Commune[];
  /** Sum of the communes' populations, absent when no commune is known or the territory is a quartier. */
  population?: number;
  /** Size band of the territory; a quartier is sized as a quartier, never as its whole commune. */
  taille?: Taille;
  /** True when the territory is a quartier of the commune given, whose population is not the quartier's. */
  quartier?: boolean;
  departements: { code: string; nom: string }[];
  epcis: { code: string; nom: string }[];
}

/** Derives population, size, départements and EPCI of a territory from INSEE codes (`quartier`: a part of the commune). */
export function describeTerritory(codes: readonly string[], departementCodes: readonly string[] = [], nature?: string): TerritoryFacts {
  const communes = codes.map(getCommune).filter((c): c is Commune => c !== undefined);
  const uniqueBy = <T extends { code: string }>(items: T[]) => [...new Map(items.map((i) => [i.code, i])).values()];
  const departements = uniqueBy([
    ...communes.map((c) => c.departement),
    ...departementCodes.map(getDepartement).filter((d): d is { code: string; nom: string } => d !== undefined),
  ]);
  const epcis = uniqueBy(communes.flatMap((c) => (c.epci ? [c.epci] : [])));
  if (communes.length === 0) return { communes, departements, epcis };
  if (nature === 'quartier') return { communes, taille: 'quartier', quartier: true, departements, epcis };
  const population = communes.reduce((sum, c) => sum + (c.population ?? 0), 0);
  const taille: Taille = communes.length > 1 ? 'intercommunalite' : sizeFromPopulation(population);
  return { communes, population, taille, departements, epcis };
}
