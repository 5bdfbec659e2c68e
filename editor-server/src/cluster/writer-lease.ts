/**
 * The Git writer's lease, in Redis: one key names the server that writes Git and its fencing
 * token, and expires unless that server renews it. Every server tries to take it when it is free;
 * the one that does gets a token one higher than any before (a Redis counter), and renews the key
 * every `renewMs` while it lives. If it dies, or freezes, the key expires after `leaseMs` and
 * another server takes over.
 *
 * A server believes it holds the lease only until `leaseMs` after it last *sent* a renewal that
 * succeeded (less a margin for clock drift), on its own monotonic clock: a process frozen past
 * that time (SIGSTOP, a long GC pause) knows, as soon as it runs again, that it may no longer
 * write, before Redis even answers. `check()` is called before every ref update; the fencing
 * token then goes with the push, and the remote refuses a push made under an old token
 * (commons-remote.ts), which covers a freeze between the check and the push.
 */
import type { Redis } from 'ioredis';
import { FencedError } from '../git/fenced-error.ts';

/** Configuration of `WriterLease`. */
export interface WriterLeaseConfig {
  redis: Redis;
  /** Redis key of the lease; the token counter is `${key}:token`. */
  key: string;
  /** This server's name. */
  instanceName: string;
  leaseMs: number;
  renewMs: number;
  /** This server now holds the lease, with this token. */
  onAcquired(token: number): void;
  /** This server no longer holds the lease (expired, taken, or Redis unreachable too long). */
  onLost(reason: string): void;
  log(message: string): void;
}

/** What /api/health says about the lease. */
export interface LeaseState {
  /** Whether this server holds it. */
  held: boolean;
  /** The holder's name and token as Redis has them (undefined: nobody, or Redis unreachable). */
  holder: string | undefined;
  token: number | undefined;
  /** Milliseconds since the holder last renewed it. */
  ageMs: number | undefined;
}

const acquireScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return nil end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. token, 'PX', ARGV[2])
return token`;

const renewScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const floorScript = `
if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return 1`;

const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Keeps (or waits for) the writer's lease. */
export class WriterLease {
  private timer: NodeJS.Timeout | undefined;
  private token: number | undefined;
  /** performance.now() until which this server may act as the writer. */
  private validUntil = 0;
  private running = false;
  private stopped = false;
  private unreachableSince: number | undefined;

  private readonly config: WriterLeaseConfig;

  constructor(config: WriterLeaseConfig) {
    this.config = config;
  }

  /** Starts trying to take the lease, and renewing it once held. */
  start(): void {
    this.stopped = false;
    const tick = () => {
      this.timer = setTimeout(async () => {
        await this.step();
        if (!this.stopped) tick();
      }, this.config.renewMs);
      this.timer.unref();
    };
    void this.step().then(() => !this.stopped && tick());
  }

  /** Whether this server holds the lease now, on its own clock. */
  get held(): boolean {
    return this.token !== undefined && performance.now() < this.validUntil;
  }

  /** The fencing token of the lease this server holds. */
  get fencingToken(): number | undefined {
    return this.held ? this.token : undefined;
  }

  /** Throws `FencedError` unless this server holds the lease, on its clock and in Redis. */
  async check(): Promise<number> {
    const token = this.token;
    if (token === undefined || performance.now() >= this.validUntil) throw new FencedError(`bail d’écriture expiré (jeton ${token ?? 'aucun'})`);
    let value: string | null;
    try {
      value = await this.config.redis.get(this.config.key);
    } catch (error) {
      throw new FencedError(`bail d’écriture invérifiable, Redis injoignable (${(error as Error).message})`);
    }
    if (value !== this.value(token)) throw new FencedError(`bail d’écriture perdu : ${value ? `tenu par ${value}` : 'libre'} (jeton ${token})`);
    if (performance.now() >= this.validUntil) throw new FencedError(`bail d’écriture expiré (jeton ${token})`);
    return token;
  }

  /** What Redis says about the lease. */
  async state(): Promise<LeaseState> {
    const held = this.held;
    try {
      const [value, remaining] = await Promise.all([this.config.redis.get(this.config.key), this.config.redis.pttl(this.config.key)]);
      const [holder, token] = value ? value.split(' ') : [];
      return { held, holder, token: token ? Number(token) : undefined, ageMs: value && remaining >= 0 ? Math.max(0, this.config.leaseMs - remaining) : undefined };
    } catch {
      return { held, holder: undefined, token: this.token, ageMs: undefined };
    }
  }

  /** Stops renewing, and frees the lease at once if held, so another server takes over without waiting. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 10));
    const token = this.token;
    if (token === undefined) return;
    this.lose('arrêt du serveur');
    await this.config.redis.eval(releaseScript, 1, this.config.key, this.value(token)).catch(() => undefined);
  }

  /**
   * Makes the next tokens higher than `token`: Redis keeps nothing on disk, so after a restart its
   * counter starts again from 1, below the token the remote's fence names.
   */
  async raiseTokenFloor(token: number): Promise<void> {
    await this.config.redis.eval(floorScript, 1, `${this.config.key}:token`, String(token));
  }

  private value(token: number): string {
    return `${this.config.instanceName} ${token}`;
  }

  private async step(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    // The lease counts from when the command was sent: Redis started its clock after that.
    const sentAt = performance.now();
    try {
      if (this.token !== undefined) {
        const renewed = await this.config.redis.eval(renewScript, 1, this.config.key, this.value(this.token), String(this.config.leaseMs));
        this.reachable();
        // Still ours in Redis: no other server got a token meanwhile, so none fenced this one.
        if (Number(renewed) === 1) this.validUntil = sentAt + this.safeMs();
        else this.lose('bail expiré (processus suspendu, ou Redis perdu trop longtemps) et libre ou pris par un autre serveur');
        return;
      }
      const token = await this.config.redis.eval(acquireScript, 2, this.config.key, `${this.config.key}:token`, this.config.instanceName, String(this.config.leaseMs));
      this.reachable();
      if (token === null || this.stopped) return;
      this.token = Number(token);
      this.validUntil = sentAt + this.safeMs();
      this.config.log(`bail d’écriture Git pris (jeton ${this.token})`);
      this.config.onAcquired(this.token);
    } catch (error) {
      if (this.unreachableSince === undefined) {
        this.unreachableSince = Date.now();
        this.config.log(`Redis injoignable (${(error as Error).message}) : ${this.token !== undefined ? 'l’écriture Git s’arrêtera à l’expiration du bail' : 'pas de prise du bail'} jusqu’à son retour`);
      }
      if (this.token !== undefined && performance.now() >= this.validUntil) this.lose('bail non renouvelé : Redis injoignable');
    } finally {
      this.running = false;
    }
  }

  private reachable(): void {
    if (this.unreachableSince === undefined) return;
    this.config.log(`Redis de nouveau joignable après ${Math.round((Date.now() - this.unreachableSince) / 1000)} s`);
    this.unreachableSince = undefined;
  }

  private lose(reason: string): void {
    if (this.token === undefined) return;
    const token = this.token;
    this.token = undefined;
    this.validUntil = 0;
    this.config.log(`bail d’écriture Git perdu (jeton ${token}) : ${reason} ; écriture Git arrêtée`);
    this.config.onLost(reason);
  }

  /** The part of the lease this server relies on: a tenth is left for clocks that drift. */
  private safeMs(): number {
    return this.config.leaseMs * 0.9;
  }
}
