/**
 * Revoked means revoked: when a token is revoked, a session ends, a role changes or an account is
 * disabled (`Accounts.onAccessRevoked`, whoever did it), the live connections opened with it are
 * closed at once with the French reason, and nothing they still send is accepted. A connection
 * that was authenticating at that moment is checked against the database once, before its first
 * message and when it is established, so it cannot slip between the two.
 */
import type { beforeHandleMessagePayload, Connection, connectedPayload, Extension, Hocuspocus, onConfigurePayload } from '@hocuspocus/server';
import type { AccessRevocation as Revocation, Accounts } from '../accounts/accounts.ts';
import type { CollabContext } from './authentication.ts';
import { closeCodes } from './limits.ts';

/** Configuration of `AccessRevocation`. */
export interface AccessRevocationConfig {
  accounts: Accounts;
}

const staleAccess = 'accès retiré (jeton révoqué, déconnexion, rôle changé ou compte désactivé) : reconnectez-vous';

/** Hocuspocus extension: closes the connections whose rights were taken away, and refuses their messages. */
export class AccessRevocation implements Extension {
  extensionName = 'AccessRevocation';
  // Before the limits and the journal: a message from a revoked connection goes no further.
  priority = 900;
  /** A connection checked against the database since it opened, or closed with this reason. */
  private readonly checked = new WeakMap<Connection, { revoked?: string }>();
  private instance: Hocuspocus | undefined;
  private stopListening: (() => void) | undefined;

  private readonly config: AccessRevocationConfig;

  constructor(config: AccessRevocationConfig) {
    this.config = config;
  }

  async onConfigure({ instance }: onConfigurePayload): Promise<void> {
    this.instance = instance;
    this.stopListening = this.config.accounts.onAccessRevoked((revocation) => this.closeConnectionsOf(revocation));
  }

  async onDestroy(): Promise<void> {
    this.stopListening?.();
  }

  async connected({ connection, context }: connectedPayload<CollabContext>): Promise<void> {
    const reason = await this.refusal(connection, context);
    if (reason) connection.close({ code: closeCodes.accessRevoked, reason });
  }

  async beforeHandleMessage({ connection, context }: beforeHandleMessagePayload<CollabContext>): Promise<void> {
    const reason = await this.refusal(connection, context);
    if (reason) throw { code: closeCodes.accessRevoked, reason };
  }

  /** Why a connection may no longer speak, if it may not. */
  private async refusal(connection: Connection, context: CollabContext): Promise<string | undefined> {
    if (!context.user || !context.credential) return undefined;
    const known = this.checked.get(connection);
    if (known) return known.revoked;
    const current = await this.config.accounts.userForCredential(context.credential);
    // A revocation heard while the database answered wins over what it answered.
    const heard = this.checked.get(connection);
    if (heard) return heard.revoked;
    const revoked = current && current.role === context.user.role ? undefined : staleAccess;
    this.checked.set(connection, { revoked });
    return revoked;
  }

  private closeConnectionsOf(revocation: Revocation): void {
    for (const document of this.instance?.documents.values() ?? []) {
      for (const connection of document.getConnections()) {
        const context = connection.context as CollabContext;
        if (context.user?.id !== revocation.userId) continue;
        if (revocation.credential && context.credential !== revocation.credential) continue;
        this.checked.set(connection, { revoked: revocation.reason });
        connection.close({ code: closeCodes.accessRevoked, reason: revocation.reason });
      }
    }
  }
}
