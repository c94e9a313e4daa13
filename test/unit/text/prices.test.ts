import { describe, expect, it } from 'vitest';
import { priceCue, pricesEvidence, withPricesEvidence } from '../../../parsers/text/prices';
import { NO_PRICE_PRINTED, PRICE_PRINTED } from '../../../domain/signals';
import type { DraftOrder } from '../../../domain/resolve';

const rule = (input: Parameters<typeof pricesEvidence>[0]) => pricesEvidence(input).rule;
const TABLE_TEXT = `COMMANDE n° AB26-149-B du 19/11/2026
Qté Unité Code Désignation
390 BTE ECR-M8 Écrou hexagonal M8 zingué (boîte de 200)
23 U CYL-EUR Cylindre européen 30x30 3 clés
Livraison : Chantier Ribeiro, 69150 Décines-Charpieu`;

describe('whether a document prints prices (parsers/text/prices.ts)', () => {
  it('is certain that no price is printed only for a table without a price column and no money anywhere', () => {
    expect(rule({ text: TABLE_TEXT, columns: ['quantity', 'unit', 'reference', 'description'] })).toBe(NO_PRICE_PRINTED);
    // "CYL-EUR" is an article code, not a currency beside a number.
    expect(priceCue({ text: TABLE_TEXT, columns: ['quantity', 'unit', 'reference', 'description'] })).toBeNull();
  });

  it('says a price is printed when the table has a unit-price or amount column, even if no price was read', () => {
    expect(rule({ text: TABLE_TEXT, columns: ['quantity', 'reference', 'description', 'unitPrice'] })).toBe(PRICE_PRINTED);
    expect(rule({ text: TABLE_TEXT, columns: ['quantity', 'reference', 'amount'] })).toBe(PRICE_PRINTED);
    expect(rule({ text: TABLE_TEXT, columns: ['quantity', 'reference'], unitPrices: [null, 4.5] })).toBe(PRICE_PRINTED);
    // A page whose table header was not recognised (null) is never certain.
    expect(rule({ text: TABLE_TEXT, columns: null })).toBe(PRICE_PRINTED);
  });

  it('says a price is printed for a lone total line, a closing total row or part of the document unread', () => {
    const withTotal = `${TABLE_TEXT}\nTotal : 1 234,50 €`;
    expect(pricesEvidence({ text: withTotal, columns: ['quantity', 'reference'] })).toMatchObject({ rule: PRICE_PRINTED, text: expect.stringContaining('1 234,50 €') });
    expect(rule({ text: TABLE_TEXT, columns: ['quantity', 'reference'], totalLines: 1 })).toBe(PRICE_PRINTED);
    expect(rule({ text: TABLE_TEXT, columns: ['quantity', 'reference'], partial: true })).toBe(PRICE_PRINTED);
  });

  it('reads typed e-mails: a list or prose without money is certain, a price per piece is not', () => {
    const prose = 'Bonjour,\nmerci de nous livrer 289 vis VIS-530 et 12 GOU-M10 pour lundi prochain à 8h, à notre magasin. Notre référence : 7151.\nC. Blanc';
    expect(rule({ text: prose })).toBe(NO_PRICE_PRINTED);
    expect(rule({ text: prose.replace('289 vis VIS-530', '289 vis VIS-530 à 12,50 € pièce') })).toBe(PRICE_PRINTED);
    expect(rule({ text: prose.replace('289 vis VIS-530', '289 vis VIS-530 à 12 pièce') })).toBe(PRICE_PRINTED);
    expect(rule({ text: '1400 Stk. FOR-HSS6 Bohrer 6 mm à CHF 3.02' })).toBe(PRICE_PRINTED);
    expect(rule({ text: 'FR/81-2 Dado M8 pz 4\nPrezzo come da listino' })).toBe(PRICE_PRINTED);
    // Dates, VAT numbers and phone numbers are not money.
    expect(rule({ text: 'Consegna entro il 13.12.2026\nP.IVA 01234567890\nTel. +39 02 8765 4321\nFR/81-2 Dado M8 pz 4' })).toBe(NO_PRICE_PRINTED);
  });

  it('sets the evidence on a draft with lines, from its own prices too', () => {
    const draft = (unitPrices: (number | null)[]): DraftOrder => ({ poNumber: '1', customer: {}, lines: unitPrices.map((unitPrice) => ({ sku: 'VIS-530', quantity: 2, unitPrice })), provenance: { parser: 'email-body' } });
    expect(withPricesEvidence(draft([3.5]), { text: 'VIS-530 2' })?.evidence?.prices?.rule).toBe(PRICE_PRINTED);
    expect(withPricesEvidence(draft([null]), { text: 'VIS-530 2' })?.evidence?.prices?.rule).toBe(NO_PRICE_PRINTED);
    expect(withPricesEvidence(draft([]), { text: '' })?.evidence).toBeUndefined();
  });
});
