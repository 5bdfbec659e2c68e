/** The imports between the top-level folders of the repository, read from the sources themselves. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One import that crosses from one top-level folder to another. */
export interface FolderImport {
  from: string;
  to: string;
  /** The importing file, relative to the root. */
  file: string;
  specifier: string;
}

const SOURCE = /\.(ts|mts|mjs|js|astro)$/;
// Static imports and re-exports (at the start of a line, so code written inside a string is not
// read as an import), side-effect imports, and dynamic import('…') with a literal anywhere.
const SPECIFIER = /^\s*(?:import|export|\})\b[^\n'"]*?(?:from\s*)?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Lists every relative import in `folders` (top-level folder names) that lands in another top-level folder. */
export function listFolderImports(root: string, folders: readonly string[]): FolderImport[] {
  const found: FolderImport[] = [];
  for (const folder of folders) {
    for (const file of listSources(join(root, folder))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(SPECIFIER)) {
        const specifier = match[1] ?? match[2]!;
        const target = relative(root, resolve(dirname(file), specifier));
        const to = target.split(sep)[0]!;
        if (to !== folder) found.push({ from: folder, to, file: relative(root, file), specifier });
      }
    }
  }
  return found;
}

/** Counts imports per `from -> to` edge, as `{ "site -> core": 12 }`. */
export function countEdges(imports: readonly FolderImport[]): Record<string, number> {
  const edges: Record<string, number> = {};
  for (const { from, to } of imports) edges[`${from} -> ${to}`] = (edges[`${from} -> ${to}`] ?? 0) + 1;
  return Object.fromEntries(Object.entries(edges).sort(([a], [b]) => a.localeCompare(b)));
}

function listSources(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && SOURCE.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !/[\\/](node_modules|dist|\.astro)[\\/]/.test(path));
}
