/**
 * One server among several sharing a commons (REDIS_URL + DATABASE_URL + COMMONS_REMOTE). Wires
 * what sharing needs, each part in its own module:
 *
 * - documents: `@hocuspocus/extension-redis` relays every update (as itself: redis-documents.ts)
 *   and caret between the servers holding a document; after Redis comes back, every open document
 *   asks the others again for what it missed, so they converge without waiting for the next edit;
 * - save statuses (« enregistré », « publié ») go to every server through a Redis channel;
 * - Git: one writer, chosen by a lease in Redis (writer-lease.ts), pushing every commit to the
 *   shared remote under its fencing token (commons-remote.ts); the others fetch from the remote
 *   when the writer announces a push (and every `remoteCheckMs`, for pushes made from elsewhere);
 * - the published site: stored by the writer in PostgreSQL, served by every server (site-mirror.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Hocuspocus } from '@hocuspocus/server';
import { Redis as RedisClient, type RedisOptions } from 'ioredis';
import type pg from 'pg';
import type { StatusMessage } from '../../../core/collab-protocol.ts';
import type { ClusterConfig } from '../config.ts';
import type { StatusBoard } from '../documents/status.ts';
import type { GitSync } from '../extensions/git-sync.ts';
import type { GitIdentity } from '../git/commons-repo.ts';
import { readHead } from '../git/commons-repo.ts';
import { FencedError } from '../git/fenced-error.ts';
import type { SitePublisher } from '../publish/site-publisher.ts';
import { CommonsRemote } from './commons-remote.ts';
import { RedisDocuments } from './redis-documents.ts';
import { SiteMirror } from './site-mirror.ts';
import { WriterLease, type LeaseState } from './writer-lease.ts';

/** Namespace of every Redis key and channel of Terreau. */
const prefix = 'terreau';
const statusChannel = `${prefix}#status`;
/** The writer announces each push here, so the others fetch it at once rather than poll the remote. */
const pushedChannel = `${prefix}#pushed`;
/**
 * How often a server looks at the remote unannounced: pushes made there by someone else, an
 * announcement missed while Redis was away. Fetching costs a few Git processes; every second on
 * every server, it took the CPU the editors need (fan-out p99 ×3 on two cores).
 */
const remoteCheckMs = 10_000;

/** What a `ClusterMember` is made from. */
export interface ClusterMemberConfig {
  cluster: ClusterConfig;
  pool: pg.Pool;
  repoDir: string;
  siteDir: string;
  remote: string;
  committer: GitIdentity;
  /** Whether this server builds the site when it is the writer. */
  siteBuild: boolean;
  quiet: boolean;
  /** Metrics hooks. */
  onSiteServed?(id: number, lagMs: number): void;
}

/** What /api/health says about sharing. */
export interface ClusterHealth {
  instance: string;
  writer: boolean;
  lease: LeaseState;
  redis: { reachable: boolean; milliseconds?: number; error?: string };
  siteVersion: number | undefined;
}

/** This server's part in a cluster. */
export class ClusterMember {
  readonly redisExtension: RedisDocuments;
  readonly lease: WriterLease;
  readonly remote: CommonsRemote;
  readonly site: SiteMirror;
  private readonly commands: RedisClient;
  private readonly statusSubscriber: RedisClient;
  private readonly identifier = `${randomUUID().slice(0, 8)}`;
  private followTimer: NodeJS.Timeout | undefined;
  private gitSync: GitSync | undefined;
  private publisher: SitePublisher | undefined;
  private instance: Hocuspocus | undefined;
  private redisDownSince: number | undefined;
  private lastFetch = 0;
  private stopped = false;

  private readonly config: ClusterMemberConfig;

  constructor(config: ClusterMemberConfig) {
    this.config = config;
    const { cluster } = config;
    const log = (message: string) => this.log(message);
    // Commands that must fail at once while Redis is away (the lease), rather than wait in a queue.
    this.commands = new RedisClient(cluster.redisUrl, { ...redisOptions, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: Math.max(1_000, cluster.leaseMs / 2) });
    this.statusSubscriber = new RedisClient(cluster.redisUrl, redisOptions);
    this.redisExtension = new RedisDocuments({
      prefix,
      identifier: `${cluster.instanceName}-${this.identifier}`,
      createClient: () => {
        const client = new RedisClient(cluster.redisUrl, redisOptions);
        client.on('error', () => undefined); // reported once, by the command client
        return client;
      },
    });
    this.watchRedis();
    this.remote = new CommonsRemote({ repoDir: config.repoDir, remote: config.remote, instanceName: cluster.instanceName, committer: config.committer, log });
    this.site = new SiteMirror({ pool: config.pool, siteDir: config.siteDir, instanceName: cluster.instanceName, pollMs: cluster.followMs, onServed: config.onSiteServed, log });
    this.lease = new WriterLease({
      redis: this.commands,
      key: `${prefix}:writer`,
      instanceName: cluster.instanceName,
      leaseMs: cluster.leaseMs,
      renewMs: cluster.leaseRenewMs,
      onAcquired: (token) => void this.becomeWriter(token),
      onLost: () => this.gitSync?.stopWriting(),
      log,
    });
  }

  /** Connects the parts of the server that sharing drives. */
  attach(parts: { hocuspocus: Hocuspocus; gitSync: GitSync; publisher: SitePublisher; status: StatusBoard }): void {
    this.instance = parts.hocuspocus;
    this.gitSync = parts.gitSync;
    this.publisher = parts.publisher;
    const status = parts.status;
    status.share = (message) => void this.commands.publish(statusChannel, JSON.stringify({ from: this.identifier, message })).catch(() => undefined);
    this.statusSubscriber.on('message', (channel, text) => {
      if (channel === pushedChannel) {
        if (text !== this.identifier) void this.followRemote();
        return;
      }
      if (channel !== statusChannel) return;
      try {
        const { from, message } = JSON.parse(text) as { from: string; message: StatusMessage };
        if (from !== this.identifier && message?.type === 'terreau/status') status.receive(message);
      } catch {
        // Not ours: ignore.
      }
    });
  }

  /** Serves the last published site, then waits for the lease and follows the remote meanwhile. */
  async start(): Promise<void> {
    await this.statusSubscriber.subscribe(statusChannel, pushedChannel).catch((error) => this.log(`statuts partagés indisponibles : ${error.message}`));
    await this.site.start();
    this.lease.start();
    const check = () => {
      this.followTimer = setTimeout(async () => {
        if (Date.now() - this.lastFetch >= remoteCheckMs) await this.followRemote();
        if (!this.stopped) check();
      }, 1_000);
      this.followTimer.unref();
    };
    check();
  }

  /**
   * Fetches the remote's new commits: `now`, or `if-due` when nothing announced a push (at most
   * every `remoteCheckMs`).
   */
  async fetchRemote(when: 'now' | 'if-due'): Promise<void> {
    if (when === 'if-due' && Date.now() - this.lastFetch < remoteCheckMs) return;
    this.lastFetch = Date.now();
    await this.remote.fetch();
  }

  /** Gives the lease up (another server takes over at once) and stops following. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.followTimer);
    await this.lease.stop();
    await this.site.stop();
    this.statusSubscriber.disconnect();
    this.commands.disconnect();
  }

  /** Before the branch moves to a new commit: the lease is checked, then the commit is pushed under its token. */
  async beforeRefUpdate(commit: string, parent: string): Promise<boolean> {
    const token = await this.lease.check();
    const pushed = await this.remote.push(commit, parent, token);
    if (pushed) void this.commands.publish(pushedChannel, this.identifier).catch(() => undefined);
    return pushed;
  }

  /** Whether another server holds a document open (it is subscribed to its Redis channel). */
  async isOpenElsewhere(document: string): Promise<boolean> {
    const [, count] = (await this.commands.pubsub('NUMSUB', `${prefix}:${document}`)) as [string, number];
    return Number(count) > 0;
  }

  /** After a local build: the writer shares the version with every server. */
  async shareSite(versionDir: string): Promise<void> {
    if (!this.gitSync?.isWriting) return;
    await this.site.store(versionDir, await readHead(this.config.repoDir).catch(() => undefined));
  }

  /** What /api/health says about sharing. */
  async health(): Promise<ClusterHealth> {
    const started = performance.now();
    let redis: ClusterHealth['redis'];
    try {
      await this.commands.ping();
      redis = { reachable: true, milliseconds: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      redis = { reachable: false, error: (error as Error).message };
    }
    return { instance: this.config.cluster.instanceName, writer: !!this.gitSync?.isWriting && this.lease.held, lease: await this.lease.state(), redis, siteVersion: this.site.servedVersion };
  }

  private async becomeWriter(token: number): Promise<void> {
    try {
      await this.remote.takeFence(token);
      if (this.lease.fencingToken !== token) return; // lost meanwhile
      await this.gitSync?.startWriting();
      this.log(`écrivain Git (jeton ${token}) : commits de tous les serveurs depuis le journal partagé`);
      if (this.config.siteBuild && (await this.siteIsBehind())) void this.publisher?.publish().published.catch((error: Error) => this.log(`publication : ${error.message ?? error}`));
    } catch (error) {
      this.log(`prise du rôle d’écrivain impossible : ${(error as Error).message}`);
      if (error instanceof FencedError || this.lease.fencingToken === token) {
        // Redis restarted empty: its counter is below the fence's token; the next lease goes above it.
        if (error instanceof FencedError && error.newerToken !== undefined) await this.lease.raiseTokenFloor(error.newerToken).catch(() => undefined);
        // Let another server (or this one, later) take the lease with a fresh token.
        await this.lease.stop();
        if (!this.stopped) this.lease.start();
      }
    }
  }

  /** Whether the last shared site was built from an older commit than HEAD (or none exists). */
  private async siteIsBehind(): Promise<boolean> {
    const { rows } = await this.config.pool.query<{ source_commit: string | null }>('SELECT source_commit FROM site_versions ORDER BY id DESC LIMIT 1');
    return rows[0]?.source_commit !== (await readHead(this.config.repoDir));
  }

  /** One log line when Redis goes away and one when it is back, then the open documents catch up. */
  private watchRedis(): void {
    this.commands.on('error', (error) => {
      if (this.redisDownSince !== undefined || this.stopped) return;
      this.redisDownSince = Date.now();
      this.log(`Redis injoignable (${error.message}) : les documents ouverts restent servis ici, leur synchronisation entre serveurs et l’écriture Git sont en pause`);
    });
    this.commands.on('ready', () => {
      if (this.redisDownSince === undefined) return;
      const seconds = Math.round((Date.now() - this.redisDownSince) / 1000);
      this.redisDownSince = undefined;
      const documents = [...(this.instance?.documents.values() ?? [])];
      this.log(`Redis de nouveau joignable après ${seconds} s : resynchronisation de ${documents.length} document(s) ouvert(s) avec les autres serveurs`);
      // The extension's subscriptions come back by themselves; what was published meanwhile did
      // not: each open document sends its state vector again, and the others answer with what it lacks.
      setTimeout(() => {
        for (const document of documents) void this.redisExtension.announce(document).catch(() => undefined);
      }, 500).unref();
    });
  }

  /** A follower brings the remote's new commits in (the writer has them). */
  private async followRemote(): Promise<void> {
    await this.gitSync?.followRemote().catch((error) => this.log(`suivi du dépôt partagé : ${error.message ?? error}`));
  }

  private log(message: string): void {
    if (!this.config.quiet) console.log(`[${this.config.cluster.instanceName}] ${message}`);
  }
}

/** Reconnect every half second to two seconds, for as long as it takes. */
const redisOptions: RedisOptions = {
  retryStrategy: (times) => Math.min(times * 250, 2_000),
  connectTimeout: 2_000,
  lazyConnect: false,
};
