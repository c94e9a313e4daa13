import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { detectAnomalies, type AnomalyInput } from '../../../domain/anomalies';
import { loadMasterData } from '../../../storage/masterdata-source';
import { emptyAddress, problem, type Order } from '../../../domain/order';

const MD = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

function line(n: number, sku: string | null, quantity: number | null, unitPrice: number | null, extra: Partial<Order['lines'][number]> = {}): Order['lines'][number] {
  return { lineNumber: n, sku, customerPartNumber: null, ean: null, description: null, quantity, unit: sku ? (MD.product(sku)?.unit ?? null) : null, unitPrice, confidence: 1, doubts: [], ...extra };
}
function order(over: Partial<Order> = {}): Order {
  return {
    poNumber: 'CDE-2026-0412', orderDate: '2026-11-23', requestedDeliveryDate: '2026-11-27', purpose: 'original', currency: 'EUR',
    customer: { id: 'C001', name: 'Quincaillerie Dupont', matchedBy: 'email_domain' },
    shipTo: { ...emptyAddress(), code: 'C001-L1', postalCode: '69200', city: 'Vénissieux', country: 'FR' },
    lines: [line(1, 'VIS-440', 10, 18.9), line(2, 'CHV-8', 50, 7.2)],
    confidence: 1, provenance: { parser: 'pdf-text', location: null, signals: [] },
    ...over,
  };
}
function run(o: Order, extra: Partial<AnomalyInput> = {}) {
  return detectAnomalies({ order: o, problems: [], products: [...MD.products], customerInMasterData: !!(o.customer.id && MD.customer(o.customer.id)), ...extra });
}

describe('anomalies', () => {
  it('a clean order at list prices goes straight to its agent', () => {
    expect(run(order())).toEqual({ anomalies: [], needsReview: false, status: 'routed' });
  });

  it('flags an unknown customer, in words the agent understands', () => {
    const r = run(order({ customer: { id: null, name: 'Quincaillerie du Lac', matchedBy: null } }));
    expect(r.status).toBe('needs-review');
    expect(r.anomalies).toEqual([{ code: 'UNKNOWN_CUSTOMER', severity: 'error', field: 'customer', message: 'Client non identifié (« Quincaillerie du Lac » n’est pas dans le référentiel) : choisir le client avant la saisie.' }]);
    expect(run(order({ customer: { id: 'C999', name: null, matchedBy: 'api' } })).anomalies[0]?.message).toBe('Le client C999 n’existe pas dans le référentiel clients.');
  });

  it('flags unknown items and missing quantities per line', () => {
    const r = run(order({ lines: [line(1, null, 10, null, { customerPartNumber: 'DUP-4471', description: 'vis inox 4x45' }), line(2, 'VIS-999', null, null)] }));
    expect(r.anomalies.map((a) => [a.code, a.field])).toEqual([
      ['UNKNOWN_ITEM', 'line 1 / sku'],
      ['UNKNOWN_ITEM', 'line 2 / sku'],
      ['MISSING_QUANTITY', 'line 2 / quantity'],
    ]);
    expect(r.anomalies[0]!.message).toBe('Ligne 1 : article non reconnu (réf. client DUP-4471, « vis inox 4x45 ») : choisir l’article du catalogue.');
  });

  it('flags a price off the list price beyond the tolerance, not within it', () => {
    const r = run(order({ lines: [line(1, 'VIS-440', 10, 12), line(2, 'CHV-8', 50, 7.9)] }));
    expect(r.anomalies).toEqual([{ code: 'PRICE_OFF_LIST', severity: 'warning', field: 'line 1 / unitPrice', message: 'Ligne 1 (VIS-440) : prix 12,00 € au lieu de 18,90 € au tarif (−36,5 %).' }]);
    expect(run(order({ lines: [line(1, 'VIS-440', 10, 12)] }), {}).needsReview).toBe(true);
    expect(detectAnomalies({ order: order({ lines: [line(1, 'VIS-440', 10, 12)] }), problems: [], products: [...MD.products], customerInMasterData: true }, { priceTolerance: 0.5, minConfidence: 0.8, quantityFactor: 5, minHistory: 3 }).anomalies).toEqual([]);
  });

  it('does not compare a price per piece with a price per box', () => {
    const r = run(order({ lines: [line(1, 'VIS-440', 2000, 0.1, { unit: 'PCE' })] }));
    expect(r.anomalies.map((a) => [a.code, a.severity])).toEqual([['UNIT_DIFFERS', 'info']]);
    expect(r.status).toBe('routed');
  });

  it('flags a missing PO number', () => {
    expect(run(order({ poNumber: null })).anomalies.map((a) => a.code)).toEqual(['MISSING_PO']);
  });

  it('flags quantities far from the customer history, only with enough history', () => {
    const history = { 'VIS-440': [10, 12, 15, 10, 20], 'CHV-8': [50, 40] };
    const r = run(order({ lines: [line(1, 'VIS-440', 100, 18.9), line(2, 'CHV-8', 5000, 7.2)] }), { history });
    expect(r.anomalies).toEqual([{ code: 'QUANTITY_UNUSUAL', severity: 'warning', field: 'line 1 / quantity', message: 'Ligne 1 (VIS-440) : quantité 100, inhabituelle pour ce client (d’habitude 10 à 20, médiane 12).' }]);
    expect(run(order({ lines: [line(1, 'VIS-440', 2, 18.9)] }), { history }).anomalies.map((a) => a.code)).toEqual(['QUANTITY_UNUSUAL']);
    expect(run(order({ lines: [line(1, 'VIS-440', 40, 18.9)] }), { history }).anomalies).toEqual([]);
  });

  it('flags low-confidence reading with the parser doubts', () => {
    const r = run(order({ confidence: 0.62, lines: [line(1, 'VIS-440', 10, 18.9, { confidence: 0.55, doubts: ['SKU lu VIS-44O, rapproché de VIS-440'] }), line(2, 'CHV-8', 50, 7.2, { confidence: 0.9 })] }));
    expect(r.anomalies.map((a) => a.message)).toEqual([
      'Document lu avec une confiance de 62 % : vérifier la commande contre l’original.',
      'Ligne 1 (VIS-440) lue avec une confiance de 55 % : SKU lu VIS-44O, rapproché de VIS-440.',
    ]);
  });

  it('carries extraction problems and flags an amendment without its original', () => {
    const r = run(order({ purpose: 'replace' }), {
      problems: [problem('TOTAL_MISMATCH', 'Le total du document (1 020,00 €) ne correspond pas à la somme des lignes (549,00 €)', 'warning', 'page 1'), problem('PAGE_SKIPPED', 'page 2 blanche', 'info')],
      dedup: { decision: 'amendment', matchOrderId: null },
    });
    expect(r.anomalies.map((a) => [a.code, a.severity, a.field])).toEqual([
      ['REVISION_WITHOUT_ORIGINAL', 'error', 'poNumber'],
      ['TOTAL_MISMATCH', 'warning', 'page 1'],
    ]);
  });

  it('notes a repeated item and an impossible delivery date', () => {
    const r = run(order({ requestedDeliveryDate: '2026-11-20', lines: [line(1, 'VIS-440', 10, 18.9), line(2, 'VIS-440', 10, 18.9)] }));
    expect(r.anomalies.map((a) => [a.code, a.severity])).toEqual([['DELIVERY_BEFORE_ORDER', 'warning'], ['REPEATED_ITEM', 'info']]);
  });
});
