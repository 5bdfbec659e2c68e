/**
 * The commons as Astro content collections, read from CONTENT_DIR with the schemas of schemas/
 * (zod 4: the same instance as `astro/zod`, so they are passed as they are).
 */
import { resolve } from 'node:path';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { collections as definitions } from '../../schemas/collections.ts';
import type { CollectionName } from '../../schemas/common.ts';
import { mdxEntries } from './lib/entry-loader.ts';
import { contentDir } from './lib/paths.ts';

function collectionFor(name: CollectionName) {
  const definition = definitions[name];
  const base = resolve(contentDir, name);
  return defineCollection({
    // The file name is the slug, whatever the frontmatter says. MDX bodies are rendered to HTML
    // by Terreau's own loader (safe subset, cached between builds); YAML is plain data.
    loader:
      definition.format === 'mdx'
        ? mdxEntries(name, base)
        : glob({ base, pattern: '*.yaml', generateId: ({ entry }) => entry.replace(/\.yaml$/, '') }),
    schema: definition.schema,
  });
}

export const collections = {
  referentiel: collectionFor('referentiel'),
  fiches: collectionFor('fiches'),
  guides: collectionFor('guides'),
  retours: collectionFor('retours'),
  structures: collectionFor('structures'),
  territoires: collectionFor('territoires'),
  autodiagnostic: collectionFor('autodiagnostic'),
};
