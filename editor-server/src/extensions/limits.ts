/**
 * Per-document limits: how many clients one document accepts and how large it may grow. A client
 * over a limit is told why (the reason reaches the provider) and the other documents go on.
 * Message size and connections per address are enforced by the WebSocket layer (server.ts).
 *
 * Writers (connections with an account) and readers (read-only, no account) have separate
 * budgets, so readers can never lock a contributor out of a document: a document accepts
 * `maxWritersPerDocument` writers whatever its readers, and `maxReadersPerDocument` readers, of
 * which at most `maxReadersPerAddress` (across all documents) come from one address. One socket
 * opens at most `maxDocumentsPerSocket` documents.
 */
import type {
  afterLoadDocumentPayload,
  afterStoreDocumentPayload,
  beforeSyncPayload,
  connectedPayload,
  Document,
  Extension,
  Hocuspocus,
  onAuthenticatePayload,
} from '@hocuspocus/server';
import * as Y from 'yjs';
import type { LimitsConfig } from '../config.ts';
import type { CollabContext } from './authentication.ts';

/** Close codes in the application range (4000–4999), one per limit. */
export const closeCodes = {
  documentFull: 4429,
  documentTooLarge: 4413,
  invalidUpdate: 4400,
  tooManyConnections: 4430,
  accessRevoked: 4401,
  presenceTooLarge: 4414,
} as const;

/** Hocuspocus extension enforcing the client budgets and the document-size limit. */
export class Limits implements Extension {
  extensionName = 'Limits';
  // Before the journal: an update refused here is never journaled. After Authentication, whose
  // decision (reader or writer) the budgets depend on.
  priority = 500;
  private readonly sizes = new WeakMap<Document, number>();

  private readonly limits: LimitsConfig;

  constructor(limits: LimitsConfig) {
    this.limits = limits;
  }

  /** Refuses a connection over its budget before its document is loaded. */
  async onAuthenticate({ instance, documentName, connectionConfig, context, socketId }: onAuthenticatePayload<CollabContext>): Promise<void> {
    const reason = this.overBudget(instance, { documentName, reader: connectionConfig.readOnly, address: context.address, socketId }, 0);
    if (reason) throw { reason };
  }

  /** Several connections may have been admitted at the same moment: the one over a budget leaves. */
  async connected({ instance, documentName, connection, context }: connectedPayload<CollabContext>): Promise<void> {
    const reason = this.overBudget(instance, { documentName, reader: connection.readOnly, address: context.address, socketId: connection.socketId }, 1);
    if (reason) connection.close({ code: closeCodes.documentFull, reason });
  }

  /**
   * Why a connection exceeds a budget, if it does. `self` is 1 once the connection is itself
   * among the counted ones.
   */
  private overBudget(instance: Hocuspocus, client: { documentName: string; reader: boolean; address: string; socketId: string }, self: 0 | 1): string | undefined {
    const limits = this.limits;
    let writers = 0;
    let readers = 0;
    let readersFromAddress = 0;
    let documentsOnSocket = 0;
    for (const document of instance.documents.values()) {
      for (const connection of document.getConnections()) {
        if (connection.socketId === client.socketId) documentsOnSocket++;
        if (connection.readOnly && (connection.context as CollabContext).address === client.address) readersFromAddress++;
        if (document.name === client.documentName) {
          if (connection.readOnly) readers++;
          else writers++;
        }
      }
    }
    if (documentsOnSocket - self >= limits.maxDocumentsPerSocket) {
      return `trop de documents ouverts sur une même connexion (${limits.maxDocumentsPerSocket} au plus) : fermez-en un`;
    }
    if (!client.reader) {
      return writers - self >= limits.maxWritersPerDocument
        ? `document complet : ${limits.maxWritersPerDocument} personnes au plus le modifient à la fois, réessayez plus tard`
        : undefined;
    }
    if (readersFromAddress - self >= limits.maxReadersPerAddress) {
      return `trop de documents ouverts en lecture depuis votre adresse (${limits.maxReadersPerAddress} au plus) : lisez les pages publiques du site`;
    }
    if (readers - self >= limits.maxReadersPerDocument) {
      return `document complet pour la lecture (${limits.maxReadersPerDocument} lecteurs au plus à la fois) : lisez sa page publique ou réessayez plus tard`;
    }
    return undefined;
  }

  async beforeSync({ document, type, payload, connection }: beforeSyncPayload): Promise<void> {
    if (type === 0 || connection.readOnly) return;
    // An undecodable update would be journaled and then break every later load: refuse it here.
    try {
      Y.decodeUpdate(payload);
    } catch {
      throw { code: closeCodes.invalidUpdate, reason: 'mise à jour illisible : rechargez la page' };
    }
    const size = (this.sizes.get(document) ?? measure(document)) + payload.byteLength;
    if (size > this.limits.maxDocumentBytes) {
      throw { code: closeCodes.documentTooLarge, reason: `document trop volumineux (limite ${Math.round(this.limits.maxDocumentBytes / 1024)} Kio) : scindez-le en plusieurs entrées` };
    }
    this.sizes.set(document, size);
  }

  // Measured when the document is loaded or stored, not while an update waits to be fanned out.
  async afterLoadDocument({ document }: afterLoadDocumentPayload): Promise<void> {
    this.sizes.set(document, measure(document));
  }

  async afterStoreDocument({ document }: afterStoreDocumentPayload): Promise<void> {
    // Deleted content shrinks the encoded state: measure it again.
    this.sizes.set(document, measure(document));
  }
}

function measure(document: Document): number {
  return Y.encodeStateAsUpdate(document).byteLength;
}
