/** Open data: every entry as CSV (described by entrees.tableschema.json). */
import type { APIRoute } from 'astro';
import { getCommons } from '../../lib/commons.ts';
import { entriesCsv } from '../../lib/exports.ts';
import { getContentHistory } from '../../../../core/git-history.ts';
import { contentDir } from '../../lib/paths.ts';

export const GET: APIRoute = async ({ site }) =>
  new Response(entriesCsv(await getCommons(), await getContentHistory(contentDir), site!), { headers: { 'content-type': 'text/csv; charset=utf-8' } });
