/**
 * A plain smart-HTTP Git server: Debian's `git http-backend` behind the smallest node:http CGI
 * wrapper, as a forge or a mirror would serve a repository. Tests use it as the remote the
 * commons syncs with (Basic authentication, pushes, a server that stops and comes back on the
 * same port); the Git benchmark uses it as the baseline the served commons is compared with.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the server accepts. */
export interface PlainGitServerOptions {
  /** Folder whose repositories are served: `<url>/<name>.git` is `<root>/<name>.git`. */
  root: string;
  /** Basic authentication required for every request, when set (read at each request: a test may change it). */
  auth?: { user: string; password: string };
  /** Accept pushes (as the authenticated user, or anyone without auth). */
  allowPush?: boolean;
}

/** A running plain Git server. */
export interface PlainGitServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Requests served so far, by `<method> <path>?<service>`. */
  requests: string[];
  /** Stops answering (connections are cut), as a remote that goes down. */
  stop(): Promise<void>;
  /** Answers again, on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a plain Git server on a free port (or `port`). */
export async function startPlainGitServer(options: PlainGitServerOptions, port = 0): Promise<PlainGitServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = async (on: number) => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      requests.push(`${request.method} ${url.pathname}${url.searchParams.get('service') ? `?${url.searchParams.get('service')}` : ''}`);
      let user: string | undefined;
      if (options.auth) {
        const [scheme, encoded] = String(request.headers.authorization ?? '').split(' ');
        const [name, ...secret] = Buffer.from(encoded ?? '', 'base64').toString('utf8').split(':');
        if (scheme !== 'Basic' || name !== options.auth.user || secret.join(':') !== options.auth.password) {
          response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' }).end('Unauthorized\n');
          return;
        }
        user = name;
      }
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: options.root,
        GIT_PROJECT_ROOT: options.root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: request.method ?? 'GET',
        CONTENT_TYPE: String(request.headers['content-type'] ?? ''),
        GIT_CONFIG_COUNT: '2',
        GIT_CONFIG_KEY_0: 'http.receivepack',
        GIT_CONFIG_VALUE_0: options.allowPush ? 'true' : 'false',
        GIT_CONFIG_KEY_1: 'safe.directory',
        GIT_CONFIG_VALUE_1: '*',
      };
      if (user) env.REMOTE_USER = user;
      if (request.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = String(request.headers['content-encoding']);
      if (request.headers['git-protocol']) env.GIT_PROTOCOL = String(request.headers['git-protocol']);
      if (request.headers['content-length']) env.CONTENT_LENGTH = String(request.headers['content-length']);
      const child = spawn('git', ['http-backend'], { env });
      request.pipe(child.stdin).on('error', () => undefined);
      let head = Buffer.alloc(0);
      let inBody = false;
      child.stdout.on('data', (chunk: Buffer) => {
        if (inBody) return void response.write(chunk);
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        inBody = true;
        let status = 200;
        const headers: Record<string, string> = {};
        for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          const name = line.slice(0, colon);
          const value = line.slice(colon + 1).trim();
          if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
          else headers[name] = value;
        }
        response.writeHead(status, headers);
        response.write(head.subarray(end + 4));
      });
      child.on('close', () => (response.headersSent ? response.end() : response.writeHead(500).end()));
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(on, '127.0.0.1', () => resolve());
    });
    return (server.address() as AddressInfo).port;
  };
  const stop = async () => {
    if (!server) return;
    const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closing;
    server = undefined;
  };
  const actualPort = await listen(port);
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    requests,
    stop,
    start: async () => {
      if (!server) await listen(actualPort);
    },
    close: stop,
  };
}
