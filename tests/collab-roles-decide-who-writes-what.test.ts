/**
 * Roles mean something: contributors write fiches, guides, retours, structures and territoires;
 * relecteurs too (plus validation and moderation); only administrators write the référentiel and
 * the self-assessment grid. The server refuses the others with a French reason, even from a client
 * that ignores the refusal and sends its edit anyway; the editor opens such entries read-only.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileAt, readHead } from '../editor-server/src/git/commons-repo.ts';
import { editorAccess } from '../site/src/editor/session-api.ts';
import { collectionNames } from '../schemas/common.ts';
import { abilityRefusal, mayDo, mayWrite, roles, type Role } from '../schemas/roles.ts';
import { acknowledged, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';

const entryOf: Record<(typeof collectionNames)[number], string> = {
  referentiel: 'referentiel/resilience-alimentaire',
  fiches: 'fiches/jardin-partage',
  guides: 'guides/enquete-collective',
  retours: 'retours/leaz-besoins-habitants',
  structures: 'structures/la-traverse',
  territoires: 'territoires/essai-des-roles',
  autodiagnostic: 'autodiagnostic/resilience-alimentaire',
};

/** A Hocuspocus frame: document name, message type, then its parts. */
function frame(documentName: string, type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

describe('who may write what', () => {
  let t: TestServer;
  const tokens = {} as Record<Role, string>;
  beforeAll(async () => {
    t = await startTestServer();
    for (const role of roles) tokens[role] = (await t.addUser(`Personne ${role}`, role)).token;
  });
  afterAll(() => t.close());

  it('follows the matrix for every role and collection', async () => {
    const seen: string[] = [];
    for (const role of roles) {
      for (const collection of collectionNames) {
        const name = entryOf[collection];
        const attempt = connect(t.wsUrl, name, tokens[role]);
        if (mayWrite(role, collection)) {
          const provider = await attempt;
          expect(provider.authorizedScope, `${role} → ${name}`).toBe('read-write');
          provider.destroy();
          seen.push(`${role} ${collection} écrit`);
        } else {
          await expect(attempt, `${role} → ${name}`).rejects.toThrow(new RegExp(`votre rôle \\(${role}\\) ne permet pas de modifier « .+ » : réservé au rôle administrateur`));
          seen.push(`${role} ${collection} refusé`);
        }
      }
    }
    expect(seen.filter((s) => s.endsWith('refusé'))).toEqual([
      'contributeur referentiel refusé',
      'contributeur autodiagnostic refusé',
      'relecteur referentiel refusé',
      'relecteur autodiagnostic refusé',
    ]);
  });

  it('commits nothing a relecteur sends to the référentiel, even past the refusal', async () => {
    const name = 'referentiel/resilience-alimentaire';
    const path = 'referentiel/resilience-alimentaire.yaml';
    const before = await readFileAt(t.dataDir + '/commons', await readHead(t.dataDir + '/commons'), path);
    // A plain WebSocket: authenticate as the relecteur, then send an edit whatever the answer.
    const socket = new WebSocket(t.wsUrl);
    socket.binaryType = 'arraybuffer';
    const answers: string[] = [];
    socket.addEventListener('message', (event) => answers.push(Buffer.from(event.data as ArrayBuffer).toString('latin1')));
    await new Promise((r) => socket.addEventListener('open', r));
    socket.send(frame(name, 2, (e) => (encoding.writeVarUint(e, 0), encoding.writeVarString(e, tokens.relecteur))));
    const forged = new Y.Doc();
    forged.getMap('frontmatter').set('titre', 'Résilience alimentaire, réécrite par un relecteur');
    socket.send(frame(name, 0, (e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(forged))));
    await waitFor(() => answers.some((a) => a.includes('ne permet pas de modifier')), 5_000, 'refus');
    await new Promise((r) => setTimeout(r, 1_500));
    socket.close();
    const loaded = t.server.hocuspocus.documents.get(name);
    expect(loaded?.getMap('frontmatter').get('titre')).not.toBe('Résilience alimentaire, réécrite par un relecteur');
    await t.server.gitSync.idle();
    expect(await readFileAt(t.dataDir + '/commons', await readHead(t.dataDir + '/commons'), path)).toBe(before);
    expect((await t.server.store.load(name)).updates).toHaveLength(0);
  });

  it('lets an administrator change the référentiel', async () => {
    const name = 'referentiel/resilience-alimentaire';
    const provider = await connect(t.wsUrl, name, tokens.administrateur);
    const frontmatter = provider.document.getMap('frontmatter');
    const titre = `${String(frontmatter.get('titre'))} (revu)`;
    frontmatter.set('titre', titre);
    await acknowledged(provider);
    provider.destroy();
    await waitFor(async () => (await readFileAt(t.dataDir + '/commons', await readHead(t.dataDir + '/commons'), 'referentiel/resilience-alimentaire.yaml'))?.includes('(revu)') ?? false, 20_000, 'commit');
  });

  it('states who validates, moderates and manages accounts', () => {
    expect(roles.map((role) => ['validation', 'moderation', 'comptes'].filter((a) => mayDo(role, a as 'validation')))).toEqual([
      [],
      ['validation', 'moderation'],
      ['validation', 'moderation', 'comptes'],
    ]);
    expect(abilityRefusal('contributeur', 'validation')).toBe('votre rôle (contributeur) ne permet pas de valider une entrée (statut « validé ») : réservé aux rôles relecteur et administrateur');
  });

  it('opens read-only in the editor what the role may not write, and says why', () => {
    const session = (role: Role) => ({ user: { id: 'u1', name: 'Personne', role }, token: 'trs_x' });
    expect(editorAccess(session('relecteur'), 'fiches')).toEqual({ token: 'trs_x' });
    expect(editorAccess(session('relecteur'), 'referentiel')).toEqual({ token: null, readOnlyReason: expect.stringMatching(/^votre rôle \(relecteur\) ne permet pas de modifier « Référentiel »/) });
    expect(editorAccess(session('administrateur'), 'autodiagnostic')).toEqual({ token: 'trs_x' });
    expect(editorAccess({ user: null, token: null }, 'fiches')).toEqual({ token: null });
  });
});
