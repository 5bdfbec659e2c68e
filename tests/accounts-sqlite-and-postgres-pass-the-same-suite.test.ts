/**
 * Accounts, tokens, sessions, invitations, the login throttle and the moderation queue are written
 * once over one SQL interface (editor-server/src/storage/sql.ts). The same suite runs on SQLite
 * and on a real PostgreSQL, each time with two stores on one database, as two servers would have
 * them: what one makes, the other sees.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountError, Accounts, type AccessRevocation } from '../editor-server/src/accounts/accounts.ts';
import { LoginThrottle } from '../editor-server/src/accounts/login-throttle.ts';
import { openDatabase } from '../editor-server/src/storage/database.ts';
import { openPostgres } from '../editor-server/src/storage/postgres-database.ts';
import { ReaderContributions } from '../editor-server/src/storage/reader-contributions.ts';
import { PostgresSql, SqliteSql, type SqlDatabase } from '../editor-server/src/storage/sql.ts';
import { startPostgres, type PostgresServer } from '../scripts/lib/postgres-server.ts';
import { describeWithServices } from './helpers/services.ts';

/** Two connections to one database, as two servers would have (SQLite: one file opened twice). */
interface DatabaseSetup {
  open(): Promise<[SqlDatabase, SqlDatabase]>;
  close(): Promise<void>;
}

let postgres: PostgresServer | undefined;

const setups: Record<'sqlite' | 'postgres', () => DatabaseSetup> = {
  sqlite: () => {
    let dir: string;
    const dbs: ReturnType<typeof openDatabase>[] = [];
    return {
      async open() {
        dir = await mkdtemp(join(tmpdir(), 'terreau-accounts-'));
        const file = join(dir, 'terreau.sqlite');
        dbs.push(openDatabase(file), openDatabase(file));
        return [new SqliteSql(dbs[0]!), new SqliteSql(dbs[1]!)];
      },
      async close() {
        for (const db of dbs) db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  postgres: () => {
    const pools: pg.Pool[] = [];
    return {
      async open() {
        const url = await postgres!.createDatabase('comptes');
        pools.push(await openPostgres(url), await openPostgres(url));
        return [new PostgresSql(pools[0]!), new PostgresSql(pools[1]!)];
      },
      async close() {
        for (const pool of pools) await pool.end();
      },
    };
  },
};

const throttleOptions = { freeFailures: 3, baseDelayMs: 60_000, maxDelayMs: 8 * 60_000, windowMs: 24 * 3600_000 };

describeWithServices('accounts, throttle and moderation queue', () => {
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.destroy();
  });

  describe.each(['sqlite', 'postgres'] as const)('in %s', (kind) => {
    let setup: DatabaseSetup;
    let sqlA: SqlDatabase;
    let sqlB: SqlDatabase;
    let a: Accounts;
    let b: Accounts;
    beforeAll(async () => {
      setup = setups[kind]();
      [sqlA, sqlB] = await setup.open();
      [a, b] = await Promise.all([Accounts.open(sqlA), Accounts.open(sqlB)]);
    });
    afterAll(() => setup.close());

    it('speaks to the database it says', () => {
      expect(sqlA.kind).toBe(kind);
    });

    it('never lets another caller’s statement into an open transaction, even one rolled back', async () => {
      const inside = sqlA.transaction(async (tx) => {
        await tx.run("INSERT INTO settings (key, value) VALUES ('essai-dedans', 'x')");
        // A transaction that waits (here on a timer) gives the event loop to other callers.
        await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
        throw new Error('annulée');
      });
      const outside = sqlA.run("INSERT INTO settings (key, value) VALUES ('essai-dehors', 'y')");
      await expect(inside).rejects.toThrow('annulée');
      await outside;
      expect(await sqlB.get("SELECT value FROM settings WHERE key = 'essai-dehors'")).toEqual({ value: 'y' });
      expect(await sqlB.get("SELECT value FROM settings WHERE key = 'essai-dedans'")).toBeUndefined();
    });

    it('finds an account by its e-mail whatever its case, and refuses a second account for it', async () => {
      const claire = await a.addUser({ email: 'Claire.Martin@exemple.fr', name: 'Claire Martin', role: 'relecteur', password: 'une phrase longue' });
      expect(await b.findByEmail('claire.martin@EXEMPLE.fr')).toEqual({ ...claire, disabled: false });
      await expect(b.addUser({ email: 'claire.martin@exemple.fr', name: 'Autre', role: 'contributeur' })).rejects.toThrow(AccountError);
      expect(await b.checkPassword('CLAIRE.martin@exemple.fr', 'une phrase longue')).toMatchObject({ id: claire.id });
      expect(await b.checkPassword('claire.martin@exemple.fr', 'pas le bon mot')).toBeUndefined();
    });

    it('makes a token on one server that works on the other, until revoked there', async () => {
      const bruno = await a.addUser({ email: 'bruno@exemple.fr', name: 'Bruno Lefèvre', role: 'contributeur' });
      const { id, token } = await a.createToken(bruno.id, 'import');
      expect(await b.resolveToken(token)).toEqual({ user: { ...bruno, disabled: false }, credential: `token:${id}` });
      const [listed] = await a.listTokens(bruno.id);
      expect(listed).toMatchObject({ id, label: 'import' });
      expect(listed!.lastUsedAt).toEqual(expect.any(String));
      const heard: AccessRevocation[] = [];
      const stop = b.onAccessRevoked((revocation) => heard.push(revocation));
      expect(await b.revokeToken(bruno.id, id)).toBe(true);
      stop();
      expect(heard).toEqual([{ userId: bruno.id, credential: `token:${id}`, reason: expect.stringMatching(/jeton révoqué/) }]);
      expect(await a.userForToken(token)).toBeUndefined();
      expect(await a.userForCredential(`token:${id}`)).toBeUndefined();
      expect(await a.revokeToken(bruno.id, id)).toBe(false);
    });

    it('shares the session secret: a session and its collaboration token opened on one server work on the other', async () => {
      const denis = await a.addUser({ email: 'denis@exemple.fr', name: 'Denis Roy', role: 'contributeur', password: 'une phrase longue' });
      const sessionId = await a.openSession(denis.id, 3600_000);
      const resumed = await b.resumeSession(sessionId);
      expect(resumed?.user.id).toBe(denis.id);
      const resolved = await a.resolveToken(resumed!.token);
      expect(resolved?.user.id).toBe(denis.id);
      expect(await b.userForCredential(resolved!.credential)).toMatchObject({ id: denis.id });
      await b.closeSession(sessionId);
      expect(await a.resumeSession(sessionId)).toBeUndefined();
      expect(await a.resolveToken(resumed!.token)).toBeUndefined();
    });

    it('lets an invitation link work once, even when used twice at the same moment', async () => {
      const { user, invitation } = await a.invite({ email: 'emma@exemple.fr', name: 'Emma Blanc', role: 'contributeur' });
      expect(await b.findInvitation(invitation.code)).toMatchObject({ id: user.id });
      const tries = await Promise.allSettled([b.acceptInvitation(invitation.code, 'mon mot de passe'), b.acceptInvitation(invitation.code, 'un autre mot de passe')]);
      expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(1);
      expect(await a.findInvitation(invitation.code)).toBeUndefined();
      await expect(a.acceptInvitation(invitation.code, 'encore un mot de passe')).rejects.toThrow(/lien d’invitation/);
      const withFirst = await a.checkPassword('emma@exemple.fr', 'mon mot de passe');
      const withSecond = await a.checkPassword('emma@exemple.fr', 'un autre mot de passe');
      expect([withFirst?.id, withSecond?.id].filter(Boolean)).toEqual([user.id]);
    });

    it('keeps the last active administrator, and lists accounts with their counts', async () => {
      const ada = await a.addUser({ email: 'ada@exemple.fr', name: 'ada Admin', role: 'administrateur' });
      await expect(b.changeRole(ada.id, 'contributeur')).rejects.toThrow(/dernier administrateur actif/);
      await expect(b.disableUser(ada.id)).rejects.toThrow(/dernier administrateur actif/);
      await a.createToken(ada.id);
      await a.openSession(ada.id, 3600_000);
      const listed = await b.listUsers();
      expect(listed.map((u) => u.name)).toEqual([...listed.map((u) => u.name)].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase())));
      expect(listed.find((u) => u.id === ada.id)).toMatchObject({ role: 'administrateur', tokens: 1, sessions: 1, hasPassword: false, invitationPending: false, disabledAt: null });
      const other = await a.addUser({ email: 'gael@exemple.fr', name: 'Gaël Admin', role: 'administrateur' });
      await b.changeRole(ada.id, 'relecteur');
      expect((await a.findById(ada.id))?.role).toBe('relecteur');
      await expect(a.disableUser(other.id)).rejects.toThrow(/dernier administrateur actif/);
      expect(await a.isDisabled(other.id)).toBe(false);
    });

    it('disables an account on one server: no token, no session on the other; enabling brings its tokens back', async () => {
      const fanny = await a.addUser({ email: 'fanny@exemple.fr', name: 'Fanny Colin', role: 'contributeur', password: 'une phrase longue' });
      const { token } = await a.createToken(fanny.id);
      const sessionId = await a.openSession(fanny.id, 3600_000);
      await b.disableUser(fanny.id);
      expect(await a.isDisabled(fanny.id)).toBe(true);
      expect(await a.userForToken(token)).toBeUndefined();
      expect(await a.resumeSession(sessionId)).toBeUndefined();
      expect(await a.checkPassword('fanny@exemple.fr', 'une phrase longue')).toMatchObject({ disabled: true });
      await a.enableUser(fanny.id);
      expect((await b.userForToken(token))?.id).toBe(fanny.id);
      expect(await b.revokeAllTokens(fanny.id)).toEqual({ tokens: 1, sessions: 0 });
    });

    it('counts failed logins made through either server together, and trusts a device cookie signed by the other', async () => {
      const clock = { now: Date.UTC(2026, 0, 1) };
      const [one, two] = await Promise.all([LoginThrottle.open(sqlA, throttleOptions, () => clock.now), LoginThrottle.open(sqlB, throttleOptions, () => clock.now)]);
      const attempt = { address: '203.0.113.7', email: 'helene@exemple.fr' };
      await one.recordFailure(attempt);
      await two.recordFailure(attempt);
      expect(await one.retryAfterMs(attempt)).toBe(0);
      await two.recordFailure(attempt);
      expect(await one.retryAfterMs(attempt)).toBe(60_000);
      await one.recordFailure(attempt);
      expect(await two.retryAfterMs(attempt)).toBe(120_000);
      const device = two.verifyDeviceCookie(one.issueDeviceCookie('u-helene'), 'u-helene');
      expect(device).toBeTruthy();
      expect(await two.retryAfterMs({ ...attempt, device })).toBe(0);
      clock.now += 25 * 3600_000;
      expect(await one.retryAfterMs(attempt)).toBe(0);
    });

    it('keeps one moderation queue: a proposal sent to one server is decided once, on either', async () => {
      const [queueA, queueB] = await Promise.all([ReaderContributions.open(sqlA), ReaderContributions.open(sqlB)]);
      const sent = await queueA.add({ kind: 'erreur', entry: 'fiches/jardin-partage', text: 'Une date est fausse.', name: 'Irène', email: 'irene@exemple.fr', title: null, territory: null });
      expect(await queueB.pendingCount()).toBe(1);
      expect((await queueB.pending()).map((c) => c.id)).toEqual([sent.id]);
      const moderator = { id: 'u-claire', name: 'Claire Martin' };
      const accepted = await queueB.decide(sent.id, { action: 'acceptee', by: moderator });
      expect(accepted).toMatchObject({ status: 'acceptee', email: null, decidedBy: 'Claire Martin' });
      expect(await queueA.decide(sent.id, { action: 'refusee', by: moderator, reason: 'trop tard' })).toBeUndefined();
      expect((await queueA.proposalsFor('fiches/jardin-partage')).map((c) => c.id)).toEqual([sent.id]);
      await queueA.decide(sent.id, { action: 'integree', by: moderator, result: 'fiches/jardin-partage' });
      expect(await queueB.creditsOwed('fiches/jardin-partage')).toEqual([{ id: sent.id, name: 'Irène' }]);
      await queueB.creditsGiven([sent.id]);
      expect(await queueA.creditsOwed('fiches/jardin-partage')).toEqual([]);
      const log = await queueA.decisions();
      expect(log.map((d) => d.action)).toEqual(['integree', 'acceptee']);
      expect(typeof log[0]!.id).toBe('number');
      expect(await queueA.pendingCount()).toBe(0);
    });

    it('counts a reader address’s sendings across servers, per window', async () => {
      const clock = { now: Date.UTC(2026, 0, 1) };
      const [queueA, queueB] = await Promise.all([ReaderContributions.open(sqlA, () => clock.now), ReaderContributions.open(sqlB, () => clock.now)]);
      expect(await queueA.countSending('198.51.100.4', [60_000, 3600_000])).toEqual([1, 1]);
      clock.now += 120_000;
      expect(await queueB.countSending('198.51.100.4', [60_000, 3600_000])).toEqual([1, 2]);
      expect(await queueA.countSending('198.51.100.5', [60_000, 3600_000])).toEqual([1, 1]);
    });
  });
});
