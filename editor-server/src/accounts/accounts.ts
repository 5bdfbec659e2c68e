/**
 * Accounts, personal access tokens and login sessions, stored in SQLite. Secrets are kept only
 * as SHA-256 hashes: a leaked database gives no usable token or session.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { hashPassword, verifyPassword } from './password.ts';

/** Roles, from least to most rights. Every role may edit; readers need no account. */
export const roles = ['contributeur', 'relecteur', 'administrateur'] as const;
export type Role = (typeof roles)[number];

/** A user as the API and the collaboration layer see it (no email: it stays private). */
export interface PublicUser {
  id: string;
  name: string;
  role: Role;
}

/** A user as the database holds it. */
export interface User extends PublicUser {
  email: string;
}

/** A new account's fields, as the admin command and the API accept them. */
export const newUserSchema = z.object({
  /** Login address; never published. */
  email: z.email('adresse e-mail invalide'),
  /** Display name, shown to co-editors and in the Git history. */
  name: z.string().trim().min(1, 'nom obligatoire').max(120),
  /** Role of the account. */
  role: z.enum(roles, { error: (issue) => `rôle inconnu « ${String(issue.input)} » : choisissez ${roles.join(', ')}` }),
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
}

/** The account store of one server. */
export class Accounts {
  private readonly sessionSecret: string;

  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.sessionSecret = this.loadOrCreateSetting('session_secret', () => randomBytes(32).toString('hex'));
  }

  /** Creates an account; throws if the email is taken. */
  async addUser(input: z.output<typeof newUserSchema>): Promise<User> {
    const id = `u${randomBytes(6).toString('hex')}`;
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    try {
      this.db
        .prepare('INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, input.email, input.name, input.role, passwordHash, new Date().toISOString());
    } catch (error) {
      if (String(error).includes('UNIQUE')) throw new Error(`un compte existe déjà pour ${input.email}`);
      throw error;
    }
    return { id, email: input.email, name: input.name, role: input.role };
  }

  /** Finds an account by email (case-insensitive). */
  findByEmail(email: string): User | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined;
    return row && toUser(row);
  }

  /** Finds an account by id. */
  findById(id: string): User | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  /** Returns the account if the password matches (always spends the KDF's time). */
  async checkPassword(email: string, password: string): Promise<User | undefined> {
    const row = this.db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined;
    // Hash against a dummy when the account is unknown, so timing does not reveal which emails exist.
    const ok = await verifyPassword(password, row?.password_hash ?? dummyHash);
    return ok && row?.password_hash ? toUser(row) : undefined;
  }

  /** Creates a personal access token; the secret is returned once and never stored. */
  createToken(userId: string, label = 'jeton personnel'): { id: string; token: string } {
    const id = `t${randomBytes(6).toString('hex')}`;
    const token = newSecret('trr');
    this.db
      .prepare('INSERT INTO tokens (id, user_id, token_hash, label, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, userId, hash(token), label, new Date().toISOString());
    return { id, token };
  }

  /** Lists a user's tokens (never their secrets). */
  listTokens(userId: string): { id: string; label: string; createdAt: string; lastUsedAt: string | null }[] {
    return (this.db.prepare('SELECT id, label, created_at, last_used_at FROM tokens WHERE user_id = ? ORDER BY created_at').all(userId) as {
      id: string;
      label: string;
      created_at: string;
      last_used_at: string | null;
    }[]).map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
  }

  /** Revokes one of a user's tokens; false if it was not theirs. */
  revokeToken(userId: string, tokenId: string): boolean {
    return Number(this.db.prepare('DELETE FROM tokens WHERE id = ? AND user_id = ?').run(tokenId, userId).changes) > 0;
  }

  /** Resolves a personal token or a session's collaboration token to its user. */
  userForToken(token: string): User | undefined {
    if (!token) return undefined;
    const digest = hash(token);
    if (token.startsWith('trr_')) {
      const row = this.db.prepare('SELECT users.* FROM tokens JOIN users ON users.id = tokens.user_id WHERE token_hash = ?').get(digest) as UserRow | undefined;
      if (row) this.db.prepare('UPDATE tokens SET last_used_at = ? WHERE token_hash = ?').run(new Date().toISOString(), digest);
      return row && toUser(row);
    }
    if (token.startsWith('trs_')) {
      const row = this.db
        .prepare('SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id WHERE collab_token_hash = ? AND expires_at > ?')
        .get(digest, Date.now()) as UserRow | undefined;
      return row && toUser(row);
    }
    return undefined;
  }

  /** Opens a login session; returns the cookie secret. */
  openSession(userId: string, maxAgeMs: number): string {
    const sessionId = newSecret('sid');
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(Date.now());
    this.db
      .prepare('INSERT INTO sessions (id_hash, collab_token_hash, user_id, expires_at) VALUES (?, ?, ?, ?)')
      .run(hash(sessionId), hash(this.collabTokenFor(sessionId)), userId, Date.now() + maxAgeMs);
    return sessionId;
  }

  /** The user of a live session, with the collaboration token the editor page passes to Hocuspocus. */
  resumeSession(sessionId: string): { user: User; token: string } | undefined {
    const row = this.db
      .prepare('SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id WHERE id_hash = ? AND expires_at > ?')
      .get(hash(sessionId), Date.now()) as UserRow | undefined;
    return row && { user: toUser(row), token: this.collabTokenFor(sessionId) };
  }

  /** Ends a session (its collaboration token stops working too). */
  closeSession(sessionId: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hash(sessionId));
  }

  // Derived rather than stored, so /api/session can hand it out again without keeping a secret
  // in clear; distinct from the cookie so page scripts never see the HttpOnly cookie value.
  private collabTokenFor(sessionId: string): string {
    return `trs_${createHmac('sha256', this.sessionSecret).update(sessionId).digest('base64url')}`;
  }

  private loadOrCreateSetting(key: string, create: () => string): string {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    if (row) return row.value;
    const value = create();
    this.db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(key, value);
    return (this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string }).value;
  }
}

/** Whether a role may change content. */
export function canEdit(user: PublicUser | undefined): boolean {
  return !!user && (roles as readonly string[]).includes(user.role);
}

/** Strips the private fields of a user. */
export function toPublicUser(user: User): PublicUser {
  return { id: user.id, name: user.name, role: user.role };
}

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

// A valid hash of a random password, used to spend equal time on unknown accounts.
const dummyHash = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
