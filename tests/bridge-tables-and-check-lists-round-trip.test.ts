/**
 * Tables, check-lists and strikethrough go through the editor's model and back: written in the
 * canonical form (pipes aligned as Prettier and GitHub's editor write them), byte for byte;
 * written otherwise, rewritten once with the same meaning, then stable. What people build in the
 * editor (no header row, merged cells pasted from elsewhere, line breaks in a cell, an emptied
 * check-box) is written as Markdown that reads back as close as Markdown allows.
 */
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { loadEntryIntoDoc, serializeDocToEntry } from '../core/bridge/mdx-yjs.ts';
import { mdxToProseMirror } from '../core/bridge/mdx-to-prosemirror.ts';
import { serializeBody } from '../core/bridge/prosemirror-to-mdx.ts';
import { meaningOf } from './bridge-mdx-meaning.ts';

const roundTrip = (markdown: string) => serializeBody(mdxToProseMirror(markdown));

/** Bodies already in canonical form: written back byte for byte. */
const canonical: Record<string, string> = {
  'alignment of each column': '| Matériel | Quantité | Coût |  Qui  |\n| :------- | -------: | :--- | :---: |\n| Bêche    |        2 | 30 € | Karim |\n',
  'escaped pipes, also in code': '| Expression   | Sens      |\n| ------------ | --------- |\n| `a \\| b`     | a ou b    |\n| pile \\| face | au hasard |\n',
  'marks and links in cells': '| Quoi                   | Où                                   |\n| ---------------------- | ------------------------------------ |\n| **Réunion** *publique* | [la mairie](/fiches/jardin-partage/) |\n| ~~annulé~~ reporté     | `salle 2`                            |\n',
  'empty cells': '| a | b |\n| - | - |\n| 1 |   |\n|   | 2 |\n',
  'no header row': '|   |   |\n| - | - |\n| a | b |\n',
  'caption and row headers': '<Tableau titre="Coûts du jardin" entetes="colonne">\n\n| Poste   |  2024 |  2025 |\n| ------- | ----: | ----: |\n| Graines | 120 € | 140 € |\n| Outils  | 300 € |  80 € |\n\n</Tableau>\n',
  'caption only': '<Tableau titre="Calendrier">\n\n| Mois | Tâche |\n| ---- | ----- |\n| Mars | semer |\n\n</Tableau>\n',
  'a table in a component and in a list': '<Encadre type="exemple">\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n</Encadre>\n\n- avant\n\n  | a |\n  | - |\n  | 1 |\n',
  'check-lists, nested and with paragraphs': '- [ ] réserver la salle\n- [x] inviter les élus\n  - [ ] le maire\n  - [x] l’adjointe\n- [ ] prévoir un café\n\n  et des gâteaux\n',
  'strikethrough next to tildes': '~~1 200 €~~ 920 €, soit ~25 % de moins ; a\\~\\~b reste du texte.\n',
};

/** Bodies written otherwise: rewritten once into the canonical form shown. */
const rewritten: [string, string, string][] = [
  ['compact tables are aligned', '|a|b|\n|-|:-:|\n|1|deux|\n', '| a |   b  |\n| - | :--: |\n| 1 | deux |\n'],
  ['tables without outer pipes get them', 'a | b\n--|--\n1 | 2\n', '| a | b |\n| - | - |\n| 1 | 2 |\n'],
  ['short rows get their empty cells', '| a | b | c |\n| - | - | - |\n| 1 |\n', '| a | b | c |\n| - | - | - |\n| 1 |   |   |\n'],
  ['an empty <Tableau> is dropped', '<Tableau>\n\n| a |\n| - |\n| 1 |\n\n</Tableau>\n', '| a |\n| - |\n| 1 |\n'],
  ['star check-lists become dashes', '* [ ] un\n* [X] deux\n', '- [ ] un\n- [x] deux\n'],
];

describe('tables and check-lists round-trip through the editor model', () => {
  it.each(Object.entries(canonical))('%s: written back byte for byte', (_name, markdown) => {
    expect(roundTrip(markdown)).toBe(markdown);
  });

  it.each(rewritten)('%s: rewritten once, then stable, same meaning', (_name, markdown, expected) => {
    const once = roundTrip(markdown);
    expect(once).toBe(expected);
    expect(roundTrip(once)).toBe(once);
    if (!markdown.startsWith('<Tableau>')) expect(meaningOf(once)).toEqual(meaningOf(markdown));
  });

  it('keeps a whole entry with tables unchanged through its collaboration document', () => {
    const text = `---\ntitre: "Matériel partagé"\nresume: "Ce que le repair café prête, et à qui."\n---\n\nIntro.\n\n${canonical['caption and row headers']}\n${canonical['check-lists, nested and with paragraphs']}`;
    const doc = new Y.Doc();
    loadEntryIntoDoc(doc, text, 'fiches');
    expect(serializeDocToEntry(doc, 'fiches')).toBe(text);
  });
});

const text = (value: string, ...marks: { type: string }[]): JSONContent => (marks.length ? { type: 'text', text: value, marks } : { type: 'text', text: value });
const cell = (type: 'tableHeader' | 'tableCell', content: JSONContent[], attrs: Record<string, unknown> = {}): JSONContent => ({
  type,
  attrs: { colspan: 1, rowspan: 1, colwidth: null, align: null, ...attrs },
  content: content.length && content[0]!.type === 'paragraph' ? content : [{ type: 'paragraph', ...(content.length ? { content } : {}) }],
});
const row = (...cells: JSONContent[]): JSONContent => ({ type: 'tableRow', content: cells });
const table = (...rows: JSONContent[]): JSONContent => ({ type: 'doc', content: [{ type: 'table', content: rows }] });

describe('tables built in the editor are written as Markdown that reads back the same', () => {
  it('writes a table without a header row with an empty one, which reads back as none', () => {
    const input = table(row(cell('tableCell', [text('a')]), cell('tableCell', [text('b')])));
    const markdown = serializeBody(input);
    expect(markdown).toBe('|   |   |\n| - | - |\n| a | b |\n');
    expect(serializeBody(mdxToProseMirror(markdown))).toBe(markdown);
  });

  it('spreads merged cells back over the grid, their text in the first', () => {
    const input = table(
      row(cell('tableHeader', [text('Lieu')]), cell('tableHeader', [text('Jours')], { colspan: 2 })),
      row(cell('tableCell', [text('Mairie')], { rowspan: 2 }), cell('tableCell', [text('lundi')]), cell('tableCell', [text('mardi')])),
      row(cell('tableCell', [text('jeudi')]), cell('tableCell', [text('vendredi')])),
    );
    expect(serializeBody(input)).toBe('| Lieu   | Jours |          |\n| ------ | ----- | -------- |\n| Mairie | lundi | mardi    |\n|        | jeudi | vendredi |\n');
  });

  it('writes a cell on one line: its line breaks and paragraphs become spaces, pipes are escaped', () => {
    const input = table(
      row(cell('tableHeader', [text('Note')])),
      row(cell('tableCell', [{ type: 'paragraph', content: [text('un', { type: 'bold' }), { type: 'hardBreak' }, text('deux | trois')] }, { type: 'paragraph', content: [text('quatre')] }])),
    );
    const markdown = serializeBody(input);
    expect(markdown).toBe('| Note                        |\n| --------------------------- |\n| **un** deux \\| trois quatre |\n');
    expect(serializeBody(mdxToProseMirror(markdown))).toBe(markdown);
  });

  it('keeps the header column and the caption people set', () => {
    const input: JSONContent = {
      type: 'doc',
      content: [
        {
          type: 'table',
          attrs: { caption: 'Semis' },
          content: [
            row(cell('tableHeader', [text('Légume')]), cell('tableHeader', [text('Mars')])),
            row(cell('tableHeader', [text('Radis')]), cell('tableCell', [text('oui')], { align: 'center' })),
          ],
        },
      ],
    };
    expect(serializeBody(input)).toBe('<Tableau titre="Semis" entetes="colonne">\n\n| Légume | Mars |\n| ------ | :--: |\n| Radis  |  oui |\n\n</Tableau>\n');
  });

  it('drops a check-box whose text was emptied, which Markdown cannot hold', () => {
    const item = (checked: boolean, content: JSONContent[]) => ({ type: 'taskItem', attrs: { checked }, content: [{ type: 'paragraph', ...(content.length ? { content } : {}) }] });
    const input: JSONContent = { type: 'doc', content: [{ type: 'taskList', content: [item(false, [text('a')]), item(true, []), item(true, [text('c', { type: 'strike' })])] }] };
    expect(serializeBody(input)).toBe('- [ ] a\n- [x] ~~c~~\n');
  });
});
