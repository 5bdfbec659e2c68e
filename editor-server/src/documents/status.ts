/**
 * Save status of each collaborative document, as the editor page shows it (« enregistré »,
 * « publié », or why the content was refused). Sent to editors as Hocuspocus stateless messages:
 * on every change to all connections of the document, and once to each connection that joins.
 *
 * Protocol (JSON in a stateless message; listen with `provider.on('stateless', ({ payload }) => …)`):
 *   { "type": "terreau/status", "document": "fiches/x", "state": State, "label": "…",
 *     "commit"?: "<oid>", "problems"?: [{ "file", "line", "field", "message" }], "at": "<ISO date>" }
 * State:
 *   "modified"  — edits received and journaled (durable), not yet committed to Git;
 *   "saved"     — committed to the commons repository (« enregistré »);
 *   "published" — the public site was rebuilt with that commit (« publié »);
 *   "invalid"   — the content fails validation: not committed, kept in the journal; `problems` says why;
 *   "error"     — the server could not commit (retried at the next edit or departure).
 */
import type { Document } from '@hocuspocus/server';
import type { Problem } from '../../../scripts/lib/validate-tree.ts';

/** What a document's save status can be. */
export type SaveState = 'modified' | 'saved' | 'published' | 'invalid' | 'error';

/** The stateless message an editor receives. */
export interface StatusMessage {
  type: 'terreau/status';
  document: string;
  state: SaveState;
  /** French text to show as is. */
  label: string;
  commit?: string;
  problems?: Problem[];
  at: string;
}

const labels: Record<SaveState, string> = {
  modified: 'modifications en cours d’enregistrement',
  saved: 'enregistré',
  published: 'publié',
  invalid: 'non enregistré : le contenu doit être corrigé',
  error: 'non enregistré : erreur du serveur, nouvel essai à la prochaine modification',
};

/** Keeps the last status of every document and sends changes to its editors. */
export class StatusBoard {
  private readonly last = new Map<string, StatusMessage>();

  private readonly findDocument: (name: string) => Document | undefined;

  constructor(findDocument: (name: string) => Document | undefined) {
    this.findDocument = findDocument;
  }

  /** Sets a document's status and tells everyone editing it. */
  set(document: string, state: SaveState, details: { commit?: string; problems?: Problem[] } = {}): StatusMessage {
    const message: StatusMessage = { type: 'terreau/status', document, state, label: labels[state], ...details, at: new Date().toISOString() };
    this.last.set(document, message);
    this.findDocument(document)?.broadcastStateless(JSON.stringify(message));
    return message;
  }

  /** The last status of a document, if any. */
  get(document: string): StatusMessage | undefined {
    return this.last.get(document);
  }
}
