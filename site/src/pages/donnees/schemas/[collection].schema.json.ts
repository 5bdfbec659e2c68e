/** Open data: the JSON Schema of each collection, generated from the zod schemas. */
import type { APIRoute } from 'astro';
import { collectionJsonSchemas } from '../../../lib/exports.ts';

export function getStaticPaths() {
  return Object.keys(collectionJsonSchemas()).map((collection) => ({ params: { collection } }));
}

export const GET: APIRoute = ({ params }) => Response.json(collectionJsonSchemas()[params.collection!]);
