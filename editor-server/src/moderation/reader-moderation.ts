/**
 * Moderation of what readers send, by relecteurs and administrateurs:
 *
 * - accepting an experience turns it into a brouillon retour d'expérience, committed through the
 *   one Git queue with the reader — under the name they chose — as its author;
 * - accepting a report or a proposal attaches it to its entry: editors see it when they open the
 *   entry, and once they mark it integrated, the reader is credited (`Co-authored-by:`) in the
 *   entry's next commit;
 * - refusing needs a reason.
 * Every decision is logged, and handling a contribution erases the reader's e-mail address.
 */
import { composeEntryText } from '../../../core/bridge/mdx-yjs.ts';
import { findCommunesByName, getCommune, suggestCommunes } from '../../../core/communes.ts';
import { parseDocumentName, type EntryAddress } from '../../../core/document-name.ts';
import type { Problem } from '../../../core/problem.ts';
import { slugFromTitle } from '../../../core/slug.ts';
import { themes, type Theme } from '../../../schemas/vocabularies.ts';
import type { PublicUser } from '../accounts/accounts.ts';
import type { GitConfig } from '../config.ts';
import type { GitSync } from '../extensions/git-sync.ts';
import { readerIdentity } from '../git/commit-pipeline.ts';
import { readFileAt, readHead } from '../git/commons-repo.ts';
import { storedHasContent, type DocumentStore } from '../storage/document-store.ts';
import type { Contribution, ReaderContributionStore } from '../storage/reader-contributions.ts';
import type { EntryValidator } from '../validation/entry-validator.ts';

/** Roles that moderate readers' contributions. */
export const moderatorRoles = ['relecteur', 'administrateur'] as const;

/** Whether an account may moderate. */
export function mayModerate(user: PublicUser | undefined): boolean {
  return !!user && (moderatorRoles as readonly string[]).includes(user.role);
}

/** What a moderator completes when accepting an experience (the reader may have left it out). */
export interface ExperienceDetails {
  titre?: string;
  resume?: string;
  /** Commune: a name or an INSEE code. */
  commune?: string;
  themes?: string[];
}

/** What moderation works with. */
export interface ReaderModerationConfig {
  contributions: ReaderContributionStore;
  documents: DocumentStore;
  gitSync: GitSync;
  validator: EntryValidator;
  repoDir: string;
  git: GitConfig;
}

/** The outcome of a moderation action: done (with what it made), or why not. */
export type ModerationOutcome = { done: Contribution; result?: string } | { refused: string; status: number; problems?: Problem[] };

/** Accepts, refuses and integrates readers' contributions. */
export class ReaderModeration {
  private readonly config: ReaderModerationConfig;
  // Two moderators accepting the same experience at once must not make two brouillons.
  private readonly inProgress = new Set<string>();

  constructor(config: ReaderModerationConfig) {
    this.config = config;
  }

  /** Accepts a contribution: an experience becomes a brouillon retour, a report a proposal on its entry. */
  async accept(id: string, by: PublicUser, details: ExperienceDetails = {}): Promise<ModerationOutcome> {
    if (this.inProgress.has(id)) return { refused: 'cette contribution est déjà en cours de traitement', status: 409 };
    this.inProgress.add(id);
    try {
      const contribution = await this.config.contributions.get(id);
      if (!contribution) return { refused: 'contribution introuvable', status: 404 };
      if (contribution.status !== 'en-attente') return { refused: `cette contribution a déjà été traitée (${contribution.status})`, status: 409 };
      if (contribution.kind !== 'experience') return this.decide(id, by, { action: 'acceptee', ...(contribution.entry ? { result: contribution.entry } : {}) });

      const draft = await this.draftRetour(contribution, details);
      if ('problems' in draft) return { refused: 'le brouillon ne peut pas être créé : complétez ce qui manque', status: 400, problems: draft.problems };
      const message = [
        `Créer ${draft.address.name} : retour d’expérience raconté par ${contribution.name}`,
        '',
        `Envoyé par le formulaire du site le ${contribution.receivedAt.slice(0, 10)}, accepté comme brouillon par ${by.name}.`,
        '',
      ].join('\n');
      await this.config.gitSync.commitNewEntry(draft.address, draft.text, readerIdentity(contribution, this.config.git), message);
      return this.decide(id, by, { action: 'acceptee', result: draft.address.name });
    } finally {
      this.inProgress.delete(id);
    }
  }

  /** Refuses a contribution, with a reason (logged; the reader's address is erased). */
  async refuse(id: string, by: PublicUser, reason: string): Promise<ModerationOutcome> {
    const contribution = await this.config.contributions.get(id);
    if (!contribution) return { refused: 'contribution introuvable', status: 404 };
    return this.decide(id, by, { action: 'refusee', reason });
  }

  /** Marks an accepted proposal as integrated into its entry: the reader is credited in its next commit. */
  async integrate(id: string, by: PublicUser): Promise<ModerationOutcome> {
    const contribution = await this.config.contributions.get(id);
    if (!contribution || contribution.kind === 'experience') return { refused: 'proposition introuvable', status: 404 };
    return this.decide(id, by, { action: 'integree', ...(contribution.entry ? { result: contribution.entry } : {}) });
  }

  private async decide(id: string, by: PublicUser, decision: { action: 'acceptee' | 'refusee' | 'integree'; reason?: string; result?: string }): Promise<ModerationOutcome> {
    const done = await this.config.contributions.decide(id, { ...decision, by: { id: by.id, name: by.name } });
    if (!done) return { refused: decision.action === 'integree' ? 'cette proposition n’est pas (ou plus) en attente d’intégration' : 'cette contribution a déjà été traitée', status: 409 };
    return { done, ...(decision.result ? { result: decision.result } : {}) };
  }

  /** The brouillon retour of an experience: its address (a free slug) and its text, validated. */
  private async draftRetour(contribution: Contribution, details: ExperienceDetails): Promise<{ address: EntryAddress; text: string } | { problems: Problem[] }> {
    const problems: Problem[] = [];
    const titre = (details.titre ?? contribution.title ?? '').trim();
    if (titre.length < 3) problems.push({ field: 'titre', message: 'donnez un titre au retour d’expérience (3 caractères au moins)' });
    const commune = this.findCommune((details.commune ?? contribution.territory ?? '').trim(), problems);
    const chosenThemes = (details.themes ?? []).filter((theme): theme is Theme => Object.hasOwn(themes, theme));
    if (chosenThemes.length === 0) problems.push({ field: 'themes', message: 'choisissez au moins un thème' });
    if (problems.length) return { problems };

    const resume = (details.resume ?? '').trim() || summaryOf(contribution.text);
    const paragraphs = contribution.text.split(/\n\s*\n/).map((block) => block.trim()).filter(Boolean);
    const credit = `Témoignage de ${contribution.name}, envoyé par le formulaire du site le ${frenchDate(contribution.receivedAt)} et publié avec son accord sous licence CC BY-SA 4.0.`;
    const body = { type: 'doc', content: [...paragraphs, credit].map(paragraphOf) };
    const data = {
      titre,
      resume,
      territoire: { nom: commune!.nom, communes: [commune!.code] },
      ...(contribution.entry?.startsWith('fiches/') ? { fiches: [contribution.entry.slice('fiches/'.length)] } : {}),
      themes: chosenThemes,
      statut: 'brouillon',
    };
    const address = await this.freeAddress(slugFromTitle(titre));
    const text = composeEntryText('retours', data, body);
    const found = await this.config.validator.validate('retours', address.slug, text);
    if (found.length) return { problems: found.map((problem) => ({ field: problem.field, message: problem.message })) };
    return { address, text };
  }

  /** A commune from a name or an INSEE code; a name shared by several, or unknown, is a problem. */
  private findCommune(typed: string, problems: Problem[]) {
    if (!typed) {
      problems.push({ field: 'commune', message: 'indiquez la commune (son nom, ou son code INSEE)' });
      return undefined;
    }
    const byCode = /^(\d{5}|2[AB]\d{3})$/i.test(typed) ? getCommune(typed.toUpperCase()) : undefined;
    if (byCode) return byCode;
    const named = findCommunesByName(typed);
    if (named.length === 1) return named[0];
    const list = (communes: typeof named) => communes.map((c) => `${c.nom} (${c.departement.nom}, ${c.code})`).join(', ');
    if (named.length > 1) problems.push({ field: 'commune', message: `plusieurs communes s’appellent ${typed} : ${list(named)} ; indiquez le code INSEE` });
    else {
      const close = suggestCommunes(typed, 3);
      problems.push({ field: 'commune', message: `aucune commune actuelle ne s’appelle « ${typed} »${close.length ? ` ; vouliez-vous dire ${list(close)} ?` : ''}` });
    }
    return undefined;
  }

  /** `retours/<slug>`, or `<slug>-2`, `-3`… when taken in the commons or in the editor. */
  private async freeAddress(slug: string): Promise<EntryAddress> {
    const head = await readHead(this.config.repoDir);
    for (let n = 1; ; n++) {
      const address = parseDocumentName(`retours/${n === 1 ? slug : `${slug}-${n}`}`);
      if ('refused' in address) throw new Error(address.refused);
      if ((await readFileAt(this.config.repoDir, head, address.path)) === undefined && !(await storedHasContent(this.config.documents, address.name))) return address;
    }
  }
}

/** The first sentences of a text, up to the length of a résumé (10 to 400 characters). */
function summaryOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= 300) return flat.length >= 10 ? flat : `${flat} (témoignage)`;
  const cut = flat.slice(0, 300);
  const sentenceEnd = cut.lastIndexOf('. ');
  return sentenceEnd > 80 ? cut.slice(0, sentenceEnd + 1) : `${cut.slice(0, cut.lastIndexOf(' '))}…`;
}

/** A paragraph of plain text (line breaks kept as hard breaks): never read as Markdown or HTML. */
function paragraphOf(text: string) {
  const lines = text.split('\n');
  return {
    type: 'paragraph',
    content: lines.flatMap((line, i) => [...(i ? [{ type: 'hardBreak' }] : []), ...(line ? [{ type: 'text', text: line }] : [])]),
  };
}

function frenchDate(iso: string): string {
  return new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(new Date(iso));
}
