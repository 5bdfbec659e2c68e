/**
 * The PostgreSQL database several servers share (DATABASE_URL): accounts, invitations, tokens,
 * sessions, failed logins, settings (the session secret), readers' contributions and their
 * moderation — the same columns as SQLite's (database.ts), epoch-ms integers as bigint — and the
 * journal and snapshots of the documents, and the published site's files. One connection pool per server; the schema is
 * created at start, under an advisory lock, so servers starting together do not race.
 */
import pg from 'pg';

const schema = `
CREATE TABLE IF NOT EXISTS users (
  id text PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL,
  password_hash text,
  created_at text NOT NULL,
  disabled_at text
);
CREATE UNIQUE INDEX IF NOT EXISTS users_by_email ON users (lower(email));
CREATE TABLE IF NOT EXISTS invitations (
  code_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_by text,
  created_at text NOT NULL,
  expires_at bigint NOT NULL,
  used_at text
);
CREATE TABLE IF NOT EXISTS tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  label text NOT NULL,
  created_at text NOT NULL,
  last_used_at text
);
CREATE TABLE IF NOT EXISTS sessions (
  id_hash text PRIMARY KEY,
  collab_token_hash text NOT NULL UNIQUE,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
  key text NOT NULL,
  at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_by_key ON login_failures (key, at);
CREATE TABLE IF NOT EXISTS settings (
  key text PRIMARY KEY,
  value text NOT NULL
);
CREATE TABLE IF NOT EXISTS reader_contributions (
  id text PRIMARY KEY,
  kind text NOT NULL,
  entry text,
  text text NOT NULL,
  name text NOT NULL,
  email text,
  title text,
  territory text,
  received_at text NOT NULL,
  status text NOT NULL,
  decided_by text,
  decided_at text,
  reason text,
  result text,
  credit_owed integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS reader_contributions_by_status ON reader_contributions (status, received_at);
CREATE TABLE IF NOT EXISTS moderation_log (
  id bigserial PRIMARY KEY,
  contribution_id text NOT NULL,
  action text NOT NULL,
  by_user_id text NOT NULL,
  by_name text NOT NULL,
  at text NOT NULL,
  reason text,
  result text
);
CREATE TABLE IF NOT EXISTS reader_sendings (
  address_key text NOT NULL,
  at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS reader_sendings_by_address ON reader_sendings (address_key, at);
CREATE TABLE IF NOT EXISTS documents (
  name text PRIMARY KEY,
  state bytea NOT NULL,
  base_text text,
  base_state bytea,
  committing_text text,
  committing_state bytea,
  stored_at bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS journal (
  id bigserial PRIMARY KEY,
  document text NOT NULL,
  update_data bytea NOT NULL,
  user_id text,
  created_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS journal_by_document ON journal (document, id);
CREATE TABLE IF NOT EXISTS pending_editors (
  document text NOT NULL,
  user_id text NOT NULL,
  updates integer NOT NULL,
  last_journal_id bigint NOT NULL,
  first_at bigint NOT NULL,
  last_at bigint NOT NULL,
  PRIMARY KEY (document, user_id)
);
CREATE TABLE IF NOT EXISTS site_files (
  hash bytea PRIMARY KEY,
  content bytea NOT NULL,
  stored_at bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS site_versions (
  id bigserial PRIMARY KEY,
  source_commit text,
  manifest bytea NOT NULL,
  files integer NOT NULL,
  bytes bigint NOT NULL,
  published_by text NOT NULL,
  published_at bigint NOT NULL
);
`;

/** What people are told while PostgreSQL cannot be reached (HTTP 503, refused collaboration connections). */
export const databaseUnavailable = 'base de données momentanément indisponible : réessayez dans quelques secondes';

/** PostgreSQL's clock in milliseconds: every server compares times on one clock. */
export const databaseNowMs = `floor(extract(epoch from statement_timestamp()) * 1000)::bigint`;

/** Opens a pool on `url` and creates the tables if missing. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // Fail fast while the database is away: the journal holds updates and tries again.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'terreau',
  });
  // An idle connection dropped by a restarting server is reported here; the pool replaces it.
  pool.on('error', (error) => console.error(`[postgres] connexion perdue : ${error.message}`));
  const client = await connectPatiently(pool);
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('terreau-schema'))`);
    await client.query(schema);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return pool;
}

/** The first connection, tried again for a minute: servers and their database often start together. */
async function connectPatiently(pool: pg.Pool): Promise<pg.PoolClient> {
  const deadline = Date.now() + 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await pool.connect();
    } catch (error) {
      if (!isPostgresUnavailable(error) || Date.now() > deadline) throw error;
      if (attempt === 1) console.error(`[postgres] injoignable au démarrage (${(error as Error).message}) : nouvel essai pendant une minute`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

/** Runs `fn` in one transaction on one connection (rolled back if it throws). */
export async function inPostgresTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await connectPatiently(pool);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether an error means PostgreSQL cannot be reached or asks to try again (connection lost,
 * server shutting down or starting, too many connections, a deadlock or serialization failure),
 * rather than refusing the statement.
 */
export function isPostgresUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && unreachableCodes.has(e.code)) return true;
  // SQLSTATE class 08: connection exception; 57P01–03: shutdown or not yet accepting; 53300: too many connections.
  if (e.code && (/^08/.test(e.code) || ['57P01', '57P02', '57P03', '53300', '40001', '40P01'].includes(e.code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|not queryable|Connection ended|connect ECONNREFUSED/i.test(e.message ?? '');
}
