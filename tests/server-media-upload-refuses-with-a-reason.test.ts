/**
 * Bad uploads to `POST /api/medias` are refused before anything is committed, each with a French
 * reason that says what to do: no account, a file that is not an image whatever its name, an SVG
 * carrying a script, too many bytes, too many pixels, credits outside the list, too many uploads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitFromOutside, startTestServer, type TestServer } from './helpers/editor-server.ts';
import { makePhoto, makePixelBomb, pdfBytes, svgWithScript } from './helpers/images.ts';

describe('a bad upload', () => {
  let t: TestServer;
  let token: string;
  let head: string;
  const credits = 'auteur=Alice%20Martin&licence=CC-BY-SA-4.0';

  beforeAll(async () => {
    t = await startTestServer({ limits: { maxMediaBytes: 200_000, maxMediaPixels: 4_000_000, maxMediaUploadsPerHour: 12 } });
    token = (await t.addUser('Alice Martin')).token;
    head = gitFromOutside(t.server.paths.repoDir, 'rev-parse', 'HEAD');
  });
  afterAll(async () => {
    // Nothing of any refused upload reached the commons.
    expect(gitFromOutside(t.server.paths.repoDir, 'rev-parse', 'HEAD')).toBe(head);
    await t.close();
  });

  const refusal = async (bytes: Buffer, options: { type?: string; query?: string; token?: string | null } = {}) => {
    const authorization: Record<string, string> = options.token === null ? {} : { Authorization: `Bearer ${options.token ?? token}` };
    const response = await fetch(`${t.httpUrl}/api/medias?${options.query ?? `doc=fiches/jardin-partage&${credits}`}`, {
      method: 'POST',
      headers: { 'Content-Type': options.type ?? 'image/jpeg', ...authorization },
      body: new Uint8Array(bytes),
    });
    return `${response.status} ${((await response.json()) as { error: string }).error}`;
  };

  it('needs a contributor’s token or session', async () => {
    expect(await refusal(await makePhoto(40, 30), { token: null })).toMatchInlineSnapshot(`"401 connexion requise"`);
    expect(await refusal(await makePhoto(40, 30), { token: 'trr_inconnu' })).toMatchInlineSnapshot(`"401 connexion requise"`);
  });

  it('reads what a file is from its content, not from its name or declared type', async () => {
    expect(await refusal(pdfBytes, { type: 'image/jpeg' })).toMatchInlineSnapshot(`"415 ce fichier n’est pas une image JPEG, PNG ou WebP (contenu reconnu : PDF), quel que soit son nom ; enregistrez-la dans l’un de ces formats"`);
    expect(await refusal(Buffer.from('<html><body>photo.jpg</body></html>'), { type: 'image/png' })).toMatchInlineSnapshot(`"415 ce fichier n’est pas une image JPEG, PNG ou WebP (contenu reconnu : HTML), quel que soit son nom ; enregistrez-la dans l’un de ces formats"`);
    expect(await refusal(Buffer.from('ceci n’est pas une image'), { type: 'text/plain' })).toMatchInlineSnapshot(`"415 corps attendu : les octets d’une image JPEG, PNG ou WebP (Content-Type: image/jpeg, image/png ou image/webp)"`);
  });

  it('refuses SVG, which can carry a script, whatever type it claims', async () => {
    expect(await refusal(svgWithScript, { type: 'image/svg+xml' })).toMatchInlineSnapshot(`"415 image SVG refusée : un SVG peut contenir du code ; exportez-la en PNG (dessin, schéma) ou en JPEG (photo)"`);
    expect(await refusal(svgWithScript, { type: 'image/png' })).toMatchInlineSnapshot(`"415 image SVG refusée : un SVG peut contenir du code ; exportez-la en PNG (dessin, schéma) ou en JPEG (photo)"`);
  });

  it('limits bytes, and pixels before decoding a small file that would fill the memory', async () => {
    expect(await refusal(Buffer.concat([await makePhoto(40, 30), Buffer.alloc(250_000)]))).toMatchInlineSnapshot(`"413 image trop lourde : 0,2 Mo au plus ; réduisez-la ou enregistrez-la en JPEG avant de l’envoyer"`);
    expect(await refusal(await makePixelBomb(30_000, 30_000), { type: 'image/png' })).toMatchInlineSnapshot(`"413 image trop grande : 30000 × 30000 pixels (900 millions de pixels), 4 millions de pixels au plus ; réduisez-la avant de l’envoyer"`);
  });

  it('asks for credits from the controlled list and an entry with a body', async () => {
    const photo = await makePhoto(40, 30);
    expect(await refusal(photo, { query: 'doc=fiches/jardin-partage&auteur=Alice&licence=CC-BY-NC-4.0' })).toMatchInlineSnapshot(`"400 paramètres de l’adresse: licence: valeur "CC-BY-NC-4.0" inconnue pour « licence » ; valeurs admises : CC-BY-SA-4.0, CC-BY-4.0, etalab-2.0, CC0-1.0, CC-PDM-1.0"`);
    expect(await refusal(photo, { query: 'doc=fiches/jardin-partage&licence=CC-BY-4.0' })).toMatchInlineSnapshot(`"400 paramètres de l’adresse: auteur: champ obligatoire manquant"`);
    expect(await refusal(photo, { query: `doc=referentiel/alimentation&${credits}` })).toMatchInlineSnapshot(`"400 paramètre doc : les entrées de « referentiel » n’ont pas de texte où placer une image"`);
    expect(await refusal(photo, { query: `doc=fiches/../../etc&${credits}` })).toMatchInlineSnapshot(`"400 paramètre doc : nom de document invalide : attendu « collection/slug », par exemple « fiches/jardin-partage »"`);
  });

  it('limits how many images one account sends in an hour', async () => {
    const bob = (await t.addUser('Bob Durand')).token;
    const answers: string[] = [];
    for (let i = 0; i < 13; i++) answers.push(await refusal(pdfBytes, { token: bob }));
    expect(answers.slice(0, 12).every((answer) => answer.startsWith('415'))).toBe(true);
    expect(answers[12]).toMatch(/^429 trop d’images envoyées \(12 par heure au plus\) : réessayez dans \d+ min$/);
  });
});
