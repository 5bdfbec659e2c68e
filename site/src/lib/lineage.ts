/**
 * Lineage of an entry across territories: what it adapts (an entry of this commons, or of
 * another commons by its full URL) and the family tree it belongs to — the source, its
 * adaptations, their adaptations — with the territory each was made for. Only public entries
 * (core/editorial-status.ts) appear: a brouillon joins the tree once it is proposed.
 */
import { isPublicEntry } from '../../../core/editorial-status.ts';
import type { Commons, Entry } from './commons.ts';

/** What an entry's `derive_de.source` points to. */
export type LineageSource = { kind: 'entry'; entry: Entry } | { kind: 'external'; url: string } | { kind: 'missing'; ref: string };

/** One entry of a family tree and the adaptations of it. */
export interface FamilyNode {
  entry: Entry;
  /** The territory it was made for, as shown in the tree. */
  territory?: string;
  changes?: string;
  children: FamilyNode[];
}

/**
 * Resolves a `derive_de.source`: a `collection/slug` of this commons, a full URL of a page of this
 * site (the same entry), or a URL of another commons.
 */
export function resolveLineageSource(source: string, commons: Commons, site: URL): LineageSource {
  if (!/^https?:/i.test(source)) {
    const entry = commons.byRef.get(source);
    return entry && isPublicEntry(entry.data) ? { kind: 'entry', entry } : { kind: 'missing', ref: source };
  }
  const url = new URL(source);
  const own = /^\/([a-z]+)\/([a-z0-9-]+)\/?$/.exec(url.pathname);
  if (url.origin === site.origin && own) {
    const entry = commons.byRef.get(`${own[1]}/${own[2]}`);
    if (entry && isPublicEntry(entry.data)) return { kind: 'entry', entry };
  }
  return { kind: 'external', url: url.href };
}

/** The territory an entry was made for: named by its adaptation, else its own communes. */
export function territoryOf(entry: Entry): string | undefined {
  const named = entry.data.derive_de?.territoire;
  if (named) return named;
  const facts = entry.territory;
  if (!facts) return undefined;
  if (facts.communes.length === 1) return `${facts.communes[0]!.nom} (${facts.communes[0]!.departement.nom})`;
  if (facts.communes.length > 1) return `${facts.communes.length} communes (${facts.departements.map((d) => d.nom).join(', ')})`;
  return facts.departements.map((d) => d.nom).join(', ') || undefined;
}

const adaptationsCache = new WeakMap<Commons, Map<string, Entry[]>>();

/**
 * The adaptations of each public entry, including those that name it by a URL of this site;
 * computed once per build (every entry page asks).
 */
export function adaptationsByParent(commons: Commons, site: URL): Map<string, Entry[]> {
  const cached = adaptationsCache.get(commons);
  if (cached) return cached;
  const children = new Map<string, Entry[]>();
  adaptationsCache.set(commons, children);
  for (const entry of commons.entries) {
    const source = entry.data.derive_de?.source;
    if (!source || !isPublicEntry(entry.data)) continue;
    const parent = resolveLineageSource(source, commons, site);
    if (parent.kind !== 'entry') continue;
    children.set(parent.entry.ref, [...(children.get(parent.entry.ref) ?? []), entry]);
  }
  return children;
}

/**
 * The family tree an entry belongs to, from its oldest public ancestor in this commons; undefined
 * when the entry neither adapts nor is adapted.
 */
export function familyTreeOf(entry: Entry, commons: Commons, site: URL, children = adaptationsByParent(commons, site)): FamilyNode | undefined {
  let root = entry;
  const seen = new Set([root.ref]);
  for (;;) {
    const source = root.data.derive_de?.source;
    const parent = source ? resolveLineageSource(source, commons, site) : undefined;
    // A cycle is refused by the validator; the guard keeps a broken tree from looping.
    if (parent?.kind !== 'entry' || seen.has(parent.entry.ref)) break;
    root = parent.entry;
    seen.add(root.ref);
  }
  // The map above is computed once per build; reading each node's adaptations through the commons
  // records, on this page, that it shows them (incremental publishing renders it again when they change).
  const adaptationsOf = (ref: string) => {
    commons.adaptations.get(ref);
    return children.get(ref);
  };
  if (root === entry && !(adaptationsOf(entry.ref)?.length)) return undefined;
  const build = (node: Entry, path: Set<string>): FamilyNode => ({
    entry: node,
    ...(territoryOf(node) ? { territory: territoryOf(node) } : {}),
    ...(node.data.derive_de?.changements && node !== root ? { changes: node.data.derive_de.changements } : {}),
    children: (adaptationsOf(node.ref) ?? []).filter((child) => !path.has(child.ref)).map((child) => build(child, new Set([...path, child.ref]))),
  });
  return build(root, new Set([root.ref]));
}
