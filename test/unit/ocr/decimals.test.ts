// Number columns printed with two decimals in a small, dense face ("14,00", "1.400,00", "38,50"):
// OCR of a fax or a scan loses the mark ("1400", "35100") or reads it as a space ("53 900 00"). When
// quantity, price and amount lost it alike the arithmetic holds at a hundred times the value; the
// column's own format says how the cells are printed, the arithmetic says whether that holds, and a
// reading nothing confirms stays under review.
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import type { PositionedWord, TableRow } from '../../../parsers/layout/types';
import { asPrinted, columnDecimals, rowAsPrinted, AS_PRINTED_ALONE } from '../../../parsers/ocr/decimals';
import { readImageOrder, type OcrPage } from '../../../parsers/ocr/order';
import { cellKey, numberCell, type CellRereads } from '../../../parsers/ocr/reread';
import { settleNumbers } from '../../../parsers/ocr/settle';
import { REVIEW_THRESHOLD } from '../../../parsers/ocr/snap';
import { ocrLine } from '../../support/words';

const md = loadMasterData('fixtures/masterdata');
const line = (y: number, pieces: [number, string][]): PositionedWord[] => ocrLine(y, pieces, 0.93);

function page(rows: [string, string, string][], header: [number, string][] = []): OcrPage {
  const words = [
    ...line(200, [[130, 'QUINCAILLERIE DUPONT']]),
    ...line(700, [[130, 'Bon de commande N° CDE-2026-1142'], [1000, 'Date : 23/11/2026']]),
    ...header.flatMap(([y, text]) => line(y, [[130, text]])),
    ...line(1100, [[140, 'Article'], [400, 'Désignation'], [1000, 'Quantité'], [1250, 'Prix'], [1500, 'Montant']]),
    ...rows.flatMap(([q, p, a], i) => line(1160 + i * 60, [[140, 'CHV-8'], [400, 'Cheville nylon'], [1000, q], [1250, p], [1500, a]])),
  ];
  return { page: 1, words, meanConfidence: 0.9, width: 1800, height: 2200 };
}

const row = (q: string, p: string, a: string): TableRow => ({ page: 1, index: 1, y0: 0, y1: 10, lineCount: 1, text: `${q} ${p} ${a}`, cells: { quantity: { text: q, confidence: 0.9 }, unitPrice: { text: p, confidence: 0.9 }, amount: { text: a, confidence: 0.9 } } });
const fr = numberCell('fr');

describe('OCR reader: number columns printed with decimals', () => {
  it('tells the decimals a column prints from the cells that show its mark', () => {
    expect(columnDecimals(['14,00', '1400', '1.400,00', '35100', '2,50 KAR'], 'fr')).toBe(2);
    expect(columnDecimals(['14', '1400', '2,5', '35,00'], 'fr')).toBeNull();
    expect(columnDecimals(['14,00', '2,5', '3,25', '4,75', '1,125'], 'fr')).toBeNull();
    expect(columnDecimals(['14.00', '1,400.00', '3.25'], 'en')).toBe(2);
  });

  it('reads a cell whose mark OCR lost or misread as its column prints it', () => {
    expect(asPrinted('35100', 2, 'fr')).toBe('351,00');
    expect(asPrinted('53 900 00', 2, 'fr')).toBe('53 900,00');
    expect(asPrinted('1.400.00', 2, 'fr')).toBe('1.400,00');
    expect(asPrinted('085', 2, 'fr')).toBe('0,85');
    expect(asPrinted('1400 KAR', 2, 'fr')).toBe('14,00 KAR');
    expect(asPrinted('14,00', 2, 'fr')).toBeNull();
    expect(asPrinted('32', 2, 'fr')).toBeNull();
  });

  it('takes the reading as printed when every cell lost its mark alike, although the page reading holds too', () => {
    const read = rowAsPrinted(row('35100', '6,90', '242190'), { quantity: 2, unitPrice: 2, amount: 2 }, 'fr', () => fr);
    expect(fr(read.row.cells.quantity!.text)).toBe(351);
    expect(fr(read.row.cells.amount!.text)).toBe(2421.9);
    expect(read.doubt).toContain('351 × 6,9 = 2421,9');
  });

  it('reads a quantity that lost its mark with its amount as printed, though its own column shows no decimals', () => {
    // "1000" × 13,05 = "13050" agrees a hundred times too large; the amount column prints two decimals.
    const read = rowAsPrinted(row('1000', '13,05', '13050'), { unitPrice: 2, amount: 2 }, 'fr', () => fr);
    expect(fr(read.row.cells.quantity!.text)).toBe(10);
    expect(fr(read.row.cells.amount!.text)).toBe(130.5);
    expect(read.doubt).toContain('10 × 13,05 = 130,5');
    // A quantity not ending in the amount's decimals' zeros is no such reading.
    expect(fr(rowAsPrinted(row('1012', '13,05', '13206,60'), { unitPrice: 2, amount: 2 }, 'fr', () => fr).row.cells.quantity!.text)).toBe(1012);
  });

  it('keeps a row whose columns show no decimals, and one that already reads as printed', () => {
    expect(rowAsPrinted(row('1400', '8,70', '12180'), {}, 'fr', () => fr).doubt).toBeNull();
    expect(rowAsPrinted(row('14,00', '8,70', '121,80'), { quantity: 2, unitPrice: 2, amount: 2 }, 'fr', () => fr).doubt).toBeNull();
  });

  it('takes a reading as printed that nothing confirms below review', () => {
    const read = rowAsPrinted(row('1400', '8,70', '99,99'), { quantity: 2, unitPrice: 2, amount: 2 }, 'fr', () => fr);
    expect(read.row.cells.quantity).toEqual({ text: '14,00', confidence: AS_PRINTED_ALONE });
    expect(read.doubt).toContain('nothing confirms it');
  });

  it('gives the order lines the quantities as printed, never a hundred times them with confidence', () => {
    const lines = readImageOrder([page([['14,00', '8,70', '121,80'], ['35100', '6,90', '242190'], ['2,00', '3,96', '7,92'], ['24,00', '18,90', '453,60'], ['1400', '8,70', '99,99']])], { masterData: md, fileName: 'fax.tif' }).draft!.lines;
    expect(lines.map((l) => l.quantity)).toEqual([14, 351, 2, 24, 14]);
    expect(lines[4]!.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });

  it('flags the delivery date when its label is printed but OCR could not read the date', () => {
    const draft = readImageOrder([page([['14,00', '8,70', '121,80'], ['2,00', '3,96', '7,92'], ['24,00', '18,90', '453,60']], [[800, 'Date de livraison : l@ 1#/ll']])], { masterData: md, fileName: 'fax.tif' }).draft!;
    expect(draft.requestedDeliveryDate ?? null).toBeNull();
    expect(draft.evidence?.requestedDeliveryDate?.flag).toContain('could not read');
  });

  it('reads a table whose quantities carry their unit ("14,00 BTE") and whose titles are English words as printing decimal commas', () => {
    // "Description" reads English, every number reads alike both ways ("14,00" is fourteen): the commas the cells print decide.
    const words = [
      ...line(200, [[130, 'QUINCAILLERIE DUPONT']]),
      ...line(700, [[130, 'Bon de commande N° CDE-2026-1142'], [1000, 'Date : 23/11/2026']]),
      ...line(1100, [[140, 'Article'], [400, 'Description'], [1000, 'Quantité'], [1250, 'Prix'], [1500, 'Montant']]),
      ...[['14,00 BTE', '8,70', '121,80'], ['14900 BTE', '7,11', '1059,39'], ['2,00 BTE', '3,96', '7,92'], ['24,00 BTE', '18,90', '453,60']].flatMap(([q, p, a], i) =>
        line(1160 + i * 60, [[140, 'CHV-8'], [400, 'Cheville nylon'], [1000, q!], [1250, p!], [1500, a!]]),
      ),
    ];
    const lines = readImageOrder([{ page: 1, words, meanConfidence: 0.9, width: 1800, height: 2200 }], { masterData: md, fileName: 'fax.tif' }).draft!.lines;
    expect(lines.map((l) => l.quantity)).toEqual([14, 149, 2, 24]);
    expect(lines[1]!.doubts!.join(' ')).toContain('taken as 149,00 BTE');
  });

  it('never takes a re-read amount that lost the mark the page read as confirming a quantity that lost it too', () => {
    // 14900 × 7,11 = 105938 holds as 149 × 7,11 = 1059,39 does: the crop's "105938" is the page's 1059,39 without its comma.
    const r = row('14900 BTE', '7,11', '1059,39');
    const rereads: CellRereads = new Map([[cellKey(r, 'amount'), [{ text: '105938', confidence: 0.67 }, { text: '105939', confidence: 0.1 }]]]);
    const settled = settleNumbers(r, rereads, (t) => fr(t.replace(' BTE', '')), fr);
    expect(settled.cells.quantity?.text).toBe('14900 BTE');
    expect(settled.evidence).toBeNull();
  });
});
