/**
 * The address every absolute URL of the site starts with (credit lines, JSON-LD, feeds, sitemap,
 * robots.txt, open data, printed roadmaps, invitation links): `SITE_URL` when it is set, otherwise
 * the address the server actually listens on, so a site served on port 4400 never says 4321.
 */
import { ProblemError } from './problem.ts';

/** Where `npm start` listens when neither HOST nor PORT is set. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4321;

/** The site's address, ending with `/`: `siteUrl` if given (checked), else `http://host:port/`. */
export function siteAddress(options: { siteUrl?: string | undefined; host?: string | undefined; port?: number | undefined }): string {
  if (options.siteUrl) return checkedSiteUrl(options.siteUrl);
  const host = options.host || DEFAULT_HOST;
  // Listening on every interface says nothing of the address people use: the machine's own then.
  const reachable = host === '0.0.0.0' ? DEFAULT_HOST : host === '::' ? '::1' : host;
  const literal = reachable.includes(':') ? `[${reachable}]` : reachable;
  return `http://${literal}:${options.port ?? DEFAULT_PORT}/`;
}

/** The sentence that says which address a build or a server uses, and where it comes from. */
export function explainSiteAddress(address: string, fromSiteUrl: boolean): string {
  return fromSiteUrl
    ? `Adresse du site (SITE_URL) : ${address}`
    : `Adresse du site : ${address} (SITE_URL n’est pas défini : c’est l’adresse où le serveur écoute ; pour une adresse publique, définissez SITE_URL=https://…)`;
}

function checkedSiteUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProblemError([{ file: 'variables d’environnement', field: 'SITE_URL', message: `adresse invalide « ${value} » : une adresse complète est attendue, par exemple https://terreau.example.org/` }]);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}
