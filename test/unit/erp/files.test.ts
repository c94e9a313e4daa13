import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Order } from '../../../domain/order';
import { ErpRefused, ErpUnavailable } from '../../../erp/connector';
import { FileConnector, outboxName } from '../../../erp/files/connector';
import { salesOrderDocumentSchema, salesOrderJsonSchema } from '../../../erp/files/document';
import { ROOT } from '../../../worker/config';

const order: Order = {
  poNumber: 'CDE-2026-118', orderDate: '2026-12-01', requestedDeliveryDate: '2026-12-08', purpose: 'original', currency: 'EUR',
  customer: { id: 'C002', name: 'Brico Centre Rhône & Fils', matchedBy: 'edifact_gln' },
  shipTo: { code: 'C002-M01', gln: '3020000100014', name: 'Brico Centre Villeurbanne', street: '45 cours Émile Zola', postalCode: '69100', city: 'Villeurbanne', country: 'FR' },
  lines: [
    { lineNumber: 1, sku: 'VIS-440', customerPartNumber: 'BC-77812', ean: '3760123450003', description: 'Vis inox A2 4x40 <boîte>', quantity: 12, unit: 'BTE', unitPrice: 18.9, confidence: 1, doubts: [] },
    { lineNumber: 2, sku: 'CHV-8', customerPartNumber: null, ean: null, description: null, quantity: 3, unit: 'BTE', unitPrice: null, confidence: 1, doubts: [] },
  ],
  confidence: 1, provenance: { parser: 'edifact-orders', location: null, signals: [] },
};
const now = () => new Date('2026-12-01T08:15:30.000Z');
const outbox = () => mkdtempSync(join(tmpdir(), 'aiguillage-outbox-'));

describe('JSON connector', () => {
  it('writes one document per order, valid against the published schema, once whatever the retries', async () => {
    const dir = outbox();
    const c = new FileConnector({ kind: 'json', outbox: dir, now });
    const first = await c.createSalesOrder(order, 'C002-CDE2026118');
    const again = await c.createSalesOrder({ ...order, poNumber: 'CHANGED' }, 'C002-CDE2026118');
    expect([first.created, again.created]).toEqual([true, false]);
    expect(readdirSync(dir)).toEqual([outboxName('C002-CDE2026118', 'json')]);
    const doc = salesOrderDocumentSchema.parse(JSON.parse(readFileSync(join(dir, first.erpRef), 'utf8')));
    expect(doc).toMatchObject({ key: 'aiguillage:C002-CDE2026118', poNumber: 'CDE-2026-118', soldTo: { customerId: 'C002' }, shipTo: { code: 'C002-M01', gln: '3020000100014' } });
    expect(doc.lines.map((l) => [l.sku, l.customerPartNumber, l.quantity])).toEqual([['VIS-440', 'BC-77812', 12], ['CHV-8', null, 3]]);
    expect(await c.readOrderState(first.erpRef)).toMatchObject({ state: 'sent' });
  });
  it('publishes the schema generated from the document type', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'erp/schema/sales-order.schema.json'), 'utf8'))).toEqual(salesOrderJsonSchema());
  });
  it('refuses an order the ERP could not take, and names a file no sender can steer', async () => {
    await expect(new FileConnector({ kind: 'json', outbox: outbox() }).createSalesOrder({ ...order, lines: [{ ...order.lines[0]!, sku: null }] }, 'x')).rejects.toBeInstanceOf(ErpRefused);
    expect(outboxName('../../etc/passwd', 'json')).toMatch(/^______etc_passwd-[0-9a-f]{12}\.json$/);
  });
});

describe('IDoc ORDERS05 connector', () => {
  it('writes the control record, header partners AG and WE, the PO and one item per line with our and the customer’s material', async () => {
    const dir = outbox();
    const r = await new FileConnector({ kind: 'idoc', outbox: dir, idoc: { sender: 'AIGUILLAGE', receiver: 'SAPERP' }, now }).createSalesOrder(order, 'C002-CDE2026118');
    const xml = readFileSync(join(dir, r.erpRef), 'utf8');
    const segments = [...xml.matchAll(/<(E1[A-Z0-9]+|EDI_DC40) SEGMENT="1">/g)].map((m) => m[1]);
    expect(segments).toEqual(['EDI_DC40', 'E1EDK01', 'E1EDK03', 'E1EDK03', 'E1EDKA1', 'E1EDKA1', 'E1EDK02', 'E1EDP01', 'E1EDP19', 'E1EDP19', 'E1EDP19', 'E1EDP01', 'E1EDP19']);
    expect(xml).toContain('<IDOCTYP>ORDERS05</IDOCTYP><MESTYP>ORDERS</MESTYP>');
    expect(xml).toContain('<CREDAT>20261201</CREDAT><CRETIM>081530</CRETIM>');
    expect(xml).toContain('<PARVW>AG</PARVW><PARTN>C002</PARTN><NAME1>Brico Centre Rhône &amp; Fils</NAME1>');
    expect(xml).toContain('<PARVW>WE</PARVW><PARTN>C002-M01</PARTN><ILNNR>3020000100014</ILNNR>');
    expect(xml).toContain('<QUALF>001</QUALF><BELNR>CDE-2026-118</BELNR><DATUM>20261201</DATUM>');
    expect(xml).toContain('<IDDAT>002</IDDAT><DATUM>20261208</DATUM>');
    expect(xml).toContain('<POSEX>000010</POSEX><MENGE>12</MENGE><MENEE>BTE</MENEE><VPREI>18.9</VPREI>');
    expect(xml).toContain('<QUALF>002</QUALF><IDTNR>VIS-440</IDTNR><KTEXT>Vis inox A2 4x40 &lt;boîte&gt;</KTEXT>');
    expect(xml).toContain('<QUALF>001</QUALF><IDTNR>BC-77812</IDTNR>');
    // Balanced: every element opened is closed.
    const opened = [...xml.matchAll(/<([A-Z][A-Z0-9_]*)[ >]/g)].length;
    expect([...xml.matchAll(/<\/[A-Z][A-Z0-9_]*>/g)].length).toBe(opened);
  });
});

describe('signed webhook connector', () => {
  it('posts the document with an HMAC-SHA256 over timestamp and body, retries on 5xx, posts once after a 2xx, and refuses on 4xx', async () => {
    const seen: { sig: string; key: string; body: string }[] = [];
    let answer = 503;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ sig: String(req.headers['x-aiguillage-signature']), key: String(req.headers['idempotency-key']), body: Buffer.concat(chunks).toString() });
        res.writeHead(answer).end(answer === 400 ? 'unknown sold-to' : '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/orders`;
    try {
      const dir = outbox();
      const c = new FileConnector({ kind: 'webhook', outbox: dir, webhook: { url, secret: () => 's3cret' }, now });
      await expect(c.createSalesOrder(order, 'C002-CDE2026118')).rejects.toBeInstanceOf(ErpUnavailable);
      answer = 202;
      expect((await c.createSalesOrder(order, 'C002-CDE2026118')).state).toBe('sent');
      expect((await c.createSalesOrder(order, 'C002-CDE2026118')).created).toBe(false);
      expect(seen).toHaveLength(2);
      const { sig, key, body } = seen[1]!;
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig)!;
      expect(Number(t)).toBe(Date.parse('2026-12-01T08:15:30Z') / 1000);
      expect(v1).toBe(createHmac('sha256', 's3cret').update(`${t}.${body}`).digest('hex'));
      expect(key).toBe('aiguillage:C002-CDE2026118');
      expect(seen[0]!.body).toBe(body); // the retry posted the very document written first
      answer = 400;
      await expect(c.createSalesOrder(order, 'C001-OTHER')).rejects.toThrow(/HTTP 400 : unknown sold-to/);
    } finally {
      server.close();
    }
  });
});
