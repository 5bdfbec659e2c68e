/**
 * A contributed MDX body to HTML, without compiling it to code. The body is parsed with the MDX
 * parser the validator uses, checked again against the safe subset (a body that was never
 * validated cannot slip through), and rendered node by node: Markdown as Markdown renders, and
 * each allow-listed component of `schemas/mdx-components.ts` by the function of the same name
 * below. Text and attributes are escaped by the HTML serialiser; nothing contributed runs.
 *
 * The content loader renders each body once and caches the HTML with the entry, so a rebuild
 * renders only the bodies that changed. A cross-reference's title belongs to another entry, and an
 * image's size, variants and credits to its files: both are written as markers here and filled in
 * when the page is built (`linkCrossReferences`, `placeMedias`).
 *
 * Tables are accessible as they are: header cells with their `scope`, an optional caption, and a
 * focusable region around each that scrolls sideways on a phone rather than widening the page.
 */
import GithubSlugger from 'github-slugger';
import type { Element, ElementContent, Nodes as HastNodes, Properties, Root as HastRoot } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Image, ListItem, Nodes, Paragraph, Parents, Root, Table } from 'mdast';
import type { MdxJsxAttribute, MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx';
import { defaultHandlers, toHast, type State } from 'mdast-util-to-hast';
import type { mdxComponents } from '../schemas/mdx-components.ts';
import { parseMdxBody } from './mdx-parse.ts';
import { checkMdxTree, type BodyImage, type BodyReference } from './mdx-safety.ts';
import { ProblemError } from './problem.ts';
import { typesetFrench } from './typography.ts';
import { escapeHtml } from './escape-html.ts';

/** A heading of the body, for a table of contents. */
export interface BodyHeading {
  depth: number;
  slug: string;
  text: string;
}

type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;
type ComponentRenderer = (attributes: Record<string, string>, children: ElementContent[]) => Element;

const element = (tagName: string, properties: Properties, children: ElementContent[] = []): Element => ({ type: 'element', tagName, properties, children });
const text = (value: string): ElementContent => ({ type: 'text', value });

const encadreTitles = { info: 'À savoir', astuce: 'Astuce', attention: 'Attention', exemple: 'Exemple' } as const;

/** Keyed like the allow-list (`Tableau` is rendered with its table, by `renderTable`). */
const components: Record<Exclude<keyof typeof mdxComponents, 'Tableau'>, ComponentRenderer> = {
  Encadre: ({ type = 'info', titre }, children) => {
    const title = titre ?? encadreTitles[type as keyof typeof encadreTitles];
    return element('aside', { className: ['encadre', `encadre--${type}`], ariaLabel: title }, [element('p', { className: ['encadre__titre'] }, [text(title)]), ...children]);
  },
  Etape: ({ titre = '', duree }, children) =>
    element('section', { className: ['etape'] }, [
      element('h3', { className: ['etape__titre'] }, [text(titre), ...(duree ? [element('span', { className: ['etape__duree'] }, [text(` · ${duree}`)])] : [])]),
      ...children,
    ]),
  Ressource: ({ href = '', titre = '', format }) =>
    element('span', { className: ['ressource'] }, [
      element('a', { href }, [text(titre)]),
      ...(format ? [element('span', { className: ['ressource__format'] }, [text(format.toUpperCase())])] : []),
    ]),
  VoirAussi: ({ cible = '' }) =>
    element('p', { className: ['voir-aussi'] }, [text('Voir aussi : '), element('a', { href: `/${cible}/`, dataVoirAussi: cible }, [text(cible)])]),
};

/** Ids of the captions of one body's tables (a body is rendered in one go, on one thread). */
let tableCount = 0;
/** Top-level blocks of the body, to tell an image near the top of the page from the others. */
let topBlocks: readonly Nodes[] = [];

/** How many blocks from the top an image may be and still be loaded at once (it is likely seen). */
const EAGER_BLOCKS = 3;

function renderComponent(state: State, node: JsxElement): Element {
  if (node.name === 'Tableau') {
    const attributes = Object.fromEntries((node.attributes as MdxJsxAttribute[]).map((a) => [a.name, String(a.value)]));
    const result = renderTable(state, node.children[0] as Table, { caption: attributes.titre, rowHeaders: attributes.entetes === 'colonne' });
    state.patch(node, result);
    return result;
  }
  const render = components[node.name as keyof typeof components];
  // checkMdxTree has refused anything else; this guards the renderer if the two ever diverge.
  if (!render) throw new ProblemError([{ line: node.position?.start.line ?? 1, field: `<${node.name}>`, message: 'composant non autorisé' }]);
  const attributes = Object.fromEntries((node.attributes as MdxJsxAttribute[]).map((a) => [a.name, String(a.value)]));
  const result = render(attributes, state.all(node) as ElementContent[]);
  state.patch(node, result);
  return result;
}

/**
 * Renders a body, with its headings and the entries it refers to; throws `ProblemError` (body
 * lines) when it is outside the safe subset.
 */
export function renderBody(body: string): RenderedBody {
  return renderBodyTree(parseMdxBody(body));
}

/** A body rendered: its HTML, headings, the entries it refers to and its images. */
export interface RenderedBody {
  html: string;
  headings: BodyHeading[];
  references: BodyReference[];
  images: BodyImage[];
}

/** Renders a parsed body (`parseMdxBody`), as `renderBody` does; the tree is changed. */
export function renderBodyTree(tree: Root): RenderedBody {
  const { problems, references, images } = checkMdxTree(tree);
  if (problems.length) throw new ProblemError(problems);
  typeset(tree);
  tableCount = 0;
  topBlocks = tree.children.slice(0, EAGER_BLOCKS);
  const hast = toHast(tree, {
    handlers: {
      mdxJsxFlowElement: renderComponent,
      mdxJsxTextElement: renderComponent,
      table: (state, node: Table) => renderTable(state, node, {}),
      paragraph: renderParagraph,
      listItem: renderListItem,
    },
    unknownHandler: (_state, node) => {
      throw new ProblemError([{ line: node.position?.start.line ?? 1, field: 'corps', message: `élément « ${node.type} » non pris en charge` }]);
    },
  }) as HastRoot;
  const headings = addHeadingIds(hast);
  return { html: toHtml(hast), headings, references, images };
}

/**
 * A GFM table in its scrolling region. The first row's cells are column headers unless they are
 * all empty (GFM needs a header row: an empty one means none); with `rowHeaders`, the first cell
 * of each row heads its row. Alignment is a class, as inline styles may be forbidden by the CSP.
 */
function renderTable(state: State, node: Table, options: { caption?: string; rowHeaders?: boolean }): Element {
  const columns = node.children[0]?.children.length ?? 0;
  const hasHeaderRow = node.children[0]?.children.some((cell) => cell.children.length > 0) ?? false;
  const cellOf = (row: Table['children'][number], column: number, header: 'col' | 'row' | false): Element => {
    const cell = row.children[column];
    const align = node.align?.[column];
    const properties: Properties = {
      ...(header ? { scope: header } : {}),
      ...(align ? { className: [`aligne-${{ left: 'gauche', center: 'centre', right: 'droite' }[align]}`] } : {}),
    };
    return element(header ? 'th' : 'td', properties, cell ? (state.all(cell) as ElementContent[]) : []);
  };
  const rowOf = (row: Table['children'][number], header: boolean) =>
    element('tr', {}, Array.from({ length: columns }, (_, column) => cellOf(row, column, header ? 'col' : options.rowHeaders && column === 0 ? 'row' : false)));
  const [first, ...rest] = node.children;
  const id = `legende-tableau-${++tableCount}`;
  const table = element('table', {}, [
    ...(options.caption ? [element('caption', { id }, [text(options.caption)])] : []),
    ...(hasHeaderRow ? [element('thead', {}, [rowOf(first!, true)])] : []),
    element('tbody', {}, (hasHeaderRow ? rest : rest.length ? rest : [first!]).map((row) => rowOf(row, false))),
  ]);
  // A region needs a name: the caption, or the column headers when there is none.
  const headers = hasHeaderRow ? first!.children.map(plainText).filter(Boolean).join(', ') : '';
  const name: Properties = options.caption ? { ariaLabelledBy: [id] } : { ariaLabel: headers ? `Tableau : ${headers}` : 'Tableau' };
  const region = element('div', { className: ['table-scroll'], role: 'region', tabIndex: 0, ...name }, [table]);
  state.patch(node, region);
  return region;
}

/**
 * An image alone in its paragraph is a figure. Its size, variants and credits are filled in when
 * the page is built (`placeMedias`); an image near the top is marked to load at once.
 */
function renderParagraph(state: State, node: Paragraph): Element {
  const only = node.children.length === 1 ? node.children[0] : undefined;
  if (only?.type !== 'image') return defaultHandlers.paragraph(state, node);
  const image = only as Image;
  const eager = topBlocks.includes(node);
  const figure = element('figure', { className: ['media'] }, [
    element('img', { src: image.url, alt: image.alt ?? '', dataMedia: eager ? 'haut' : 'bas' }),
  ]);
  state.patch(node, figure);
  return figure;
}

/** A check-list item shows its box as a mark and says its state in words (no form control). */
function renderListItem(state: State, node: ListItem, parent: Parents | undefined): Element {
  if (typeof node.checked !== 'boolean') return defaultHandlers.listItem(state, node, parent);
  const checked = node.checked;
  const result = defaultHandlers.listItem(state, { ...node, checked: null }, parent);
  result.properties.className = ['tache', ...(checked ? ['tache--faite'] : [])];
  result.children.unshift(
    element('span', { className: ['tache__case'], ariaHidden: 'true' }),
    element('span', { className: ['visually-hidden'] }, [text(checked ? 'Fait : ' : 'À faire : ')]),
  );
  return result;
}

function plainText(node: Nodes): string {
  if ('value' in node && node.type !== 'html') return node.value;
  return 'children' in node ? (node.children as Nodes[]).map(plainText).join('') : '';
}

/** French typography in prose text nodes; code, inline code and link targets are other node types. */
function typeset(node: Nodes): void {
  if (node.type === 'text') {
    node.value = typesetFrench(node.value);
    return;
  }
  if ('children' in node) for (const child of node.children) typeset(child);
}

/** Gives the body's headings (h2–h4) an `id` to link to, as GitHub and Astro spell it. */
function addHeadingIds(tree: HastRoot): BodyHeading[] {
  const slugger = new GithubSlugger();
  const headings: BodyHeading[] = [];
  const walk = (node: HastNodes) => {
    if (node.type === 'element' && /^h[2-4]$/.test(node.tagName) && !node.properties.className) {
      const content = textOf(node);
      node.properties.id = slugger.slug(content);
      headings.push({ depth: Number(node.tagName[1]), slug: String(node.properties.id), text: content });
      return;
    }
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  return headings;
}

function textOf(node: HastNodes): string {
  if (node.type === 'text') return node.value;
  return 'children' in node ? node.children.map(textOf).join('') : '';
}

const CROSS_REFERENCE = /<a href="[^"]*" data-voir-aussi="([^"]+)">[^<]*<\/a>/g;

/**
 * Fills the cross-references of a rendered body with their targets' titles: a link with the
 * title and the kind of entry, or the plain reference when the target does not exist (yet).
 */
export function linkCrossReferences(html: string, lookup: (ref: string) => { url: string; title: string; kind: string } | undefined): string {
  return html.replace(CROSS_REFERENCE, (_marker, ref: string) => {
    const target = lookup(ref);
    return target
      ? `<a href="${escapeHtml(target.url)}">${escapeHtml(target.title)}</a><span class="muted"> (${escapeHtml(target.kind)})</span>`
      : `<span>${ref}</span>`;
  });
}

/** What a page knows of an image of the commons when it is built. */
export interface PlacedMedia {
  /** Size of the image, upright, in pixels. */
  width: number;
  height: number;
  /** WebP variants, smallest first. */
  variants: { src: string; width: number }[];
  credit: { author: string; licence: { name: string; url: string }; source?: string };
}

const MEDIA_MARKER = /<img src="([^"]*)" alt="([^"]*)" data-media="(haut|bas)">/g;

/**
 * The body column is the page's width less its margins on a phone, 46rem at most; 45rem (720 px)
 * lets a wide screen take the 720 px variant, 2 % short of the column, rather than the 1,080 one.
 */
const MEDIA_SIZES = '(min-width: 48rem) 45rem, calc(100vw - 2rem)';

/**
 * Completes the images of a rendered body: variants to choose from (`srcset`/`sizes`), the size
 * (no layout shift while it loads), lazy loading unless it is near the top, and its credits as the
 * figure's caption. An image the lookup does not know is left as it is.
 */
export function placeMedias(html: string, lookup: (src: string) => PlacedMedia | undefined): string {
  return html.replace(MEDIA_MARKER, (marker, src: string, alt: string, place: string) => {
    const media = lookup(src);
    if (!media) return marker;
    const fallback = media.variants.find((variant) => variant.width >= 720) ?? media.variants.at(-1);
    const srcset = media.variants.map((variant) => `${variant.src} ${variant.width}w`).join(', ');
    const { author, licence, source } = media.credit;
    const caption = [
      `Image : <span class="media__auteur">${escapeHtml(author)}</span>`,
      `<a rel="license" href="${escapeHtml(licence.url)}">${escapeHtml(licence.name)}</a>`,
      ...(source ? [`<a href="${escapeHtml(source)}">source</a>`] : []),
    ].join(' · ');
    return (
      `<img src="${escapeHtml(fallback?.src ?? src)}" srcset="${escapeHtml(srcset)}" sizes="${MEDIA_SIZES}" width="${media.width}" height="${media.height}" alt="${alt}"` +
      `${place === 'haut' ? '' : ' loading="lazy"'} decoding="async"><figcaption class="media__credits">${caption}</figcaption>`
    );
  });
}
