/** The editor server's session API (see editor-server/src/http/api.ts): who is logged in, login, logout. */

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

/** Whether a role may edit the commons (readers have no account at all). */
export function canEdit(user: SessionUser | null): boolean {
  return !!user && ['contributeur', 'relecteur', 'administrateur'].includes(user.role);
}
