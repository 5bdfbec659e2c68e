/** JSON Schemas of the collections, for licensees and open data (generated from the zod schemas). */
import { z } from 'zod';
import { collections } from './collections.ts';
import type { CollectionName } from './common.ts';

/** The JSON Schema (draft 2020-12) of one collection's entry data, as a contributor writes it. */
export function collectionJsonSchema(collection: CollectionName): Record<string, unknown> {
  const { schema, label } = collections[collection];
  // `input` describes what a file may contain (defaults optional), which is what a fork writes.
  return {
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    title: label,
  };
}
