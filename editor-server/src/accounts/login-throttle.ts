/**
 * Throttles failed logins so that guessing a password is slow, without ever letting a third party
 * lock the owner of an account out (OWASP, « Blocking Brute Force Attacks » and « Slow down online
 * guessing attacks with device cookies »):
 *
 * - no hard lock: after a few free failures, each further one doubles the wait (1, 2, 4… minutes,
 *   at most `maxDelayMs`), and failures older than `windowMs` are forgotten;
 * - a browser that logged in to an account before carries a signed device cookie for it; its
 *   attempts count only against that device's own allowance. Failures from anywhere else (the
 *   « untrusted » pool of the account, and the address) never delay it;
 * - failures are kept in the database (SQLite, or PostgreSQL shared by several servers): restarting
 *   (or crashing) a server resets nothing, and failures made on any server count together.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sharedSetting } from '../storage/settings.ts';
import type { SqlDatabase } from '../storage/sql.ts';

/** How failures turn into waits. */
export interface LoginThrottleOptions {
  /** Failures allowed on one allowance before the first wait. */
  freeFailures: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs: number;
  /** The longest wait. */
  maxDelayMs: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
}

/** One login attempt, as the throttle sees it. */
export interface LoginAttempt {
  /** Address of the caller (as given by the server's one client-address function). */
  address: string;
  email: string;
  /** Id of a valid device cookie for this very account, if the browser sent one. */
  device?: string;
}

/** Counts failures per allowance and says how long a caller must wait. */
export class LoginThrottle {
  private readonly sql: SqlDatabase;
  private readonly deviceSecret: Buffer;
  private readonly options: LoginThrottleOptions;
  private readonly now: () => number;

  private constructor(sql: SqlDatabase, deviceSecret: string, options: LoginThrottleOptions, now: () => number) {
    this.sql = sql;
    this.deviceSecret = Buffer.from(deviceSecret, 'hex');
    this.options = options;
    this.now = now;
  }

  /** Opens the throttle on a database (its device-cookie key is shared by every server using it). */
  static async open(sql: SqlDatabase, options: LoginThrottleOptions, now: () => number = Date.now): Promise<LoginThrottle> {
    return new LoginThrottle(sql, await sharedSetting(sql, 'device_cookie_secret', () => randomBytes(32).toString('hex')), options, now);
  }

  /** Milliseconds to wait before this attempt is allowed (0 when allowed). */
  async retryAfterMs(attempt: LoginAttempt): Promise<number> {
    const since = this.now() - this.options.windowMs;
    let wait = 0;
    for (const [key, free] of this.allowancesOf(attempt)) {
      const failures = (await this.sql.all<{ at: number }>('SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at', [key, since])).map((row) => row.at);
      if (failures.length < free) continue;
      const delay = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (failures.length - free));
      wait = Math.max(wait, failures[failures.length - 1]! + delay - this.now());
    }
    return Math.max(0, wait);
  }

  /** Records a failed attempt against every allowance it used (and forgets expired failures). */
  async recordFailure(attempt: LoginAttempt): Promise<void> {
    const now = this.now();
    for (const [key] of this.allowancesOf(attempt)) await this.sql.run('INSERT INTO login_failures (key, at) VALUES (?, ?)', [key, now]);
    await this.sql.run('DELETE FROM login_failures WHERE at <= ?', [now - this.options.windowMs]);
  }

  /** Clears the allowance of the browser (device) that just logged in. */
  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    if (attempt.device) await this.sql.run('DELETE FROM login_failures WHERE key = ?', [`appareil\n${attempt.device}`]);
  }

  /** A new device cookie value for an account (set after a successful login). */
  issueDeviceCookie(userId: string): string {
    const nonce = randomBytes(16).toString('base64url');
    return `${userId}.${nonce}.${this.sign(userId, nonce)}`;
  }

  /** The device id of a cookie value if it is genuine and belongs to `userId`; undefined otherwise. */
  verifyDeviceCookie(value: string | undefined, userId: string | undefined): string | undefined {
    if (!value || !userId) return undefined;
    const [owner, nonce, signature, ...rest] = value.split('.');
    if (rest.length || owner !== userId || !nonce || !signature) return undefined;
    const expected = Buffer.from(this.sign(owner, nonce));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given) ? nonce : undefined;
  }

  private sign(userId: string, nonce: string): string {
    return createHmac('sha256', this.deviceSecret).update(`${userId}\n${nonce}`).digest('base64url');
  }

  /** The allowances an attempt draws on, each with its free failures. */
  private allowancesOf({ address, email, device }: LoginAttempt): [string, number][] {
    // A known browser answers only for itself: nothing others do can slow it down.
    if (device) return [[`appareil\n${device}`, this.options.freeFailures]];
    const { freeFailures } = this.options;
    return [
      // Every browser without a device cookie for the account shares this one.
      [`compte\n${email.toLowerCase()}`, freeFailures],
      // One address trying many accounts (or many passwords) is slowed down too.
      [`adresse\n${address}`, freeFailures * 4],
    ];
  }
}

/** A wait as people read it: in minutes, never « 899 s ». */
export function formatWait(ms: number): string {
  if (ms < 60_000) return 'moins d’une minute';
  const minutes = Math.ceil(ms / 60_000);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
