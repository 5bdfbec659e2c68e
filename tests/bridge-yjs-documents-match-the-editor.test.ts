// @vitest-environment happy-dom
/**
 * An entry loaded into a Yjs document is what the Tiptap editor shows and edits; what the editor
 * changes is what the server writes back; a commit made outside merges without losing or
 * duplicating anything.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Editor } from '@tiptap/core';
import { Collaboration } from '@tiptap/extension-collaboration';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBodyExtensions } from '../core/bridge/body-extensions.ts';
import { applyEntryToDoc, loadEntryIntoDoc, mergeExternalEntry, normalizeEntryText, readField, serializeDocToEntry } from '../core/bridge/mdx-yjs.ts';

const fiche = `---
titre: "Un jardin partagé"
resume: "Un terrain communal cultivé ensemble par les habitants."
objectifs: [ALIM-02-02]
phases: [agir]
difficulte: "2"
cout: moins-1k
duree: 1-6-mois
acteurs: [habitants, elus]
tailles: [moins-1000]
themes: [alimentation]
statut: brouillon
licence: CC-BY-SA-4.0
---

## Pourquoi agir

Premier paragraphe.

<Encadre type="astuce" titre="Bon à savoir">

- une liste
- dans un encadré

</Encadre>

Dernier paragraphe.

<VoirAussi cible="fiches/cantine-locale" />
`;

function openEditor(doc: Y.Doc): Editor {
  return new Editor({ element: document.createElement('div'), extensions: [...createBodyExtensions(), Collaboration.configure({ document: doc })] });
}

describe('entry documents and the editor', () => {
  it('puts the frontmatter in the map and the body in the fragment `default`', () => {
    const doc = new Y.Doc();
    loadEntryIntoDoc(doc, fiche, 'fiches');
    expect(doc.getMap('frontmatter').get('titre')).toBeInstanceOf(Y.Text);
    expect(readField(doc.getMap('frontmatter'), 'titre')).toBe('Un jardin partagé');
    expect(doc.getMap('frontmatter').get('acteurs')).toEqual(['habitants', 'elus']);
    expect(doc.getXmlFragment('default').length).toBe(5);
    expect(serializeDocToEntry(doc, 'fiches')).toBe(normalizeEntryText(fiche, 'fiches'));
  });

  it('shows the document in Tiptap, and writes back what is typed there', () => {
    const doc = new Y.Doc();
    loadEntryIntoDoc(doc, fiche, 'fiches');
    const editor = openEditor(doc);
    expect(editor.getText()).toContain('dans un encadré');
    const components = editor.getJSON().content!.filter((node) => node.type === 'Encadre' || node.type === 'VoirAussi');
    expect(components.map((node) => node.attrs)).toEqual([{ type: 'astuce', titre: 'Bon à savoir' }, { cible: 'fiches/cantine-locale' }]);

    editor.commands.insertContentAt(editor.state.doc.content.size, [
      { type: 'paragraph', content: [{ type: 'text', text: 'Ajout en ' }, { type: 'text', text: 'gras', marks: [{ type: 'bold' }] }] },
    ]);
    doc.getMap('frontmatter').set('statut', 'propose');
    const written = serializeDocToEntry(doc, 'fiches');
    expect(written).toContain('\n<VoirAussi cible="fiches/cantine-locale" />\n\nAjout en **gras**\n');
    expect(written).toContain('\nstatut: propose\n');
    editor.destroy();
  });

  it('keeps the editor unchanged when it opens a freshly loaded document', () => {
    const doc = new Y.Doc();
    loadEntryIntoDoc(doc, fiche, 'fiches');
    const before = Y.encodeStateVector(doc);
    const editor = openEditor(doc);
    // Tiptap may add its trailing empty paragraph, which has no Markdown form.
    expect(serializeDocToEntry(doc, 'fiches')).toBe(normalizeEntryText(fiche, 'fiches'));
    editor.destroy();
    expect(Y.encodeStateVector(doc).length).toBeGreaterThanOrEqual(before.length);
  });

  it('converges when two people edit at once', () => {
    const a = new Y.Doc();
    loadEntryIntoDoc(a, fiche, 'fiches');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const editorA = openEditor(a);
    const editorB = openEditor(b);
    editorA.commands.insertContentAt(editorA.state.doc.content.size, { type: 'paragraph', content: [{ type: 'text', text: 'Texte de A.' }] });
    editorB.commands.insertContentAt(1, 'B ');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const written = serializeDocToEntry(a, 'fiches');
    expect(serializeDocToEntry(b, 'fiches')).toBe(written);
    expect(written).toContain('## B Pourquoi agir');
    expect(written).toContain('Texte de A.');
    editorA.destroy();
    editorB.destroy();
  });

  it('merges an outside commit into a live document without losing edits in flight or duplicating', () => {
    const live = new Y.Doc();
    loadEntryIntoDoc(live, fiche, 'fiches');
    const atCommit = Y.encodeStateAsUpdate(live);
    const editor = openEditor(live);
    // In flight: someone types in the first paragraph.
    editor.commands.insertContentAt(editor.$node('paragraph')!.from, 'Vraiment. ');
    // Outside: a pull changes the title and the last paragraph.
    const outside = normalizeEntryText(fiche, 'fiches').replace('Un jardin partagé', 'Un jardin partagé et nourricier').replace('Dernier paragraphe.', 'Dernier paragraphe, revu.');
    mergeExternalEntry(live, atCommit, outside, 'fiches');
    const written = serializeDocToEntry(live, 'fiches');
    expect(written).toContain('titre: "Un jardin partagé et nourricier"');
    expect(written).toContain('Vraiment. Premier paragraphe.');
    expect(written).toContain('Dernier paragraphe, revu.');
    expect(written.match(/Dernier paragraphe/g)).toHaveLength(1);
    expect(written.match(/## Pourquoi agir/g)).toHaveLength(1);
    editor.destroy();
  });

  it('changes only what differs when a text is applied to a document', () => {
    const doc = new Y.Doc();
    loadEntryIntoDoc(doc, fiche, 'fiches');
    const heading = doc.getXmlFragment('default').get(0);
    applyEntryToDoc(doc, fiche.replace('Premier paragraphe.', 'Premier paragraphe modifié.'), 'fiches');
    expect(doc.getXmlFragment('default').get(0)).toBe(heading);
    expect(serializeDocToEntry(doc, 'fiches')).toContain('Premier paragraphe modifié.');
  });

  it('keeps a data collection entirely in the map', () => {
    const text = readFileSync(join(import.meta.dirname, '..', 'content', 'referentiel', 'resilience-alimentaire.yaml'), 'utf8');
    const doc = new Y.Doc();
    loadEntryIntoDoc(doc, text, 'referentiel');
    expect(doc.getXmlFragment('default').length).toBe(0);
    expect(doc.getMap('frontmatter').get('code')).toBe('ALIM');
    const written = serializeDocToEntry(doc, 'referentiel');
    expect(written.startsWith('code: ALIM\n')).toBe(true);
    expect(written).not.toContain('---');
  });
});
