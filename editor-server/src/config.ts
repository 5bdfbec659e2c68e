/**
 * Typed configuration of the editor server: documented defaults, overridden by environment
 * variables (parsed with friendly errors), overridable again by tests and benchmarks in code.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { serverIdentity } from '../../core/commons-identities.ts';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../core/site-address.ts';
import { parseWithFriendlyErrors } from '../../core/parse-input.ts';
import { ProblemError, type Problem } from '../../core/problem.ts';
import { isProxyEntry } from './http/client-address.ts';
import type { CloneLimits } from './http/commons-git-http.ts';

/** Limits that protect the server and the other documents from one client. */
export interface LimitsConfig {
  /** Largest WebSocket message accepted, in bytes; larger closes the socket with 1009. */
  maxMessageBytes: number;
  /** Largest Yjs document, in bytes of encoded updates; larger closes that document's connection. */
  maxDocumentBytes: number;
  /** Most people editing one document at once (connections with an account; readers never count). */
  maxWritersPerDocument: number;
  /** Most readers (read-only connections, no account) of one document at once. */
  maxReadersPerDocument: number;
  /** Most read-only document connections from one client address, all documents together. */
  maxReadersPerAddress: number;
  /** Most documents one WebSocket opens at once. */
  maxDocumentsPerSocket: number;
  /** Most simultaneous WebSockets from one client address (`http/client-address.ts`). */
  maxConnectionsPerIp: number;
  /** Largest presence (awareness) message; larger closes the connection. */
  maxPresenceBytes: number;
  /** Presence updates one connection may send per second (twice that in a burst); more are dropped. */
  maxPresenceUpdatesPerSecond: number;
  /** Largest image accepted by `POST /api/medias`, in bytes. */
  maxMediaBytes: number;
  /** Most pixels (width × height) of an uploaded image: a small file may decode to gigabytes. */
  maxMediaPixels: number;
  /** Most images one account may upload per hour. */
  maxMediaUploadsPerHour: number;
}

/** How and when the Git writer commits. */
export interface GitConfig {
  /** A document untouched for this long is committed. */
  idleCommitMs: number;
  /** How often HEAD is checked for commits made from outside. */
  headPollMs: number;
  /** Committer of every commit made by the server. */
  committer: { name: string; email: string };
  /** Domain of the pseudonymous author addresses `<user-id>@<domain>`. */
  authorEmailDomain: string;
}

/** The repositories the commons keeps in step with. */
export interface SyncConfig {
  /** Repository to push to and fetch from (a forge, a mirror); credentials may sit in the URL. */
  remote: string | undefined;
  /** Credentials of the remote when they are not in its URL (a forge's user and access token). */
  remoteUser: string | undefined;
  remotePassword: string | undefined;
  /** Another commons (`<site>/commons.git`) this one starts from and pulls changes from on demand. */
  upstream: string | undefined;
  /** Branch followed on the remote and on the upstream. */
  branch: string;
  /** Commits are pushed this long after the last one, together. */
  pushDelayMs: number;
  /** How often the remote is fetched (a webhook fetches at once). */
  fetchIntervalMs: number;
  /** First wait after a failed sync; it doubles at each failure up to `retryMaxMs`. */
  retryMinMs: number;
  retryMaxMs: number;
  /** Time limit of one fetch or push. */
  networkTimeoutMs: number;
  /** Shared secret of `POST /api/git/webhook`; the webhook answers 404 while it is unset. */
  webhookSecret: string | undefined;
}

/** Accounts, sessions and login throttling. */
export interface AuthConfig {
  /** Lifetime of a login session. */
  sessionMaxAgeMs: number;
  /**
   * How long a collaboration token handed out by /api/session opens connections (a connection
   * already open lives on with its session). Short, so a token leaked from a page is soon useless.
   */
  collabTokenLifetimeMs: number;
  /** Adds `Secure` to the session cookie (set it behind HTTPS). */
  secureCookies: boolean;
  /** Failed logins allowed on one allowance (a known browser; see login-throttle.ts) before the first wait. */
  loginFreeFailures: number;
  /** First wait after the free failures; each further failure doubles it, up to `loginMaxDelayMs`. */
  loginBaseDelayMs: number;
  loginMaxDelayMs: number;
  /** Failures older than this are forgotten. */
  loginWindowMs: number;
  /** Lifetime of the device cookie that keeps a known browser's own allowance. */
  deviceCookieMaxAgeMs: number;
}

/** The readers' forms (no account): where they post, and the limits that keep robots out. */
export interface ReaderFormsConfig {
  /** Where the forms post, as written in the built pages: `/contribuer`, or this server's address when the site is hosted elsewhere. */
  action: string;
  /** The public site's address, for the links back from the answer pages when the site is hosted elsewhere. */
  siteUrl: string | undefined;
  /** Largest form body accepted, in bytes. */
  maxBodyBytes: number;
  /** Sendings allowed from one address within 10 minutes, and within a day. */
  sendingsPer10Minutes: number;
  sendingsPerDay: number;
  /** Contributions waiting for moderation beyond which new ones are refused for a while. */
  maxPending: number;
  /** Most links a contribution may hold. */
  maxLinks: number;
}

/**
 * Several servers sharing one commons (REDIS_URL + DATABASE_URL): documents synced through Redis,
 * journal in PostgreSQL, one Git writer chosen by a lease in Redis.
 */
export interface ClusterConfig {
  /** Redis (documents between servers, the writer's lease, save statuses). */
  redisUrl: string;
  /** Name of this server in logs, /api/health and the lease (unique among the servers). */
  instanceName: string;
  /** Lifetime of the writer's lease; another server takes over at most this long after the writer stops renewing it. */
  leaseMs: number;
  /** How often the writer renews its lease and the others try to take it. */
  leaseRenewMs: number;
  /** How often every server looks for a newer published site. */
  followMs: number;
}

/** Complete configuration of one editor server. */
export interface EditorServerConfig {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /**
   * Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For` names the client for the
   * per-address limits; empty (the default) believes no header (`http/client-address.ts`).
   */
  trustProxy: string[];
  /** SQLite database, commons repository and built site live here. */
  dataDir: string;
  /** Content copied into the commons repository on first start when no remote is set. */
  seedContentDir: string;
  /** Public address of the site (SITE_URL); unset: the address the server listens on (core/site-address.ts). */
  siteUrl: string | undefined;
  /** Whether the static site is built at start and published after commits. */
  siteBuild: boolean;
  /**
   * Command of the site worker, which builds the site once and then publishes each commit
   * incrementally; it gets CONTENT_DIR, ASTRO_CACHE_DIR and an IPC channel.
   */
  siteWorkerCommand: string[];
  /** Directory the site worker runs in (the code checkout, which it never writes content to). */
  codeDir: string;
  /** PostgreSQL holding the journal instead of SQLite (`postgres://…`); SQLite when unset. */
  databaseUrl: string | undefined;
  /** Set when several servers share the commons (requires `databaseUrl` and `sync.remote`, COMMONS_REMOTE). */
  cluster: ClusterConfig | undefined;
  /** Bearer token required by /metrics; open when unset (then restrict it at the reverse proxy). */
  metricsToken: string | undefined;
  /** SQLite durability of the journal: `normal` survives a killed process, `full` also power loss. */
  journalSync: 'normal' | 'full';
  /** Hocuspocus debounce of stored snapshots (the journal makes each update durable anyway). */
  storeDebounceMs: number;
  storeMaxDebounceMs: number;
  limits: LimitsConfig;
  git: GitConfig;
  auth: AuthConfig;
  /** Limits of `<site>/commons.git`. */
  clone: CloneLimits;
  sync: SyncConfig;
  readerForms: ReaderFormsConfig;
  /** Silences the request and commit logs (tests, benchmarks). */
  quiet: boolean;
}

/** Deep-partial overrides accepted by `resolveConfig`. */
export type ConfigOverrides = Partial<Omit<EditorServerConfig, 'limits' | 'git' | 'auth' | 'clone' | 'sync' | 'readerForms' | 'cluster'>> & {
  cluster?: Partial<ClusterConfig> & { redisUrl: string };
  limits?: Partial<LimitsConfig>;
  git?: Partial<GitConfig>;
  auth?: Partial<AuthConfig>;
  clone?: Partial<CloneLimits>;
  sync?: Partial<SyncConfig>;
  readerForms?: Partial<ReaderFormsConfig>;
};

const codeDir = resolve(import.meta.dirname, '../..');

/** Defaults of the cluster settings (see `ClusterConfig`). */
export const defaultClusterConfig: Omit<ClusterConfig, 'redisUrl'> = {
  instanceName: `${hostname()}-${process.pid}`,
  leaseMs: 5_000,
  leaseRenewMs: 1_000,
  followMs: 1_000,
};

/** Defaults, chosen for one small server on a 2-core machine. */
export const defaultConfig: EditorServerConfig = {
  host: DEFAULT_HOST,
  port: DEFAULT_PORT,
  trustProxy: [],
  dataDir: resolve('data'),
  seedContentDir: resolve(codeDir, 'content'),
  siteUrl: undefined,
  databaseUrl: undefined,
  cluster: undefined,
  metricsToken: undefined,
  siteBuild: true,
  siteWorkerCommand: [process.execPath, 'scripts/site-worker.ts'],
  codeDir,
  journalSync: 'normal',
  storeDebounceMs: 2_000,
  storeMaxDebounceMs: 10_000,
  limits: {
    maxMessageBytes: 1024 * 1024,
    maxDocumentBytes: 4 * 1024 * 1024,
    maxWritersPerDocument: 100,
    maxReadersPerDocument: 30,
    maxReadersPerAddress: 10,
    maxDocumentsPerSocket: 10,
    maxConnectionsPerIp: 50,
    maxPresenceBytes: 4 * 1024,
    maxPresenceUpdatesPerSecond: 20,
    maxMediaBytes: 10 * 1024 * 1024,
    maxMediaPixels: 40_000_000,
    maxMediaUploadsPerHour: 60,
  },
  git: {
    idleCommitMs: 4_000,
    headPollMs: 2_000,
    committer: serverIdentity,
    authorEmailDomain: 'contributeurs.terreau.invalid',
  },
  auth: {
    sessionMaxAgeMs: 14 * 24 * 3600 * 1000,
    collabTokenLifetimeMs: 5 * 60 * 1000,
    secureCookies: false,
    loginFreeFailures: 5,
    loginBaseDelayMs: 60 * 1000,
    loginMaxDelayMs: 30 * 60 * 1000,
    loginWindowMs: 24 * 3600 * 1000,
    deviceCookieMaxAgeMs: 365 * 24 * 3600 * 1000,
  },
  readerForms: {
    action: '/contribuer',
    siteUrl: undefined,
    maxBodyBytes: 32 * 1024,
    sendingsPer10Minutes: 8,
    sendingsPerDay: 30,
    maxPending: 1000,
    maxLinks: 2,
  },
  clone: {
    maxConcurrent: 2,
    maxQueued: 20,
    maxPerAddress: 2,
    timeoutMs: 10 * 60 * 1000,
    maxRequestBytes: 8 * 1024 * 1024,
  },
  sync: {
    remote: undefined,
    remoteUser: undefined,
    remotePassword: undefined,
    upstream: undefined,
    branch: 'main',
    pushDelayMs: 2_000,
    fetchIntervalMs: 60_000,
    retryMinMs: 2_000,
    retryMaxMs: 5 * 60 * 1000,
    networkTimeoutMs: 2 * 60 * 1000,
    webhookSecret: undefined,
  },
  quiet: false,
};

const positiveInt = z.coerce.number().int().min(0);
const flag = z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((v) => v === 'on' || v === 'true' || v === '1');

const environmentSchema = z.object({
  /** Interface to listen on. */
  HOST: z.string().min(1).optional(),
  /** Port to listen on. */
  PORT: positiveInt.max(65535).optional(),
  /** `off`, or the reverse proxies whose X-Forwarded-For is believed, comma-separated (`127.0.0.1,10.0.0.0/8`). */
  TRUST_PROXY: z
    .string()
    .transform((value) => (value.trim() === 'off' ? [] : value.split(',').map((entry) => entry.trim()).filter(Boolean)))
    .refine((entries) => entries.every(isProxyEntry), {
      message: 'attendu « off » ou des adresses IP ou plages CIDR séparées par des virgules, par exemple « 127.0.0.1,10.0.0.0/8 »',
    })
    .optional(),
  /** Where the database, the commons repository and the built site are kept. */
  DATA_DIR: z.string().min(1).optional(),
  /** Public address of the site, for absolute URLs (credits, feeds, the clone command, links back from the forms' answer pages). */
  // Empty means unset (a `SITE_URL=` line in a service file).
  SITE_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.url({ protocol: /^https?$/, error: 'SITE_URL : une adresse complète est attendue, par exemple https://terreau.exemple.fr' }).optional(),
  ),
  /** Repository the commons is pushed to and fetched from (https://… ; credentials may be in the URL). */
  COMMONS_REMOTE: z.string().min(1).optional(),
  /** User name for COMMONS_REMOTE, when it is not in the URL. */
  COMMONS_REMOTE_USER: z.string().min(1).optional(),
  /** Password or access token for COMMONS_REMOTE, when it is not in the URL. */
  COMMONS_REMOTE_PASSWORD: z.string().min(1).optional(),
  /** Another commons (`<site>/commons.git`) to start from and to pull changes from. */
  COMMONS_UPSTREAM: z.string().min(1).optional(),
  /** Branch followed on the remote and the upstream. */
  COMMONS_BRANCH: z.string().regex(/^[A-Za-z0-9._/-]+$/, 'COMMONS_BRANCH : un nom de branche, par exemple main').optional(),
  /** Seconds between two fetches of the remote. */
  COMMONS_FETCH_SECONDS: z.coerce.number().positive().optional(),
  /** Shared secret of POST /api/git/webhook. */
  COMMONS_WEBHOOK_SECRET: z.string().min(16, 'COMMONS_WEBHOOK_SECRET : 16 caractères au moins').optional(),
  /** Clones served at once by /commons.git. */
  CLONE_MAX_CONCURRENT: positiveInt.min(1).optional(),
  /** Seconds a clone may take before it is stopped. */
  CLONE_TIMEOUT_SECONDS: z.coerce.number().positive().optional(),
  /** `off` serves without building the site (development of the API). */
  SITE_BUILD: flag.optional(),
  /** `full` to fsync every journal transaction (survives power loss, slower). */
  JOURNAL_SYNC: z.enum(['normal', 'full']).optional(),
  /** `on` behind HTTPS: session cookies get `Secure`. */
  SECURE_COOKIES: flag.optional(),
  /** Seconds of inactivity before a document is committed. */
  IDLE_COMMIT_SECONDS: z.coerce.number().positive().optional(),
  MAX_MESSAGE_BYTES: positiveInt.optional(),
  MAX_DOCUMENT_BYTES: positiveInt.optional(),
  MAX_WRITERS_PER_DOCUMENT: positiveInt.optional(),
  MAX_READERS_PER_DOCUMENT: positiveInt.optional(),
  MAX_READERS_PER_ADDRESS: positiveInt.optional(),
  MAX_DOCUMENTS_PER_SOCKET: positiveInt.min(1).optional(),
  MAX_CONNECTIONS_PER_IP: positiveInt.optional(),
  /** PostgreSQL for the journal (and the shared state of several servers): `postgres://user:password@host:5432/base`. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'adresse PostgreSQL attendue : postgres://utilisateur:mot-de-passe@hôte:5432/base').optional(),
  /** Redis shared by several servers: `redis://host:6379`. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'adresse Redis attendue : redis://hôte:6379').optional(),
  /** Name of this server among several (logs, /api/health). */
  INSTANCE_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'lettres, chiffres, « . », « _ » ou « - », 64 au plus').optional(),
  /** Lifetime of the Git writer's lease, in seconds. */
  WRITER_LEASE_SECONDS: z.coerce.number().min(1).max(60).optional(),
  /** Bearer token that /metrics requires. */
  METRICS_TOKEN: z.string().min(16, 'jeton trop court : 16 caractères au moins').optional(),
  /** Where the readers' forms post, when the static site is hosted elsewhere (also read by the site build). */
  READER_FORMS_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Largest uploaded image, in bytes. */
  MAX_MEDIA_BYTES: positiveInt.optional(),
  /** Most pixels of an uploaded image. */
  MAX_MEDIA_PIXELS: positiveInt.optional(),
});

/** Reads the configuration from environment variables; errors name the variable. */
export function configFromEnvironment(env: NodeJS.ProcessEnv): ConfigOverrides {
  const e = parseWithFriendlyErrors(environmentSchema, env, 'variables d’environnement');
  const overrides: ConfigOverrides = { limits: {}, git: {}, auth: {}, clone: {}, sync: {}, readerForms: {} };
  if (e.HOST) overrides.host = e.HOST;
  if (e.PORT !== undefined) overrides.port = e.PORT;
  if (e.TRUST_PROXY !== undefined) overrides.trustProxy = e.TRUST_PROXY;
  if (e.DATA_DIR) overrides.dataDir = resolve(e.DATA_DIR);
  if (e.SITE_URL) overrides.siteUrl = e.SITE_URL;
  if (e.COMMONS_REMOTE) overrides.sync!.remote = e.COMMONS_REMOTE;
  if (e.COMMONS_REMOTE_USER) overrides.sync!.remoteUser = e.COMMONS_REMOTE_USER;
  if (e.COMMONS_REMOTE_PASSWORD) overrides.sync!.remotePassword = e.COMMONS_REMOTE_PASSWORD;
  if (e.COMMONS_UPSTREAM) overrides.sync!.upstream = e.COMMONS_UPSTREAM;
  if (e.COMMONS_BRANCH) overrides.sync!.branch = e.COMMONS_BRANCH;
  if (e.COMMONS_FETCH_SECONDS !== undefined) overrides.sync!.fetchIntervalMs = e.COMMONS_FETCH_SECONDS * 1000;
  if (e.COMMONS_WEBHOOK_SECRET) overrides.sync!.webhookSecret = e.COMMONS_WEBHOOK_SECRET;
  if (e.CLONE_MAX_CONCURRENT !== undefined) overrides.clone!.maxConcurrent = e.CLONE_MAX_CONCURRENT;
  if (e.CLONE_TIMEOUT_SECONDS !== undefined) overrides.clone!.timeoutMs = e.CLONE_TIMEOUT_SECONDS * 1000;
  if (e.SITE_BUILD !== undefined) overrides.siteBuild = e.SITE_BUILD;
  if (e.JOURNAL_SYNC) overrides.journalSync = e.JOURNAL_SYNC;
  if (e.SECURE_COOKIES !== undefined) overrides.auth!.secureCookies = e.SECURE_COOKIES;
  if (e.IDLE_COMMIT_SECONDS !== undefined) overrides.git!.idleCommitMs = e.IDLE_COMMIT_SECONDS * 1000;
  if (e.MAX_MESSAGE_BYTES !== undefined) overrides.limits!.maxMessageBytes = e.MAX_MESSAGE_BYTES;
  if (e.MAX_DOCUMENT_BYTES !== undefined) overrides.limits!.maxDocumentBytes = e.MAX_DOCUMENT_BYTES;
  if (e.MAX_WRITERS_PER_DOCUMENT !== undefined) overrides.limits!.maxWritersPerDocument = e.MAX_WRITERS_PER_DOCUMENT;
  if (e.MAX_READERS_PER_DOCUMENT !== undefined) overrides.limits!.maxReadersPerDocument = e.MAX_READERS_PER_DOCUMENT;
  if (e.MAX_READERS_PER_ADDRESS !== undefined) overrides.limits!.maxReadersPerAddress = e.MAX_READERS_PER_ADDRESS;
  if (e.MAX_DOCUMENTS_PER_SOCKET !== undefined) overrides.limits!.maxDocumentsPerSocket = e.MAX_DOCUMENTS_PER_SOCKET;
  if (e.MAX_CONNECTIONS_PER_IP !== undefined) overrides.limits!.maxConnectionsPerIp = e.MAX_CONNECTIONS_PER_IP;
  if (e.DATABASE_URL) overrides.databaseUrl = e.DATABASE_URL;
  if (e.METRICS_TOKEN) overrides.metricsToken = e.METRICS_TOKEN;
  if (e.REDIS_URL) {
    const problems: Problem[] = [];
    const source = 'variables d’environnement';
    if (!e.DATABASE_URL) problems.push({ file: source, field: 'DATABASE_URL', message: 'obligatoire avec REDIS_URL : plusieurs serveurs partagent leur journal dans PostgreSQL' });
    if (!e.COMMONS_REMOTE) problems.push({ file: source, field: 'COMMONS_REMOTE', message: 'obligatoire avec REDIS_URL : le dépôt du commun où l’écrivain Git pousse et que les autres serveurs suivent' });
    if (problems.length) throw new ProblemError(problems);
    overrides.cluster = {
      redisUrl: e.REDIS_URL,
      ...(e.INSTANCE_NAME ? { instanceName: e.INSTANCE_NAME } : {}),
      ...(e.WRITER_LEASE_SECONDS ? { leaseMs: e.WRITER_LEASE_SECONDS * 1000, leaseRenewMs: Math.max(200, (e.WRITER_LEASE_SECONDS * 1000) / 5) } : {}),
    };
  }
  if (e.READER_FORMS_URL) overrides.readerForms!.action = e.READER_FORMS_URL;
  if (e.SITE_URL) overrides.readerForms!.siteUrl = e.SITE_URL;
  if (e.MAX_MEDIA_BYTES !== undefined) overrides.limits!.maxMediaBytes = e.MAX_MEDIA_BYTES;
  if (e.MAX_MEDIA_PIXELS !== undefined) overrides.limits!.maxMediaPixels = e.MAX_MEDIA_PIXELS;
  return overrides;
}

/** Merges overrides over the defaults. */
export function resolveConfig(...layers: ConfigOverrides[]): EditorServerConfig {
  let config = defaultConfig;
  for (const layer of layers) {
    config = {
      ...config,
      ...layer,
      limits: { ...config.limits, ...layer.limits },
      git: { ...config.git, ...layer.git },
      auth: { ...config.auth, ...layer.auth },
      cluster: layer.cluster ? { ...defaultClusterConfig, ...config.cluster, ...layer.cluster } : config.cluster,
      clone: { ...config.clone, ...layer.clone },
      sync: { ...config.sync, ...layer.sync },
      readerForms: { ...config.readerForms, ...layer.readerForms },
    };
  }
  if (config.cluster && (!config.databaseUrl || !config.sync.remote)) {
    throw new ProblemError([{ field: 'cluster', message: 'plusieurs serveurs demandent DATABASE_URL (PostgreSQL) et COMMONS_REMOTE (le dépôt du commun partagé)' }]);
  }
  return config;
}
