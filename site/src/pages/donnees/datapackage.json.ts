/** Open data: the Data Package listing the exports and their licence. */
import type { APIRoute } from 'astro';
import { dataPackage } from '../../lib/exports.ts';

export const GET: APIRoute = ({ site }) => Response.json(dataPackage(site!));
