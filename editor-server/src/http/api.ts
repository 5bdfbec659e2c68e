/**
 * HTTP API under /api/: login and logout (session cookie), the current session and its
 * collaboration token, personal tokens, health, an entry's history from Git, the drafts, and
 * the administrators' management of accounts (invitations, roles, disabling, revocation).
 *
 *   POST   /api/login    { email, password } → { user, token } + HttpOnly session cookie
 *   POST   /api/logout   → 204, cookie cleared
 *   GET    /api/session  → { user, token } (token: for HocuspocusProvider, valid a few minutes) or { user: null, token: null }
 *   GET    /api/tokens   → { tokens: [{ id, label, createdAt, lastUsedAt }] }
 *   POST   /api/tokens   { label? } → { id, token } (the secret is shown once)
 *   DELETE /api/tokens/:id → 204 (its open collaboration connections are closed)
 *   (the token routes refuse a session's collaboration token, `trs_`: 403)
 *   GET    /api/health   → { status: "ok" | "dégradé", head, documents, connections, site, sync?: { state, message, lateSince? },
 *                            writer, lease, redis, database, journal: { backlogDocuments, oldestPendingSeconds, heldUpdates }, … }
 *   GET    /api/history?doc=fiches/x → { doc, commits: [{ oid, date, message, author, coAuthors, reviewers }] }
 *   GET    /api/sync     (administrateur) → { remote?: SyncStatus, upstream?: SyncStatus }
 *   POST   /api/sync     (administrateur) → fetches, merges and pushes now → { remote: SyncStatus }
 *   POST   /api/sync/pull-upstream (administrateur) → { outcome, upstream: SyncStatus }
 *   POST   /api/git/webhook (shared secret: X-Hub-Signature-256, X-Gitea-Signature, X-Gitlab-Token
 *          or Authorization: Bearer) → 202, the remote is fetched at once
 *   GET    /api/document?doc=fiches/x → { doc, exists: true, inCommons } or 404 when no such entry exists
 *   /api/moderation…, /api/propositions… → moderation of readers' contributions (moderation-api.ts)
 *   POST   /api/medias?doc=fiches/x&auteur=…&licence=… (image bytes) → { src, width, height }
 *   GET    /api/drafts   → { drafts: [{ doc, titre, committed, modifiedAt? }] } (brouillons, for those who may write entries)
 *   GET    /api/invitation?code=… → { user: { name, email, role } } (who an invitation link is for)
 *   POST   /api/invitation { code, password } → { user, token } + session cookie (the link then stops working)
 * Administrators only (ability « comptes », /editer/comptes/); what takes rights away closes live connections:
 *   GET    /api/users    → { users: [AccountSummary] }
 *   POST   /api/users    { email, name, role } → { user, invitation: { url, expiresAt } } (one-time link, no e-mail sent)
 *   PATCH  /api/users/:id { role?, disabled? } → { user: AccountSummary }
 *   POST   /api/users/:id/invitation → { invitation: { url, expiresAt } } (a new link; earlier ones stop working)
 *   DELETE /api/users/:id/tokens → { revoked: { tokens, sessions } }
 * Authenticated routes accept `Authorization: Bearer <token>` or the session cookie.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hocuspocus } from '@hocuspocus/server';
import { z } from 'zod';
import { AccountError, newUserSchema, toPublicUser, type Accounts, type Invitation, type User } from '../accounts/accounts.ts';
import { formatWait, type LoginThrottle } from '../accounts/login-throttle.ts';
import type { AuthConfig, LimitsConfig } from '../config.ts';
import type { GitSync } from '../extensions/git-sync.ts';
import { mdxCollections } from '../../../schemas/common.ts';
import { abilityRefusal, mayDo, mayWrite, roleSchema } from '../../../schemas/roles.ts';
import { parseDocumentName } from '../../../core/document-name.ts';
import { fileHistory, readFileAt, readHead } from '../git/commons-repo.ts';
import { FencedError } from '../git/fenced-error.ts';
import { RemoteError } from '../git/remote-git.ts';
import type { RemoteSync } from '../git/remote-sync.ts';
import type { SitePublisher } from '../publish/site-publisher.ts';
import { listDrafts } from '../documents/drafts.ts';
import type { ReaderModeration } from '../moderation/reader-moderation.ts';
import { storedHasContent, type DocumentStore } from '../storage/document-store.ts';
import type { ReaderContributionStore } from '../storage/reader-contributions.ts';
import { requestClientAddress, type TrustedProxies } from './client-address.ts';
import { handleModerationRequest } from './moderation-api.ts';
import { apiSecurityHeaders } from './security-headers.ts';
import { formatCookie, HttpError, readCookie, readJsonBody, sendJson } from './http-utils.ts';
import { databaseUnavailable, isPostgresUnavailable } from '../storage/postgres-database.ts';
import { uploadMedia } from './media-upload.ts';

/** What the API needs from the rest of the server. */
export interface ApiDependencies {
  accounts: Accounts;
  throttle: LoginThrottle;
  auth: AuthConfig;
  /** Proxies whose X-Forwarded-For names the client (login throttling is per address). */
  trustedProxies: TrustedProxies;
  repoDir: string;
  hocuspocus: Hocuspocus;
  publisher: SitePublisher;
  /** The rest of /api/health: Git writer, lease, Redis, database, journal backlog. */
  health?: () => Promise<Record<string, unknown>>;
  /** Sync with COMMONS_REMOTE, if any. */
  mirror?: RemoteSync | undefined;
  /** Pulls from COMMONS_UPSTREAM, if any. */
  upstream?: RemoteSync | undefined;
  /** Shared secret of the webhook; unset: no webhook. */
  webhookSecret?: string | undefined;
  store: DocumentStore;
  moderation: ReaderModeration;
  contributions: ReaderContributionStore;
  gitSync: GitSync;
  limits: LimitsConfig;
  /** The site's public address, for the invitation links (server.ts publicUrl). */
  siteUrl: () => string;
}

export const sessionCookie = 'terreau_session';
/** The signed cookie of a browser that logged in before (login-throttle.ts). */
export const deviceCookie = 'terreau_appareil';

const loginSchema = z.object({
  /** Account email. */
  email: z.string().min(1, 'e-mail obligatoire').max(320),
  /** Account password. */
  password: z.string().min(1, 'mot de passe obligatoire').max(1024),
});

const newTokenSchema = z.object({
  /** What the token is for, to recognise it in the list. */
  label: z.string().trim().min(1).max(100).optional(),
});

const invitationSchema = newUserSchema.omit({ password: true });

const accountChangeSchema = z.strictObject({
  /** New role of the account. */
  role: roleSchema.optional(),
  /** true disables the account (no login, no token, no session), false enables it again. */
  disabled: z.boolean().optional(),
});

const acceptInvitationSchema = z.object({
  /** The secret of the invitation link. */
  code: z.string().min(1, 'lien d’invitation incomplet').max(200),
  /** The password the invited person chooses. */
  password: z.string().min(10, 'mot de passe trop court : 10 caractères au moins').max(1024),
});

/** Handles one /api/ request. */
export async function handleApiRequest(deps: ApiDependencies, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  for (const [name, value] of Object.entries(apiSecurityHeaders)) response.setHeader(name, value);
  try {
    await route(deps, request, response, url);
  } catch (error) {
    if (error instanceof HttpError) sendJson(response, error.status, { error: error.message }, error.headers);
    // Accounts live in PostgreSQL with several servers: a login or a token check waits for it, and says so.
    else if (isPostgresUnavailable(error)) {
      console.error(`[postgres] requête ${request.method} ${url.pathname} refusée : ${(error as Error).message}`);
      sendJson(response, 503, { error: databaseUnavailable }, { 'Retry-After': '5' });
    } else {
      console.error(error);
      sendJson(response, 500, { error: 'erreur interne du serveur' });
    }
  }
}

async function route(deps: ApiDependencies, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const { pathname } = url;
  const method = request.method ?? 'GET';
  if (pathname === '/api/health' && method === 'GET') {
    const sync = deps.mirror?.status();
    return sendJson(response, 200, {
      status: 'ok',
      head: await readHead(deps.repoDir),
      documents: deps.hocuspocus.getDocumentsCount(),
      connections: deps.hocuspocus.getConnectionsCount(),
      site: deps.publisher.hasSite(),
      ...(await deps.health?.()),
      ...(sync ? { sync: { state: sync.state, message: sync.message, ...(sync.lateSince ? { lateSince: sync.lateSince } : {}) } } : {}),
    });
  }
  if (pathname === '/api/git/webhook' && method === 'POST') return webhook(deps, request, response);
  if (pathname === '/api/sync' && method === 'GET') {
    await requireAdministrator(deps, request);
    return sendJson(response, 200, { ...(deps.mirror ? { remote: deps.mirror.status() } : {}), ...(deps.upstream ? { upstream: deps.upstream.status() } : {}) });
  }
  if (pathname === '/api/sync' && method === 'POST') {
    await requireAdministrator(deps, request);
    if (!deps.mirror) throw new HttpError(409, 'aucun dépôt distant : définissez COMMONS_REMOTE');
    await deps.mirror.sync();
    return sendJson(response, 200, { remote: deps.mirror.status() });
  }
  if (pathname === '/api/sync/pull-upstream' && method === 'POST') {
    await requireAdministrator(deps, request);
    if (!deps.upstream) throw new HttpError(409, 'aucun commun amont : définissez COMMONS_UPSTREAM');
    // Several servers: only the Git writer moves the branch (and pushes the merge, fenced).
    const notWriter = 'ce serveur n’écrit pas Git en ce moment : lancez la reprise sur le serveur écrivain (celui dont /api/health dit « writer »: true)';
    if (!deps.gitSync.isWriting) throw new HttpError(409, notWriter);
    try {
      const { outcome } = await deps.upstream.pull();
      return sendJson(response, 200, { outcome, upstream: deps.upstream.status() });
    } catch (error) {
      if (error instanceof RemoteError) throw new HttpError(502, error.message);
      if (error instanceof FencedError) throw new HttpError(409, `${notWriter} (${error.message})`);
      throw error;
    }
  }
  if (pathname === '/api/login' && method === 'POST') return login(deps, request, response);
  if (pathname === '/api/logout' && method === 'POST') {
    const sessionId = readCookie(request, sessionCookie);
    if (sessionId) await deps.accounts.closeSession(sessionId);
    response.writeHead(204, { 'Set-Cookie': formatCookie(sessionCookie, '', { maxAgeSeconds: 0, secure: deps.auth.secureCookies }) });
    return void response.end();
  }
  if (pathname === '/api/session' && method === 'GET') {
    const sessionId = readCookie(request, sessionCookie);
    const session = sessionId ? await deps.accounts.resumeSession(sessionId) : undefined;
    if (session) return sendJson(response, 200, { user: toPublicUser(session.user), token: session.token });
    const bearer = await bearerUser(deps, request);
    return sendJson(response, 200, bearer ? { user: toPublicUser(bearer), token: null } : { user: null, token: null });
  }
  if (pathname === '/api/tokens' && method === 'GET') {
    const user = await requireUser(deps, request, { sessionTokens: false });
    return sendJson(response, 200, { tokens: await deps.accounts.listTokens(user.id) });
  }
  if (pathname === '/api/tokens' && method === 'POST') {
    const user = await requireUser(deps, request, { sessionTokens: false });
    const body = await readJsonBody(request, newTokenSchema);
    return sendJson(response, 201, await deps.accounts.createToken(user.id, body.label));
  }
  const tokenMatch = /^\/api\/tokens\/([a-z0-9]+)$/.exec(pathname);
  if (tokenMatch && method === 'DELETE') {
    const user = await requireUser(deps, request, { sessionTokens: false });
    if (!(await deps.accounts.revokeToken(user.id, tokenMatch[1]!))) throw new HttpError(404, 'jeton introuvable');
    return void response.writeHead(204).end();
  }
  if (pathname === '/api/history' && method === 'GET') {
    const address = parseDocumentName(url.searchParams.get('doc') ?? '');
    if ('refused' in address) throw new HttpError(400, `paramètre doc : ${address.refused}`);
    return sendJson(response, 200, { doc: address.name, commits: await fileHistory(deps.repoDir, address.path) });
  }
  if (pathname === '/api/drafts' && method === 'GET') {
    const user = await requireUser(deps, request);
    if (!mdxCollections.some((collection) => mayWrite(user.role, collection))) throw new HttpError(403, 'réservé aux personnes qui peuvent écrire des entrées');
    return sendJson(response, 200, { drafts: await listDrafts(deps.repoDir, deps.store) });
  }
  if (pathname === '/api/invitation' && method === 'GET') {
    const user = await deps.accounts.findInvitation(url.searchParams.get('code') ?? '');
    if (!user) throw new HttpError(404, 'lien d’invitation inconnu, déjà utilisé ou expiré : demandez-en un nouveau à un administrateur');
    return sendJson(response, 200, { user: { name: user.name, email: user.email, role: user.role } });
  }
  if (pathname === '/api/invitation' && method === 'POST') return acceptInvitation(deps, request, response);
  if (pathname.startsWith('/api/users')) return routeAccounts(deps, request, response, pathname, method);
  if (pathname === '/api/document' && method === 'GET') {
    const address = parseDocumentName(url.searchParams.get('doc') ?? '');
    if ('refused' in address) throw new HttpError(400, `paramètre doc : ${address.refused}`);
    // An entry exists once it is in the commons, or while someone writes it in the editor.
    const inCommons = (await readFileAt(deps.repoDir, await readHead(deps.repoDir), address.path)) !== undefined;
    if (!inCommons && !(await storedHasContent(deps.store, address.name))) throw new HttpError(404, `entrée introuvable : ${address.name}`);
    return sendJson(response, 200, { doc: address.name, exists: true, inCommons });
  }
  const moderation = { moderation: deps.moderation, contributions: deps.contributions, requireUser: (r: IncomingMessage) => requireUser(deps, r) };
  if (await handleModerationRequest(moderation, request, response, url)) return;
  if (pathname === '/api/medias' && method === 'POST') {
    // Who may add an image to an entry is who may write it (checked once the entry is read).
    return uploadMedia(deps, await requireUser(deps, request), request, response, url);
  }
  throw new HttpError(404, `route inconnue : ${method} ${pathname}`);
}

/** The administrators' routes: list, invite, change role, disable, revoke. */
async function routeAccounts(deps: ApiDependencies, request: IncomingMessage, response: ServerResponse, pathname: string, method: string): Promise<void> {
  const admin = await requireUser(deps, request);
  if (!mayDo(admin.role, 'comptes')) throw new HttpError(403, abilityRefusal(admin.role, 'comptes'));
  try {
    if (pathname === '/api/users' && method === 'GET') return sendJson(response, 200, { users: await deps.accounts.listUsers() });
    if (pathname === '/api/users' && method === 'POST') {
      const input = await readJsonBody(request, invitationSchema);
      const { user, invitation } = await deps.accounts.invite(input, admin.id);
      return sendJson(response, 201, { user, invitation: invitationLink(deps, invitation) });
    }
    const match = /^\/api\/users\/([a-z0-9]+)(\/invitation|\/tokens)?$/.exec(pathname);
    if (!match) throw new HttpError(404, `route inconnue : ${method} ${pathname}`);
    const [, id, action] = match as unknown as [string, string, string | undefined];
    if (!action && method === 'PATCH') {
      const change = await readJsonBody(request, accountChangeSchema);
      if (id === admin.id && (change.disabled || (change.role && change.role !== 'administrateur'))) {
        throw new HttpError(409, 'vous ne pouvez ni vous désactiver ni retirer votre propre rôle d’administrateur : demandez-le à un autre administrateur');
      }
      // Accounts announces what takes rights away: the live connections of the account close.
      if (change.role) await deps.accounts.changeRole(id, change.role);
      if (change.disabled === true) await deps.accounts.disableUser(id);
      if (change.disabled === false) await deps.accounts.enableUser(id);
      const user = (await deps.accounts.listUsers()).find((u) => u.id === id);
      if (!user) throw new HttpError(404, `compte inconnu : ${id}`);
      return sendJson(response, 200, { user });
    }
    if (action === '/invitation' && method === 'POST') return sendJson(response, 201, { invitation: invitationLink(deps, await deps.accounts.createInvitation(id, admin.id)) });
    if (action === '/tokens' && method === 'DELETE') return sendJson(response, 200, { revoked: await deps.accounts.revokeAllTokens(id) });
    throw new HttpError(404, `route inconnue : ${method} ${pathname}`);
  } catch (error) {
    if (error instanceof AccountError) throw new HttpError(409, error.message);
    throw error;
  }
}

/** The link an administrator passes on: the secret sits in the fragment, which browsers never send to a server. */
function invitationLink(deps: ApiDependencies, invitation: Invitation): { url: string; expiresAt: string } {
  return { url: new URL(`/editer/invitation/#${invitation.code}`, deps.siteUrl()).href, expiresAt: invitation.expiresAt };
}

async function acceptInvitation(deps: ApiDependencies, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { code, password } = await readJsonBody(request, acceptInvitationSchema);
  let user: User;
  try {
    user = await deps.accounts.acceptInvitation(code, password);
  } catch (error) {
    if (error instanceof AccountError) throw new HttpError(410, error.message);
    throw error;
  }
  await openSession(deps, response, user);
}

async function login(deps: ApiDependencies, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { email, password } = await readJsonBody(request, loginSchema);
  // A browser that logged in to this account before keeps its own allowance (login-throttle.ts).
  const device = deps.throttle.verifyDeviceCookie(readCookie(request, deviceCookie), (await deps.accounts.findByEmail(email))?.id);
  const attempt = { address: requestClientAddress(request, deps.trustedProxies), email, ...(device ? { device } : {}) };
  const wait = await deps.throttle.retryAfterMs(attempt);
  if (wait > 0) {
    throw new HttpError(429, `trop d’essais infructueux pour ce compte : réessayez dans ${formatWait(wait)}`, { 'Retry-After': String(Math.ceil(wait / 1000)) });
  }
  const user = await deps.accounts.checkPassword(email, password);
  if (!user) {
    await deps.throttle.recordFailure(attempt);
    throw new HttpError(401, 'e-mail ou mot de passe incorrect');
  }
  if (user.disabled) throw new HttpError(403, 'compte désactivé : contactez un administrateur');
  await deps.throttle.recordSuccess(attempt);
  await openSession(deps, response, user);
}

/** Opens a session for a user and answers with it (session cookie, device cookie, collaboration token). */
async function openSession(deps: ApiDependencies, response: ServerResponse, user: User): Promise<void> {
  const sessionId = await deps.accounts.openSession(user.id, deps.auth.sessionMaxAgeMs);
  const session = (await deps.accounts.resumeSession(sessionId))!;
  const cookies = [
    formatCookie(sessionCookie, sessionId, { maxAgeSeconds: Math.floor(deps.auth.sessionMaxAgeMs / 1000), secure: deps.auth.secureCookies }),
    // Kept after logout: it is what lets this browser in while others are being slowed down.
    formatCookie(deviceCookie, deps.throttle.issueDeviceCookie(user.id), { maxAgeSeconds: Math.floor(deps.auth.deviceCookieMaxAgeMs / 1000), secure: deps.auth.secureCookies, path: '/api/login' }),
  ];
  sendJson(response, 200, { user: toPublicUser(user), token: session.token }, { 'Set-Cookie': cookies });
}

function bearerToken(request: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''))?.[1];
}

async function requireAdministrator(deps: ApiDependencies, request: IncomingMessage): Promise<User> {
  const user = await requireUser(deps, request);
  if (user.role !== 'administrateur') throw new HttpError(403, 'réservé aux administrateurs');
  return user;
}

/** Largest webhook body read (a forge's push event; only its signature matters here). */
const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

/**
 * A forge says the remote changed: checks the shared secret the way each forge sends it, then
 * fetches at once (coalesced with a sync under way). The body is read only to check a signature.
 */
async function webhook(deps: ApiDependencies, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (!deps.webhookSecret || !deps.mirror) throw new HttpError(404, 'webhook désactivé : définissez COMMONS_REMOTE et COMMONS_WEBHOOK_SECRET');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_WEBHOOK_BYTES) throw new HttpError(413, `corps trop volumineux (limite ${MAX_WEBHOOK_BYTES} octets)`);
    chunks.push(chunk as Buffer);
  }
  if (!webhookIsSigned(request, Buffer.concat(chunks), deps.webhookSecret)) throw new HttpError(401, 'secret du webhook absent ou incorrect');
  void deps.mirror.sync();
  sendJson(response, 202, { status: 'synchronisation lancée' });
}

/** Whether a webhook request carries the shared secret, as a signature of its body or as a token. */
function webhookIsSigned(request: IncomingMessage, body: Buffer, secret: string): boolean {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value.trim() : undefined;
  };
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  const signed = header('x-hub-signature-256')?.replace(/^sha256=/, '') ?? header('x-gitea-signature') ?? header('x-forgejo-signature') ?? header('x-gogs-signature');
  if (signed !== undefined) return sameSecret(signed.toLowerCase(), signature);
  const token = header('x-gitlab-token') ?? /^Bearer\s+(\S+)$/i.exec(header('authorization') ?? '')?.[1];
  return token !== undefined && sameSecret(token, secret);
}

/** Compares two secrets in constant time (their hashes, so lengths leak nothing either). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function bearerUser(deps: ApiDependencies, request: IncomingMessage): Promise<User | undefined> {
  const token = bearerToken(request);
  return token ? deps.accounts.userForToken(token) : Promise.resolve(undefined);
}

/**
 * The account calling, from the session cookie or a Bearer token. `sessionTokens: false` refuses
 * a session's collaboration token (`trs_`): page scripts can read it, so a script injected into a
 * page must not turn it into a personal token that outlives the session.
 */
async function requireUser(deps: ApiDependencies, request: IncomingMessage, options: { sessionTokens: boolean } = { sessionTokens: true }): Promise<User> {
  const sessionId = readCookie(request, sessionCookie);
  const fromCookie = sessionId ? (await deps.accounts.resumeSession(sessionId))?.user : undefined;
  if (fromCookie) return fromCookie;
  if (!options.sessionTokens && bearerToken(request)?.startsWith('trs_')) {
    throw new HttpError(403, 'un jeton de session sert seulement à la collaboration : gérez vos jetons depuis une session connectée ou avec un jeton personnel');
  }
  const user = await bearerUser(deps, request);
  if (!user) throw new HttpError(401, 'connexion requise');
  return user;
}
