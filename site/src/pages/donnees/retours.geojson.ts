/** Open data: retours d'expérience as GeoJSON features. */
import type { APIRoute } from 'astro';
import { getCommons } from '../../lib/commons.ts';
import { retoursGeoJson } from '../../lib/exports.ts';

export const GET: APIRoute = async ({ site }) =>
  new Response(JSON.stringify(retoursGeoJson(await getCommons(), site!)), { headers: { 'content-type': 'application/geo+json' } });
