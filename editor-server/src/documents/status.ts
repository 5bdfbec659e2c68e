/**
 * Save status of each collaborative document, as the editor page shows it (« enregistré »,
 * « publié », or why the content was refused): sent on every change to all connections of the
 * document, and once to each connection that joins. The message is `core/collab-protocol.ts`.
 */
import type { Document } from '@hocuspocus/server';
import { saveStateLabels, type SaveState, type StatusMessage } from '../../../core/collab-protocol.ts';
import type { Problem } from '../../../core/problem.ts';

/**
 * Keeps the last status of every document and sends changes to its editors. With several servers,
 * `share` sends each status to the others (through Redis), which pass it on with `receive`: the
 * writer's « enregistré » and « publié » reach editors wherever they are connected.
 */
export class StatusBoard {
  private readonly last = new Map<string, StatusMessage>();
  /** Set when several servers share the documents. */
  share: ((message: StatusMessage) => void) | undefined;

  private readonly findDocument: (name: string) => Document | undefined;

  constructor(findDocument: (name: string) => Document | undefined) {
    this.findDocument = findDocument;
  }

  /** Sets a document's status and tells everyone editing it. */
  set(document: string, state: SaveState, details: { commit?: string; problems?: Problem[]; refused?: Problem[] } = {}): StatusMessage {
    const message: StatusMessage = { type: 'terreau/status', document, state, label: saveStateLabels[state], ...details, at: new Date().toISOString() };
    this.last.set(document, message);
    if (!this.share) this.findDocument(document)?.broadcastStateless(JSON.stringify(message));
    else {
      // Only this server's editors: the other servers get it through `share`, not twice through Redis.
      this.findDocument(document)?.relayStateless(JSON.stringify(message));
      this.share(message);
    }
    return message;
  }

  /** A status another server set: kept, and told to this server's editors of the document. */
  receive(message: StatusMessage): void {
    this.last.set(message.document, message);
    this.findDocument(message.document)?.relayStateless(JSON.stringify(message));
  }

  /** The last status of a document, if any. */
  get(document: string): StatusMessage | undefined {
    return this.last.get(document);
  }
}
