/**
 * The published site, shared by several servers through PostgreSQL.
 *
 * Choice: shared storage, in the PostgreSQL database the servers already share, rather than
 * fetching from the writer. Only the writer builds the site; after each build it stores the
 * version there, content-addressed: each file once by its SHA-256 (`site_files`), and a version
 * as the compressed list of its paths and hashes (`site_versions`), written last, so a version
 * is visible only once complete. Every server looks for a newer version every `pollMs` and
 * brings its own copy up to date: files it already has are hard-linked from the version it
 * serves, only new ones are read from the database. Then DATA_DIR/site moves to the new copy in
 * one step, as after a local build (site-publisher.ts). So no server needs to reach another, a
 * writer that dies takes nothing with it, a new server starts from the last version, and
 * each server keeps serving its files from its own disk even while the database is away.
 *
 * The last `keepVersions` versions are kept; files no kept version lists are removed a while
 * after (never a file just stored for a version being written).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type pg from 'pg';
import { switchSiteVersion } from '../publish/site-publisher.ts';
import { databaseNowMs } from '../storage/postgres-database.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** One file of a version: path (with `/`), SHA-256 in hex, size. */
type ManifestEntry = [path: string, hash: string, size: number];

/** A version as a server holds it on its disk. */
interface LocalVersion {
  id: number;
  /** Its copy here, when this server's mirror made it (files are hard-linked from it). */
  dir: string | undefined;
  files: Map<string, string>;
}

/** Configuration of `SiteMirror`. */
export interface SiteMirrorConfig {
  pool: pg.Pool;
  /** DATA_DIR/site (the link that is served). */
  siteDir: string;
  instanceName: string;
  pollMs: number;
  keepVersions?: number;
  /** A version is served here: its id, and how long it took since it was stored (ms). */
  onServed?(id: number, lagMs: number): void;
  log(message: string): void;
}

/** Bytes of file contents read or written per statement. */
const chunkBytes = 8 * 1024 * 1024;
/** Files unlisted by every kept version are removed this long after they were stored. */
const orphanGraceMs = 10 * 60 * 1000;

/** Shares published versions through PostgreSQL, and serves the newest one. */
export class SiteMirror {
  private current: LocalVersion | undefined;
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  private exports = 0;
  private failing = false;

  private readonly config: SiteMirrorConfig;

  constructor(config: SiteMirrorConfig) {
    this.config = config;
  }

  /** The version served here, if any. */
  get servedVersion(): number | undefined {
    return this.current?.id;
  }

  /** Starts looking for newer versions (and serves the newest at once). */
  start(): Promise<void> {
    const tick = () => {
      this.timer = setTimeout(async () => {
        await this.sync();
        tick();
      }, this.config.pollMs);
      this.timer.unref();
    };
    return this.sync().then(tick);
  }

  /** Stops looking; a copy under way finishes. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.syncing;
  }

  /** Stores a version this server built and serves (the writer): returns its id. */
  async store(versionDir: string, sourceCommit: string | undefined): Promise<number> {
    const { pool } = this.config;
    const entries = await hashTree(versionDir);
    const unique = new Map(entries.map(([path, hash]) => [hash, path]));
    const known = new Set<string>();
    const hashes = [...unique.keys()];
    for (let i = 0; i < hashes.length; i += 5_000) {
      const { rows } = await pool.query<{ hash: Buffer }>('SELECT hash FROM site_files WHERE hash = ANY($1::bytea[])', [hashes.slice(i, i + 5_000).map(fromHex)]);
      for (const row of rows) known.add(row.hash.toString('hex'));
    }
    let batch: { hash: Buffer; content: Buffer }[] = [];
    let bytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await pool.query(
        `INSERT INTO site_files (hash, content, stored_at) SELECT h, c, ${databaseNowMs} FROM unnest($1::bytea[], $2::bytea[]) AS t (h, c) ON CONFLICT (hash) DO NOTHING`,
        [batch.map((f) => f.hash), batch.map((f) => f.content)],
      );
      batch = [];
      bytes = 0;
    };
    for (const [hash, path] of unique) {
      if (known.has(hash)) continue;
      const content = await readFile(join(versionDir, ...path.split('/')));
      batch.push({ hash: fromHex(hash), content });
      bytes += content.length;
      if (bytes >= chunkBytes) await flush();
    }
    await flush();
    const manifest = await gzipAsync(Buffer.from(JSON.stringify(entries)));
    const total = entries.reduce((sum, [, , size]) => sum + size, 0);
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO site_versions (source_commit, manifest, files, bytes, published_by, published_at) VALUES ($1, $2, $3, $4, $5, ${databaseNowMs}) RETURNING id`,
      [sourceCommit ?? null, manifest, entries.length, total, this.config.instanceName],
    );
    const id = Number(rows[0]!.id);
    // Not linked from later: the builder recycles its own versions once they are no longer served.
    this.current = { id, dir: undefined, files: new Map(entries.map(([path, hash]) => [path, hash])) };
    this.config.log(`site : version ${id} partagée (${entries.length} fichiers, ${unique.size - known.size} nouveaux)`);
    if (++this.exports % 10 === 1) await this.prune().catch((error) => this.config.log(`site : nettoyage des versions : ${error.message}`));
    return id;
  }

  /** Serves the newest stored version if it is newer than the one served here. */
  sync(): Promise<void> {
    this.syncing ??= this.syncOnce().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    try {
      const { rows } = await this.config.pool.query<{ id: string; manifest: Buffer; published_at: string }>(
        'SELECT id, manifest, published_at FROM site_versions WHERE id > $1 ORDER BY id DESC LIMIT 1',
        [this.current?.id ?? 0],
      );
      if (this.failing) this.config.log('site : base de données de nouveau joignable');
      this.failing = false;
      const latest = rows[0];
      if (!latest) return;
      const entries = JSON.parse((await gunzipAsync(latest.manifest)).toString('utf8')) as ManifestEntry[];
      const id = Number(latest.id);
      const dir = `${this.config.siteDir}.partage-${id}`;
      await this.materialize(dir, entries);
      await switchSiteVersion(this.config.siteDir, dir);
      this.current = { id, dir, files: new Map(entries.map(([path, hash]) => [path, hash])) };
      const lag = Date.now() - Number(latest.published_at);
      this.config.onServed?.(id, lag);
      this.config.log(`site : version ${id} servie (${entries.length} fichiers, ${lag} ms après sa publication)`);
    } catch (error) {
      if (!this.failing) this.config.log(`site : nouvelle version non récupérée (${(error as Error).message}) ; la version actuelle reste servie`);
      this.failing = true;
    }
  }

  /** Writes a version into `dir`: links for the files the served version has, the rest from the database. */
  private async materialize(dir: string, entries: ManifestEntry[]): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    const missing = new Map<string, string[]>();
    const made = new Set<string>();
    const ensureDir = async (file: string) => {
      const parent = dirname(file);
      if (made.has(parent)) return;
      await mkdir(parent, { recursive: true });
      made.add(parent);
    };
    for (const [path, hash] of entries) {
      const target = join(dir, ...path.split('/'));
      await ensureDir(target);
      if (this.current?.dir && this.current.files.get(path) === hash) {
        const linked = await link(join(this.current.dir, ...path.split('/')), target).then(
          () => true,
          () => false,
        );
        if (linked) continue;
      }
      missing.set(hash, [...(missing.get(hash) ?? []), target]);
    }
    const hashes = [...missing.keys()];
    for (let i = 0; i < hashes.length; i += 200) {
      const { rows } = await this.config.pool.query<{ hash: Buffer; content: Buffer }>('SELECT hash, content FROM site_files WHERE hash = ANY($1::bytea[])', [
        hashes.slice(i, i + 200).map(fromHex),
      ]);
      for (const row of rows) {
        const targets = missing.get(row.hash.toString('hex')) ?? [];
        for (const target of targets) await writeFile(target, row.content);
        missing.delete(row.hash.toString('hex'));
      }
    }
    if (missing.size > 0) throw new Error(`${missing.size} fichiers de la version introuvables dans la base`);
  }

  /** Forgets old versions, and files no kept version lists (once they are old enough). */
  private async prune(): Promise<void> {
    const { pool } = this.config;
    const keep = this.config.keepVersions ?? 5;
    await pool.query('DELETE FROM site_versions WHERE id <= (SELECT max(id) FROM site_versions) - $1', [keep]);
    const { rows } = await pool.query<{ manifest: Buffer }>('SELECT manifest FROM site_versions');
    const listed = new Set<string>();
    for (const row of rows) for (const [, hash] of JSON.parse((await gunzipAsync(row.manifest)).toString('utf8')) as ManifestEntry[]) listed.add(hash);
    const result = await pool.query(`DELETE FROM site_files WHERE stored_at < ${databaseNowMs} - $1 AND NOT (hash = ANY($2::bytea[]))`, [orphanGraceMs, [...listed].map(fromHex)]);
    if (result.rowCount) this.config.log(`site : ${result.rowCount} fichiers d’anciennes versions retirés de la base`);
  }
}

/** Every file under `root`, with its SHA-256 and size, sorted by path. */
async function hashTree(root: string): Promise<ManifestEntry[]> {
  const entries: ManifestEntry[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(file)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    entries.push([relative(root, file).split(sep).join('/'), hash.digest('hex'), size]);
  }
  return entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function fromHex(hash: string): Buffer {
  return Buffer.from(hash, 'hex');
}
