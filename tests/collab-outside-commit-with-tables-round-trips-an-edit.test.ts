/**
 * A licensee's file with tables, a check-list and struck text, committed to the commons from
 * outside (plain `git`), goes through the real server and an edit elsewhere in it unchanged: the
 * commit of the edit changes only the edited paragraph. A table cell changed from outside while
 * someone edits the document is merged without losing either change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, connect, gitFromOutside, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';

const FICHE = 'fiches/materiel-partage';

/** The body a licensee wrote, tables aligned as Prettier or GitHub's editor write them. */
const BODY = `Ce que la commune prête, et à quelles conditions.

<Tableau titre="Matériel prêté aux associations" entetes="colonne">

| Matériel        | Quantité | Caution | Réservation |
| :-------------- | -------: | ------: | :---------: |
| Barnum 3 × 3 m  |        4 |   150 € |     oui     |
| Tables pliantes |       30 |     0 € |     non     |
| Sono \\| micro   |        1 |   300 € |     oui     |

</Tableau>

| Jour     | Permanence        |
| -------- | ----------------- |
| Mardi    | ~~9 h~~ 10 h–12 h |
| Vendredi | 16 h–18 h         |

- [x] Signer la convention de prêt
- [ ] Rendre le matériel propre
`;

describe('a file with tables committed from outside', () => {
  let t: TestServer;
  let outside: string;
  beforeAll(async () => {
    t = await startTestServer({ git: { idleCommitMs: 60_000, headPollMs: 100 } });
    const repo = t.server.paths.repoDir;
    const frontmatter = /^---\n[\s\S]*?\n---\n/.exec(readFileSync(join(repo, 'fiches/jardin-partage.mdx'), 'utf8'))![0]
      .replace(/^titre: .*$/m, 'titre: "Prêter le matériel communal"');
    outside = `${frontmatter}\n${BODY}`;
    writeFileSync(join(repo, `${FICHE}.mdx`), outside);
    gitFromOutside(repo, 'add', `${FICHE}.mdx`);
    gitFromOutside(repo, 'commit', '-q', '-m', 'Fiche écrite par un licencié');
  });
  afterAll(() => t.close());

  it('keeps every byte of it but the edited paragraph when an edit is committed', async () => {
    const alice = await t.addUser('Alice Martin');
    await waitFor(async () => (await fetch(`${t.httpUrl}/api/health`).then((r) => r.json())).head === gitFromOutside(t.server.paths.repoDir, 'rev-parse', 'HEAD').trim());
    const provider = await connect(t.wsUrl, FICHE, alice.token);
    appendParagraph(provider.document, 'Contact : la mairie, aux heures d’ouverture.');
    await acknowledged(provider);
    const outcome = await t.server.gitSync.commitDocument(FICHE, t.server.hocuspocus.documents.get(FICHE)!);
    expect(outcome.state).toBe('committed');
    const committed = gitFromOutside(t.server.paths.repoDir, 'show', `HEAD:${FICHE}.mdx`);
    expect(committed).toBe(`${outside}\nContact : la mairie, aux heures d’ouverture.\n`);
    provider.destroy();
  });

  it('merges a table cell changed from outside with an edit in progress', async () => {
    const bruno = await t.addUser('Bruno Lefèvre');
    const provider = await connect(t.wsUrl, FICHE, bruno.token);
    appendParagraph(provider.document, 'Édition en cours de Bruno.');
    await acknowledged(provider);

    const repo = t.server.paths.repoDir;
    const file = join(repo, `${FICHE}.mdx`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('| Tables pliantes |       30 |', '| Tables pliantes |       40 |'));
    gitFromOutside(repo, 'commit', '-q', '-am', 'Quarante tables désormais');
    const body = () => provider.document.getXmlFragment('default').toString();
    await waitFor(() => body().includes('40'), 10_000, 'fusion du tableau');

    const outcome = await t.server.gitSync.commitDocument(FICHE, t.server.hocuspocus.documents.get(FICHE)!);
    expect(outcome.state).toBe('committed');
    const committed = gitFromOutside(repo, 'show', `HEAD:${FICHE}.mdx`);
    expect(committed).toContain('| Tables pliantes |       40 |     0 € |     non     |\n');
    expect(committed.match(/Tables pliantes/g)).toHaveLength(1);
    expect(committed.match(/Édition en cours de Bruno\./g)).toHaveLength(1);
    expect(committed.replace('       40 |', '       30 |').replace('\nÉdition en cours de Bruno.\n', '')).toBe(`${outside}\nContact : la mairie, aux heures d’ouverture.\n`);
    provider.destroy();
  });
});
