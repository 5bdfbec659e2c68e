/**
 * Accounts, invitations, personal access tokens and login sessions, stored in SQLite — or in
 * PostgreSQL when several servers share DATABASE_URL, through the same SQL (storage/sql.ts). Secrets are
 * kept only as SHA-256 hashes: a leaked database gives no usable token, session or invitation.
 * A disabled account keeps its name in the history but opens nothing: no login, no token, no session.
 *
 * Two kinds of token open a collaboration connection: a personal token (`trr_…`, made by the admin
 * command or the API, valid until revoked) and a session's collaboration token (`trs_…`, handed to
 * the editor page by /api/session, valid a few minutes and only while its session lives).
 *
 * Whatever takes rights away — revoking a token, logging out, changing a role, disabling an
 * account — is announced to `onAccessRevoked` listeners at once, so the collaboration layer closes
 * the live connections it concerns, whoever called it (API, admin page, command); with several
 * servers it is also sent to the others (`share`, storage/postgres-revocations.ts), whose own
 * listeners close their live connections.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { roleSchema, type Role } from '../../../schemas/roles.ts';
import { sharedSetting } from '../storage/settings.ts';
import { isUniqueViolation, type SqlDatabase, type SqlExecutor } from '../storage/sql.ts';
import { hashPassword, verifyPassword } from './password.ts';

/** A user as the API and the collaboration layer see it (no email: it stays private). */
export interface PublicUser {
  id: string;
  name: string;
  role: Role;
}

/** A user as the database holds it. */
export interface User extends PublicUser {
  email: string;
  /** A disabled account can neither log in nor use its tokens. */
  disabled: boolean;
}

/**
 * What a token stands for: one personal token (`token:<id>`) or one login session
 * (`session:<hash>`). Revoking it ends what it opened.
 */
export type Credential = `token:${string}` | `session:${string}`;

/** Rights taken away: every credential of an account, or one of them. */
export interface AccessRevocation {
  userId: string;
  /** The one credential revoked; absent when the whole account is concerned (role, disabling). */
  credential?: Credential;
  /** Why, in French, as the closed connections are told. */
  reason: string;
}

/** An account as administrators see it in the list of accounts. */
export interface AccountSummary extends User {
  createdAt: string;
  /** When the account was disabled, if it is. */
  disabledAt: string | null;
  /** Whether a password is set (an invited person sets theirs through the invitation). */
  hasPassword: boolean;
  /** Whether an invitation is waiting to be used. */
  invitationPending: boolean;
  /** Personal access tokens and open sessions. */
  tokens: number;
  sessions: number;
}

/** An invitation link's secret, returned once, and until when it works. */
export interface Invitation {
  code: string;
  expiresAt: string;
}

/** How long an invitation link works. */
export const INVITATION_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/** An error in what an administrator asked, with a French reason (the HTTP API answers 409). */
export class AccountError extends Error {}

/** A new account's fields, as the admin command and the API accept them. */
export const newUserSchema = z.object({
  /** Login address; never published. */
  email: z.email('adresse e-mail invalide'),
  /** Display name, shown to co-editors and in the Git history. */
  name: z.string().trim().min(1, 'nom obligatoire').max(120),
  /** Role of the account (what it may do: `schemas/roles.ts`). */
  role: roleSchema,
  /** Optional password (accounts used only through tokens need none). */
  password: z.string().min(10, 'mot de passe trop court : 10 caractères au moins').optional(),
});
export type NewUser = z.input<typeof newUserSchema>;

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string | null;
  disabled_at: string | null;
}

/** How an account store is opened. */
export interface AccountsOptions {
  /** How long a session's collaboration token works (config.ts: auth.collabTokenLifetimeMs). */
  collabTokenLifetimeMs?: number;
  /** Sends a revocation to the other servers sharing the database (they close their connections). */
  share?: (revocation: AccessRevocation) => Promise<void>;
}

const userById = 'SELECT * FROM users WHERE id = ?';
const userByEmail = 'SELECT * FROM users WHERE lower(email) = lower(?)';

/** The account store of one server (or of every server sharing one PostgreSQL database). */
export class Accounts {
  private readonly revocationListeners = new Set<(revocation: AccessRevocation) => void>();
  private readonly sql: SqlDatabase;
  private readonly sessionSecret: string;
  private readonly collabTokenLifetimeMs: number;
  private readonly share: AccountsOptions['share'];

  private constructor(sql: SqlDatabase, sessionSecret: string, options: AccountsOptions) {
    this.sql = sql;
    this.sessionSecret = sessionSecret;
    // Five minutes unless the server says otherwise.
    this.collabTokenLifetimeMs = options.collabTokenLifetimeMs ?? 5 * 60 * 1000;
    this.share = options.share;
  }

  /** Opens the store; the session secret is made once per database, so every server signs alike. */
  static async open(sql: SqlDatabase, options: AccountsOptions = {}): Promise<Accounts> {
    return new Accounts(sql, await sharedSetting(sql, 'session_secret', () => randomBytes(32).toString('hex')), options);
  }

  /** Calls `listener` whenever rights are taken away; returns the function that stops it. */
  onAccessRevoked(listener: (revocation: AccessRevocation) => void): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  /** A revocation made on another server: this server's listeners close what it concerns here. */
  revokedElsewhere(revocation: AccessRevocation): void {
    for (const listener of this.revocationListeners) listener(revocation);
  }

  /** Creates an account; throws if the email is taken. */
  async addUser(input: z.output<typeof newUserSchema>): Promise<User> {
    const id = `u${randomBytes(6).toString('hex')}`;
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    try {
      await this.sql.transaction(async (tx) => {
        // Checked here as well as by the unique index: SQLite folds case in the column, PostgreSQL in its index.
        if (await tx.get(userByEmail, [input.email])) throw new AccountError(`un compte existe déjà pour ${input.email}`);
        await tx.run('INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
          id,
          input.email,
          input.name,
          input.role,
          passwordHash,
          new Date().toISOString(),
        ]);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AccountError(`un compte existe déjà pour ${input.email}`);
      throw error;
    }
    return { id, email: input.email, name: input.name, role: input.role, disabled: false };
  }

  /** Finds an account by email (case-insensitive). */
  async findByEmail(email: string): Promise<User | undefined> {
    const row = await this.sql.get<UserRow>(userByEmail, [email]);
    return row && toUser(row);
  }

  /** Finds an account by id. */
  async findById(id: string): Promise<User | undefined> {
    const row = await this.sql.get<UserRow>(userById, [id]);
    return row && toUser(row);
  }

  /**
   * Returns the account if the password matches (always spends the KDF's time); a disabled account
   * is returned too, marked `disabled`, so that its holder is told why it opens nothing.
   */
  async checkPassword(email: string, password: string): Promise<User | undefined> {
    const row = await this.sql.get<UserRow>(userByEmail, [email]);
    // Hash against a dummy when the account is unknown, so timing does not reveal which emails exist.
    const ok = await verifyPassword(password, row?.password_hash ?? dummyHash);
    return ok && row?.password_hash ? toUser(row) : undefined;
  }

  /** Every account, with what an administrator needs to manage it. */
  async listUsers(): Promise<AccountSummary[]> {
    const now = Date.now();
    const rows = await this.sql.all<UserRow & { created_at: string; token_count: number; session_count: number; invitation_count: number }>(
      `SELECT users.*,
        (SELECT COUNT(*) FROM tokens WHERE tokens.user_id = users.id) AS token_count,
        (SELECT COUNT(*) FROM sessions WHERE sessions.user_id = users.id AND expires_at > ?) AS session_count,
        (SELECT COUNT(*) FROM invitations WHERE invitations.user_id = users.id AND used_at IS NULL AND expires_at > ?) AS invitation_count
      FROM users ORDER BY lower(name), email`,
      [now, now],
    );
    return rows.map((row) => ({
      ...toUser(row),
      createdAt: row.created_at,
      disabledAt: row.disabled_at,
      hasPassword: !!row.password_hash,
      invitationPending: Number(row.invitation_count) > 0,
      tokens: Number(row.token_count),
      sessions: Number(row.session_count),
    }));
  }

  /** Whether an account is disabled. */
  async isDisabled(userId: string): Promise<boolean> {
    const row = await this.sql.get<{ disabled_at: string | null }>('SELECT disabled_at FROM users WHERE id = ?', [userId]);
    return !!row?.disabled_at;
  }

  /** Revokes every personal token and ends every session of an account (its live connections close); says how many. */
  async revokeAllTokens(userId: string): Promise<{ tokens: number; sessions: number }> {
    await this.requireUser(userId);
    const tokens = (await this.sql.run('DELETE FROM tokens WHERE user_id = ?', [userId])).changes;
    const sessions = (await this.sql.run('DELETE FROM sessions WHERE user_id = ?', [userId])).changes;
    if (tokens + sessions > 0) await this.announce({ userId, reason: 'jetons et sessions révoqués : reconnectez-vous' });
    return { tokens, sessions };
  }

  /**
   * Invites a person: creates their account without a password, and a one-time link with which
   * they choose it. No e-mail is sent: the administrator passes the link on.
   */
  async invite(input: { email: string; name: string; role: Role }, invitedBy?: string): Promise<{ user: User; invitation: Invitation }> {
    const user = await this.addUser({ ...input, password: undefined });
    return { user, invitation: await this.createInvitation(user.id, invitedBy) };
  }

  /** A new one-time link for an account (to finish an invitation or choose a new password); earlier ones stop working. */
  async createInvitation(userId: string, invitedBy?: string, maxAgeMs = INVITATION_MAX_AGE_MS): Promise<Invitation> {
    await this.requireUser(userId);
    const code = newSecret('inv');
    const expiresAt = Date.now() + maxAgeMs;
    await this.sql.transaction(async (tx) => {
      await tx.run('DELETE FROM invitations WHERE user_id = ? AND used_at IS NULL', [userId]);
      await tx.run('INSERT INTO invitations (code_hash, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
        hash(code),
        userId,
        invitedBy ?? null,
        new Date().toISOString(),
        expiresAt,
      ]);
    });
    return { code, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The account an unused, unexpired invitation is for. */
  async findInvitation(code: string): Promise<User | undefined> {
    const row = await this.sql.get<UserRow>(
      'SELECT users.* FROM invitations JOIN users ON users.id = invitations.user_id WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? AND users.disabled_at IS NULL',
      [hash(code), Date.now()],
    );
    return row && toUser(row);
  }

  /** Uses an invitation: sets the account's password; the link then stops working. */
  async acceptInvitation(code: string, password: string): Promise<User> {
    const user = await this.findInvitation(code);
    if (!user) throw new AccountError('lien d’invitation inconnu, déjà utilisé ou expiré : demandez-en un nouveau à un administrateur');
    const passwordHash = await hashPassword(password);
    await this.sql.transaction(async (tx) => {
      // Marked used in the same statement that checks it is unused: a link works once, even raced.
      const used = await tx.run('UPDATE invitations SET used_at = ? WHERE code_hash = ? AND used_at IS NULL', [new Date().toISOString(), hash(code)]);
      if (used.changes !== 1) throw new AccountError('lien d’invitation déjà utilisé : demandez-en un nouveau à un administrateur');
      await tx.run('UPDATE users SET password_hash = ? WHERE id = ?', [passwordHash, user.id]);
    });
    return user;
  }

  private async requireUser(userId: string): Promise<User> {
    const user = await this.findById(userId);
    if (!user) throw new AccountError(`compte inconnu : ${userId}`);
    return user;
  }

  private async keepAnAdministrator(tx: SqlExecutor, userId: string, action: string): Promise<void> {
    const others = await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM users WHERE role = 'administrateur' AND disabled_at IS NULL AND id != ?", [userId]);
    if (Number(others!.n) === 0) throw new AccountError(`c’est le dernier administrateur actif : impossible de ${action}. Nommez d’abord un autre administrateur.`);
  }

  /** Creates a personal access token; the secret is returned once and never stored. */
  async createToken(userId: string, label = 'jeton personnel'): Promise<{ id: string; token: string }> {
    const id = `t${randomBytes(6).toString('hex')}`;
    const token = newSecret('trr');
    await this.sql.run('INSERT INTO tokens (id, user_id, token_hash, label, created_at) VALUES (?, ?, ?, ?, ?)', [id, userId, hash(token), label, new Date().toISOString()]);
    return { id, token };
  }

  /** Lists a user's tokens (never their secrets). */
  async listTokens(userId: string): Promise<{ id: string; label: string; createdAt: string; lastUsedAt: string | null }[]> {
    const rows = await this.sql.all<{ id: string; label: string; created_at: string; last_used_at: string | null }>(
      'SELECT id, label, created_at, last_used_at FROM tokens WHERE user_id = ? ORDER BY created_at',
      [userId],
    );
    return rows.map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
  }

  /** Revokes one of a user's tokens (its live connections are closed); false if it was not theirs. */
  async revokeToken(userId: string, tokenId: string): Promise<boolean> {
    const revoked = (await this.sql.run('DELETE FROM tokens WHERE id = ? AND user_id = ?', [tokenId, userId])).changes > 0;
    if (revoked) await this.announce({ userId, credential: `token:${tokenId}`, reason: 'jeton révoqué : reconnectez-vous avec un jeton valide' });
    return revoked;
  }

  /** Resolves a personal token or a session's collaboration token to its user. */
  async userForToken(token: string): Promise<User | undefined> {
    return (await this.resolveToken(token))?.user;
  }

  /** Resolves a token to its (enabled) user and the credential it stands for. */
  async resolveToken(token: string): Promise<{ user: User; credential: Credential } | undefined> {
    if (token.startsWith('trr_')) {
      const digest = hash(token);
      const row = await this.sql.get<UserRow & { token_id: string }>(
        'SELECT users.*, tokens.id AS token_id FROM tokens JOIN users ON users.id = tokens.user_id WHERE token_hash = ? AND users.disabled_at IS NULL',
        [digest],
      );
      if (!row) return undefined;
      await this.sql.run('UPDATE tokens SET last_used_at = ? WHERE token_hash = ?', [new Date().toISOString(), digest]);
      return { user: toUser(row), credential: `token:${row.token_id}` };
    }
    if (token.startsWith('trs_')) {
      const handle = this.verifyCollabToken(token);
      if (!handle) return undefined;
      const row = await this.sql.get<UserRow & { id_hash: string }>(
        'SELECT users.*, sessions.id_hash FROM sessions JOIN users ON users.id = sessions.user_id WHERE collab_token_hash = ? AND expires_at > ? AND users.disabled_at IS NULL',
        [hash(handle), Date.now()],
      );
      return row && { user: toUser(row), credential: `session:${row.id_hash}` };
    }
    return undefined;
  }

  /** The account behind a credential if it still opens connections (not revoked, not disabled, session alive). */
  async userForCredential(credential: Credential): Promise<User | undefined> {
    const [kind, id] = credential.split(/:(.*)/s) as [string, string];
    const row =
      kind === 'token'
        ? await this.sql.get<UserRow>('SELECT users.* FROM tokens JOIN users ON users.id = tokens.user_id WHERE tokens.id = ? AND users.disabled_at IS NULL', [id])
        : await this.sql.get<UserRow>('SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id WHERE id_hash = ? AND expires_at > ? AND users.disabled_at IS NULL', [
            id,
            Date.now(),
          ]);
    return row && toUser(row);
  }

  /**
   * Gives an account another role; its live connections are closed (they reopen with the new
   * rights). The last active administrator keeps theirs.
   */
  async changeRole(userId: string, role: Role): Promise<void> {
    const user = await this.requireUser(userId);
    const changed = await this.sql.transaction(async (tx) => {
      if (user.role === 'administrateur' && role !== 'administrateur') await this.keepAnAdministrator(tx, userId, 'changer son rôle');
      return (await tx.run('UPDATE users SET role = ? WHERE id = ? AND role <> ?', [role, userId, role])).changes > 0;
    });
    if (changed) await this.announce({ userId, reason: `votre rôle a changé (${role}) : rechargez la page` });
  }

  /**
   * Disables an account: no login, no token, its sessions end and its live connections close. The
   * last active administrator cannot be disabled.
   */
  async disableUser(userId: string): Promise<void> {
    const user = await this.requireUser(userId);
    const changed = await this.sql.transaction(async (tx) => {
      if (user.role === 'administrateur') await this.keepAnAdministrator(tx, userId, 'le désactiver');
      const disabled = (await tx.run('UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL', [new Date().toISOString(), userId])).changes > 0;
      await tx.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
      return disabled;
    });
    if (changed) await this.announce({ userId, reason: 'compte désactivé : contactez un administrateur' });
  }

  /** Enables a disabled account again (its personal tokens work again; it logs in anew). */
  async enableUser(userId: string): Promise<void> {
    await this.requireUser(userId);
    await this.sql.run('UPDATE users SET disabled_at = NULL WHERE id = ?', [userId]);
  }

  /** Opens a login session; returns the cookie secret. */
  async openSession(userId: string, maxAgeMs: number): Promise<string> {
    const sessionId = newSecret('sid');
    await this.sql.run('DELETE FROM sessions WHERE expires_at <= ?', [Date.now()]);
    await this.sql.run('INSERT INTO sessions (id_hash, collab_token_hash, user_id, expires_at) VALUES (?, ?, ?, ?)', [
      hash(sessionId),
      hash(this.sessionHandle(sessionId)),
      userId,
      Date.now() + maxAgeMs,
    ]);
    return sessionId;
  }

  /**
   * The (enabled) user of a live session, with a fresh collaboration token for the editor page:
   * it opens connections for a few minutes only, and never once the session has ended.
   */
  async resumeSession(sessionId: string): Promise<{ user: User; token: string } | undefined> {
    const row = await this.sql.get<UserRow>(
      'SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id WHERE id_hash = ? AND expires_at > ? AND users.disabled_at IS NULL',
      [hash(sessionId), Date.now()],
    );
    return row && { user: toUser(row), token: this.collabTokenFor(sessionId) };
  }

  /** Ends a session: its collaboration tokens stop working and its live connections close. */
  async closeSession(sessionId: string): Promise<void> {
    const idHash = hash(sessionId);
    const row = await this.sql.get<{ user_id: string }>('DELETE FROM sessions WHERE id_hash = ? RETURNING user_id', [idHash]);
    if (row) await this.announce({ userId: row.user_id, credential: `session:${idHash}`, reason: 'session fermée (déconnexion) : reconnectez-vous' });
  }

  // The handle names the session without being its secret (page scripts never see the HttpOnly
  // cookie); derived rather than stored, so nothing usable sits in the database.
  private sessionHandle(sessionId: string): string {
    return `trs_${createHmac('sha256', this.sessionSecret).update(sessionId).digest('base64url')}`;
  }

  // `<handle>.<expiry>.<mac>`: the expiry is signed, so a token leaked from a page works minutes,
  // and the handle is looked up at each use, so it dies with its session.
  private collabTokenFor(sessionId: string): string {
    const body = `${this.sessionHandle(sessionId)}.${(Date.now() + this.collabTokenLifetimeMs).toString(36)}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The session handle of a collaboration token whose signature and expiry hold. */
  private verifyCollabToken(token: string): string | undefined {
    const [handle, expiry, mac, ...rest] = token.split('.');
    if (!handle || !expiry || !mac || rest.length > 0) return undefined;
    const expected = Buffer.from(this.mac(`${handle}.${expiry}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return parseInt(expiry, 36) > Date.now() ? handle : undefined;
  }

  private mac(text: string): string {
    return createHmac('sha256', this.sessionSecret).update(`collab-token\n${text}`).digest('base64url');
  }

  /** Tells this server's listeners at once, then the other servers (a lost message is logged, not thrown: the change is made). */
  private async announce(revocation: AccessRevocation): Promise<void> {
    for (const listener of this.revocationListeners) listener(revocation);
    await this.share?.(revocation).catch((error: Error) => console.error(`[comptes] révocation non transmise aux autres serveurs : ${error.message}`));
  }
}

/** Strips the private fields of a user. */
export function toPublicUser(user: User): PublicUser {
  return { id: user.id, name: user.name, role: user.role };
}

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabled_at !== null };
}

// A valid hash of a random password, used to spend equal time on unknown accounts.
const dummyHash = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
