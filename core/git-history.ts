/**
 * The history of the content tree, read from Git in one pass: one `git log -p` for the whole tree,
 * split per file. Contributors and changes of every entry come from here, never from one log per
 * page. A tree outside Git (or without commits) simply has no history.
 *
 * Names go through the repository's `.mailmap` (`%aN`/`%aE` for authors, `git check-mailmap` for
 * the people named in trailers), so technical identities come out as the commons' collective.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Someone who changed the commons (the Git author or a co-author of a commit). */
export interface Person {
  name: string;
  email: string;
}

/** One change of one file by one commit. */
export interface Change {
  /** Full commit id. */
  commit: string;
  /** Author date, ISO 8601. */
  date: string;
  author: Person;
  /** People listed as `Co-authored-by:` in the commit message (several people's edits). */
  coAuthors: Person[];
  /** People listed as `Reviewed-by:`: the commit validates the entry (a relecteur's or administrateur's). */
  reviewers: Person[];
  /** First line of the commit message. */
  subject: string;
  /** Full commit message. */
  message: string;
  /** Path of the file relative to the content tree (`fiches/jardin-partage.mdx`). */
  file: string;
  /** Whether the commit created, modified or deleted the file. */
  status: 'ajout' | 'modification' | 'suppression';
  /** Unified diff of the file in this commit, from its first hunk header. */
  diff: string;
}

/** Changes and contributors of one file. */
export interface FileHistory {
  /** Newest first. */
  changes: Change[];
  /** Everyone who changed the file, in order of first contribution. */
  contributors: Person[];
}

/** A file moved to another path by one commit (Git's rename detection). */
export interface Rename {
  /** Path before, relative to the content tree. */
  from: string;
  /** Path after. */
  to: string;
  commit: string;
  /** Author date, ISO 8601. */
  date: string;
}

/** The history of the whole content tree. */
export interface ContentHistory {
  byFile: Map<string, FileHistory>;
  /** Every change of every file, newest first. */
  changes: Change[];
  /** Every rename, newest first (the changes list them as a deletion and a creation). */
  renames: Rename[];
}

const RECORD = '\x1e';
const FIELD = '\x1f';
/** `git log` format: one record per commit, fields separated, message last and then the patch; names as the .mailmap says. */
export const LOG_FORMAT = `${RECORD}%H${FIELD}%aN${FIELD}%aE${FIELD}%aI${FIELD}%B${FIELD}`;

const EMPTY: ContentHistory = { byFile: new Map(), changes: [], renames: [] };

/**
 * Reads the history of a content tree with a single `git log` (and one more for renames); empty
 * when it is not in Git. `range` (`<from>..<to>`) reads only the commits of that range.
 */
export async function readContentHistory(contentDir: string, range?: string): Promise<ContentHistory> {
  const log = (args: string[]) =>
    // --relative keeps paths relative to the content tree, wherever it sits in its repository.
    run('git', ['-C', contentDir, '-c', 'core.quotePath=false', 'log', '--no-color', '--no-ext-diff', ...args, '--relative', ...(range ? [range] : []), '--', '.'], {
      maxBuffer: 1024 * 1024 * 1024,
      encoding: 'utf8',
    }).then(({ stdout }) => stdout);
  try {
    const [patches, renames] = await Promise.all([
      log(['--no-renames', `--format=${LOG_FORMAT}`, '-p']),
      log(['-M', '--diff-filter=R', '--name-status', `--format=${RECORD}%H${FIELD}%aI${FIELD}`]),
    ]);
    const history = { ...parseGitLog(patches), renames: parseRenames(renames) };
    // A trailer Git cannot read as a contact keeps its name as written.
    await mapTrailerPeople(contentDir, history).catch(() => undefined);
    return history;
  } catch (error) {
    // A tree outside Git has no history; a range that cannot be read is an error.
    if (range) throw error;
    return EMPTY;
  }
}

/** Applies the .mailmap to the people named in trailers, with one `git check-mailmap` for all of them. */
async function mapTrailerPeople(contentDir: string, history: ContentHistory): Promise<void> {
  const contact = (person: Person) => `${person.name} <${person.email}>`;
  const contacts = [...new Set(history.changes.flatMap((change) => [...change.coAuthors, ...change.reviewers].map(contact)))];
  if (contacts.length === 0) return;
  const mapped = await checkMailmap(contentDir, contacts);
  const byContact = new Map(contacts.map((c, i) => [c, mapped[i]]));
  const remap = (person: Person): Person => {
    const match = /^(.*?)\s*<([^>]*)>$/.exec(byContact.get(contact(person)) ?? '');
    return match ? { name: match[1]!, email: match[2]! } : person;
  };
  for (const change of history.changes) {
    change.coAuthors = change.coAuthors.map(remap);
    change.reviewers = change.reviewers.map(remap);
  }
  for (const file of history.byFile.values()) file.contributors = contributorsOf(file.changes);
}

function checkMailmap(cwd: string, contacts: string[]): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['-C', cwd, 'check-mailmap', '--stdin'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(output.split('\n').slice(0, contacts.length)) : reject(new Error(`git check-mailmap : code ${code}`))));
    child.stdin.end(`${contacts.join('\n')}\n`);
  });
}

/**
 * The history once `newer` (read from the commits after those of `older`, e.g. with a range)
 * is added: the same as reading the whole log again when the new commits follow the old ones in a
 * line. Files the new commits did not touch keep their history objects.
 */
export function appendHistory(older: ContentHistory, newer: ContentHistory): ContentHistory {
  const byFile = new Map(older.byFile);
  for (const [file, recent] of newer.byFile) {
    const changes = [...recent.changes, ...(older.byFile.get(file)?.changes ?? [])];
    byFile.set(file, { changes, contributors: contributorsOf(changes) });
  }
  return { byFile, changes: [...newer.changes, ...older.changes], renames: [...newer.renames, ...older.renames] };
}

/** Parses `git log -M --diff-filter=R --name-status` records into renames, newest first. */
function parseRenames(output: string): Rename[] {
  const renames: Rename[] = [];
  for (const record of output.split(RECORD)) {
    const [commit, date, files = ''] = record.split(FIELD);
    if (!commit || !date) continue;
    for (const line of files.split('\n')) {
      const [status, from, to] = line.split('\t');
      if (status?.startsWith('R') && from && to) renames.push({ from, to, commit, date });
    }
  }
  return renames;
}

/** Parses the output of `git log --format=LOG_FORMAT -p` into per-file histories. */
export function parseGitLog(output: string): ContentHistory {
  const changes: Change[] = [];
  for (const record of output.split(RECORD)) {
    if (!record.trim()) continue;
    const [commit, name, email, date, message, patch = ''] = record.split(FIELD);
    if (!commit || !date || message === undefined) continue;
    const author = { name: name ?? '', email: email ?? '' };
    const coAuthors = parsePersonTrailers(message, 'Co-authored-by');
    const reviewers = parsePersonTrailers(message, 'Reviewed-by');
    const trimmed = message.trim();
    const subject = trimmed.split('\n')[0] ?? '';
    for (const filePatch of splitPatch(patch)) {
      changes.push({ commit, date, author, coAuthors, reviewers, subject, message: trimmed, ...filePatch });
    }
  }
  const byFile = new Map<string, FileHistory>();
  for (const change of changes) {
    const history = byFile.get(change.file) ?? { changes: [], contributors: [] };
    history.changes.push(change);
    byFile.set(change.file, history);
  }
  for (const history of byFile.values()) history.contributors = contributorsOf(history.changes);
  return { byFile, changes, renames: [] };
}

/** Everyone who took part in a list of changes (newest first), in order of first contribution. */
export function contributorsOf(changes: readonly Change[]): Person[] {
  const people = new Map<string, Person>();
  for (const change of [...changes].reverse()) {
    for (const person of [change.author, ...change.coAuthors]) {
      const key = (person.email || person.name).toLowerCase();
      if (key && !people.has(key)) people.set(key, person);
    }
  }
  return [...people.values()];
}

/** The people a commit message names in one trailer (`Co-authored-by`, `Reviewed-by`), in order. */
export function parsePersonTrailers(message: string, trailer: 'Co-authored-by' | 'Reviewed-by'): Person[] {
  const people: Person[] = [];
  for (const match of message.matchAll(new RegExp(`^${trailer}:\\s*(.+?)\\s*<([^>]*)>\\s*$`, 'gim'))) {
    people.push({ name: match[1] ?? '', email: match[2] ?? '' });
  }
  return people;
}

function splitPatch(patch: string): Pick<Change, 'file' | 'status' | 'diff'>[] {
  const files: Pick<Change, 'file' | 'status' | 'diff'>[] = [];
  for (const chunk of patch.split(/^diff --git /m).slice(1)) {
    const lines = chunk.split('\n');
    const oldPath = lines.find((l) => l.startsWith('--- '))?.slice(4);
    const newPath = lines.find((l) => l.startsWith('+++ '))?.slice(4);
    const status = oldPath === '/dev/null' ? 'ajout' : newPath === '/dev/null' ? 'suppression' : 'modification';
    const path = status === 'suppression' ? oldPath : newPath;
    // Binary files and mode-only changes have no ---/+++ lines: take the name from the header.
    const file = path && path !== '/dev/null' ? path.replace(/^[ab]\//, '') : (lines[0]?.split(' b/')[1] ?? '');
    const hunkStart = lines.findIndex((l) => l.startsWith('@@'));
    const diff = hunkStart === -1 ? '' : lines.slice(hunkStart).join('\n').replace(/\n+$/, '');
    if (file) files.push({ file, status, diff });
  }
  return files;
}

let cached: Promise<ContentHistory> | undefined;

/** The history of the site's content tree, read once per build. */
export function getContentHistory(contentDir: string): Promise<ContentHistory> {
  cached ??= readContentHistory(contentDir);
  return cached;
}
