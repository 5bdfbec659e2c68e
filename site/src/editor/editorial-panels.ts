/**
 * What the editor shows of the editorial workflow around an open entry: whether it is a brouillon
 * (not public yet, so no public page to visit), an « Aperçu » rendered by the site's own renderer
 * (core/body-html.ts), and what the server did not keep of an edit (a « validé » set by someone
 * who may not validate), as the status protocol says.
 */
import type { HocuspocusProvider } from '@hocuspocus/provider';
import type * as Y from 'yjs';
import type { StatusMessage } from '../../../core/collab-protocol.ts';
import { readField } from '../../../core/bridge/mdx-yjs.ts';
import { isPublicEntry } from '../../../core/editorial-status.ts';
import type { CollectionName } from '../../../schemas/common.ts';

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Shows « Brouillon : pas encore publié » instead of the public page link while the entry is a brouillon. */
export function showDraftState(doc: Y.Doc): void {
  const frontmatter = doc.getMap<unknown>('frontmatter');
  const update = () => {
    // An entry not loaded yet has no statut either: say nothing until its data arrives.
    if (frontmatter.size === 0) return;
    const statut = readField(frontmatter, 'statut');
    const draft = !isPublicEntry({ statut: typeof statut === 'string' ? statut : undefined });
    byId('editeur-page-publique').hidden = draft;
    byId('editeur-brouillon').hidden = !draft;
  };
  frontmatter.observe(update);
  update();
}

/** The « Aperçu » button: the entry rendered as its page will show it, kept up to date while open. */
export function setUpPreview(doc: Y.Doc, collection: CollectionName): void {
  const button = byId<HTMLButtonElement>('editeur-apercu-bouton');
  const panel = byId('editeur-apercu');
  const target = byId('editeur-apercu-contenu');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const render = async () => {
    const [{ serializeDocToEntry }, { splitFrontmatter }, { renderBody, linkCrossReferences }, { ProblemError, formatProblem }, { typesetFrench }] = await Promise.all([
      import('../../../core/bridge/mdx-yjs.ts'),
      import('../../../core/frontmatter.ts'),
      import('../../../core/body-html.ts'),
      import('../../../core/problem.ts'),
      import('../../../core/typography.ts'),
    ]);
    const frontmatter = doc.getMap<unknown>('frontmatter');
    const article = document.createElement('article');
    article.className = 'apercu';
    const title = document.createElement('h1');
    // Typeset as the site's pages are.
    title.textContent = typesetFrench(String(readField(frontmatter, 'titre') ?? ''));
    const summary = document.createElement('p');
    summary.className = 'lead';
    summary.textContent = typesetFrench(String(readField(frontmatter, 'resume') ?? ''));
    const body = document.createElement('div');
    body.className = 'entry__body';
    try {
      const { body: mdx } = splitFrontmatter(serializeDocToEntry(doc, collection));
      // The renderer escapes every text and attribute and allows only the safe subset.
      body.innerHTML = linkCrossReferences(renderBody(mdx).html, () => undefined);
    } catch (error) {
      body.textContent = error instanceof ProblemError ? `Aperçu impossible : ${error.problems.map(formatProblem).join(' ; ')}` : `Aperçu impossible : ${String(error)}`;
    }
    article.append(title, summary, body);
    target.replaceChildren(article);
  };
  const schedule = () => {
    if (panel.hidden) return;
    clearTimeout(timer);
    timer = setTimeout(() => void render(), 400);
  };
  button.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
    button.textContent = panel.hidden ? 'Aperçu' : 'Fermer l’aperçu';
    if (!panel.hidden) void render();
  });
  doc.on('update', schedule);
}

/** Lists what the server put back in the last commit, and why; cleared by the next commit that keeps everything. */
export function showRefusals(provider: HocuspocusProvider): void {
  const section = byId('editeur-refus');
  const list = section.querySelector('ul')!;
  let shownFor: string | undefined;
  provider.on('stateless', ({ payload }: { payload: string }) => {
    let message: StatusMessage;
    try {
      message = JSON.parse(payload) as StatusMessage;
    } catch {
      return;
    }
    if (message.type !== 'terreau/status') return;
    if (message.refused?.length) {
      shownFor = message.commit;
      list.replaceChildren(...message.refused.map((problem) => Object.assign(document.createElement('li'), { textContent: `${problem.field === 'statut' ? 'Statut' : problem.field} : ${problem.message}` })));
      section.hidden = false;
    } else if ((message.state === 'saved' || message.state === 'published' || message.state === 'indexed') && message.commit !== shownFor) {
      section.hidden = true;
    }
  });
}
