/**
 * HTTP API under /api/: login and logout (session cookie), the current session and its
 * collaboration token, personal tokens, health, an entry's history from Git, the drafts, and
 * the administrators' management of accounts (invitations, roles, disabling, revocation).
 *
 *   POST   /api/login    { email, password } → { user, token } + HttpOnly session cookie
 *   POST   /api/logout   → 204, cookie cleared
 *   GET    /api/session  → { user, token } (token: for HocuspocusProvider) or { user: null, token: null }
 *   GET    /api/tokens   → { tokens: [{ id, label, createdAt, lastUsedAt }] }
 *   POST   /api/tokens   { label? } → { id, token } (the secret is shown once)
 *   DELETE /api/tokens/:id → 204
 *   GET    /api/health   → { status: "ok", head, documents, connections, site }
 *   GET    /api/history?doc=fiches/x → { doc, commits: [{ oid, date, message, author, coAuthors, reviewers }] }
 *   GET    /api/drafts   → { drafts: [{ doc, titre, committed, modifiedAt? }] } (brouillons, for editors)
 *   GET    /api/invitation?code=… → { user: { name, email, role } } (who an invitation link is for)
 *   POST   /api/invitation { code, password } → { user, token } + session cookie (the link then stops working)
 * Administrators only (/editer/comptes/):
 *   GET    /api/users    → { users: [AccountSummary] }
 *   POST   /api/users    { email, name, role } → { user, invitation: { url, expiresAt } } (one-time link, no e-mail sent)
 *   PATCH  /api/users/:id { role?, disabled? } → { user: AccountSummary }
 *   POST   /api/users/:id/invitation → { invitation: { url, expiresAt } } (a new link; earlier ones stop working)
 *   DELETE /api/users/:id/tokens → { revoked: { tokens, sessions } }
 * Authenticated routes accept `Authorization: Bearer <token>` or the session cookie.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hocuspocus } from '@hocuspocus/server';
import { z } from 'zod';
import { AccountError, canEdit, newUserSchema, roles, toPublicUser, type Accounts, type Invitation, type User } from '../accounts/accounts.ts';
import type { LoginThrottle } from '../accounts/login-throttle.ts';
import type { AuthConfig } from '../config.ts';
import { parseDocumentName } from '../../../core/document-name.ts';
import { fileHistory, readHead } from '../git/commons-repo.ts';
import type { SitePublisher } from '../publish/site-publisher.ts';
import { listDrafts } from '../documents/drafts.ts';
import type { DocumentStore } from '../storage/document-store.ts';
import { clientAddress, formatCookie, HttpError, readCookie, readJsonBody, sendJson } from './http-utils.ts';

/** What the API needs from the rest of the server. */
export interface ApiDependencies {
  accounts: Accounts;
  throttle: LoginThrottle;
  auth: AuthConfig;
  repoDir: string;
  hocuspocus: Hocuspocus;
  publisher: SitePublisher;
  store: DocumentStore;
  /** The site's address, for the invitation links (core/site-address.ts). */
  siteUrl: () => string;
}

export const sessionCookie = 'terreau_session';

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
  role: z.enum(roles, { message: `rôle inconnu : ${roles.join(', ')}` }).optional(),
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
  try {
    await route(deps, request, response, url);
  } catch (error) {
    if (error instanceof HttpError) sendJson(response, error.status, { error: error.message }, error.headers);
    else {
      console.error(error);
      sendJson(response, 500, { error: 'erreur interne du serveur' });
    }
  }
}

async function route(deps: ApiDependencies, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const { pathname } = url;
  const method = request.method ?? 'GET';
  if (pathname === '/api/health' && method === 'GET') {
    return sendJson(response, 200, {
      status: 'ok',
      head: await readHead(deps.repoDir),
      documents: deps.hocuspocus.getDocumentsCount(),
      connections: deps.hocuspocus.getConnectionsCount(),
      site: deps.publisher.hasSite(),
    });
  }
  if (pathname === '/api/login' && method === 'POST') return login(deps, request, response);
  if (pathname === '/api/logout' && method === 'POST') {
    const sessionId = readCookie(request, sessionCookie);
    if (sessionId) deps.accounts.closeSession(sessionId);
    response.writeHead(204, { 'Set-Cookie': formatCookie(sessionCookie, '', { maxAgeSeconds: 0, secure: deps.auth.secureCookies }) });
    return void response.end();
  }
  if (pathname === '/api/session' && method === 'GET') {
    const sessionId = readCookie(request, sessionCookie);
    const session = sessionId ? deps.accounts.resumeSession(sessionId) : undefined;
    if (session) return sendJson(response, 200, { user: toPublicUser(session.user), token: session.token });
    const bearer = bearerUser(deps, request);
    return sendJson(response, 200, bearer ? { user: toPublicUser(bearer), token: null } : { user: null, token: null });
  }
  if (pathname === '/api/tokens' && method === 'GET') {
    const user = requireUser(deps, request);
    return sendJson(response, 200, { tokens: deps.accounts.listTokens(user.id) });
  }
  if (pathname === '/api/tokens' && method === 'POST') {
    const user = requireUser(deps, request);
    const body = await readJsonBody(request, newTokenSchema);
    return sendJson(response, 201, deps.accounts.createToken(user.id, body.label));
  }
  const tokenMatch = /^\/api\/tokens\/([a-z0-9]+)$/.exec(pathname);
  if (tokenMatch && method === 'DELETE') {
    const user = requireUser(deps, request);
    if (!deps.accounts.revokeToken(user.id, tokenMatch[1]!)) throw new HttpError(404, 'jeton introuvable');
    return void response.writeHead(204).end();
  }
  if (pathname === '/api/history' && method === 'GET') {
    const address = parseDocumentName(url.searchParams.get('doc') ?? '');
    if ('refused' in address) throw new HttpError(400, `paramètre doc : ${address.refused}`);
    return sendJson(response, 200, { doc: address.name, commits: await fileHistory(deps.repoDir, address.path) });
  }
  if (pathname === '/api/drafts' && method === 'GET') {
    const user = requireUser(deps, request);
    if (!canEdit(user)) throw new HttpError(403, 'réservé aux contributeurs et contributrices');
    return sendJson(response, 200, { drafts: await listDrafts(deps.repoDir, deps.store) });
  }
  if (pathname === '/api/invitation' && method === 'GET') {
    const user = deps.accounts.findInvitation(url.searchParams.get('code') ?? '');
    if (!user) throw new HttpError(404, 'lien d’invitation inconnu, déjà utilisé ou expiré : demandez-en un nouveau à un administrateur');
    return sendJson(response, 200, { user: { name: user.name, email: user.email, role: user.role } });
  }
  if (pathname === '/api/invitation' && method === 'POST') return acceptInvitation(deps, request, response);
  if (pathname.startsWith('/api/users')) return routeAccounts(deps, request, response, pathname, method);
  throw new HttpError(404, `route inconnue : ${method} ${pathname}`);
}

/** The administrators' routes: list, invite, change role, disable, revoke. */
async function routeAccounts(deps: ApiDependencies, request: IncomingMessage, response: ServerResponse, pathname: string, method: string): Promise<void> {
  const admin = requireUser(deps, request);
  if (admin.role !== 'administrateur') throw new HttpError(403, 'réservé aux administrateurs et administratrices');
  try {
    if (pathname === '/api/users' && method === 'GET') return sendJson(response, 200, { users: deps.accounts.listUsers() });
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
      if (change.role) deps.accounts.setRole(id, change.role);
      if (change.disabled !== undefined) deps.accounts.setDisabled(id, change.disabled);
      const user = deps.accounts.listUsers().find((u) => u.id === id);
      if (!user) throw new HttpError(404, `compte inconnu : ${id}`);
      return sendJson(response, 200, { user });
    }
    if (action === '/invitation' && method === 'POST') return sendJson(response, 201, { invitation: invitationLink(deps, deps.accounts.createInvitation(id, admin.id)) });
    if (action === '/tokens' && method === 'DELETE') return sendJson(response, 200, { revoked: deps.accounts.revokeAllTokens(id) });
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
  openSession(deps, response, user);
}

async function login(deps: ApiDependencies, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { email, password } = await readJsonBody(request, loginSchema);
  const address = clientAddress(request);
  const wait = deps.throttle.retryAfterMs(address, email);
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    throw new HttpError(429, `trop d’essais infructueux : réessayez dans ${seconds} s`, { 'Retry-After': String(seconds) });
  }
  const user = await deps.accounts.checkPassword(email, password);
  if (!user) {
    deps.throttle.recordFailure(address, email);
    throw new HttpError(401, 'e-mail ou mot de passe incorrect');
  }
  deps.throttle.recordSuccess(address, email);
  openSession(deps, response, user);
}

/** Opens a session for a user and answers with it (cookie, collaboration token). */
function openSession(deps: ApiDependencies, response: ServerResponse, user: User): void {
  const sessionId = deps.accounts.openSession(user.id, deps.auth.sessionMaxAgeMs);
  const session = deps.accounts.resumeSession(sessionId)!;
  sendJson(response, 200, { user: toPublicUser(user), token: session.token }, {
    'Set-Cookie': formatCookie(sessionCookie, sessionId, { maxAgeSeconds: Math.floor(deps.auth.sessionMaxAgeMs / 1000), secure: deps.auth.secureCookies }),
  });
}

function bearerUser(deps: ApiDependencies, request: IncomingMessage): User | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''));
  return match ? deps.accounts.userForToken(match[1]!) : undefined;
}

function requireUser(deps: ApiDependencies, request: IncomingMessage): User {
  const sessionId = readCookie(request, sessionCookie);
  const user = (sessionId && deps.accounts.resumeSession(sessionId)?.user) || bearerUser(deps, request);
  if (!user) throw new HttpError(401, 'connexion requise');
  return user;
}
