/**
 * The content tree's validation in a worker thread: the whole tree once (alongside Astro, which
 * renders on the other core), then, if kept, the files of each commit against the rest
 * (incremental publishing). The thread keeps the checked entries and the INSEE data it loads
 * (about 80 MB) out of the main thread's heap.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { renderBodyTree } from '../../core/body-html.ts';
import { ProblemError, type Problem } from '../../core/problem.ts';
import { checkEntriesTogether, checkEntryFile, inspectContentTree, type CheckedEntry, type CheckedFile } from '../../core/validate-tree.ts';
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
/** Entries rendered while the whole tree is read, sent in batches. */
type Prepared = { prepared: PreparedEntry[] };

/** Starts checking the tree at `contentDir` in a worker thread. */
export function startTreeChecker(contentDir: string): TreeChecker {
  const worker = new Worker(new URL(import.meta.url), { workerData: { treeChecker: contentDir } });
  const waiting = new Map<number, { resolve: (problems: Problem[]) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  // Prepared entries wait here for the loader, or the loader waits here for them.
  const prepared = new Map<string, PreparedEntry>();
  const takers = new Map<string, (entry: PreparedEntry | undefined) => void>();
  let treeRead = false;
  // Nothing more will be prepared: the loader renders itself what it still waits for.
  const endTaking = () => {
    treeRead = true;
    for (const taker of takers.values()) taker(undefined);
    takers.clear();
  };
  const failAll = (error: Error) => {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
    endTaking();
  };
  worker.on('message', (reply: Reply | Prepared) => {
    if ('prepared' in reply) {
      for (const entry of reply.prepared) {
        const taker = takers.get(entry.file);
        takers.delete(entry.file);
        if (taker) taker(entry);
        else prepared.set(entry.file, entry);
      }
      return;
    }
    if (reply.id === 0) endTaking();
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    pending?.resolve(reply.problems);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`la validation s’est arrêtée (code ${code})`)));
  const request = (id: number, files?: ChangedFile[]) =>
    new Promise<Problem[]>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      if (files) worker.postMessage({ id, files });
    });
  // Id 0 is the whole tree, read as soon as the thread starts.
  const problems = request(0);
  return {
    problems,
    check: (files) => request(nextId++, files),
    take(file) {
      const entry = prepared.get(file);
      prepared.delete(file);
      if (entry || treeRead) return Promise.resolve(entry);
      return new Promise((resolve) => takers.set(file, resolve));
    },
    close: async () => {
      await worker.terminate();
    },
  };
}

/** The thread: checks the whole tree, then each change against the entries it keeps. */
async function serveChecks(contentDir: string): Promise<void> {
  // Images change only through a full build (incremental-site.ts): the showable ones stay as read.
  let batch: PreparedEntry[] = [];
  const send = () => {
    if (batch.length) parentPort!.postMessage({ prepared: batch } satisfies Prepared);
    batch = [];
  };
  const inspected = await inspectContentTree(contentDir, (file, text, checked) => {
    const entry = prepare(file, text, checked);
    if (entry && batch.push(entry) >= 32) send();
  });
  send();
  const { medias } = inspected;
  let entries = new Map(inspected.entries.map((entry) => [entry.file, entry]));
  parentPort!.postMessage({ id: 0, problems: inspected.problems } satisfies Reply);
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

/** A valid MDX entry rendered from the tree its check parsed; undefined for anything else (the loader then reads it itself). */
function prepare(file: string, text: string, checked: CheckedFile): PreparedEntry | undefined {
  const { entry, bodyTree } = checked;
  if (!entry || !bodyTree || checked.problems.length) return undefined;
  try {
    return { file, digest: textDigest(text), slug: entry.raw.slug, data: entry.raw.data, body: entry.body, rendered: storedBody(renderBodyTree(bodyTree)) };
  } catch (error) {
    if (error instanceof ProblemError) return undefined;
    throw error;
  }
}

if (!isMainThread && (workerData as { treeChecker?: string } | null)?.treeChecker) {
  await serveChecks((workerData as { treeChecker: string }).treeChecker);
}
