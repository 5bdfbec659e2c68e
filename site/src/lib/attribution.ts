/**
 * Attribution of an entry (TASL: title, author, source, licence) and its JSON-LD. The authors are
 * the people found in the Git history, the structures the entry credits and, for what the commons
 * imported, its collective « Contributeurs de Terreau ». Technical identities (the server, imports,
 * maintenance) are never authors: `authorsOf` is the one list every output uses.
 */
import type { Commons, Entry } from './commons.ts';
import type { FileHistory } from '../../../core/git-history.ts';
import { authorNames, listAuthors, type Authors, type CreditedOrganisation } from '../../../core/authors.ts';
import { typesetFrench } from '../../../core/typography.ts';
import { citationsOf, type DescribedSource } from './sources.ts';

/** A licence as shown to people and machines. */
export interface Licence {
  id: string;
  name: string;
  /** Canonical URL of the licence, for data (JSON-LD, exports, credit lines). */
  url: string;
  /** Human-readable summary in French, for links people follow. */
  deedUrl: string;
}

const KNOWN_LICENCES: Record<string, Omit<Licence, 'id'>> = {
  'CC-BY-SA-4.0': { name: 'CC BY-SA 4.0', url: 'https://creativecommons.org/licenses/by-sa/4.0/', deedUrl: 'https://creativecommons.org/licenses/by-sa/4.0/deed.fr' },
  'CC-BY-4.0': { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/', deedUrl: 'https://creativecommons.org/licenses/by/4.0/deed.fr' },
  'CC0-1.0': { name: 'CC0 1.0', url: 'https://creativecommons.org/publicdomain/zero/1.0/', deedUrl: 'https://creativecommons.org/publicdomain/zero/1.0/deed.fr' },
  'CC-PDM-1.0': { name: 'Domaine public', url: 'https://creativecommons.org/publicdomain/mark/1.0/', deedUrl: 'https://creativecommons.org/publicdomain/mark/1.0/deed.fr' },
  'etalab-2.0': {
    name: 'Licence Ouverte 2.0',
    url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
    deedUrl: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
  },
};

/** The licence of an SPDX identifier, with a readable name, its canonical URL and its French deed. */
export function licenceOf(id: string): Licence {
  const known = KNOWN_LICENCES[id];
  if (known) return { id, ...known };
  const url = `https://spdx.org/licenses/${encodeURIComponent(id)}.html`;
  return { id, name: id, url, deedUrl: url };
}

/**
 * The authors of an entry (core/authors.ts), its credited structures resolved to their names and
 * pages: the one list for the page, credit line, JSON-LD, feeds and open data.
 */
export function authorsOf(entry: Entry, history: FileHistory | undefined, commons: Commons, site: URL): Authors {
  const credited = entry.data.credits.map((slug): CreditedOrganisation => {
    const structure = commons.byRef.get(`structures/${slug}`);
    return structure ? { name: structure.data.titre, url: new URL(structure.url, site).href } : { name: slug };
  });
  return listAuthors(history, credited, site);
}

/** Everything needed to credit an entry correctly. */
export interface Attribution {
  title: string;
  authors: Authors;
  /** Absolute URL of the entry. */
  sourceUrl: string;
  licence: Licence;
  /** What the entry adapts: title (when known), absolute URL (when public) and what changed. */
  basedOn?: { title: string; url?: string; changes: string };
  /** Images of the body, each with its own author and licence. */
  images: CreditedImage[];
  /** Ready-made credit line, as plain text. */
  creditLine: string;
}

/** An image of an entry, credited on its own (its licence may differ from the text's). */
export interface CreditedImage {
  /** Absolute URL of the image file. */
  url: string;
  /** Its alternative text, which says what it shows. */
  alt: string;
  author: string;
  licence: Licence;
  /** Where it was first published, when it comes from elsewhere. */
  source?: string;
}

/** Builds the attribution of an entry from its history, the commons and the credits of its images. */
export function attributionOf(entry: Entry, history: FileHistory | undefined, commons: Commons, site: URL, images: CreditedImage[] = []): Attribution {
  const authors = authorsOf(entry, history, commons, site);
  const derivation = entry.data.derive_de;
  let basedOn: Attribution['basedOn'];
  if (derivation) {
    const parent = commons.byRef.get(derivation.source);
    // An entry that is not public (a brouillon) has no page to point to: its reference is named alone.
    basedOn = parent
      ? { title: parent.data.titre, url: new URL(parent.url, site).href, changes: derivation.changements }
      : { title: derivation.source, ...(derivation.source.startsWith('http') ? { url: derivation.source } : {}), changes: derivation.changements };
  }
  const licence = licenceOf(entry.data.licence);
  const sourceUrl = new URL(entry.url, site).href;
  const creditLine = [
    `« ${entry.data.titre} »`,
    `par ${joinFrench(authorNames(authors))}`,
    `Terreau, ${sourceUrl}`,
    `licence ${licence.name} (${licence.url})`,
  ].join(', ') + (basedOn ? `. Adapté de « ${basedOn.title} »${basedOn.url ? ` (${basedOn.url})` : ''}.` : '.') + creditImages(images);
  return { title: entry.data.titre, authors, sourceUrl, licence, ...(basedOn ? { basedOn } : {}), images, creditLine };
}

/** The images' part of a credit line: each author with the licence of their image. */
function creditImages(images: CreditedImage[]): string {
  if (images.length === 0) return '';
  const credits = [...new Set(images.map((image) => `${image.author} (${image.licence.name})`))];
  return ` Image${images.length > 1 ? 's' : ''} : ${joinFrench(credits)}.`;
}

/** Joins names the French way: « A, B et C ». */
export function joinFrench(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} et ${names.at(-1)}`;
}

/** JSON-LD of an entry: HowTo for fiches and guides, CreativeWork for the others (retours…); its text is typeset. */
export function jsonLdOf(entry: Entry, attribution: Attribution, history: FileHistory | undefined, sources: DescribedSource[] = []): Record<string, unknown> {
  const type = entry.collection === 'fiches' || entry.collection === 'guides' ? 'HowTo' : 'CreativeWork';
  const people = attribution.authors.people.map((p) => ({ '@type': 'Person', name: p.name }));
  const organisationOf = (o: CreditedOrganisation) => ({ '@type': 'Organization', name: o.name, ...(o.url ? { url: o.url } : {}) });
  const organisations = attribution.authors.organisations.map(organisationOf);
  const structures = attribution.authors.organisations.filter((o) => !o.collective).map(organisationOf);
  const authors = [...people, ...organisations];
  const changes = history?.changes ?? [];
  const places = (entry.territory?.communes ?? []).map((c) => ({
    '@type': 'Place',
    name: c.nom,
    identifier: `INSEE:${c.code}`,
    containedInPlace: { '@type': 'AdministrativeArea', name: c.departement.nom },
  }));
  const departements = entry.territory && entry.territory.communes.length === 0
    ? entry.territory.departements.map((d) => ({ '@type': 'AdministrativeArea', name: d.nom, identifier: `departement:${d.code}` }))
    : [];
  const spatial = [...places, ...departements];
  const citation = citationsOf(sources);
  return typesetText({
    '@context': 'https://schema.org',
    '@type': type,
    '@id': attribution.sourceUrl,
    name: attribution.title,
    headline: attribution.title,
    description: entry.data.resume,
    url: attribution.sourceUrl,
    inLanguage: 'fr',
    license: attribution.licence.url,
    ...(authors.length ? { author: authors, contributor: people.length ? people : organisations } : {}),
    ...(structures.length ? { sourceOrganization: structures } : {}),
    ...(attribution.basedOn
      ? { isBasedOn: { '@type': 'CreativeWork', name: attribution.basedOn.title, ...(attribution.basedOn.url ? { url: attribution.basedOn.url } : {}) } }
      : {}),
    ...(attribution.images.length
      ? {
          associatedMedia: attribution.images.map((image) => ({
            '@type': 'ImageObject',
            contentUrl: image.url,
            caption: image.alt,
            creator: { name: image.author },
            license: image.licence.url,
            creditText: `${image.author}, ${image.licence.name}`,
            ...(image.source ? { isBasedOn: image.source } : {}),
          })),
        }
      : {}),
    ...(citation.length ? { citation } : {}),
    ...(spatial.length ? { spatialCoverage: spatial.length === 1 ? spatial[0] : spatial } : {}),
    ...(changes.length ? { dateCreated: changes.at(-1)!.date, dateModified: changes[0]!.date } : {}),
    isPartOf: { '@type': 'WebSite', name: 'Terreau', url: new URL('/', attribution.sourceUrl).href },
    creditText: attribution.creditLine,
  }) as Record<string, unknown>;
}

// JSON-LD properties read as prose by people; identifiers, URLs and dates are left as they are.
const PROSE_KEYS = new Set(['name', 'headline', 'description', 'creditText']);

function typesetText(value: unknown, key?: string): unknown {
  if (typeof value === 'string') return key && PROSE_KEYS.has(key) ? typesetFrench(value) : value;
  if (Array.isArray(value)) return value.map((item) => typesetText(item, key));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typesetText(v, k)]));
  return value;
}
