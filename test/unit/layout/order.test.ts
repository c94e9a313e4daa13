import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import { textLineFromRow } from '../../../parsers/layout/order';
import type { TableRow } from '../../../parsers/layout/types';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

function rowOf(cells: Record<string, string>): TableRow {
  return { page: 1, index: 1, y0: 0, y1: 10, lineCount: 1, text: Object.values(cells).join(' '), cells: Object.fromEntries(Object.entries(cells).map(([k, text]) => [k, { text, confidence: 1 }])) };
}

describe('textLineFromRow', () => {
  const ctx = { md, locale: 'fr' as const, customerId: null, where: 'page 1, row 1' };

  it('reads a quantity printed with its unit in the same cell ("1 800,00 BTE", "3,00 U")', () => {
    const a = textLineFromRow(rowOf({ reference: 'VIS-450', quantity: '1 800,00 BTE', unitPrice: '19,26' }), ctx);
    expect(a).toMatchObject({ sku: 'VIS-450', quantity: 1800, unit: 'BTE' });
    expect(a!.doubts).toEqual([]);
    expect(textLineFromRow(rowOf({ reference: 'VIS-450', quantity: '3,00 U' }), ctx)).toMatchObject({ quantity: 3, unit: 'U' });
  });

  it('keeps an unknown word after the quantity unreadable and flagged, not guessed', () => {
    const l = textLineFromRow(rowOf({ reference: 'VIS-450', quantity: '12 TVA' }), ctx);
    expect(l!.quantity).toBeNull();
    expect(l!.confidence).toBeLessThanOrEqual(0.3);
  });
});

describe('a "designation" column holding only article codes (Product/Service, Produit)', () => {
  const ctx = { md, locale: 'en' as const, customerId: null, where: 'page 1, row 1' };

  it('reads the code as the reference, without the doubt of a code found inside a designation, and the column beside as the designation', () => {
    const line = textLineFromRow(rowOf({ description: 'VIS-450', other: 'Stainless screw A2 4x50', quantity: '1,250', unitPrice: '19.26', amount: '24,075.00' }), ctx)!;
    expect(line).toMatchObject({ sku: 'VIS-450', description: 'Stainless screw A2 4x50', quantity: 1250, doubts: [] });
  });

  it('keeps the doubt when the code is one word among a designation', () => {
    const line = textLineFromRow(rowOf({ description: 'Vis inox VIS-450 4x50', quantity: '10' }), ctx)!;
    expect(line.doubts).toEqual(['page 1, row 1: reference found inside the designation']);
  });
});
