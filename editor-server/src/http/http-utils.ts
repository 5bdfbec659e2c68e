/**
 * Small helpers for the node:http handlers: JSON bodies read with a size cap and parsed with the
 * project's friendly parse wrapper, JSON responses, cookies, and the request's URL.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { parseWithFriendlyErrors } from '../../../core/parse-input.ts';
import { ProblemError } from '../../../core/problem.ts';

/** An error that becomes an HTTP response with a French message. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/** Sends a JSON response. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(text);
}

/** Reads and validates a JSON body (at most `maxBytes`). */
export async function readJsonBody<T extends z.ZodType>(request: IncomingMessage, schema: T, maxBytes = 16 * 1024): Promise<z.output<T>> {
  // Only JSON bodies: a cross-site HTML form cannot send this content type without CORS consent.
  if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new HttpError(415, 'corps attendu en JSON (Content-Type: application/json)');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, `corps trop volumineux (limite ${maxBytes} octets)`);
    chunks.push(chunk as Buffer);
  }
  let input: unknown;
  try {
    input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new HttpError(400, 'corps JSON illisible');
  }
  try {
    return parseWithFriendlyErrors(schema, input, 'corps de la requête');
  } catch (error) {
    if (error instanceof ProblemError) throw new HttpError(400, error.message);
    throw error;
  }
}

/** Reads one cookie of a request; a value that is not valid percent-encoding counts as absent. */
export function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of String(request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The URL of a request, its path kept as sent: `new URL('//x/y', base)` would read `x` as a host
 * and answer for `/y`.
 */
export function requestUrl(request: IncomingMessage): URL {
  return new URL(`http://localhost${request.url?.startsWith('/') ? '' : '/'}${request.url ?? ''}`);
}

/** Formats a Set-Cookie header. */
export function formatCookie(name: string, value: string, options: { maxAgeSeconds: number; secure: boolean; path?: string }): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path ?? '/'}`,
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
