/**
 * The content tree's validation in worker threads, alongside Astro: the whole tree once, then, if
 * kept, the files of each commit against the rest (incremental publishing). Reading the whole
 * tree is shared: a helper thread checks every other file on its own and hands its entries to
 * the main checker, which checks the rest, then the entries against each other, and keeps them.
 * Astro's content loader waits for these entries (below), so two threads halve that wait on a
 * machine with two cores or more. The threads keep the checked entries and the INSEE data they
 * load (about 80 MB) out of the main thread's heap.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, MessageChannel, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { renderBodyTree } from '../../core/body-html.ts';
import { readEntry } from '../../core/content-files.ts';
import { ProblemError, sortProblems, type Problem } from '../../core/problem.ts';
import { checkContentFiles, checkEntriesTogether, checkEntryFile, checkMediaFiles, listContentTree, type CheckedEntry, type CheckedFile, type OnCheckedFile } from '../../core/validate-tree.ts';
import { storedBody, textDigest, type PreparedEntries, type PreparedEntry } from '../../site/src/lib/prepared-entries.ts';

/** A file of a commit: its path in the tree and its text now (undefined: removed). */
export interface ChangedFile {
  file: string;
  text: string | undefined;
}

/**
 * Validation of a content tree running in a worker thread. While it reads the whole tree, it
 * renders each valid MDX body for the site's content loader (`take`), from the tree it parsed.
 */
export interface TreeChecker extends PreparedEntries {
  /** Problems of the whole tree, as read at start (empty: valid). */
  problems: Promise<Problem[]>;
  /** Problems of the tree with these files changed; when there are none, the change is kept. */
  check(files: ChangedFile[]): Promise<Problem[]>;
  /** Stops the thread. */
  close(): Promise<void>;
}

type Reply = { id: number; problems: Problem[] };
/** Entries rendered while the whole tree is read, sent in batches; `done` after a thread's last one. */
type Prepared = { prepared: PreparedEntry[]; done?: true };
/** What the helper found in its share of the tree, for the main checker. */
type Share = { problems: Problem[]; entries: SentEntry[] };
/** A checked entry as it crosses between threads: its raw file without the function that finds lines. */
type SentEntry = Omit<CheckedEntry, 'raw'> & { raw: Omit<CheckedEntry['raw'], 'lineOf'>; text: string };

/** What a thread of the checker is given. */
interface ThreadSetup {
  treeChecker: string;
  /** Which files of the sorted tree it reads: those whose index modulo `count` is `index`. */
  share: { index: number; count: number };
  /** The helper's side of the channel to the main checker (absent with one thread). */
  port?: MessagePort;
}

/** Starts checking the tree at `contentDir` in worker threads. */
export function startTreeChecker(contentDir: string): TreeChecker {
  const count = Math.min(2, availableParallelism());
  const channel = count > 1 ? new MessageChannel() : undefined;
  const start = (index: number, port?: MessagePort) =>
    new Worker(new URL(import.meta.url), { workerData: { treeChecker: contentDir, share: { index, count }, port } satisfies ThreadSetup, transferList: port ? [port] : [] });
  const worker = start(0, channel?.port1);
  const helper = channel ? start(1, channel.port2) : undefined;
  const waiting = new Map<number, { resolve: (problems: Problem[]) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  // Prepared entries wait here for the loader, or the loader waits here for them.
  const prepared = new Map<string, PreparedEntry>();
  const takers = new Map<string, (entry: PreparedEntry | undefined) => void>();
  let preparing = count;
  // Nothing more will be prepared: the loader renders itself what it still waits for.
  const endTaking = () => {
    preparing = 0;
    for (const taker of takers.values()) taker(undefined);
    takers.clear();
  };
  const failAll = (error: Error) => {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
    endTaking();
  };
  const receivePrepared = (batch: Prepared) => {
    for (const entry of batch.prepared) {
      const taker = takers.get(entry.file);
      takers.delete(entry.file);
      if (taker) taker(entry);
      else prepared.set(entry.file, entry);
    }
    if (batch.done && --preparing === 0) endTaking();
  };
  worker.on('message', (reply: Reply | Prepared) => {
    if ('prepared' in reply) return receivePrepared(reply);
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    pending?.resolve(reply.problems);
  });
  helper?.on('message', receivePrepared);
  for (const thread of [worker, helper]) {
    thread?.on('error', failAll);
    // The helper leaves once its share is handed over; the checker only when closed.
    thread?.on('exit', (code) => (thread === helper && code === 0 ? undefined : failAll(new Error(`la validation s’est arrêtée (code ${code})`))));
  }
  const request = (id: number, files?: ChangedFile[]) =>
    new Promise<Problem[]>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      if (files) worker.postMessage({ id, files });
    });
  // Id 0 is the whole tree, read as soon as the threads start.
  const problems = request(0);
  return {
    problems,
    check: (files) => request(nextId++, files),
    take(file) {
      const entry = prepared.get(file);
      prepared.delete(file);
      if (entry || preparing === 0) return Promise.resolve(entry);
      return new Promise((resolve) => takers.set(file, resolve));
    },
    close: async () => {
      await Promise.all([worker.terminate(), helper?.terminate()]);
    },
  };
}

/** A thread's share of the tree: checks its files, rendering each valid body for the loader as it goes. */
async function checkShare(contentDir: string, { index, count }: ThreadSetup['share'], alsoOnFile?: OnCheckedFile) {
  const listed = await listContentTree(contentDir);
  const files = listed.files.filter((_, i) => i % count === index);
  let batch: PreparedEntry[] = [];
  const send = (done?: true) => {
    if (batch.length || done) parentPort!.postMessage({ prepared: batch, ...(done ? { done } : {}) } satisfies Prepared);
    batch = [];
  };
  const onFile: OnCheckedFile = (file, text, checked) => {
    const entry = prepare(file, text, checked);
    if (entry && batch.push(entry) >= 32) send();
    alsoOnFile?.(file, text, checked);
  };
  const checked = await checkContentFiles(contentDir, files, onFile);
  send(true);
  return { listed, checked };
}

/** The helper: checks its share and hands it to the main checker. */
async function serveShare({ treeChecker, share, port }: ThreadSetup): Promise<void> {
  const entries: SentEntry[] = [];
  const { checked } = await checkShare(treeChecker, share, (_, text, { entry }) => {
    if (!entry) return;
    const { lineOf: _lineOf, ...raw } = entry.raw;
    entries.push({ ...entry, raw, text });
  });
  port!.postMessage({ problems: checked.problems, entries } satisfies Share);
  port!.close();
}

/** The checker: its share of the tree and the helper's, checked together, then each change against the entries it keeps. */
async function serveChecks({ treeChecker: contentDir, share, port }: ThreadSetup): Promise<void> {
  const helped = port ? new Promise<Share>((resolve) => port.once('message', resolve)) : undefined;
  const { listed, checked } = await checkShare(contentDir, share);
  // Images change only through a full build (incremental-site.ts): the showable ones stay as read.
  const { problems: mediaProblems, showable: medias } = await checkMediaFiles(contentDir, listed.mediaFiles);
  const other = (await helped) ?? { problems: [], entries: [] };
  const tree = [...checked.entries, ...other.entries.map(receivedEntry)].sort((a, b) => (a.file < b.file ? -1 : 1));
  const problems = sortProblems([...listed.problems, ...mediaProblems, ...checked.problems, ...other.problems, ...checkEntriesTogether(tree, medias)]);
  let entries = new Map(tree.map((entry) => [entry.file, entry]));
  parentPort!.postMessage({ id: 0, problems } satisfies Reply);
  parentPort!.on('message', ({ id, files }: { id: number; files: ChangedFile[] }) => {
    const problems: Problem[] = [];
    const next = new Map(entries);
    const subjects: CheckedEntry[] = [];
    let removed = false;
    for (const { file, text } of files) {
      removed ||= next.delete(file) && text === undefined;
      if (text === undefined) continue;
      const checked = checkEntryFile(file, text);
      problems.push(...checked.problems);
      if (checked.entry) next.set(file, checked.entry), subjects.push(checked.entry);
    }
    const all = [...next.values()];
    // Links of the changed entries; of every entry when one is gone (others may point to it).
    problems.push(...checkEntriesTogether(all, medias, removed ? all : subjects));
    if (problems.length === 0) entries = next;
    parentPort!.postMessage({ id, problems } satisfies Reply);
  });
}

/** An entry from the helper, whose lines are found again from its text when a problem needs one. */
function receivedEntry({ text, ...entry }: SentEntry): CheckedEntry {
  let lines: CheckedEntry['raw'] | undefined;
  return { ...entry, raw: { ...entry.raw, lineOf: (path) => (lines ??= readEntry(entry.file, text)).lineOf(path) } };
}

/** A valid MDX entry rendered from the tree its check parsed; undefined for anything else (the loader then reads it itself). */
function prepare(file: string, text: string, checked: CheckedFile): PreparedEntry | undefined {
  const { entry, bodyTree } = checked;
  if (!entry || !bodyTree || checked.problems.length) return undefined;
  try {
    return { file, digest: textDigest(text), slug: entry.raw.slug, data: entry.raw.data, rendered: storedBody(renderBodyTree(bodyTree)) };
  } catch (error) {
    if (error instanceof ProblemError) return undefined;
    throw error;
  }
}

const setup = isMainThread ? undefined : (workerData as ThreadSetup | null);
if (setup?.treeChecker) await (setup.share.index === 0 ? serveChecks(setup) : serveShare(setup));
