// A faxed spool printout whose quantity title was read in two parts ("Q.ta'" and "ordinata"): the
// quantities are found by their content, and every line says its columns were inferred, never passed
// on as read from a title.
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import { readImageOrder, type OcrPage } from '../../../parsers/ocr/order';
import { REVIEW_THRESHOLD } from '../../../parsers/ocr/snap';
import { ocrLine } from '../../support/words';

const md = loadMasterData('fixtures/masterdata');
const right = (end: number, text: string): [number, string] => [end - text.length * 20, text];

function page(titles = true): OcrPage {
  const rows: [string, string, string, string, string][] = [
    ['VIS-440', 'VITE 4X40', '12', '18,900', '226,80'],
    ['VIS-560', 'VITE 5X60', '1.200', '12,750', '15.300,00'],
    ['BOU-M8', 'BULLONE M8X40', '7', '24,600', '172,20'],
  ];
  const words = [
    ...ocrLine(100, [[100, 'QUINCAILLERIE DUPONT']]),
    ...ocrLine(160, [[100, 'Numero ordine........: 2561139'], [1500, 'Data 18/10/2026']]),
    ...(titles ? ocrLine(400, [[100, 'Riga'], [260, 'Articolo'], [600, 'Descrizione'], [1200, 'UM'], [1320, "Q.ta' ordinata"], [1700, 'Prezzo'], [1980, 'Importo']]) : []),
    ...rows.flatMap(([code, desc, q, p, a], i) => ocrLine(460 + i * 60, [right(180, String((i + 1) * 10)), [260, code], [600, desc], [1200, 'CF'], right(1600, q), right(1820, p), right(2140, a)], 0.93)),
  ];
  return { page: 1, words, meanConfidence: 0.9, width: 2400, height: 3300 };
}

describe('OCR reader: columns whose role came from their content', () => {
  it('reads the quantities beside a title read in two parts, and flags every line for review', () => {
    const reading = readImageOrder([page()], { masterData: md, fileName: 'fax.tif' });
    const lines = reading.draft!.lines;
    expect(lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([
      ['VIS-440', 12, 18.9],
      ['VIS-560', 1200, 12.75],
      ['BOU-M8', 7, 24.6],
    ]);
    for (const l of lines) {
      expect(l.confidence).toBeLessThan(REVIEW_THRESHOLD);
      expect(l.doubts?.join(' ')).toMatch(/column role inferred from content/);
    }
    expect(reading.problems.map((p) => p.code)).toContain('COLUMNS_INFERRED');
  });

  it('reads a printout whose title row OCR lost by its rows\' alignment, every line flagged', () => {
    const reading = readImageOrder([page(false)], { masterData: md, fileName: 'scan.pdf' });
    expect(reading.draft!.lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([
      ['VIS-440', 12, 18.9],
      ['VIS-560', 1200, 12.75],
      ['BOU-M8', 7, 24.6],
    ]);
    for (const l of reading.draft!.lines) expect(l.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(reading.problems.find((x) => x.code === 'COLUMNS_INFERRED')?.message).toMatch(/no title row/);
  });
});
