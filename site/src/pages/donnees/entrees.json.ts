/** Open data: every entry as JSON. */
import type { APIRoute } from 'astro';
import { getCommons } from '../../lib/commons.ts';
import { exportEntries } from '../../lib/exports.ts';
import { getContentHistory } from '../../../../core/git-history.ts';
import { contentDir } from '../../lib/paths.ts';

export const GET: APIRoute = async ({ site }) =>
  Response.json(exportEntries(await getCommons(), await getContentHistory(contentDir), site!));
