import { describe, expect, it } from 'vitest';
import { erpShipToRefusal, overCreditLimit, portfolioClasses, shipToDeliverable, shortLines } from '../../../domain/portfolio';
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
  it('puts a customer the ERP blocks in blocage financier, whatever the amount', () => {
    expect(portfolioClasses({ ...facts, credit: { limit: null, used: 0, blocked: 'client C001 désactivé dans Tryton' } })).toEqual(['blocage-financier']);
    expect(portfolioClasses({ ...facts, credit: { limit: 0, used: 0, blocked: 'limite de crédit à 0' } })).toEqual(['limite-credit', 'blocage-financier']);
    expect(portfolioClasses({ ...facts, credit: { limit: 1000, used: 0, blocked: null } })).toEqual([]);
  });

  it('blocks delivery to a ship-to that master data or the ERP does not know, or that the ERP blocks', () => {
    const md = [{ code: 'C001-L1', gln: '3020000100014' }, { code: 'C001-L2', gln: null }];
    const erp = [{ code: 'C001-L1', deliverable: true }, { code: '3020000100014', deliverable: true }, { code: 'C001-L2', deliverable: false }];
    const to = (code: string | null, gln: string | null = null) => ({ code, gln });
    expect(shipToDeliverable(to(null), md, erp)).toBeNull(); // none named: the ERP's default address
    expect(shipToDeliverable(to('C001-L1'), md, erp)).toBe(true);
    expect(shipToDeliverable(to(null, '3020000100014'), md, erp)).toBe(true);
    expect(shipToDeliverable(to('C001-L2'), md, null)).toBe(true); // the ERP not read: master data alone
    expect(shipToDeliverable(to('C001-L2'), md, erp)).toBe(false); // deactivated or not for deliveries in the ERP
    expect(shipToDeliverable(to('C001-L9'), md, erp)).toBe(false); // unknown to master data
    expect(shipToDeliverable(to('C001-L1'), md, erp.slice(1))).toBe(false); // unknown to the ERP
  });

  it("says why the ERP will not deliver a ship-to, in the ERP's words, for the sales order's creation", () => {
    const erp = [{ code: 'C001-L1', deliverable: true }, { code: '3020000100014', deliverable: true }, { code: 'C001-L2', deliverable: false, blocked: 'désactivée dans Tryton' }, { code: 'C001-F', deliverable: false }];
    const to = (code: string | null, gln: string | null = null) => ({ code, gln });
    expect(erpShipToRefusal(to(null), erp)).toBeNull();
    expect(erpShipToRefusal(to('C001-L1'), erp)).toBeNull();
    expect(erpShipToRefusal(to(null, '3020000100014'), erp)).toBeNull();
    expect(erpShipToRefusal(to('C001-L2'), erp)).toBe('adresse de livraison C001-L2 désactivée dans Tryton');
    expect(erpShipToRefusal(to('C001-F'), erp)).toBe("adresse de livraison C001-F bloquée dans l'ERP");
    expect(erpShipToRefusal(to('C001-L9', '3020000999999'), erp)).toBe("adresse de livraison C001-L9 / 3020000999999 inconnue pour ce client dans l'ERP");
  });

  it('counts an unknown amount against a limit as over, and lists the short lines', () => {
    expect(overCreditLimit({ limit: 100, used: 0 }, null)).toBe(true);
    expect(overCreditLimit({ limit: 100, used: 50 }, 50)).toBe(false);
    expect(shortLines(order, { A: 2 })).toEqual([{ sku: 'A', quantity: 5, available: 2 }]);
  });
});
