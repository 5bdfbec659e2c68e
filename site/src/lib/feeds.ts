/** Atom feeds of changes (whole site and per entry), written by endpoints at build time; titles and messages are typeset, diffs are not. */
import type { Change } from '../../../core/git-history.ts';
import { commonsCollective, creditedName } from '../../../core/commons-identities.ts';
import { typesetFrench } from '../../../core/typography.ts';
import { joinFrench } from './attribution.ts';

/** One item of a feed. */
export interface FeedItem {
  change: Change;
  /** What the change touched, as readers know it (an entry's title). */
  title: string;
  /** Absolute URL to read the change (an entry's history) or what it touched. */
  url: string;
}

const verbs: Record<Change['status'], string> = { ajout: 'Création', modification: 'Modification', suppression: 'Suppression' };

/** The names of who made a change: its author and co-authors, technical identities shown as the collective. */
export function changeAuthors(change: Change): string[] {
  return [...new Set([change.author, ...change.coAuthors].map(creditedName))];
}

/**
 * The French title of a change: « Modification de « Titre » par Claire A. »; a validation by its
 * own authors is « Validation de « Titre » par Rose R. », one by others names them after.
 */
export function changeTitle(change: Change, title: string): string {
  const authors = changeAuthors(change);
  const reviewers = [...new Set(change.reviewers.map(creditedName))];
  if (reviewers.length && reviewers.every((name) => authors.includes(name)) && change.status !== 'suppression') {
    return `Validation de « ${title} » par ${joinFrench(authors)}`;
  }
  return `${verbs[change.status]} de « ${title} » par ${joinFrench(authors)}${reviewers.length ? `, relue et validée par ${joinFrench(reviewers)}` : ''}`;
}

/**
 * The Atom id of one change of one file: unique across the site (one commit may touch many
 * files) and the same in every feed that lists it.
 */
export function changeId(site: URL, change: Change): string {
  return new URL(`/modifications/#${change.commit}/${encodeURI(change.file)}`, site).href;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** Renders an Atom 1.0 feed; `updated` falls back to `now` when there is no change yet. */
export function renderAtomFeed(options: { id: string; site: URL; title: string; selfUrl: string; pageUrl: string; items: FeedItem[]; now?: Date }): string {
  const updated = options.items[0]?.change.date ?? (options.now ?? new Date()).toISOString();
  const entries = options.items.map(({ change, title, url }) => `  <entry>
    <id>${escapeXml(changeId(options.site, change))}</id>
    <title>${escapeXml(typesetFrench(changeTitle(change, title)))}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(url)}"/>
    <updated>${escapeXml(change.date)}</updated>
${changeAuthors(change).map((name) => `    <author><name>${escapeXml(name)}</name></author>`).join('\n')}
    <summary type="text">${escapeXml(typesetFrench(change.subject))}</summary>
    <content type="text">${escapeXml(change.diff)}</content>
  </entry>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <id>${escapeXml(options.id)}</id>
  <title>${escapeXml(typesetFrench(options.title))}</title>
  <link rel="self" type="application/atom+xml" href="${escapeXml(options.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(options.pageUrl)}"/>
  <updated>${escapeXml(updated)}</updated>
  <author><name>${escapeXml(commonsCollective.name)}</name></author>
  <rights>CC BY-SA 4.0</rights>
${entries.join('\n')}
</feed>
`;
}
