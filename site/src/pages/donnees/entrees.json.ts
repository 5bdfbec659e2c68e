/** Open data: every entry as JSON. */
import type { APIRoute } from 'astro';
import { getCommons } from '../../lib/commons.ts';
import { exportEntries } from '../../lib/exports.ts';
import { getHistory } from '../../lib/history.ts';

export const GET: APIRoute = async ({ site }) =>
  Response.json(exportEntries(await getCommons(), await getHistory(), site!));
