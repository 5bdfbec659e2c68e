/**
 * A contributed MDX body to HTML, without compiling it to code. The body is parsed with the MDX
 * parser the validator uses, checked again against the safe subset (a body that was never
 * validated cannot slip through), and rendered node by node: Markdown as Markdown renders, and
 * each allow-listed component of `schemas/mdx-components.ts` by the function of the same name
 * below. Text and attributes are escaped by the HTML serialiser; nothing contributed runs.
 *
 * The content loader renders each body once and caches the HTML with the entry, so a rebuild
 * renders only the bodies that changed. A cross-reference's title belongs to another entry: it is
 * written as a marker here and filled in when the page is built (`linkCrossReferences`).
 */
import GithubSlugger from 'github-slugger';
import type { Element, ElementContent, Nodes as HastNodes, Properties, Root as HastRoot } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Nodes, Root } from 'mdast';
import type { MdxJsxAttribute, MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx';
import { toHast, type State } from 'mdast-util-to-hast';
import type { mdxComponents } from '../schemas/mdx-components.ts';
import { parseMdxBody } from './mdx-parse.ts';
import { checkMdxTree, type BodyReference } from './mdx-safety.ts';
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

/** Keyed like the allow-list, so a component missing here fails the type check. */
const components: Record<keyof typeof mdxComponents, ComponentRenderer> = {
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

function renderComponent(state: State, node: JsxElement): Element {
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
export function renderBody(body: string): { html: string; headings: BodyHeading[]; references: BodyReference[] } {
  const tree: Root = parseMdxBody(body);
  const { problems, references } = checkMdxTree(tree);
  if (problems.length) throw new ProblemError(problems);
  typeset(tree);
  const hast = toHast(tree, {
    handlers: { mdxJsxFlowElement: renderComponent, mdxJsxTextElement: renderComponent },
    unknownHandler: (_state, node) => {
      throw new ProblemError([{ line: node.position?.start.line ?? 1, field: 'corps', message: `élément « ${node.type} » non pris en charge` }]);
    },
  }) as HastRoot;
  const headings = addHeadingIds(hast);
  return { html: toHtml(hast), headings, references };
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
