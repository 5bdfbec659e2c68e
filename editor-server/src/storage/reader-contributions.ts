/**
 * What readers send without an account (an error to report, an improvement to propose, their own
 * experience), the moderation decisions taken on it, and the per-address counts that limit how
 * often one address may send. The rest of the server sees only `ReaderContributionStore`, an
 * asynchronous interface; its one implementation speaks to SQLite or to PostgreSQL (several
 * instances) through sql.ts.
 *
 * Privacy: a reader's e-mail address is kept only until their contribution is handled (accepted
 * or refused), then erased; addresses are never stored, only a keyed hash of them, for the limits.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { sharedSetting } from './settings.ts';
import type { SqlDatabase } from './sql.ts';

/** What a reader sends. */
export const contributionKinds = ['erreur', 'amelioration', 'experience'] as const;
export type ContributionKind = (typeof contributionKinds)[number];

/** Where a contribution is in moderation. */
export type ContributionStatus = 'en-attente' | 'acceptee' | 'refusee' | 'integree';

/** A contribution as the reader sent it. */
export interface NewContribution {
  kind: ContributionKind;
  /** The entry it is about (`fiches/jardin-partage`), if any. */
  entry: string | null;
  /** The reader's text, exactly as typed (never interpreted as HTML or MDX). */
  text: string;
  /** Name the reader wants to be credited under. */
  name: string;
  /** Optional address to be answered at; erased once the contribution is handled. */
  email: string | null;
  /** Title the reader proposes (experiences). */
  title: string | null;
  /** Commune or territory as the reader typed it (experiences). */
  territory: string | null;
}

/** A stored contribution. */
export interface Contribution extends NewContribution {
  id: string;
  receivedAt: string;
  status: ContributionStatus;
  /** Who decided, when, why (refusals) and what came of it (the brouillon or the entry). */
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  result: string | null;
}

/** One line of the moderation log. */
export interface ModerationDecision {
  id: number;
  contributionId: string;
  action: 'acceptee' | 'refusee' | 'integree';
  /** Name of the relecteur or administrateur (or contributor, for an integration). */
  by: string;
  byUserId: string;
  at: string;
  reason: string | null;
  result: string | null;
}

/** A decision to record. */
export interface DecisionInput {
  action: ModerationDecision['action'];
  by: { id: string; name: string };
  reason?: string;
  result?: string;
}

/** Storage of reader contributions, moderation decisions and per-address sending counts. */
export interface ReaderContributionStore {
  /** Stores a new contribution, waiting for moderation. */
  add(contribution: NewContribution): Promise<Contribution>;
  /** One contribution. */
  get(id: string): Promise<Contribution | undefined>;
  /** Contributions waiting for moderation, oldest first. */
  pending(): Promise<Contribution[]>;
  /** How many contributions wait for moderation. */
  pendingCount(): Promise<number>;
  /** Accepted proposals about an entry, not yet marked as integrated. */
  proposalsFor(entry: string): Promise<Contribution[]>;
  /**
   * Records a decision, atomically: refuses it (returns undefined) unless the contribution is in
   * the state the action starts from (waiting, or accepted for an integration). Handling erases
   * the reader's e-mail address.
   */
  decide(id: string, decision: DecisionInput): Promise<Contribution | undefined>;
  /** The latest decisions, newest first. */
  decisions(limit?: number): Promise<ModerationDecision[]>;
  /** Counts one sending from an address; returns how many it made within each window (ms). */
  countSending(address: string, windowsMs: readonly number[]): Promise<number[]>;
  /** Co-authors owed to the next commit of an entry: readers whose proposals were integrated. */
  creditsOwed(entry: string): Promise<{ id: string; name: string }[]>;
  /** Forgets the credits of these contributions once a commit carries them. */
  creditsGiven(ids: readonly string[]): Promise<void>;
}

interface ContributionRow {
  id: string;
  kind: ContributionKind;
  entry: string | null;
  text: string;
  name: string;
  email: string | null;
  title: string | null;
  territory: string | null;
  received_at: string;
  status: ContributionStatus;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  result: string | null;
}

/** From which state each action starts. */
const startsFrom: Record<DecisionInput['action'], ContributionStatus> = { acceptee: 'en-attente', refusee: 'en-attente', integree: 'acceptee' };

/** The store, on either engine (sql.ts): one moderation queue for every server sharing the database. */
export class ReaderContributions implements ReaderContributionStore {
  private readonly sql: SqlDatabase;
  private readonly addressSecret: string;
  private readonly now: () => number;

  private constructor(sql: SqlDatabase, addressSecret: string, now: () => number) {
    this.sql = sql;
    this.addressSecret = addressSecret;
    this.now = now;
  }

  /** Opens the store (its tables are made with the database's schema). */
  static async open(sql: SqlDatabase, now: () => number = Date.now): Promise<ReaderContributions> {
    return new ReaderContributions(sql, await sharedSetting(sql, 'reader_address_secret', () => randomBytes(32).toString('hex')), now);
  }

  async add(contribution: NewContribution): Promise<Contribution> {
    const id = `c${randomBytes(6).toString('hex')}`;
    const receivedAt = new Date(this.now()).toISOString();
    const c = contribution;
    await this.sql.run('INSERT INTO reader_contributions (id, kind, entry, text, name, email, title, territory, received_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      id,
      c.kind,
      c.entry,
      c.text,
      c.name,
      c.email,
      c.title,
      c.territory,
      receivedAt,
      'en-attente',
    ]);
    return (await this.get(id))!;
  }

  async get(id: string): Promise<Contribution | undefined> {
    const row = await this.sql.get<ContributionRow>('SELECT * FROM reader_contributions WHERE id = ?', [id]);
    return row && toContribution(row);
  }

  async pending(): Promise<Contribution[]> {
    return (await this.sql.all<ContributionRow>("SELECT * FROM reader_contributions WHERE status = 'en-attente' ORDER BY received_at, id")).map(toContribution);
  }

  async pendingCount(): Promise<number> {
    return (await this.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM reader_contributions WHERE status = 'en-attente'"))!.n;
  }

  async proposalsFor(entry: string): Promise<Contribution[]> {
    return (
      await this.sql.all<ContributionRow>("SELECT * FROM reader_contributions WHERE status = 'acceptee' AND entry = ? AND kind != 'experience' ORDER BY received_at, id", [entry])
    ).map(toContribution);
  }

  async decide(id: string, decision: DecisionInput): Promise<Contribution | undefined> {
    const at = new Date(this.now()).toISOString();
    const changed = await this.sql.transaction(async (tx) => {
      const done = await tx.run(
        `UPDATE reader_contributions SET status = ?, email = NULL, decided_by = ?, decided_at = ?, reason = COALESCE(?, reason), result = COALESCE(?, result),
         credit_owed = ? WHERE id = ? AND status = ?`,
        [decision.action, decision.by.name, at, decision.reason ?? null, decision.result ?? null, decision.action === 'integree' ? 1 : 0, id, startsFrom[decision.action]],
      );
      if (done.changes === 0) return false;
      await tx.run('INSERT INTO moderation_log (contribution_id, action, by_user_id, by_name, at, reason, result) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        id,
        decision.action,
        decision.by.id,
        decision.by.name,
        at,
        decision.reason ?? null,
        decision.result ?? null,
      ]);
      return true;
    });
    return changed ? this.get(id) : undefined;
  }

  async decisions(limit = 100): Promise<ModerationDecision[]> {
    const rows = await this.sql.all<{
      id: number;
      contribution_id: string;
      action: ModerationDecision['action'];
      by_user_id: string;
      by_name: string;
      at: string;
      reason: string | null;
      result: string | null;
    }>('SELECT * FROM moderation_log ORDER BY id DESC LIMIT ?', [limit]);
    return rows.map((r) => ({ id: r.id, contributionId: r.contribution_id, action: r.action, by: r.by_name, byUserId: r.by_user_id, at: r.at, reason: r.reason, result: r.result }));
  }

  async countSending(address: string, windowsMs: readonly number[]): Promise<number[]> {
    const key = createHmac('sha256', this.addressSecret).update(address).digest('base64url');
    const now = this.now();
    return this.sql.transaction(async (tx) => {
      await tx.run('DELETE FROM reader_sendings WHERE at <= ?', [now - Math.max(...windowsMs)]);
      await tx.run('INSERT INTO reader_sendings (address_key, at) VALUES (?, ?)', [key, now]);
      const counts: number[] = [];
      for (const window of windowsMs) counts.push((await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM reader_sendings WHERE address_key = ? AND at > ?', [key, now - window]))!.n);
      return counts;
    });
  }

  async creditsOwed(entry: string): Promise<{ id: string; name: string }[]> {
    return this.sql.all<{ id: string; name: string }>('SELECT id, name FROM reader_contributions WHERE entry = ? AND credit_owed = 1 ORDER BY decided_at, id', [entry]);
  }

  async creditsGiven(ids: readonly string[]): Promise<void> {
    await this.sql.transaction(async (tx) => {
      for (const id of ids) await tx.run('UPDATE reader_contributions SET credit_owed = 0 WHERE id = ?', [id]);
    });
  }
}

function toContribution(row: ContributionRow): Contribution {
  return {
    id: row.id,
    kind: row.kind,
    entry: row.entry,
    text: row.text,
    name: row.name,
    email: row.email,
    title: row.title,
    territory: row.territory,
    receivedAt: row.received_at,
    status: row.status,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    reason: row.reason,
    result: row.result,
  };
}
