/**
 * Per-document limits: how many clients one document accepts and how large it may grow. A client
 * over a limit is told why (the reason reaches the provider) and the other documents go on.
 * Message size and connections per address are enforced by the WebSocket layer (server.ts).
 */
import type { afterLoadDocumentPayload, afterStoreDocumentPayload, beforeSyncPayload, Document, Extension, onConnectPayload } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { LimitsConfig } from '../config.ts';

/** Close codes in the application range (4000–4999), one per limit. */
export const closeCodes = {
  documentFull: 4429,
  documentTooLarge: 4413,
  invalidUpdate: 4400,
  tooManyConnections: 4430,
} as const;

/** Hocuspocus extension enforcing clients-per-document and document-size limits. */
export class Limits implements Extension {
  extensionName = 'Limits';
  // Before the journal: an update refused here is never journaled.
  priority = 500;
  private readonly sizes = new WeakMap<Document, number>();

  private readonly limits: LimitsConfig;

  constructor(limits: LimitsConfig) {
    this.limits = limits;
  }

  async onConnect({ instance, documentName }: onConnectPayload): Promise<void> {
    const count = instance.documents.get(documentName)?.getConnectionsCount() ?? 0;
    if (count >= this.limits.maxClientsPerDocument) {
      throw { reason: `document complet : ${this.limits.maxClientsPerDocument} personnes au plus à la fois, réessayez plus tard` };
    }
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
