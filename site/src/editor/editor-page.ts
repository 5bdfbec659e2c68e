/**
 * The /editer/ page: who is logged in (login and logout), which entry to open (`?doc=fiches/x`),
 * which entry to create (`?nouveau=fiches`, from its collection's template), or which entry to
 * adapt to another territory (`?adapter=fiches/x`, prefilled from the published source); the
 * brouillons to come back to; and, for administrators, the way to the accounts page.
 */
import { collections } from '../../../schemas/collections.ts';
import { collectionNames, mdxCollections, SLUG_PATTERN, type CollectionName } from '../../../schemas/common.ts';
import { parseEntryText } from '../../../core/bridge/mdx-yjs.ts';
import { slugFromTitle } from '../../../core/slug.ts';
import { openEntry, type EditorElements } from './collab-editor.ts';
import { setUpPreview, showDraftState, showRefusals } from './editorial-panels.ts';
import { editorAccess, fetchSession, logIn, logOut, mayDoAbility, mayWriteCollection, type Session } from './session-api.ts';
import { showSyncPanel } from './sync-panel.ts';

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

function show(section: HTMLElement, visible: boolean): void {
  section.hidden = !visible;
}

function renderAccount(session: Session): void {
  const account = byId('editeur-compte');
  account.replaceChildren();
  if (session.user) {
    const who = document.createElement('span');
    who.textContent = `Connecté·e : ${session.user.name} (${session.user.role})`;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'bouton-secondaire';
    button.textContent = 'Se déconnecter';
    button.addEventListener('click', async () => {
      await logOut();
      location.reload();
    });
    account.append(who);
    if (mayDoAbility(session.user, 'comptes')) account.append(Object.assign(document.createElement('a'), { href: '/editer/comptes/', textContent: 'Gérer les comptes' }));
    account.append(button);
  } else {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'bouton-secondaire';
    button.textContent = 'Se connecter pour modifier';
    button.addEventListener('click', () => {
      show(byId('editeur-connexion'), true);
      byId<HTMLInputElement>('connexion-email').focus();
    });
    account.append(button);
  }
}

function setUpLogin(): void {
  const form = byId<HTMLFormElement>('connexion-formulaire');
  const message = byId('connexion-message');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    message.textContent = 'Connexion…';
    try {
      await logIn(String(data.get('email') ?? ''), String(data.get('password') ?? ''));
      // Reconnect everything with the new session's token.
      location.reload();
    } catch (error) {
      message.textContent = `Connexion impossible : ${(error as Error).message}`;
      byId<HTMLInputElement>('connexion-motdepasse').select();
    }
  });
}

function editorElements(): EditorElements {
  return {
    title: byId('editeur-titre'),
    status: byId('editeur-etat'),
    problems: byId('editeur-problemes'),
    present: byId('editeur-presents'),
    toolbar: byId('editeur-barre'),
    body: byId('editeur-texte'),
    form: byId('editeur-formulaire'),
    announcer: byId('editeur-annonce'),
  };
}

function parseDocParam(value: string): { collection: CollectionName; slug: string } | null {
  const [collection, slug, ...rest] = value.split('/');
  if (rest.length || !collection || !slug || !(collectionNames as readonly string[]).includes(collection) || !SLUG_PATTERN.test(slug)) return null;
  return { collection: collection as CollectionName, slug };
}

function open(session: Session, collection: CollectionName, slug: string, template?: Parameters<typeof openEntry>[1]['template']): void {
  show(byId('editeur-espace'), true);
  byId('editeur-collection').textContent = collections[collection].label;
  const publicLink = byId<HTMLAnchorElement>('editeur-page-publique');
  publicLink.href = `/${collection}/${slug}/`;
  // A role that may not write this collection opens it read-only, told why (the server would refuse it).
  const access = editorAccess(session, collection);
  const handle = openEntry(editorElements(), { collection, slug, user: access.token ? session.user : null, token: access.token, readOnlyReason: access.readOnlyReason, template });
  showDraftState(handle.provider.document);
  setUpPreview(handle.provider.document, collection);
  showRefusals(handle.provider);
  if (access.token) void showProposals(`${collection}/${slug}`);
  // Tests and curious people can reach the open entry from the console.
  (window as unknown as { terreauEditor: unknown }).terreauEditor = handle;
}

/** The brouillons of the commons, to come back to (only contributors see them). */
async function showDrafts(): Promise<void> {
  const section = byId('editeur-brouillons');
  const list = byId('brouillons-liste');
  const message = byId('brouillons-message');
  show(section, true);
  try {
    const response = await fetch('/api/drafts', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    const body = (await response.json()) as { drafts?: { doc: string; titre: string; committed: boolean; modifiedAt?: string }[]; error?: string };
    if (!response.ok || !body.drafts) throw new Error(body.error ?? `erreur ${response.status}`);
    const dateFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long' });
    list.replaceChildren(
      ...body.drafts.map((draft) => {
        const item = document.createElement('li');
        const link = Object.assign(document.createElement('a'), { href: `/editer/?doc=${draft.doc}`, textContent: draft.titre });
        const collection = collections[draft.doc.split('/')[0] as CollectionName];
        const details = document.createElement('span');
        details.className = 'muted';
        details.textContent = ` — ${collection?.singular ?? draft.doc.split('/')[0]}, ${draft.committed ? (draft.modifiedAt ? `modifié le ${dateFormat.format(new Date(draft.modifiedAt))}` : 'enregistré') : 'pas encore enregistré'}`;
        item.append(link, details);
        return item;
      }),
    );
    message.textContent = body.drafts.length ? '' : 'Aucun brouillon en cours.';
  } catch (error) {
    message.textContent = `Liste des brouillons indisponible : ${(error as Error).message}`;
  }
}

interface Proposal {
  id: string;
  kind: 'erreur' | 'amelioration';
  text: string;
  name: string;
  receivedAt: string;
}

/** Readers' reports and proposals accepted for this entry, each to be marked once integrated. */
async function showProposals(doc: string): Promise<void> {
  const response = await fetch(`/api/propositions?doc=${doc}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).catch(() => null);
  if (!response?.ok) return;
  const { proposals } = (await response.json()) as { proposals: Proposal[] };
  const section = byId('editeur-propositions');
  const list = byId('propositions-liste');
  list.replaceChildren(
    ...proposals.map((proposal) => {
      const item = document.createElement('li');
      const heading = document.createElement('p');
      heading.className = 'proposition-entete';
      heading.textContent = `${proposal.kind === 'erreur' ? 'Erreur signalée' : 'Amélioration proposée'} par ${proposal.name}, le ${new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long' }).format(new Date(proposal.receivedAt))}`;
      const text = document.createElement('div');
      text.className = 'texte-lecteur';
      text.textContent = proposal.text;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'bouton-secondaire';
      button.textContent = 'Marquer comme intégrée';
      const status = document.createElement('p');
      status.setAttribute('role', 'status');
      button.addEventListener('click', async () => {
        const answer = await fetch(`/api/propositions/${proposal.id}/integree`, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        const body = (await answer.json().catch(() => ({}))) as { error?: string };
        if (!answer.ok) return void (status.textContent = `Impossible : ${body.error ?? answer.status}.`);
        button.remove();
        status.textContent = `Intégrée : ${proposal.name} sera crédité·e au prochain enregistrement.`;
      });
      item.append(heading, text, button, status);
      return item;
    }),
  );
  section.hidden = proposals.length === 0;
}

/** A new entry's data and body, from the same template as `npm run new`. */
async function templateFor(collection: CollectionName, title: string, communes: string[], structure: string) {
  const { createEntryText } = await import('../../../core/entry-templates.ts');
  return parseEntryText(createEntryText(collection, title, { communes, structure: structure || undefined }), collection);
}

/** Whether the server knows the entry (in the commons, or being written in the editor); undefined if it does not answer. */
async function entryExists(collection: CollectionName, slug: string): Promise<boolean | undefined> {
  try {
    const response = await fetch(`/api/document?doc=${collection}/${slug}`, { headers: { Accept: 'application/json' } });
    if (response.status === 404) return false;
    return response.ok ? true : undefined;
  } catch {
    return undefined;
  }
}

/** Says that an entry does not exist, and offers to create it (or to log in to create it), or to search. */
function showMissing(session: Session, collection: CollectionName, slug: string): void {
  const words = slug.replace(/-/g, ' ');
  byId('introuvable-message').textContent = `Aucune entrée « ${slug} » parmi les ${collections[collection].label.toLowerCase()}. Elle a peut-être été renommée, ou n’a jamais été créée.`;
  const link = (href: string, text: string) => {
    const item = document.createElement('li');
    item.append(Object.assign(document.createElement('a'), { href, textContent: text }));
    return item;
  };
  const creation = `/editer/?nouveau=${collection}&titre=${encodeURIComponent(words.charAt(0).toUpperCase() + words.slice(1))}`;
  byId('introuvable-actions').replaceChildren(
    link(creation, `${mayWriteCollection(session.user, collection) ? 'Créer' : 'Se connecter pour créer'} l’entrée « ${words} » (${collections[collection].singular})`),
    link(`/recherche/?q=${encodeURIComponent(words)}`, `Chercher « ${words} » dans Terreau`),
    link(`/${collection}/`, `Voir toutes les ${collections[collection].label.toLowerCase()}`),
  );
  byId('editeur-titre').textContent = 'Entrée introuvable';
  show(byId('editeur-introuvable'), true);
}

function setUpNewEntry(session: Session, collection: CollectionName): void {
  const section = byId('editeur-nouveau');
  show(section, true);
  byId('nouveau-collection').textContent = collections[collection].singular;
  const needsTerritory = collection === 'retours' || collection === 'territoires';
  show(byId('nouveau-territoire'), needsTerritory);
  show(byId('nouveau-structure-champ'), collection === 'retours');
  const form = byId<HTMLFormElement>('nouveau-formulaire');
  const message = byId('nouveau-message');
  const titleInput = byId<HTMLInputElement>('nouveau-titre');
  const slugPreview = byId('nouveau-slug');
  const showSlug = () => {
    slugPreview.textContent = `/${collection}/${slugFromTitle(titleInput.value) || '…'}/`;
  };
  titleInput.addEventListener('input', showSlug);
  // Arriving from « Créer… » on a missing entry: its title is already proposed.
  const proposed = new URLSearchParams(location.search).get('titre');
  if (proposed && !titleInput.value) titleInput.value = proposed.slice(0, 140);
  showSlug();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const title = titleInput.value.trim();
    const communes = byId<HTMLInputElement>('nouveau-communes').value.split(/[\s,;]+/).filter(Boolean);
    const structure = byId<HTMLInputElement>('nouveau-structure').value.trim();
    if (title.length < 3) return void (message.textContent = 'Le titre doit compter au moins 3 caractères.');
    if (needsTerritory && communes.length === 0) return void (message.textContent = 'Indiquez au moins un code INSEE de commune, par exemple 86158.');
    if (collection === 'retours' && !structure) return void (message.textContent = 'Indiquez la structure qui a accompagné (son slug, par exemple la-traverse).');
    const slug = slugFromTitle(title);
    if (await entryExists(collection, slug)) {
      message.innerHTML = '';
      message.append(`Une entrée « ${slug} » existe déjà : `, Object.assign(document.createElement('a'), { href: `/editer/?doc=${collection}/${slug}`, textContent: 'la modifier' }), ' ou choisissez un autre titre.');
      return;
    }
    history.replaceState(null, '', `/editer/?doc=${collection}/${slug}`);
    show(section, false);
    open(session, collection, slug, () => templateFor(collection, title, communes, structure));
  });
  titleInput.focus();
}

/** Leaves out the « nouvelle entrée » links of collections the person's role may not write. */
function hideWhatTheRoleCannotCreate(session: Session): void {
  if (!session.user) return;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('#editeur-accueil a[href^="/editer/?nouveau="]')) {
    const collection = new URL(link.href).searchParams.get('nouveau') as CollectionName;
    link.closest('li')!.hidden = !mayWriteCollection(session.user, collection);
  }
}

/**
 * An adaptation's data and body: the source's, with the new title, its lineage (source, what
 * changes, the territory), the source's credited structures, and the brouillon status.
 */
async function adaptationOf(collection: CollectionName, sourceRef: string, sourceText: string, answers: { title: string; territory: string; changes: string; communes: string[] }) {
  const { data, body } = parseEntryText(sourceText, collection);
  const adapted: Record<string, unknown> = {
    ...data,
    titre: answers.title,
    derive_de: { source: sourceRef, changements: answers.changes, territoire: answers.territory },
    credits: Array.isArray(data.credits) ? data.credits : [],
    statut: 'brouillon',
  };
  if (collection === 'retours') adapted.territoire = { ...(data.territoire as object), nom: answers.territory, communes: answers.communes };
  if (collection === 'territoires') adapted.communes = answers.communes;
  return { data: adapted, body };
}

function setUpAdaptation(session: Session, collection: CollectionName, sourceSlug: string): void {
  const sourceRef = `${collection}/${sourceSlug}`;
  const section = byId('editeur-adapter');
  show(section, true);
  byId('editeur-titre').textContent = 'Adapter une entrée';
  byId<HTMLAnchorElement>('adapter-source').href = `/${sourceRef}/`;
  const needsCommunes = collection === 'retours' || collection === 'territoires';
  show(byId('adapter-communes-champ'), needsCommunes);
  const form = byId<HTMLFormElement>('adapter-formulaire');
  const message = byId('adapter-message');
  const titleInput = byId<HTMLInputElement>('adapter-titre');
  const slugPreview = byId('adapter-slug');
  const showSlug = () => (slugPreview.textContent = `/${collection}/${slugFromTitle(titleInput.value) || '…'}/`);
  titleInput.addEventListener('input', showSlug);
  // The published source, as readers see it (the static per-entry file of the reuse bundles).
  const source = fetch(`/telecharger/entrees/${sourceRef}.json`).then(async (response) => {
    if (!response.ok) throw new Error(response.status === 404 ? 'cette entrée n’est pas publiée : elle ne peut pas encore être adaptée' : `source indisponible (${response.status})`);
    return (await response.json()) as { title: string; source: string };
  });
  source.then(
    (entry) => {
      byId('adapter-titre-section').textContent = `Adapter « ${entry.title} » à votre territoire`;
      byId('adapter-source').textContent = `« ${entry.title} »`;
      if (!titleInput.value) titleInput.value = `${entry.title} — `;
      showSlug();
    },
    (error: Error) => (message.textContent = `Impossible d’adapter : ${error.message}.`),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const title = titleInput.value.trim().replace(/\s*[—-]\s*$/, '');
    const territory = byId<HTMLInputElement>('adapter-territoire').value.trim();
    const changes = byId<HTMLTextAreaElement>('adapter-changements').value.trim();
    const communes = byId<HTMLInputElement>('adapter-communes').value.split(/[\s,;]+/).filter(Boolean);
    if (title.length < 3) return void (message.textContent = 'Le titre doit compter au moins 3 caractères.');
    if (territory.length < 2) return void (message.textContent = 'Nommez votre territoire.');
    if (changes.length < 3) return void (message.textContent = 'Dites en une phrase ce qui change par rapport à l’original.');
    if (needsCommunes && communes.length === 0) return void (message.textContent = 'Indiquez au moins un code INSEE de commune, par exemple 86158.');
    const slug = slugFromTitle(title);
    if (slug === sourceSlug) return void (message.textContent = 'Choisissez un titre différent de celui de l’original.');
    const existing = await fetch(`/${collection}/${slug}/`, { method: 'HEAD' }).catch(() => null);
    if (existing?.ok) return void (message.textContent = `Une entrée « ${slug} » existe déjà : choisissez un autre titre.`);
    let entry: { source: string };
    try {
      entry = await source;
    } catch (error) {
      return void (message.textContent = `Impossible d’adapter : ${(error as Error).message}.`);
    }
    history.replaceState(null, '', `/editer/?doc=${collection}/${slug}`);
    show(section, false);
    open(session, collection, slug, () => adaptationOf(collection, sourceRef, entry.source, { title, territory, changes, communes }));
  });
  titleInput.focus();
}

async function start(): Promise<void> {
  setUpLogin();
  const session = await fetchSession();
  renderAccount(session);
  hideWhatTheRoleCannotCreate(session);
  if (session.user?.role === 'administrateur') void showSyncPanel(byId('editeur-synchro'));
  const params = new URLSearchParams(location.search);
  const nouveau = params.get('nouveau');
  const docParam = params.get('doc');
  const adapter = params.get('adapter');
  byId('editeur-chargement').hidden = true;

  if (adapter !== null) {
    const source = parseDocParam(adapter);
    if (!source || !(mdxCollections as readonly string[]).includes(source.collection)) {
      byId('editeur-accueil-message').textContent = `« ${adapter} » n’est pas une entrée à adapter : attendu collection/slug, par exemple fiches/jardin-partage.`;
      show(byId('editeur-accueil'), true);
      return;
    }
    if (!mayWriteCollection(session.user, source.collection)) {
      byId('connexion-raison').textContent = 'Connectez-vous pour adapter cette entrée à votre territoire.';
      show(byId('editeur-connexion'), true);
      return;
    }
    setUpAdaptation(session, source.collection, source.slug);
    return;
  }

  if (nouveau !== null) {
    if (!(mdxCollections as readonly string[]).includes(nouveau)) {
      byId('editeur-accueil-message').textContent = `On ne crée pas d’entrée « ${nouveau} » depuis l’éditeur : choisissez fiches, guides, retours, structures ou territoires.`;
      show(byId('editeur-accueil'), true);
      return;
    }
    if (!session.user) {
      byId('connexion-raison').textContent = 'Connectez-vous pour créer une entrée.';
      show(byId('editeur-connexion'), true);
      return;
    }
    if (!mayWriteCollection(session.user, nouveau as CollectionName)) {
      byId('editeur-accueil-message').textContent = editorAccess(session, nouveau as CollectionName).readOnlyReason ?? '';
      show(byId('editeur-accueil'), true);
      return;
    }
    setUpNewEntry(session, nouveau as CollectionName);
    return;
  }
  const target = docParam ? parseDocParam(docParam) : null;
  if (!target) {
    if (docParam) byId('editeur-accueil-message').textContent = `« ${docParam} » n’est pas une entrée : attendu collection/slug, par exemple fiches/jardin-partage.`;
    show(byId('editeur-accueil'), true);
    // Brouillons are listed to those who may write some entry (the server checks the same).
    if (mdxCollections.some((collection) => mayWriteCollection(session.user, collection))) await showDrafts();
    return;
  }
  if ((await entryExists(target.collection, target.slug)) === false) {
    showMissing(session, target.collection, target.slug);
    return;
  }
  if (!session.user) byId('connexion-raison').textContent = 'Vous lisez cette entrée en lecture seule. Connectez-vous pour la modifier.';
  open(session, target.collection, target.slug);
}

void start();
