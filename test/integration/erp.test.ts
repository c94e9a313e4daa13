// The ERP boundary against a real Tryton (trytond + sale, stock, sale_credit_limit over JSON-RPC):
// sales orders created exactly once, refusals with Tryton's own reason, stock and credit read back.
import { describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseCsv } from '../../domain/csv';
import { pullMasterData } from '../../erp/masterdata';
import { join } from 'node:path';
import type { Order } from '../../domain/order';
import { orderKey } from '../../domain/keys';
import { ErpRefused, erpOrderKey } from '../../erp/connector';
import { exited, freePort, spawnWorker } from '../support/crash';
import { useTrytonAndTemporal } from '../support/erp-harness';
import { eventually, quietLog, startStack, testConfig } from '../support/temporal';
import { ROOT, type Config } from '../../worker/config';
import { DocumentStore } from '../../storage/document-store';
import { ReadModel } from '../../storage/read-model';
import { Ingestor } from '../../intake/submit';
import { createInErpUpdate, orderStateQuery, orderWorkflowId, type OrderState } from '../../workflows/definitions';
import { orderPage } from '../../web/pages';

function order(customerId: string, poNumber: string, lines: [string, number][], shipTo: string | null = null): Order {
  return {
    poNumber, orderDate: '2026-12-01', requestedDeliveryDate: null, purpose: 'original', currency: 'EUR',
    customer: { id: customerId, name: null, matchedBy: 'api' },
    shipTo: { code: shipTo, gln: null, name: null, street: null, postalCode: null, city: null, country: null },
    lines: lines.map(([sku, quantity], i) => ({ lineNumber: i + 1, sku, customerPartNumber: null, ean: null, description: null, quantity, unit: null, unitPrice: null, confidence: 1, doubts: [] })),
    confidence: 1, provenance: { parser: 'api-json', location: null, signals: [] },
  };
}

const erp = useTrytonAndTemporal();

async function salesOf(orderId: string) {
  return erp.tryton.connector.client.model<{ id: number; number: string; reference: string; state: string; 'party.': { code: string }; 'shipment_address.': { id: number } }[]>(
    'sale.sale', 'search_read', [[['description', '=', erpOrderKey(orderId)]], 0, null, null, ['number', 'reference', 'state', 'party.code', 'shipment_address.id']], { company: 1 });
}

describe('Tryton connector', () => {
  it('creates a confirmed sales order with the customer, ship-to, lines and PO, and only once', async () => {
    const o = order('C001', 'PO-ERP-1', [['VIS-440', 12], ['CHV-8', 3]], 'C001-L1');
    const first = await erp.tryton.connector.createSalesOrder(o, 'C001-PO-ERP-1');
    expect(first.created).toBe(true);
    expect(first.number).toMatch(/^\d+$/);
    expect(['confirmed', 'processing']).toContain(first.state);
    const again = await erp.tryton.connector.createSalesOrder(o, 'C001-PO-ERP-1');
    expect(again).toMatchObject({ erpRef: first.erpRef, number: first.number, created: false });
    const sales = await salesOf('C001-PO-ERP-1');
    expect(sales).toHaveLength(1);
    expect(sales[0]).toMatchObject({ reference: 'PO-ERP-1', 'party.': { code: 'C001' } });
    const lines = await erp.tryton.connector.client.model<{ quantity: number; unit_price: number; 'product.': { code: string } }[]>('sale.line', 'search_read', [[['sale', '=', Number(first.erpRef)]], 0, null, [['id', 'ASC']], ['quantity', 'unit_price', 'product.code']], { company: 1 });
    expect(lines.map((l) => [l['product.'].code, l.quantity, l.unit_price])).toEqual([['VIS-440', 12, 18.9], ['CHV-8', 3, expect.any(Number)]]);
    const status = await erp.tryton.connector.readOrderState(first.erpRef);
    expect(status).toMatchObject({ number: first.number, state: 'processing', shipmentState: 'waiting', invoiceState: 'pending' });
  });

  it('creates one sales order when the same order is sent five times at once', async () => {
    const o = order('C002', 'PO-RACE-1', [['VIS-450', 4]]);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => erp.tryton.connector.createSalesOrder(o, 'C002-PO-RACE-1')));
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    expect(ok.length).toBeGreaterThan(0);
    expect(new Set(ok.map((r) => r.erpRef)).size).toBe(1);
    // Converged: a late retry finds the one order.
    const after = await erp.tryton.connector.createSalesOrder(o, 'C002-PO-RACE-1');
    expect(after.erpRef).toBe(ok[0]!.erpRef);
    expect(await salesOf('C002-PO-RACE-1')).toHaveLength(1);
  });

  it("surfaces Tryton's own reason when the customer is over their credit limit, and leaves no sale behind", async () => {
    const o = order('C003', 'PO-CREDIT-1', [['VIS-440', 100]]); // 1 890 € against a 500 € limit
    const err = await erp.tryton.connector.createSalesOrder(o, 'C003-PO-CREDIT-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErpRefused);
    expect((err as ErpRefused).code).toBe('credit-limit');
    expect((err as ErpRefused).reason).toMatch(/credit limit/);
    expect(await salesOf('C003-PO-CREDIT-1')).toHaveLength(0);
    const ok = await erp.tryton.connector.createSalesOrder(order('C003', 'PO-CREDIT-1', [['VIS-440', 10]]), 'C003-PO-CREDIT-1');
    expect(ok.created).toBe(true);
  });

  it('refuses an unknown customer, ship-to or product with a reason that names it', async () => {
    await expect(erp.tryton.connector.createSalesOrder(order('C999', 'PO-X', [['VIS-440', 1]]), 'C999-PO-X')).rejects.toThrow(/C999/);
    await expect(erp.tryton.connector.createSalesOrder(order('C001', 'PO-Y', [['VIS-440', 1]], 'NOPE-1'), 'C001-PO-Y')).rejects.toThrow(/NOPE-1/);
    await expect(erp.tryton.connector.createSalesOrder(order('C001', 'PO-Z', [['XXX-1', 1]]), 'C001-PO-Z')).rejects.toThrow(/XXX-1/);
  });

  it('finds a ship-to by its GLN alone: the demo Tryton holds our GLNs on the addresses', async () => {
    const o = order('C002', 'PO-GLN-1', [['VIS-450', 2]]);
    o.shipTo.gln = '3020000100021'; // C002-M02, Brico Centre Bron
    const made = await erp.tryton.connector.createSalesOrder(o, 'C002-PO-GLN-1');
    const [m02] = await erp.tryton.connector.client.model<{ id: number }[]>('party.address', 'search_read', [[['identifiers.code', '=', 'C002-M02']], 0, 1, null, ['id']], { company: 1 });
    expect((await salesOf('C002-PO-GLN-1'))[0]?.['shipment_address.'].id).toBe(m02!.id);
    expect(made.created).toBe(true);
    expect((await erp.tryton.connector.readDeliveryAddresses('C002'))?.find((a) => a.code === '3020000100021')).toEqual({ code: '3020000100021', deliverable: true });
  });

  it('reads stock per SKU and the credit position', async () => {
    const stock = await erp.tryton.connector.readStock(['VIS-440', 'VIS-660', 'NOPE']);
    expect(stock.get('VIS-440')).toMatchObject({ onHand: 500, unit: 'BTE' });
    expect(stock.get('VIS-660')?.onHand).toBe(0);
    expect(stock.has('NOPE')).toBe(false);
    const credit = await erp.tryton.connector.readCredit('C005');
    expect(credit).toMatchObject({ customerId: 'C005', currency: 'EUR', limit: 20000, used: 0, blocked: null });
    expect(await erp.tryton.connector.readCredit('C999')).toBeNull();
  });

  it('reads a blocage financier (no credit at all, or the customer deactivated) and the delivery addresses, blocked ones too', async () => {
    const c = erp.tryton.connector.client;
    const party = async (code: string) => (await c.model<{ id: number }[]>('party.party', 'search_read', [[['code', '=', code]], 0, 1, null, ['id']], { company: 1 }))[0]!.id;
    await c.model('party.party', 'write', [[await party('C004')], { credit_limit_amount: { __class__: 'Decimal', decimal: '0' } }], { company: 1 });
    expect((await erp.tryton.connector.readCredit('C004'))?.blocked).toBe('limite de crédit à 0 pour C004 dans Tryton (compte bloqué)');
    await c.model('party.party', 'write', [[await party('C006')], { active: false }], { company: 1 });
    expect((await erp.tryton.connector.readCredit('C006'))?.blocked).toBe('client C006 désactivé dans Tryton');

    const before = await erp.tryton.connector.readDeliveryAddresses('C002');
    expect(before?.find((a) => a.code === 'C002-M01')).toEqual({ code: 'C002-M01', deliverable: true });
    expect(before?.find((a) => a.code === 'C002-F')?.deliverable).toBe(false); // the billing address
    const [m01] = await c.model<{ id: number }[]>('party.address', 'search_read', [[['identifiers.code', '=', 'C002-M01']], 0, 1, null, ['id']], { company: 1 });
    await c.model('party.address', 'write', [[m01!.id], { active: false }], { company: 1 });
    expect((await erp.tryton.connector.readDeliveryAddresses('C002'))?.find((a) => a.code === 'C002-M01')).toEqual({ code: 'C002-M01', deliverable: false, blocked: 'désactivée dans Tryton' });
    expect(await erp.tryton.connector.readDeliveryAddresses('C999')).toBeNull();

    // As they were, for the master-data pull below.
    await c.model('party.address', 'write', [[m01!.id], { active: true }], { company: 1 });
    const [c006] = await c.model<{ id: number }[]>('party.party', 'search_read', [[['code', '=', 'C006'], ['active', '=', false]], 0, 1, null, ['id']], { company: 1 });
    await c.model('party.party', 'write', [[c006!.id], { active: true }], { company: 1 });
    await c.model('party.party', 'write', [[await party('C004')], { credit_limit_amount: null }], { company: 1 });
    expect((await erp.tryton.connector.readCredit('C004'))?.blocked).toBeNull();
    expect((await erp.tryton.connector.readCredit('C006'))?.blocked).toBeNull();
  });
});

const apiOrder = (customerId: string, poNumber: string, lines: [string, number][], shipTo?: { code?: string; gln?: string }) =>
  Buffer.from(JSON.stringify({ customerId, poNumber, ...(shipTo ? { shipTo } : {}), lines: lines.map(([sku, quantity]) => ({ sku, quantity })) }));

describe("Créer dans l'ERP (order workflow)", () => {
  it("refuses, before creating, a ship-to Tryton does not deliver to and a customer Tryton deactivated, with Tryton's reason on the order page; two clicks at once make one sale", async () => {
    const c = erp.tryton.connector.client;
    const addressOf = async (code: string) => (await c.model<{ id: number }[]>('party.address', 'search_read', [[['identifiers.code', '=', code], ['active', 'in', [true, false]]], 0, 1, null, ['id']], { company: 1 }))[0]!.id;
    const partyOf = async (code: string) => (await c.model<{ id: number }[]>('party.party', 'search_read', [[['code', '=', code], ['active', 'in', [true, false]]], 0, 1, null, ['id']], { company: 1 }))[0]!.id;
    // Touchless off: every order here waits for the agent's click.
    const stack = await startStack(erp.env, 'erp-blocked', { activityDeps: { erp: erp.tryton.connector, touchless: () => null } });
    const [m02, epl, c006] = [await addressOf('C002-M02'), await addressOf('C002-EPL'), await partyOf('C006')];
    try {
      const submit = async (cu: string, po: string, shipTo?: { code?: string; gln?: string }) => {
        await stack.ingestor.submit(apiOrder(cu, po, [['VIS-450', 3]], shipTo), { fileName: `${po}.order.json`, channel: 'api', receivedAt: new Date().toISOString() });
        return (await eventually(() => stack.readModel.get(orderKey(cu, po, '', 0)), (s) => Boolean(s?.route), 60_000, `order ${po} routed`))!;
      };
      const click = (orderId: string) => erp.env.client.workflow.getHandle(orderWorkflowId(orderId)).executeUpdate(createInErpUpdate, { args: [{ by: 'lea' }] });
      const refusedWith = async (orderId: string, reason: RegExp) => {
        const after = await click(orderId);
        expect(after.status).not.toBe('entered');
        expect(after.erp ?? null).toBeNull();
        expect(after.history.at(-1)).toMatchObject({ event: 'ERP refused', by: 'lea', detail: expect.stringMatching(reason) });
        expect(await salesOf(orderId)).toHaveLength(0);
        const shown = await eventually(() => stack.readModel.get(orderKey(after.order.customer.id!, after.order.poNumber!, '', 0)), (s) => s?.history.at(-1)?.event === 'ERP refused', 30_000, 'refusal in the read model');
        const page = orderPage({ user: { login: 'lea', name: 'Léa', role: 'agent', teams: [], passwordHash: '' }, csrf: 't', state: shown!, now: Date.now(), canAct: true, teams: [], document: null, diffs: [], flash: null });
        expect(page).toContain(after.history.at(-1)!.detail!.replaceAll("'", '&#39;').slice(0, 40));
      };

      // In Tryton only: Bron no longer takes deliveries, the Saint-Priest depot is closed, C006 deactivated.
      const notForDeliveries = await submit('C002', 'WF-BLK-1', { code: 'C002-M02' });
      await c.model('party.address', 'write', [[m02], { delivery: false }], { company: 1 });
      await refusedWith(notForDeliveries.orderId, /^tryton : adresse de livraison C002-M02 \/ 3020000100021 pas ouverte aux livraisons dans Tryton \(case « Livraison » non cochée\)$/);
      const closed = await submit('C002', 'WF-BLK-2', { gln: '3020000100038' });
      await c.model('party.address', 'write', [[epl], { active: false }], { company: 1 });
      await refusedWith(closed.orderId, /adresse de livraison .*3020000100038 désactivée dans Tryton/);
      const deactivated = await submit('C006', 'WF-BLK-3');
      await c.model('party.party', 'write', [[c006], { active: false }], { company: 1 });
      await refusedWith(deactivated.orderId, /^tryton : client C006 désactivé dans Tryton$/);

      // Reopened in Tryton, the same order is created: the order stayed to enter.
      await c.model('party.address', 'write', [[m02], { delivery: true }], { company: 1 });
      expect((await click(notForDeliveries.orderId)).status).toBe('entered');

      // Two "Créer dans l'ERP" at once on one order: one sale, one creation in the history.
      const twice = await submit('C002', 'WF-BLK-4', { code: 'C002-M01' });
      const both = await Promise.allSettled([click(twice.orderId), click(twice.orderId)]);
      expect(both.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(0);
      const done = await erp.env.client.workflow.getHandle(orderWorkflowId(twice.orderId)).query(orderStateQuery);
      expect(done.status).toBe('entered');
      expect(done.history.filter((h) => h.event === 'created in ERP')).toHaveLength(1);
      expect(await salesOf(twice.orderId)).toHaveLength(1);
    } finally {
      await c.model('party.address', 'write', [[m02], { delivery: true }], { company: 1 });
      await c.model('party.address', 'write', [[epl], { active: true }], { company: 1 });
      await c.model('party.party', 'write', [[c006], { active: true }], { company: 1 });
      await stack.stop();
    }
  });

  it("creates the sales order, enters the order with the ERP's number, and records a refusal with Tryton's reason", async () => {
    const stack = await startStack(erp.env, 'erp-wf', { activityDeps: { erp: erp.tryton.connector } });
    try {
      const submit = async (c: string, po: string, lines: [string, number][]) => {
        await stack.ingestor.submit(apiOrder(c, po, lines), { fileName: `${po}.order.json`, channel: 'api', receivedAt: new Date().toISOString() });
        return eventually(() => stack.readModel.get(orderKey(c, po, '', 0)), (s) => Boolean(s?.route), 60_000, `order ${po} routed`);
      };
      const ok = (await submit('C005', 'WF-ERP-1', [['BOU-M8', 40]]))!;
      const handle = erp.env.client.workflow.getHandle(orderWorkflowId(ok.orderId));
      const entered = await handle.executeUpdate(createInErpUpdate, { args: [{ by: 'lea' }] });
      expect(entered.status).toBe('entered');
      expect(entered.erp).toMatchObject({ connector: 'tryton', number: expect.stringMatching(/^\d+$/), by: 'lea' });
      expect(entered.history.map((h) => h.event)).toEqual(expect.arrayContaining(['created in ERP', 'entered']));
      // A second click is refused by the workflow: the order is entered.
      await expect(handle.executeUpdate(createInErpUpdate, { args: [{ by: 'lea' }] })).rejects.toThrow();
      expect(await salesOf(ok.orderId)).toHaveLength(1);

      const over = (await submit('C003', 'WF-ERP-2', [['VIS-440', 200]]))!;
      const refused = await erp.env.client.workflow.getHandle(orderWorkflowId(over.orderId)).executeUpdate(createInErpUpdate, { args: [{ by: 'lea' }] });
      expect(refused.status).not.toBe('entered');
      expect(refused.erp ?? null).toBeNull();
      const last = refused.history.at(-1)!;
      expect(last).toMatchObject({ event: 'ERP refused', by: 'lea' });
      expect(last.detail).toMatch(/credit limit/);
      expect(await salesOf(over.orderId)).toHaveLength(0);
    } finally {
      await stack.stop();
    }
  });
});

/**
 * A loopback proxy in front of Tryton that, while `holding`, lets the sale's creation reach Tryton
 * and then never answers: the ERP has the order, the worker never hears of it.
 */
function holdingProxy(target: string) {
  let held: () => void = () => undefined;
  const createdInTryton = new Promise<void>((r) => (held = r));
  const state = { holding: true };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = (JSON.parse(body.toString() || '{}') as { method?: string }).method;
      void fetch(`${target}${req.url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) }, body })
        .then(async (r) => {
          const text = await r.text();
          if (state.holding && method === 'model.sale.sale.create') return held();
          res.writeHead(r.status, { 'content-type': 'application/json' }).end(text);
        })
        .catch(() => res.destroy());
    });
  });
  return { server, state, createdInTryton };
}


describe('exactly once under kill -9', () => {
  it('leaves exactly one sales order in Tryton when the worker dies between the ERP call and its acknowledgment', async () => {
    const proxy = holdingProxy(erp.tryton.tryton.url);
    const port = await freePort();
    await new Promise<void>((r) => proxy.server.listen(port, '127.0.0.1', r));
    const cfg: Config = testConfig(erp.env, 'erp-kill');
    const erpFile = join(cfg.dataDir, 'erp.yaml');
    const passwordFile = join(cfg.dataDir, 'tryton.password');
    writeFileSync(passwordFile, erp.tryton.password);
    writeFileSync(erpFile, `connector: tryton\ntryton:\n  url: http://127.0.0.1:${port}\n  database: ${erp.tryton.tryton.database}\n  user: admin\n  passwordFile: ${passwordFile}\n  managed: false\n`);
    const startWorker = () => spawnWorker({ TEMPORAL_ADDRESS: cfg.temporalAddress, AIGUILLAGE_TASK_QUEUE: cfg.taskQueue, AIGUILLAGE_DATA: cfg.dataDir, AIGUILLAGE_ERP: erpFile, AIGUILLAGE_PARTNERS: '' });
    let worker = startWorker();
    const ingestor = new Ingestor(new DocumentStore(cfg.dataDir), erp.env.client, cfg.taskQueue, quietLog);
    let readModel: ReadModel | null = null;
    try {
      await ingestor.submit(apiOrder('C001', 'KILL-1', [['VIS-530', 7], ['CHV-6', 2]]), { fileName: 'kill.order.json', channel: 'api', receivedAt: new Date().toISOString() });
      readModel = await eventually(() => { try { return new ReadModel(join(cfg.dataDir, 'readmodel.sqlite')); } catch { return null; } }, (r) => r !== null, 90_000, 'read model');
      const routed = (await eventually(() => readModel!.get(orderKey('C001', 'KILL-1', '', 0)), (s) => Boolean(s?.route), 90_000, 'order routed'))!;
      const handle = erp.env.client.workflow.getHandle(orderWorkflowId(routed.orderId));
      const click = handle.executeUpdate(createInErpUpdate, { args: [{ by: 'lea' }] });
      click.catch(() => undefined);
      await proxy.createdInTryton;
      expect(await salesOf(routed.orderId)).toHaveLength(1); // Tryton has it; the worker does not know
      worker.kill('SIGKILL');
      expect(await exited(worker)).toBe('SIGKILL');
      proxy.state.holding = false;
      worker = startWorker();
      // The activity's attempt times out and is retried by the new worker: it finds the sale.
      const done: OrderState = await click;
      expect(done.status).toBe('entered');
      expect(done.erp?.number).toMatch(/^\d+$/);
      expect(done.history.find((h) => h.event === 'created in ERP')?.detail).toMatch(/déjà présente/);
      const sales = await salesOf(routed.orderId);
      expect(sales).toHaveLength(1);
      expect(String(sales[0]!.id)).toBe(done.erp!.erpRef);
    } finally {
      worker.kill('SIGTERM');
      await exited(worker);
      readModel?.close();
      proxy.server.closeAllConnections();
      proxy.server.close();
    }
  }, 400_000);
});

describe('masterdata pull', () => {
  const rows = (dir: string, file: string) => parseCsv(readFileSync(join(dir, file), 'utf8'), file, []).map((r) => r.values).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  it("writes our CSVs from Tryton's parties, addresses and products, and follows a change made in Tryton", async () => {
    const fixtures = join(ROOT, 'fixtures', 'masterdata');
    const out = mkdtempSync(join(tmpdir(), 'aiguillage-pull-'));
    const r = await pullMasterData(erp.tryton.connector.client, out);
    expect(r.files.map((f) => f.file)).toEqual(['company.csv', 'customers.csv', 'addresses.csv', 'products.csv']);
    expect(rows(out, 'products.csv')).toEqual(rows(fixtures, 'products.csv'));
    const pick = (x: Record<string, string>[], cols: string[]) => x.map((v) => Object.fromEntries(cols.map((c) => [c, v[c]])));
    expect(pick(rows(out, 'customers.csv'), ['id', 'name'])).toEqual(pick(rows(fixtures, 'customers.csv'), ['id', 'name']));
    const addressCols = ['customer_id', 'code', 'type', 'gln', 'street', 'postal_code', 'city', 'country'];
    expect(pick(rows(out, 'addresses.csv'), addressCols)).toEqual(pick(rows(fixtures, 'addresses.csv'), addressCols));
    expect(rows(out, 'company.csv')[0]).toMatchObject({ name: 'Fixations Rhône-Alpes SAS', city: 'Lyon', country: 'FR' });

    const [tpl] = await erp.tryton.connector.client.model<{ id: number }[]>('product.template', 'search_read', [[['code', '=', 'GAN-NIT']], 0, 1, null, ['id']], { company: 1 });
    await erp.tryton.connector.client.model('product.template', 'write', [[tpl!.id], { list_price: { __class__: 'Decimal', decimal: '7.35' }, name: 'Gants nitrile (nouvelle désignation)' }], { company: 1 });
    // A customer's currency is ours (Tryton holds one per party only with sale_price_list): kept across a pull.
    const ours = readFileSync(join(out, 'customers.csv'), 'utf8').replace(/^(C001,.*),$/mu, '$1,CHF');
    writeFileSync(join(out, 'customers.csv'), ours);
    expect(rows(out, 'customers.csv').find((c) => c.id === 'C001')?.currency).toBe('CHF');
    await pullMasterData(erp.tryton.connector.client, out);
    expect(rows(out, 'products.csv').find((p) => p.sku === 'GAN-NIT')).toMatchObject({ list_price: '7.35', description: 'Gants nitrile (nouvelle désignation)' });
    expect(rows(out, 'customers.csv').find((c) => c.id === 'C001')).toMatchObject({ currency: 'CHF', name: 'Quincaillerie Dupont' });
  });
});
