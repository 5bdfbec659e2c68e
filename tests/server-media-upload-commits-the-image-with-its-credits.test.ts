/**
 * `POST /api/medias`: an image sent by a contributor is committed to the commons with its credits,
 * authored by them, re-encoded without its metadata; it is served at once at the address the API
 * gives, and an entry that shows it passes validation and is committed.
 */
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { acknowledged, collectStatuses, connect, gitFromOutside, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';
import { makePhoto } from './helpers/images.ts';

/** An image node of the editor's body, as the editor inserts it. */
function imageNode(src: string, alt: string): Y.XmlElement {
  const node = new Y.XmlElement('image');
  node.setAttribute('src', src);
  node.setAttribute('alt', alt);
  return node;
}

describe('an image uploaded through the API', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ git: { idleCommitMs: 60_000 } });
  });
  afterAll(() => t.close());

  const upload = (token: string, bytes: Buffer, query: string, type = 'image/jpeg') =>
    fetch(`${t.httpUrl}/api/medias?${query}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body: new Uint8Array(bytes) });

  it('is committed with its credits by its uploader, without its metadata, and served at once', async () => {
    const alice = await t.addUser('Alice Martin');
    const photo = await makePhoto(3200, 2000);
    expect((await sharp(photo).metadata()).exif).toBeDefined();

    const response = await upload(alice.token, photo, 'doc=fiches/jardin-partage&auteur=Mairie%20de%20Migné&licence=CC-BY-4.0&source=https://exemple.fr/photo');
    expect(response.status).toBe(201);
    const { src, width, height } = (await response.json()) as { src: string; width: number; height: number };
    expect(src).toMatch(/^\/medias\/fiches\/jardin-partage\/[0-9a-f]{16}\.jpg$/);
    // Kept at most 2,560 pixels wide, in proportion.
    expect([width, height]).toEqual([2560, 1600]);

    const repo = t.server.paths.repoDir;
    const file = src.slice(1);
    const credits = file.replace(/\.jpg$/, '.yaml');
    expect(gitFromOutside(repo, 'log', '-1', '--format=%an|%cn|%s').trim()).toBe('Alice Martin|Serveur Terreau|Ajouter une image à fiches/jardin-partage');
    expect(gitFromOutside(repo, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual([file, credits].sort());
    expect(gitFromOutside(repo, 'show', `HEAD:${credits}`)).toBe('auteur: "Mairie de Migné"\nsource: "https://exemple.fr/photo"\nlicence: CC-BY-4.0\n');
    const stored = execFileSync('git', ['-C', repo, 'show', `HEAD:${file}`]);
    const metadata = await sharp(stored).metadata();
    expect([metadata.format, metadata.width, metadata.exif]).toEqual(['jpeg', 2560, undefined]);

    const served = await fetch(`${t.httpUrl}${src}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');

    // The same image again: the same address, nothing committed twice.
    const head = gitFromOutside(repo, 'rev-parse', 'HEAD');
    const again = await upload(alice.token, photo, 'doc=fiches/jardin-partage&auteur=Alice%20Martin&licence=CC-BY-SA-4.0');
    expect(again.status).toBe(200);
    expect(((await again.json()) as { src: string }).src).toBe(src);
    expect(gitFromOutside(repo, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('lets the entry that shows it be committed, and refuses an image the commons does not have', async () => {
    const bruno = await t.addUser('Bruno Lefèvre');
    const response = await upload(bruno.token, await makePhoto(800, 600, 'png'), 'doc=fiches/repair-cafe&auteur=Bruno%20Lef%C3%A8vre&licence=CC-BY-SA-4.0', 'image/png');
    expect(response.status).toBe(201);
    const { src } = (await response.json()) as { src: string };
    expect(src).toMatch(/\.png$/);

    const provider = await connect(t.wsUrl, 'fiches/repair-cafe', bruno.token);
    const statuses = collectStatuses(provider);
    const fragment = provider.document.getXmlFragment('default');
    fragment.push([imageNode(src, 'Un atelier de réparation de vélos')]);
    await acknowledged(provider);
    const live = t.server.hocuspocus.documents.get('fiches/repair-cafe')!;
    expect((await t.server.gitSync.commitDocument('fiches/repair-cafe', live)).state).toBe('committed');
    expect(gitFromOutside(t.server.paths.repoDir, 'show', 'HEAD:fiches/repair-cafe.mdx')).toContain(`\n![Un atelier de réparation de vélos](${src})\n`);

    fragment.push([imageNode('/medias/fiches/repair-cafe/absente.webp', 'Une image jamais envoyée')]);
    await acknowledged(provider);
    expect((await t.server.gitSync.commitDocument('fiches/repair-cafe', live)).state).toBe('invalid');
    await waitFor(() => statuses.some((status) => status.state === 'invalid'), 10_000, 'état invalide');
    const problem = statuses.find((status) => status.state === 'invalid')!.problems![0]!;
    expect(`${problem.field}: ${problem.message}`).toMatchInlineSnapshot(`"image: image introuvable : medias/fiches/repair-cafe/absente.webp n’est pas dans le commun avec ses crédits ; téléversez l’image depuis l’éditeur"`);
    provider.destroy();
  });
});
