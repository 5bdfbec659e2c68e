/**
 * Who is connecting: resolves the Hocuspocus token (personal token or a session's collaboration
 * token) to an account. No token: a reader, read-only. A token that does not resolve is refused,
 * so an editor whose session expired learns it instead of silently losing the right to write; so
 * is an account whose role may not write the document's collection (`schemas/roles.ts`).
 */
import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { toPublicUser, type Accounts, type Credential, type PublicUser } from '../accounts/accounts.ts';
import { parseDocumentName } from '../../../core/document-name.ts';
import { databaseUnavailable, isPostgresUnavailable } from '../storage/postgres-database.ts';
import { mayWrite, writeRefusal } from '../../../schemas/roles.ts';

/** Context attached to every collaboration connection. */
export interface CollabContext {
  /** The account behind the token; null for readers. */
  user: PublicUser | null;
  /** The token or session the connection was opened with; null for readers. */
  credential: Credential | null;
  /** The client's address (`http/client-address.ts`), for the per-address limits. */
  address: string;
}

/** Configuration of `Authentication`. */
export interface AuthenticationConfig {
  accounts: Accounts;
}

/** Hocuspocus extension: document name check, token check, read-only for readers. */
export class Authentication implements Extension {
  extensionName = 'Authentication';
  // Before every other extension: nothing is loaded for a refused connection.
  priority = 1000;

  private readonly config: AuthenticationConfig;

  constructor(config: AuthenticationConfig) {
    this.config = config;
  }

  async onAuthenticate({ token, documentName, connectionConfig }: onAuthenticatePayload<CollabContext>): Promise<Pick<CollabContext, 'user' | 'credential'>> {
    const address = parseDocumentName(documentName);
    if ('refused' in address) throw { reason: address.refused };
    if (!token) {
      connectionConfig.readOnly = true;
      return { user: null, credential: null };
    }
    const resolved = await this.config.accounts.resolveToken(token).catch((error: unknown) => {
      if (!isPostgresUnavailable(error)) throw error;
      console.error(`[postgres] jeton non vérifié : ${(error as Error).message}`);
      throw { reason: databaseUnavailable };
    });
    if (!resolved) throw { reason: 'jeton invalide ou expiré : reconnectez-vous' };
    const { user, credential } = resolved;
    if (!mayWrite(user.role, address.collection)) throw { reason: writeRefusal(user.role, address.collection) };
    return { user: toPublicUser(user), credential };
  }
}
