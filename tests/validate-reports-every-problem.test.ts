import { describe, expect, it } from 'vitest';
import { formatProblem } from '../core/problem.ts';
import { validateContentTree } from '../core/validate-tree.ts';
import { runScript } from './helpers/run-script.ts';

const fixture = new URL('./fixtures/invalid-tree', import.meta.url).pathname;

describe('npm run validate', () => {
  it('reports every kind of problem of a bad tree with its path, line and field', async () => {
    const lines = (await validateContentTree(fixture)).map(formatProblem);
    expect(lines).toMatchInlineSnapshot(`
      [
        "fiches/champs-invalides.mdx:2: resume: champ obligatoire manquant",
        "fiches/champs-invalides.mdx:5: difficulte: valeur "7" inconnue pour « difficulte » ; valeurs admises : 1, 2, 3, 4, 5",
        "fiches/champs-invalides.mdx:8: acteurs[1]: valeur "maires" inconnue pour « acteurs » ; valeurs admises : elus, agents, etat-territorial, acteurs-socio-economiques, habitants, associations, ecoles, agriculteurs, intercommunalite",
        "fiches/champs-invalides.mdx:11: auteur: champ inconnu : vérifiez l’orthographe ou retirez-le",
        "fiches/doublon.mdx:1: slug: slug en double avec fiches/doublon.md : renommez l’un des deux fichiers",
        "fiches/lien-inconnu.mdx:4: objectifs[0]: objectif ALIM-01-02 inconnu du référentiel ; vouliez-vous dire « ALIM-01-01 » ?",
        "fiches/lien-inconnu.mdx:12: exemples[0]: « retours/migne-auxance » n’existe pas",
        "fiches/lien-inconnu.mdx:13: credits[0]: « structures/la-travers » n’existe pas ; vouliez-vous dire « la-traverse » ?",
        "fiches/lien-inconnu.mdx:16: lien: « fiches/valid » n’existe pas ; vouliez-vous dire « valide » ?",
        "fiches/Mauvais Nom.mdx:1: slug: nom de fichier invalide : renommez-le en « mauvais-nom.mdx » (minuscules sans accents, chiffres, tirets)",
        "fiches/mdx-attribut-expression.mdx:14: <Encadre type>: valeur non littérale interdite : écrivez la valeur entre guillemets, par exemple titre="Étape 1"",
        "fiches/mdx-composant-inconnu.mdx:14: <Carte>: composant <Carte> non autorisé (composants autorisés : Encadre, Etape, Ressource, Tableau, VoirAussi)",
        "fiches/mdx-evenement.mdx:14: <Encadre onMouseOver>: gestionnaire d’événement interdit : retirez cet attribut",
        "fiches/mdx-expression.mdx:14: expression: expression {…} interdite : écrivez le texte tel quel (pour une accolade, écrivez \\{ )",
        "fiches/mdx-iframe.mdx:14: <iframe>: balise <iframe> interdite dans un contenu contribué",
        "fiches/mdx-illisible.mdx:14: corps: MDX illisible : Unexpected end of file in expression, expected a corresponding closing brace for \`{\`. Une accolade { ouvre une expression, interdite : écrivez \\{ pour une accolade littérale.",
        "fiches/mdx-import.mdx:14: import: import/export interdits dans un contenu : retirez la ligne (les composants autorisés sont disponibles sans import)",
        "fiches/mdx-script.mdx:16: <script>: balise <script> interdite dans un contenu contribué",
        "fiches/mdx-style.mdx:14: <style>: balise <style> interdite dans un contenu contribué",
        "fiches/mdx-url-data.mdx:14: <Ressource href>: adresse interdite (javascript:, data:…) : utilisez une adresse https:// ou un chemin du site",
        "fiches/mdx-url-javascript.mdx:14: lien: adresse de lien interdite (javascript:) : utilisez une adresse https:// ou un chemin du site",
        "fiches/yaml-illisible.mdx:3: frontmatter: YAML illisible : Flow sequence in block collection must be sufficiently indented and end with a ]",
        "fichess/:1: collection: dossier inconnu (collections : referentiel, fiches, guides, retours, structures, territoires, autodiagnostic ; images : medias) ; vouliez-vous dire « fiches » ?",
        "guides/cycle-a.mdx:13: derive_de.source: cycle de dérivation : guides/cycle-a → guides/cycle-b → guides/cycle-a ; une entrée ne peut pas dériver d’elle-même",
        "guides/cycle-b.mdx:13: derive_de.source: cycle de dérivation : guides/cycle-b → guides/cycle-a → guides/cycle-b ; une entrée ne peut pas dériver d’elle-même",
        "retours/insee-inconnu.mdx:6: territoire.communes[0]: code INSEE 86999 inconnu (commune inexistante ou fusionnée) ; pour « Migné-Auxances », codes possibles : 86158 (Migné-Auxances, 86)",
      ]
    `);
  });

  it('prints one line per problem and exits 1 on a bad tree, without a stack trace', () => {
    const { status, stdout, stderr } = runScript('validate', ['tests/fixtures/invalid-tree']);
    expect(status).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines.every((line) => /^tests\/fixtures\/invalid-tree\/\S.*:\d+: .+: .+$/.test(line))).toBe(true);
    expect(lines).toHaveLength(26);
    expect(stderr).toMatch(/26 problème\(s\)/);
    expect(stdout + stderr).not.toMatch(/\n\s+at /);
  });

  it('reports nothing and exits 0 on the seed content', () => {
    const { status, stdout } = runScript('validate', []);
    expect(stdout).toBe('');
    expect(status).toBe(0);
  });

  it('says so in one line when the folder does not exist', () => {
    const { status, stdout } = runScript('validate', ['nulle-part']);
    expect(status).toBe(1);
    expect(stdout.trim()).toMatchInlineSnapshot(`"nulle-part: dossier: dossier de contenu introuvable : indiquez le chemin d’un arbre de contenu (ex. content/)"`);
  });
});
