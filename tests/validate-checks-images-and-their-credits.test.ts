/**
 * The validator checks the images of a tree as it checks entries: a body's image needs its
 * alternative text and must be an image of the commons (never another site's), and each image of
 * `medias/` is where an image may be, really of its extension's format, with valid credits.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../core/problem.ts';
import { validateContentTree } from '../core/validate-tree.ts';
import { makePhoto, svgWithScript } from './helpers/images.ts';

const SEED = join(import.meta.dirname, '..', 'content');

describe('images in a content tree', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'terreau-medias-'));
    await cp(SEED, root, { recursive: true });
    const folder = join(root, 'medias/fiches/jardin-partage');
    await mkdir(folder, { recursive: true });
    const photo = await makePhoto(40, 30);
    const credits = 'auteur: "Alice Martin"\nlicence: CC-BY-SA-4.0\n';
    await writeFile(join(folder, 'bonne.jpg'), photo);
    await writeFile(join(folder, 'bonne.yaml'), credits);
    await writeFile(join(folder, 'sans-alt.jpg'), photo);
    await writeFile(join(folder, 'sans-alt.yaml'), credits);
    await writeFile(join(folder, 'schema.png'), svgWithScript);
    await writeFile(join(folder, 'schema.yaml'), credits);
    await writeFile(join(folder, 'sans-credits.jpg'), photo);
    await writeFile(join(folder, 'orpheline.yaml'), credits);
    await writeFile(join(folder, 'non-commerciale.webp'), await makePhoto(40, 30, 'webp'));
    await writeFile(join(folder, 'non-commerciale.yaml'), 'auteur: "Bob"\nlicence: CC-BY-NC-4.0\nphotographe: "Bob"\n');
    await writeFile(join(folder, 'Photo Été.JPG'), photo);
    const fiche = join(root, 'fiches/jardin-partage.mdx');
    await writeFile(
      fiche,
      `${await readFile(fiche, 'utf8')}
![Des bacs de légumes](/medias/fiches/jardin-partage/bonne.jpg)

![](/medias/fiches/jardin-partage/sans-alt.jpg)

![Une affiche](https://exemple.org/affiche.jpg)

![Un plan](/medias/fiches/jardin-partage/absente.png)

![Un schéma](/medias/fiches/jardin-partage/schema.png)

![Une photo](/medias/fiches/jardin-partage/sans-credits.jpg)
`,
    );
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reports each problem with its file, line and what to do', async () => {
    const lines = (await validateContentTree(root)).map(formatProblem);
    expect(lines).toMatchInlineSnapshot(`
      [
        "fiches/jardin-partage.mdx:66: image: texte alternatif manquant : décrivez l’image entre les crochets, par exemple ![Le jardin partagé au printemps](…)",
        "fiches/jardin-partage.mdx:68: image: image externe refusée : téléversez l’image depuis l’éditeur (bouton « Image »), elle sera publiée avec son auteur et sa licence",
        "fiches/jardin-partage.mdx:70: image: image introuvable : medias/fiches/jardin-partage/absente.png n’est pas dans le commun avec ses crédits ; téléversez l’image depuis l’éditeur",
        "fiches/jardin-partage.mdx:72: image: image introuvable : medias/fiches/jardin-partage/schema.png n’est pas dans le commun avec ses crédits ; téléversez l’image depuis l’éditeur",
        "fiches/jardin-partage.mdx:74: image: image introuvable : medias/fiches/jardin-partage/sans-credits.jpg n’est pas dans le commun avec ses crédits ; téléversez l’image depuis l’éditeur",
        "medias/fiches/jardin-partage/non-commerciale.yaml:2: licence: valeur "CC-BY-NC-4.0" inconnue pour « licence » ; valeurs admises : CC-BY-SA-4.0, CC-BY-4.0, etalab-2.0, CC0-1.0, CC-PDM-1.0",
        "medias/fiches/jardin-partage/non-commerciale.yaml:3: photographe: champ inconnu : vérifiez l’orthographe ou retirez-le",
        "medias/fiches/jardin-partage/orpheline.yaml:1: image: crédits sans image : placez l’image à côté, sous le même nom (.jpg, .png ou .webp), ou retirez ce fichier",
        "medias/fiches/jardin-partage/Photo Été.JPG:1: image: fichier inattendu : une image s’écrit medias/<collection>/<slug>/<nom>.jpg, .png ou .webp (nom en minuscules sans accents, chiffres et tirets), à côté de ses crédits <nom>.yaml",
        "medias/fiches/jardin-partage/sans-credits.jpg:1: image: crédits manquants : écrivez medias/fiches/jardin-partage/sans-credits.yaml avec l’auteur et la licence de l’image (auteur: "…", licence: CC-BY-SA-4.0)",
        "medias/fiches/jardin-partage/schema.png:1: image: le contenu n’est pas une image PNG (contenu reconnu : SVG) : enregistrez-la en JPEG, PNG ou WebP sous la bonne extension",
      ]
    `);
  });
});
