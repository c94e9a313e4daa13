import { afterEach, describe, expect, it } from 'vitest';
import { ReadModel } from '../../../storage/read-model';
import { applyRoute, newOrderState, withDue } from '../../../domain/order-state';
import type { OrderDocument } from '../../../domain/order-model';
import type { Order } from '../../../domain/order';

const order = (po: string, customerId: string, lines: [string | null, number | null][]): Order => ({
  poNumber: po,
  orderDate: '2026-11-23',
  requestedDeliveryDate: null,
  purpose: 'original',
  currency: 'EUR',
  customer: { id: customerId, name: `Client ${customerId}`, matchedBy: 'email_domain' },
  shipTo: { code: null, gln: null, name: null, street: null, postalCode: '69200', city: 'Vénissieux', country: 'FR' },
  lines: lines.map(([sku, quantity], i) => ({ lineNumber: i + 1, sku, customerPartNumber: null, ean: null, description: `ligne ${i + 1}`, quantity, unit: 'BTE', unitPrice: 1, confidence: 1, doubts: [] })),
  confidence: 1,
  provenance: { parser: 'email-body', location: null, signals: [] },
});
const stateOf = (o: Order, dueAt: string) => {
  const d: OrderDocument = { document: { sha256: o.poNumber!.padEnd(64, '0'), fileName: `${o.poNumber}.eml`, mediaType: 'message/rfc822', channel: 'email', receivedAt: '2026-11-23T08:00:00.000Z' }, index: 0, order: o, problems: [] };
  return withDue(newOrderState(`${o.customer.id}-${o.poNumber}`, d, '2026-11-23T08:00:01.000Z'), { dueAt, atRiskAt: dueAt });
};

let rm: ReadModel | null = null;
afterEach(() => rm?.close());

describe('read model', () => {
  it("gives a customer's past lines (SKU, quantity) in the order it lists them, and only that customer's", () => {
    rm = new ReadModel(':memory:');
    rm.upsert(stateOf(order('B', 'C001', [['VIS-440', 12], ['CHV-8', null]]), '2026-11-24T16:00:00.000Z'));
    rm.upsert(stateOf(order('A', 'C001', [[null, 5]]), '2026-11-23T16:00:00.000Z'));
    rm.upsert(stateOf(order('Z', 'C002', [['VIS-440', 900]]), '2026-11-23T16:00:00.000Z'));
    expect(rm.customerLines('C001', 200)).toEqual([
      { poNumber: 'A', lines: [{ sku: null, quantity: 5 }] },
      { poNumber: 'B', lines: [{ sku: 'VIS-440', quantity: 12 }, { sku: 'CHV-8', quantity: null }] },
    ]);
    expect(rm.customerLines('C001', 200).map((p) => p.poNumber)).toEqual(rm.list({ customerId: 'C001' }).map((s) => s.poNumber));
    expect(rm.customerLines('C001', 1)).toHaveLength(1);
    expect(rm.customerLines('C404', 200)).toEqual([]);
  });

  it("changes its stamp when the ERP says something new of an order (the live inbox's cue), not on every read", () => {
    rm = new ReadModel(':memory:');
    rm.upsert(stateOf(order('A', 'C001', [['VIS-440', 1]]), '2026-11-23T16:00:00.000Z'));
    const view = (classes: string[], readAt: string) => ({ classes, state: null, shipmentState: null, invoiceState: null, readAt });
    const s0 = rm.changeStamp();
    expect(rm.recordErpView('C001-A', view([], '2026-11-23T09:00:00.000Z'))).toBe(true);
    const s1 = rm.changeStamp();
    expect(s1).not.toBe(s0);
    expect(rm.recordErpView('C001-A', view([], '2026-11-23T09:01:00.000Z'))).toBe(false); // read again, nothing new
    expect(rm.changeStamp()).toBe(s1);
    expect(rm.erpViews().get('C001-A')?.readAt).toBe('2026-11-23T09:01:00.000Z');
    expect(rm.recordErpView('C001-A', view(['blocage-financier'], '2026-11-23T09:01:00.000Z'))).toBe(true); // same instant, still a new stamp
    expect(rm.changeStamp()).not.toBe(s1);
    expect(rm.erpViews().get('C001-A')?.classes).toEqual(['blocage-financier']);
  });

  it('applies a state and its documents once, and only a newer revision', () => {
    rm = new ReadModel(':memory:');
    const s = stateOf(order('A', 'C001', [['VIS-440', 12]]), '2026-11-23T16:00:00.000Z');
    expect(rm.upsert(s)).toBe(true);
    expect(rm.upsert(s)).toBe(false);
    const routed = applyRoute(s, { team: 'ADV', agent: null, ruleId: 'default', rulesVersion: 'none', reason: 'défaut' }, '2026-11-23T08:00:02.000Z');
    expect(rm.upsert(routed)).toBe(true);
    expect(rm.upsert(s)).toBe(false);
    expect(rm.get(s.orderId)?.revision).toBe(routed.revision);
    expect(rm.list({ query: 'A'.padEnd(64, '0') }).map((x) => x.orderId)).toEqual([s.orderId]);
  });
});
