/**
 * Save status of each collaborative document, as the editor page shows it (« enregistré »,
 * « publié », or why the content was refused): sent on every change to all connections of the
 * document, and once to each connection that joins. The message is `core/collab-protocol.ts`.
 */
import type { Document } from '@hocuspocus/server';
import { saveStateLabels, type SaveState, type StatusMessage } from '../../../core/collab-protocol.ts';
import type { Problem } from '../../../core/problem.ts';

/** Keeps the last status of every document and sends changes to its editors. */
export class StatusBoard {
  private readonly last = new Map<string, StatusMessage>();

  private readonly findDocument: (name: string) => Document | undefined;

  constructor(findDocument: (name: string) => Document | undefined) {
    this.findDocument = findDocument;
  }

  /** Sets a document's status and tells everyone editing it. */
  set(document: string, state: SaveState, details: { commit?: string; problems?: Problem[]; refused?: Problem[] } = {}): StatusMessage {
    const message: StatusMessage = { type: 'terreau/status', document, state, label: saveStateLabels[state], ...details, at: new Date().toISOString() };
    this.last.set(document, message);
    this.findDocument(document)?.broadcastStateless(JSON.stringify(message));
    return message;
  }

  /** The last status of a document, if any. */
  get(document: string): StatusMessage | undefined {
    return this.last.get(document);
  }
}
