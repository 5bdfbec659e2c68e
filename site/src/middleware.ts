/**
 * At build time, every page gets its French typography (in its text only: never in tags,
 * attribute values, code or scripts), then every page meant for search (it carries
 * `data-pagefind-body`) is handed to the index, so search shows the same text as the page.
 */
import { defineMiddleware } from 'astro:middleware';
import { typesetHtmlText } from '../../core/typography.ts';
import { registeredPageIndexer } from './lib/page-indexer.ts';

// The attribute on the page's own <main> (BaseLayout), not the words inside some contributed text.
const INDEXED_MAIN = /<main\b[^>]*\sdata-pagefind-body[\s=>]/;

export const onRequest = defineMiddleware(async (context, next) => {
  const response = await next();
  if (!response.headers.get('content-type')?.startsWith('text/html')) return response;
  const html = typesetHtmlText(await response.text());
  const indexer = registeredPageIndexer();
  if (indexer && INDEXED_MAIN.test(html)) indexer.add(context.url.pathname, html);
  return new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers });
});
