/** Commune lookup files of the guided path, one per département: INSEE code → [nom, population]. */
import { buildCommuneChunks } from '../../../lib/recommend-catalogue.ts';

export function getStaticPaths() {
  return [...buildCommuneChunks()].map(([departement, communes]) => ({ params: { departement }, props: { communes } }));
}

export function GET({ props }: { props: { communes: Record<string, [string, number | null]> } }) {
  return new Response(JSON.stringify(props.communes), { headers: { 'content-type': 'application/json' } });
}
