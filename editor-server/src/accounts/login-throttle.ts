/**
 * Throttles failed logins per (address, email) and per email alone, so guessing a password
 * costs minutes per handful of tries whether the attacker changes address or account. Failures
 * are kept in SQLite: restarting the server (or making it crash) does not reset the count.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** Counts failures in a sliding window and says how long a caller must wait. */
export class LoginThrottle {
  private readonly selectRecent: StatementSync;
  private readonly insertFailure: StatementSync;
  private readonly deleteKey: StatementSync;
  private readonly deleteExpired: StatementSync;

  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(db: DatabaseSync, maxFailures: number, windowMs: number, now: () => number = Date.now) {
    this.maxFailures = maxFailures;
    this.windowMs = windowMs;
    this.now = now;
    this.selectRecent = db.prepare('SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at');
    this.insertFailure = db.prepare('INSERT INTO login_failures (key, at) VALUES (?, ?)');
    this.deleteKey = db.prepare('DELETE FROM login_failures WHERE key = ?');
    this.deleteExpired = db.prepare('DELETE FROM login_failures WHERE at <= ?');
  }

  /** Milliseconds to wait before another attempt is allowed (0 when allowed). */
  retryAfterMs(address: string, email: string): number {
    const since = this.now() - this.windowMs;
    let wait = 0;
    for (const [key, limit] of this.keysFor(address, email)) {
      const recent = (this.selectRecent.all(key, since) as { at: number }[]).map((r) => r.at);
      if (recent.length >= limit) wait = Math.max(wait, recent[recent.length - limit]! + this.windowMs - this.now());
    }
    return Math.max(0, wait);
  }

  /** Records a failed attempt (and forgets failures older than the window). */
  recordFailure(address: string, email: string): void {
    const now = this.now();
    for (const [key] of this.keysFor(address, email)) this.insertFailure.run(key, now);
    this.deleteExpired.run(now - this.windowMs);
  }

  /** Forgets failures after a successful login. */
  recordSuccess(address: string, email: string): void {
    this.deleteKey.run(`${address}\n${email.toLowerCase()}`);
  }

  private keysFor(address: string, email: string): [string, number][] {
    const normalized = email.toLowerCase();
    // The per-account limit is wider so one attacker cannot lock a person out from everywhere.
    return [[`${address}\n${normalized}`, this.maxFailures], [`*\n${normalized}`, this.maxFailures * 4]];
  }
}
