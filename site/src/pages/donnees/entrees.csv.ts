/** Open data: every entry as CSV (described by entrees.tableschema.json). */
import type { APIRoute } from 'astro';
import { getCommons } from '../../lib/commons.ts';
import { entriesCsv } from '../../lib/exports.ts';
import { getHistory } from '../../lib/history.ts';
import { textResponse } from '../../lib/text-response.ts';

export const GET: APIRoute = async ({ site }) =>
  textResponse(entriesCsv(await getCommons(), await getHistory(), site!), { headers: { 'content-type': 'text/csv; charset=utf-8' } });
