/**
 * The security headers of every response: a strict Content-Security-Policy (no inline script or
 * style, no other origin, no framing) that the site and the editor pass without a violation, and
 * the headers that go with it. docs/deploiement.md repeats them for a proxy that serves the files.
 */

/**
 * CSP of the site and the editor. The pages load only their own files; Pagefind compiles its
 * WebAssembly index (`'wasm-unsafe-eval'`, which allows WebAssembly only, not `eval`); the editor
 * talks to /api/ and /collab (`connect-src 'self'` covers the same-origin WebSocket). JSON-LD and
 * JSON data blocks are not scripts: they are never run, so no hash is needed.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  // blob: the editor's preview of an image being described, before it is uploaded.
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of the site's pages and files. */
export const pageSecurityHeaders: Record<string, string> = {
  'Content-Security-Policy': contentSecurityPolicy,
  // For browsers that predate frame-ancestors.
  'X-Frame-Options': 'DENY',
  // Readers are not tracked: other sites learn nothing of the page a link was followed from.
  'Referrer-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Headers of the JSON API: nothing in it is a page, a script or a frame. */
export const apiSecurityHeaders: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};
