/**
 * Administrators manage accounts through the API behind /editer/comptes/: invite a person with a
 * one-time link (no e-mail server), change roles, disable an account, revoke its tokens and
 * sessions. Nobody else may, and the last administrator cannot lock the commons out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, startTestServer, type TestServer } from './helpers/editor-server.ts';

describe('account management by administrators', () => {
  let t: TestServer;
  let admin: { id: string; email: string; token: string };
  beforeAll(async () => {
    t = await startTestServer();
    admin = await t.addUser('Ada Admin', 'administrateur');
  });
  afterAll(() => t.close());

  const call = (path: string, token: string | null, method = 'GET', body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.httpUrl}${path}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('are for administrators only', async () => {
    const reviewer = await t.addUser('Rose Relectrice', 'relecteur');
    expect((await call('/api/users', null)).status).toBe(401);
    const refused = await call('/api/users', reviewer.token);
    expect(refused.status).toBe(403);
    // Said as the role matrix says every refusal (schemas/roles.ts).
    expect((await refused.json()).error).toBe('votre rôle (relecteur) ne permet pas de gérer les comptes : réservé au rôle administrateur');
    expect((await call('/api/users', reviewer.token, 'POST', { email: 'x@exemple.fr', name: 'X', role: 'administrateur' })).status).toBe(403);
  });

  it('invite a person with a one-time link at the server’s address, which opens a session once', async () => {
    const invited = await call('/api/users', admin.token, 'POST', { email: 'camille@exemple.fr', name: 'Camille Invitée', role: 'contributeur' });
    expect(invited.status).toBe(201);
    const { user, invitation } = await invited.json();
    expect(user).toMatchObject({ name: 'Camille Invitée', role: 'contributeur' });
    expect(invitation.url).toMatch(new RegExp(`^${t.httpUrl}/editer/invitation/#inv_[A-Za-z0-9_-]{20,}$`));
    const code = invitation.url.split('#')[1];

    const listed = (await (await call('/api/users', admin.token)).json()).users.find((u: { id: string }) => u.id === user.id);
    expect(listed).toMatchObject({ hasPassword: false, invitationPending: true, disabledAt: null });
    expect(await (await call(`/api/invitation?code=${code}`, null)).json()).toEqual({ user: { name: 'Camille Invitée', email: 'camille@exemple.fr', role: 'contributeur' } });

    const tooShort = await call('/api/invitation', null, 'POST', { code, password: 'court' });
    expect(tooShort.status).toBe(400);
    const accepted = await call('/api/invitation', null, 'POST', { code, password: 'un mot de passe choisi' });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('set-cookie')).toMatch(/^terreau_session=/);
    const session = await accepted.json();
    expect(session.user).toEqual({ id: user.id, name: 'Camille Invitée', role: 'contributeur' });
    (await connect(t.wsUrl, 'fiches/jardin-partage', session.token)).destroy();

    const again = await call('/api/invitation', null, 'POST', { code, password: 'un autre mot de passe' });
    expect(again.status).toBe(410);
    expect((await again.json()).error).toMatch(/^lien d’invitation inconnu, déjà utilisé ou expiré/);
    const login = await call('/api/login', null, 'POST', { email: 'camille@exemple.fr', password: 'un mot de passe choisi' });
    expect(login.status).toBe(200);
  });

  it('change a role', async () => {
    const bob = await t.addUser('Bob Contributeur', 'contributeur');
    const changed = await call(`/api/users/${bob.id}`, admin.token, 'PATCH', { role: 'relecteur' });
    expect(changed.status).toBe(200);
    expect((await changed.json()).user).toMatchObject({ id: bob.id, role: 'relecteur' });
    expect(await (await call('/api/session', bob.token)).json()).toMatchObject({ user: { role: 'relecteur' } });
    const unknown = await call(`/api/users/${bob.id}`, admin.token, 'PATCH', { role: 'chef' });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toContain('rôle inconnu');
  });

  it('revoke every token and session of an account', async () => {
    const chloe = await t.addUser('Chloé Jetons', 'contributeur', 'le mot de passe de Chloé');
    const login = await call('/api/login', null, 'POST', { email: chloe.email, password: 'le mot de passe de Chloé' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const revoked = await call(`/api/users/${chloe.id}/tokens`, admin.token, 'DELETE');
    expect(await revoked.json()).toEqual({ revoked: { tokens: 1, sessions: 1 } });
    expect(await (await call('/api/session', chloe.token)).json()).toEqual({ user: null, token: null });
    expect(await (await call('/api/session', null, 'GET', undefined, { Cookie: cookie })).json()).toEqual({ user: null, token: null });
    await expect(connect(t.wsUrl, 'fiches/jardin-partage', chloe.token)).rejects.toThrow(/jeton invalide/);
  });

  it('disable an account and enable it again', async () => {
    const dan = await t.addUser('Dan Désactivé', 'contributeur', 'le mot de passe de Dan');
    expect((await call(`/api/users/${dan.id}`, admin.token, 'PATCH', { disabled: true })).status).toBe(200);
    const refused = await call('/api/login', null, 'POST', { email: dan.email, password: 'le mot de passe de Dan' });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatch(/compte désactivé/);
    expect(await (await call('/api/session', dan.token)).json()).toEqual({ user: null, token: null });
    await expect(connect(t.wsUrl, 'fiches/jardin-partage', dan.token)).rejects.toThrow(/jeton invalide/);
    const listed = (await (await call('/api/users', admin.token)).json()).users.find((u: { id: string }) => u.id === dan.id);
    expect(listed.disabledAt).not.toBeNull();

    expect((await call(`/api/users/${dan.id}`, admin.token, 'PATCH', { disabled: false })).status).toBe(200);
    expect((await call('/api/login', null, 'POST', { email: dan.email, password: 'le mot de passe de Dan' })).status).toBe(200);
  });

  it('never leave the commons without an active administrator', async () => {
    const self = await call(`/api/users/${admin.id}`, admin.token, 'PATCH', { disabled: true });
    expect(self.status).toBe(409);
    expect((await self.json()).error).toMatch(/^vous ne pouvez ni vous désactiver/);
    await expect(t.server.accounts.changeRole(admin.id, 'contributeur')).rejects.toThrow(/dernier administrateur actif/);
  });
});
