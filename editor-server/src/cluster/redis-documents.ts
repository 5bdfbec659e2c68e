/**
 * Documents shared between servers through Redis: `@hocuspocus/extension-redis`, with each change
 * relayed as the update itself.
 *
 * The extension, on every change, publishes the document's state vector (SyncStep1); every other
 * server answers with its own diff and state vector, and the first answers again with the change:
 * three crossings of Redis and a diff of the whole document on every server for each keystroke.
 * Here a change is published once, as the Yjs update that made it (the extension's own message
 * format, so its receiving side applies it unchanged). Updates made in one event-loop turn go
 * together, merged. Yjs applies updates in any order and holds back those whose predecessors have
 * not arrived yet; the state-vector exchange remains for what can be missed: a document opening
 * (the extension's initial sync) and Redis coming back (`announce`).
 */
import { SkipFurtherHooksError } from '@hocuspocus/common';
import { isTransactionOrigin, OutgoingMessage, type Document, type onChangePayload, type onStoreDocumentPayload } from '@hocuspocus/server';
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import * as Y from 'yjs';

export class RedisDocuments extends RedisExtension {
  /** Updates made in this turn, by document, not yet published. */
  private readonly unsent = new Map<string, Uint8Array[]>();

  override async onChange({ documentName, update, transactionOrigin }: onChangePayload): Promise<void> {
    // What came from Redis is already on every server.
    if (isTransactionOrigin(transactionOrigin) && transactionOrigin.source === 'redis') return;
    const pending = this.unsent.get(documentName);
    if (pending) {
      pending.push(update);
      return;
    }
    this.unsent.set(documentName, [update]);
    setImmediate(() => void this.publishUpdates(documentName));
  }

  /** Asks the other servers for what this one may have missed of a document (after Redis came back). */
  announce(document: Document): Promise<void> {
    return super.onChange({ documentName: document.name, document, transactionOrigin: { source: 'local' } } as onChangePayload);
  }

  /**
   * Only one server stores a document's snapshot at a time (the extension's lock); the others skip
   * theirs. That is expected, so it goes unlogged (Hocuspocus logs the message of a hook's error).
   */
  override async onStoreDocument(payload: onStoreDocumentPayload): Promise<void> {
    try {
      await super.onStoreDocument(payload);
    } catch (error) {
      if (error instanceof SkipFurtherHooksError) throw new SkipFurtherHooksError('');
      throw error;
    }
  }

  private async publishUpdates(documentName: string): Promise<void> {
    const updates = this.unsent.get(documentName) ?? [];
    this.unsent.delete(documentName);
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    const message = new OutgoingMessage(documentName).createSyncMessage().writeUpdate(update).toUint8Array();
    try {
      await this.pub.publish(`${this.configuration.prefix}:${documentName}`, Buffer.concat([this.messagePrefix, message]));
    } catch {
      // Redis is away: the servers catch up by state vectors when it is back (announce).
    }
  }
}
