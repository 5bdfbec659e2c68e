/**
 * At build time, every page gets its French typography (in its text only: never in tags,
 * attribute values, code or scripts) and is handed to the search indexer (with its HTML when it
 * carries `data-pagefind-body`, so search shows the same text as the page): a full build does
 * both, and writes the page, in a thread of its own (lib/page-indexer.ts); under the incremental
 * publisher, each page records what it reads.
 */
import { defineMiddleware } from 'astro:middleware';
import { typesetHtmlText } from '../../core/typography.ts';
import { incrementalHooks } from './lib/incremental-hooks.ts';
import { registeredPageIndexer } from './lib/page-indexer.ts';
import { textResponse } from './lib/text-response.ts';

export const onRequest = defineMiddleware((context, next) => {
  const render = async () => {
    const response = await next();
    const indexer = registeredPageIndexer();
    if (!response.headers.get('content-type')?.startsWith('text/html')) {
      indexer?.other(context.url.pathname);
      return response;
    }
    const html = indexer ? await indexer.page(context.url.pathname, await response.arrayBuffer()) : typesetHtmlText(await response.text());
    const init = { status: response.status, statusText: response.statusText, headers: response.headers };
    // No body: the page's file is written (Astro writes none).
    return html === undefined ? new Response(null, init) : textResponse(html, init);
  };
  const hooks = incrementalHooks();
  return hooks?.tracking ? hooks.renderPage(context.url.pathname, render) : render();
});
