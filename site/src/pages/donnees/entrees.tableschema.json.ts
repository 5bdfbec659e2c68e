/** Open data: the Table Schema of entrees.csv. */
import type { APIRoute } from 'astro';
import { entriesTableSchema } from '../../lib/exports.ts';

export const GET: APIRoute = () => Response.json(entriesTableSchema());
