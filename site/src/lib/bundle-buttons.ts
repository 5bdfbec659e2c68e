/**
 * « Télécharger pour réutiliser » buttons: shown once JavaScript runs (they are `hidden` in the
 * HTML), and the bundle code, with its zip library, loaded only when one is pressed. A button
 * names its entries in `data-bundle-refs` (space-separated refs) or takes every entry linked from
 * the element `data-bundle-from` selects (a roadmap); `data-bundle-title` and `data-bundle-name`
 * name the bundle and its file. Its status goes to the next `[data-bundle-status]` element.
 */

const ENTRY_LINK = /^\/(fiches|guides|retours|structures|territoires)\/([a-z0-9]+(?:-[a-z0-9]+)*)\/$/;

/** The entries a button bundles. */
function refsOf(button: HTMLElement): string[] {
  if (button.dataset.bundleRefs) return button.dataset.bundleRefs.split(/\s+/).filter(Boolean);
  const from = button.dataset.bundleFrom ? document.querySelector(button.dataset.bundleFrom) : null;
  const refs = [...(from?.querySelectorAll<HTMLAnchorElement>('a[href]') ?? [])]
    .map((link) => ENTRY_LINK.exec(new URL(link.href, location.href).pathname))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `${match[1]}/${match[2]}`);
  return [...new Set(refs)];
}

/** Shows and wires every bundle button of the page. */
export function wireBundleButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-bundle-name]')) {
    const holder = button.closest<HTMLElement>('[data-bundle-action]') ?? button;
    holder.hidden = false;
    const status = holder.querySelector<HTMLElement>('[data-bundle-status]');
    button.addEventListener('click', async () => {
      const refs = refsOf(button);
      if (refs.length === 0) {
        if (status) status.textContent = 'Aucune entrée à télécharger.';
        return;
      }
      button.disabled = true;
      if (status) status.textContent = `Préparation du dossier (${refs.length} entrée${refs.length > 1 ? 's' : ''})…`;
      try {
        const { downloadBundle } = await import('./bundle-download.ts');
        const bytes = await downloadBundle(refs, button.dataset.bundleTitle ?? 'Terreau', button.dataset.bundleName!);
        if (status) status.textContent = `Dossier prêt : ${button.dataset.bundleName}.zip (${new Intl.NumberFormat('fr-FR').format(Math.ceil(bytes / 1024))} ko).`;
      } catch (error) {
        if (status) status.textContent = `Le dossier n’a pas pu être préparé : ${(error as Error).message}. Réessayez, ou téléchargez celui de la collection.`;
      } finally {
        button.disabled = false;
      }
    });
  }
}
