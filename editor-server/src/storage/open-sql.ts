/**
 * Opens the database the account stores use, as the server would: PostgreSQL when DATABASE_URL is
 * set, the SQLite file under DATA_DIR otherwise. For the admin command and tests, which need the
 * accounts without a running server.
 */
import { join } from 'node:path';
import { openDatabase } from './database.ts';
import { openPostgres } from './postgres-database.ts';
import { PostgresSql, SqliteSql, type SqlDatabase } from './sql.ts';

/** The database of `config`, and how to close it. */
export async function openSqlDatabase(config: { databaseUrl?: string | undefined; dataDir: string }): Promise<{ sql: SqlDatabase; close(): Promise<void> }> {
  if (config.databaseUrl) {
    const pool = await openPostgres(config.databaseUrl, { max: 2 });
    return { sql: new PostgresSql(pool), close: () => pool.end() };
  }
  const db = openDatabase(join(config.dataDir, 'terreau.sqlite'));
  return { sql: new SqliteSql(db), close: async () => db.close() };
}
