/** The editor server's session API (see editor-server/src/http/api.ts): who is logged in, login, logout. */
import type { CollectionName } from '../../../schemas/common.ts';
import { mayDo, mayWrite, roles, writeRefusal, type Ability, type Role } from '../../../schemas/roles.ts';

/** A logged-in person, as the server describes them. */
export interface SessionUser {
  id: string | number;
  name: string;
  role: 'contributeur' | 'relecteur' | 'administrateur' | string;
}

/** The current session: a user and the token for the collaboration connection, or neither. */
export interface Session {
  user: SessionUser | null;
  token: string | null;
}

/** Reads the current session from the cookie; a server that does not answer means « lecture seule ». */
export async function fetchSession(): Promise<Session> {
  try {
    const response = await fetch('/api/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!response.ok) return { user: null, token: null };
    return (await response.json()) as Session;
  } catch {
    return { user: null, token: null };
  }
}

/** Logs in with email and password; resolves to the session, or rejects with the server's French message. */
export async function logIn(email: string, password: string): Promise<Session> {
  const response = await fetch('/api/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<Session> & { error?: string };
  if (!response.ok) {
    throw new Error(body.error ?? (response.status === 429 ? 'trop d’essais : patientez avant de réessayer' : 'connexion refusée'));
  }
  return { user: body.user ?? null, token: body.token ?? null };
}

/** Ends the session (the server clears the cookie). */
export async function logOut(): Promise<void> {
  await fetch('/api/logout', { method: 'POST', credentials: 'same-origin' });
}

/** The role of a logged-in person, if the server sent a known one. */
function roleOf(user: SessionUser | null): Role | undefined {
  return user && (roles as readonly string[]).includes(user.role) ? (user.role as Role) : undefined;
}

/** Whether the person may write entries of a collection (the server enforces the same matrix). */
export function mayWriteCollection(user: SessionUser | null, collection: CollectionName): boolean {
  const role = roleOf(user);
  return !!role && mayWrite(role, collection);
}

/**
 * How the editor opens an entry: with the collaboration token when the person may write it;
 * otherwise read-only, and, for an account whose role may not write there, the reason why.
 */
export function editorAccess(session: Session, collection: CollectionName): { token: string | null; readOnlyReason?: string } {
  const role = roleOf(session.user);
  if (!role || !session.token) return { token: null };
  if (!mayWrite(role, collection)) return { token: null, readOnlyReason: writeRefusal(role, collection) };
  return { token: session.token };
}

/** Whether the person's role has an ability (validation, moderation, comptes), as the server's matrix says. */
export function mayDoAbility(user: SessionUser | null, ability: Ability): boolean {
  const role = roleOf(user);
  return !!role && mayDo(role, ability);
}
