/**
 * The site worker: a process the editor server starts (site-publisher.ts) and talks to over IPC
 * (editor-server/src/publish/site-worker-protocol.ts). Its first request builds the whole site of
 * CONTENT_DIR and keeps the compiled site; every later one publishes only what the new commits
 * affect (lib/incremental-site.ts), into version directories made of links to the previous one
 * (lib/site-versions.ts). When a commit asks for a full build, the worker says so and the server
 * starts a new one: one full build per process, so nothing of an older build lingers in memory.
 */
import { resolve } from 'node:path';
import { formatProblem, ProblemError } from '../core/problem.ts';
import type { SiteWorkerReply, SiteWorkerRequest } from '../editor-server/src/publish/site-worker-protocol.ts';
import { FullBuildNeeded, IncrementalSite, type StepResult } from './lib/incremental-site.ts';
import { SiteVersions } from './lib/site-versions.ts';

const contentDir = resolve(process.env.CONTENT_DIR ?? 'content');
const versions = new SiteVersions();
let site: IncrementalSite | undefined;
/** Stops the step 2 under way (an `interrupt` request). */
let indexing: AbortController | undefined;

/** Answers one request. */
async function handle(request: Exclude<SiteWorkerRequest, { type: 'interrupt' }>): Promise<SiteWorkerReply> {
  const { id } = request;
  if (request.type === 'release') {
    await versions.release(request.dir);
    return { id, ok: true };
  }
  if (!site) {
    if (request.type === 'finish') return { id, ok: false, error: 'aucun site construit par ce processus', restart: 'now' };
    const started = performance.now();
    const built = await IncrementalSite.build(contentDir, request.dir);
    site = built.site;
    versions.built(request.dir);
    versions.prepareAhead(request.dir);
    return { id, ok: true, commit: site.publishedCommit, pending: false, full: true, timings: { total: Math.round(performance.now() - started) } };
  }
  const started = performance.now();
  if (!request.current) throw new FullBuildNeeded('aucune version en ligne à compléter');
  const interruptible = (indexing = request.type === 'finish' ? new AbortController() : undefined);
  await versions.prepare(request.dir, request.current);
  const copied = Math.round(performance.now() - started);
  let result: StepResult;
  try {
    result = request.type === 'publish' ? await site.update(request.dir) : await site.finish(request.dir, interruptible?.signal);
  } catch (error) {
    const discarded = versions.release(request.dir).catch(() => undefined);
    // Interrupted: the next commit's pages wait for nothing; the unfinished version goes meanwhile.
    if (interruptible?.signal.aborted) return { id, ok: true, interrupted: true, pending: true };
    await discarded;
    throw error;
  } finally {
    indexing = undefined;
  }
  versions.stepped(request.dir, { files: [...result.written, ...result.removed], folders: result.replaced });
  versions.prepareAhead(request.dir);
  return {
    id,
    ok: true,
    commit: result.commit,
    pending: result.pending,
    full: false,
    rendered: result.rendered,
    written: result.written.length,
    shards: result.replaced.length,
    timings: { copie: copied, ...result.timings, total: Math.round(performance.now() - started) },
  };
}

function describe(error: unknown): string {
  if (error instanceof ProblemError) return error.problems.map(formatProblem).join('\n');
  return error instanceof Error ? error.message : String(error);
}

let queue = Promise.resolve();
process.on('message', (request: SiteWorkerRequest) => {
  // Not queued: it stops the step being answered now.
  if (request.type === 'interrupt') return void indexing?.abort();
  queue = queue.then(async () => {
    const reply = await handle(request).catch(
      (error: unknown): SiteWorkerReply => ({ id: request.id, ok: false, error: describe(error), restart: error instanceof FullBuildNeeded ? 'now' : 'later' }),
    );
    process.send!(reply);
  });
});
process.on('disconnect', () => {
  void versions.close().finally(() => process.exit(0));
});
