/**
 * The readers' forms, received by the server that serves the site (no account, no JavaScript):
 *
 *   POST /contribuer         application/x-www-form-urlencoded (core/reader-form-html.ts)
 *                            → 303 to /contribuer/merci/, or a page that says what to fix
 *   GET  /contribuer/merci/  the thank-you page
 *
 * Every refusal is a page in French that says why and how to go on, and gives the form back filled
 * with what the reader typed (nothing is lost): a body too large, too many sendings from one
 * address (in minutes), the honeypot field filled, a field out of bounds, too many links, a full
 * moderation queue. Text is stored exactly as typed and only ever shown escaped: HTML in it is
 * accepted as text, and the thank-you page says so.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../../../core/escape-html.ts';
import { parseWithFriendlyErrors } from '../../../core/parse-input.ts';
import { ProblemError, type Problem } from '../../../core/problem.ts';
import { readerFormHtml } from '../../../core/reader-form-html.ts';
import { formatWait } from '../accounts/login-throttle.ts';
import { parseDocumentName } from '../../../core/document-name.ts';
import { readerContributionSchema, readerFieldLabels, type ReaderContribution } from '../../../schemas/reader-contribution.ts';
import type { ReaderFormsConfig } from '../config.ts';
import { readFileAt, readHead } from '../git/commons-repo.ts';
import type { ReaderContributionStore } from '../storage/reader-contributions.ts';
import { sendAnswerPage } from './answer-page.ts';
import { requestClientAddress, type TrustedProxies } from './client-address.ts';

/** What the forms need from the rest of the server. */
export interface ReaderFormsDependencies {
  store: ReaderContributionStore;
  config: ReaderFormsConfig;
  /** Reverse proxies whose X-Forwarded-For names the reader's address (TRUST_PROXY). */
  trustedProxies: TrustedProxies;
  /** The built site (for the answer pages' layout). */
  siteDir: string;
  /** The commons repository (to check that the entry a report is about exists). */
  repoDir: string;
}

const TEN_MINUTES = 10 * 60 * 1000;
const ONE_DAY = 24 * 60 * 60 * 1000;
const LINK = /(?:https?:\/\/|www\.)[^\s<>"]+/gi;
const HTML_TAG = /<\/?[a-z][^>]*>/i;

/** Whether a request is for the readers' forms. */
export function isReaderFormRequest(request: IncomingMessage, url: URL): boolean {
  return (request.method === 'POST' && (url.pathname === '/contribuer' || url.pathname === '/contribuer/')) || url.pathname === '/contribuer/merci/';
}

/** Handles one request for the readers' forms. */
export async function handleReaderForm(deps: ReaderFormsDependencies, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  if (url.pathname === '/contribuer/merci/') return thanks(deps, response, url);
  const answer = (status: number, title: string, html: string, headers?: Record<string, string>) => sendAnswerPage(response, deps.siteDir, { status, title, html, ...(headers ? { headers } : {}) });

  if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    return answer(415, 'Envoi non reçu', `<h1>Envoi non reçu</h1><p>Ce formulaire s’envoie depuis les pages de Terreau. ${backLink(deps, undefined)}</p>`);
  }
  const body = await readFormBody(request, deps.config.maxBodyBytes);
  if (body === 'too-large') {
    return answer(
      413,
      'Envoi trop volumineux',
      `<h1>Envoi trop volumineux</h1><p>Votre envoi dépasse ${Math.round(deps.config.maxBodyBytes / 1024)} Ko : il n’a pas été enregistré. Votre texte est toujours dans le formulaire : revenez à la page précédente (bouton « Précédent » du navigateur), raccourcissez-le, ou envoyez-le en plusieurs fois.</p>`,
      { Connection: 'close' },
    );
  }
  const fields = Object.fromEntries([...body].map(([key, value]) => [key, cleanText(value)]));
  const values = pick(fields, ['type', 'texte', 'nom', 'email', 'titre', 'commune', 'consentement']);
  const kind = fields.type === 'experience' ? 'experience' : 'signalement';
  const refuse = (status: number, title: string, explanation: string, problems: Problem[] = [], headers?: Record<string, string>) =>
    answer(status, title, refusalHtml(deps, title, explanation, problems, { kind, entry: fields.entree, returnPath: fields.retour, values }), headers);

  // Every sending counts, refused or not: a flood of bad ones is slowed down as much as good ones.
  const [lastTenMinutes, lastDay] = await deps.store.countSending(requestClientAddress(request, deps.trustedProxies), [TEN_MINUTES, ONE_DAY]);
  if (lastTenMinutes! > deps.config.sendingsPer10Minutes || lastDay! > deps.config.sendingsPerDay) {
    const wait = lastDay! > deps.config.sendingsPerDay ? ONE_DAY : TEN_MINUTES;
    return refuse(
      429,
      'Trop d’envois',
      `Beaucoup d’envois sont partis de votre adresse ces derniers temps : pour tenir les robots à l’écart, réessayez dans ${formatWait(wait)}. Votre texte est ci-dessous, gardez-le.`,
      [],
      { 'Retry-After': String(wait / 1000) },
    );
  }
  if ((fields.site_web ?? '') !== '') {
    return refuse(
      400,
      'Envoi refusé',
      'Le champ « Laissez ce champ vide » était rempli : il sert à reconnaître les robots, qui remplissent tout. Si vous êtes une personne (votre navigateur l’a peut-être rempli pour vous), renvoyez simplement le formulaire ci-dessous : ce champ y est vide.',
    );
  }
  let contribution: ReaderContribution;
  try {
    contribution = parseWithFriendlyErrors(readerContributionSchema, fields, 'formulaire');
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return refuse(400, 'Envoi à compléter', 'Votre envoi n’a pas été enregistré : corrigez ce qui suit, puis renvoyez le formulaire.', error.problems);
  }
  const links = [contribution.texte, contribution.titre, contribution.nom, contribution.commune].join(' ').match(LINK) ?? [];
  if (links.length > deps.config.maxLinks) {
    return refuse(
      400,
      'Trop de liens',
      `Votre texte contient ${links.length} liens ; ${deps.config.maxLinks} au plus sont acceptés, pour décourager la publicité. Retirez-en quelques-uns (ou écrivez le nom du site sans « https:// ») et renvoyez le formulaire.`,
    );
  }
  if (contribution.entree && !(await entryExists(deps.repoDir, contribution.entree))) {
    return refuse(404, 'Entrée introuvable', `L’entrée « ${contribution.entree} » n’existe pas (ou plus). Envoyez votre message depuis la page de l’entrée concernée.`);
  }
  if ((await deps.store.pendingCount()) >= deps.config.maxPending) {
    return refuse(
      503,
      'Envois suspendus',
      'L’équipe de relecture a beaucoup d’envois en attente : les nouveaux sont suspendus le temps de les lire. Gardez votre texte et renvoyez-le dans quelques jours.',
      [],
      { 'Retry-After': String(ONE_DAY / 1000) },
    );
  }
  await deps.store.add({
    kind: contribution.type,
    entry: contribution.entree ?? null,
    text: contribution.texte,
    name: contribution.nom,
    email: contribution.email ?? null,
    title: contribution.titre ?? null,
    territory: contribution.commune ?? null,
  });
  const next = new URLSearchParams({ type: contribution.type });
  if (contribution.retour) next.set('retour', contribution.retour);
  if (contribution.email) next.set('email', '1');
  if (HTML_TAG.test(contribution.texte)) next.set('html', '1');
  response.writeHead(303, { Location: `/contribuer/merci/?${next}`, 'Cache-Control': 'no-store' });
  response.end();
}

async function thanks(deps: ReaderFormsDependencies, response: ServerResponse, url: URL): Promise<void> {
  const params = url.searchParams;
  const experience = params.get('type') === 'experience';
  const returnPath = safeReturnPath(params.get('retour'));
  const html = [
    '<h1>Merci, votre envoi est arrivé</h1>',
    '<div class="lecteur-reponse" role="status">',
    `<p>${experience ? 'Votre expérience' : 'Votre message'} sera lu par l’équipe de relecture avant toute publication. S’il est retenu, il sera publié sous licence CC BY-SA 4.0 avec le nom que vous avez indiqué${experience ? ', d’abord comme brouillon de retour d’expérience, que l’équipe complète avec vous' : ''}.</p>`,
    params.get('email') === '1' ? '<p>Nous pourrons vous répondre à l’adresse e-mail indiquée ; elle ne sera jamais publiée, et sera effacée dès que votre envoi aura été traité.</p>' : '',
    params.get('html') === '1' ? '<p>Votre texte contient des balises HTML (comme <code>&lt;b&gt;</code>) : elles seront montrées telles quelles, comme du texte, jamais interprétées.</p>' : '',
    `<p>${backLink(deps, returnPath)}</p>`,
    '</div>',
  ].join('');
  await sendAnswerPage(response, deps.siteDir, { status: 200, title: 'Merci', html });
}

function refusalHtml(
  deps: ReaderFormsDependencies,
  title: string,
  explanation: string,
  problems: Problem[],
  form: { kind: 'signalement' | 'experience'; entry: string | undefined; returnPath: string | undefined; values: Record<string, string> },
): string {
  const returnPath = safeReturnPath(form.returnPath);
  const entry = form.entry && !('refused' in parseDocumentName(form.entry)) ? form.entry : undefined;
  const items = problems.map((problem) => {
    const label = readerFieldLabels[problem.field] ?? problem.field;
    const target = ['texte', 'nom', 'email', 'titre', 'commune'].includes(problem.field) ? `#reponse-${problem.field}` : problem.field === 'consentement' ? '#reponse-accord' : '';
    return `<li>${target ? `<a href="${target}">${escapeHtml(label)}</a>` : escapeHtml(label)} : ${escapeHtml(problem.message)}</li>`;
  });
  return [
    `<h1>${escapeHtml(title)}</h1>`,
    '<div class="lecteur-reponse lecteur-reponse--refus" role="alert">',
    `<p>${escapeHtml(explanation)}</p>`,
    items.length ? `<ul>${items.join('')}</ul>` : '',
    '</div>',
    readerFormHtml({
      kind: form.kind,
      action: deps.config.action,
      idPrefix: 'reponse',
      ...(entry ? { entry } : {}),
      ...(returnPath ? { returnPath } : {}),
      values: form.values,
      maxLinks: deps.config.maxLinks,
    }),
    `<p>${backLink(deps, returnPath)}</p>`,
  ].join('\n');
}

function backLink(deps: ReaderFormsDependencies, returnPath: string | undefined): string {
  const site = deps.config.siteUrl?.replace(/\/$/, '') ?? '';
  return returnPath ? `<a href="${escapeHtml(site + returnPath)}">Revenir à la page d’où vous veniez</a>` : `<a href="${escapeHtml(site || '/')}${site ? '/' : ''}">Revenir à l’accueil de Terreau</a>`;
}

/** A path of the site (one leading slash, no scheme or host): anything else is dropped. */
function safeReturnPath(path: string | null | undefined): string | undefined {
  return path && /^\/(?!\/)[^\s\\]*$/.test(path) && path.length <= 300 ? path : undefined;
}

/**
 * Reads a form body up to `maxBytes`; 'too-large' beyond. The rest of a large body is read and
 * dropped (a browser shows no answer to a request whose body was cut short), up to a limit past
 * which the connection is closed.
 */
function readFormBody(request: IncomingMessage, maxBytes: number): Promise<URLSearchParams | 'too-large'> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(request.headers['content-length'] ?? 0) > maxBytes;
    if (tooLarge) resolvePromise('too-large');
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!tooLarge && size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        resolvePromise('too-large');
      }
      if (!tooLarge) chunks.push(chunk);
      else if (size > DRAIN_LIMIT) request.destroy();
    });
    request.on('end', () => {
      if (!tooLarge) resolvePromise(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    });
    request.on('error', reject);
  });
}

/** Most bytes of a too-large body read (and dropped) before the connection is closed. */
const DRAIN_LIMIT = 4 * 1024 * 1024;

/** Text as typed, without the control characters a form never means (line ends made `\n`). */
function cleanText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}

function pick(fields: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((key) => fields[key] !== undefined).map((key) => [key, fields[key]!]));
}

async function entryExists(repoDir: string, ref: string): Promise<boolean> {
  const address = parseDocumentName(ref);
  if ('refused' in address) return false;
  return (await readFileAt(repoDir, await readHead(repoDir), address.path)) !== undefined;
}
