/**
 * GET /metrics in Prometheus text format (prom-client): connections, open documents, the journal
 * (batches, latency, updates held while the database is away, backlog not in Git yet), commits,
 * site publications, and whether this server is the Git writer. One registry per server, so that
 * several servers in one process (tests) keep their figures apart. With METRICS_TOKEN set, the
 * route asks for `Authorization: Bearer <token>`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JournalBacklog } from '../storage/document-store.ts';

/** Where the figures read at scrape time come from. */
export interface MetricSources {
  connections(): number;
  documents(): number;
  backlog(): Promise<JournalBacklog>;
  /** 1 when this server writes Git. */
  writer(): number;
  /** Updates waiting for the database (held, unacknowledged). */
  heldUpdates(): number;
}

/** The figures of one server. */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly journalBatchSeconds: Histogram;
  readonly journalUpdates: Counter;
  readonly commits: Counter<'outcome'>;
  readonly commitSeconds: Histogram;
  readonly publishSeconds: Histogram;
  readonly siteVersionLagSeconds: Histogram;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'terreau_process_' });
    new Gauge({ name: 'terreau_connections', help: 'Connexions de collaboration ouvertes', registers, collect() { this.set(sources.connections()); } });
    new Gauge({ name: 'terreau_documents', help: 'Documents ouverts en mémoire', registers, collect() { this.set(sources.documents()); } });
    new Gauge({ name: 'terreau_git_writer', help: '1 si ce serveur est l’écrivain Git', registers, collect() { this.set(sources.writer()); } });
    new Gauge({ name: 'terreau_journal_held_updates', help: 'Mises à jour retenues, base de données injoignable', registers, collect() { this.set(sources.heldUpdates()); } });
    new Gauge({
      name: 'terreau_journal_backlog_documents',
      help: 'Documents modifiés pas encore commités',
      registers,
      async collect() {
        this.set((await sources.backlog().catch(() => ({ documents: Number.NaN }))).documents);
      },
    });
    new Gauge({
      name: 'terreau_journal_backlog_oldest_seconds',
      help: 'Âge de la plus ancienne modification pas encore commitée',
      registers,
      async collect() {
        const backlog = await sources.backlog().catch(() => undefined);
        this.set(backlog?.oldestAt === undefined ? 0 : Math.max(0, (Date.now() - backlog.oldestAt) / 1000));
      },
    });
    this.journalBatchSeconds = new Histogram({
      name: 'terreau_journal_batch_seconds',
      help: 'Durée d’écriture d’un lot du journal (transaction validée)',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.journalUpdates = new Counter({ name: 'terreau_journal_updates_total', help: 'Mises à jour journalisées', registers });
    this.commits = new Counter({ name: 'terreau_git_commits_total', help: 'Essais de commit, par résultat', labelNames: ['outcome'], registers });
    this.commitSeconds = new Histogram({ name: 'terreau_git_commit_seconds', help: 'Durée d’un commit (capture, validation, poussée)', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10], registers });
    this.publishSeconds = new Histogram({ name: 'terreau_site_publish_seconds', help: 'Durée d’une publication du site', buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300], registers });
    this.siteVersionLagSeconds = new Histogram({
      name: 'terreau_site_version_lag_seconds',
      help: 'Délai entre la publication d’une version par l’écrivain et son service ici',
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
  }

  /** Serves the figures, behind the token when one is set. */
  async serve(request: IncomingMessage, response: ServerResponse, token: string | undefined): Promise<void> {
    if (token && !sameSecret(String(request.headers.authorization ?? ''), `Bearer ${token}`)) {
      response.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer' }).end('jeton requis : Authorization: Bearer <METRICS_TOKEN>');
      return;
    }
    const text = await this.registry.metrics();
    response.writeHead(200, { 'Content-Type': this.registry.contentType, 'Cache-Control': 'no-store' }).end(text);
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
