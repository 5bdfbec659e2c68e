/** The list of commune name files of the guided path, and the names of the départements. */
import { buildCommuneNameFiles } from '../../../lib/commune-name-files.ts';

export function GET() {
  return new Response(JSON.stringify(buildCommuneNameFiles().manifest), { headers: { 'content-type': 'application/json' } });
}
