/**
 * The commons as Astro content collections, read from CONTENT_DIR with the schemas of schemas/
 * (zod 4: the same instance as `astro/zod`, so they are passed as they are).
 */
import { resolve } from 'node:path';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { collections as definitions } from '../../schemas/collections.ts';
import type { CollectionName } from '../../schemas/common.ts';
import { contentDir } from './lib/paths.ts';

function collectionFor(name: CollectionName) {
  const definition = definitions[name];
  return defineCollection({
    loader: glob({
      base: resolve(contentDir, name),
      pattern: definition.format === 'mdx' ? '*.mdx' : '*.yaml',
      // The file name is the slug, whatever the frontmatter says.
      generateId: ({ entry }) => entry.replace(/\.(mdx|yaml)$/, ''),
    }),
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
