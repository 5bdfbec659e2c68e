/** Open data: every entry as JSON. */
import type { APIRoute } from 'astro';
import { getCommons } from '../../lib/commons.ts';
import { entriesJson } from '../../lib/exports.ts';
import { getHistory } from '../../lib/history.ts';
import { textResponse } from '../../lib/text-response.ts';

export const GET: APIRoute = async ({ site }) =>
  textResponse(entriesJson(await getCommons(), await getHistory(), site!), { headers: { 'Content-Type': 'application/json' } });
