/**
 * Build side of the guided path's commune names (commune-names.ts): the official list of current
 * communes cut into small files by name prefix. Kept apart from the catalogue so that it needs
 * nothing of the content collections.
 */
import { createRequire } from 'node:module';
import { communeNameKey, MAX_COMMUNES_PER_FILE, type CommuneNameEntry, type CommuneNameManifest } from './commune-names.ts';

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  population?: number;
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
      const same = byPrefix.get(prefix);
      if (same) same.push(item);
      else byPrefix.set(prefix, [item]);
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
