/**
 * Carries « rights taken away » (a token revoked, a session closed, a role changed, an account
 * disabled) from the server where it happened to every other server sharing the PostgreSQL
 * database, so each closes the live connections it holds for them.
 *
 * Why PostgreSQL LISTEN/NOTIFY rather than a Redis channel: accounts live in PostgreSQL, so the
 * channel exists exactly when accounts are shared (DATABASE_URL, with or without REDIS_URL), and
 * a server that could make the change can always announce it — one system to reach, not two that
 * fail apart. The server that makes the change closes its own connections at once; the others
 * hear it within milliseconds. While a listener is reconnecting it may miss a notification: its
 * connections then close at their next check of the credential (a reconnection, a new document).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import type { AccessRevocation } from '../accounts/accounts.ts';

const channel = 'terreau_access_revoked';

const messageSchema = z.object({
  from: z.string(),
  userId: z.string(),
  credential: z.templateLiteral([z.enum(['token', 'session']), ':', z.string()]).optional(),
  reason: z.string(),
});

/** One server's end of the revocation channel. */
export class PostgresRevocations {
  private readonly from = randomUUID();
  private readonly url: string;
  private readonly pool: pg.Pool;
  private readonly deliver: (revocation: AccessRevocation) => void;
  private client: pg.Client | undefined;
  private stopped = false;
  private interrupted = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(options: { url: string; pool: pg.Pool; deliver: (revocation: AccessRevocation) => void }) {
    this.url = options.url;
    this.pool = options.pool;
    this.deliver = options.deliver;
  }

  /** Tells the other servers (this one has already closed its own connections). */
  async publish(revocation: AccessRevocation): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify({ from: this.from, ...revocation })]);
  }

  /** Listens on a connection of its own (LISTEN holds it), reconnecting while the database is away. */
  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'terreau-revocations', keepAlive: true });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      // Said once per outage, not at every attempt.
      if (!this.interrupted) console.error(`[postgres] écoute des révocations interrompue${error ? ` (${error.message})` : ''} : nouvel essai chaque seconde`);
      this.interrupted = true;
      this.retry = setTimeout(() => void this.start().catch((e: Error) => lost(e)), 1_000);
      this.retry.unref();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel !== channel || !message.payload) return;
      let parsed;
      try {
        parsed = messageSchema.safeParse(JSON.parse(message.payload));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) return console.error(`[postgres] révocation illisible ignorée : ${message.payload.slice(0, 200)}`);
      const { from, ...revocation } = parsed.data;
      if (from !== this.from) this.deliver(revocation);
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      if (this.interrupted) console.error('[postgres] écoute des révocations reprise');
      this.interrupted = false;
    } catch (error) {
      lost(error as Error);
      throw error;
    }
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
