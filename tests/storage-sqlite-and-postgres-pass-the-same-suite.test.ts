/**
 * The document store has one interface and two implementations: SQLite (one server) and
 * PostgreSQL (several). The same suite runs on both, against a real PostgreSQL started for it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase } from '../editor-server/src/storage/database.ts';
import type { DocumentStore } from '../editor-server/src/storage/document-store.ts';
import { JournalWriter } from '../editor-server/src/storage/journal-writer.ts';
import { openPostgres } from '../editor-server/src/storage/postgres-database.ts';
import { PostgresDocumentStore } from '../editor-server/src/storage/postgres-document-store.ts';
import { SqliteDocumentStore } from '../editor-server/src/storage/sqlite-document-store.ts';
import { startPostgres, type PostgresServer } from '../scripts/lib/postgres-server.ts';
import { describeWithServices } from './helpers/services.ts';

/** Two stores on one database, as two servers would have (SQLite: one file opened twice). */
interface StoreSetup {
  open(): Promise<{ a: DocumentStore; b: DocumentStore }>;
  close(): Promise<void>;
}

let postgres: PostgresServer | undefined;
let databases = 0;

const setups: Record<'sqlite' | 'postgres', () => StoreSetup> = {
  sqlite: () => {
    let dir: string;
    const dbs: ReturnType<typeof openDatabase>[] = [];
    return {
      async open() {
        dir = await mkdtemp(join(tmpdir(), 'terreau-store-'));
        const file = join(dir, 'terreau.sqlite');
        dbs.push(openDatabase(file), openDatabase(file));
        return { a: new SqliteDocumentStore(dbs[0]!), b: new SqliteDocumentStore(dbs[1]!) };
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
        const url = await postgres!.createDatabase(`suite${++databases}`);
        pools.push(await openPostgres(url), await openPostgres(url));
        return { a: new PostgresDocumentStore(pools[0]!), b: new PostgresDocumentStore(pools[1]!) };
      },
      async close() {
        for (const pool of pools) await pool.end();
      },
    };
  },
};

/** A Yjs update that appends `text` as a paragraph to `doc`. */
function edit(doc: Y.Doc, text: string): Uint8Array {
  let update: Uint8Array | undefined;
  const capture = (u: Uint8Array) => (update = u);
  doc.on('update', capture);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('default').push([paragraph]);
  doc.off('update', capture);
  return update!;
}

function rebuild(stored: { state?: Uint8Array; updates: Uint8Array[] }): string {
  const doc = new Y.Doc();
  if (stored.state) Y.applyUpdate(doc, stored.state);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return doc.getXmlFragment('default').toString();
}

describeWithServices('the document store', () => {
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.destroy();
  });

  describe.each(['sqlite', 'postgres'] as const)('in %s', (kind) => {
    let setup: StoreSetup;
    let a: DocumentStore;
    let b: DocumentStore;
    beforeAll(async () => {
      setup = setups[kind]();
      ({ a, b } = await setup.open());
    });
    afterAll(() => setup.close());

    it('says which database it is', () => {
      expect(a.kind).toBe(kind);
    });

    it('journals updates with their authors, and loads them in order', async () => {
      const doc = new Y.Doc();
      const updates = ['un', 'deux', 'trois'].map((text) => edit(doc, text));
      await a.appendUpdates([
        { document: 'fiches/ordre', update: updates[0]!, userId: 'alice' },
        { document: 'fiches/ordre', update: updates[1]!, userId: 'bob' },
      ]);
      await b.appendUpdates([{ document: 'fiches/ordre', update: updates[2]!, userId: 'alice' }]);
      const stored = await a.load('fiches/ordre');
      expect(stored.state).toBeUndefined();
      expect(stored.updates.map((u) => Buffer.from(u).toString('hex'))).toEqual(updates.map((u) => Buffer.from(u).toString('hex')));
      expect(rebuild(stored)).toBe('<paragraph>un</paragraph><paragraph>deux</paragraph><paragraph>trois</paragraph>');
      const editors = await b.pendingEditors('fiches/ordre');
      expect(editors.map((e) => [e.userId, e.updates])).toEqual([
        ['alice', 2],
        ['bob', 1],
      ]);
      expect(await a.documentsWithPendingEdits()).toContain('fiches/ordre');
    });

    it('creates a document’s first snapshot once, whoever asks first', async () => {
      const first = Y.encodeStateAsUpdate(new Y.Doc());
      const results = await Promise.all([a.createSnapshot('fiches/seul', first, 'texte A'), b.createSnapshot('fiches/seul', first, 'texte B')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const base = await a.baseOf('fiches/seul');
      expect(['texte A', 'texte B']).toContain(base!.text);
      expect(await b.hasSnapshot('fiches/seul')).toBe(true);
      expect(await b.hasSnapshot('fiches/aucun')).toBe(false);
    });

    it('compacts the journal into snapshots, and keeps the rows a snapshot does not hold', async () => {
      const doc = new Y.Doc();
      await a.createSnapshot('fiches/compacte', Y.encodeStateAsUpdate(doc), null);
      const held = edit(doc, 'tenu');
      await a.appendUpdates([{ document: 'fiches/compacte', update: held, userId: 'alice' }]);
      await a.saveSnapshot('fiches/compacte', doc);
      // An update the snapshot did not see yet (being applied, or received by another server).
      const later = edit(new Y.Doc(), 'plus tard');
      await b.appendUpdates([{ document: 'fiches/compacte', update: later, userId: 'bob' }]);
      await a.saveSnapshot('fiches/compacte', doc);
      const stored = await b.load('fiches/compacte');
      expect(stored.updates).toHaveLength(1);
      expect(rebuild(stored)).toContain('tenu');
      expect(rebuild(stored)).toContain('plus tard');
    });

    it('merges snapshots from two servers, so neither takes away what the other had', async () => {
      const base = new Y.Doc();
      await a.createSnapshot('fiches/deux', Y.encodeStateAsUpdate(base), null);
      const onA = new Y.Doc();
      const onB = new Y.Doc();
      Y.applyUpdate(onA, Y.encodeStateAsUpdate(base));
      Y.applyUpdate(onB, Y.encodeStateAsUpdate(base));
      const fromA = edit(onA, 'sur A');
      const fromB = edit(onB, 'sur B');
      await a.appendUpdates([{ document: 'fiches/deux', update: fromA, userId: 'alice' }]);
      await b.appendUpdates([{ document: 'fiches/deux', update: fromB, userId: 'bob' }]);
      // Each server stores what it has: A never saw B's update, B never saw A's.
      await a.saveSnapshot('fiches/deux', onA);
      await b.saveSnapshot('fiches/deux', onB);
      const text = rebuild(await a.load('fiches/deux'));
      expect(text).toContain('sur A');
      expect(text).toContain('sur B');
      expect((await a.load('fiches/deux')).updates).toHaveLength(0);
    });

    it('forgets only the editors whose updates a commit holds', async () => {
      const doc = new Y.Doc();
      await a.appendUpdates([{ document: 'fiches/credits', update: edit(doc, 'un'), userId: 'alice' }]);
      await a.appendUpdates([{ document: 'fiches/credits', update: edit(doc, 'deux'), userId: 'bob' }]);
      const captured = await a.pendingEditors('fiches/credits');
      // Alice writes again after the capture: her newer update is not in that commit.
      await b.appendUpdates([{ document: 'fiches/credits', update: edit(doc, 'trois'), userId: 'alice' }]);
      await a.clearPendingEditors('fiches/credits', captured);
      expect((await b.pendingEditors('fiches/credits')).map((e) => e.userId)).toEqual(['alice']);
    });

    it('lists documents idle long enough, and the backlog not in Git yet', async () => {
      const doc = new Y.Doc();
      await a.appendUpdates([{ document: 'fiches/calme', update: edit(doc, 'calme'), userId: 'alice' }]);
      await new Promise((r) => setTimeout(r, 300));
      await a.appendUpdates([{ document: 'fiches/active', update: edit(new Y.Doc(), 'active'), userId: 'bob' }]);
      const idle = await b.idleDocuments(250);
      expect(idle).toContain('fiches/calme');
      expect(idle).not.toContain('fiches/active');
      const backlog = await b.backlog();
      expect(backlog.documents).toBeGreaterThanOrEqual(2);
      expect(backlog.oldestAt).toBeLessThan(Date.now());
    });

    it('records a document’s base, and what it was being committed as', async () => {
      const doc = new Y.Doc();
      await a.createSnapshot('fiches/base', Y.encodeStateAsUpdate(doc), 'ancien');
      edit(doc, 'nouveau');
      await a.setCommitting('fiches/base', 'nouveau texte', Y.encodeStateAsUpdate(doc));
      let base = await b.baseOf('fiches/base');
      expect(base).toMatchObject({ text: 'ancien', committingText: 'nouveau texte' });
      await b.setBase('fiches/base', 'nouveau texte', Y.encodeStateAsUpdate(doc));
      base = await a.baseOf('fiches/base');
      expect(base).toMatchObject({ text: 'nouveau texte', committingText: undefined });
      expect(await a.storedDocuments()).toContain('fiches/base');
    });

    it('answers a ping', async () => {
      await expect(a.ping()).resolves.toBeUndefined();
      expect(a.isUnavailable(new Error('UNIQUE constraint failed'))).toBe(false);
    });
  });

  it('PostgreSQL away: the journal holds updates unacknowledged, then writes them once it is back', async () => {
    const url = await postgres!.createDatabase('absente');
    const pool = await openPostgres(url);
    const store = new PostgresDocumentStore(pool);
    const events: string[] = [];
    const writer = new JournalWriter(store, {
      onUnavailable: (documents, _error, first) => events.push(`indisponible ${first} ${documents.join(',')}`),
      onAvailable: (documents) => events.push(`disponible ${documents.join(',')}`),
    });
    try {
      const doc = new Y.Doc();
      await writer.append('fiches/panne', edit(doc, 'avant'), 'alice');
      await postgres!.stop();
      let acknowledged = false;
      const pending = writer.append('fiches/panne', edit(doc, 'pendant'), 'alice').then(() => (acknowledged = true));
      await new Promise((r) => setTimeout(r, 1_500));
      expect(acknowledged).toBe(false);
      expect(writer.unavailable).toBe(true);
      expect(writer.heldUpdates).toBe(1);
      expect(events).toEqual(['indisponible true fiches/panne']);
      await postgres!.start();
      await pending;
      expect(acknowledged).toBe(true);
      expect(events.at(-1)).toBe('disponible fiches/panne');
      expect(rebuild(await store.load('fiches/panne'))).toBe('<paragraph>avant</paragraph><paragraph>pendant</paragraph>');
      expect(store.isUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(true);
    } finally {
      await writer.close();
      await pool.end();
    }
  });
});
