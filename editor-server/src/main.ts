/**
 * `npm start`: reads the configuration, prepares DATA_DIR, serves the site, /api/, /commons.git
 * and the /collab WebSocket on one port, and builds the site if it is missing (with the address
 * it now serves as SITE_URL, unless SITE_URL is set). Only wiring lives here.
 */
import { configFromEnvironment, resolveConfig } from './config.ts';
import { ProblemError } from '../../core/problem.ts';
import { explainSiteAddress } from '../../core/site-address.ts';
import { createEditorServer } from './server.ts';

async function main(): Promise<void> {
  const config = resolveConfig(configFromEnvironment(process.env));
  const server = await createEditorServer(config);
  // Listening first gives the site its address; until it is built, pages answer « site en cours
  // de construction » (503, Retry-After). The address line below means « ready ».
  const port = await server.listen();
  if (config.siteBuild) console.log(explainSiteAddress(`${server.publicUrl()}/`, !!config.siteUrl));
  // Several servers: the Git writer builds; the others serve what it published (cluster/site-mirror.ts).
  if (config.siteBuild && !config.cluster && !server.publisher.hasSite()) {
    console.log(`Construction du site dans ${server.paths.siteDir}…`);
    await server.publisher.publish().published;
  } else if (config.siteBuild) {
    // The site worker builds the site once before it can publish commits incrementally: start
    // now, while the site of the last run is served (rebuilt for this address if it changed).
    void server.publisher.publish().published.catch((error) => console.error(`Construction du site : ${error}`));
  }
  console.log(`Terreau : ${server.publicUrl()}/ (écoute sur ${config.host}:${port} ; API /api/, collaboration /collab, clonage ${server.publicUrl()}/commons.git, données ${config.dataDir})`);
  if (config.cluster) console.log(`Serveur « ${config.cluster.instanceName} » parmi plusieurs : journal dans PostgreSQL, documents partagés par Redis, dépôt partagé ${redactUrl(config.sync.remote!)}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** A URL without its password, for logs. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

main().catch((error) => {
  console.error(error instanceof ProblemError ? error.message : error);
  process.exit(1);
});
