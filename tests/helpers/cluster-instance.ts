/**
 * One editor server of a test cluster, in a process of its own (so a test can kill -9 or
 * SIGSTOP it): configured from the environment exactly as `npm start` is, except that with
 * TERREAU_TEST_STUB_SITE=1 the site worker is tests/helpers/stub-site-build.ts, building in a fraction
 * of a second instead of a minute.
 */
import { resolve } from 'node:path';
import { configFromEnvironment, resolveConfig } from '../../editor-server/src/config.ts';
import { createEditorServer } from '../../editor-server/src/server.ts';

const stub = process.env.TERREAU_TEST_STUB_SITE === '1' ? { siteWorkerCommand: [process.execPath, resolve(import.meta.dirname, 'stub-site-build.ts')] } : {};
const config = resolveConfig(configFromEnvironment(process.env), stub);
const server = await createEditorServer(config);
const port = await server.listen();
console.log(`Terreau : http://${config.host}:${port}/ (instance ${config.cluster?.instanceName ?? 'seule'})`);
let stopping = false;
process.on('SIGTERM', async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
});
