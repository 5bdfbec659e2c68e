/**
 * Who wrote an entry, for every output that names its authors: the page, the credit line, JSON-LD,
 * feeds, open data and bundles all use this one list. People come from the Git history (technical
 * identities never), organisations are the structures the entry credits and, for what the commons
 * imported, its collective « Contributeurs de Terreau ».
 */
import { commonsCollective, isCommonsCollective, peopleAmong } from './commons-identities.ts';
import type { FileHistory, Person } from './git-history.ts';

/** An organisation credited as an author: a structure the entry credits, or the commons' collective. */
export interface CreditedOrganisation {
  name: string;
  /** Absolute URL of its page, when it has one. */
  url?: string;
  /** Set for the commons' collective (not a structure of the commons). */
  collective?: true;
}

/** Who wrote an entry. */
export interface Authors {
  /** People from the Git history, in order of first contribution; never a technical identity. */
  people: Person[];
  /** The structures the entry credits, then the commons' collective when it imported the entry. */
  organisations: CreditedOrganisation[];
}

/**
 * The authors of an entry from its history and the structures it credits (already resolved to
 * names and pages). The collective is credited when it created the file (the initial import) or
 * when there is no history to tell.
 */
export function listAuthors(history: FileHistory | undefined, credited: readonly CreditedOrganisation[], siteUrl: URL | string): Authors {
  const organisations = [...credited];
  const creation = history?.changes.at(-1);
  if (!creation || isCommonsCollective(creation.author)) organisations.push({ name: commonsCollective.name, url: new URL('/', siteUrl).href, collective: true });
  return { people: peopleAmong(history?.contributors ?? []), organisations };
}

/** The names of an entry's authors, people first, for text (credit lines, feeds, exports). */
export function authorNames(authors: Authors): string[] {
  return [...authors.people.map((p) => p.name), ...authors.organisations.map((o) => o.name)];
}
