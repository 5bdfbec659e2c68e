/**
 * Throttles failed logins per (address, email) and per email alone, so guessing a password
 * costs minutes per handful of tries whether the attacker changes address or account.
 */

/** Counts failures in a sliding window and says how long a caller must wait. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before another attempt is allowed (0 when allowed). */
  retryAfterMs(address: string, email: string): number {
    const keys = this.keysFor(address, email);
    let wait = 0;
    for (const [key, limit] of keys) {
      const recent = this.recent(key);
      if (recent.length >= limit) wait = Math.max(wait, recent[recent.length - limit]! + this.windowMs - this.now());
    }
    return Math.max(0, wait);
  }

  /** Records a failed attempt. */
  recordFailure(address: string, email: string): void {
    for (const [key] of this.keysFor(address, email)) this.failures.set(key, [...this.recent(key), this.now()]);
  }

  /** Forgets failures after a successful login. */
  recordSuccess(address: string, email: string): void {
    this.failures.delete(`${address}\n${email.toLowerCase()}`);
  }

  private keysFor(address: string, email: string): [string, number][] {
    const normalized = email.toLowerCase();
    // The per-account limit is wider so one attacker cannot lock a person out from everywhere.
    return [[`${address}\n${normalized}`, this.maxFailures], [`*\n${normalized}`, this.maxFailures * 4]];
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}
