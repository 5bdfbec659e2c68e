/**
 * HTTP API of the moderation of readers' contributions (see moderation/reader-moderation.ts):
 *
 *   GET  /api/moderation                  → { pending: [...], decisions: [...] }        relecteur, administrateur
 *   POST /api/moderation/:id/accepter     { titre?, resume?, commune?, themes? } → { contribution, result }
 *   POST /api/moderation/:id/refuser      { raison } → { contribution }
 *   GET  /api/propositions?doc=fiches/x   → { proposals: [...] }   accepted proposals on an entry (editors)
 *   POST /api/propositions/:id/integree   → { contribution }       the reader is credited in the next commit
 *
 * Refusals are `{ error, problems? }` in French, problems naming the field to complete.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { parseDocumentName } from '../../../core/document-name.ts';
import type { User } from '../accounts/accounts.ts';
import { mayModerate, type ModerationOutcome, type ReaderModeration } from '../moderation/reader-moderation.ts';
import type { ReaderContributionStore } from '../storage/reader-contributions.ts';
import { HttpError, readJsonBody, sendJson } from './http-utils.ts';

/** What the moderation API needs. */
export interface ModerationApiDependencies {
  moderation: ReaderModeration;
  contributions: ReaderContributionStore;
  /** The account behind the request (session cookie or token), or a 401. */
  requireUser(request: IncomingMessage): Promise<User>;
}

const acceptSchema = z.object({
  /** Title of the brouillon retour. */
  titre: z.string().trim().max(140).optional(),
  /** Résumé of the brouillon; drawn from the text when left out. */
  resume: z.string().trim().max(400).optional(),
  /** Commune of the experience: a name or an INSEE code. */
  commune: z.string().trim().max(100).optional(),
  /** Themes of the experience (codes of the vocabulary). */
  themes: z.array(z.string().max(40)).max(20).optional(),
});

const refuseSchema = z.object({
  /** Why the contribution is refused (logged, shown in the moderation log). */
  raison: z.string({ error: 'donnez la raison du refus' }).trim().min(3, 'donnez la raison du refus (3 caractères au moins)').max(500),
});

/** Handles /api/moderation and /api/propositions; false when the path is not one of them. */
export async function handleModerationRequest(deps: ModerationApiDependencies, request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
  const { pathname } = url;
  const method = request.method ?? 'GET';
  if (pathname === '/api/moderation' && method === 'GET') {
    await requireModerator(deps, request);
    sendJson(response, 200, { pending: await deps.contributions.pending(), decisions: await deps.contributions.decisions(100) });
    return true;
  }
  const decision = /^\/api\/moderation\/(c[0-9a-f]{12})\/(accepter|refuser)$/.exec(pathname);
  if (decision && method === 'POST') {
    const user = await requireModerator(deps, request);
    const [, id, action] = decision as unknown as [string, string, 'accepter' | 'refuser'];
    const outcome =
      action === 'accepter'
        ? await deps.moderation.accept(id, user, await readJsonBody(request, acceptSchema))
        : await deps.moderation.refuse(id, user, (await readJsonBody(request, refuseSchema)).raison);
    sendOutcome(response, outcome);
    return true;
  }
  if (pathname === '/api/propositions' && method === 'GET') {
    // Every role edits some entries; the proposals of one are for whoever may open its editor.
    await deps.requireUser(request);
    const address = parseDocumentName(url.searchParams.get('doc') ?? '');
    if ('refused' in address) throw new HttpError(400, `paramètre doc : ${address.refused}`);
    sendJson(response, 200, { doc: address.name, proposals: await deps.contributions.proposalsFor(address.name) });
    return true;
  }
  const integration = /^\/api\/propositions\/(c[0-9a-f]{12})\/integree$/.exec(pathname);
  if (integration && method === 'POST') {
    const user = await deps.requireUser(request);
    sendOutcome(response, await deps.moderation.integrate(integration[1]!, user));
    return true;
  }
  return false;
}

async function requireModerator(deps: ModerationApiDependencies, request: IncomingMessage): Promise<User> {
  const user = await deps.requireUser(request);
  if (!mayModerate(user)) throw new HttpError(403, 'la modération est réservée aux relecteurs et aux administrateurs');
  return user;
}

function sendOutcome(response: ServerResponse, outcome: ModerationOutcome): void {
  if ('refused' in outcome) sendJson(response, outcome.status, { error: outcome.refused, ...(outcome.problems ? { problems: outcome.problems } : {}) });
  else sendJson(response, 200, { contribution: outcome.done, ...(outcome.result ? { result: outcome.result } : {}) });
}
