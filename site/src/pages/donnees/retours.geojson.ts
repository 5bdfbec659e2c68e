/** Open data: retours d'expérience as GeoJSON features. */
import type { APIRoute } from 'astro';
import { getCommons } from '../../lib/commons.ts';
import { retoursGeoJson } from '../../lib/exports.ts';
import { textResponse } from '../../lib/text-response.ts';

export const GET: APIRoute = async ({ site }) =>
  textResponse(JSON.stringify(retoursGeoJson(await getCommons(), site!)), { headers: { 'content-type': 'application/geo+json' } });
