/**
 * The server's SQLite database (node:sqlite): accounts, invitations, tokens, sessions, failed logins,
 * readers' contributions and their moderation, the durable journal of Yjs updates and the stored
 * document snapshots. One file under DATA_DIR, opened once.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

const schema = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT,
  created_at TEXT NOT NULL,
  disabled_at TEXT
);
-- Logins look accounts up by lower(email), the form both engines share (storage/sql.ts).
CREATE INDEX IF NOT EXISTS users_by_lower_email ON users(lower(email));
CREATE TABLE IF NOT EXISTS invitations (
  code_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_by TEXT,
  created_at TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at TEXT
);
CREATE TABLE IF NOT EXISTS tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
  id_hash TEXT PRIMARY KEY,
  collab_token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
  key TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_by_key ON login_failures(key, at);
CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reader_contributions (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  entry TEXT,
  text TEXT NOT NULL,
  name TEXT NOT NULL,
  email TEXT,
  title TEXT,
  territory TEXT,
  received_at TEXT NOT NULL,
  status TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  reason TEXT,
  result TEXT,
  credit_owed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS reader_contributions_by_status ON reader_contributions(status, received_at);
CREATE TABLE IF NOT EXISTS moderation_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contribution_id TEXT NOT NULL,
  action TEXT NOT NULL,
  by_user_id TEXT NOT NULL,
  by_name TEXT NOT NULL,
  at TEXT NOT NULL,
  reason TEXT,
  result TEXT
);
CREATE TABLE IF NOT EXISTS reader_sendings (
  address_key TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reader_sendings_by_address ON reader_sendings(address_key, at);
CREATE TABLE IF NOT EXISTS documents (
  name TEXT PRIMARY KEY,
  state BLOB NOT NULL,
  base_text TEXT,
  base_state BLOB,
  stored_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS journal (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document TEXT NOT NULL,
  update_data BLOB NOT NULL,
  user_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS journal_by_document ON journal(document, id);
-- One row the checkpoint thread rewrites to start the WAL over itself (storage/wal-checkpoints.ts).
CREATE TABLE IF NOT EXISTS wal_restarts (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_editors (
  document TEXT NOT NULL,
  user_id TEXT NOT NULL,
  updates INTEGER NOT NULL,
  last_journal_id INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (document, user_id)
);
`;

/** Columns added since the first release, for databases created before them. */
const addedColumns = [
  { table: 'pending_editors', column: 'last_at', definition: 'INTEGER NOT NULL DEFAULT 0' },
  { table: 'documents', column: 'committing_text', definition: 'TEXT' },
  { table: 'documents', column: 'committing_state', definition: 'BLOB' },
];

/**
 * Opens (and creates or migrates) the database at `file`. In WAL mode a committed transaction
 * survives the process being killed at any point with `synchronous = NORMAL` (the default here,
 * 0.2–0.5 ms per transaction); `FULL` also survives power loss, at about 3 ms per transaction (one
 * fsync each). The journal writer puts every update of one event-loop turn in one transaction, so
 * either cost is paid per batch of updates, not per update.
 */
export function openDatabase(file: string, sync: 'normal' | 'full' = 'normal'): DatabaseSync {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;`);
  db.exec(schema);
  for (const { table, column, definition } of addedColumns) {
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  }
  migrate(db);
  return db;
}

/** Brings a database made by an earlier version up to the current schema. */
function migrate(db: DatabaseSync): void {
  const userColumns = (db.prepare('PRAGMA table_info(users)').all() as { name: string }[]).map((c) => c.name);
  if (!userColumns.includes('disabled_at')) db.exec('ALTER TABLE users ADD COLUMN disabled_at TEXT');
}

/** Runs `fn` inside one committed transaction (rolled back if it throws). */
export function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
