/** The allow-listed MDX components (schemas/mdx-components.ts) mapped to their Astro rendering. */
import type { mdxComponents } from '../../../../schemas/mdx-components.ts';
import Encadre from './Encadre.astro';
import Etape from './Etape.astro';
import Ressource from './Ressource.astro';
import VoirAussi from './VoirAussi.astro';

/** Keyed like the allow-list, so a component missing here fails the type check. */
export const bodyComponents: Record<keyof typeof mdxComponents, unknown> = { Encadre, Etape, Ressource, VoirAussi };
