/**
 * One open entry: its Yjs document synchronised with the editor server over /collab, the Tiptap
 * editor of its body, the form of its data, who else is here, and the save status the server
 * publishes (« enregistré », « publié », or why the content was refused).
 */
import { Editor, type AnyExtension } from '@tiptap/core';
import { Collaboration } from '@tiptap/extension-collaboration';
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret';
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { componentNames, createBodyExtensions } from '../../../core/bridge/body-extensions.ts';
import { readField, textFieldsOf } from '../../../core/bridge/mdx-yjs.ts';
import { saveStateLabels, type StatusMessage } from '../../../core/collab-protocol.ts';
import { collections } from '../../../schemas/collections.ts';
import type { CollectionName } from '../../../schemas/common.ts';
import { presenceColourOf } from '../../../core/presence.ts';
import { createComponentViewExtensions } from './component-views.ts';
import { createFrontmatterForm, describeFieldPath, type FormProblem } from './frontmatter-form.ts';
import { imageFiles, insertImage, type ImageContext } from './image-insertion.ts';
import { renderCaret, renderPresenceList, selectionAttributes } from './presence-view.ts';
import { fetchSession, type SessionUser } from './session-api.ts';
import { createTableLineBreakGuard, createTableViewExtension } from './table-tools.ts';
import { createToolbar } from './toolbar.ts';

/** Where the open entry shows itself in the page. */
export interface EditorElements {
  title: HTMLElement;
  status: HTMLElement;
  problems: HTMLElement;
  present: HTMLElement;
  toolbar: HTMLElement;
  body: HTMLElement;
  form: HTMLElement;
  /** A visually hidden live region: what screen readers hear (changes of state only). */
  announcer: HTMLElement;
}

/** What an editor needs to open an entry. */
export interface OpenOptions {
  collection: CollectionName;
  slug: string;
  user: SessionUser | null;
  token: string | null;
  /** Why the entry opens read-only for a logged-in person (their role may not write it). */
  readOnlyReason?: string;
  /** Text of a new entry, written into the document if it is still empty once synced. */
  template?: () => Promise<{ data: Record<string, unknown>; body: object | null }>;
}

/** A send unacknowledged for this long is shown as such; shorter ones are every keystroke's. */
const SLOW_SEND_MS = 2_000;

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Opens an entry in the page; returns a handle to close it. */
export function openEntry(elements: EditorElements, options: OpenOptions): { destroy(): void; provider: HocuspocusProvider; editor: Editor | null } {
  const name = `${options.collection}/${options.slug}`;
  const definition = collections[options.collection];
  const dataShape = (definition.schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const doc = new Y.Doc();
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // A session's collaboration token opens connections for a few minutes only: the first
  // connection uses the one the page has, every reconnection asks the session for a fresh one.
  let pageToken = options.token;
  const token = async () => {
    if (pageToken) {
      const current = pageToken;
      pageToken = null;
      return current;
    }
    return options.token ? ((await fetchSession()).token ?? '') : '';
  };
  const provider = new HocuspocusProvider({ url: `${scheme}://${location.host}/collab`, name, document: doc, token });
  const frontmatter = doc.getMap<unknown>('frontmatter');
  let serverStatus: StatusMessage | null = null;
  let localProblems: FormProblem[] = [];
  let closedReason = '';
  let offline = false;
  let mayEdit = false;
  let unsyncedSince = 0;
  // Set by a local edit, cleared by the server's next status: the acknowledgement of an edit may
  // arrive before the status it causes, and the line must not say « à jour » in between.
  let awaitingServer = false;
  let slowTimer: ReturnType<typeof setTimeout> | undefined;
  let lastAnnouncement = '';

  /** Says a change of state aloud (screen readers), once: never the keystroke-by-keystroke states. */
  const announce = (key: string, text: string) => {
    if (key === lastAnnouncement) return;
    lastAnnouncement = key;
    elements.announcer.textContent = text;
  };

  const showStatus = () => {
    const unsynced = provider.hasUnsyncedChanges;
    if (unsynced && !unsyncedSince) {
      unsyncedSince = Date.now();
      // Only a send that lasts is worth showing: each keystroke is acknowledged in milliseconds.
      clearTimeout(slowTimer);
      slowTimer = setTimeout(showStatus, SLOW_SEND_MS + 50);
    } else if (!unsynced) {
      unsyncedSince = 0;
      clearTimeout(slowTimer);
    }
    let text: string;
    let state: string;
    if (closedReason) [text, state] = [closedReason, 'erreur'];
    else if (offline) [text, state] = ['hors ligne : vos modifications seront envoyées à la reconnexion', 'hors-ligne'];
    else if (!provider.isSynced) [text, state] = ['connexion au serveur…', 'attente'];
    // Edits are held unsent while the server's database is away: say so rather than « en cours d’envoi ».
    else if (serverStatus?.state === 'unavailable') [text, state] = [serverStatus.label, 'erreur'];
    else if (unsynced && Date.now() - unsyncedSince >= SLOW_SEND_MS) [text, state] = ['modifications en cours d’envoi… (connexion lente)', 'envoi'];
    // Typing shows the state the server will confirm, so the line holds still while one types.
    else if ((unsynced || awaitingServer) && serverStatus?.state !== 'invalid') [text, state] = [saveStateLabels.modified, 'modified'];
    else if (serverStatus) [text, state] = [serverStatus.label, serverStatus.state];
    else [text, state] = [mayEdit ? 'à jour' : options.readOnlyReason ? `lecture seule : ${options.readOnlyReason}` : 'lecture seule', 'calme'];
    if (elements.status.textContent !== text) elements.status.textContent = text;
    if (elements.status.dataset.etat !== state) elements.status.dataset.etat = state;

    // Each problem once, named by its field's label: the form's own checks first (they follow every
    // keystroke), then what only the server knows (links, the text of the body).
    const lines: string[] = mayEdit ? localProblems.map((p) => p.text) : [];
    const local = new Set(mayEdit ? localProblems.map((p) => `${p.field}\n${p.message}`) : []);
    if (serverStatus?.state === 'invalid') {
      for (const problem of serverStatus.problems ?? []) {
        if (local.has(`${problem.field}\n${problem.message}`)) continue;
        const inData = problem.field.split(/[.[]/)[0]! in dataShape;
        const where = inData ? describeFieldPath(problem.field) : `Texte${problem.line ? `, ligne ${problem.line}` : ''} › ${describeFieldPath(problem.field)}`;
        lines.push(`${where} : ${problem.message}`);
      }
    }
    const unique = [...new Set(lines)];
    const list = elements.problems.querySelector('ul')!;
    if (list.textContent !== unique.join('')) list.replaceChildren(...unique.map((line) => Object.assign(document.createElement('li'), { textContent: line })));
    elements.problems.hidden = unique.length === 0;

    if (closedReason) announce(`fermé:${closedReason}`, closedReason);
    else if (offline) announce('hors-ligne', 'Hors ligne : vos modifications seront envoyées à la reconnexion.');
    else if (serverStatus?.state === 'unavailable') announce(`unavailable:${serverStatus.at}`, `${capitalize(serverStatus.label)}.`);
    else if (provider.isSynced && serverStatus && ['saved', 'published', 'error'].includes(serverStatus.state) && !unsynced) announce(`${serverStatus.state}:${serverStatus.commit ?? serverStatus.at}`, `${capitalize(serverStatus.label)}.`);
    else if (provider.isSynced && serverStatus?.state === 'invalid') {
      const count = (serverStatus.problems ?? []).length;
      announce(`invalid:${serverStatus.at}`, `Non enregistré : ${count} problème${count > 1 ? 's' : ''} à corriger.`);
    } else if (provider.isSynced && lastAnnouncement === 'hors-ligne') announce('reconnecte', 'Connexion rétablie.');
  };

  const withViews = [...componentNames, 'table'];
  const extensions: AnyExtension[] = [
    ...createBodyExtensions().filter((extension) => !withViews.includes(extension.name)),
    ...createComponentViewExtensions(),
    createTableViewExtension(),
    createTableLineBreakGuard(),
    Collaboration.configure({ document: doc }),
  ];
  if (options.user) {
    // The server rewrites name and colour from the account; these are what this screen shows first.
    extensions.push(
      CollaborationCaret.configure({
        provider,
        user: { name: options.user.name, color: presenceColourOf(options.user.id) },
        render: (user) => renderCaret(user),
        selectionRender: (user) => selectionAttributes(user),
      }),
    );
  }
  const hasBody = definition.format === 'mdx';
  const imageContext: ImageContext | null = options.user ? { doc: name, author: options.user.name } : null;
  // Images pasted or dropped are described, credited and uploaded before they are inserted.
  const takeImages = (files: FileList | null | undefined, position?: number) => {
    const [file] = imageFiles(files);
    if (!file || !editor?.isEditable || !imageContext) return false;
    void insertImage(editor, imageContext, file, position);
    return true;
  };
  const editor: Editor | null = hasBody
    ? new Editor({
        element: elements.body,
        extensions,
        // Its base styles come as files (editer/index.astro): no <style> element under the CSP.
        injectCSS: false,
        editable: false,
        editorProps: {
          attributes: { class: 'editeur-prose', role: 'textbox', 'aria-multiline': 'true', 'aria-label': 'Texte de l’entrée' },
          handlePaste: (_view, event) => takeImages(event.clipboardData?.files),
          handleDrop: (view, event, _slice, moved) =>
            !moved && takeImages(event.dataTransfer?.files, view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos),
        },
      })
    : null;
  elements.toolbar.hidden = !hasBody;
  elements.body.hidden = !hasBody;
  const toolbar = editor ? createToolbar(elements.toolbar, editor, imageContext) : null;
  const form = createFrontmatterForm(elements.form, frontmatter, definition.schema, textFieldsOf(options.collection), (problems) => {
    localProblems = problems;
    showStatus();
  });

  const setEditable = (editable: boolean) => {
    mayEdit = editable;
    editor?.setEditable(editable);
    // Component views read editability when they are drawn; those already drawn follow here.
    elements.body.querySelectorAll<HTMLInputElement>('.composant-entete input, .composant-entete select').forEach((control) => (control.disabled = !editable));
    toolbar?.setEditable(editable);
    form.setEditable(editable);
    document.body.classList.toggle('editeur-lecture-seule', !editable);
    showStatus();
  };
  setEditable(false);

  const showTitle = () => {
    const titre = readField(frontmatter, 'titre');
    elements.title.textContent = typeof titre === 'string' && titre ? titre : name;
  };
  frontmatter.observeDeep(showTitle);

  let presentKey = '';
  const showPresent = () => {
    const [label, list] = renderPresenceList(provider.awareness!.getStates() as Map<number, Record<string, unknown>>);
    // Awareness changes at every caret move; the list (a live region) changes only when people come or go.
    const key = `${label.textContent}\n${list.innerHTML}`;
    if (key === presentKey) return;
    presentKey = key;
    elements.present.replaceChildren(label, list);
  };
  provider.awareness?.on('change', showPresent);

  provider.on('synced', async () => {
    if (options.template && doc.getXmlFragment('default').length === 0 && frontmatter.size === 0 && provider.authorizedScope !== 'readonly') {
      const { data, body } = await options.template();
      doc.transact(() => {
        for (const [key, value] of Object.entries(data)) frontmatter.set(key, value);
      });
      if (body && editor) editor.commands.setContent(body);
    }
    setEditable(!!options.user && provider.authorizedScope !== 'readonly');
    showTitle();
    showPresent();
  });
  provider.on('stateless', ({ payload }: { payload: string }) => {
    try {
      const message = JSON.parse(payload) as StatusMessage;
      if (message.type === 'terreau/status') {
        serverStatus = message;
        awaitingServer = false;
      }
    } catch {
      // Not a status message: nothing to show.
    }
    showStatus();
  });
  provider.on('unsyncedChanges', showStatus);
  // Only an edit made here awaits the server's next status: the first sync of a document that
  // just opened is unsynced for a moment too, and the server may have said its status before it.
  doc.on('update', (_update: Uint8Array, origin: unknown) => {
    if (origin !== provider) awaitingServer = true;
  });
  provider.on('status', ({ status }: { status: string }) => {
    offline = status === 'disconnected';
    showStatus();
  });
  provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
    closedReason = `connexion refusée : ${reason}`;
    showStatus();
  });
  provider.on('close', ({ event }: { event: CloseEvent }) => {
    // The server explains why it closes (limits, unknown entry); a plain network loss has no reason,
    // and neither counts « Reset Connection » (4205): the provider connects again and resends.
    if (event.reason && event.code !== 4205) {
      closedReason = `connexion fermée : ${event.reason}`;
      showStatus();
    }
  });

  // Leaving with edits the server has not acknowledged would lose them: ask first. Every field
  // writes to the document as it is typed, so this covers the data as well as the body.
  const beforeUnload = (event: BeforeUnloadEvent) => {
    if (!provider.hasUnsyncedChanges) return;
    event.preventDefault();
    event.returnValue = '';
  };
  window.addEventListener('beforeunload', beforeUnload);
  showStatus();

  return {
    provider,
    editor,
    destroy() {
      window.removeEventListener('beforeunload', beforeUnload);
      clearTimeout(slowTimer);
      form.destroy();
      editor?.destroy();
      provider.destroy();
      doc.destroy();
    },
  };
}
