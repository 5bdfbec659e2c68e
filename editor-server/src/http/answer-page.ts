/**
 * The pages the server answers a reader's form with (thanks, or what to fix), in the site's own
 * layout: the built site has a page `/contribuer/reponse/` whose main holds only a marker, and the
 * answer takes its place. When the site is not built here (hosted elsewhere), a bare page says the
 * same. The caller escapes everything it puts in `html`.
 */
import { readFile, realpath } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { escapeHtml } from '../../../core/escape-html.ts';

/** Where the answer goes in the template page (site/src/pages/contribuer/reponse.astro). */
export const ANSWER_MARKER = '<div id="reponse-lecteur"></div>';

/** One answer page. */
export interface AnswerPage {
  status: number;
  /** Title of the page (without the site name). */
  title: string;
  /** Content of <main>, already escaped. */
  html: string;
  headers?: Record<string, string>;
}

/** Sends an answer page, in the site's layout when the site is built in `siteDir`. */
export async function sendAnswerPage(response: ServerResponse, siteDir: string, page: AnswerPage): Promise<void> {
  const template = await readTemplate(siteDir);
  const title = `${escapeHtml(page.title)} — Terreau`;
  const html = template?.includes(ANSWER_MARKER)
    ? template.replace(/<title>[^<]*<\/title>/, `<title>${title}</title>`).replace(ANSWER_MARKER, () => page.html)
    : `<!doctype html>\n<html lang="fr"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><meta name="robots" content="noindex" /><title>${title}</title></head><body><main>${page.html}</main></body></html>`;
  response.writeHead(page.status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...page.headers,
  });
  response.end(html);
}

async function readTemplate(siteDir: string): Promise<string | undefined> {
  try {
    // The site is published by moving a link: read the version it points to now.
    return await readFile(join(await realpath(siteDir), 'contribuer', 'reponse', 'index.html'), 'utf8');
  } catch {
    return undefined;
  }
}
