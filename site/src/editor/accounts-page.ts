/**
 * /editer/comptes/: the administrators' page. Invites (one-time link shown once, to pass on),
 * role changes, disabling, revocation of tokens and sessions, all through /api/users; the server
 * refuses anyone but an administrator and says why.
 */
import { fetchSession, mayDoAbility } from './session-api.ts';

interface Account {
  id: string;
  name: string;
  email: string;
  role: string;
  disabledAt: string | null;
  hasPassword: boolean;
  invitationPending: boolean;
  tokens: number;
  sessions: number;
}

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const roleOptions = [
  ['contributeur', 'Contributeur·rice'],
  ['relecteur', 'Relecteur·rice (valide)'],
  ['administrateur', 'Administrateur·rice'],
] as const;

/** Calls the accounts API; rejects with the server's French message. */
async function api<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const result = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new Error(result.error ?? `erreur ${response.status}`);
  return result;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, properties: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = Object.assign(document.createElement(tag), properties);
  element.append(...children);
  return element;
}

/** A one-time link, shown once in a field that selects itself, with a copy button. */
function showLink(target: HTMLElement, who: string, invitation: { url: string; expiresAt: string }): void {
  const id = `lien-${Math.random().toString(36).slice(2)}`;
  const input = el('input', { id, type: 'text', readOnly: true, value: invitation.url });
  input.addEventListener('focus', () => input.select());
  const copy = el('button', { type: 'button', className: 'bouton-secondaire', textContent: 'Copier le lien' });
  copy.addEventListener('click', async () => {
    input.select();
    await navigator.clipboard?.writeText(invitation.url).catch(() => undefined);
    copy.textContent = 'Lien copié';
  });
  const until = new Date(invitation.expiresAt).toLocaleDateString('fr-FR', { dateStyle: 'long' });
  const label = el('label', { htmlFor: id }, `Lien d’invitation pour ${who}, à transmettre (une seule utilisation, valable jusqu’au ${until}) :`);
  target.replaceChildren(el('div', { className: 'comptes-lien' }, label, input, copy));
}

function stateOf(account: Account): string {
  if (account.disabledAt) return `Désactivé le ${new Date(account.disabledAt).toLocaleDateString('fr-FR', { dateStyle: 'long' })}`;
  const parts = [account.hasPassword ? 'Actif' : 'Invitation pas encore acceptée'];
  if (account.invitationPending && account.hasPassword) parts.push('nouveau lien en attente');
  parts.push(`${account.tokens} jeton${account.tokens > 1 ? 's' : ''}, ${account.sessions} session${account.sessions > 1 ? 's' : ''}`);
  return parts.join(' · ');
}

function renderAccounts(accounts: Account[], selfId: string): void {
  const message = byId('comptes-message');
  const act = async (label: string, action: () => Promise<unknown>) => {
    message.textContent = `${label}…`;
    try {
      await action();
      message.textContent = `${label} : fait.`;
    } catch (error) {
      message.textContent = `${label} : impossible — ${(error as Error).message}.`;
    }
    await refresh(selfId);
  };
  byId('comptes-lignes').replaceChildren(
    ...accounts.map((account) => {
      const who = el('td', {}, el('strong', { textContent: account.name }), el('br'), el('span', { className: 'muted', textContent: account.email }));
      const roleId = `role-${account.id}`;
      const select = el('select', { id: roleId, disabled: account.id === selfId });
      for (const [value, label] of roleOptions) select.append(el('option', { value, textContent: label, selected: value === account.role }));
      select.addEventListener('change', () => void act(`Rôle de ${account.name} changé`, () => api(`/api/users/${account.id}`, 'PATCH', { role: select.value })));
      const role = el('td', {}, el('label', { htmlFor: roleId, className: 'visually-hidden', textContent: `Rôle de ${account.name}` }), select);
      const state = el('td', { textContent: stateOf(account) });
      const actions = el('div', { className: 'comptes-actions' });
      const linkTarget = el('div');
      if (account.id !== selfId) {
        const toggle = el('button', { type: 'button', className: 'bouton-secondaire', textContent: account.disabledAt ? 'Réactiver' : 'Désactiver' });
        toggle.setAttribute('aria-label', `${toggle.textContent} le compte de ${account.name}`);
        toggle.addEventListener('click', () =>
          void act(account.disabledAt ? `Compte de ${account.name} réactivé` : `Compte de ${account.name} désactivé`, () => api(`/api/users/${account.id}`, 'PATCH', { disabled: !account.disabledAt })),
        );
        actions.append(toggle);
      }
      const revoke = el('button', { type: 'button', className: 'bouton-secondaire', textContent: 'Révoquer jetons et sessions' });
      revoke.setAttribute('aria-label', `Révoquer les jetons et les sessions de ${account.name}`);
      revoke.addEventListener('click', () => void act(`Jetons et sessions de ${account.name} révoqués`, () => api(`/api/users/${account.id}/tokens`, 'DELETE')));
      const relink = el('button', { type: 'button', className: 'bouton-secondaire', textContent: account.hasPassword ? 'Lien pour un nouveau mot de passe' : 'Nouveau lien d’invitation' });
      relink.setAttribute('aria-label', `${relink.textContent} pour ${account.name}`);
      relink.addEventListener('click', async () => {
        try {
          const { invitation } = await api<{ invitation: { url: string; expiresAt: string } }>(`/api/users/${account.id}/invitation`, 'POST');
          showLink(linkTarget, account.name, invitation);
          message.textContent = `Nouveau lien pour ${account.name} : les précédents ne marchent plus.`;
        } catch (error) {
          message.textContent = `Lien impossible : ${(error as Error).message}.`;
        }
      });
      actions.append(revoke, relink);
      return el('tr', {}, who, role, state, el('td', {}, actions, linkTarget));
    }),
  );
}

async function refresh(selfId: string): Promise<void> {
  const { users } = await api<{ users: Account[] }>('/api/users');
  renderAccounts(users, selfId);
}

async function start(): Promise<void> {
  const message = byId('comptes-message');
  const session = await fetchSession();
  if (!session.user) {
    message.replaceChildren('Connectez-vous d’abord, avec un compte administrateur : ', el('a', { href: '/editer/', textContent: 'se connecter' }), '.');
    return;
  }
  byId('comptes-session').textContent = `Connecté·e : ${session.user.name} (${session.user.role})`;
  if (!mayDoAbility(session.user, 'comptes')) {
    message.textContent = 'Cette page est réservée aux administrateurs et administratrices du commun.';
    return;
  }
  const selfId = String(session.user.id);
  byId('comptes-invitation').hidden = false;
  byId('comptes-liste').hidden = false;
  const form = byId<HTMLFormElement>('invitation-formulaire');
  const result = byId('invitation-resultat');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    result.textContent = 'Création…';
    try {
      const { invitation } = await api<{ invitation: { url: string; expiresAt: string } }>('/api/users', 'POST', {
        name,
        email: String(data.get('email') ?? '').trim(),
        role: String(data.get('role') ?? 'contributeur'),
      });
      // Reset first: the link's field sits in the form, and a reset would empty it.
      form.reset();
      showLink(result, name, invitation);
      await refresh(selfId);
    } catch (error) {
      result.textContent = `Invitation impossible : ${(error as Error).message}.`;
    }
  });
  await refresh(selfId);
  message.textContent = '';
}

void start();
