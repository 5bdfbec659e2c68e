/**
 * `npm run generate -- --count 2000 --out DIR [--seed 1]`: writes a valid synthetic content tree
 * made of the seed commons plus N generated entries (fiches, guides, retours, territoires), for
 * benchmarks. Deterministic for a given seed.
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { z } from 'zod';
import { parseWithFriendlyErrors } from '../core/parse-input.ts';
import { acteurs, couts, durees, phases, tailles, themes } from '../schemas/vocabularies.ts';
import { guideTypes } from '../schemas/guides.ts';
import { loadContentTree } from '../core/content-tree.ts';

const argumentsSchema = z.object({
  /** Number of entries to generate. */
  count: z.coerce.number().int().min(1).max(100_000),
  /** Output folder (emptied first). */
  out: z.string().min(1),
  /** Seed of the pseudo-random generator. */
  seed: z.coerce.number().int().default(1),
  /** Seed content tree providing référentiel, structures and grid. */
  from: z.string().default('content'),
});

/** Small deterministic generator (mulberry32), so two runs build the same tree. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const some = <T>(items: readonly T[], max = 3): T[] => [...new Set(Array.from({ length: 1 + Math.floor(next() * max) }, () => pick(items)))];
  return { next, pick, some };
}

const words = 'territoire commune habitants résilience jardin énergie école marché eau coopération enquête récit solidarité atelier village mobilité forêt sobriété vélo cantine réemploi patrimoine'.split(' ');

function body(rng: ReturnType<typeof random>, refs: string[]): string {
  const sentence = () => {
    const text = Array.from({ length: 12 + Math.floor(rng.next() * 10) }, () => rng.pick(words)).join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const paragraph = () => Array.from({ length: 3 }, sentence).join(' ');
  return [
    `## Pourquoi agir\n\n${paragraph()}\n\n${paragraph()}\n`,
    `## Par où commencer\n\n- ${sentence()}\n- ${sentence()}\n- **${rng.pick(words)}** ${sentence()}\n`,
    `<Encadre type="astuce" titre="Conseil">\n\n${paragraph()}\n\n</Encadre>\n`,
    `<Etape titre="Première étape" duree="2 heures">\n\n${paragraph()}\n\n</Etape>\n`,
    `## Points de vigilance\n\n${paragraph()} Voir [une entrée liée](/${rng.pick(refs)}/).\n`,
  ].join('\n');
}

function entryText(data: Record<string, unknown>, text: string): string {
  return `---\n${stringify(data, { lineWidth: 0 })}---\n\n${text}`;
}

const require = createRequire(import.meta.url);

/** Generates the tree; returns the number of generated entries. */
export async function generateSyntheticTree(options: z.output<typeof argumentsSchema>): Promise<number> {
  const seed = await loadContentTree(resolve(options.from));
  const out = resolve(options.out);
  await rm(out, { recursive: true, force: true });
  // The seed comes along whole: its entries link to each other, and a real commons grows from it.
  await cp(seed.dir, out, { recursive: true });
  for (const collection of ['fiches', 'guides', 'retours', 'territoires']) await mkdir(join(out, collection), { recursive: true });
  const rng = random(options.seed);
  const objectifs = [...seed.objectifs.keys()];
  const structures = seed.byCollection('structures').map((e) => e.slug);
  const communes = (require('@etalab/decoupage-administratif/data/communes.json') as { code: string; nom: string; type: string; population?: number }[])
    .filter((c) => c.type === 'commune-actuelle' && c.population !== undefined)
    .slice(0, 5000);
  // Proportions close to a mature commons: mostly fiches, then retours, guides and territories.
  const counts = {
    fiches: Math.ceil(options.count * 0.55),
    retours: Math.ceil(options.count * 0.2),
    guides: Math.ceil(options.count * 0.15),
    territoires: 0,
  };
  counts.territoires = Math.max(0, options.count - counts.fiches - counts.retours - counts.guides);
  const slugs = Object.fromEntries(Object.entries(counts).map(([c, n]) => [c, Array.from({ length: n }, (_, i) => `synthetique-${c.slice(0, -1)}-${i + 1}`)])) as Record<keyof typeof counts, string[]>;
  const refs = [...slugs.fiches.slice(0, 50).map((s) => `fiches/${s}`), ...slugs.guides.slice(0, 20).map((s) => `guides/${s}`)];
  const tool = () => ({
    phases: rng.some(Object.keys(phases)),
    difficulte: rng.pick(['1', '2', '3', '4', '5']),
    cout: rng.pick(Object.keys(couts)),
    duree: rng.pick(Object.keys(durees)),
    acteurs: rng.some(Object.keys(acteurs)),
    tailles: rng.some(Object.keys(tailles)),
    themes: rng.some(Object.keys(themes)),
  });
  const common = (i: number, kind: string) => {
    const credits = rng.some(structures, 2);
    // Like the seed, a credit is attested by a source, so a synthetic tree validates without warnings.
    return {
      titre: `${kind} synthétique ${i + 1} : ${rng.pick(words)} et ${rng.pick(words)}`,
      resume: `Entrée générée pour les mesures de performance : ${rng.pick(words)}, ${rng.pick(words)} et ${rng.pick(words)}.`,
      credits,
      sources: [{ texte: 'impulser-dynamiques-collectives', faits: 'entrée générée pour les mesures', atteste: credits }],
      statut: 'propose',
    };
  };
  const writes: Promise<void>[] = [];
  const write = (collection: string, slug: string, text: string) => writes.push(writeFile(join(out, collection, `${slug}.mdx`), text));
  slugs.fiches.forEach((slug, i) =>
    write('fiches', slug, entryText({ ...common(i, 'Fiche'), objectifs: rng.some(objectifs, 2), ...tool(), exemples: rng.some(slugs.retours, 2), acteurs_ressources: rng.some(structures, 2) }, body(rng, refs))),
  );
  slugs.guides.forEach((slug, i) =>
    write('guides', slug, entryText({ ...common(i, 'Guide'), type: rng.pick(Object.keys(guideTypes)), ...tool(), fiches: rng.some(slugs.fiches, 3) }, body(rng, refs))),
  );
  slugs.retours.forEach((slug, i) => {
    const commune = rng.pick(communes);
    write(
      'retours',
      slug,
      entryText(
        {
          ...common(i, 'Retour'),
          territoire: { nom: commune.nom, communes: [commune.code] },
          periode: { debut: String(2015 + Math.floor(rng.next() * 10)) },
          structures: rng.some(structures, 2),
          fiches: rng.some(slugs.fiches, 3),
          themes: rng.some(Object.keys(themes)),
        },
        body(rng, refs),
      ),
    );
  });
  slugs.territoires.forEach((slug, i) => {
    const commune = rng.pick(communes);
    write('territoires', slug, entryText({ ...common(i, 'Territoire'), communes: [commune.code] }, body(rng, refs)));
  });
  await Promise.all(writes);
  return options.count;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { count: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, from: { type: 'string' } } });
  try {
    const options = parseWithFriendlyErrors(argumentsSchema, values, 'npm run generate');
    const written = await generateSyntheticTree(options);
    console.log(`${written} entrées écrites dans ${options.out}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
