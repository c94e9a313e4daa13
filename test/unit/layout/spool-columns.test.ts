// Spool printouts (AS/400, Movex, JD Edwards) by fax or scan: a quantity title read in two parts or
// garbled, so the numbers sit under no known title; continuation pages that repeat no titles, placed
// elsewhere on the glass; "*** SEGUE ***" at a page's foot.
import { describe, expect, it } from 'vitest';
import { extractTable, inferQuantityColumn } from '../../../parsers/layout/table';
import type { PageWords, PositionedWord } from '../../../parsers/layout/types';
import { ocrLine } from '../../support/words';

/** A number printed right-aligned so that it ends at `right` (20 px a character). */
const right = (end: number, text: string): [number, string] => [end - text.length * 20, text];

type Item = [string, string, string, string, string, string];
const ITEMS: Item[] = [
  ['10', 'CYL-EUR', 'CILINDRO EUROPEO', '17', '22,050', '374,85'],
  ['20', 'GAN-NIT', 'GUANTI 9', '20', '2,800', '56,00'],
  ['30', 'FR/81-2', 'DADO M8', '1.200', '9,400', '11.280,00'],
  ['40', 'RON-M8', 'RONDELLA M8', '7', '7,900', '55,30'],
  ['50', 'VIS-660', 'VITE 6X60', '348', '14,670', '5.105,16'],
];

/** One spool row, every column moved by dx: position, code, designation, unit, then quantity, price, amount right-aligned. */
function spoolRow(y: number, [pos, code, desc, qty, price, amount]: Item, dx = 0): PositionedWord[] {
  return ocrLine(y, [right(180 + dx, pos), [260 + dx, code], [600 + dx, desc], [1200 + dx, 'CF'], right(1600 + dx, qty), right(1820 + dx, price), right(2140 + dx, amount)]);
}

const TITLES = ocrLine(100, [[100, 'Riga'], [260, 'Articolo'], [600, 'Descrizione'], [1200, 'UM'], [1320, "Q.ta' ordinata"], [1700, 'Prezzo'], [1980, 'Importo']]);

describe('a quantity title whose numbers sit beside it (roles from content)', () => {
  it('takes the untitled column of integers that with the price give the amount as the quantity, and says so', () => {
    const words = [...TITLES, ...ITEMS.flatMap((it, i) => spoolRow(160 + i * 60, it))];
    const { table } = extractTable([{ page: 1, words }]);
    expect(table!.rows.map((r) => r.cells.quantity?.text)).toEqual(['17', '20', '1.200', '7', '348']);
    expect(table!.rows.map((r) => r.cells.unitPrice?.text)).toEqual(['22,050', '2,800', '9,400', '7,900', '14,670']);
    expect(table!.inferred?.[0]).toMatch(/5 of 5 rows/);
  });

  it('still finds the quantities beside the title when OCR lost them on most rows, from the rows that kept theirs', () => {
    const lost = ITEMS.map((it, i): Item => (i < 2 ? it : [it[0], it[1], it[2], '', it[4], it[5]]));
    const words = [...TITLES, ...lost.flatMap((it, i) => spoolRow(160 + i * 60, it).filter((w) => w.text !== ''))];
    const { table } = extractTable([{ page: 1, words }]);
    expect(table!.columns.find((c) => c.role === 'quantity')!.label).toBe("Q.ta' ordinata");
    expect(table!.rows.map((r) => r.cells.quantity?.text)).toEqual(['17', '20', undefined, undefined, undefined]);
    expect(table!.inferred?.[0]).toMatch(/2 of 2 rows/);
  });

  it('leaves the titles alone when the quantity column holds the numbers, or when the neighbour\'s integers do not multiply out', () => {
    const titled = ocrLine(100, [[100, 'Riga'], [260, 'Articolo'], [600, 'Descrizione'], [1200, 'UM'], [1500, 'Qta'], [1700, 'Prezzo'], [1980, 'Importo']]);
    const { table } = extractTable([{ page: 1, words: [...titled, ...ITEMS.flatMap((it, i) => spoolRow(160 + i * 60, it))] }]);
    expect(table!.inferred).toBeUndefined();
    expect(table!.rows.map((r) => r.cells.quantity?.text)).toEqual(['17', '20', '1.200', '7', '348']);
    // A column of integers that are no quantities (a delivery week, a discount): × price ≠ amount.
    const columns = [
      { role: 'quantity' as const, label: 'Qta', x0: 1320, x1: 1400 },
      { role: 'other' as const, label: 'KW', x0: 1440, x1: 1600 },
      { role: 'unitPrice' as const, label: 'Prezzo', x0: 1700, x1: 1820 },
      { role: 'amount' as const, label: 'Importo', x0: 1980, x1: 2140 },
    ];
    const body = [['42', '9,400', '11.280,00'], ['43', '7,900', '55,30'], ['44', '2,800', '56,00']].map((c, i) => ({ page: 1, words: ocrLine(200 + i * 60, [right(1600, c[0]!), right(1820, c[1]!), right(2140, c[2]!)]), x0: 0, y0: 0, x1: 0, y1: 0, text: c.join(' '), confidence: 0.9 }));
    expect(inferQuantityColumn(columns, [1420, 1650, 1900], body)).toBeNull();
  });
});

describe('a continuation page that repeats no column titles', () => {
  const TITLED = ocrLine(100, [[100, 'Riga'], [260, 'Articolo'], [600, 'Descrizione'], [1200, 'UM'], [1500, 'Qta'], [1700, 'Prezzo'], [1980, 'Importo']]);
  const heading = (page: number, dx: number) => [...ocrLine(20, [[100 + dx, 'MOVEX'], [600 + dx, 'ORDINE DI ACQUISTO'], [1800 + dx, `Pag. ${page}`]])];

  it('reads its rows in the last page\'s columns, moved as far as the page moved on the glass', () => {
    const pages: PageWords[] = [
      { page: 1, words: [...heading(1, 0), ...TITLED, ...ITEMS.slice(0, 3).flatMap((it, i) => spoolRow(160 + i * 60, it))] },
      // Page 2 sits 150 px further right: without moving the columns, the quantities fall under the price.
      { page: 2, words: [...heading(2, 150), ...ITEMS.slice(3).flatMap((it, i) => spoolRow(160 + i * 60, it, 150))] },
    ];
    const { table } = extractTable(pages);
    expect(table!.rows.map((r) => [r.page, r.cells.reference?.text, r.cells.quantity?.text, r.cells.unitPrice?.text, r.cells.amount?.text])).toEqual([
      [1, 'CYL-EUR', '17', '22,050', '374,85'],
      [1, 'GAN-NIT', '20', '2,800', '56,00'],
      [1, 'FR/81-2', '1.200', '9,400', '11.280,00'],
      [2, 'RON-M8', '7', '7,900', '55,30'],
      [2, 'VIS-660', '348', '14,670', '5.105,16'],
    ]);
  });

  it('ends a page at "*** SEGUE ***": the word joins no row', () => {
    const words = [...TITLED, ...ITEMS.slice(0, 2).flatMap((it, i) => spoolRow(160 + i * 60, it)), ...ocrLine(250, [[1700, '*** SEGUE ***']])];
    const { table } = extractTable([{ page: 1, words }]);
    expect(table!.rows.map((r) => r.text).join(' ')).not.toMatch(/SEGUE/);
    expect(table!.rows.map((r) => r.cells.unitPrice?.text)).toEqual(['22,050', '2,800']);
  });
});

describe('a table whose title row no page shows (lost to a faint ribbon or OCR)', () => {
  const letterhead = [...ocrLine(20, [[100, 'MOVEX'], [600, 'ORDINE DI ACQUISTO'], [1800, 'Pag. 1']]), ...ocrLine(60, [[100, 'Numero ordine........: 2561139']])];

  it('finds the columns by the rows\' alignment and their roles by content, crooked rows and all, and says so', () => {
    // Each row a few pixels further left than the one above (a crooked scan), the quantity × price = amount.
    const words = [...letterhead, ...ITEMS.flatMap((it, i) => spoolRow(160 + i * 60, it, -4 * i)), ...ocrLine(480, [[1500, 'TOTALE ORDINE'], right(2140, '16.871,31')])];
    const { table } = extractTable([{ page: 1, words }], { alignRows: true });
    expect(table!.columns.map((c) => c.role)).toEqual(['lineNumber', 'reference', 'description', 'unit', 'quantity', 'unitPrice', 'amount']);
    expect(table!.rows.map((r) => [r.cells.reference?.text, r.cells.description?.text, r.cells.quantity?.text, r.cells.unitPrice?.text])).toEqual([
      ['CYL-EUR', 'CILINDRO EUROPEO', '17', '22,050'],
      ['GAN-NIT', 'GUANTI 9', '20', '2,800'],
      ['FR/81-2', 'DADO M8', '1.200', '9,400'],
      ['RON-M8', 'RONDELLA M8', '7', '7,900'],
      ['VIS-660', 'VITE 6X60', '348', '14,670'],
    ]);
    expect(table!.inferred?.[0]).toMatch(/no title row: 7 columns found by the alignment of 5 rows/);
    // The letterhead and the total stay outside the rows.
    expect(table!.rows.some((r) => /2561139|TOTALE/.test(r.text))).toBe(false);
  });

  it('takes the quantity to be the factor printed first when quantity and price are both decimals', () => {
    const rows: [string, string, string, string][] = [['PAT-ANG', '35,000', '6,900', '241,50'], ['CHA-S3', '391,000', '41,650', '16.285,15'], ['GIL-HV', '15,000', '3,510', '52,65']];
    const words = rows.flatMap(([code, q, p, a], i) => ocrLine(160 + i * 60, [[100, code], [300, 'ARTIKEL'], right(900, q), [920, 'ST'], right(1130, p), right(1330, a)]));
    const { table } = extractTable([{ page: 1, words }], { alignRows: true });
    expect(table!.rows.map((r) => [r.cells.quantity?.text, r.cells.unitPrice?.text])).toEqual([['35,000', '6,900'], ['391,000', '41,650'], ['15,000', '3,510']]);
  });

  it('makes no table of lines whose numbers do not multiply out, and none unless the reader asks for it', () => {
    const notes = [['VIS-440', '12', '2026,10', '5,00'], ['CHV-8', '3', '14,50', '99,99'], ['BOU-M8', '44', '1,25', '7,77']].flatMap(([c, a, b, d], i) => ocrLine(160 + i * 60, [[100, c!], [300, 'Palette'], right(900, a!), right(1130, b!), right(1330, d!)]));
    expect(extractTable([{ page: 1, words: notes }], { alignRows: true }).table).toBeNull();
    const words = [...letterhead, ...ITEMS.flatMap((it, i) => spoolRow(160 + i * 60, it))];
    expect(extractTable([{ page: 1, words }]).table).toBeNull();
  });
});
