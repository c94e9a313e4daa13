// An English order's numbers on a fax or a scan: "2,100" is two thousand one hundred, "15,120.00"
// fifteen thousand; the OCR reader takes the way of writing numbers from the table, as the text PDF
// reader does (parsers/layout/order.ts detectLocale), and a French order keeps its decimal comma.
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import type { PositionedWord } from '../../../parsers/layout/types';
import { cellsToReadAgain, readImageOrder, type OcrPage } from '../../../parsers/ocr/order';
import { ocrLine } from '../../support/words';

const md = loadMasterData('fixtures/masterdata');

const line = (y: number, pieces: [number, string][]): PositionedWord[] => ocrLine(y, pieces, 0.93);

const COLS = { ref: 140, desc: 380, qty: 1100, pu: 1260, amount: 1440 };
function page(labels: [string, string, string, string, string], rows: [string, string, string, string][]): OcrPage {
  const words = [
    ...line(200, [[130, 'QUINCAILLERIE DUPONT']]),
    ...line(700, [[130, 'PO Number: 43490'], [1000, 'Date: 23/11/2026']]),
    ...line(1100, [[COLS.ref, labels[0]], [COLS.desc, labels[1]], [COLS.qty, labels[2]], [COLS.pu - 20, labels[3]], [COLS.amount, labels[4]]]),
    ...rows.flatMap(([ref, q, p, a], i) => line(1160 + i * 60, [[COLS.ref, ref], [COLS.desc, 'Article'], [COLS.qty, q], [COLS.pu, p], [COLS.amount, a]])),
  ];
  return { page: 1, words, meanConfidence: 0.9, width: 1800, height: 2200 };
}

const EN: [string, string, string, string, string] = ['Item', 'Description', 'Qty', 'Unit Price', 'Amount'];

describe('OCR reader: numbers written the English way', () => {
  it('reads "2,100" as 2100 when the rows say the order writes numbers the English way, and finds nothing to read again', () => {
    const p = page(EN, [
      ['CHV-8', '2,100', '7.20', '15,120.00'],
      ['CAD-40', '1,400', '9.52', '13,328.00'],
      ['CHV-8', '30', '7.20', '216.00'],
    ]);
    const draft = readImageOrder([p], { masterData: md, fileName: 'scan.pdf' }).draft!;
    expect(draft.lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([
      ['CHV-8', 2100, 7.2],
      ['CAD-40', 1400, 9.52],
      ['CHV-8', 30, 7.2],
    ]);
    expect(cellsToReadAgain([p], md)).toEqual([]);
  });

  it('keeps the decimal comma of a French order ("2,5" is two and a half)', () => {
    const p = page(['Réf.', 'Désignation', 'Qté', 'P.U. HT', 'Montant HT'], [
      ['CHV-8', '2,5', '7,20', '18,00'],
      ['CAD-40', '1.400', '9,52', '13.328,00'],
    ]);
    const draft = readImageOrder([p], { masterData: md, fileName: 'scan.pdf' }).draft!;
    expect(draft.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['CHV-8', 2.5],
      ['CAD-40', 1400],
    ]);
  });
});
