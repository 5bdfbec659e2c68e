/**
 * Build side of the guided path: the catalogue of tools and retours it recommends from, and the
 * commune lookup files that let the browser derive a size from an INSEE code without the whole
 * national dataset.
 */
import { createRequire } from 'node:module';
import { communeNameKey, MAX_COMMUNES_PER_FILE, type CommuneNameEntry, type CommuneNameManifest } from './commune-names.ts';
import type { Commons } from './commons.ts';
import { communeChunkKey, type Catalogue } from './recommend.ts';

/** The catalogue of the guided path: every fiche and guide with its facets, every retour with its size. */
export function buildCatalogue(commons: Commons): Catalogue {
  const tools = [...commons.byCollection.fiches, ...commons.byCollection.guides].map((entry) => ({
    collection: entry.collection,
    url: entry.url,
    titre: entry.data.titre,
    resume: entry.data.resume,
    phases: entry.data.phases,
    difficulte: entry.data.difficulte,
    cout: entry.data.cout,
    acteurs: entry.data.acteurs,
    tailles: entry.data.tailles,
    themes: entry.data.themes,
  }));
  const retours = commons.byCollection.retours.map((entry) => ({
    url: entry.url,
    titre: entry.data.titre,
    territoire: entry.data.territoire.nom,
    ...(entry.territory?.taille ? { taille: entry.territory.taille } : {}),
    themes: entry.data.themes,
  }));
  return { tools, retours };
}

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  population?: number;
}

/** One lookup file per département prefix: INSEE code → [nom, population] (about 10 kB gzipped at most). */
export function buildCommuneChunks(): Map<string, Record<string, [string, number | null]>> {
  const require = createRequire(import.meta.url);
  const communes = require('@etalab/decoupage-administratif/data/communes.json') as RawCommune[];
  const chunks = new Map<string, Record<string, [string, number | null]>>();
  for (const commune of communes) {
    if (commune.type !== 'commune-actuelle') continue;
    const key = communeChunkKey(commune.code);
    const chunk = chunks.get(key) ?? {};
    chunk[commune.code] = [commune.nom, commune.population ?? null];
    chunks.set(key, chunk);
  }
  return chunks;
}

/**
 * The commune name files of the guided path: current communes grouped by the first letters of
 * their name, the prefix lengthened until a group holds at most MAX_COMMUNES_PER_FILE (the Saint-
 * and Sainte- communes, thousands of them, are thus split by the name that follows).
 */
export function buildCommuneNameFiles(): { manifest: CommuneNameManifest; files: Map<string, CommuneNameEntry[]> } {
  communeNameFiles ??= readCommuneNameFiles();
  return communeNameFiles;
}

// Two pages (the list and the files) need it: read the 8 MB dataset once per build.
let communeNameFiles: ReturnType<typeof readCommuneNameFiles> | undefined;

function readCommuneNameFiles(): { manifest: CommuneNameManifest; files: Map<string, CommuneNameEntry[]> } {
  const require = createRequire(import.meta.url);
  const communes = (require('@etalab/decoupage-administratif/data/communes.json') as RawCommune[]).filter((c) => c.type === 'commune-actuelle');
  const departements = require('@etalab/decoupage-administratif/data/departements.json') as { code: string; nom: string }[];
  const files = new Map<string, CommuneNameEntry[]>();
  const split = (group: { key: string; entry: CommuneNameEntry }[], length: number) => {
    const byPrefix = new Map<string, { key: string; entry: CommuneNameEntry }[]>();
    for (const item of group) {
      const prefix = item.key.slice(0, length);
      byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), item]);
    }
    for (const [prefix, items] of byPrefix) {
      // A name no longer than the prefix cannot be split further: it stays with its group.
      if (items.length > MAX_COMMUNES_PER_FILE && items.some((item) => item.key.length > length)) split(items, length + 1);
      else files.set(prefix, items.map((item) => item.entry));
    }
  };
  split(
    communes.map((c) => ({ key: communeNameKey(c.nom), entry: [c.nom, c.code, c.population ?? null] as CommuneNameEntry })),
    2,
  );
  return { manifest: { prefixes: [...files.keys()].sort(), departements: Object.fromEntries(departements.map((d) => [d.code, d.nom])) }, files };
}
