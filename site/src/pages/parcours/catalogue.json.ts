/** The catalogue the guided path computes a roadmap from, in the browser (packed: lib/catalogue-codec.ts). */
import { packCatalogue } from '../../lib/catalogue-codec.ts';
import { getCommons } from '../../lib/commons.ts';
import { buildCatalogue } from '../../lib/recommend-catalogue.ts';
import { textResponse } from '../../lib/text-response.ts';

export async function GET() {
  return textResponse(JSON.stringify(packCatalogue(buildCatalogue(await getCommons()))), { headers: { 'content-type': 'application/json' } });
}
