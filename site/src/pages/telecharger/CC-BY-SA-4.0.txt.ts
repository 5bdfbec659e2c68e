/** The full text of CC BY-SA 4.0, put in every reuse bundle (the browser fetches it for selections). */
import type { APIRoute } from 'astro';
import licenceText from '../../../../LICENSES/CC-BY-SA-4.0.txt?raw';

export const GET: APIRoute = () => new Response(licenceText, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
