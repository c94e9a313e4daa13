import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { netUnitPrice, perUnitsOfLabel } from '../../../domain/unit-price';
import { loadMasterData } from '../../../storage/masterdata-source';
import { parseRows } from '../../../parsers/text/lines';
import { textLineFromRow } from '../../../parsers/layout/order';
import { detectHeader } from '../../../parsers/layout/table';
import type { PositionedWord, TableRow } from '../../../parsers/layout/types';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

describe('netUnitPrice: the net unit price per unit of the ordered quantity', () => {
  it('keeps a price the amount confirms, certain', () => {
    expect(netUnitPrice({ quantity: 23, price: 9.26, amount: 212.98, discount: null, per: 1 })).toEqual({ unitPrice: 9.26, doubt: null });
  });

  it('divides a price labelled per 100, and the amount confirms it', () => {
    expect(netUnitPrice({ quantity: 359, price: 1349, amount: 4842.91, discount: 5, per: 100 })).toEqual({ unitPrice: 13.49, doubt: null });
    // Labelled per 100 with no amount: the label alone settles it.
    expect(netUnitPrice({ quantity: 10, price: 145, amount: null, discount: null, per: 100 })).toEqual({ unitPrice: 1.45, doubt: null });
  });

  it('applies a printed discount when the amount is quantity × net price', () => {
    // 2 × 20,00 − 10 % = 36,00
    expect(netUnitPrice({ quantity: 2, price: 20, amount: 36, discount: 10, per: 1 })).toEqual({ unitPrice: 18, doubt: null });
    // 3 × 12,35 − 2,5 % = 36,12 (rounded by the printer): the net price is kept to four decimals.
    expect(netUnitPrice({ quantity: 3, price: 12.35, amount: 36.12, discount: 2.5, per: 1 }).unitPrice).toBeCloseTo(12.0413, 4);
  });

  it('keeps the price as printed when the amount shows the discount was not applied to it', () => {
    expect(netUnitPrice({ quantity: 22, price: 1.45, amount: 31.9, discount: 10, per: 1 })).toEqual({ unitPrice: 1.45, doubt: null });
  });

  it('flags a discount that no amount confirms, and an amount that matches no reading', () => {
    const d = netUnitPrice({ quantity: 2, price: 20, amount: null, discount: 10, per: 1 });
    expect(d.unitPrice).toBe(18);
    expect(d.doubt).toMatch(/no amount printed/u);
    const w = netUnitPrice({ quantity: 2, price: 20, amount: 55, discount: null, per: 1 });
    expect(w).toMatchObject({ unitPrice: 20 });
    expect(w.doubt).toMatch(/amount printed is 55/u);
  });

  it('divides an unlabelled per-100 price the amount reveals, but keeps it flagged', () => {
    const r = netUnitPrice({ quantity: 200, price: 12.5, amount: 25, discount: null, per: 1 });
    expect(r.unitPrice).toBe(0.125);
    expect(r.doubt).toMatch(/no label announces/u);
  });

  it('derives a price from the amount alone, flagged, and nothing from nothing', () => {
    const r = netUnitPrice({ quantity: 23, price: null, amount: 212.98, discount: null, per: 1 });
    expect(r.unitPrice).toBe(9.26);
    expect(r.doubt).toMatch(/no unit price printed/u);
    expect(netUnitPrice({ quantity: 23, price: null, amount: null, discount: null, per: 1 })).toEqual({ unitPrice: null, doubt: null });
  });

  it('reads per how many units a column label prices', () => {
    expect(perUnitsOfLabel('Prix/100')).toBe(100);
    expect(perUnitsOfLabel('Preis je 1000 ST')).toBe(1000);
    expect(perUnitsOfLabel('P.U. HT')).toBe(1);
    expect(perUnitsOfLabel('Prix 12,100')).toBe(1);
  });
});

/** A header line of words at the given x positions, one word per label (as a PDF prints "Preis CHF" in one run). */
function header(cells: [number, string][]): { words: PositionedWord[]; text: string; y0: number; y1: number; page: number } {
  const words = cells.map(([x, text]) => ({ text, x0: x, x1: x + text.length * 5, y0: 100, y1: 110 }));
  return { words, text: cells.map((c) => c[1]).join(' '), y0: 100, y1: 110, page: 1 };
}

describe('price and discount columns of a printed table', () => {
  it('reads "Preis CHF" as the price column, "Einh." as the unit, "Rabatt %" as the discount', () => {
    const cols = detectHeader(header([[20, 'Artikel-Nr.'], [90, 'Bezeichnung'], [250, 'Menge'], [290, 'Einh.'], [330, 'Preis CHF'], [400, 'Rabatt %'], [460, 'Total CHF']]) as never);
    expect(cols?.map((c) => c.role)).toEqual(['reference', 'description', 'quantity', 'unit', 'unitPrice', 'discount', 'amount']);
  });

  it('reads "EK-Preis", "PA net" and "Prix/100" as price columns', () => {
    for (const label of ['EK-Preis', 'PA net', 'Prix/100', 'Direct Unit Cost']) {
      const cols = detectHeader(header([[20, 'Code'], [90, 'Désignation'], [250, 'Quantité'], [330, label], [460, 'Montant']]) as never);
      expect(cols?.find((c) => c.role === 'unitPrice'), label).toBeDefined();
    }
  });

  it('reads "Preis je 100 ST" as one price column per 100', () => {
    const words = [[20, 'Artikel-Nr.'], [90, 'Bezeichnung'], [250, 'Menge'], [330, 'Preis'], [358, 'je'], [372, '100'], [390, 'ST'], [460, 'Betrag']] as [number, string][];
    const cols = detectHeader({ words: words.map(([x, text]) => ({ text, x0: x, x1: x + text.length * 5, y0: 100, y1: 110 })), text: '', y0: 100, y1: 110, page: 1 } as never);
    const price = cols?.find((c) => c.role === 'unitPrice');
    expect(cols?.map((c) => c.role)).toEqual(['reference', 'description', 'quantity', 'unitPrice', 'amount']);
    expect(perUnitsOfLabel(price!.label)).toBe(100);
  });

  it('a row of a "Prix/100" table with a discount carries the price per unit the amount confirms', () => {
    const row: TableRow = { page: 1, index: 1, y0: 0, y1: 10, lineCount: 1, text: '', cells: { reference: { text: 'VIS-440', confidence: 1 }, quantity: { text: '10,00', confidence: 1 }, unitPrice: { text: '1 890,00', confidence: 1 }, discount: { text: '10,00', confidence: 1 }, amount: { text: '170,10', confidence: 1 } } };
    const l = textLineFromRow(row, { md, locale: 'fr', customerId: null, where: 'page 1, row 1', pricePer: 100 });
    expect(l).toMatchObject({ sku: 'VIS-440', quantity: 10, unitPrice: 17.01, doubts: [] });
  });

  it('a typed or HTML table: discount column and "Prix/100" header', () => {
    const lines = parseRows([['Réf.', 'Qté', 'Prix/100', 'Remise %', 'Montant'], ['VIS-440', '10', '1890,00', '10', '170,10']], undefined, md);
    expect(lines[0]).toMatchObject({ sku: 'VIS-440', quantity: 10, unitPrice: 17.01, doubts: [] });
  });
});
