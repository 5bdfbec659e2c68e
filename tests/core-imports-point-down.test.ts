/** Imports point down only: scripts, site and editor-server use core; core uses schemas; nothing climbs back. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countEdges, listFolderImports } from './helpers/import-graph.ts';

const root = resolve(import.meta.dirname, '..');

/** Which top-level folders each folder may import from (besides itself). */
const allowed: Record<string, string[]> = {
  schemas: [],
  core: ['schemas'],
  // LICENSES: the licence's text, copied as is into the reuse bundles.
  site: ['core', 'schemas', 'LICENSES'],
  'editor-server': ['core', 'schemas'],
  // Command-line entry points wire the parts together.
  scripts: ['core', 'schemas', 'site', 'editor-server'],
};

describe('the top-level folders', () => {
  const imports = listFolderImports(root, Object.keys(allowed));

  it('import only the folders below them', () => {
    const forbidden = imports.filter(({ from, to }) => !allowed[from]!.includes(to)).map(({ file, specifier }) => `${file} importe ${specifier}`);
    expect(forbidden).toEqual([]);
  });

  it('are read by the check at all (the graph is not empty)', () => {
    const edges = countEdges(imports);
    for (const edge of ['core -> schemas', 'site -> core', 'editor-server -> core', 'scripts -> core']) expect(edges[edge]).toBeGreaterThan(0);
  });
});
