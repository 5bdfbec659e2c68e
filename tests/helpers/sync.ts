/** Helpers for the sync tests: a forge's webhook call, the commons' HEAD, edits of a paragraph. */
import { createHmac } from 'node:crypto';
import * as Y from 'yjs';
import type { TestServer } from './editor-server.ts';
import { gitOk } from './git-client.ts';

/** Calls the webhook as Forgejo or GitHub does: a JSON push event signed with the shared secret. */
export function callWebhook(t: TestServer, secret: string, body = JSON.stringify({ ref: 'refs/heads/main' })): Promise<Response> {
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  return fetch(`${t.httpUrl}/api/git/webhook`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': `sha256=${signature}` },
    body,
  });
}

/** The commit HEAD of the server's commons points to. */
export async function commonsHead(t: TestServer): Promise<string> {
  return (await gitOk(['-C', t.server.paths.repoDir, 'rev-parse', 'HEAD'])).trim();
}

/** Replaces the text of the first top-level paragraph that starts with `start`. */
export function rewriteParagraph(doc: Y.Doc, start: string, text: string): void {
  const body = doc.getXmlFragment('default');
  for (const node of body.toArray()) {
    if (!(node instanceof Y.XmlElement) || node.nodeName !== 'paragraph') continue;
    const first = node.get(0);
    if (!(first instanceof Y.XmlText) || !first.toString().startsWith(start)) continue;
    doc.transact(() => {
      node.delete(0, node.length);
      node.insert(0, [new Y.XmlText(text)]);
    });
    return;
  }
  throw new Error(`aucun paragraphe ne commence par « ${start} »`);
}
