/**
 * Presence (Yjs awareness) that no one can forge. Hocuspocus 4 decodes each inbound awareness
 * update into a map of client id → state and hands it to `beforeHandleAwareness`, which may
 * rewrite or empty it before it is applied and broadcast. Here:
 *
 * - read-only connections publish no presence (readers have no name to show);
 * - a connection speaks only for its own client ids: an id another account's connection already
 *   uses is dropped, so no one can overwrite a real editor's presence with a higher clock;
 * - the server writes the name and colour from the account (`core/presence.ts`), whatever the
 *   client sent, and keeps only the caret position besides;
 * - an awareness message larger than `maxPresenceBytes` closes the connection before it is
 *   decoded, and updates beyond `maxPresenceUpdatesPerSecond` (a burst of twice that) are dropped.
 */
import type { beforeHandleAwarenessPayload, beforeHandleMessagePayload, Connection, Document, Extension } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import { presenceColourOf } from '../../../core/presence.ts';
import type { LimitsConfig } from '../config.ts';
import type { CollabContext } from './authentication.ts';
import { closeCodes } from './limits.ts';

/** Configuration of `Presence`. */
export type PresenceConfig = Pick<LimitsConfig, 'maxPresenceBytes' | 'maxPresenceUpdatesPerSecond'>;

// Hocuspocus message type of an awareness update.
const awarenessMessage = 1;
/** Client ids one connection may speak for (a provider uses one; a reload may bring another). */
const maxClientIdsPerConnection = 3;
/** Largest caret position kept, in characters of JSON (a y-prosemirror cursor is about 200). */
const maxCursorLength = 1024;

/** Hocuspocus extension: presence from the account, for the connection's own clients, bounded. */
export class Presence implements Extension {
  extensionName = 'Presence';
  priority = 450;
  /** Per document: which connection speaks for each client id. */
  private readonly owners = new WeakMap<Document, Map<number, Connection>>();
  /** Per connection: its client ids and its token bucket of updates. */
  private readonly budgets = new WeakMap<Connection, { ids: Set<number>; tokens: number; at: number }>();

  private readonly config: PresenceConfig;

  constructor(config: PresenceConfig) {
    this.config = config;
  }

  /** Closes a connection that sends an oversized awareness message, before it is decoded. */
  async beforeHandleMessage({ update }: beforeHandleMessagePayload): Promise<void> {
    if (update.byteLength <= this.config.maxPresenceBytes) return;
    const decoder = decoding.createDecoder(update);
    decoding.readVarString(decoder);
    if (decoding.readVarUint(decoder) !== awarenessMessage) return;
    throw { code: closeCodes.presenceTooLarge, reason: `présence trop volumineuse (${this.config.maxPresenceBytes} octets au plus) : rechargez la page` };
  }

  async beforeHandleAwareness({ connection, context, document, states }: beforeHandleAwarenessPayload<CollabContext>): Promise<void> {
    // Updates the server makes itself (no connection) are its own.
    if (!connection) return;
    const user = (context as CollabContext | undefined)?.user;
    if (connection.readOnly || !user) {
      states.clear();
      return;
    }
    const budget = this.budgetOf(connection);
    if (!this.spend(budget)) {
      states.clear();
      return;
    }
    const owners = this.ownersOf(document);
    for (const [clientId, state] of [...states]) {
      // An empty state says nothing; Hocuspocus also decodes each update into a scratch awareness
      // whose own empty local state comes along, under a new id every time.
      if (Object.keys(state).length === 0) {
        states.delete(clientId);
        continue;
      }
      const owner = owners.get(clientId);
      const ownedByAnother = owner && owner !== connection && document.hasConnection(owner) && (owner.context as CollabContext).user?.id !== user.id;
      if (ownedByAnother || (!budget.ids.has(clientId) && budget.ids.size >= maxClientIdsPerConnection)) {
        states.delete(clientId);
        continue;
      }
      owners.set(clientId, connection);
      budget.ids.add(clientId);
      states.set(clientId, { user: { name: user.name, color: presenceColourOf(user.id) }, ...caretOf(state) });
    }
  }

  private budgetOf(connection: Connection): { ids: Set<number>; tokens: number; at: number } {
    let budget = this.budgets.get(connection);
    if (!budget) {
      budget = { ids: new Set(), tokens: 2 * this.config.maxPresenceUpdatesPerSecond, at: Date.now() };
      this.budgets.set(connection, budget);
    }
    return budget;
  }

  /** Takes one update from the connection's bucket; false when it is empty. */
  private spend(budget: { tokens: number; at: number }): boolean {
    const now = Date.now();
    const rate = this.config.maxPresenceUpdatesPerSecond;
    budget.tokens = Math.min(2 * rate, budget.tokens + ((now - budget.at) / 1000) * rate);
    budget.at = now;
    if (budget.tokens < 1) return false;
    budget.tokens -= 1;
    return true;
  }

  private ownersOf(document: Document): Map<number, Connection> {
    let owners = this.owners.get(document);
    if (!owners) {
      owners = new Map();
      this.owners.set(document, owners);
    }
    // Forget the ids of connections that left, now and then, so a long-lived document's map stays small.
    if (owners.size > 256) for (const [id, owner] of owners) if (!document.hasConnection(owner)) owners.delete(id);
    return owners;
  }
}

/** The caret of a state, if it is small enough to be one; nothing else the client sent is kept. */
function caretOf(state: Record<string, unknown>): { cursor?: unknown } {
  if (!('cursor' in state)) return {};
  const cursor = state.cursor;
  if (cursor === null) return { cursor: null };
  if (typeof cursor !== 'object') return {};
  return JSON.stringify(cursor).length <= maxCursorLength ? { cursor } : {};
}
