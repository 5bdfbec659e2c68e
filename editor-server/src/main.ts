/**
 * `npm start`: reads the configuration, prepares DATA_DIR, builds the site if it is missing (or was
 * built for another address), and serves the site, /api/ and the /collab WebSocket on one port.
 * Only wiring lives here.
 */
import { configFromEnvironment, resolveConfig } from './config.ts';
import { ProblemError } from '../../core/problem.ts';
import { explainSiteAddress } from '../../core/site-address.ts';
import { createEditorServer } from './server.ts';

async function main(): Promise<void> {
  const config = resolveConfig(configFromEnvironment(process.env));
  const server = await createEditorServer(config);
  // With port 0 the address is known only once listening; otherwise build first, then serve.
  const port = config.port === 0 ? await server.listen() : undefined;
  const stale = !server.publisher.hasSite() || server.publisher.builtAddress() !== server.siteUrl();
  if (config.siteBuild && stale) {
    console.log(`Construction du site dans ${server.paths.siteDir}…`);
    console.log(explainSiteAddress(server.siteUrl(), !!config.siteUrl));
    await server.publisher.publish();
  }
  const listening = port ?? (await server.listen());
  console.log(`Terreau : ${server.siteUrl()} (écoute sur ${config.host}:${listening} ; API /api/, collaboration /collab, données ${config.dataDir})`);
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

main().catch((error) => {
  console.error(error instanceof ProblemError ? error.message : error);
  process.exit(1);
});
