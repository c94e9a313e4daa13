// Quantities whose decimal mark a fax lost or whose decimals caught a neighbour's digit, when the
// cells are read again: a re-reading that lost the mark the page printed is no witness, a re-read
// quantity of a three-decimal column reads as its siblings do, and an amount read with a space after
// its mark ("1, 783.04") can still confirm the line.
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import type { PositionedWord, TableRow } from '../../../parsers/layout/types';
import { cellsToReadAgain, readImageOrder, type OcrPage } from '../../../parsers/ocr/order';
import { cellKey, numberCell, type CellRereads } from '../../../parsers/ocr/reread';
import { settleNumbers } from '../../../parsers/ocr/settle';
import { ocrLine } from '../../support/words';

const md = loadMasterData('fixtures/masterdata');
const line = (y: number, pieces: [number, string][]): PositionedWord[] => ocrLine(y, pieces, 0.93);
const row = (q: string, p: string, a: string, confidence = 0.6): TableRow => ({ page: 1, index: 1, y0: 0, y1: 10, lineCount: 1, text: `${q} ${p} ${a}`, cells: { quantity: { text: q, confidence }, unitPrice: { text: p, confidence: 0.9 }, amount: { text: a, confidence: 0.6 } } });
const fr = numberCell('fr');
const en = numberCell('en');

describe('quantities whose decimal mark OCR lost, read again', () => {
  it('keeps the quantity as its column prints it when the re-readings agree only by losing the mark', () => {
    // "500" read as printed "5,00"; the crop reads "500" three times: the same cell without its comma.
    const r = row('5,00', '7,84', '39,70');
    const rereads: CellRereads = new Map([[cellKey(r, 'quantity'), [{ text: '500', confidence: 0.89 }, { text: '500', confidence: 0.95 }, { text: '500', confidence: 0.84 }]]]);
    const settled = settleNumbers(r, rereads, fr, fr);
    expect(settled.cells.quantity?.text).toBe('5,00');
    expect(settled.evidence).toBeNull();
  });

  it('lets an amount read with a space after its mark confirm a re-read quantity', () => {
    const r = row('128.060', '13.930600', '1, 783.04');
    const rereads: CellRereads = new Map([
      [cellKey(r, 'quantity'), [{ text: '128.060', confidence: 0.89 }, { text: '128.000', confidence: 0.93 }]],
      [cellKey(r, 'unitPrice'), [{ text: '13.9300', confidence: 0.92 }]],
    ]);
    const settled = settleNumbers(r, rereads, en, en);
    expect(en(settled.cells.quantity!.text)).toBe(128);
    expect(settled.evidence).toContain('1,783.04');
  });

  it('reads a re-read quantity of a three-decimal column as its siblings are ("319,000" in an English order: 319)', () => {
    const rows: [string, string, string, string][] = [
      ['CHV-8', '72.000', '7.4000', '532.80'],
      ['CAD-40', '37.000', '7.9000', '292.30'],
      ['VIS-450', '15.000', '1.3100', '19.65'],
      ['GIL-HV', '319,060', '6.180600', '1,971.42'],
      ['LUN-PRO', '208.000', '4.4000', '915.20'],
    ];
    const words = [
      ...line(200, [[130, 'QUINCAILLERIE DUPONT']]),
      ...line(700, [[130, 'PO Number: 43490'], [1000, 'Date: 23/11/2026']]),
      ...line(1100, [[140, 'Item'], [380, 'Description'], [1100, 'Qty'], [1240, 'Unit Price'], [1440, 'Amount']]),
      ...rows.flatMap(([ref, q, p, a], i) => line(1160 + i * 60, [[140, ref], [380, 'Article'], [1100, q], [1260, p], [1440, a]])),
    ];
    const p: OcrPage = { page: 1, words, meanConfidence: 0.9, width: 1800, height: 2200 };
    // Its quantity (319060 × 6.1806 ≠ 1,971.42) is one to read again; the price is read again with it.
    const [crop] = cellsToReadAgain([p], md);
    expect(crop).toMatchObject({ role: 'quantity', row: '1/4' });
    const rereads: CellRereads = new Map([
      ['1/4/quantity', [{ text: '319,000', confidence: 0.79 }, { text: '319,660', confidence: 0.72 }]],
      ['1/4/unitPrice', [{ text: '6.1800', confidence: 0.91 }]],
    ]);
    const lines = readImageOrder([p], { masterData: md, fileName: 'fax.tif', rereads }).draft!.lines;
    expect(lines.map((l) => l.quantity)).toEqual([72, 37, 15, 319, 208]);
    expect(lines[3]!.doubts!.join(' ')).toContain('re-read from its cell as "319,000"');
  });
});
