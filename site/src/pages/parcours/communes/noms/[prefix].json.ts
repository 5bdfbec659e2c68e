/** One commune name file of the guided path: the communes whose name starts with its prefix. */
import { prefixFileName, type CommuneNameEntry } from '../../../../lib/commune-names.ts';
import { buildCommuneNameFiles } from '../../../../lib/commune-name-files.ts';

export function getStaticPaths() {
  return [...buildCommuneNameFiles().files].map(([prefix, communes]) => ({ params: { prefix: prefixFileName(prefix) }, props: { communes } }));
}

export function GET({ props }: { props: { communes: CommuneNameEntry[] } }) {
  return new Response(JSON.stringify(props.communes), { headers: { 'content-type': 'application/json' } });
}
