/**
 * Two editor servers over Redis and PostgreSQL, with no cookie affinity: accounts, sessions,
 * tokens, login throttling and the moderation queue live in the shared database, so what one
 * server makes works on the other, failures made on both count together, a reader's proposal is
 * in the one queue, and revoking a token on one server closes its live connection on the other.
 */
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { expect, it } from 'vitest';
import { useCluster, type ClusterInstance, type TestCluster } from './helpers/cluster.ts';
import { acknowledged, appendParagraph, connect } from './helpers/editor-server.ts';
import { describeWithServices } from './helpers/services.ts';

/** Resolves with the reason of the next close the server sends this provider. */
function nextClose(provider: HocuspocusProvider): Promise<string> {
  return new Promise((resolvePromise) => provider.on('close', ({ event }: { event: { reason: string } }) => resolvePromise(event.reason)));
}

describeWithServices('accounts shared by two servers', () => {
  let cluster: TestCluster;
  let alpha: ClusterInstance;
  let beta: ClusterInstance;
  const post = (on: ClusterInstance, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${on.httpUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

  const providers = useCluster(['alpha', 'beta'], (started) => {
    cluster = started;
    [alpha, beta] = cluster.instances as [ClusterInstance, ClusterInstance];
  });

  it('let a login session opened on one server work on the other, and its collaboration token too', async () => {
    const person = await cluster.addUser('Alice Martin', 'contributeur', 'une phrase assez longue');
    const login = await post(alpha, '/api/login', { email: person.email, password: 'une phrase assez longue' });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('terreau_session='))!.split(';')[0]!;
    const session = (await (await fetch(`${beta.httpUrl}/api/session`, { headers: { Cookie: cookie } })).json()) as { user: { name: string } | null; token: string };
    expect(session.user?.name).toBe('Alice Martin');
    const provider = await connect(alpha.wsUrl, 'fiches/jardin-partage', session.token, { timeoutMs: 60_000 });
    providers.push(provider);
    appendParagraph(provider.document, 'Écrit avec une session ouverte sur l’autre serveur.');
    await acknowledged(provider);
  });

  it('let a token made on one server open a collaboration connection on the other', async () => {
    const person = await cluster.addUser('Bob Durand');
    const made = await post(alpha, '/api/tokens', { label: 'poste du jardin' }, { Authorization: `Bearer ${person.token}` });
    expect(made.status).toBe(201);
    const { token } = (await made.json()) as { token: string };
    const provider = await connect(beta.wsUrl, 'fiches/jardin-partage', token, { timeoutMs: 60_000 });
    providers.push(provider);
    appendParagraph(provider.document, 'Écrit avec un jeton fait sur l’autre serveur.');
    await acknowledged(provider);
  });

  it('count failed logins made on both servers together', async () => {
    const person = await cluster.addUser('Chloé Petit', 'contributeur', 'le vrai mot de passe');
    // Five free failures per account (config.ts: auth.loginFreeFailures), made on both servers.
    for (const on of [alpha, beta, alpha, beta, alpha]) expect((await post(on, '/api/login', { email: person.email, password: 'pas le bon' })).status).toBe(401);
    const slowed = await post(beta, '/api/login', { email: person.email, password: 'le vrai mot de passe' });
    expect(slowed.status).toBe(429);
    expect(((await slowed.json()) as { error: string }).error).toMatch(/^trop d’essais infructueux pour ce compte : réessayez dans/);
  });

  it('put a reader’s proposal sent to one server in the moderation queue seen on the other', async () => {
    const form = new URLSearchParams({
      type: 'erreur',
      entree: 'fiches/jardin-partage',
      retour: '/fiches/jardin-partage/',
      texte: 'La date de la fête des récoltes a changé : c’est en octobre.',
      nom: 'Irène des Prés',
      email: '',
      site_web: '',
      consentement: 'oui',
    });
    const sent = await fetch(`${alpha.httpUrl}/contribuer`, { method: 'POST', body: form, redirect: 'manual' });
    expect(sent.status).toBe(303);
    const moderator = await cluster.addUser('Denis Relecteur', 'relecteur');
    const queue = (await (await fetch(`${beta.httpUrl}/api/moderation`, { headers: { Authorization: `Bearer ${moderator.token}` } })).json()) as {
      pending: { id: string; name: string; text: string }[];
    };
    const proposal = queue.pending.find((c) => c.name === 'Irène des Prés');
    expect(proposal?.text).toBe('La date de la fête des récoltes a changé : c’est en octobre.');
    const accepted = await post(beta, `/api/moderation/${proposal!.id}/accepter`, {}, { Authorization: `Bearer ${moderator.token}` });
    expect(accepted.status).toBe(200);
    // Decided on one server: no longer waiting on the other.
    const after = (await (await fetch(`${alpha.httpUrl}/api/moderation`, { headers: { Authorization: `Bearer ${moderator.token}` } })).json()) as { pending: { id: string }[] };
    expect(after.pending.map((c) => c.id)).not.toContain(proposal!.id);
  });

  it('close on the other server the live connection of a token revoked on one', async () => {
    const person = await cluster.addUser('Emma Blanc');
    const auth = { Authorization: `Bearer ${person.token}` };
    const spare = (await (await post(alpha, '/api/tokens', { label: 'second poste' }, auth)).json()) as { token: string };
    const provider = await connect(beta.wsUrl, 'fiches/cantine-locale', person.token, { timeoutMs: 60_000 });
    providers.push(provider);
    const kept = await connect(beta.wsUrl, 'fiches/cantine-locale', spare.token, { timeoutMs: 60_000 });
    providers.push(kept);
    // Both connections checked and writing: from now on only the revocation can close the first.
    appendParagraph(provider.document, 'Écrit avant la révocation.');
    await acknowledged(provider);
    const closed = nextClose(provider);
    const { tokens } = (await (await fetch(`${alpha.httpUrl}/api/tokens`, { headers: auth })).json()) as { tokens: { id: string; label: string }[] };
    const first = tokens.find((t) => t.label === 'jeton personnel')!;
    expect((await fetch(`${alpha.httpUrl}/api/tokens/${first.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect(await closed).toMatch(/^jeton révoqué/);
    await expect(connect(beta.wsUrl, 'fiches/cantine-locale', person.token)).rejects.toThrow(/jeton invalide/);
    // The other token of the same person, on the same server, goes on.
    appendParagraph(kept.document, 'Écrit avec le jeton encore valide.');
    await acknowledged(kept);
  });
});
