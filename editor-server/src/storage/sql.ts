/**
 * One small asynchronous SQL interface for the stores written once for both engines (accounts,
 * login throttle, reader contributions): node:sqlite on one server, PostgreSQL (pg) when several
 * share DATABASE_URL. The SQL is written in the dialect both speak: `?` placeholders, `ON CONFLICT
 * … DO …`, `RETURNING`, `lower(…)`, no `INSERT OR …` and no engine-only functions.
 *
 * node:sqlite has one connection and runs statements at once: a transaction that awaits would let
 * another caller's statements slip inside its BEGIN…COMMIT. So every statement on a SQLite
 * database goes through one lock per connection (`exclusive`), which a transaction holds from
 * BEGIN to COMMIT; the document store takes the same lock, so nothing interleaves.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import pg from 'pg';

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** Runs statements: the database itself, or the one transaction being run. */
export interface SqlExecutor {
  /** Every row. */
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, if any. */
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** A statement without rows (or with `RETURNING`, ignored): how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

/** A database the stores share, on either engine. */
export interface SqlDatabase extends SqlExecutor {
  readonly kind: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction (rolled back if it throws); `fn` uses only the executor it is given. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** Whether an error is a UNIQUE constraint refusing a duplicate, on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return e?.code === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

const locks = new WeakMap<DatabaseSync, { tail: Promise<void> | undefined }>();

/**
 * Runs `fn` on a SQLite connection when no transaction of this interface holds it: at once (and
 * synchronously) when free, after the holder otherwise.
 */
export function exclusive<T>(db: DatabaseSync, fn: () => T): Promise<T> {
  const lock = locks.get(db);
  if (!lock?.tail) {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return lock.tail.then(() => exclusive(db, fn));
}

/** Holds the lock of `db` while `fn` runs (a transaction spanning awaits). */
async function holding<T>(db: DatabaseSync, fn: () => Promise<T>): Promise<T> {
  let lock = locks.get(db);
  if (!lock) locks.set(db, (lock = { tail: undefined }));
  while (lock.tail) await lock.tail;
  let release!: () => void;
  lock.tail = new Promise<void>((resolve) => (release = resolve));
  try {
    return await fn();
  } finally {
    lock.tail = undefined;
    release();
  }
}

/** The SQLite implementation, on the server's one node:sqlite connection. */
export class SqliteSql implements SqlDatabase {
  readonly kind = 'sqlite';
  private readonly statements = new Map<string, StatementSync>();
  private readonly direct: SqlExecutor;
  // The statements themselves, run at once: only while holding the lock (or through `exclusive`).
  private readonly now: {
    all<T>(sql: string, params?: readonly SqlValue[]): T[];
    get<T>(sql: string, params?: readonly SqlValue[]): T | undefined;
    run(sql: string, params?: readonly SqlValue[]): { changes: number };
  };
  readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    const statement = (sql: string) => {
      let prepared = this.statements.get(sql);
      if (!prepared) this.statements.set(sql, (prepared = db.prepare(sql)));
      return prepared;
    };
    const bind = (params: readonly SqlValue[] = []) => params as SQLInputValue[];
    this.now = {
      all: <T>(sql: string, params?: readonly SqlValue[]) => statement(sql).all(...bind(params)) as T[],
      get: <T>(sql: string, params?: readonly SqlValue[]) => statement(sql).get(...bind(params)) as T | undefined,
      run: (sql: string, params?: readonly SqlValue[]) => ({ changes: Number(statement(sql).run(...bind(params)).changes) }),
    };
    this.direct = {
      all: async (sql, params) => this.now.all(sql, params),
      get: async (sql, params) => this.now.get(sql, params),
      run: async (sql, params) => this.now.run(sql, params),
    };
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return exclusive(this.db, () => this.now.all<T>(sql, params));
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return exclusive(this.db, () => this.now.get<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return exclusive(this.db, () => this.now.run(sql, params));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return holding(this.db, async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.direct);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }
}

// int8 (COUNT(*), bigint epoch-ms columns, bigserial ids) as numbers, like node:sqlite gives them:
// every such value here stays far below 2^53. Only for this interface's queries.
const numberTypes = {
  getTypeParser: ((oid: number, format?: string) => (oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

/** `?` placeholders as PostgreSQL's `$1…$n` (none of the stores' string literals holds a `?`). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|\?/g, (match) => (match === '?' ? `$${++n}` : match));
}

/** The PostgreSQL implementation, on the server's pool. */
export class PostgresSql implements SqlDatabase {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return query<T>(this.pool, sql, params).then((result) => result.rows);
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return query<T>(this.pool, sql, params).then((result) => result.rows[0]);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return query(this.pool, sql, params).then((result) => ({ changes: result.rowCount ?? 0 }));
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn({
        all: async <R>(sql: string, params?: readonly SqlValue[]) => (await query<R>(client, sql, params)).rows,
        get: async <R>(sql: string, params?: readonly SqlValue[]) => (await query<R>(client, sql, params)).rows[0],
        run: async (sql: string, params?: readonly SqlValue[]) => ({ changes: (await query(client, sql, params)).rowCount ?? 0 }),
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

function query<T>(on: pg.Pool | pg.PoolClient, sql: string, params: readonly SqlValue[] = []): Promise<pg.QueryResult<T & pg.QueryResultRow>> {
  return on.query<T & pg.QueryResultRow>({ text: numbered(sql), values: params.map((p) => (p instanceof Uint8Array ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p)), types: numberTypes });
}
