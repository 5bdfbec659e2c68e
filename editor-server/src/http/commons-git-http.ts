/**
 * `<site>/commons.git`: the commons repository over Git's smart HTTP, read-only, served by Git's
 * own `git http-backend` (a CGI program) so that every Git client — the stock `git`, isomorphic-git,
 * a forge's mirror — gets exactly what Git serves: full history, shallow and partial clones,
 * protocol v2. Pushes are refused with a message Git prints as is. Backends run a few at a time,
 * each with a time limit; the others wait in a short queue, and beyond it are asked to come back.
 */
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestClientAddress, type TrustedProxies } from './client-address.ts';

/** Limits of the clone service. */
export interface CloneLimits {
  /** Backends running at once (each is one `git upload-pack`, CPU-bound while it packs). */
  maxConcurrent: number;
  /** Requests waiting for a backend; more are answered 503 with Retry-After. */
  maxQueued: number;
  /** Backends running at once for one client address. */
  maxPerAddress: number;
  /** A backend still running after this long is stopped and its response cut. */
  timeoutMs: number;
  /** Largest request body (the want/have negotiation of a fetch). */
  maxRequestBytes: number;
}

/** Where the commons is and how hard the clone service may work. */
export interface CommonsGitHttpConfig {
  repoDir: string;
  limits: CloneLimits;
  /** Reverse proxies whose X-Forwarded-For names the client (per-address clone limits). */
  trustedProxies: TrustedProxies;
  log: (message: string) => void;
}

/** URL prefix of the commons repository. */
export const COMMONS_GIT_PATH = '/commons.git';

/** What a push to the read-only commons is told (Git prints it after « remote error: »). */
export const readOnlyMessage =
  'ce dépôt est en lecture seule : clonez-le (git clone), modifiez votre copie, et proposez vos changements depuis l’éditeur du site ou en publiant votre copie';

/** Serves the commons repository read-only through `git http-backend`. */
export class CommonsGitHttp {
  private running = 0;
  private readonly perAddress = new Map<string, number>();
  private readonly waiting: (() => void)[] = [];

  private readonly config: CommonsGitHttpConfig;

  constructor(config: CommonsGitHttpConfig) {
    this.config = config;
  }

  /** Whether a request path belongs to the commons repository. */
  static handles(pathname: string): boolean {
    return pathname === COMMONS_GIT_PATH || pathname.startsWith(`${COMMONS_GIT_PATH}/`);
  }

  /** Backends running now (health, tests). */
  get activeBackends(): number {
    return this.running;
  }

  /** Handles one request under /commons.git. */
  async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const rest = url.pathname.slice(COMMONS_GIT_PATH.length);
    const method = request.method ?? 'GET';
    if (rest === '' || rest === '/') {
      // A person who opens the address in a browser lands on the page that explains it.
      response.writeHead(302, { Location: '/reutiliser/#copier-tout-le-commun' }).end();
      return;
    }
    if (rest === '/git-receive-pack' || (rest === '/info/refs' && url.searchParams.get('service') === 'git-receive-pack')) {
      return refusePush(response, rest === '/info/refs');
    }
    if (!isServedPath(rest) || (method !== 'GET' && method !== 'HEAD' && method !== 'POST') || (method === 'POST' && rest !== '/git-upload-pack')) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Introuvable dans le dépôt du commun.\n');
      return;
    }
    const address = requestClientAddress(request, this.config.trustedProxies);
    if ((this.perAddress.get(address) ?? 0) >= this.config.limits.maxPerAddress) {
      return busy(response, `trop de clonages simultanés depuis votre adresse (${this.config.limits.maxPerAddress} au plus) : réessayez dans un instant`);
    }
    if (this.running >= this.config.limits.maxConcurrent && this.waiting.length >= this.config.limits.maxQueued) {
      return busy(response, 'le serveur clone déjà pour beaucoup de monde : réessayez dans un instant');
    }
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    try {
      await this.acquire();
      try {
        await this.runBackend(request, response, rest, url.search.slice(1));
      } finally {
        this.release();
      }
    } finally {
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.perAddress.delete(address);
      else this.perAddress.set(address, left);
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.config.limits.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    // The slot is handed over by `release`, so the count never drops between two holders.
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  /** Runs one `git http-backend` for the request and streams its answer. */
  private runBackend(request: IncomingMessage, response: ServerResponse, rest: string, query: string): Promise<void> {
    const { limits, repoDir, log } = this.config;
    return new Promise((done) => {
      // A fresh environment: the server's own (COMMONS_REMOTE credentials…) never reaches Git here.
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: repoDir,
        GIT_PROJECT_ROOT: repoDir,
        PATH_INFO: `/.git${rest}`,
        QUERY_STRING: query,
        REQUEST_METHOD: request.method ?? 'GET',
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_ADDR: requestClientAddress(request, this.config.trustedProxies),
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_COUNT: '3',
        GIT_CONFIG_KEY_0: 'http.receivepack',
        GIT_CONFIG_VALUE_0: 'false',
        GIT_CONFIG_KEY_1: 'uploadpack.allowFilter',
        GIT_CONFIG_VALUE_1: 'true',
        GIT_CONFIG_KEY_2: 'safe.directory',
        GIT_CONFIG_VALUE_2: '*',
      };
      const contentType = request.headers['content-type'];
      if (contentType) env.CONTENT_TYPE = contentType;
      const encoding = request.headers['content-encoding'];
      if (encoding) env.HTTP_CONTENT_ENCODING = encoding;
      const protocol = request.headers['git-protocol'];
      if (typeof protocol === 'string') env.GIT_PROTOCOL = protocol;
      const length = request.headers['content-length'];
      if (length) env.CONTENT_LENGTH = length;

      const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        done();
      };
      const stop = (why: string) => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        if (!response.headersSent) {
          response.writeHead(why === 'délai' ? 504 : 413, { 'Content-Type': 'text/plain; charset=utf-8' });
          response.end(why === 'délai' ? 'Clonage trop long : arrêté. Réessayez, ou faites un clonage superficiel (--depth 1).\n' : 'Requête trop volumineuse.\n');
        } else {
          response.destroy();
        }
      };
      const timer = setTimeout(() => {
        log(`clonage arrêté après ${Math.round(limits.timeoutMs / 1000)} s`);
        stop('délai');
      }, limits.timeoutMs);
      timer.unref();

      let received = 0;
      request.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > limits.maxRequestBytes) {
          request.unpipe(child.stdin);
          stop('taille');
        }
      });
      request.pipe(child.stdin).on('error', () => undefined);
      // The client left: stop packing for nobody.
      response.on('close', () => {
        if (!response.writableFinished && child.exitCode === null) child.kill('SIGKILL');
      });

      let errors = '';
      child.stderr.on('data', (chunk) => (errors = (errors + String(chunk)).slice(-2000)));
      let head = Buffer.alloc(0);
      let headersDone = false;
      child.stdout.on('data', (chunk: Buffer) => {
        if (headersDone) {
          if (!response.write(chunk)) {
            child.stdout.pause();
            response.once('drain', () => child.stdout.resume());
          }
          return;
        }
        head = Buffer.concat([head, chunk]);
        const end = findHeaderEnd(head);
        if (!end) return;
        headersDone = true;
        const { status, headers } = parseCgiHeaders(head.subarray(0, end.index).toString('latin1'));
        if (!response.headersSent) response.writeHead(status, { ...headers, 'X-Content-Type-Options': 'nosniff' });
        const body = head.subarray(end.index + end.length);
        if (body.length) response.write(body);
      });
      child.on('error', (error) => {
        log(`git http-backend : ${error.message}`);
        if (!response.headersSent) response.writeHead(500).end();
        finish();
      });
      child.on('close', (code) => {
        if (!response.headersSent) {
          if (code !== 0 && errors) log(`git http-backend (${code}) : ${errors.trim()}`);
          response.writeHead(code === 0 ? 200 : 500).end();
        } else if (!response.writableEnded && !response.destroyed) {
          response.end();
        }
        finish();
      });
    });
  }
}

/** Paths Git's clients ask for (smart and dumb protocol); nothing else of .git/ is exposed. */
function isServedPath(rest: string): boolean {
  return (
    rest === '/info/refs' ||
    rest === '/git-upload-pack' ||
    rest === '/HEAD' ||
    /^\/objects\/(info\/(alternates|http-alternates|packs)|[0-9a-f]{2}\/[0-9a-f]{38,62}|pack\/pack-[0-9a-f]{40,64}\.(pack|idx))$/.test(rest)
  );
}

/** Answers a push: in the smart protocol's own words when Git asks for the refs, so Git prints the reason. */
function refusePush(response: ServerResponse, advertisement: boolean): void {
  if (!advertisement) {
    response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${readOnlyMessage}\n`);
    return;
  }
  const body = Buffer.concat([pktLine('# service=git-receive-pack\n'), Buffer.from('0000'), pktLine(`ERR ${readOnlyMessage}\n`)]);
  response.writeHead(200, { 'Content-Type': 'application/x-git-receive-pack-advertisement', 'Cache-Control': 'no-cache' }).end(body);
}

function busy(response: ServerResponse, message: string): void {
  response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '10' }).end(`${message}\n`);
}

/** One pkt-line of Git's wire protocol: four hex digits of length, then the data. */
function pktLine(text: string): Buffer {
  const data = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from((data.length + 4).toString(16).padStart(4, '0')), data]);
}

function findHeaderEnd(buffer: Buffer): { index: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { index: crlf, length: 4 };
  if (lf !== -1) return { index: lf, length: 2 };
  return undefined;
}

/** Reads a CGI response's headers; `Status:` becomes the HTTP status. */
export function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
    else headers[name] = value;
  }
  return { status, headers };
}
