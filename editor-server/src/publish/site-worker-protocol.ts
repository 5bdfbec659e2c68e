/**
 * Messages between the site publisher (site-publisher.ts) and the site worker
 * (scripts/site-worker.ts), a process of its own that keeps the compiled site between commits.
 * Each request carries an id; the worker answers each one, in order.
 */

/** What the publisher asks. */
export type SiteWorkerRequest =
  /** Step 1: the site at HEAD (whole at the first request, else the pages a commit affects) into `dir`, a copy of `current`. */
  | { id: number; type: 'publish'; dir: string; current: string | undefined }
  /** Step 2: what step 1 left (the search index, pages that only show counts) into `dir`, a copy of `current`. */
  | { id: number; type: 'finish'; dir: string; current: string }
  /** `dir`, a version the worker made, is read by no one any more. */
  | { id: number; type: 'release'; dir: string }
  /** Stop the step 2 under way, if any: it answers `interrupted` (and leaves nothing). Not answered itself. */
  | { id: number; type: 'interrupt' };

/** What the worker answers. */
export type SiteWorkerReply =
  | {
      id: number;
      ok: true;
      /** Commit the version shows. */
      commit?: string;
      /** Whether a second step is left. */
      pending?: boolean;
      /** A step 2 stopped by `interrupt`: nothing written, still to do. */
      interrupted?: boolean;
      /** Whether the step was a full build. */
      full?: boolean;
      /** Pages rendered, files written. */
      rendered?: number;
      written?: number;
      /** Shards of the search index made again. */
      shards?: number;
      /** Milliseconds per phase. */
      timings?: Record<string, number>;
    }
  | {
      id: number;
      ok: false;
      /** French, with the problems of the content if any. */
      error: string;
      /**
       * `now`: the commit needs a full build, which only a new worker makes: start one and ask it
       * again; `later`: this worker cannot go on from its state, the next request goes to a new one.
       */
      restart: 'now' | 'later';
    };
