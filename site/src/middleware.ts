/**
 * At build time, every page gets its French typography (in its text only: never in tags,
 * attribute values, code or scripts), then is handed to the search indexer (with its HTML when it
 * carries `data-pagefind-body`, so search shows the same text as the page) and, under the
 * incremental publisher, records what it reads.
 */
import { defineMiddleware } from 'astro:middleware';
import { typesetHtmlText } from '../../core/typography.ts';
import { incrementalHooks } from './lib/incremental-hooks.ts';
import { registeredPageIndexer } from './lib/page-indexer.ts';
import { textResponse } from './lib/text-response.ts';

// The attribute on the page's own <main> (BaseLayout), not the words inside some contributed text.
const INDEXED_MAIN = /<main\b[^>]*\sdata-pagefind-body[\s=>]/;

export const onRequest = defineMiddleware((context, next) => {
  const render = async () => {
    const response = await next();
    const indexer = registeredPageIndexer();
    if (!response.headers.get('content-type')?.startsWith('text/html')) {
      indexer?.rendered(context.url.pathname, undefined);
      return response;
    }
    const html = typesetHtmlText(await response.text());
    indexer?.rendered(context.url.pathname, INDEXED_MAIN.test(html) ? html : undefined);
    return textResponse(html, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  const hooks = incrementalHooks();
  return hooks?.tracking ? hooks.renderPage(context.url.pathname, render) : render();
});
