/**
 * The collaboration wire protocol beyond Yjs, shared by the editor server and the browser editor.
 *
 * Save status (JSON in a Hocuspocus stateless message; listen with `provider.on('stateless', …)`):
 *   { "type": "terreau/status", "document": "fiches/x", "state": SaveState, "label": "…",
 *     "commit"?: "<oid>", "problems"?: [{ "file", "line", "field", "message" }],
 *     "refused"?: [{ "file", "field", "message" }], "at": "<ISO date>" }
 * State:
 *   "modified"  — edits received and journaled (durable), not yet committed to Git;
 *   "saved"     — committed to the commons repository (« enregistré »);
 *   "published" — the public site shows that commit: its pages and every page that shows it (« publié »);
 *   "indexed"   — the search index has it too (« indexé pour la recherche »), a few seconds later;
 *   "invalid"   — the content fails validation: not committed, kept in the journal; `problems` says why;
 *   "error"     — the server could not commit (retried at the next edit or departure);
 *   "unavailable" — the server's database cannot be reached: edits are neither applied nor
 *                 acknowledged; the editor keeps them and they go through once it is back.
 * `refused`: what the server did not keep of an edit, and why, while it kept the rest: a statut
 * « validé » set by someone who may not validate is put back in the document (editorial workflow).
 */
import type { Problem } from './problem.ts';

/** What a document's save status can be. */
export type SaveState = 'modified' | 'saved' | 'published' | 'indexed' | 'invalid' | 'error' | 'unavailable';

/** The stateless message an editor receives about its document's save status. */
export interface StatusMessage {
  type: 'terreau/status';
  document: string;
  state: SaveState;
  /** French text to show as is. */
  label: string;
  commit?: string;
  problems?: Problem[];
  /** Parts of the edit the server put back (the rest is kept), each with its French reason. */
  refused?: Problem[];
  at: string;
}

/** French label of each save state, as the editor shows it. */
export const saveStateLabels: Record<SaveState, string> = {
  modified: 'modifications en cours d’enregistrement',
  saved: 'enregistré',
  published: 'publié',
  indexed: 'indexé pour la recherche',
  invalid: 'non enregistré : le contenu doit être corrigé',
  error: 'non enregistré : erreur du serveur, nouvel essai à la prochaine modification',
  unavailable: 'serveur momentanément indisponible : vos modifications sont gardées ici et seront envoyées dès son retour',
};
