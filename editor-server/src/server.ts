/**
 * Assembles one editor server: the commons repository (with its remote and upstream sync), the
 * database, the Hocuspocus instance with its extensions, and one HTTP server for the static site,
 * /api/, /metrics, /commons.git and the /collab WebSocket. With DATABASE_URL the journal, the
 * accounts and the moderation queue live in PostgreSQL (no SQLite file is opened); with REDIS_URL
 * too, this server is one of several sharing the commons (cluster/cluster-member.ts), and
 * COMMONS_REMOTE is their shared remote, which only the Git writer pushes to, under its fence
 * (cluster/commons-remote.ts), rather than a mirror.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Hocuspocus, type WebSocketLike } from '@hocuspocus/server';
import crossws from 'crossws/adapters/node';
import { Accounts } from './accounts/accounts.ts';
import { LoginThrottle } from './accounts/login-throttle.ts';
import type { EditorServerConfig } from './config.ts';
import { StatusBoard } from './documents/status.ts';
import { AccessRevocation } from './extensions/access-revocation.ts';
import { Authentication, type CollabContext } from './extensions/authentication.ts';
import { DurableJournal } from './extensions/durable-journal.ts';
import { GitSync } from './extensions/git-sync.ts';
import { closeCodes, Limits } from './extensions/limits.ts';
import { Presence } from './extensions/presence.ts';
import { ensureCommonsRepo } from './git/commons-repo.ts';
import { remoteEndpoint } from './git/remote-git.ts';
import { RemoteSync } from './git/remote-sync.ts';
import { handleApiRequest } from './http/api.ts';
import { clientAddress, trustedProxies } from './http/client-address.ts';
import { requestUrl } from './http/http-utils.ts';
import { CommonsGitHttp } from './http/commons-git-http.ts';
import { handleReaderForm, isReaderFormRequest } from './http/reader-forms.ts';
import { serveStaticSite } from './http/static-site.ts';
import { ReaderModeration } from './moderation/reader-moderation.ts';
import { SitePublisher } from './publish/site-publisher.ts';
import { SiteWorkerBuilder } from './publish/site-worker-builder.ts';
import { ClusterMember } from './cluster/cluster-member.ts';
import { CommonsRemote } from './cluster/commons-remote.ts';
import { ServerMetrics } from './http/metrics.ts';
import { openDatabase } from './storage/database.ts';
import { checkpointInBackground } from './storage/wal-checkpoints.ts';
import type { DocumentStore } from './storage/document-store.ts';
import { databaseUnavailable, isPostgresUnavailable, openPostgres } from './storage/postgres-database.ts';
import { PostgresDocumentStore } from './storage/postgres-document-store.ts';
import { SqliteDocumentStore } from './storage/sqlite-document-store.ts';
import { PostgresRevocations } from './storage/postgres-revocations.ts';
import { ReaderContributions, type ReaderContributionStore } from './storage/reader-contributions.ts';
import { PostgresSql, SqliteSql, type SqlDatabase } from './storage/sql.ts';
import { EntryValidator } from './validation/entry-validator.ts';
import { siteAddress } from '../../core/site-address.ts';

/** A running (or ready to run) editor server. */
export interface EditorServer {
  config: EditorServerConfig;
  hocuspocus: Hocuspocus<CollabContext>;
  accounts: Accounts;
  store: DocumentStore;
  gitSync: GitSync;
  /** Push and pull with COMMONS_REMOTE, when set. */
  mirror: RemoteSync | undefined;
  /** Pulls from COMMONS_UPSTREAM, when set. */
  upstream: RemoteSync | undefined;
  /** `<site>/commons.git`. */
  commonsGit: CommonsGitHttp;
  publisher: SitePublisher;
  metrics: ServerMetrics;
  /** Set when this server is one of several sharing the commons. */
  cluster: ClusterMember | undefined;
  /** What readers send through the site's forms, and its moderation. */
  contributions: ReaderContributionStore;
  moderation: ReaderModeration;
  httpServer: HttpServer;
  /**
   * Public address of the site, without a final `/`: SITE_URL, or the address the server listens
   * on once it does (core/site-address.ts). Every absolute URL starts with it: the site worker's
   * SITE_URL, invitation links, the clone command.
   */
  publicUrl(): string;
  /** Paths under DATA_DIR. */
  paths: { repoDir: string; siteDir: string; database: string };
  /** Starts listening; resolves with the port. */
  listen(): Promise<number>;
  /** Closes connections, stores documents, waits for Git, closes the database. */
  close(): Promise<void>;
}

/** Prepares the data directory and builds the server (not yet listening). */
export async function createEditorServer(config: EditorServerConfig): Promise<EditorServer> {
  const paths = {
    repoDir: join(config.dataDir, 'commons'),
    siteDir: join(config.dataDir, 'site'),
    database: join(config.dataDir, 'terreau.sqlite'),
  };
  await mkdir(config.dataDir, { recursive: true });
  const log = (message: string) => {
    if (!config.quiet) console.log(`[git] ${message}`);
  };
  const { sync } = config;
  // Several servers: the shared remote is not mirrored (below) but pushed to by the Git writer alone.
  const remote = sync.remote && !config.cluster ? remoteEndpoint(sync.remote, sync.remoteUser, sync.remotePassword) : undefined;
  const upstreamEndpoint = sync.upstream ? remoteEndpoint(sync.upstream) : undefined;
  const origin = config.cluster
    ? await CommonsRemote.ensureClone(paths.repoDir, sync.remote!, config.seedContentDir, config.git.committer).then(() => 'existing' as const)
    : await ensureCommonsRepo(
        paths.repoDir,
        config.seedContentDir,
        { remote, upstream: upstreamEndpoint, branch: sync.branch, timeoutMs: sync.networkTimeoutMs },
        config.git.committer,
      );
  if (origin !== 'existing') log(`commun créé ${{ remote: `par clonage de ${remote?.label}`, upstream: `par clonage du commun amont ${upstreamEndpoint?.label}`, seed: 'à partir du contenu initial' }[origin]}`);
  let listeningPort: number | undefined;
  const publicUrl = () => siteAddress({ siteUrl: config.siteUrl, host: config.host, port: listeningPort ?? config.port }).replace(/\/+$/, '');

  // One database: SQLite under DATA_DIR, or PostgreSQL shared by every server (DATABASE_URL).
  const pool = config.databaseUrl ? await openPostgres(config.databaseUrl) : undefined;
  const db: DatabaseSync | undefined = pool ? undefined : openDatabase(paths.database, config.journalSync);
  const checkpoints = db && checkpointInBackground(db, paths.database);
  const sql: SqlDatabase = pool ? new PostgresSql(pool) : new SqliteSql(db!);
  const store: DocumentStore = pool ? new PostgresDocumentStore(pool) : new SqliteDocumentStore(db!);
  // Several servers: what one revokes, every other closes too.
  const revocations = pool && new PostgresRevocations({ url: config.databaseUrl!, pool, deliver: (revocation) => accounts.revokedElsewhere(revocation) });
  const accounts = await Accounts.open(sql, {
    collabTokenLifetimeMs: config.auth.collabTokenLifetimeMs,
    ...(revocations ? { share: (revocation) => revocations.publish(revocation) } : {}),
  });
  await revocations?.start().catch(() => undefined);
  // eslint-disable-next-line prefer-const -- the metrics read figures from parts made below
  let metrics: ServerMetrics;
  const cluster = config.cluster
    ? new ClusterMember({
        cluster: config.cluster,
        pool: pool!,
        repoDir: paths.repoDir,
        siteDir: paths.siteDir,
        remote: config.sync.remote!,
        committer: config.git.committer,
        siteBuild: config.siteBuild,
        quiet: config.quiet,
        onSiteServed: (_id, lagMs) => metrics.siteVersionLagSeconds.observe(lagMs / 1000),
      })
    : undefined;
  const builder = config.siteBuild
    ? new SiteWorkerBuilder({
        command: config.siteWorkerCommand,
        cwd: config.codeDir,
        contentDir: paths.repoDir,
        cacheDir: join(config.dataDir, 'cache', 'astro'),
        quiet: config.quiet,
        siteUrl: publicUrl,
        ...(config.quiet ? {} : { onStep: (step, reply) => console.log(`[site] ${step === 'publish' ? (reply.full ? 'construction complète' : 'publié') : 'indexé'} ${reply.commit?.slice(0, 8) ?? ''} ${JSON.stringify(reply.timings ?? {})}`) }),
      })
    : undefined;
  const publisher = new SitePublisher(paths.siteDir, builder, async (versionDir, milliseconds) => {
    metrics.publishSeconds.observe(milliseconds / 1000);
    await cluster?.shareSite(versionDir);
  });
  // eslint-disable-next-line prefer-const -- the status board needs the instance created below
  let hocuspocus: Hocuspocus<CollabContext>;
  const status = new StatusBoard((name) => hocuspocus.documents.get(name));
  // Read and checked once here, before listening; then each commit checks only its own file.
  const validator = await EntryValidator.start(paths.repoDir);
  const contributions = await ReaderContributions.open(sql);
  const readerCredits = { owed: (document: string) => contributions.creditsOwed(document), given: (ids: readonly string[]) => contributions.creditsGiven(ids) };
  // eslint-disable-next-line prefer-const -- the writer tells the mirror that HEAD moved
  let mirror: RemoteSync | undefined;
  const gitSync = new GitSync({
    repoDir: paths.repoDir,
    git: config.git,
    store,
    accounts,
    status,
    publisher,
    validator,
    readerCredits,
    quiet: config.quiet,
    headMoved: () => mirror?.headMoved(),
    ...(cluster
      ? {
          shared: true,
          beforeRefUpdate: (commit: string, parent: string) => cluster.beforeRefUpdate(commit, parent),
          fetchRemote: (when: 'now' | 'if-due') => cluster.fetchRemote(when),
          isOpenElsewhere: (document: string) => cluster.isOpenElsewhere(document),
        }
      : {}),
    onCommit: (outcome, milliseconds) => {
      metrics.commits.inc({ outcome });
      if (outcome === 'committed') metrics.commitSeconds.observe(milliseconds / 1000);
    },
  });
  const journal = new DurableJournal({
    store,
    status,
    onBatch: (updates, milliseconds) => {
      metrics.journalUpdates.inc(updates);
      metrics.journalBatchSeconds.observe(milliseconds / 1000);
    },
  });
  const moderation = new ReaderModeration({ contributions, documents: store, gitSync, validator, repoDir: paths.repoDir, git: config.git });
  const follow = (mode: 'mirror' | 'upstream', endpoint: NonNullable<typeof remote>) =>
    new RemoteSync({
      repoDir: paths.repoDir,
      mode,
      endpoint,
      branch: sync.branch,
      name: mode === 'mirror' ? 'origin' : 'upstream',
      timings: sync,
      committer: config.git.committer,
      writer: gitSync,
      log,
    });
  mirror = remote && follow('mirror', remote);
  const upstream = upstreamEndpoint && follow('upstream', upstreamEndpoint);
  const proxies = trustedProxies(config.trustProxy);
  const commonsGit = new CommonsGitHttp({ repoDir: paths.repoDir, limits: config.clone, trustedProxies: proxies, log });
  hocuspocus = new Hocuspocus<CollabContext>({
    name: 'terreau',
    quiet: true,
    debounce: config.storeDebounceMs,
    maxDebounce: config.storeMaxDebounceMs,
    // Documents still authenticating on one socket: no more than it may open at all.
    maxPendingDocuments: config.limits.maxDocumentsPerSocket,
    extensions: [
      ...(cluster ? [cluster.redisExtension] : []),
      new Authentication({ accounts }),
      new AccessRevocation({ accounts }),
      new Limits(config.limits),
      new Presence(config.limits),
      journal,
      gitSync,
    ],
  });
  cluster?.attach({ hocuspocus, gitSync, publisher, status });
  metrics = new ServerMetrics({
    connections: () => hocuspocus.getConnectionsCount(),
    documents: () => hocuspocus.getDocumentsCount(),
    backlog: () => store.backlog(),
    writer: () => (gitSync.isWriting ? 1 : 0),
    heldUpdates: () => journal.writer.heldUpdates,
  });
  const health = () => describeHealth(store, journal, gitSync, cluster);

  const throttle = await LoginThrottle.open(sql, {
    freeFailures: config.auth.loginFreeFailures,
    baseDelayMs: config.auth.loginBaseDelayMs,
    maxDelayMs: config.auth.loginMaxDelayMs,
    windowMs: config.auth.loginWindowMs,
  });
  const httpServer = createServer((request, response) => {
    const url = requestUrl(request);
    const handled = url.pathname.startsWith('/api/')
      ? handleApiRequest(
          {
            accounts,
            throttle,
            auth: config.auth,
            trustedProxies: proxies,
            repoDir: paths.repoDir,
            hocuspocus,
            publisher,
            store,
            moderation,
            contributions,
            gitSync,
            limits: config.limits,
            mirror,
            upstream,
            webhookSecret: sync.webhookSecret,
            health,
            siteUrl: publicUrl,
          },
          request,
          response,
          url,
        )
      : url.pathname === '/metrics'
        ? metrics.serve(request, response, config.metricsToken)
        : CommonsGitHttp.handles(url.pathname)
        ? commonsGit.handle(request, response, url)
        : isReaderFormRequest(request, url)
          ? handleReaderForm({ store: contributions, config: config.readerForms, trustedProxies: proxies, siteDir: paths.siteDir, repoDir: paths.repoDir }, request, response, url)
          : serveStaticSite(paths.siteDir, request, response, url, paths.repoDir);
    handled.catch((error) => {
      console.error(error);
      // A reader's form or a static page needing the database while PostgreSQL is away: say so.
      const away = isPostgresUnavailable(error);
      if (!response.headersSent) response.writeHead(away ? 503 : 500, away ? { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '5' } : {});
      response.end(away ? `${databaseUnavailable}\n` : undefined);
    });
  });

  const connectionsPerAddress = new Map<string, number>();
  const websockets = crossws({
    serverOptions: { maxPayload: config.limits.maxMessageBytes },
    hooks: {
      open(peer) {
        const address = clientAddress(peer.remoteAddress, peer.request.headers.get('x-forwarded-for'), proxies);
        const count = (connectionsPerAddress.get(address) ?? 0) + 1;
        connectionsPerAddress.set(address, count);
        (peer as unknown as { terreauAddress: string }).terreauAddress = address;
        if (count > config.limits.maxConnectionsPerIp) {
          peer.close(closeCodes.tooManyConnections, `trop de connexions depuis votre adresse (${config.limits.maxConnectionsPerIp} au plus)`);
          return;
        }
        const connection = hocuspocus.handleConnection(peer.websocket as unknown as WebSocketLike, peer.request as Request, { user: null, credential: null, address } satisfies CollabContext);
        (peer as unknown as { hocuspocus: typeof connection }).hocuspocus = connection;
      },
      message(peer, message) {
        (peer as unknown as { hocuspocus?: { handleMessage(data: Uint8Array): void } }).hocuspocus?.handleMessage(message.uint8Array());
      },
      close(peer, event) {
        const address = (peer as unknown as { terreauAddress?: string }).terreauAddress;
        if (address) {
          const left = (connectionsPerAddress.get(address) ?? 1) - 1;
          if (left <= 0) connectionsPerAddress.delete(address);
          else connectionsPerAddress.set(address, left);
        }
        (peer as unknown as { hocuspocus?: { handleClose(e: { code?: number; reason?: string }): void } }).hocuspocus?.handleClose({
          code: event.code ?? 1000,
          reason: event.reason ?? '',
        });
      },
      error(peer, error) {
        if (!config.quiet) console.error(`WebSocket ${peer.id} : ${error.message}`);
      },
    },
  });
  httpServer.on('upgrade', (request, socket, head) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname !== '/collab' && pathname !== '/collab/') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    void websockets.handleUpgrade(request, socket, head);
  });

  let closing: Promise<void> | undefined;
  return {
    config,
    hocuspocus,
    accounts,
    store,
    gitSync,
    mirror,
    upstream,
    commonsGit,
    publisher,
    metrics,
    cluster,
    contributions,
    moderation,
    httpServer,
    paths,
    publicUrl,
    async listen() {
      await new Promise<void>((resolvePromise, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => resolvePromise());
      });
      listeningPort = (httpServer.address() as AddressInfo).port;
      mirror?.start();
      await cluster?.start();
      return listeningPort;
    },
    close() {
      closing ??= (async () => {
        // First give the lease up, so another server takes over Git at once.
        await cluster?.stop();
        httpServer.close();
        await new Promise<void>((resolvePromise) => {
          if (hocuspocus.getDocumentsCount() === 0) return resolvePromise();
          hocuspocus.configuration.extensions.push({
            async afterUnloadDocument({ instance }) {
              if (instance.getDocumentsCount() === 0) resolvePromise();
            },
          });
          hocuspocus.closeConnections();
          hocuspocus.flushPendingStores();
          // Direct connections (commits after a restart) may hold a document a little longer.
          setTimeout(resolvePromise, 5_000).unref();
        });
        websockets.closeAll(1001, 'arrêt du serveur', true);
        httpServer.closeAllConnections();
        await mirror?.stop();
        await upstream?.stop();
        // Hocuspocus's own Server calls this hook when it is destroyed; this server stands in for it.
        await hocuspocus.hooks('onDestroy', { instance: hocuspocus });
        await publisher.close();
        await validator.close();
        await revocations?.stop();
        await pool?.end();
        await checkpoints?.close();
        db?.close();
      })();
      return closing;
    },
  };
}

/** What /api/health adds to the basics: Git writer and lease, Redis, the database, the journal. */
async function describeHealth(store: DocumentStore, journal: DurableJournal, gitSync: GitSync, cluster: ClusterMember | undefined): Promise<Record<string, unknown>> {
  const started = performance.now();
  const database = await withTimeout(store.ping(), 2_000).then(
    () => ({ kind: store.kind, reachable: true, milliseconds: Math.round((performance.now() - started) * 10) / 10 }),
    (error: Error) => ({ kind: store.kind, reachable: false, error: error.message }),
  );
  const backlog = await withTimeout(store.backlog(), 2_000).catch(() => undefined);
  const shared = cluster ? await withTimeout(cluster.health(), 2_000).catch(() => undefined) : undefined;
  const degraded = !database.reachable || (cluster && !shared?.redis.reachable);
  return {
    status: degraded ? 'dégradé' : 'ok',
    instance: shared?.instance,
    writer: cluster ? !!shared?.writer : gitSync.isWriting,
    lease: shared ? { holder: shared.lease.holder ?? null, token: shared.lease.token ?? null, ageMs: shared.lease.ageMs ?? null } : null,
    redis: cluster ? (shared?.redis ?? { reachable: false }) : null,
    database,
    journal: {
      backlogDocuments: backlog?.documents ?? null,
      oldestPendingSeconds: backlog?.oldestAt === undefined ? null : Math.round((Date.now() - backlog.oldestAt) / 100) / 10,
      heldUpdates: journal.writer.heldUpdates,
    },
    siteVersion: shared?.siteVersion ?? null,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`pas de réponse en ${ms} ms`)), ms).unref())]);
}
