/**
 * Login throttling follows OWASP: after a few free failures each one doubles the wait, up to a
 * ceiling, with no hard lock; a browser that logged in before (device cookie) has its own
 * allowance that nobody else's failures touch; waits read in minutes.
 */
import { describe, expect, it } from 'vitest';
import { formatWait, LoginThrottle } from '../editor-server/src/accounts/login-throttle.ts';
import { openDatabase } from '../editor-server/src/storage/database.ts';
import { SqliteSql } from '../editor-server/src/storage/sql.ts';

const minute = 60_000;

function throttleAt(clock: { now: number }) {
  return LoginThrottle.open(new SqliteSql(openDatabase(':memory:')), { freeFailures: 3, baseDelayMs: minute, maxDelayMs: 8 * minute, windowMs: 24 * 60 * minute }, () => clock.now);
}

describe('login delays', async () => {
  it('double after the free failures, up to the ceiling, and are forgotten after the window', async () => {
    const clock = { now: Date.UTC(2026, 0, 1) };
    const throttle = await throttleAt(clock);
    const attempt = { address: '203.0.113.9', email: 'claire@exemple.fr' };
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      clock.now += await throttle.retryAfterMs(attempt);
      await throttle.recordFailure(attempt);
      waits.push(await throttle.retryAfterMs(attempt));
    }
    expect(waits.map((w) => w / minute)).toEqual([0, 0, 1, 2, 4, 8, 8, 8]);
    clock.now += 25 * 60 * minute;
    expect(await throttle.retryAfterMs(attempt)).toBe(0);
  });

  it('never slow down a browser that logged in before, whatever others do to the account', async () => {
    const clock = { now: Date.UTC(2026, 0, 1) };
    const throttle = await throttleAt(clock);
    const cookie = throttle.issueDeviceCookie('u-claire');
    const device = throttle.verifyDeviceCookie(cookie, 'u-claire')!;
    expect(device).toBeTruthy();
    for (let i = 2; i < 40; i++) await throttle.recordFailure({ address: `127.0.0.${i}`, email: 'claire@exemple.fr' });
    expect(await throttle.retryAfterMs({ address: '127.0.0.5', email: 'claire@exemple.fr' })).toBeGreaterThan(0);
    expect(await throttle.retryAfterMs({ address: '127.0.0.1', email: 'claire@exemple.fr', device })).toBe(0);
    // The device's own mistakes still count against it.
    for (let i = 0; i < 3; i++) await throttle.recordFailure({ address: '127.0.0.1', email: 'claire@exemple.fr', device });
    expect(await throttle.retryAfterMs({ address: '127.0.0.1', email: 'claire@exemple.fr', device })).toBe(minute);
  });

  it('accept only a genuine device cookie of the very account', async () => {
    const throttle = await throttleAt({ now: Date.now() });
    const cookie = throttle.issueDeviceCookie('u-claire');
    expect(throttle.verifyDeviceCookie(cookie, 'u-bruno')).toBeUndefined();
    expect(throttle.verifyDeviceCookie(cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), 'u-claire')).toBeUndefined();
    expect(throttle.verifyDeviceCookie(`u-claire.nonce.${'x'.repeat(43)}`, 'u-claire')).toBeUndefined();
    expect(throttle.verifyDeviceCookie(undefined, 'u-claire')).toBeUndefined();
  });

  it('read in minutes', async () => {
    expect(formatWait(899_000)).toBe('15 minutes');
    expect(formatWait(60_000)).toBe('1 minute');
    expect(formatWait(20_000)).toBe('moins d’une minute');
  });
});
