/**
 * The response of a page or file made at build time, its text given as UTF-8 bytes in a stream of
 * one chunk. Given a string, undici checks it is well formed, then streams it in small chunks;
 * given bytes, it copies them first: each about 1 s per publish for the 40 MB of `entrees.json` at
 * 10,000 entries, and a share of every page's rendering. The bytes are the same either way.
 */
export function textResponse(text: string | Uint8Array<ArrayBuffer>, init?: ResponseInit): Response {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  return new Response(body, init);
}
