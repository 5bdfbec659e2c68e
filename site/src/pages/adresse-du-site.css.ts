/**
 * The site's address for the print stylesheet (site.css prints relative links as full addresses).
 * A file rather than an inline <style>, which the strict Content-Security-Policy would refuse.
 */
import type { APIRoute } from 'astro';

export const GET: APIRoute = ({ site }) =>
  new Response(`:root{--site-origin:${JSON.stringify(new URL('/', site).origin)}}\n`, { headers: { 'content-type': 'text/css; charset=utf-8' } });
