/** Atom feeds of changes (whole site and per entry), written by endpoints at build time; titles and messages are typeset, diffs are not. */
import type { Change } from '../../../core/git-history.ts';
import { typesetFrench } from '../../../core/typography.ts';

/** One item of a feed. */
export interface FeedItem {
  change: Change;
  /** Title of the entry the change touched. */
  title: string;
  /** Absolute URL of the entry's history page. */
  url: string;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** Renders an Atom 1.0 feed; `updated` falls back to `now` when there is no change yet. */
export function renderAtomFeed(options: { id: string; title: string; selfUrl: string; pageUrl: string; items: FeedItem[]; now?: Date }): string {
  const updated = options.items[0]?.change.date ?? (options.now ?? new Date()).toISOString();
  const entries = options.items.map(({ change, title, url }) => {
    const people = [change.author, ...change.coAuthors];
    return `  <entry>
    <id>${escapeXml(`${url}#${change.commit}`)}</id>
    <title>${escapeXml(typesetFrench(`${title} — ${change.subject}`))}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(url)}"/>
    <updated>${escapeXml(change.date)}</updated>
${people.map((p) => `    <author><name>${escapeXml(p.name)}</name></author>`).join('\n')}
    <summary type="text">${escapeXml(typesetFrench(change.message))}</summary>
    <content type="text">${escapeXml(change.diff)}</content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <id>${escapeXml(options.id)}</id>
  <title>${escapeXml(typesetFrench(options.title))}</title>
  <link rel="self" type="application/atom+xml" href="${escapeXml(options.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(options.pageUrl)}"/>
  <updated>${escapeXml(updated)}</updated>
  <author><name>Contributeurs et contributrices de Terreau</name></author>
  <rights>CC BY-SA 4.0</rights>
${entries.join('\n')}
</feed>
`;
}
