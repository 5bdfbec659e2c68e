/**
 * A commons created by the server (seed import, then commits made through the editor server and
 * a maintenance commit) is read back with people as authors and the technical identities as the
 * commons' collective; the author list of an entry names people, credited structures and, for
 * what was imported, « Contributeurs de Terreau ».
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonsCollective, isCommonsCollective, maintenanceIdentity, serverIdentity } from '../core/commons-identities.ts';
import { readContentHistory, type ContentHistory } from '../core/git-history.ts';
import { ensureCommonsRepo } from '../editor-server/src/git/commons-repo.ts';
import { authorNames, listAuthors } from '../core/authors.ts';

let root: string;
let repo: string;
let history: ContentHistory;

const ficheText = (paragraph: string) => `---\ntitre: "Créer un jardin partagé"\nresume: "Un jardin cultivé ensemble."\ncredits: [la-traverse]\nstatut: propose\n---\n\n${paragraph}\n`;

function commitAs(author: { name: string; email: string }, message: string) {
  execFileSync('git', ['-C', repo, 'add', '-A']);
  execFileSync('git', ['-C', repo, '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', message], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: serverIdentity.name,
      GIT_COMMITTER_EMAIL: serverIdentity.email,
    },
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'terreau-credits-'));
  const seed = join(root, 'seed');
  await mkdir(join(seed, 'fiches'), { recursive: true });
  await mkdir(join(seed, 'structures'), { recursive: true });
  await writeFile(join(seed, 'fiches/jardin.mdx'), ficheText('Premier état.'));
  await writeFile(join(seed, 'structures/la-traverse.mdx'), '---\ntitre: La Traverse\n---\n\nUne structure.\n');
  repo = join(root, 'commons');
  await ensureCommonsRepo(repo, seed, { branch: 'main', timeoutMs: 60_000 }, serverIdentity);

  await writeFile(join(repo, 'fiches/jardin.mdx'), ficheText('Premier état, complété par Claire.'));
  commitAs({ name: 'Claire Aubert', email: 'u1@contributeurs.terreau.invalid' }, 'Modifier fiches/jardin depuis l’éditeur\n\nCo-authored-by: Bruno Petit <u2@contributeurs.terreau.invalid>');
  await writeFile(join(repo, 'fiches/jardin.mdx'), ficheText('Premier état, complété par Claire, relu.').replace('statut: propose', 'statut: valide'));
  commitAs({ name: 'Rose Relectrice', email: 'u3@contributeurs.terreau.invalid' }, 'Modifier fiches/jardin depuis l’éditeur\n\nReviewed-by: Rose Relectrice <u3@contributeurs.terreau.invalid>');
  await writeFile(join(repo, 'fiches/jardin.mdx'), ficheText('Premier état, complété par Claire, relu, mis en forme.').replace('statut: propose', 'statut: valide'));
  commitAs(maintenanceIdentity, 'Mettre les fichiers dans la forme canonique');
  await writeFile(join(repo, 'fiches/nouvelle.mdx'), ficheText('Écrite par Claire.'));
  commitAs({ name: 'Claire Aubert', email: 'u1@contributeurs.terreau.invalid' }, 'Créer fiches/nouvelle depuis l’éditeur');
  history = await readContentHistory(repo);
});

afterAll(() => rm(root, { recursive: true, force: true }));

const site = new URL('http://127.0.0.1:4400/');
const traverse = { name: 'La Traverse', url: 'http://127.0.0.1:4400/structures/la-traverse/' };

describe('the history of a commons created by the server', () => {
  it('has a .mailmap that maps every technical identity to the collective', async () => {
    const mailmap = await readFile(join(repo, '.mailmap'), 'utf8');
    const mapped = execFileSync('git', ['-C', repo, 'check-mailmap', `${serverIdentity.name} <${serverIdentity.email}>`, `${maintenanceIdentity.name} <${maintenanceIdentity.email}>`], { encoding: 'utf8' });
    expect(mapped.trim().split('\n')).toEqual([`${commonsCollective.name} <${commonsCollective.email}>`, `${commonsCollective.name} <${commonsCollective.email}>`]);
    expect(mailmap).toContain(serverIdentity.email);
  });

  it('names the import and the maintenance as the collective, and people by their names', () => {
    const changes = history.byFile.get('fiches/jardin.mdx')!.changes;
    expect(changes.map((c) => [c.status, c.author.name])).toEqual([
      ['modification', commonsCollective.name],
      ['modification', 'Rose Relectrice'],
      ['modification', 'Claire Aubert'],
      ['ajout', commonsCollective.name],
    ]);
    expect(changes[2]!.coAuthors).toEqual([{ name: 'Bruno Petit', email: 'u2@contributeurs.terreau.invalid' }]);
    expect(changes[1]!.reviewers).toEqual([{ name: 'Rose Relectrice', email: 'u3@contributeurs.terreau.invalid' }]);
    const everyone = history.changes.flatMap((c) => [c.author, ...c.coAuthors, ...c.reviewers]);
    expect(everyone.map((p) => p.name)).not.toContain(serverIdentity.name);
    expect(everyone.some((p) => /Import|Maintenance|Serveur/.test(p.name))).toBe(false);
  });

  it('credits an imported entry to its people, its structures and the collective as an organisation', () => {
    const authors = listAuthors(history.byFile.get('fiches/jardin.mdx'), [traverse], site);
    expect(authors.people.map((p) => p.name)).toEqual(['Claire Aubert', 'Bruno Petit', 'Rose Relectrice']);
    expect(authors.organisations).toEqual([
      { name: 'La Traverse', url: 'http://127.0.0.1:4400/structures/la-traverse/' },
      { name: commonsCollective.name, url: 'http://127.0.0.1:4400/', collective: true },
    ]);
    expect(authorNames(authors)).toEqual(['Claire Aubert', 'Bruno Petit', 'Rose Relectrice', 'La Traverse', commonsCollective.name]);
  });

  it('credits an entry written by a person to that person and its structures only', () => {
    const authors = listAuthors(history.byFile.get('fiches/nouvelle.mdx'), [traverse], site);
    expect(authorNames(authors)).toEqual(['Claire Aubert', 'La Traverse']);
  });

  it('still recognises a technical identity in a commons that has no .mailmap', () => {
    expect(isCommonsCollective({ name: 'Serveur Terreau', email: 'SERVEUR@terreau.invalid' })).toBe(true);
    expect(isCommonsCollective({ name: 'Claire Aubert', email: 'u1@contributeurs.terreau.invalid' })).toBe(false);
  });
});
