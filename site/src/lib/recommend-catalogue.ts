/**
 * Build side of the guided path: the catalogue of tools and retours it recommends from, and the
 * commune lookup files that let the browser derive a size from an INSEE code without the whole
 * national dataset.
 */
import { createRequire } from 'node:module';
import type { Commons } from './commons.ts';
import { communeChunkKey, type Catalogue } from './recommend.ts';
import { isReviewed } from '../../../core/editorial-status.ts';
import { typesetFrench } from '../../../core/typography.ts';

/** The catalogue of the guided path: every public fiche and guide with its facets, every retour with its size, and which are validated. */
export function buildCatalogue(commons: Commons): Catalogue {
  const tools = [...commons.byCollection.fiches, ...commons.byCollection.guides].map((entry) => ({
    collection: entry.collection,
    url: entry.url,
    // The browser draws the reader's roadmap from these: they are shown as they are.
    titre: typesetFrench(entry.data.titre),
    resume: typesetFrench(entry.data.resume),
    phases: entry.data.phases,
    difficulte: entry.data.difficulte,
    cout: entry.data.cout,
    acteurs: entry.data.acteurs,
    tailles: entry.data.tailles,
    themes: entry.data.themes,
    ...(isReviewed(entry.review) ? { reviewed: true as const } : {}),
  }));
  const retours = commons.byCollection.retours.map((entry) => ({
    url: entry.url,
    titre: typesetFrench(entry.data.titre),
    territoire: typesetFrench(entry.data.territoire.nom),
    ...(entry.territory?.taille ? { taille: entry.territory.taille } : {}),
    themes: entry.data.themes,
    ...(isReviewed(entry.review) ? { reviewed: true as const } : {}),
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

