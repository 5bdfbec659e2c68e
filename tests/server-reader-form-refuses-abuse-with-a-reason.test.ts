/**
 * The readers' form (POST /contribuer, no account, no JavaScript) resists abuse, and answers each
 * refusal with a French page that says why, how to go on, and gives the form back filled with what
 * was typed: honeypot, flood from one address, oversized body or text, too many links, missing
 * consent. HTML in a text is kept as text: stored as typed, only ever shown escaped.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/editor-server.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Posts a form as a browser would, from a given loopback address (each test its own). */
function post(t: TestServer, fields: Record<string, string> | string, from: string): Promise<Answer> {
  const body = typeof fields === 'string' ? fields : new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: t.port, path: '/contribuer', method: 'POST', localAddress: from, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const report = (overrides: Record<string, string> = {}) => ({
  type: 'erreur',
  entree: 'fiches/jardin-partage',
  retour: '/fiches/jardin-partage/',
  texte: 'Le lien vers le guide de l’ADEME ne fonctionne plus depuis cet été.',
  nom: 'Claire des Vignes',
  email: '',
  site_web: '',
  consentement: 'oui',
  ...overrides,
});

describe('the readers’ form', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ readerForms: { sendingsPer10Minutes: 4, maxBodyBytes: 16 * 1024, maxLinks: 2 } });
  });
  afterAll(() => t.close());

  const pending = () => t.server.contributions.pending();

  it('takes a report into the moderation queue and thanks the reader in French', async () => {
    const answer = await post(t, report({ email: 'claire@exemple.fr' }), '127.0.0.10');
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/contribuer/merci/?type=erreur&retour=%2Ffiches%2Fjardin-partage%2F&email=1');
    const thanks = await fetch(`${t.httpUrl}${answer.headers.location}`);
    expect(thanks.status).toBe(200);
    const page = await thanks.text();
    expect(page).toContain('Merci, votre envoi est arrivé');
    expect(page).toContain('jamais publiée');
    expect(page).toContain('href="/fiches/jardin-partage/"');
    const [stored] = (await pending()).filter((c) => c.name === 'Claire des Vignes');
    expect(stored).toMatchObject({ kind: 'erreur', entry: 'fiches/jardin-partage', email: 'claire@exemple.fr', status: 'en-attente' });
  });

  it('refuses a filled honeypot, says so, and gives the text back', async () => {
    const before = (await pending()).length;
    const answer = await post(t, report({ site_web: 'https://promo.example', nom: 'Robot' }), '127.0.0.11');
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<h1>Envoi refusé</h1>');
    expect(answer.body).toContain('Le champ « Laissez ce champ vide » était rempli');
    expect(answer.body).toContain('>Le lien vers le guide de l’ADEME ne fonctionne plus depuis cet été.</textarea>');
    expect(answer.body).not.toContain('promo.example');
    expect((await pending()).length).toBe(before);
  });

  it('slows down a flood from one address, in minutes, and not other addresses', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await post(t, report({ texte: `Envoi numéro ${i} : un texte assez long pour passer.` }), '127.0.0.12'));
    expect(answers.map((a) => a.status)).toEqual([303, 303, 303, 303, 429, 429]);
    const limited = answers[4]!;
    expect(limited.headers['retry-after']).toBe('600');
    expect(limited.body).toContain('réessayez dans 10 minutes');
    expect(limited.body).toContain('>Envoi numéro 4 : un texte assez long pour passer.</textarea>');
    expect((await post(t, report(), '127.0.0.13')).status).toBe(303);
  });

  it('refuses an oversized body, and a text too long with the text given back', async () => {
    const huge = await post(t, report({ texte: 'x'.repeat(40_000) }), '127.0.0.14');
    expect(huge.status).toBe(413);
    expect(huge.body).toContain('Votre envoi dépasse 16 Ko');
    expect(huge.body).toContain('Votre texte est toujours dans le formulaire');
    const long = `${'Une phrase de témoignage. '.repeat(220)}fin`;
    const tooLong = await post(t, report({ texte: long }), '127.0.0.14');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toContain('Votre texte</a> : texte trop long : 5000 caractères au plus');
    expect(tooLong.body).toContain(`${long}</textarea>`);
  });

  it('refuses more links than allowed', async () => {
    const answer = await post(t, report({ texte: 'Voir https://a.example/1 et https://b.example/2 et www.c.example/3 pour tout savoir.' }), '127.0.0.15');
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('Votre texte contient 3 liens ; 2 au plus sont acceptés');
  });

  it('asks for explicit consent to the licence', async () => {
    const answer = await post(t, report({ consentement: '' }), '127.0.0.16');
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('Accord de publication</a> : cochez la case pour accepter la publication sous licence CC BY-SA 4.0');
  });

  it('keeps HTML as text: stored as typed, never rendered', async () => {
    const html = '<script>alert("x")</script> Nous avons <b>tout</b> essayé, <img src=x onerror=alert(1)> rien à faire.';
    const accepted = await post(t, report({ texte: html, nom: 'Testeur HTML' }), '127.0.0.17');
    expect(accepted.status).toBe(303);
    const thanks = await (await fetch(`${t.httpUrl}${accepted.headers.location}`)).text();
    expect(thanks).toContain('elles seront montrées telles quelles, comme du texte');
    expect((await pending()).find((c) => c.name === 'Testeur HTML')?.text).toBe(html);
    // Sent back (here for a missing consent), it is escaped in the form.
    const echoed = await post(t, report({ texte: html, consentement: '' }), '127.0.0.17');
    expect(echoed.body).not.toContain('<script>alert');
    expect(echoed.body).not.toContain('<img src=x');
    expect(echoed.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });
});
