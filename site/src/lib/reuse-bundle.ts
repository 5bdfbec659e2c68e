/**
 * A reuse bundle: a ZIP a licensee can take away and republish with correct credits — the sources
 * as written (MDX, YAML), a printable booklet (one HTML file, A4, with a table of contents),
 * ATTRIBUTION.md with a TASL line per file, the licence text with REUSE metadata, the JSON-LD of
 * the entries and a datapackage.json. Pure functions of the entries (no Node API): the site build
 * writes the whole-commons and per-collection bundles with them, and the browser assembles any
 * selection from the static per-entry files with the same code (fflate).
 */
import { strToU8, zipSync } from 'fflate';
import { escapeHtml } from '../../../core/escape-html.ts';

/** Everything a bundle needs to know about one file of the commons (a static per-entry file holds one). */
export interface BundleEntry {
  /** `fiches/jardin-partage` (or `referentiel/resilience-alimentaire` for a data file). */
  ref: string;
  /** Path of the source file in the commons, written under `contenu/` in the bundle. */
  file: string;
  /** Singular French kind (« fiche-action »), shown in the booklet. */
  kind: string;
  title: string;
  summary?: string;
  /** Absolute address of its page. */
  url: string;
  /** The file's text, as in the commons. */
  source: string;
  /** Body as the page shows it (site-relative links); null for files that are not in the booklet. */
  html: string | null;
  /** Every contributor from the history, then the structures credited. */
  authors: string[];
  licence: { id: string; name: string; url: string };
  /** What it adapts, if anything. */
  /** What the entry adapts; no URL when the original is not public. */
  basedOn?: { title: string; url?: string; changes: string };
  /** Its JSON-LD, as on its page. */
  jsonLd: Record<string, unknown>;
  /** Ready-made credit line, as on its page. */
  creditLine: string;
}

/** What a bundle is, beyond its entries. */
export interface BundleInfo {
  /** « Terreau — fiches-actions ». */
  title: string;
  /** File-name-safe name (« terreau-fiches »), also the datapackage's name. */
  name: string;
  /** Home page of the site, absolute. */
  site: string;
  /** Full text of CC BY-SA 4.0. */
  licenceText: string;
  /** When the bundle was made (ZIP dates, « copie du … »). */
  generatedAt: Date;
}

const CC_BY_SA = { id: 'CC-BY-SA-4.0', name: 'CC BY-SA 4.0', url: 'https://creativecommons.org/licenses/by-sa/4.0/' };

/** The files of a bundle, by path. */
export function bundleFiles(entries: readonly BundleEntry[], info: BundleInfo): Map<string, string> {
  const files = new Map<string, string>();
  files.set('LISEZMOI.md', readme(entries, info));
  files.set('ATTRIBUTION.md', attributionFile(entries, info));
  files.set('LICENSES/CC-BY-SA-4.0.txt', info.licenceText);
  files.set('REUSE.toml', reuseToml(entries));
  files.set('livret.html', booklet(entries, info));
  files.set('entrees.jsonld', `${JSON.stringify({ '@context': 'https://schema.org', '@graph': entries.map(({ jsonLd }) => withoutContext(jsonLd)) }, null, 2)}\n`);
  files.set('entrees.json', `${JSON.stringify(entries.map(describeEntry), null, 2)}\n`);
  files.set('datapackage.json', `${JSON.stringify(dataPackage(entries, info), null, 2)}\n`);
  for (const entry of entries) files.set(`contenu/${entry.file}`, entry.source);
  return files;
}

/** The bundle as a ZIP (deflated; every file dated when the bundle was made). */
export function zipBundle(files: Map<string, string>, generatedAt: Date): Uint8Array<ArrayBuffer> {
  const zippable: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const [path, text] of files) zippable[path] = [strToU8(text), { mtime: generatedAt }];
  return zipSync(zippable, { level: 6 });
}

/** « 12 mars 2026 ». */
function frenchDate(date: Date): string {
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(date);
}

/** « A, B et C ». */
function joinFrench(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} et ${names.at(-1)}`;
}

function authorsOf(entry: BundleEntry): string {
  return entry.authors.length ? joinFrench(entry.authors) : 'les contributrices et contributeurs de Terreau';
}

/** The TASL line of one file: title, authors, source, licence, and what changed. */
export function attributionLine(entry: BundleEntry, info: Pick<BundleInfo, 'generatedAt'>): string {
  const changes = entry.basedOn
    ? `adaptation de « ${entry.basedOn.title} »${entry.basedOn.url ? ` (${entry.basedOn.url})` : ''} : ${entry.basedOn.changes} ; copie sans modification du ${frenchDate(info.generatedAt)}`
    : `aucune, copie du ${frenchDate(info.generatedAt)}`;
  return `- \`contenu/${entry.file}\` — « ${entry.title} », par ${authorsOf(entry)} ; source : ${entry.url} ; licence : ${entry.licence.name} (${entry.licence.url}) ; modifications : ${changes}.`;
}

function attributionFile(entries: readonly BundleEntry[], info: BundleInfo): string {
  return [
    `# Attribution — ${info.title}`,
    '',
    `Ce dossier reprend ${entries.length} fichier${entries.length > 1 ? 's' : ''} du commun Terreau (${info.site}), tel${entries.length > 1 ? 's' : ''} que publié${entries.length > 1 ? 's' : ''} le ${frenchDate(info.generatedAt)}.`,
    'Chaque ligne donne le titre, les auteurs (les personnes de l’historique, puis les structures créditées et, pour ce que le commun a importé, ses contributeurs), la source, la licence et les modifications.',
    'Si vous republiez ou adaptez un contenu, reprenez sa ligne et ajoutez ce que vous avez changé.',
    '',
    ...entries.map((entry) => attributionLine(entry, info)),
    '',
  ].join('\n');
}

function readme(entries: readonly BundleEntry[], info: BundleInfo): string {
  return [
    `# ${info.title}`,
    '',
    `Un dossier à réutiliser, tiré de Terreau (${info.site}) le ${frenchDate(info.generatedAt)} : ${entries.length} fichier${entries.length > 1 ? 's' : ''}.`,
    '',
    '- `livret.html` : toutes les entrées en un document à lire ou à imprimer (A4, avec sommaire) ;',
    '- `contenu/` : les sources, telles qu’écrites dans le commun (MDX et YAML) ;',
    '- `ATTRIBUTION.md` : la ligne de crédit de chaque fichier, à reprendre quand vous republiez ;',
    '- `LICENSES/CC-BY-SA-4.0.txt` et `REUSE.toml` : la licence, et quel fichier est sous quelle licence ;',
    '- `entrees.jsonld` et `entrees.json` : la description des entrées, pour les machines ;',
    '- `datapackage.json` : l’inventaire du dossier (Frictionless Data Package).',
    '',
    'Licence : Creative Commons Attribution – Partage dans les mêmes conditions 4.0 International (CC BY-SA 4.0).',
    'Citez les auteurs et la source, indiquez vos modifications, et partagez vos adaptations sous la même licence.',
    `Pour tout le commun avec son historique : git clone ${info.site.replace(/\/$/, '')}/commons.git`,
    '',
  ].join('\n');
}

/** TOML basic strings share JSON's escapes. */
const tomlString = (text: string) => JSON.stringify(text);

function reuseToml(entries: readonly BundleEntry[]): string {
  const lines = [
    'version = 1',
    `SPDX-PackageName = ${tomlString('Terreau')}`,
    '',
    '[[annotations]]',
    'path = ["LISEZMOI.md", "ATTRIBUTION.md", "livret.html", "entrees.jsonld", "entrees.json", "datapackage.json", "REUSE.toml"]',
    'precedence = "aggregate"',
    `SPDX-FileCopyrightText = ${tomlString('Les contributrices et contributeurs de Terreau (voir ATTRIBUTION.md)')}`,
    `SPDX-License-Identifier = ${tomlString(CC_BY_SA.id)}`,
  ];
  for (const entry of entries) {
    lines.push(
      '',
      '[[annotations]]',
      `path = ${tomlString(`contenu/${entry.file}`)}`,
      'precedence = "aggregate"',
      `SPDX-FileCopyrightText = ${tomlString(authorsOf(entry))}`,
      `SPDX-License-Identifier = ${tomlString(entry.licence.id)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function withoutContext(jsonLd: Record<string, unknown>): Record<string, unknown> {
  const { '@context': _context, ...rest } = jsonLd;
  return rest;
}

function describeEntry(entry: BundleEntry) {
  return {
    ref: entry.ref,
    fichier: `contenu/${entry.file}`,
    titre: entry.title,
    ...(entry.summary ? { resume: entry.summary } : {}),
    url: entry.url,
    auteurs: entry.authors,
    licence: entry.licence.id,
    ...(entry.basedOn ? { derive_de: entry.basedOn } : {}),
    credit: entry.creditLine,
  };
}

/** Frictionless Data Package: one resource per source file, plus the descriptions and the booklet. */
function dataPackage(entries: readonly BundleEntry[], info: BundleInfo) {
  const resourceName = (text: string) => text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  return {
    name: resourceName(info.name),
    title: info.title,
    homepage: info.site,
    created: info.generatedAt.toISOString(),
    licenses: [{ name: CC_BY_SA.id, path: CC_BY_SA.url, title: 'Creative Commons Attribution Share-Alike 4.0' }],
    contributors: [...new Set(entries.flatMap((e) => e.authors))].map((title) => ({ title, role: 'author' })),
    resources: [
      { name: 'entrees', path: 'entrees.json', format: 'json', mediatype: 'application/json', title: 'Description des entrées' },
      { name: 'entrees-jsonld', path: 'entrees.jsonld', format: 'jsonld', mediatype: 'application/ld+json', title: 'Les entrées en JSON-LD (schema.org)' },
      { name: 'livret', path: 'livret.html', format: 'html', mediatype: 'text/html', title: 'Livret imprimable' },
      { name: 'attribution', path: 'ATTRIBUTION.md', format: 'md', mediatype: 'text/markdown', title: 'Crédits de chaque fichier' },
      ...entries.map((entry) => ({
        name: resourceName(entry.ref),
        path: `contenu/${entry.file}`,
        format: entry.file.endsWith('.yaml') ? 'yaml' : 'mdx',
        mediatype: entry.file.endsWith('.yaml') ? 'application/yaml' : 'text/markdown',
        title: entry.title,
        sources: [{ title: 'Terreau', path: entry.url }],
        licenses: [{ name: entry.licence.id, path: entry.licence.url }],
      })),
    ],
  };
}

/** Where an entry is in the booklet. */
const anchorOf = (ref: string) => `e-${ref.replace('/', '-')}`;

/**
 * An entry's body for the booklet: headings one level down (the entry's title is the h2), ids and
 * in-page links made unique to the entry, links to entries of the booklet kept inside it, other
 * site links made absolute so that they work from a file.
 */
function bookletBody(entry: BundleEntry, inBooklet: Set<string>, site: string): string {
  const anchor = anchorOf(entry.ref);
  return (entry.html ?? '')
    .replace(/<(\/?)h([2-5])\b/g, (_match, slash: string, level: string) => `<${slash}h${Number(level) + 1}`)
    .replace(/ id="([^"]+)"/g, ` id="${anchor}--$1"`)
    .replace(/ href="#([^"]*)"/g, ` href="#${anchor}--$1"`)
    .replace(/ href="\/([a-z]+)\/([a-z0-9-]+)\/"/g, (match, collection: string, slug: string) =>
      inBooklet.has(`${collection}/${slug}`) ? ` href="#${anchorOf(`${collection}/${slug}`)}"` : match,
    )
    .replace(/ href="\/(?!\/)/g, ` href="${site.replace(/\/$/, '')}/`);
}

/** The printable booklet: one HTML file, A4 pages, a table of contents, each entry on its own pages with its credits. */
function booklet(entries: readonly BundleEntry[], info: BundleInfo): string {
  const printed = entries.filter((e) => e.html !== null);
  const inBooklet = new Set(printed.map((e) => e.ref));
  const contents = printed.map((e) => `<li><a href="#${anchorOf(e.ref)}">${escapeHtml(e.title)}</a> <span class="genre">${escapeHtml(e.kind)}</span></li>`).join('\n');
  const articles = printed
    .map(
      (e) => `<article id="${anchorOf(e.ref)}" aria-labelledby="${anchorOf(e.ref)}-titre">
<p class="genre">${escapeHtml(e.kind)}</p>
<h2 id="${anchorOf(e.ref)}-titre">${escapeHtml(e.title)}</h2>
${e.summary ? `<p class="resume">${escapeHtml(e.summary)}</p>` : ''}
${bookletBody(e, inBooklet, info.site)}
<footer class="credit">
<p><strong>Crédits :</strong> ${escapeHtml(e.creditLine)}</p>
</footer>
</article>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)}</title>
<style>
@page { size: A4; margin: 18mm 17mm 20mm; }
html { font-family: Georgia, 'DejaVu Serif', serif; font-size: 11pt; line-height: 1.5; color: #1d2620; background: #fff; }
body { max-width: 46rem; margin: 0 auto; padding: 1.5rem; }
h1, h2, h3, h4, h5 { font-family: system-ui, 'DejaVu Sans', sans-serif; color: #1f4128; line-height: 1.2; break-after: avoid; }
h1 { font-size: 2rem; margin: 0 0 0.5rem; }
h2 { font-size: 1.5rem; margin: 0 0 0.4rem; }
h3 { font-size: 1.2rem; margin: 1.4rem 0 0.4rem; }
h4, h5 { font-size: 1.05rem; margin: 1.1rem 0 0.3rem; }
a { color: #1f5a86; }
p, li { orphans: 3; widows: 3; }
.genre { font-family: system-ui, 'DejaVu Sans', sans-serif; font-size: 0.85rem; text-transform: uppercase; letter-spacing: 0.04em; color: #4a564d; margin: 0; }
nav .genre { text-transform: none; letter-spacing: 0; }
.resume { font-size: 1.1rem; color: #4a564d; }
.encadre { border: 1px solid #cfd6cb; border-left: 5px solid #2f5d3a; padding: 0.2rem 1rem; margin: 1rem 0; break-inside: avoid; }
.encadre--attention { border-left-color: #8a3b12; }
.encadre__titre { font-weight: bold; }
.etape { border-left: 3px solid #cfd6cb; padding-left: 1rem; margin: 1rem 0; }
.etape__duree, .ressource__format { color: #4a564d; font-weight: normal; }
.credit { border-top: 1px solid #cfd6cb; margin-top: 2rem; padding-top: 0.5rem; font-size: 0.9rem; }
.couverture p { color: #4a564d; }
table { border-collapse: collapse; } th, td { border: 1px solid #cfd6cb; padding: 0.2rem 0.5rem; }
@media print {
  body { max-width: none; padding: 0; }
  article { break-before: page; }
  nav { break-before: page; }
  a { color: inherit; }
}
</style>
</head>
<body>
<header class="couverture">
<h1>${escapeHtml(info.title)}</h1>
<p>Tiré de Terreau (<a href="${escapeHtml(info.site)}">${escapeHtml(info.site)}</a>) le ${frenchDate(info.generatedAt)} · ${printed.length} entrée${printed.length > 1 ? 's' : ''}.</p>
<p>Sous licence <a rel="license" href="${CC_BY_SA.url}">Creative Commons Attribution – Partage dans les mêmes conditions 4.0</a> : citez les auteurs et la source de chaque entrée (voir ses crédits), et partagez vos adaptations sous la même licence.</p>
</header>
<nav aria-labelledby="sommaire">
<h2 id="sommaire">Sommaire</h2>
<ol>
${contents}
</ol>
</nav>
<main>
${articles}
</main>
</body>
</html>
`;
}
