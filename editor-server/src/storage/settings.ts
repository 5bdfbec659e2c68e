/**
 * Server-wide secrets kept in the `settings` table (the session secret, the device-cookie and
 * reader-address keys). The first server to start makes each one; every server sharing the
 * database then reads the same value, so what one signs, all verify.
 */
import type { SqlDatabase } from './sql.ts';

/** The value of `key`, created with `create()` if no server made it yet (a race keeps the first). */
export async function sharedSetting(sql: SqlDatabase, key: string, create: () => string): Promise<string> {
  const row = await sql.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]);
  if (row) return row.value;
  await sql.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, create()]);
  return (await sql.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))!.value;
}
