/**
 * Free-text fields of the data (titre, résumé…) are Y.Text: what two people type in the same
 * field at once, or what a commit from outside changes in it meanwhile, is merged, not replaced.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { loadEntryIntoDoc, mergeExternalEntry, normalizeEntryText, readEntryData, readField, replaceText, serializeDocToEntry, textFieldsOf, writeField } from '../core/bridge/mdx-yjs.ts';

const fiche = `---
titre: "Un jardin partagé"
resume: "Un terrain communal cultivé ensemble par les habitants."
objectifs: [ALIM-02-02]
phases: [agir]
difficulte: "2"
cout: moins-1k
duree: 1-6-mois
acteurs: [habitants]
tailles: [moins-1000]
themes: [alimentation]
statut: propose
licence: CC-BY-SA-4.0
---

Un paragraphe.
`;

const resumeOf = (doc: Y.Doc) => doc.getMap('frontmatter').get('resume') as Y.Text;

describe('text fields of the data', () => {
  it('are the free-text fields of the schema, never its vocabularies', () => {
    expect([...textFieldsOf('fiches')]).toEqual(expect.arrayContaining(['titre', 'resume']));
    expect(textFieldsOf('fiches').has('statut')).toBe(false);
    expect(textFieldsOf('fiches').has('difficulte')).toBe(false);
  });

  it('merge what two people type in the same field at the same time', () => {
    const a = new Y.Doc();
    loadEntryIntoDoc(a, fiche, 'fiches');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const original = resumeOf(a).toString();
    // Each types as an input field reports it: the whole new value, one keystroke at a time.
    const typedAtEnd = ' Depuis 2019.';
    for (let n = 1; n <= typedAtEnd.length; n++) replaceText(resumeOf(a), original + typedAtEnd.slice(0, n));
    const typedAtStart = 'Au bourg : ';
    for (let n = 1; n <= typedAtStart.length; n++) replaceText(resumeOf(b), typedAtStart.slice(0, n) + original);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readField(a.getMap('frontmatter'), 'resume')).toBe(`Au bourg : ${original} Depuis 2019.`);
    expect(readField(b.getMap('frontmatter'), 'resume')).toBe(`Au bourg : ${original} Depuis 2019.`);
  });

  it('keep a word typed in flight when a commit from outside changes the same field', () => {
    const live = new Y.Doc();
    loadEntryIntoDoc(live, fiche, 'fiches');
    const atCommit = Y.encodeStateAsUpdate(live);
    replaceText(resumeOf(live), 'Un grand terrain communal cultivé ensemble par les habitants.');
    const outside = normalizeEntryText(fiche, 'fiches').replace('par les habitants.', 'par les habitants du bourg.');
    mergeExternalEntry(live, atCommit, outside, 'fiches');
    expect(readField(live.getMap('frontmatter'), 'resume')).toBe('Un grand terrain communal cultivé ensemble par les habitants du bourg.');
  });

  it('read a plain string (documents written before) like a Y.Text, and leave an emptied field out', () => {
    const doc = new Y.Doc();
    loadEntryIntoDoc(doc, fiche, 'fiches');
    doc.getMap('frontmatter').set('titre', 'Un titre d’avant');
    expect(serializeDocToEntry(doc, 'fiches')).toContain('titre: "Un titre d’avant"');
    writeField(doc.getMap('frontmatter'), 'titre', 'Un titre tapé', textFieldsOf('fiches'));
    expect(doc.getMap('frontmatter').get('titre')).toBeInstanceOf(Y.Text);
    replaceText(resumeOf(doc), '');
    expect(readEntryData(doc)).not.toHaveProperty('resume');
    expect(serializeDocToEntry(doc, 'fiches')).not.toContain('resume:');
  });
});
