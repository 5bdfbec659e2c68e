/**
 * The versions of the published site, each a whole directory, made from the one before with hard
 * links: a new version costs the files it changes, not a copy of the site. A file is never written
 * through a link (lib/incremental-site.ts writes a new file and renames it), so versions never
 * share a change.
 *
 * Linking every file of a large site still takes seconds (43,000 files at 10,000 entries). So a
 * version no reader uses any more is kept as a spare and brought up to date with the files the
 * versions after it changed — ahead, after each step, while the server is idle, so that the next
 * step starts from a ready copy.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { link, mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What a version changed from the one before: files, and folders replaced whole. */
export interface VersionChanges {
  files: string[];
  folders: string[];
}

/** Past this many changed files, a spare is not worth refreshing: the site is linked anew. */
const MAX_REFRESH = 20_000;

/** Version directories, made and recycled (see the module comment). */
export class SiteVersions {
  private latest = 0;
  /** Which version each known directory holds. */
  private readonly holds = new Map<string, number>();
  /** What each version changed; `undefined` for a full build (everything). */
  private readonly changes = new Map<number, VersionChanges | undefined>();
  private readonly spares: string[] = [];
  private serial = 0;
  private preparing: Promise<void> | undefined;

  /** `dir` now holds a new version made from nothing (a full build). */
  built(dir: string): void {
    this.record(dir, undefined);
  }

  /** `dir` now holds a new version: the previous one with `changes`. */
  stepped(dir: string, changes: VersionChanges): void {
    this.record(dir, changes);
  }

  /** Makes `dir` (which does not exist) a copy of `current`, the latest version. */
  async prepare(dir: string, current: string): Promise<void> {
    await this.preparing;
    const version = this.holds.get(current);
    if (version !== this.latest) throw new Error(`${current} n’est pas la dernière version publiée`);
    const spare = this.pickSpare();
    if (spare) {
      await this.refresh(spare.dir, spare.version, current);
      await rename(spare.dir, dir);
    } else {
      await linkCopy(current, dir);
    }
  }

  /**
   * Makes a spare hold `current` in the background, so that the next step starts at once (call
   * when idle): the most recent spare is brought up to date, or, if there is none, one is made.
   */
  prepareAhead(current: string): void {
    if (this.preparing || this.holds.get(current) !== this.latest) return;
    const version = this.latest;
    const spare = this.pickSpare();
    if (spare?.version === version) return void this.keepSpare(spare.dir, version);
    const dir = spare?.dir ?? this.spareName(current);
    const made = spare ? this.refresh(spare.dir, spare.version, current) : linkCopy(current, dir);
    this.preparing = made
      .then(() => this.keepSpare(dir, version))
      .catch(() => rm(dir, { recursive: true, force: true }))
      .finally(() => (this.preparing = undefined));
  }

  /** A version no reader uses any more: kept as a spare when it can be refreshed, else deleted. */
  async release(dir: string): Promise<void> {
    if (this.holds.has(dir) && this.spares.length < 2) {
      const spare = this.spareName(dir);
      await rename(dir, spare);
      this.holds.set(spare, this.holds.get(dir)!);
      this.holds.delete(dir);
      this.spares.push(spare);
      return;
    }
    this.holds.delete(dir);
    await rm(dir, { recursive: true, force: true });
  }

  /** Deletes the spares (when the process stops). */
  async close(): Promise<void> {
    await this.preparing;
    for (const spare of this.spares.splice(0)) await rm(spare, { recursive: true, force: true });
  }

  /** A name beside the versions that the publisher does not take for one (`site.spare-…`). */
  private spareName(version: string): string {
    return join(dirname(version), `${basename(version).replace(/\.v[^.]+$/, '')}.spare-${process.pid}-${++this.serial}`);
  }

  /** Files changed by the versions after `version`; `undefined` if one of them is a full build. */
  private filesChangedSince(version: number): number | undefined {
    let count = 0;
    for (let v = version + 1; v <= this.latest; v++) {
      const changes = this.changes.get(v);
      if (!changes) return undefined;
      count += changes.files.length;
    }
    return count;
  }

  /** `dir` holds `version` and is free for the next step (unless a full build made it useless). */
  private keepSpare(dir: string, version: number): void {
    if (this.filesChangedSince(version) === undefined) return void rm(dir, { recursive: true, force: true });
    this.holds.set(dir, version);
    this.spares.push(dir);
  }

  private record(dir: string, changes: VersionChanges | undefined): void {
    this.latest++;
    this.holds.set(dir, this.latest);
    this.changes.set(this.latest, changes);
    // A spare older than a full build cannot be refreshed.
    if (!changes) for (const spare of this.spares.splice(0)) void rm(spare, { recursive: true, force: true });
  }

  /** The most recent spare that can be brought up to date, or none. */
  private pickSpare(): { dir: string; version: number } | undefined {
    this.spares.sort((a, b) => this.holds.get(b)! - this.holds.get(a)!);
    const dir = this.spares[0];
    if (!dir) return undefined;
    const version = this.holds.get(dir)!;
    const count = this.filesChangedSince(version);
    if (count === undefined || count > MAX_REFRESH) return undefined;
    this.spares.shift();
    this.holds.delete(dir);
    return { dir, version };
  }

  /** Brings `spare` (holding `version`) to what `current` holds, file by file. */
  private async refresh(spare: string, version: number, current: string): Promise<void> {
    const files = new Set<string>();
    const folders = new Set<string>();
    for (let v = version + 1; v <= this.latest; v++) {
      const changes = this.changes.get(v)!;
      for (const file of changes.files) files.add(file);
      for (const folder of changes.folders) folders.add(folder);
    }
    for (const folder of folders) {
      await rm(join(spare, folder), { recursive: true, force: true });
      if (existsSync(join(current, folder))) await linkCopy(join(current, folder), join(spare, folder));
    }
    for (const file of files) {
      if ([...folders].some((folder) => file.startsWith(`${folder}/`))) continue;
      await rm(join(spare, file), { force: true });
      if (existsSync(join(current, file))) {
        await mkdir(dirname(join(spare, file)), { recursive: true });
        await link(join(current, file), join(spare, file));
      } else {
        await removeEmptyFolders(spare, dirname(file));
      }
    }
  }
}

/** A copy of a directory made of hard links (GNU cp does it without a round trip per file). */
async function linkCopy(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await run('cp', ['-al', from, to]);
}

async function removeEmptyFolders(root: string, folder: string): Promise<void> {
  for (; folder !== '.' && folder !== '/'; folder = dirname(folder)) {
    const entries = await readdir(join(root, folder)).catch(() => undefined);
    if (!entries || entries.length > 0) return;
    await rmdir(join(root, folder)).catch(() => undefined);
  }
}
