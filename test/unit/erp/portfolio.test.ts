import { describe, expect, it } from 'vitest';
import { overCreditLimit, portfolioClasses, shortLines } from '../../../domain/portfolio';
import type { Order } from '../../../domain/order';

const order: Order = {
  poNumber: 'P', orderDate: null, requestedDeliveryDate: null, purpose: 'original', currency: 'EUR',
  customer: { id: 'C001', name: null, matchedBy: 'api' }, shipTo: { code: null, gln: null, name: null, street: null, postalCode: null, city: null, country: null },
  lines: [{ lineNumber: 1, sku: 'A', customerPartNumber: null, ean: null, description: null, quantity: 5, unit: null, unitPrice: 10, confidence: 1, doubts: [] }],
  confidence: 1, provenance: { parser: 'api-json', location: null, signals: [] },
};
const facts = { order, problems: [], stock: null, credit: null, amount: 50, shipToDeliverable: null };

describe('portfolio classes (domain/portfolio.ts)', () => {
  it('puts each order in the classes the ERP and the order say', () => {
    expect(portfolioClasses(facts)).toEqual([]);
    expect(portfolioClasses({ ...facts, stock: { A: 4 } })).toEqual(['rupture']);
    expect(portfolioClasses({ ...facts, stock: { A: 5 } })).toEqual([]);
    expect(portfolioClasses({ ...facts, stock: {} })).toEqual(['rupture']); // a SKU the ERP does not know has none
    expect(portfolioClasses({ ...facts, credit: { limit: 100, used: 60 } })).toEqual(['limite-credit']);
    expect(portfolioClasses({ ...facts, credit: { limit: null, used: 1e9 } })).toEqual([]);
    expect(portfolioClasses({ ...facts, shipToDeliverable: false })).toEqual(['blocage-livraison']);
    expect(portfolioClasses({ ...facts, problems: [{ code: 'UNKNOWN_SHIP_TO', message: 'GLN inconnu', severity: 'warning', where: 'shipTo.gln' }] })).toEqual(['blocage-livraison', 'anomalie']);
    expect(portfolioClasses({ ...facts, problems: [{ code: 'X', message: 'info', severity: 'info', where: null }] })).toEqual([]);
  });
  it('counts an unknown amount against a limit as over, and lists the short lines', () => {
    expect(overCreditLimit({ limit: 100, used: 0 }, null)).toBe(true);
    expect(overCreditLimit({ limit: 100, used: 50 }, 50)).toBe(false);
    expect(shortLines(order, { A: 2 })).toEqual([{ sku: 'A', quantity: 5, available: 2 }]);
  });
});
