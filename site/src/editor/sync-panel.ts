/**
 * For administrators only: where the commons stands with its remote (« synchronisation en retard
 * depuis … » when it is late) and its upstream commons, with a button to pull the upstream's
 * changes and one to sync with the remote now. Reads and acts through /api/sync.
 */

/** A sync status as /api/sync gives it (editor-server/src/git/remote-sync.ts). */
interface SyncStatus {
  mode: 'mirror' | 'upstream';
  remote: string;
  state: 'ok' | 'late';
  message: string;
  conflicts: { file: string; fields: string[] }[];
}

/** What pulling the upstream did. */
interface PullAnswer {
  outcome?: { kind: 'empty' | 'up-to-date' | 'fast-forward' | 'merged'; conflicts?: { file: string; fields: string[] }[] };
  error?: string;
}

const outcomeLabels = {
  empty: 'le commun amont n’a encore rien publié',
  'up-to-date': 'déjà à jour',
  'fast-forward': 'modifications de l’amont reprises',
  merged: 'modifications de l’amont fusionnées avec les vôtres',
} as const;

/** Fills the panel (hidden until then) for an administrator; does nothing when no sync is set up. */
export async function showSyncPanel(panel: HTMLElement): Promise<void> {
  const response = await fetch('/api/sync', { credentials: 'same-origin', headers: { Accept: 'application/json' } }).catch(() => null);
  if (!response?.ok) return;
  const { remote, upstream } = (await response.json()) as { remote?: SyncStatus; upstream?: SyncStatus };
  if (!remote && !upstream) return;
  panel.replaceChildren();
  const title = Object.assign(document.createElement('h2'), { textContent: 'Synchronisation du commun' });
  panel.append(title);
  const status = Object.assign(document.createElement('p'), { role: 'status' });
  status.setAttribute('aria-live', 'polite');
  const line = (text: string, late = false) => {
    const p = document.createElement('p');
    p.textContent = text;
    if (late) p.className = 'synchro-retard';
    return p;
  };
  const button = (label: string, action: () => Promise<void>) => {
    const element = Object.assign(document.createElement('button'), { type: 'button', className: 'bouton-secondaire', textContent: label });
    element.addEventListener('click', async () => {
      element.disabled = true;
      try {
        await action();
      } finally {
        element.disabled = false;
      }
    });
    return element;
  };
  if (remote) {
    panel.append(line(`Dépôt distant ${remote.remote} : ${remote.message}`, remote.state === 'late'));
    panel.append(
      button('Synchroniser maintenant', async () => {
        status.textContent = 'Synchronisation…';
        const answer = await fetch('/api/sync', { method: 'POST', credentials: 'same-origin' });
        const body = (await answer.json().catch(() => ({}))) as { remote?: SyncStatus; error?: string };
        status.textContent = body.remote ? body.remote.message : `échec : ${body.error ?? answer.status}`;
      }),
    );
  }
  if (upstream) {
    panel.append(line(`Commun amont : ${upstream.remote}`));
    panel.append(
      button('Reprendre les modifications du commun amont', async () => {
        status.textContent = 'Récupération des modifications de l’amont…';
        const answer = await fetch('/api/sync/pull-upstream', { method: 'POST', credentials: 'same-origin' });
        const body = (await answer.json().catch(() => ({}))) as PullAnswer;
        if (!answer.ok || !body.outcome) {
          status.textContent = `Échec : ${body.error ?? answer.status}`;
          return;
        }
        const conflicts = body.outcome.conflicts ?? [];
        status.textContent = `${outcomeLabels[body.outcome.kind]}${conflicts.length ? ` ; à relire (les deux versions sont gardées) : ${conflicts.map((c) => c.file).join(', ')}` : ''}.`;
      }),
    );
  }
  const conflicts = [...(remote?.conflicts ?? []), ...(upstream?.conflicts ?? [])];
  if (conflicts.length) {
    panel.append(line('Entrées à relire après une fusion (les deux versions sont dans l’entrée) :'));
    const list = document.createElement('ul');
    for (const conflict of conflicts) {
      const item = document.createElement('li');
      const doc = conflict.file.replace(/\.(mdx|yaml)$/, '');
      item.append(Object.assign(document.createElement('a'), { href: `/editer/?doc=${doc}`, textContent: doc }), ` (${conflict.fields.join(', ')})`);
      list.append(item);
    }
    panel.append(list);
  }
  panel.append(status);
  panel.hidden = false;
}
