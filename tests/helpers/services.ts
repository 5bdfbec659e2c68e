/** Tests that need real PostgreSQL and Redis servers; they never skip silently. */
import { describe } from 'vitest';
import { hasPostgres } from '../../scripts/lib/postgres-server.ts';
import { hasRedis } from '../../scripts/lib/redis-server.ts';

const missing = [...(hasPostgres() ? [] : ['PostgreSQL (apt-get install -y postgresql)']), ...(hasRedis() ? [] : ['redis-server (apt-get install -y redis-server)'])];
const skip = missing.length > 0 && !process.env.CI;
// Under CI a missing server fails the run (the helpers that start them say why); on a
// workstation without them, these tests are skipped, loudly.
if (skip) console.warn(`⚠ ${missing.join(' et ')} introuvable(s) : les tests à plusieurs serveurs sont IGNORÉS.`);

/** `describe` for tests that start PostgreSQL and Redis: skipped only outside CI when one is missing. */
export const describeWithServices = skip ? describe.skip : describe;
