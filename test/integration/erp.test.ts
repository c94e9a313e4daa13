// The ERP boundary against a real Tryton (trytond + sale, stock, sale_credit_limit over JSON-RPC):
// sales orders created exactly once, refusals with Tryton's own reason, stock and credit read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../domain/order';
import { ErpRefused, erpOrderKey } from '../../erp/connector';
import { startTestTryton, type TestTryton } from '../support/tryton';

function order(customerId: string, poNumber: string, lines: [string, number][], shipTo: string | null = null): Order {
  return {
    poNumber, orderDate: '2026-12-01', requestedDeliveryDate: null, purpose: 'original', currency: 'EUR',
    customer: { id: customerId, name: null, matchedBy: 'api' },
    shipTo: { code: shipTo, gln: null, name: null, street: null, postalCode: null, city: null, country: null },
    lines: lines.map(([sku, quantity], i) => ({ lineNumber: i + 1, sku, customerPartNumber: null, ean: null, description: null, quantity, unit: null, unitPrice: null, confidence: 1, doubts: [] })),
    confidence: 1, provenance: { parser: 'api-json', location: null, signals: [] },
  };
}

let t: TestTryton;
beforeAll(async () => {
  t = await startTestTryton();
}, 30 * 60_000);
afterAll(async () => {
  await t?.stop();
});

async function salesOf(orderId: string) {
  return t.connector.client.model<{ id: number; number: string; reference: string; state: string; 'party.': { code: string }; 'shipment_address.': { id: number } }[]>(
    'sale.sale', 'search_read', [[['description', '=', erpOrderKey(orderId)]], 0, null, null, ['number', 'reference', 'state', 'party.code', 'shipment_address.id']], { company: 1 });
}

describe('Tryton connector', () => {
  it('creates a confirmed sales order with the customer, ship-to, lines and PO, and only once', async () => {
    const o = order('C001', 'PO-ERP-1', [['VIS-440', 12], ['CHV-8', 3]], 'C001-L1');
    const first = await t.connector.createSalesOrder(o, 'C001-PO-ERP-1');
    expect(first.created).toBe(true);
    expect(first.number).toMatch(/^\d+$/);
    expect(['confirmed', 'processing']).toContain(first.state);
    const again = await t.connector.createSalesOrder(o, 'C001-PO-ERP-1');
    expect(again).toMatchObject({ erpRef: first.erpRef, number: first.number, created: false });
    const sales = await salesOf('C001-PO-ERP-1');
    expect(sales).toHaveLength(1);
    expect(sales[0]).toMatchObject({ reference: 'PO-ERP-1', 'party.': { code: 'C001' } });
    const lines = await t.connector.client.model<{ quantity: number; unit_price: number; 'product.': { code: string } }[]>('sale.line', 'search_read', [[['sale', '=', Number(first.erpRef)]], 0, null, [['id', 'ASC']], ['quantity', 'unit_price', 'product.code']], { company: 1 });
    expect(lines.map((l) => [l['product.'].code, l.quantity, l.unit_price])).toEqual([['VIS-440', 12, 18.9], ['CHV-8', 3, expect.any(Number)]]);
    const status = await t.connector.readOrderState(first.erpRef);
    expect(status).toMatchObject({ number: first.number, state: 'processing', shipmentState: 'waiting', invoiceState: 'pending' });
  });

  it('creates one sales order when the same order is sent five times at once', async () => {
    const o = order('C002', 'PO-RACE-1', [['VIS-450', 4]]);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => t.connector.createSalesOrder(o, 'C002-PO-RACE-1')));
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    expect(ok.length).toBeGreaterThan(0);
    expect(new Set(ok.map((r) => r.erpRef)).size).toBe(1);
    // Converged: a late retry finds the one order.
    const after = await t.connector.createSalesOrder(o, 'C002-PO-RACE-1');
    expect(after.erpRef).toBe(ok[0]!.erpRef);
    expect(await salesOf('C002-PO-RACE-1')).toHaveLength(1);
  });

  it("surfaces Tryton's own reason when the customer is over their credit limit, and leaves no sale behind", async () => {
    const o = order('C003', 'PO-CREDIT-1', [['VIS-440', 100]]); // 1 890 € against a 500 € limit
    const err = await t.connector.createSalesOrder(o, 'C003-PO-CREDIT-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErpRefused);
    expect((err as ErpRefused).code).toBe('credit-limit');
    expect((err as ErpRefused).reason).toMatch(/credit limit/);
    expect(await salesOf('C003-PO-CREDIT-1')).toHaveLength(0);
    const ok = await t.connector.createSalesOrder(order('C003', 'PO-CREDIT-1', [['VIS-440', 10]]), 'C003-PO-CREDIT-1');
    expect(ok.created).toBe(true);
  });

  it('refuses an unknown customer, ship-to or product with a reason that names it', async () => {
    await expect(t.connector.createSalesOrder(order('C999', 'PO-X', [['VIS-440', 1]]), 'C999-PO-X')).rejects.toThrow(/C999/);
    await expect(t.connector.createSalesOrder(order('C001', 'PO-Y', [['VIS-440', 1]], 'NOPE-1'), 'C001-PO-Y')).rejects.toThrow(/NOPE-1/);
    await expect(t.connector.createSalesOrder(order('C001', 'PO-Z', [['XXX-1', 1]]), 'C001-PO-Z')).rejects.toThrow(/XXX-1/);
  });

  it('reads stock per SKU and the credit position', async () => {
    const stock = await t.connector.readStock(['VIS-440', 'VIS-660', 'NOPE']);
    expect(stock.get('VIS-440')).toMatchObject({ onHand: 500, unit: 'BTE' });
    expect(stock.get('VIS-660')?.onHand).toBe(0);
    expect(stock.has('NOPE')).toBe(false);
    const credit = await t.connector.readCredit('C005');
    expect(credit).toMatchObject({ customerId: 'C005', currency: 'EUR', limit: 20000, used: 0 });
    expect(await t.connector.readCredit('C999')).toBeNull();
  });
});
