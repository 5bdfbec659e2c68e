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
import type { StatusMessage } from '../../../core/collab-protocol.ts';
import { collections } from '../../../schemas/collections.ts';
import type { CollectionName } from '../../../schemas/common.ts';
import { presenceColourOf } from '../../../core/presence.ts';
import { createComponentViewExtensions } from './component-views.ts';
import { createFrontmatterForm } from './frontmatter-form.ts';
import { fetchSession, type SessionUser } from './session-api.ts';
import { renderCaret, renderPresenceList, selectionAttributes } from './presence-view.ts';
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

/** Opens an entry in the page; returns a handle to close it. */
export function openEntry(elements: EditorElements, options: OpenOptions): { destroy(): void; provider: HocuspocusProvider; editor: Editor | null } {
  const name = `${options.collection}/${options.slug}`;
  const definition = collections[options.collection];
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
  let localProblems: string[] = [];
  let closedReason = '';
  let mayEdit = false;

  const showStatus = () => {
    const unsynced = provider.hasUnsyncedChanges;
    let text: string;
    let state: string;
    if (closedReason) [text, state] = [closedReason, 'erreur'];
    else if (!provider.isSynced) [text, state] = ['connexion au serveur…', 'attente'];
    else if (unsynced) [text, state] = ['modifications en cours d’envoi…', 'envoi'];
    else if (serverStatus) [text, state] = [serverStatus.label, serverStatus.state];
    else [text, state] = [mayEdit ? 'à jour' : options.readOnlyReason ? `lecture seule : ${options.readOnlyReason}` : 'lecture seule', 'calme'];
    elements.status.textContent = text;
    elements.status.dataset.etat = state;
    const lines = [
      ...(serverStatus?.state === 'invalid' ? (serverStatus.problems ?? []).map((p) => `ligne ${p.line} — ${p.field} : ${p.message}`) : []),
      ...(mayEdit ? localProblems : []),
    ];
    const list = elements.problems.querySelector('ul')!;
    list.replaceChildren(...[...new Set(lines)].map((line) => Object.assign(document.createElement('li'), { textContent: line })));
    elements.problems.hidden = lines.length === 0;
  };

  const extensions: AnyExtension[] = [
    ...createBodyExtensions().filter((extension) => !componentNames.includes(extension.name)),
    ...createComponentViewExtensions(),
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
  const editor = hasBody
    ? new Editor({
        element: elements.body,
        extensions,
        // Its base styles come as files (editer/index.astro): no <style> element under the CSP.
        injectCSS: false,
        editable: false,
        editorProps: {
          attributes: { class: 'editeur-prose', role: 'textbox', 'aria-multiline': 'true', 'aria-label': 'Texte de l’entrée' },
        },
      })
    : null;
  elements.toolbar.hidden = !hasBody;
  elements.body.hidden = !hasBody;
  const toolbar = editor ? createToolbar(elements.toolbar, editor) : null;
  const form = createFrontmatterForm(elements.form, frontmatter, definition.schema, (problems) => {
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
    const titre = frontmatter.get('titre');
    elements.title.textContent = typeof titre === 'string' && titre ? titre : name;
  };
  frontmatter.observe(showTitle);

  const showPresent = () => elements.present.replaceChildren(...renderPresenceList(provider.awareness!.getStates() as Map<number, Record<string, unknown>>));
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
      if (message.type === 'terreau/status') serverStatus = message;
    } catch {
      // Not a status message: nothing to show.
    }
    showStatus();
  });
  provider.on('unsyncedChanges', showStatus);
  provider.on('status', ({ status }: { status: string }) => {
    if (status === 'disconnected' && !closedReason) elements.status.textContent = 'hors ligne : vos modifications seront envoyées à la reconnexion';
    else showStatus();
  });
  provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
    closedReason = `connexion refusée : ${reason}`;
    showStatus();
  });
  provider.on('close', ({ event }: { event: CloseEvent }) => {
    // The server explains why it closes (limits, unknown entry); a plain network loss has no reason.
    if (event.reason) {
      closedReason = `connexion fermée : ${event.reason}`;
      showStatus();
    }
  });

  // Leaving with edits the server has not acknowledged would lose them: ask first.
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
      form.destroy();
      editor?.destroy();
      provider.destroy();
      doc.destroy();
    },
  };
}
