/**
 * The response of a page or file made at build time, its text given as UTF-8 bytes. Given a
 * string, undici first checks it is well formed, then streams it in chunks: about 1 s per build
 * for the 40 MB of `entrees.json` at 10,000 entries, and a share of every page's rendering.
 * The bytes are the same either way.
 */
export function textResponse(text: string | Buffer<ArrayBuffer>, init?: ResponseInit): Response {
  return new Response(typeof text === 'string' ? Buffer.from(text) : text, init);
}
