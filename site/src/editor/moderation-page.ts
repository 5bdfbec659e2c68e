/**
 * The /editer/moderation/ page: loads the queue from the editor server (editor-server/src/http/
 * moderation-api.ts) and lets a relecteur accept or refuse each contribution. Readers' text is
 * only ever put in the page as text (textContent), never as HTML.
 */
import { themes } from '../../../schemas/vocabularies.ts';
import { fetchSession, logIn, logOut, type Session } from './session-api.ts';

interface Contribution {
  id: string;
  kind: 'erreur' | 'amelioration' | 'experience';
  entry: string | null;
  text: string;
  name: string;
  email: string | null;
  title: string | null;
  territory: string | null;
  receivedAt: string;
}

interface Decision {
  contributionId: string;
  action: 'acceptee' | 'refusee' | 'integree';
  by: string;
  at: string;
  reason: string | null;
  result: string | null;
}

interface Refusal {
  error: string;
  problems?: { field: string; message: string }[];
}

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const kindLabels: Record<Contribution['kind'], string> = {
  erreur: 'Erreur signalée',
  amelioration: 'Amélioration proposée',
  experience: 'Expérience racontée',
};
const actionLabels: Record<Decision['action'], string> = { acceptee: 'Acceptée', refusee: 'Refusée', integree: 'Intégrée' };
const fieldLabels: Record<string, string> = { titre: 'Titre', commune: 'Commune', themes: 'Thèmes', resume: 'Résumé', raison: 'Raison du refus' };

const date = (iso: string) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

async function send(path: string, body: unknown): Promise<{ ok: true; data: { result?: string } } | { ok: false; refusal: Refusal }> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const data = (await response.json().catch(() => ({ error: `erreur ${response.status}` }))) as Refusal & { result?: string };
  return response.ok ? { ok: true, data } : { ok: false, refusal: data };
}

function showRefusal(target: HTMLElement, refusal: Refusal): void {
  target.replaceChildren(
    el('p', {}, `Impossible : ${refusal.error}.`),
    ...(refusal.problems?.length ? [el('ul', {}, ...refusal.problems.map((p) => el('li', {}, `${fieldLabels[p.field] ?? p.field} : ${p.message}`)))] : []),
  );
}

/** One contribution of the queue, with what a moderator can do with it. */
function renderContribution(contribution: Contribution, onDone: () => void): HTMLElement {
  const id = contribution.id;
  const heading = el('h3', { id: `envoi-${id}-titre` }, `${kindLabels[contribution.kind]} — ${date(contribution.receivedAt)}`);
  const facts = el('dl', { class: 'facts' });
  const fact = (term: string, ...value: (Node | string)[]) => facts.append(el('dt', {}, term), el('dd', {}, ...value));
  fact('Nom à citer', contribution.name);
  if (contribution.email) fact('E-mail (pour répondre, effacé après décision)', el('a', { href: `mailto:${contribution.email}` }, contribution.email));
  if (contribution.entry) fact('Entrée', el('a', { href: `/${contribution.entry}/` }, contribution.entry));
  if (contribution.title) fact('Titre proposé', contribution.title);
  if (contribution.territory) fact('Commune indiquée', contribution.territory);
  const text = el('div', { class: 'texte-lecteur', 'aria-label': 'Texte envoyé' });
  text.textContent = contribution.text;
  const status = el('div', { class: 'moderation-statut', role: 'status' });

  const accept = el('form', { class: 'editeur-formulaire-court moderation-accepter' });
  if (contribution.kind === 'experience') {
    const field = (name: string, label: string, value: string, control: 'input' | 'textarea' = 'input') => {
      const input = el(control, { id: `envoi-${id}-${name}`, name, ...(control === 'input' ? { type: 'text' } : { rows: '2' }) });
      (input as HTMLInputElement).value = value;
      return [el('label', { for: input.id }, label), input];
    };
    const themeBoxes = Object.entries(themes).map(([value, term]) =>
      el('label', { class: 'choix' }, el('input', { type: 'checkbox', name: 'themes', value }), ` ${term.label}`),
    );
    accept.append(
      el('h4', {}, 'Accepter comme brouillon de retour d’expérience'),
      ...field('titre', 'Titre', contribution.title ?? ''),
      ...field('commune', 'Commune (nom ou code INSEE)', contribution.territory ?? ''),
      el('fieldset', { class: 'champ champ-choix' }, el('legend', {}, 'Thèmes'), ...themeBoxes),
      ...field('resume', 'Résumé (facultatif : sinon le début du texte)', '', 'textarea'),
      el('button', { type: 'submit' }, 'Créer le brouillon'),
    );
  } else {
    accept.append(
      el('p', { class: 'muted' }, 'Accepté, l’envoi est attaché à son entrée : les contributeurs le voient en l’ouvrant dans l’éditeur, et le nom du lecteur rejoint les auteurs quand ils l’intègrent.'),
      el('button', { type: 'submit' }, 'Accepter et attacher à l’entrée'),
    );
  }
  accept.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(accept);
    const details =
      contribution.kind === 'experience'
        ? {
            titre: String(data.get('titre') ?? ''),
            commune: String(data.get('commune') ?? ''),
            themes: data.getAll('themes').map(String),
            ...(String(data.get('resume') ?? '').trim() ? { resume: String(data.get('resume')) } : {}),
          }
        : {};
    status.textContent = 'Envoi…';
    const outcome = await send(`/api/moderation/${id}/accepter`, details);
    if (!outcome.ok) return showRefusal(status, outcome.refusal);
    const result = outcome.data.result;
    article.replaceChildren(
      heading,
      el(
        'p',
        { role: 'status' },
        contribution.kind === 'experience' && result
          ? el('span', {}, `Accepté : brouillon ${result} créé, au nom de ${contribution.name}. `, el('a', { href: `/editer/?doc=${result}` }, 'Ouvrir le brouillon dans l’éditeur'))
          : `Accepté : attaché à ${result ?? 'son entrée'}.`,
      ),
    );
    onDone();
  });

  const refuse = el('form', { class: 'editeur-formulaire-court moderation-refuser' });
  const reason = el('textarea', { id: `envoi-${id}-raison`, name: 'raison', rows: '2', required: '', minlength: '3', maxlength: '500' });
  refuse.append(el('label', { for: reason.id }, 'Raison du refus'), reason, el('button', { type: 'submit', class: 'bouton-secondaire' }, 'Refuser'));
  refuse.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = 'Envoi…';
    const outcome = await send(`/api/moderation/${id}/refuser`, { raison: reason.value });
    if (!outcome.ok) return showRefusal(status, outcome.refusal);
    article.replaceChildren(heading, el('p', { role: 'status' }, `Refusé : ${reason.value.trim()}`));
    onDone();
  });

  const article = el('article', { class: 'editeur-carte moderation-envoi', 'aria-labelledby': heading.id }, heading, facts, text, accept, refuse, status);
  return article;
}

function renderJournal(decisions: Decision[]): void {
  byId('moderation-journal-lignes').replaceChildren(
    ...(decisions.length
      ? decisions.map((d) => el('tr', {}, el('td', {}, date(d.at)), el('td', {}, actionLabels[d.action]), el('td', {}, d.by), el('td', {}, d.reason ?? d.result ?? '')))
      : [el('tr', {}, el('td', { colspan: '4' }, 'Aucune décision pour l’instant.'))]),
  );
  byId('moderation-journal').hidden = false;
}

async function load(): Promise<void> {
  const response = await fetch('/api/moderation', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  const data = (await response.json().catch(() => ({}))) as { pending?: Contribution[]; decisions?: Decision[]; error?: string };
  if (!response.ok) {
    byId('moderation-message').textContent = data.error ? `${data.error.charAt(0).toUpperCase()}${data.error.slice(1)}.` : `Erreur ${response.status}.`;
    return;
  }
  const pending = data.pending ?? [];
  const reload = () =>
    void fetch('/api/moderation', { credentials: 'same-origin' })
      .then((r) => r.json())
      .then((d: { decisions: Decision[]; pending: Contribution[] }) => {
        renderJournal(d.decisions);
        byId('moderation-compte-attente').textContent = `(${d.pending.length})`;
      });
  byId('moderation-compte-attente').textContent = `(${pending.length})`;
  byId('moderation-vide').hidden = pending.length > 0;
  byId('moderation-liste').replaceChildren(...pending.map((c) => renderContribution(c, reload)));
  byId('moderation-file').hidden = false;
  renderJournal(data.decisions ?? []);
}

function renderAccount(session: Session): void {
  if (!session.user) return;
  const button = el('button', { type: 'button', class: 'bouton-secondaire' }, 'Se déconnecter');
  button.addEventListener('click', async () => {
    await logOut();
    location.reload();
  });
  byId('moderation-compte').replaceChildren(el('span', {}, `Connecté·e : ${session.user.name} (${session.user.role})`), button);
}

async function start(): Promise<void> {
  const session = await fetchSession();
  byId('moderation-chargement').hidden = true;
  renderAccount(session);
  if (!session.user) {
    byId('moderation-connexion').hidden = false;
    const form = byId<HTMLFormElement>('moderation-connexion-formulaire');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      try {
        await logIn(String(data.get('email') ?? ''), String(data.get('password') ?? ''));
        location.reload();
      } catch (error) {
        byId('moderation-connexion-message').textContent = `Connexion impossible : ${(error as Error).message}`;
      }
    });
    return;
  }
  if (!['relecteur', 'administrateur'].includes(session.user.role)) {
    byId('moderation-message').textContent = 'La modération est réservée aux relecteurs et aux administrateurs.';
    return;
  }
  await load();
}

void start();
