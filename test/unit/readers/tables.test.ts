// Tables from other people's systems (issue #13, class 4): a position column is never the SKU,
// a quantity wrapped onto the next line stays with its row, a "Total page 1" does not end the table.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { extractTable } from '../../../parsers/layout/table';
import { readOrder } from '../../../parsers/layout/order';
import type { PageWords, PositionedWord } from '../../../parsers/layout/types';
import { cellWords } from '../../support/words';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

/** Words of one printed line: [x, text] pairs at height y (each word 6 units per character). */
const line = cellWords;

function page(n: number, lines: PositionedWord[][]): PageWords {
  return { page: n, words: lines.flat(), width: 600, height: 840 };
}

describe('position columns', () => {
  it('takes SAP item numbers 00010, 00020 for positions and the material column for the article', () => {
    const p = page(1, [
      line(100, [[20, 'N° de commande : 4500012345']]),
      line(200, [[20, 'Item'], [80, 'Material'], [180, 'Description'], [400, 'Qty'], [450, 'Unit price']]),
      line(220, [[20, '00010'], [80, 'VIS-440'], [180, 'Vis inox 4x40'], [400, '12'], [450, '18,90']]),
      line(235, [[20, '00020'], [80, 'CHV-6'], [180, 'Cheville nylon'], [400, '5'], [450, '5,60']]),
    ]);
    const r = readOrder([p], md, { parser: 'pdf-text' });
    expect(r.draft?.lines.map((l) => [l.lineNumber, l.sku, l.quantity])).toEqual([
      [10, 'VIS-440', 12],
      [20, 'CHV-6', 5],
    ]);
  });

  it('finds the article in the designation when the only code column is a position', () => {
    const p = page(1, [
      line(200, [[20, 'Pos.'], [80, 'Désignation'], [400, 'Qté'], [450, 'PU HT']]),
      line(220, [[20, '1'], [80, 'Vis inox A2 réf VIS-450'], [400, '3'], [450, '21,40']]),
      line(235, [[20, '2'], [80, 'Foret béton FOR-BET8'], [400, '10'], [450, '4,90']]),
    ]);
    const r = readOrder([p], md, { parser: 'pdf-text' });
    expect(r.draft?.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['VIS-450', 3],
      ['FOR-BET8', 10],
    ]);
  });
});

describe('rows that break', () => {
  it('keeps a quantity wrapped onto the next line with its row', () => {
    const p = page(1, [
      line(200, [[20, 'Référence'], [120, 'Désignation'], [400, 'Quantité'], [480, 'Prix']]),
      line(220, [[20, 'VIS-440'], [120, 'Vis inox tête fraisée']]),
      line(232, [[400, '12'], [480, '18,90']]),
      line(250, [[20, 'ECR-M8'], [120, 'Écrou M8'], [400, '4'], [480, '9,40']]),
    ]);
    const t = extractTable([p]).table!;
    expect(t.rows.map((r) => [r.cells.reference?.text, r.cells.quantity?.text])).toEqual([
      ['VIS-440', '12'],
      ['ECR-M8', '4'],
    ]);
  });

  it('goes on after a "Total page 1" at a page break, without a repeated header', () => {
    const p1 = page(1, [
      line(200, [[20, 'Code article'], [120, 'Libellé'], [400, 'Qté'], [480, 'Montant']]),
      line(220, [[20, 'VIS-440'], [120, 'Vis inox'], [400, '2'], [480, '37,80']]),
      line(800, [[20, 'Total page 1'], [480, '37,80']]),
    ]);
    const p2 = page(2, [
      line(60, [[20, 'CHV-8'], [120, 'Cheville nylon 8'], [400, '3'], [480, '21,60']]),
      line(90, [[20, 'Total HT'], [480, '59,40']]),
    ]);
    const t = extractTable([p1, p2]).table!;
    expect(t.rows.map((r) => r.cells.reference?.text)).toEqual(['VIS-440', 'CHV-8']);
  });

  it('reads German and Italian column headers', () => {
    const de = page(1, [
      line(200, [[20, 'Pos'], [60, 'Artikel-Nr.'], [160, 'Bezeichnung'], [400, 'Menge'], [460, 'Einzelpreis']]),
      line(220, [[20, '10'], [60, 'BOU-M8'], [160, 'Schraube M8'], [400, '6'], [460, '24,60']]),
    ]);
    expect(extractTable([de]).table?.rows[0]?.cells.reference?.text).toBe('BOU-M8');
    const it_ = page(1, [
      line(200, [[20, 'Codice'], [120, 'Descrizione'], [400, 'Quantità'], [480, 'Prezzo unitario']]),
      line(220, [[20, 'CHV-6'], [120, 'Tassello nylon'], [400, '8'], [480, '5,60']]),
    ]);
    expect(extractTable([it_]).table?.rows[0]?.cells.quantity?.text).toBe('8');
  });
});
