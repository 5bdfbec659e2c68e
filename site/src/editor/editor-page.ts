/**
 * The /editer/ page: who is logged in (login and logout), which entry to open (`?doc=fiches/x`),
 * or which entry to create (`?nouveau=fiches`, from its collection's template); the brouillons
 * to come back to; and, for administrators, the way to the accounts page.
 */
import { collections } from '../../../schemas/collections.ts';
import { collectionNames, mdxCollections, SLUG_PATTERN, type CollectionName } from '../../../schemas/common.ts';
import { slugFromTitle } from '../../../core/slug.ts';
import { openEntry, type EditorElements } from './collab-editor.ts';
import { setUpPreview, showDraftState, showRefusals } from './editorial-panels.ts';
import { canEdit, fetchSession, logIn, logOut, type Session } from './session-api.ts';

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
    if (session.user.role === 'administrateur') account.append(Object.assign(document.createElement('a'), { href: '/editer/comptes/', textContent: 'Gérer les comptes' }));
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
  const handle = openEntry(editorElements(), { collection, slug, user: session.user, token: session.token, template });
  showDraftState(handle.provider.document);
  setUpPreview(handle.provider.document, collection);
  showRefusals(handle.provider);
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

/** Whether an entry exists already: a public page, or a brouillon (which has no page). */
async function entryExists(collection: CollectionName, slug: string): Promise<boolean> {
  const page = await fetch(`/${collection}/${slug}/`, { method: 'HEAD' }).catch(() => null);
  if (page?.ok) return true;
  const drafts = await fetch('/api/drafts', { credentials: 'same-origin' }).then((r) => (r.ok ? r.json() : { drafts: [] })).catch(() => ({ drafts: [] }));
  return (drafts as { drafts: { doc: string }[] }).drafts.some((draft) => draft.doc === `${collection}/${slug}`);
}

/** A new entry's data and body, from the same template as `npm run new`. */
async function templateFor(collection: CollectionName, title: string, communes: string[], structure: string) {
  const [{ createEntryText }, { parseEntryText }] = await Promise.all([import('../../../core/entry-templates.ts'), import('../../../core/bridge/mdx-yjs.ts')]);
  return parseEntryText(createEntryText(collection, title, { communes, structure: structure || undefined }), collection);
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
  titleInput.addEventListener('input', () => {
    slugPreview.textContent = `/${collection}/${slugFromTitle(titleInput.value) || '…'}/`;
  });
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

async function start(): Promise<void> {
  setUpLogin();
  const session = await fetchSession();
  renderAccount(session);
  const params = new URLSearchParams(location.search);
  const nouveau = params.get('nouveau');
  const docParam = params.get('doc');
  byId('editeur-chargement').hidden = true;

  if (nouveau !== null) {
    if (!(mdxCollections as readonly string[]).includes(nouveau)) {
      byId('editeur-accueil-message').textContent = `On ne crée pas d’entrée « ${nouveau} » depuis l’éditeur : choisissez fiches, guides, retours, structures ou territoires.`;
      show(byId('editeur-accueil'), true);
      return;
    }
    if (!canEdit(session.user)) {
      byId('connexion-raison').textContent = 'Connectez-vous pour créer une entrée.';
      show(byId('editeur-connexion'), true);
      return;
    }
    setUpNewEntry(session, nouveau as CollectionName);
    return;
  }
  const target = docParam ? parseDocParam(docParam) : null;
  if (!target) {
    if (docParam) byId('editeur-accueil-message').textContent = `« ${docParam} » n’est pas une entrée : attendu collection/slug, par exemple fiches/jardin-partage.`;
    show(byId('editeur-accueil'), true);
    if (canEdit(session.user)) await showDrafts();
    return;
  }
  if (!session.user) byId('connexion-raison').textContent = 'Vous lisez cette entrée en lecture seule. Connectez-vous pour la modifier.';
  open(session, target.collection, target.slug);
}

void start();
