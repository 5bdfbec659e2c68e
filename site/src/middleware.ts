/** At build time, hands every page meant for search (it carries `data-pagefind-body`) to the index. */
import { defineMiddleware } from 'astro:middleware';
import { registeredPageIndexer } from './lib/page-indexer.ts';

// The attribute on the page's own <main> (BaseLayout), not the words inside some contributed text.
const INDEXED_MAIN = /<main\b[^>]*\sdata-pagefind-body[\s=>]/;

export const onRequest = defineMiddleware(async (context, next) => {
  const response = await next();
  const indexer = registeredPageIndexer();
  if (!indexer || !response.headers.get('content-type')?.startsWith('text/html')) return response;
  const html = await response.text();
  if (INDEXED_MAIN.test(html)) indexer.add(context.url.pathname, html);
  return new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers });
});
